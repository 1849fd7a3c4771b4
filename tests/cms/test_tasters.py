"""Taster offers: booking, waitlist, promotion, cancellation, attendance, conversion, proposals, pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import WorkflowState

from cms.models import TasterOfferPage
from notifications.models import Notification
from tests.cms.taster_world import make_offer
from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import TasterSignup, TasterSignupStatus
from volunteering.services.applications import application_submit
from volunteering.services.tasters import (
    taster_book,
    taster_cancel,
    taster_mark_attendance,
    taster_offer_propose,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(site_tree, organisation):
    return make_offer(organisation, capacity=2)


def _pending(kind, user):
    return Notification.objects.filter(kind=kind, recipient=user, status=Notification.Status.PENDING)


def test_booking_takes_a_seat_and_schedules_reminder_and_follow_up(offer):
    person = make_volunteer()

    signup = taster_book(offer=offer, user=person)

    assert signup.status == TasterSignupStatus.BOOKED
    assert Notification.objects.filter(kind="taster.booked", recipient=person).exists()
    reminder = _pending("taster.reminder", person).filter(channel="email").get()
    assert reminder.due_at == offer.starts_at - timedelta(days=2)
    assert reminder.key == f"taster.reminder:{signup.pk}"
    follow_up = _pending("taster.follow_up", person).filter(channel="email").get()
    assert follow_up.due_at > offer.starts_at


def test_booking_twice_is_refused(offer):
    person = make_volunteer()
    taster_book(offer=offer, user=person)

    with pytest.raises(ValidationError):
        taster_book(offer=offer, user=person)
    assert TasterSignup.objects.filter(user=person).count() == 1


def test_a_full_offer_puts_the_next_person_on_the_waitlist(offer):
    for _ in range(2):
        taster_book(offer=offer, user=make_volunteer())
    late = make_volunteer()

    signup = taster_book(offer=offer, user=late)

    assert signup.status == TasterSignupStatus.WAITLISTED
    assert Notification.objects.filter(kind="taster.waitlisted", recipient=late).exists()
    assert not _pending("taster.reminder", late).exists()


def test_waitlist_promotes_next_after_a_cancellation_and_notifies(offer):
    first = make_volunteer()
    booking = taster_book(offer=offer, user=first)
    taster_book(offer=offer, user=make_volunteer())
    waiting_first, waiting_second = make_volunteer(), make_volunteer()
    taster_book(offer=offer, user=waiting_first)
    taster_book(offer=offer, user=waiting_second)

    taster_cancel(signup=booking, actor=first)

    booking.refresh_from_db()
    assert booking.status == TasterSignupStatus.CANCELLED
    assert not _pending("taster.reminder", first).exists()
    assert not _pending("taster.follow_up", first).exists()
    promoted = TasterSignup.objects.get(user=waiting_first)
    assert promoted.status == TasterSignupStatus.BOOKED and promoted.promoted_at is not None
    assert Notification.objects.filter(kind="taster.promoted", recipient=waiting_first).exists()
    assert _pending("taster.reminder", waiting_first).exists()
    assert TasterSignup.objects.get(user=waiting_second).status == TasterSignupStatus.WAITLISTED


def test_cancelling_a_waitlist_place_promotes_nobody(offer):
    for _ in range(2):
        taster_book(offer=offer, user=make_volunteer())
    waiting, other = make_volunteer(), make_volunteer()
    place = taster_book(offer=offer, user=waiting)
    taster_book(offer=offer, user=other)

    taster_cancel(signup=place, actor=waiting)

    assert TasterSignup.objects.get(user=other).status == TasterSignupStatus.WAITLISTED


def test_only_the_person_cancels_their_booking(offer):
    signup = taster_book(offer=offer, user=make_volunteer())

    with pytest.raises(PermissionDenied):
        taster_cancel(signup=signup, actor=make_volunteer())


def test_a_cancelled_person_may_book_again(offer):
    person = make_volunteer()
    taster_cancel(signup=taster_book(offer=offer, user=person), actor=person)

    assert taster_book(offer=offer, user=person).status == TasterSignupStatus.BOOKED


def test_past_and_unpublished_offers_cannot_be_booked(site_tree, organisation):
    past = make_offer(organisation, starts_in=timedelta(hours=-1))
    draft = make_offer(organisation, title="Entwurf")
    draft.unpublish()

    for offer in (past, draft):
        with pytest.raises(ValidationError):
            taster_book(offer=offer, user=make_volunteer())


def test_the_organisation_marks_attendance_and_no_show_drops_the_follow_up(
    site_tree, organisation, org_member
):
    offer = make_offer(organisation, starts_in=timedelta(days=3))
    came, stayed_away = make_volunteer(), make_volunteer()
    signup_came = taster_book(offer=offer, user=came)
    signup_away = taster_book(offer=offer, user=stayed_away)
    TasterOfferPage.objects.filter(pk=offer.pk).update(starts_at=offer.starts_at - timedelta(days=4))

    taster_mark_attendance(signup=signup_came, actor=org_member, attended=True)
    taster_mark_attendance(signup=signup_away, actor=org_member, attended=False)

    assert TasterSignup.objects.get(pk=signup_came.pk).status == TasterSignupStatus.ATTENDED
    assert TasterSignup.objects.get(pk=signup_away.pk).status == TasterSignupStatus.NO_SHOW
    assert _pending("taster.follow_up", came).exists()
    assert not _pending("taster.follow_up", stayed_away).exists()


def test_members_of_other_organisations_cannot_mark_attendance(offer, other_org_member):
    signup = taster_book(offer=offer, user=make_volunteer())

    with pytest.raises(PermissionDenied):
        taster_mark_attendance(signup=signup, actor=other_org_member, attended=True)


def test_applying_after_a_taster_records_the_conversion(offer, organisation):
    person = make_volunteer()
    signup = taster_book(offer=offer, user=person)
    organisation.status = "verified"
    organisation.save()
    need = make_need(organisation, expires_on=timezone.localdate() + timedelta(days=30))

    application = application_submit(need=need, volunteer=person)

    signup.refresh_from_db()
    assert signup.converted_application == application
    assert signup.converted_at is not None


def test_an_organisation_admin_proposes_an_offer_into_moderation(site_tree, organisation, org_admin):
    from volunteering.models import Kommune

    page = taster_offer_propose(
        organisation=organisation,
        actor=org_admin,
        details={
            "title": "Fahrradwerkstatt kennenlernen",
            "starts_at": timezone.now() + timedelta(days=20),
            "place": "Werkstatt am Bahnhof",
            "kommune": Kommune.objects.get(name="Verl"),
            "capacity": 4,
            "what_to_expect": "Schrauben, reden, lachen.",
        },
    )

    page.refresh_from_db()
    assert not page.live
    assert page.organisation == organisation
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Redaktion → Freigabe"


def test_members_who_are_not_admins_cannot_propose(site_tree, organisation, org_member):
    with pytest.raises(PermissionDenied):
        taster_offer_propose(organisation=organisation, actor=org_member, details={})


# --- Pages and views ----------------------------------------------------------------------------------
def test_the_offer_page_shows_free_seats_and_leads_visitors_to_sign_up_and_back(client, offer):
    response = client.get(offer.url)

    assert response.status_code == 200
    assert "Noch 2 von 2 Plätzen frei." in response.text
    assert f"/de/konto/signup/?next=/de/schnuppern/{offer.pk}/buchen/" in response.text


def test_a_signed_in_person_books_in_one_click(client, offer):
    person = make_volunteer()
    client.force_login(person)

    response = client.post(f"/de/schnuppern/{offer.pk}/buchen/")

    assert response.status_code == 302
    assert TasterSignup.objects.get(user=person).status == TasterSignupStatus.BOOKED
    assert "Sie haben einen Platz." in client.get(offer.url).text


def test_a_new_visitor_lands_on_the_booking_step_after_login(client, offer):
    response = client.get(f"/de/schnuppern/{offer.pk}/buchen/")
    assert response.status_code == 302 and "next=" in response["Location"]

    client.force_login(make_volunteer())
    response = client.get(f"/de/schnuppern/{offer.pk}/buchen/")
    assert response.status_code == 200
    assert "Jetzt buchen" in response.text


def test_a_person_cancels_from_their_list(client, offer):
    person = make_volunteer()
    signup = taster_book(offer=offer, user=person)
    client.force_login(person)

    assert offer.title in client.get("/de/mein-bereich/schnuppern/").text
    response = client.post(f"/de/mein-bereich/schnuppern/{signup.pk}/absagen/")

    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.status == TasterSignupStatus.CANCELLED


def test_foreign_bookings_answer_404(client, offer):
    signup = taster_book(offer=offer, user=make_volunteer())
    client.force_login(make_volunteer())

    assert client.post(f"/de/mein-bereich/schnuppern/{signup.pk}/absagen/").status_code == 404


def test_the_organisation_side_is_404_for_other_organisations(client, offer, organisation, other_org_member):
    client.force_login(other_org_member)

    assert client.get(f"/de/organisation/{organisation.pk}/schnuppern/").status_code == 404
    assert client.get(f"/de/organisation/{organisation.pk}/schnuppern/{offer.pk}/").status_code == 404


def test_the_organisation_sees_its_bookings(client, offer, organisation, org_member):
    taster_book(offer=offer, user=make_volunteer(first_name="Amira"))
    client.force_login(org_member)

    response = client.get(f"/de/organisation/{organisation.pk}/schnuppern/{offer.pk}/")

    assert response.status_code == 200
    assert "Amira" in response.text


def test_the_index_lists_upcoming_offers_only(client, site_tree, organisation):
    make_offer(organisation, title="Bald")
    make_offer(organisation, title="Vorbei", starts_in=timedelta(days=-1))

    response = client.get("/de/schnuppern/")

    assert "Bald" in response.text
    assert "Vorbei" not in response.text


def test_the_ical_feed_parses_and_holds_upcoming_public_offers(client, site_tree, organisation):
    make_offer(organisation, title="Lesepatenschaft ausprobieren")
    make_offer(organisation, title="Unveröffentlicht").unpublish()

    response = client.get("/de/schnuppern/kalender.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["Lesepatenschaft ausprobieren"]


def test_volunteers_and_organisations_find_their_taster_pages(client, offer, organisation, org_member):
    client.force_login(make_volunteer())
    assert "/de/mein-bereich/schnuppern/" in client.get("/de/mein-bereich/").text

    client.force_login(org_member)
    assert (
        f"/de/organisation/{organisation.pk}/schnuppern/"
        in client.get(f"/de/organisation/{organisation.pk}/").text
    )
