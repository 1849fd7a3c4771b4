"""Two volunteers booking the last seat of a training session at the same moment, on PostgreSQL.

Each thread has its own connection; a barrier releases them together. The lock on the session row
serialises the bookings: exactly one gets the seat, the other lands on the waitlist. A cancellation racing
a booking never leaves more people seated than there are seats.
"""

import pytest

from tests.volunteering.applications_world import make_volunteer
from tests.volunteering.test_applications_concurrency import _race
from tests.volunteering.trainings_world import make_qualification, make_session, make_training
from volunteering.models import Registration, RegistrationStatus
from volunteering.services.reference_data import district_load, taxonomy_load
from volunteering.services.trainings import training_book, training_cancel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SEATED = (RegistrationStatus.BOOKED, RegistrationStatus.COMPLETED)


def _seated(session) -> int:
    return Registration.objects.filter(session=session, status__in=SEATED).count()


def test_two_volunteers_booking_the_last_seat_get_it_exactly_once():
    taxonomy_load()
    district_load()
    session = make_session(make_training(qualification=make_qualification()), capacity=2)
    training_book(session=session, user=make_volunteer())  # one seat left

    for _round in range(5):
        first, second = make_volunteer(), make_volunteer()
        results = _race(
            lambda first=first: training_book(session=session, user=first),
            lambda second=second: training_book(session=session, user=second),
        )

        statuses = sorted(result.status for result in results)
        assert statuses == [RegistrationStatus.BOOKED, RegistrationStatus.WAITLISTED], results
        assert _seated(session) == 2
        # Free the seat again for another round (the loser leaves the waitlist first).
        winner = next(result for result in results if result.status == RegistrationStatus.BOOKED)
        loser = next(result for result in results if result.status == RegistrationStatus.WAITLISTED)
        training_cancel(registration=loser, actor=loser.user)
        training_cancel(registration=winner, actor=winner.user)
        assert _seated(session) == 1


def test_a_cancellation_racing_a_booking_never_overfills():
    taxonomy_load()
    district_load()
    session = make_session(make_training(), capacity=1)
    for _round in range(5):
        holder, waiting, newcomer = make_volunteer(), make_volunteer(), make_volunteer()
        seat = training_book(session=session, user=holder)
        training_book(session=session, user=waiting)
        results = _race(
            lambda seat=seat, holder=holder: training_cancel(registration=seat, actor=holder),
            lambda newcomer=newcomer: training_book(session=session, user=newcomer),
        )
        assert not any(isinstance(result, Exception) for result in results), results
        assert _seated(session) == 1
        # The freed seat went to the first on the waitlist, not to the newcomer.
        assert Registration.objects.get(session=session, user=waiting).status == RegistrationStatus.BOOKED
        Registration.objects.filter(session=session).delete()
