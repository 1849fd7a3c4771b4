"""The training messages render with current data (German and Arabic), and a message about a booking that
was cancelled meanwhile is dropped."""

from datetime import timedelta

import pytest

from notifications import clock
from notifications.models import Notification
from notifications.registry import Gone
from notifications.rendering import render
from tests.volunteering.applications_world import make_volunteer
from tests.volunteering.trainings_world import make_qualification, make_session, make_training
from volunteering.services.trainings import training_book, training_cancel, training_mark_attendance

pytestmark = pytest.mark.django_db


def _message(kind: str, user) -> Notification:
    return Notification.objects.filter(kind=kind, recipient=user, channel="email").latest("pk")


def test_every_training_message_renders(reference_data, coordinator):
    training = make_training(qualification=make_qualification(), validity_months=12)
    session = make_session(training, capacity=1, appointments=2)
    make_session(training, town="Gütersloh", starts_in=timedelta(days=60))  # a refresher to point to
    first, second = make_volunteer(first_name="Mira"), make_volunteer()
    seat = training_book(session=session, user=first)
    training_book(session=session, user=second)
    training_cancel(registration=seat, actor=first)
    promoted = session.registrations.get(user=second)
    # While the seat is booked: promotion and reminder (the waitlist notice is checked on another session).
    before = {
        "training.promoted": "Schulungsplatz ist frei geworden",
        "training.reminder": "Erinnerung",
    }
    for kind, subject in before.items():
        message = render(_message(kind, second), language="de")
        assert subject in message.subject and "Basiskurs" in message.body and message.html
        assert render(_message(kind, second), language="ar").body
    for appointment in session.appointments.all():
        with clock.frozen(appointment.ends_at):
            training_mark_attendance(
                registration=promoted, appointment=appointment, present=True, actor=coordinator
            )

    third = make_volunteer()
    later = make_session(training, capacity=1, starts_in=timedelta(days=30))
    training_book(session=later, user=make_volunteer())
    training_book(session=later, user=third)
    expected = {
        ("training.waitlisted", third): "Warteliste",
        ("training.completed", second): "abgeschlossen",
        ("training.qualification_granted", second): "Neue Qualifikation",
        ("training.qualification_expiring", second): "läuft bald ab",
    }
    for (kind, user), subject in expected.items():
        message = render(_message(kind, user), language="de")
        assert subject in message.subject, (kind, message.subject)
        assert "Basiskurs" in message.body and message.html
        assert render(_message(kind, user), language="ar").body
    expiring = render(_message("training.qualification_expiring", second), language="de")
    assert "/de/schulungen/" in expiring.body  # the next session that refreshes it

    with pytest.raises(Gone):  # the first person's seat was cancelled: their reminder is dropped
        render(_message("training.booked", first), language="de")
