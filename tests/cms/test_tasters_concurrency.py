"""Two people booking the last seat of a taster offer at the same moment (QUALITY.md 14), on PostgreSQL.

Each thread has its own connection; a barrier releases them together. The lock on the offer's page row
serialises the bookings: exactly one gets the seat, the other lands on the waitlist.
"""

import pytest

from cms.demo import seed_pages
from tests.cms.taster_world import make_offer
from tests.volunteering.applications_world import make_volunteer
from tests.volunteering.test_applications_concurrency import _race
from volunteering.models import TasterSignup, TasterSignupStatus
from volunteering.services.tasters import taster_book, taster_cancel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_visitors_booking_the_last_seat_get_it_exactly_once(organisation):
    seed_pages()  # transactional tests flush the page tree
    offer = make_offer(organisation, capacity=2)
    taster_book(offer=offer, user=make_volunteer())  # one seat left

    for _round in range(5):
        first, second = make_volunteer(), make_volunteer()
        results = _race(
            lambda first=first: taster_book(offer=offer, user=first),
            lambda second=second: taster_book(offer=offer, user=second),
        )

        statuses = sorted(result.status for result in results)
        assert statuses == [TasterSignupStatus.BOOKED, TasterSignupStatus.WAITLISTED], results
        booked = TasterSignup.objects.filter(offer=offer, status=TasterSignupStatus.BOOKED).count()
        assert booked == 2
        # Free the seat again for another round.
        winner = next(result for result in results if result.status == TasterSignupStatus.BOOKED)
        TasterSignup.objects.filter(pk__in=[r.pk for r in results]).exclude(pk=winner.pk).delete()
        taster_cancel(signup=winner, actor=winner.user)


def test_a_cancellation_racing_a_booking_never_overfills(organisation):
    seed_pages()
    offer = make_offer(organisation, capacity=1)
    holder = make_volunteer()
    seat = taster_book(offer=offer, user=holder)
    waiting = make_volunteer()
    taster_book(offer=offer, user=waiting)
    newcomer = make_volunteer()

    _race(
        lambda: taster_cancel(signup=seat, actor=holder),
        lambda: taster_book(offer=offer, user=newcomer),
    )

    assert TasterSignup.objects.filter(offer=offer, status=TasterSignupStatus.BOOKED).count() == 1
    assert TasterSignup.objects.get(user=waiting).status == TasterSignupStatus.BOOKED
