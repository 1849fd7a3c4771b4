"""Reads about trainings: the public catalogue and sessions, a person's bookings and qualifications, what a
person is missing for a need, and the session lists of trainers and coordinators (scoped; 404 elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet

from notifications import clock
from volunteering.models import (
    Attendance,
    Need,
    Qualification,
    Registration,
    RegistrationStatus,
    SessionAppointment,
    Training,
    TrainingCalendarToken,
    TrainingSession,
    TrainingSessionStatus,
    User,
    VolunteerQualification,
)
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator

SEATED = (RegistrationStatus.BOOKED, RegistrationStatus.COMPLETED)


def _with_dates(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return sessions.annotate(
        first_start=Min("appointments__starts_at"),
        last_end=Max("appointments__ends_at"),
        appointment_count=Count("appointments", distinct=True),
    )


def upcoming_sessions(
    *,
    kommune: str | None = None,
    handlungsfeld: str | None = None,
    language: str | None = None,
    from_date: date | None = None,
    online: bool | None = None,
    training: Training | None = None,
) -> QuerySet[TrainingSession]:
    """Returns the scheduled sessions of active trainings whose first appointment is still ahead."""
    sessions = _with_dates(
        TrainingSession.objects.filter(status=TrainingSessionStatus.SCHEDULED, training__is_active=True)
    ).filter(first_start__gte=clock.now())
    if kommune:
        sessions = sessions.filter(kommune__slug=kommune)
    if handlungsfeld:
        sessions = sessions.filter(training__handlungsfeld__slug=handlungsfeld)
    if language:
        sessions = sessions.filter(language__code=language)
    if from_date:
        sessions = sessions.filter(first_start__gte=clock.local_datetime(from_date, datetime.min.time()))
    if online is True:
        sessions = sessions.exclude(online_url="").filter(place="")
    elif online is False:
        sessions = sessions.exclude(place="")
    if training is not None:
        sessions = sessions.filter(training=training)
    return sessions.select_related("training", "training__grants", "kommune", "language").order_by(
        "first_start", "pk"
    )


def public_session(pk: int) -> TrainingSession | None:
    """Returns a session of an active training (cancelled ones too, to say so), or None."""
    return (
        _with_dates(TrainingSession.objects.filter(pk=pk, training__is_active=True))
        .select_related("training", "training__grants", "training__handlungsfeld", "kommune", "language")
        .prefetch_related("appointments")
        .first()
    )


def seated_count(session: TrainingSession) -> int:
    return Registration.objects.filter(session_id=session.pk, status__in=SEATED).count()


def waitlist(session: TrainingSession) -> QuerySet[Registration]:
    """Returns the waitlist of `session`, first come first served."""
    return Registration.objects.filter(session_id=session.pk, status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )


def live_registration(*, session: TrainingSession, user: User) -> Registration | None:
    return (
        Registration.objects.filter(session_id=session.pk, user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


@dataclass(frozen=True)
class SessionState:
    capacity: int
    seated: int
    waiting: int
    registration: Registration | None
    waitlist_position: int | None
    has_started: bool

    @property
    def free(self) -> int:
        return max(self.capacity - self.seated, 0)

    @property
    def is_full(self) -> bool:
        return self.free == 0


def session_state(*, session: TrainingSession, user: User | AnonymousUser | None) -> SessionState:
    counts = Registration.objects.filter(session_id=session.pk).aggregate(
        seated=Count("pk", filter=Q(status__in=SEATED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
    registration = None
    position = None
    if user is not None and user.is_authenticated:
        registration = live_registration(session=session, user=user)
        if registration is not None and registration.status == RegistrationStatus.WAITLISTED:
            position = (
                waitlist(session)
                .filter(
                    Q(created_at__lt=registration.created_at)
                    | Q(created_at=registration.created_at, pk__lte=registration.pk)
                )
                .count()
            )
    first = session.appointments.order_by("starts_at").first()
    return SessionState(
        capacity=session.capacity,
        seated=counts["seated"],
        waiting=counts["waiting"],
        registration=registration,
        waitlist_position=position,
        has_started=first is None or first.starts_at <= clock.now(),
    )


def registrations_of(user: User) -> QuerySet[Registration]:
    """Returns the person's registrations (bookings, waitlist places, past ones), latest session first."""
    return (
        Registration.objects.filter(user=user)
        .select_related("session", "session__training", "session__kommune")
        .annotate(first_start=Min("session__appointments__starts_at"))
        .order_by("-first_start", "-pk")
    )


