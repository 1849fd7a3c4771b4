"""Training sessions: booking, the waitlist with automatic promotion, cancellation, attendance, and the
qualification granted when a person attended every required appointment.

Seats: every booking and cancellation locks the session row (`select_for_update`), so concurrent bookings of
the last seat are serialised and exactly one of them gets it; the others land on the waitlist.

Messages go through the outbox in the same transaction: a confirmation (or the waitlist notice), a reminder
two days before the first appointment (cancelled with the booking), and for a granted qualification that
expires, a notice 30 days before it does.
"""

from __future__ import annotations

import calendar
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notifications import clock
from notifications.services import cancel, notify, schedule
from volunteering.models import (
    Attendance,
    Registration,
    RegistrationStatus,
    SessionAppointment,
    TrainingCalendarToken,
    TrainingSession,
    TrainingSessionStatus,
    User,
    VolunteerQualification,
)
from volunteering.models.trainings import new_feed_token
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator
from volunteering.selectors.trainings import live_registration, seated_count, waitlist

REMINDER_BEFORE = timedelta(days=2)
EXPIRY_NOTICE_BEFORE = timedelta(days=30)
EXPIRY_NOTICE_AT = time(9, 0)  # local time


def _lock(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _first_start(session: TrainingSession):
    first = SessionAppointment.objects.filter(session_id=session.pk).order_by("starts_at").first()
    return first.starts_at if first else None


def _reminder_key(registration: Registration) -> str:
    return f"training.reminder:{registration.pk}"


def _expiry_key(held: VolunteerQualification) -> str:
    return f"training.qualification_expiring:{held.pk}"


def _schedule_reminder(registration: Registration, session: TrainingSession) -> None:
    starts_at = _first_start(session)
    if starts_at is None:
        return
    due = starts_at - REMINDER_BEFORE
    if due > clock.now():
        schedule(
            kind="training.reminder",
            recipient=registration.user,
            due=due,
            refs={"training_registration": registration.pk},
            key=_reminder_key(registration),
        )


def training_book(*, session: TrainingSession, user: User) -> Registration:
    """Returns the person's registration for `session`: a seat, or a place on the waitlist.

    Raises ValidationError when the session is not bookable or the person is registered already.
    """
    with transaction.atomic():
        session = _lock(session)
        if session.status != TrainingSessionStatus.SCHEDULED or not session.training.is_active:
            raise ValidationError(_("Dieser Schulungstermin kann nicht gebucht werden."))
        starts_at = _first_start(session)
        if starts_at is None or starts_at <= clock.now():
            raise ValidationError(_("Diese Schulung hat schon begonnen."))
        if live_registration(session=session, user=user) is not None:
            raise ValidationError(_("Sie haben diesen Schulungstermin schon gebucht."))
        full = seated_count(session) >= session.capacity
        registration = Registration(
            session=session,
            user=user,
            status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.BOOKED,
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise ValidationError(_("Sie haben diesen Schulungstermin schon gebucht.")) from None
        refs = {"training_registration": registration.pk}
        if full:
            notify(kind="training.waitlisted", recipient=user, refs=refs)
        else:
            notify(kind="training.booked", recipient=user, refs=refs)
            _schedule_reminder(registration, session)
    return registration


def training_cancel(*, registration: Registration, actor: User) -> Registration:
    """Returns the cancelled registration; a freed seat goes to the first on the waitlist (notified)."""
    if registration.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        session = _lock(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_open:
            raise ValidationError(_("Diese Anmeldung ist schon abgesagt oder abgeschlossen."))
        starts_at = _first_start(session)
        if (
            starts_at is not None
            and starts_at <= clock.now()
            and registration.status == RegistrationStatus.BOOKED
        ):
            raise ValidationError(
                _("Die Schulung hat schon begonnen. Bitte sagen Sie der Koordination direkt Bescheid.")
            )
        had_seat = registration.status == RegistrationStatus.BOOKED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = clock.now()
        registration.save(update_fields=["status", "cancelled_at"])
        cancel(key=_reminder_key(registration))
        if had_seat:
            _promote(session)
    return registration


def _promote(session: TrainingSession) -> Registration | None:
    """Gives free seats to the waitlist in order (only before the session starts); returns the last one."""
    starts_at = _first_start(session)
    if starts_at is None or starts_at <= clock.now():
        return None
    promoted = None
    while seated_count(session) < session.capacity:
        first = waitlist(session).select_for_update().first()
        if first is None:
            break
        first.status = RegistrationStatus.BOOKED
        first.promoted_at = clock.now()
        first.save(update_fields=["status", "promoted_at"])
        notify(kind="training.promoted", recipient=first.user, refs={"training_registration": first.pk})
        _schedule_reminder(first, session)
        promoted = first
    return promoted


def training_session_seats_changed(*, session: TrainingSession) -> TrainingSession:
    """After a coordinator edited a session (in the admin): free seats go to the waitlist (notified)."""
    with transaction.atomic():
        session = _lock(session)
        if session.status == TrainingSessionStatus.SCHEDULED:
            _promote(session)
    return session


# --- Attendance -----------------------------------------------------------------------------------------
def can_run_session(session: TrainingSession, user: User) -> bool:
    """The session's trainer, and coordinators of the session's town, may mark attendance."""
    if not user.is_authenticated:
        return False
    if session.trainer_id == user.pk:
        return True
    return is_coordinator(user) and coordinator_kommunen(user).filter(pk=session.kommune_id).exists()


def _require_staff(session: TrainingSession, user: User, *, coordinators_only: bool = False) -> None:
    allowed = (
        is_coordinator(user) and coordinator_kommunen(user).filter(pk=session.kommune_id).exists()
        if coordinators_only
        else can_run_session(session, user)
    )
    if not allowed:
        raise PermissionDenied


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def training_mark_attendance(
    *, registration: Registration, appointment: SessionAppointment, present: bool, actor: User
) -> Attendance:
    """Records whether the person attended one appointment. When every required appointment is attended,
    the registration is completed and the training's qualification granted (with its validity)."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("session__training")
            .get(pk=registration.pk)
        )
        session = registration.session
        _require_staff(session, actor)
        if appointment.session_id != session.pk:
            raise PermissionDenied
        if registration.status not in (RegistrationStatus.BOOKED, RegistrationStatus.COMPLETED):
            raise ValidationError(_("Diese Person hat keinen Platz in dieser Schulung."))
        if appointment.starts_at > clock.now():
            raise ValidationError(_("Die Anwesenheit kann erst ab Beginn des Termins eingetragen werden."))
        attendance, _created = Attendance.objects.update_or_create(
            registration=registration,
            appointment=appointment,
            defaults={"present": present, "marked_by": actor, "marked_at": clock.now()},
        )
        _complete_if_attended(registration, actor)
        _credit(attendance)
    return attendance


def _credit(attendance: Attendance) -> None:
    """Hands the attendance to recognition: the appointment's hours, credited once per attendance row (and
    withdrawn when it is corrected to "not there")."""
    try:
        from volunteering.services import recognition
    except ImportError:  # recognition not installed in this deployment
        return
    user = attendance.registration.user
    if not attendance.present:
        recognition.credit_attendance_withdraw(user, source="training", source_id=attendance.pk)
        return
    appointment = attendance.appointment
    recognition.credit_attendance(
        user,
        source="training",
        source_id=attendance.pk,
        on_date=appointment.starts_at.astimezone(clock.zone()).date(),
        hours=Decimal((appointment.ends_at - appointment.starts_at).total_seconds()) / Decimal(3600),
    )


def _complete_if_attended(registration: Registration, actor: User) -> VolunteerQualification | None:
    session = registration.session
    required = set(
        SessionAppointment.objects.filter(session_id=session.pk, required=True).values_list("pk", flat=True)
    )
    attended = set(
        Attendance.objects.filter(registration=registration, present=True).values_list(
            "appointment_id", flat=True
        )
    )
    if not required or not required <= attended:
        if registration.status == RegistrationStatus.COMPLETED:
            _reopen(registration)  # a correction: a required appointment was missed after all
        return None
    if registration.status == RegistrationStatus.COMPLETED:
        return None
    registration.status = RegistrationStatus.COMPLETED
    registration.completed_at = clock.now()
    registration.save(update_fields=["status", "completed_at"])
    notify(
        kind="training.completed",
        recipient=registration.user,
        refs={"training_registration": registration.pk},
    )
    training = session.training
    if training.grants_id is None:
        return None
    last_day = SessionAppointment.objects.filter(session_id=session.pk).order_by("-ends_at").first().ends_at
    granted_on = min(last_day, clock.now()).astimezone(clock.zone()).date()
    return qualification_grant(
        user=registration.user,
        qualification=training.grants,
        granted_on=granted_on,
        validity_months=training.validity_months,
        registration=registration,
        actor=actor,
    )


def _reopen(registration: Registration) -> None:
    """Takes back the completion and the qualification it granted (and its expiry notice)."""
    registration.status = RegistrationStatus.BOOKED
    registration.completed_at = None
    registration.save(update_fields=["status", "completed_at"])
    for held in VolunteerQualification.objects.filter(registration=registration):
        cancel(key=_expiry_key(held))
        held.delete()


def qualification_grant(
    *, user: User, qualification, granted_on: date, validity_months: int | None, registration=None, actor=None
) -> VolunteerQualification:
    """Records a held qualification and schedules the notice 30 days before it expires."""
    expires_on = add_months(granted_on, validity_months) if validity_months else None
    # A renewal replaces the notice of the earlier holding.
    for earlier in VolunteerQualification.objects.filter(user=user, qualification=qualification):
        cancel(key=_expiry_key(earlier))
    held = VolunteerQualification.objects.create(
        user=user,
        qualification=qualification,
        registration=registration,
        granted_on=granted_on,
        expires_on=expires_on,
        granted_by=actor,
    )
    notify(kind="training.qualification_granted", recipient=user, refs={"volunteer_qualification": held.pk})
    if expires_on is not None:
        due = clock.local_datetime(expires_on - EXPIRY_NOTICE_BEFORE, EXPIRY_NOTICE_AT)
        schedule(
            kind="training.qualification_expiring",
            recipient=user,
            due=max(due, clock.now()),
            refs={"volunteer_qualification": held.pk},
            key=_expiry_key(held),
        )
    return held


# --- The private calendar feed ------------------------------------------------------------------------
def training_feed_token(*, user: User, rotate: bool = False) -> TrainingCalendarToken:
    """Returns the person's feed token, creating it on first use; `rotate` replaces it (old links die)."""
    with transaction.atomic():
        token, created = TrainingCalendarToken.objects.select_for_update().get_or_create(user=user)
        if rotate and not created:
            token.token = new_feed_token()
            token.save(update_fields=["token", "created_at"])
    return token
