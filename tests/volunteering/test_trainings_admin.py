"""Coordinators run the catalogue and the sessions of their towns in the Wagtail admin."""

from datetime import timedelta

import pytest

from notifications import clock
from tests.volunteering.applications_world import make_volunteer
from tests.volunteering.trainings_world import make_qualification, make_session, make_training
from volunteering.models import Kommune, Language, SessionAppointment, Training, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(reference_data):
    return make_training(qualification=make_qualification())


def test_a_coordinator_adds_a_training_to_the_catalogue(client, town_coordinator, training):
    client.force_login(town_coordinator)
    assert client.get("/admin/snippets/volunteering/training/").status_code == 200
    response = client.post(
        "/admin/snippets/volunteering/training/add/",
        {
            "title": "Erste Hilfe am Kind",
            "slug": "erste-hilfe-kind",
            "summary": "Ein Samstag.",
            "description": "Notfälle bei Kindern.",
            "handlungsfeld": training.handlungsfeld_id,
            "target_group": "Freiwillige mit Kindern",
            "duration_hours": "8",
            "language": Language.objects.get(code="de").pk,
            "grants": "",
            "validity_months": "24",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Training.objects.filter(slug="erste-hilfe-kind").exists()


def test_sessions_of_other_towns_are_hidden_and_cannot_be_created(
    client, town_coordinator, town_coordinator_other_town, training
):
    verl = make_session(training, town="Verl")
    client.force_login(town_coordinator_other_town)
    listing = client.get("/admin/snippets/volunteering/trainingsession/").content.decode()
    assert f"/admin/snippets/volunteering/trainingsession/edit/{verl.pk}/" not in listing
    assert client.get(f"/admin/snippets/volunteering/trainingsession/edit/{verl.pk}/").status_code in (
        302,
        403,
        404,
    )

    client.post(
        "/admin/snippets/volunteering/trainingsession/add/",
        {
            "training": training.pk,
            "kommune": Kommune.objects.get(name="Verl").pk,
            "place": "Rathaus",
            "capacity": "10",
            "language": Language.objects.get(code="de").pk,
            "status": "scheduled",
        },
    )
    assert TrainingSession.objects.count() == 1  # Verl is not among this coordinator's towns

    client.force_login(town_coordinator)
    listing = client.get("/admin/snippets/volunteering/trainingsession/").content.decode()
    assert f"/admin/snippets/volunteering/trainingsession/edit/{verl.pk}/" in listing
    start = (clock.now() + timedelta(days=20)).astimezone(clock.zone())
    response = client.post(
        "/admin/snippets/volunteering/sessionappointment/add/",
        {
            "session": verl.pk,
            "starts_at": start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "required": "on",
            "topic": "Nachtermin",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SessionAppointment.objects.filter(session=verl, topic="Nachtermin").exists()


def test_volunteers_do_not_reach_the_catalogue(client, training):
    client.force_login(make_volunteer())
    response = client.get("/admin/snippets/volunteering/training/")
    assert response.status_code in (302, 403)


def test_more_seats_in_the_admin_promote_the_waitlist(client, town_coordinator, training):
    from volunteering.models import Registration, RegistrationStatus
    from volunteering.services.trainings import training_book

    session = make_session(training, town="Verl", capacity=1, trainer_name="DRK")
    training_book(session=session, user=make_volunteer())
    waiting = training_book(session=session, user=make_volunteer())
    client.force_login(town_coordinator)
    response = client.post(
        f"/admin/snippets/volunteering/trainingsession/edit/{session.pk}/",
        {
            "training": training.pk,
            "kommune": session.kommune_id,
            "place": session.place,
            "capacity": "2",
            "trainer_name": "DRK",
            "language": session.language_id,
            "status": "scheduled",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.BOOKED


def test_the_trainer_is_named_by_email_and_unknown_addresses_are_refused(client, town_coordinator, training):
    session = make_session(training, town="Verl", capacity=3)
    trainer = make_volunteer("referentin@example.org")
    client.force_login(town_coordinator)
    page = client.get(f"/admin/snippets/volunteering/trainingsession/edit/{session.pk}/").content.decode()
    assert "referentin@example.org" not in page  # no list of accounts
    data = {
        "training": training.pk,
        "kommune": session.kommune_id,
        "place": session.place,
        "capacity": "3",
        "trainer_name": "",
        "language": session.language_id,
        "status": "scheduled",
    }
    response = client.post(
        f"/admin/snippets/volunteering/trainingsession/edit/{session.pk}/",
        {**data, "trainer_email": "niemand@example.org"},
    )
    assert response.status_code == 200 and "kein Konto" in response.content.decode()
    session.refresh_from_db()
    assert session.trainer is None
    client.post(
        f"/admin/snippets/volunteering/trainingsession/edit/{session.pk}/",
        {**data, "trainer_email": "Referentin@example.org"},
    )
    session.refresh_from_db()
    assert session.trainer == trainer
