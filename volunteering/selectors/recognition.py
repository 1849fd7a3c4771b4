"""Reads for recognition: hours totals, the organisation's waiting entries, the Ehrenamtskarte facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, QuerySet, Sum
from django.db.models.functions import ExtractYear

from notifications import clock
from volunteering import ehrenamtskarte
from volunteering.models import (
    Engagement,
    EngagementCertificate,
    HoursEntry,
    HoursStatus,
    Milestone,
    Organisation,
    RecognitionSettings,
    StoryNomination,
    ThankYou,
    User,
    VolunteerProfile,
)
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator


def today() -> date:
    return clock.now().astimezone(clock.zone()).date()


def coordinates_volunteer(user: User, volunteer: User) -> bool:
    """True if `user` coordinates the town the volunteer lives in (or the whole district)."""
    if not is_coordinator(user):
        return False
    if user.coordinator_role.whole_district:
        return True
    profile = VolunteerProfile.objects.filter(user=volunteer).only("kommune_id").first()
    return profile is not None and coordinator_kommunen(user).filter(pk=profile.kommune_id).exists()


# --- The volunteer's side ---------------------------------------------------------------------------
def hours_of_volunteer(volunteer: User) -> QuerySet[HoursEntry]:
    return HoursEntry.objects.filter(volunteer=volunteer).select_related(
        "organisation", "engagement__need", "decided_by"
    )


def engagements_for_logging(volunteer: User) -> QuerySet[Engagement]:
    """Returns the volunteer's engagements (hours can be logged for days within each one's period)."""
    return (
        Engagement.objects.filter(volunteer=volunteer)
        .select_related("organisation", "need")
        .order_by("-starts_on", "pk")
    )


def engagement_of_volunteer(volunteer: User, pk: int) -> Engagement | None:
    return engagements_for_logging(volunteer).filter(pk=pk).first()


@dataclass(frozen=True)
class Totals:
    by_year: list[dict]
    by_organisation: list[dict]
    by_field: list[dict]
    confirmed_minutes: int
    submitted_minutes: int


def totals_of_volunteer(volunteer: User) -> Totals:
    """Returns confirmed minutes per year, per organisation and per Handlungsfeld, and the overall sums."""
    confirmed = HoursEntry.objects.filter(volunteer=volunteer, status=HoursStatus.CONFIRMED)
    by_year = list(
        confirmed.annotate(year=ExtractYear("worked_on"))
        .values("year")
        .annotate(minutes=Sum("minutes"))
        .order_by("-year")
    )
    by_organisation = list(
        confirmed.values("organisation_id", "organisation__name")
        .annotate(minutes=Sum("minutes"), first=Min("worked_on"))
        .order_by("organisation__name")
    )
    by_field = list(
        confirmed.values("engagement__need__handlungsfeld__name")
        .annotate(minutes=Sum("minutes"))
        .order_by("engagement__need__handlungsfeld__name")
    )
    submitted = HoursEntry.objects.filter(volunteer=volunteer, status=HoursStatus.SUBMITTED).aggregate(
        total=Sum("minutes")
    )["total"]
    return Totals(
        by_year=by_year,
        by_organisation=by_organisation,
        by_field=by_field,
        confirmed_minutes=sum(row["minutes"] for row in by_year),
        submitted_minutes=submitted or 0,
    )


def milestones_of(volunteer: User) -> QuerySet[Milestone]:
    return Milestone.objects.filter(volunteer=volunteer).select_related("organisation").order_by("reached_on")


def public_milestones(slug: str) -> tuple[RecognitionSettings, QuerySet[Milestone]] | None:
    """Returns the public badges behind a profile link, or None if the person does not show them."""
    row = (
        RecognitionSettings.objects.filter(public_slug=slug, public_badges=True)
        .select_related("user")
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    return row, milestones_of(row.user).filter(show_publicly=True)


def settings_of(volunteer: User) -> RecognitionSettings:
    """Returns the saved settings, or unsaved defaults."""
    return RecognitionSettings.objects.filter(user=volunteer).first() or RecognitionSettings(user=volunteer)


def nominations_waiting(volunteer: User) -> QuerySet[StoryNomination]:
    return StoryNomination.objects.filter(volunteer=volunteer).select_related("organisation")


# --- The organisation's side --------------------------------------------------------------------------
def hours_for_organisation(organisation: Organisation, *, status: str | None = None) -> QuerySet[HoursEntry]:
    """Returns the hours logged for the organisation's engagements (never credits from elsewhere)."""
    entries = HoursEntry.objects.filter(organisation=organisation, engagement__isnull=False).select_related(
        "volunteer", "engagement__need"
    )
    if status:
        entries = entries.filter(status=status)
    return entries.order_by("created_at", "pk")


def thanks_for_organisation(organisation: Organisation) -> QuerySet[ThankYou]:
    return (
        ThankYou.objects.filter(organisation=organisation)
        .select_related("milestone__volunteer")
        .order_by("-send_after", "-pk")
    )


def engagements_of_organisation(organisation: Organisation) -> QuerySet[Engagement]:
    return Engagement.objects.filter(organisation=organisation).select_related("volunteer", "need")


def confirmed_minutes_for(volunteer: User, organisation: Organisation, *, after: date, up_to: date) -> int:
    total = HoursEntry.objects.filter(
        volunteer=volunteer,
        organisation=organisation,
        status=HoursStatus.CONFIRMED,
        worked_on__gt=after,
        worked_on__lte=up_to,
    ).aggregate(total=Sum("minutes"))["total"]
    return total or 0


