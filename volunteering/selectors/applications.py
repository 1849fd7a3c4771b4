"""Reads about applications and engagements, for volunteers, organisations and coordinators."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from volunteering.models import (
    AnswerTemplate,
    Application,
    ApplicationStatus,
    Engagement,
    Kommune,
    Need,
    Organisation,
    User,
)
from volunteering.selectors.roles import coordinator_kommunen

# Organisations choose a deadline of 1 to 14 days (Organisation.response_deadline_days).
DEADLINE_RANGE = range(1, 15)


def accepted_count(need: Need) -> int:
    """Returns how many applications for `need` are accepted (the places already taken)."""
    return need.applications.filter(status=ApplicationStatus.ACCEPTED).count()


def live_application(*, need: Need, volunteer: User) -> Application | None:
    """Returns the volunteer's application for `need` that is not withdrawn, if there is one."""
    return (
        Application.objects.filter(need=need, volunteer=volunteer)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .first()
    )


# --- The volunteer's side ----------------------------------------------------------------------------
def applications_of_volunteer(user: User) -> QuerySet[Application]:
    """Returns the person's own applications with their needs, organisations and history."""
    return (
        Application.objects.filter(volunteer=user)
        .select_related("need__organisation", "need__kommune", "engagement")
        .prefetch_related("events")
        .order_by("-created_at")
    )


def application_of_volunteer(user: User, pk: int) -> Application | None:
    """Returns the application `pk` if it is the person's own, else None."""
    if not user.is_authenticated:
        return None
    return applications_of_volunteer(user).filter(pk=pk).first()


# --- The organisation's side -------------------------------------------------------------------------
def overdue_cutoff(organisation: Organisation, *, now: datetime | None = None) -> datetime:
    """Returns the instant before which an unanswered application of `organisation` is past its deadline."""
    return (now or timezone.now()) - timedelta(days=organisation.response_deadline_days)


def inbox(
    organisation: Organisation,
    *,
    need_id: int | None = None,
    status: str | None = None,
    overdue: bool = False,
) -> QuerySet[Application]:
    """Returns the organisation's applications, newest first, filtered; a constant number of queries."""
    rows = Application.objects.filter(need__organisation=organisation).select_related(
        "need", "volunteer__volunteer_profile"
    )
    if need_id:
        rows = rows.filter(need_id=need_id)
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(
            status=ApplicationStatus.SUBMITTED,
            answered_at__isnull=True,
            created_at__lt=overdue_cutoff(organisation),
        )
    return rows.order_by("-created_at", "-pk")


def status_counts(organisation: Organisation) -> dict[str, int]:
    """Returns the number of the organisation's applications per status and overdue, in one query."""
    counts = Application.objects.filter(need__organisation=organisation).aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in ApplicationStatus.values},
        overdue=Count(
            "pk",
            filter=Q(
                status=ApplicationStatus.SUBMITTED,
                answered_at__isnull=True,
                created_at__lt=overdue_cutoff(organisation),
            ),
        ),
        total=Count("pk"),
    )
    return counts


def application_of_organisation(organisation: Organisation, pk: int) -> Application | None:
    """Returns the application `pk` if it is for one of the organisation's needs, else None."""
    return (
        Application.objects.filter(need__organisation=organisation, pk=pk)
        .select_related("need__organisation", "need__kommune", "volunteer__volunteer_profile")
        .prefetch_related("events")
        .first()
    )


def needs_with_applications(organisation: Organisation) -> QuerySet[Need]:
    """Returns the organisation's needs that have applications (for the inbox filter)."""
    return (
        Need.objects.filter(organisation=organisation, applications__isnull=False)
        .distinct()
        .order_by("title")
    )


def engagements_of_organisation(organisation: Organisation) -> QuerySet[Engagement]:
    return Engagement.objects.filter(organisation=organisation).select_related(
        "need", "volunteer__volunteer_profile"
    )


def answer_templates_of(organisation: Organisation) -> QuerySet[AnswerTemplate]:
    return AnswerTemplate.objects.filter(organisation=organisation)


def export_rows(organisation: Organisation) -> QuerySet[Application]:
    """Returns the applications for the organisation's CSV export."""
    return (
        Application.objects.filter(need__organisation=organisation)
        .select_related("need", "volunteer__volunteer_profile", "engagement")
        .order_by("created_at", "pk")
    )


# --- Coordinators ------------------------------------------------------------------------------------
def coordinators_for_kommune(kommune: Kommune) -> QuerySet[User]:
    """Returns the coordinators responsible for `kommune`: its own, or else those of the whole district."""
    own = User.objects.filter(coordinator_role__kommunen=kommune, is_active=True)
    if own.exists():
        return own.distinct()
    return User.objects.filter(coordinator_role__whole_district=True, is_active=True)


def _escalated(now: datetime) -> Q:
    # The deadline is per organisation; one clause per possible value keeps this portable (SQLite too).
    clause = Q()
    for days in DEADLINE_RANGE:
        clause |= Q(
            need__organisation__response_deadline_days=days,
            created_at__lt=now - timedelta(days=2 * days),
        )
    return clause


def escalated_for_coordinator(user: User) -> QuerySet[Application]:
    """Returns unanswered applications past twice their deadline in the coordinator's towns."""
    return (
        Application.objects.filter(
            _escalated(timezone.now()),
            status=ApplicationStatus.SUBMITTED,
            answered_at__isnull=True,
            need__kommune__in=coordinator_kommunen(user),
        )
        .select_related("need__organisation", "need__kommune")
        .order_by("created_at", "pk")
    )
