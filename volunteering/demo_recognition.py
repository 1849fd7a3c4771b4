"""Demo recognition: the demo volunteer (freiwillig@demo.example) with 46 confirmed hours and two
afternoons still waiting for the organisation, so that confirming them reaches the 50-hour milestone.

Idempotent: nothing happens once the demo volunteer has logged hours. Works through the services, so
milestones, thank-yous and reminders look as they would in real use. Needs an engagement: if the demo
applications gave the demo volunteer none, one public need of an organisation with members is used.
"""

from contextlib import suppress
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from volunteering.demo_applications import DEMO_VOLUNTEER
from volunteering.models import Engagement, HoursEntry, HoursSource, OrganisationMembership, User
from volunteering.selectors.needs import public_needs
from volunteering.services import applications as application_services
from volunteering.services import recognition

CONFIRMED_WEEKS = 23
CONFIRMED_MINUTES = 46 * 60  # four hours short of the 50-hour milestone
WAITING = [(2, 120, "Sprachcafé: neue Gäste begrüßt"), (1, 150, "Begleitung zum Bürgerbüro")]


def _member_of(organisation_id: int) -> User | None:
    membership = (
        OrganisationMembership.objects.filter(organisation_id=organisation_id)
        .order_by("role", "pk")
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _engagement(volunteer: User) -> Engagement | None:
    engagement = Engagement.objects.filter(volunteer=volunteer).order_by("starts_on", "pk").first()
    if engagement is not None:
        return engagement
    for need in public_needs().filter(organisation__memberships__isnull=False).distinct().order_by("pk"):
        actor = _member_of(need.organisation_id)
        with suppress(ValidationError):
            application = application_services.application_submit(
                need=need, volunteer=volunteer, message="Ich würde gern regelmäßig mithelfen."
            )
            application_services.application_accept(
                application=application,
                actor=actor,
                starts_on=timezone.localdate() - timedelta(days=7 * CONFIRMED_WEEKS + 14),
            )
            return Engagement.objects.get(application=application)
    return None


@transaction.atomic
def seed_recognition() -> int:
    """Seeds the demo volunteer's hours once; returns how many hours entries the demo volunteer has."""
    volunteer = User.objects.filter(email=DEMO_VOLUNTEER).first()
    if volunteer is None:
        return 0
    if HoursEntry.objects.filter(volunteer=volunteer, source=HoursSource.MANUAL).exists():
        return HoursEntry.objects.filter(volunteer=volunteer).count()  # seeded before
    engagement = _engagement(volunteer)
    actor = _member_of(engagement.organisation_id) if engagement else None
    if engagement is None or actor is None:
        return 0
    today = timezone.localdate()
    # 46 hours on up to 23 afternoons since the engagement began (never before its start, never later
    # than three days ago); a young engagement gets fewer, longer afternoons (at most 8 hours each).
    first_day, last_day = engagement.starts_on, today - timedelta(days=3)
    days = [last_day - timedelta(days=7 * week) for week in range(CONFIRMED_WEEKS)]
    days = [day for day in days if day >= first_day]
    if len(days) < CONFIRMED_WEEKS:
        span = max((last_day - first_day).days + 1, 1)
        days = [first_day + timedelta(days=offset) for offset in range(min(span, CONFIRMED_WEEKS))]
    minutes = min(480, -(-CONFIRMED_MINUTES // len(days)))
    lines = [recognition.HoursLine(worked_on=day, minutes=minutes, note="Sprachcafé") for day in days]
    entries = []
    for start in range(0, len(lines), recognition.MAX_ENTRIES_PER_CALL):
        entries += recognition.hours_log(
            volunteer=volunteer,
            engagement=engagement,
            lines=lines[start : start + recognition.MAX_ENTRIES_PER_CALL],
        )
    recognition.hours_confirm(
        actor=actor, organisation=engagement.organisation, entry_ids=[entry.pk for entry in entries]
    )
    waiting = [
        recognition.HoursLine(
            worked_on=max(today - timedelta(days=ago), engagement.starts_on), minutes=m, note=n
        )
        for ago, m, n in WAITING
    ]
    recognition.hours_log(volunteer=volunteer, engagement=engagement, lines=waiting)
    recognition.milestones_check_dates(volunteer=volunteer)
    return HoursEntry.objects.filter(volunteer=volunteer).count()
