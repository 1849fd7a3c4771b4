"""Trainings: booking, the waitlist with promotion, cancelling, attendance → qualification, expiry notice."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications import clock
from notifications.models import Notification
from tests.volunteering.applications_world import make_volunteer
from tests.volunteering.trainings_world import make_qualification, make_session, make_training
from volunteering.models import RegistrationStatus, VolunteerQualification
from volunteering.services.trainings import (
    add_months,
    training_book,
    training_cancel,
    training_mark_attendance,
)

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, channel="email").values_list("kind", flat=True))


@pytest.fixture
def session(reference_data):
    return make_session(make_training(qualification=make_qualification(), validity_months=24), capacity=1)


def test_booking_takes_a_seat_then_the_waitlist(session):
    first, second, third = make_volunteer(), make_volunteer(), make_volunteer()
    assert training_book(session=session, user=first).status == RegistrationStatus.BOOKED
    assert training_book(session=session, user=second).status == RegistrationStatus.WAITLISTED
    assert training_book(session=session, user=third).status == RegistrationStatus.WAITLISTED
    assert "training.booked" in _kinds(first)
    assert "training.waitlisted" in _kinds(second)
    # The reminder two days before the first appointment is scheduled for the seat only.
    reminder = Notification.objects.get(recipient=first, kind="training.reminder", channel="email")
    first_start = session.appointments.order_by("starts_at").first().starts_at
    assert reminder.due_at == first_start - timedelta(days=2)
    assert not Notification.objects.filter(recipient=second, kind="training.reminder").exists()


def test_booking_twice_is_refused_and_changes_nothing(session):
    person = make_volunteer()
    training_book(session=session, user=person)
    with pytest.raises(ValidationError):
        training_book(session=session, user=person)
    assert session.registrations.count() == 1


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist_and_notifies(session):
    first, second, third = make_volunteer(), make_volunteer(), make_volunteer()
    seat = training_book(session=session, user=first)
    waiting = training_book(session=session, user=second)
    training_book(session=session, user=third)

    training_cancel(registration=seat, actor=first)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.BOOKED and waiting.promoted_at is not None
    assert "training.promoted" in _kinds(second)
    assert Notification.objects.filter(recipient=second, kind="training.reminder", status="pending").exists()
    # The cancelled seat's reminder is cancelled; the third person still waits.
    assert not Notification.objects.filter(
        recipient=first, kind="training.reminder", status="pending"
    ).exists()
    assert session.registrations.get(user=third).status == RegistrationStatus.WAITLISTED


def test_cancelling_a_waitlist_place_promotes_nobody(session):
    first, second = make_volunteer(), make_volunteer()
    training_book(session=session, user=first)
    waiting = training_book(session=session, user=second)
    training_cancel(registration=waiting, actor=second)
    assert session.registrations.get(user=first).status == RegistrationStatus.BOOKED


def test_only_the_person_cancels_their_booking(session):
    seat = training_book(session=session, user=make_volunteer())
    with pytest.raises(PermissionDenied):
        training_cancel(registration=seat, actor=make_volunteer())


def test_a_started_session_cannot_be_booked(reference_data):
    session = make_session(make_training(), starts_in=timedelta(hours=-1))
    with pytest.raises(ValidationError):
        training_book(session=session, user=make_volunteer())


def _attend_all(registration, actor):
    for appointment in registration.session.appointments.all():
        training_mark_attendance(
            registration=registration, appointment=appointment, present=True, actor=actor
        )


def test_attending_every_required_appointment_grants_the_qualification_with_validity(
    reference_data, coordinator
):
    qualification = make_qualification()
    session = make_session(make_training(qualification=qualification, validity_months=24), capacity=3)
    person = make_volunteer()
    registration = training_book(session=session, user=person)
    first, second = session.appointments.order_by("starts_at")
    end = second.ends_at + timedelta(hours=1)

    with clock.frozen(first.ends_at):
        training_mark_attendance(
            registration=registration, appointment=first, present=True, actor=coordinator
        )
        assert not VolunteerQualification.objects.filter(user=person).exists()
        with pytest.raises(ValidationError):  # the second appointment has not begun
            training_mark_attendance(
                registration=registration, appointment=second, present=True, actor=coordinator
            )

    with clock.frozen(end):
        training_mark_attendance(
            registration=registration, appointment=second, present=True, actor=coordinator
        )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.COMPLETED
    held = VolunteerQualification.objects.get(user=person)
    granted_on = second.ends_at.astimezone(clock.zone()).date()
    assert held.qualification == qualification
    assert held.granted_on == granted_on
    assert held.expires_on == add_months(granted_on, 24)
    assert {"training.completed", "training.qualification_granted"} <= set(_kinds(person))


def test_a_missed_appointment_grants_nothing(reference_data, coordinator):
    session = make_session(make_training(qualification=make_qualification()), capacity=3)
    person = make_volunteer()
    registration = training_book(session=session, user=person)
    first, second = session.appointments.order_by("starts_at")
    with clock.frozen(second.ends_at):
        training_mark_attendance(
            registration=registration, appointment=first, present=True, actor=coordinator
        )
        training_mark_attendance(
            registration=registration, appointment=second, present=False, actor=coordinator
        )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.BOOKED
    assert not VolunteerQualification.objects.filter(user=person).exists()


def test_expiry_notice_is_scheduled_30_days_before_at_nine_local(reference_data, coordinator):
    # Frozen clock: the session ends on 13 March 2026 (CET); 24 months' validity → 13 March 2028;
    # the notice is due on 12 February 2028, 09:00 in Berlin (08:00 UTC, winter time).
    training = make_training(qualification=make_qualification(), validity_months=24)
    booked_at = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
    with clock.frozen(booked_at):
        session = make_session(training, starts_in=timedelta(days=21, hours=5), appointments=1, capacity=3)
        person = make_volunteer()
        registration = training_book(session=session, user=person)
    appointment = session.appointments.get()
    assert appointment.starts_at.astimezone(clock.zone()).date() == date(2026, 3, 13)
    with clock.frozen(datetime(2026, 3, 14, 9, 0, tzinfo=UTC)):
        training_mark_attendance(
            registration=registration, appointment=appointment, present=True, actor=coordinator
        )
    held = VolunteerQualification.objects.get(user=person)
    assert held.expires_on == date(2028, 3, 13)
    notice = Notification.objects.get(
        recipient=person, kind="training.qualification_expiring", channel="email"
    )
    assert notice.due_at == datetime(2028, 2, 12, 8, 0, tzinfo=UTC)
    assert notice.status == "pending"


def test_a_qualification_without_validity_schedules_no_notice(reference_data, coordinator):
    session = make_session(make_training(qualification=make_qualification()), appointments=1, capacity=3)
    person = make_volunteer()
    registration = training_book(session=session, user=person)
    appointment = session.appointments.get()
    with clock.frozen(appointment.ends_at):
        training_mark_attendance(
            registration=registration, appointment=appointment, present=True, actor=coordinator
        )
    assert VolunteerQualification.objects.get(user=person).expires_on is None
    assert not Notification.objects.filter(recipient=person, kind="training.qualification_expiring").exists()


def test_trainer_of_another_session_and_coordinator_of_another_town_cannot_mark(
    reference_data, town_coordinator_other_town, town_coordinator
):
    training = make_training()
    session = make_session(training, town="Verl", appointments=1)
    trainer = make_volunteer()
    other = make_session(training, town="Verl", appointments=1, trainer=trainer)
    registration = training_book(session=session, user=make_volunteer())
    appointment = session.appointments.get()
    with clock.frozen(appointment.ends_at):
        for actor in (trainer, town_coordinator_other_town):
            with pytest.raises(PermissionDenied):
                training_mark_attendance(
                    registration=registration, appointment=appointment, present=True, actor=actor
                )
        # Its own trainer and the town's coordinator may.
        training_mark_attendance(
            registration=registration, appointment=appointment, present=False, actor=town_coordinator
        )
    assert other.trainer == trainer


def test_attendance_is_credited_as_hours_and_withdrawn_when_corrected(reference_data, coordinator):
    from volunteering.models import HoursEntry

    session = make_session(make_training(qualification=make_qualification()), appointments=1, capacity=3)
    person = make_volunteer()
    registration = training_book(session=session, user=person)
    appointment = session.appointments.get()
    with clock.frozen(appointment.ends_at):
        training_mark_attendance(
            registration=registration, appointment=appointment, present=True, actor=coordinator
        )
        entry = HoursEntry.objects.get(volunteer=person, source="training")
        assert entry.minutes == 180
        training_mark_attendance(
            registration=registration, appointment=appointment, present=False, actor=coordinator
        )
    assert not HoursEntry.objects.filter(volunteer=person, source="training").exists()


def test_a_correction_to_absent_takes_the_qualification_back(reference_data, coordinator):
    session = make_session(make_training(qualification=make_qualification(), validity_months=12), capacity=3)
    person = make_volunteer()
    registration = training_book(session=session, user=person)
    first, second = session.appointments.order_by("starts_at")
    with clock.frozen(second.ends_at):
        _attend_all(registration, coordinator)
        assert VolunteerQualification.objects.filter(user=person).exists()
        training_mark_attendance(
            registration=registration, appointment=first, present=False, actor=coordinator
        )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.BOOKED
    assert not VolunteerQualification.objects.filter(user=person).exists()
    assert not Notification.objects.filter(
        recipient=person, kind="training.qualification_expiring", status="pending"
    ).exists()
    with clock.frozen(second.ends_at):
        training_mark_attendance(
            registration=registration, appointment=first, present=True, actor=coordinator
        )
    assert VolunteerQualification.objects.filter(user=person).count() == 1