def registration_of_user(user: User, pk: int) -> Registration | None:
    return registrations_of(user).filter(pk=pk).first()


def qualifications_of(user: User) -> QuerySet[VolunteerQualification]:
    return VolunteerQualification.objects.filter(user=user).select_related(
        "qualification", "registration__session__training"
    )


def valid_qualification_ids(user: User, *, on: date | None = None) -> set[int]:
    """Returns the ids of the qualifications the person holds and that have not expired on `on`."""
    if not user.is_authenticated:
        return set()
    day = on or clock.now().astimezone(clock.zone()).date()
    return set(
        VolunteerQualification.objects.filter(user=user)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .values_list("qualification_id", flat=True)
    )


def required_qualifications(need: Need) -> list[Qualification]:
    """Returns what the need requires: its own qualifications and those of its activity type."""
    return list(
        Qualification.objects.filter(Q(needs=need) | Q(activity_types=need.activity_type_id))
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class MissingQualification:
    qualification: Qualification
    next_sessions: list[TrainingSession]


def missing_qualifications(
    *, need: Need, user: User | AnonymousUser | None, sessions: int = 3
) -> list[MissingQualification]:
    """Returns the required qualifications the person lacks (all of them for a visitor), each with the next
    sessions that grant it."""
    held = valid_qualification_ids(user) if user is not None and user.is_authenticated else set()
    missing = []
    for qualification in required_qualifications(need):
        if qualification.pk in held:
            continue
        upcoming = list(upcoming_sessions().filter(training__grants=qualification)[:sessions])
        missing.append(MissingQualification(qualification=qualification, next_sessions=upcoming))
    return missing


def missing_for_applicant(*, need: Need, volunteer: User) -> list[Qualification]:
    """For the organisation: the required qualifications the applicant does not hold (valid today)."""
    held = valid_qualification_ids(volunteer)
    return [qualification for qualification in required_qualifications(need) if qualification.pk not in held]


def booked_appointments(user: User) -> QuerySet[SessionAppointment]:
    """Returns the appointments of the sessions the person holds a seat in (for their private feed)."""
    return (
        SessionAppointment.objects.filter(
            session__registrations__user=user,
            session__registrations__status__in=SEATED,
            session__status=TrainingSessionStatus.SCHEDULED,
        )
        .select_related("session", "session__training", "session__kommune")
        .order_by("starts_at")
    )


def user_for_feed_token(token: str) -> User | None:
    row = TrainingCalendarToken.objects.filter(token=token).select_related("user").first()
    if row is None or not row.user.is_active:
        return None
    return row.user


def feed_token_of(user: User) -> TrainingCalendarToken | None:
    return TrainingCalendarToken.objects.filter(user=user).first()


# --- Trainers and coordinators -----------------------------------------------------------------------
def sessions_for_trainer(user: User) -> QuerySet[TrainingSession]:
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    return (
        _with_dates(TrainingSession.objects.filter(trainer=user))
        .select_related("training", "kommune")
        .order_by("-first_start", "-pk")
    )


def sessions_for_coordinator(user: User) -> QuerySet[TrainingSession]:
    if not is_coordinator(user):
        return TrainingSession.objects.none()
    return (
        _with_dates(TrainingSession.objects.filter(kommune__in=coordinator_kommunen(user)))
        .select_related("training", "kommune", "trainer")
        .order_by("-first_start", "-pk")
    )


def attendance_sheet(session: TrainingSession) -> tuple[list[SessionAppointment], list[dict]]:
    """Returns the appointments and, per seated person, their attendance per appointment."""
    appointments = list(session.appointments.order_by("starts_at", "pk"))
    registrations = (
        Registration.objects.filter(session_id=session.pk, status__in=SEATED)
        .select_related("user")
        .prefetch_related(Prefetch("attendances", queryset=Attendance.objects.all()))
        .order_by("created_at", "pk")
    )
    rows = []
    for registration in registrations:
        marks = {
            attendance.appointment_id: attendance.present for attendance in registration.attendances.all()
        }
        rows.append(
            {
                "registration": registration,
                "cells": [(appointment, marks.get(appointment.pk)) for appointment in appointments],
            }
        )
    return appointments, rows


def next_sessions_for_qualification(qualification: Qualification, limit: int = 3) -> list[TrainingSession]:
    return list(upcoming_sessions().filter(training__grants=qualification)[:limit])
