"""Training pages: the public list and filters, booking (also from a visitor), Mein Bereich, iCal feeds,
the attendance sheets and who may open them, and missing qualifications on needs and applications."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from notifications import clock
from tests.volunteering.applications_world import make_need, make_volunteer
from tests.volunteering.trainings_world import make_qualification, make_session, make_training
from volunteering.models import (
    ActivityType,
    Registration,
    RegistrationStatus,
    TrainingCalendarToken,
    VolunteerQualification,
)
from volunteering.services.applications import application_submit
from volunteering.services.trainings import training_book, training_mark_attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def qualification(reference_data):
    return make_qualification()


@pytest.fixture
def training(qualification):
    return make_training(qualification=qualification, validity_months=24)


@pytest.fixture
def session(training):
    return make_session(training, town="Verl", capacity=1, trainer_name="Dr. Nadia Haddad")


# --- Public list and page ------------------------------------------------------------------------------
def test_the_list_shows_upcoming_sessions_and_filters_by_town_and_form(client, training, session):
    online = make_session(training, town="Gütersloh", place="", online_url="https://meet.example.org/x")
    page = client.get("/de/schulungen/").content.decode()
    assert f"/de/schulungen/{session.pk}/" in page and f"/de/schulungen/{online.pk}/" in page

    page = client.get("/de/schulungen/?ort=verl").content.decode()
    assert f"/de/schulungen/{session.pk}/" in page and f"/de/schulungen/{online.pk}/" not in page

    page = client.get("/de/schulungen/?format=online").content.decode()
    assert f"/de/schulungen/{session.pk}/" not in page and f"/de/schulungen/{online.pk}/" in page

    later = (clock.now() + timedelta(days=60)).date().isoformat()
    page = client.get(f"/de/schulungen/?ab={later}").content.decode()
    assert f"/de/schulungen/{session.pk}/" not in page


def test_bad_filter_input_is_answered_calmly(client, session):
    response = client.get("/de/schulungen/?ab=gestern&ort=nirgendwo")
    assert response.status_code == 200
    assert "gültiges Datum" in response.content.decode() or "Ungültig" in response.content.decode()


def test_past_and_inactive_sessions_are_not_listed(client, training, session):
    past = make_session(training, starts_in=timedelta(days=-3))
    page = client.get("/de/schulungen/").content.decode()
    assert f"/de/schulungen/{past.pk}/" not in page
    training.is_active = False
    training.save()
    assert client.get(f"/de/schulungen/{session.pk}/").status_code == 404


def test_a_visitor_is_sent_to_log_in_and_back_to_the_booking_step(client, session):
    page = client.get(f"/de/schulungen/{session.pk}/").content.decode()
    assert f"next=/de/schulungen/{session.pk}/buchen/" in page
    response = client.get(f"/de/schulungen/{session.pk}/buchen/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert f"/de/schulungen/{session.pk}/buchen/" in response["Location"]


def test_one_click_booking_then_waitlist_with_position(client, session):
    first, second = make_volunteer(), make_volunteer()
    client.force_login(first)
    response = client.post(f"/de/schulungen/{session.pk}/buchen/")
    assert response.status_code == 302
    assert Registration.objects.get(user=first).status == RegistrationStatus.BOOKED

    client.force_login(second)
    client.post(f"/de/schulungen/{session.pk}/buchen/")
    page = client.get(f"/de/schulungen/{session.pk}/").content.decode()
    assert "Warteliste (Platz 1)" in page


def test_cancelling_someone_elses_booking_answers_404(client, session):
    owner, other = make_volunteer(), make_volunteer()
    registration = training_book(session=session, user=owner)
    client.force_login(other)
    assert client.post(f"/de/mein-bereich/schulungen/{registration.pk}/absagen/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.BOOKED
    client.force_login(owner)
    client.post(f"/de/mein-bereich/schulungen/{registration.pk}/absagen/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


# --- iCal ---------------------------------------------------------------------------------------------
def _events(body: bytes):
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_session_ical_carries_berlin_times_across_the_dst_change(client, training):
    # Booked in winter; the second appointment falls after the change to summer time (29 March 2026).
    with clock.frozen(datetime(2026, 3, 1, 12, 0, tzinfo=UTC)):
        session = make_session(training, starts_in=timedelta(days=25, hours=5), appointments=2)
        response = client.get(f"/de/schulungen/{session.pk}/kalender.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = sorted(_events(response.content), key=lambda event: event.decoded("dtstart"))
    winter, summer = (event.decoded("dtstart") for event in events)
    assert str(winter.tzinfo) == "Europe/Berlin" and str(summer.tzinfo) == "Europe/Berlin"
    # 26 March 2026, 17:00 UTC = 18:00 CET; one week later 2 April, 17:00 UTC = 19:00 CEST.
    assert (winter.date().isoformat(), winter.hour, winter.utcoffset()) == (
        "2026-03-26",
        18,
        timedelta(hours=1),
    )
    assert (summer.date().isoformat(), summer.hour, summer.utcoffset()) == (
        "2026-04-02",
        19,
        timedelta(hours=2),
    )
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:Europe/Berlin" in response.content


def test_the_private_feed_lists_booked_sessions_and_a_wrong_or_rotated_token_is_404(
    client, training, session
):
    person = make_volunteer()
    waiting_for = make_session(training, town="Gütersloh", capacity=1)
    training_book(session=waiting_for, user=make_volunteer())
    training_book(session=session, user=person)
    training_book(session=waiting_for, user=person)  # waitlist: not in the feed
    client.force_login(person)
    client.post("/de/mein-bereich/schulungen/kalender-link/")
    token = TrainingCalendarToken.objects.get(user=person).token
    client.logout()

    response = client.get(f"/de/schulungen/kalender/{token}.ics")
    assert response.status_code == 200
    events = _events(response.content)
    assert len(events) == session.appointments.count()
    for event in events:
        assert str(event.decoded("dtstart").tzinfo) == "Europe/Berlin"
        assert f"/de/schulungen/{session.pk}/" in str(event.get("url"))

    assert client.get("/de/schulungen/kalender/falsch.ics").status_code == 404
    assert client.get(f"/de/schulungen/kalender/{token[:-1]}x.ics").status_code == 404

    client.force_login(person)
    client.post("/de/mein-bereich/schulungen/kalender-link/")
    client.logout()
    assert client.get(f"/de/schulungen/kalender/{token}.ics").status_code == 404
    new_token = TrainingCalendarToken.objects.get(user=person).token
    assert new_token != token and client.get(f"/de/schulungen/kalender/{new_token}.ics").status_code == 200


# --- Attendance: trainers and coordinators, each only their own -----------------------------------------
def test_the_trainer_marks_their_session_and_not_another(client, training):
    trainer = make_volunteer()
    own = make_session(training, trainer=trainer, appointments=1, capacity=3)
    other = make_session(training, appointments=1, capacity=3)
    person = make_volunteer()
    registration = training_book(session=own, user=person)
    client.force_login(trainer)
    assert client.get(f"/de/mein-bereich/schulungen/leitung/{other.pk}/").status_code == 404
    assert client.get(f"/de/mein-bereich/schulungen/leitung/{own.pk}/").status_code == 200
    appointment = own.appointments.get()
    with clock.frozen(appointment.ends_at):
        client.post(
            f"/de/mein-bereich/schulungen/leitung/{own.pk}/anwesenheit/",
            {"registration": registration.pk, "appointment": appointment.pk, "present": "yes"},
        )
    assert VolunteerQualification.objects.filter(user=person).exists()
    # Marking a registration of another session through this session answers 404.
    foreign = training_book(session=other, user=make_volunteer())
    response = client.post(
        f"/de/mein-bereich/schulungen/leitung/{own.pk}/anwesenheit/",
        {"registration": foreign.pk, "appointment": appointment.pk, "present": "yes"},
    )
    assert response.status_code == 404


def test_coordinators_see_the_sheets_of_their_towns_only(
    client, training, town_coordinator, town_coordinator_other_town
):
    verl = make_session(training, town="Verl", appointments=1, capacity=3)
    registration = training_book(session=verl, user=make_volunteer())
    client.force_login(town_coordinator_other_town)
    assert client.get(f"/admin/schulungen/anwesenheit/{verl.pk}/").status_code == 404
    assert client.get(f"/de/mein-bereich/schulungen/leitung/{verl.pk}/").status_code == 404
    appointment = verl.appointments.get()
    with clock.frozen(appointment.ends_at):
        response = client.post(
            f"/admin/schulungen/anwesenheit/{verl.pk}/eintragen/",
            {"registration": registration.pk, "appointment": appointment.pk, "present": "yes"},
        )
    assert response.status_code == 404
    assert not registration.attendances.exists()

    client.force_login(town_coordinator)
    page = client.get("/admin/schulungen/anwesenheit/").content.decode()
    assert f"/admin/schulungen/anwesenheit/{verl.pk}/" in page
    assert client.get(f"/admin/schulungen/anwesenheit/{verl.pk}/").status_code == 200
    with clock.frozen(appointment.ends_at):
        client.post(
            f"/admin/schulungen/anwesenheit/{verl.pk}/eintragen/",
            {"registration": registration.pk, "appointment": appointment.pk, "present": "yes"},
        )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.COMPLETED


def test_a_volunteer_cannot_open_the_admin_sheet(client, session):
    client.force_login(make_volunteer())
    assert client.get(f"/admin/schulungen/anwesenheit/{session.pk}/").status_code in (302, 403, 404)


# --- Mein Bereich --------------------------------------------------------------------------------------
def test_mein_bereich_lists_bookings_and_qualifications_with_expiry(client, session, coordinator):
    person = make_volunteer()
    registration = training_book(session=session, user=person)
    for appointment in session.appointments.all():
        with clock.frozen(appointment.ends_at):
            training_mark_attendance(
                registration=registration, appointment=appointment, present=True, actor=coordinator
            )
    client.force_login(person)
    page = client.get("/de/mein-bereich/schulungen/").content.decode()
    held = VolunteerQualification.objects.get(user=person)
    assert "Basiskurs Sprachmittlung" in page and "Gültig bis" in page
    assert str(held.expires_on.year) in page


# --- Requirements on needs and applications ---------------------------------------------------------------
def test_the_need_page_shows_the_missing_qualification_and_the_next_session(
    client, organisation, session, qualification, coordinator
):
    need = make_need(organisation, activity_type=ActivityType.objects.get(slug="sprachmittlung"))
    need.required_qualifications.add(qualification)
    person = make_volunteer()
    client.force_login(person)
    page = client.get(f"/de/einsaetze/{need.pk}/").content.decode()
    assert "Ihnen fehlt noch" in page and f"/de/schulungen/{session.pk}/" in page
    page = client.get(f"/de/einsaetze/{need.pk}/bewerben/").content.decode()
    assert "Ihnen fehlt noch" in page

    registration = training_book(session=session, user=person)
    for appointment in session.appointments.all():
        with clock.frozen(appointment.ends_at):
            training_mark_attendance(
                registration=registration, appointment=appointment, present=True, actor=coordinator
            )
    page = client.get(f"/de/einsaetze/{need.pk}/").content.decode()
    assert "Sie haben alle nötigen Qualifikationen" in page and "Ihnen fehlt noch" not in page


def test_an_activity_type_requirement_applies_to_its_needs(client, organisation, session, qualification):
    activity = ActivityType.objects.get(slug="sprachmittlung")
    activity.required_qualifications.add(qualification)
    need = make_need(organisation, activity_type=activity)
    page = client.get(f"/de/einsaetze/{need.pk}/").content.decode()
    assert "Basiskurs Sprachmittlung" in page and f"/de/schulungen/{session.pk}/" in page


def test_the_organisation_sees_what_an_applicant_is_missing(client, organisation, org_admin, qualification):
    need = make_need(organisation)
    need.required_qualifications.add(qualification)
    application = application_submit(need=need, volunteer=make_volunteer(), message="Hallo")
    client.force_login(org_admin)
    page = client.get(f"/de/organisation/{organisation.pk}/bewerbungen/{application.pk}/").content.decode()
    assert "Es fehlen noch Qualifikationen" in page and "Basiskurs Sprachmittlung" in page


def test_the_organisation_requires_a_qualification_in_the_need_editor(
    client, site_tree, organisation, org_member, qualification
):
    from tests.volunteering.test_needs_editor import form_data
    from volunteering.models import Need
    from volunteering.services.needs import need_duplicate

    client.force_login(org_member)
    page = client.get(f"/de/organisation/{organisation.pk}/bedarfe/neu/").content.decode()
    assert "Nötige Qualifikationen" in page and "Basiskurs Sprachmittlung" in page
    client.post(
        f"/de/organisation/{organisation.pk}/bedarfe/neu/",
        form_data(required_qualifications=[str(qualification.pk)]),
    )
    need = Need.objects.get()
    assert list(need.required_qualifications.all()) == [qualification]
    copy = need_duplicate(need=need, actor=org_member)
    assert list(copy.required_qualifications.all()) == [qualification]
    client.post(
        f"/de/organisation/{organisation.pk}/bedarfe/{need.pk}/bearbeiten/",
        form_data(required_qualifications=[]),
    )
    assert not need.required_qualifications.exists()


def test_the_online_link_is_shown_only_to_people_with_a_seat(client, training):
    online = make_session(
        training, town="Gütersloh", place="", online_url="https://meet.example.org/raum-7", capacity=1
    )
    client.force_login(make_volunteer())
    assert (
        "https://meet.example.org/raum-7" not in client.get(f"/de/schulungen/{online.pk}/").content.decode()
    )
    person = make_volunteer()
    training_book(session=online, user=person)
    client.force_login(person)
    assert "https://meet.example.org/raum-7" in client.get(f"/de/schulungen/{online.pk}/").content.decode()
    assert "https://meet.example.org/raum-7" in client.get("/de/mein-bereich/schulungen/").content.decode()


def test_the_public_ical_hides_the_online_room_and_the_private_feed_has_it(client, training):
    online = make_session(training, town="Gütersloh", place="", online_url="https://meet.example.org/raum-8")
    assert b"raum-8" not in client.get(f"/de/schulungen/{online.pk}/kalender.ics").content
    person = make_volunteer()
    training_book(session=online, user=person)
    token = TrainingCalendarToken.objects.create(user=person).token
    assert b"raum-8" in client.get(f"/de/schulungen/kalender/{token}.ics").content