# --- Ehrenamtskarte -----------------------------------------------------------------------------------
def town_rules(volunteer: User) -> ehrenamtskarte.TownRules | None:
    profile = VolunteerProfile.objects.filter(user=volunteer).select_related("kommune").first()
    if profile is None or profile.kommune is None:
        return None
    kommune = profile.kommune
    return ehrenamtskarte.TownRules(
        name=kommune.name,
        issues_card=kommune.issues_ehrenamtskarte,
        prior_years=kommune.ehrenamtskarte_prior_years,
        min_age=kommune.ehrenamtskarte_min_age,
        validity_years=kommune.ehrenamtskarte_validity_years,
    )


def card_facts(volunteer: User, *, on: date | None = None) -> ehrenamtskarte.Facts:
    """Returns the facts for the Ehrenamtskarte estimate from confirmed hours across all organisations."""
    from volunteering.services.recognition import first_engagement_start

    on = on or today()
    town = town_rules(volunteer)
    prior_years = town.prior_years if town is not None else 2
    windows = ehrenamtskarte.year_windows(on, prior_years)
    confirmed = HoursEntry.objects.filter(volunteer=volunteer, status=HoursStatus.CONFIRMED)
    minutes = []
    for after, up_to in windows:
        total = confirmed.filter(worked_on__gt=after, worked_on__lte=up_to).aggregate(total=Sum("minutes"))
        minutes.append(total["total"] or 0)
    start = first_engagement_start(volunteer)
    settings_row = settings_of(volunteer)
    years_with_hours = (
        confirmed.annotate(year=ExtractYear("worked_on"))
        .values("year")
        .distinct()
        .aggregate(n=Count("year"))["n"]
    )
    return ehrenamtskarte.Facts(
        on=on,
        town=town,
        birth_year=volunteer.birth_year,
        first_engagement_on=start[0] if start else None,
        minutes_per_year=tuple(minutes),
        period_days=(windows[0][1] - windows[-1][0]).days,
        allowance_kind=settings_row.allowance_kind,
        allowance_eur_per_year=settings_row.allowance_eur_per_year,
        engaged_years=settings_row.years_before_platform + (years_with_hours or 0),
    )


def card_estimate(volunteer: User, *, on: date | None = None) -> ehrenamtskarte.Estimate:
    return ehrenamtskarte.estimate(card_facts(volunteer, on=on))


# --- Letters (hours confirmations and Engagementnachweise) ------------------------------------------------
HOURS_CONFIRMATION_KIND = "ehrenamtskarte_hours"
ENGAGEMENT_CERTIFICATE_KIND = "engagementnachweis"
RECOGNITION_LETTER_KINDS = (HOURS_CONFIRMATION_KIND, ENGAGEMENT_CERTIFICATE_KIND)


def letters_of(volunteer: User) -> QuerySet:
    """Returns the recognition letters issued about the volunteer (newest first, revoked ones included)."""
    from volunteering.models import IssuedLetter

    return IssuedLetter.objects.filter(subject=volunteer, kind__in=RECOGNITION_LETTER_KINDS).select_related(
        "organisation"
    )


def certificates_of(volunteer: User) -> QuerySet[EngagementCertificate]:
    return EngagementCertificate.objects.filter(engagement__volunteer=volunteer).select_related(
        "engagement__organisation"
    )


# --- Recognition events ------------------------------------------------------------------------------
def events_for_coordinator(user: User) -> QuerySet:
    """Returns the events a coordinator created (all events for a district-wide coordinator)."""
    from volunteering.models import RecognitionEvent

    if not is_coordinator(user):
        return RecognitionEvent.objects.none()
    events = RecognitionEvent.objects.all()
    if not user.coordinator_role.whole_district:
        events = events.filter(created_by=user)
    return events.annotate(invited=Count("invitations")).order_by("-starts_at")


def event_candidates(event, *, coordinator: User, on: date | None = None) -> QuerySet[User]:
    """Returns the active volunteers who meet the event's criteria and live in the coordinator's towns
    (and in the event's towns, if it names some): confirmed hours across all organisations and years
    since the first engagement (or first confirmed hours)."""
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    on = on or today()
    towns = coordinator_kommunen(coordinator)
    if event.pk and event.kommunen.exists():
        towns = towns.filter(pk__in=event.kommunen.values("pk"))
    people = User.objects.filter(is_active=True, volunteer_profile__kommune__in=towns)
    people = people.annotate(
        confirmed=Coalesce(Sum("hours__minutes", filter=Q(hours__status=HoursStatus.CONFIRMED)), 0)
    ).filter(confirmed__gte=event.min_hours * 60)
    if event.min_years:
        from volunteering.ehrenamtskarte import prior_period_start

        cutoff = prior_period_start(on, event.min_years)
        started = Engagement.objects.filter(starts_on__lte=cutoff).values("volunteer_id")
        worked = HoursEntry.objects.filter(status=HoursStatus.CONFIRMED, worked_on__lte=cutoff).values(
            "volunteer_id"
        )
        people = people.filter(Q(pk__in=started) | Q(pk__in=worked))
    return people.order_by("pk")


def invitations_of(volunteer: User) -> QuerySet:
    from volunteering.models import EventInvitation

    return (
        EventInvitation.objects.filter(volunteer=volunteer, event__starts_at__gte=clock.now())
        .select_related("event")
        .order_by("event__starts_at")
    )


def thanks_for_coordinator(user: User) -> QuerySet[ThankYou]:
    """Returns the thank-yous the coordination signs (milestones without an organisation) for volunteers in
    the coordinator's towns."""
    if not is_coordinator(user):
        return ThankYou.objects.none()
    thanks = ThankYou.objects.filter(organisation__isnull=True).select_related("milestone__volunteer")
    if not user.coordinator_role.whole_district:
        thanks = thanks.filter(
            milestone__volunteer__volunteer_profile__kommune__in=coordinator_kommunen(user)
        )
    return thanks.order_by("-send_after", "-pk")
