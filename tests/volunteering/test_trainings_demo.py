"""The demo trainings: the catalogue of the issue, sessions in several towns, one full with a waitlist;
seeding twice changes nothing."""

import pytest

from volunteering.demo_trainings import seed_trainings
from volunteering.demo_volunteers import seed_volunteers
from volunteering.models import ActivityType, Registration, Training, TrainingSession
from volunteering.selectors.trainings import session_state, upcoming_sessions

pytestmark = pytest.mark.django_db


def test_demo_trainings_are_complete_and_idempotent(reference_data):
    seed_volunteers()
    seed_trainings()
    counts = (Training.objects.count(), TrainingSession.objects.count(), Registration.objects.count())
    seed_trainings()
    assert (Training.objects.count(), TrainingSession.objects.count(), Registration.objects.count()) == counts

    titles = set(Training.objects.values_list("title", flat=True))
    assert {
        "Basiskurs Sprachmittlung",
        "Interkulturelle Kompetenz",
        "Asyl- und Aufenthaltsrecht Grundlagen",
        "Kinderschutz im Ehrenamt",
        "Erste Hilfe",
        "Grenzen im Ehrenamt / Selbstfürsorge",
    } <= titles
    basic = TrainingSession.objects.filter(training__slug="basiskurs-sprachmittlung").first()
    assert (
        basic.appointments.count() == 8
        and Training.objects.get(slug="basiskurs-sprachmittlung").duration_hours == 40
    )

    sessions = list(upcoming_sessions())
    assert len({session.kommune_id for session in sessions}) >= 5
    assert any(session.is_online for session in sessions)
    full = [s for s in sessions if session_state(session=s, user=None).is_full]
    assert full and session_state(session=full[0], user=None).waiting >= 1

    assert (
        ActivityType.objects.get(slug="sprachmittlung")
        .required_qualifications.filter(slug="basiskurs-sprachmittlung")
        .exists()
    )
