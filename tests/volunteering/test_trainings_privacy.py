"""Export and erasure of a person's trainings: bookings, attendance, qualifications, calendar link; the
sessions they trained stay without them."""

import json

import pytest

from notifications import clock
from tests.volunteering.applications_world import make_volunteer
from tests.volunteering.trainings_world import make_qualification, make_session, make_training
from volunteering.models import (
    Attendance,
    Registration,
    TrainingCalendarToken,
    TrainingSession,
    VolunteerQualification,
)
from volunteering.privacy import person_erase, person_export
from volunteering.services.trainings import training_book, training_feed_token, training_mark_attendance

pytestmark = pytest.mark.django_db


def test_export_and_erasure_of_trainings(reference_data, coordinator):
    person, trainer = make_volunteer(), make_volunteer()
    session = make_session(make_training(qualification=make_qualification()), appointments=1, trainer=trainer)
    registration = training_book(session=session, user=person)
    appointment = session.appointments.get()
    with clock.frozen(appointment.ends_at):
        training_mark_attendance(
            registration=registration, appointment=appointment, present=True, actor=coordinator
        )
    token = training_feed_token(user=person).token

    data = person_export(person)
    text = json.dumps(data, default=str)
    assert data["volunteering.Registration"][0]["status"] == "completed"
    assert data["volunteering.Attendance"][0]["present"] is True
    assert data["volunteering.VolunteerQualification"][0]["qualification"] == "Basiskurs Sprachmittlung"
    assert token not in text and coordinator.email not in text
    assert "volunteering.TrainingSession" in person_export(trainer)

    person_erase(person)
    assert not Registration.objects.exists() and not Attendance.objects.exists()
    assert not VolunteerQualification.objects.exists() and not TrainingCalendarToken.objects.exists()

    person_erase(trainer)
    session = TrainingSession.objects.get(pk=session.pk)
    assert session.trainer is None
