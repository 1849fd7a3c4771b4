"""Reads about campaigns: which codes exist, and how many sign-ups and applications each brought."""

from __future__ import annotations

import re

from django.apps import apps

from volunteering.models import Application, CampaignSignup

CODE_PATTERN = re.compile(r"^[-a-z0-9]{1,40}$")


def is_campaign_code(code: str) -> bool:
    """Returns whether `code` belongs to a live campaign page."""
    if not code or not CODE_PATTERN.match(code):
        return False
    return apps.get_model("cms", "CampaignPage").objects.live().filter(code=code).exists()


def campaign_progress(code: str) -> dict[str, int]:
    """Returns the sign-ups and applications attributed to the campaign `code` (visits are not tracked)."""
    if not code:
        return {"signups": 0, "applications": 0}
    return {
        "signups": CampaignSignup.objects.filter(code=code).count(),
        "applications": Application.objects.filter(campaign_code=code).count(),
    }


def current_campaigns(*, locale=None, today=None):
    """Returns the live, public campaigns running today, ending soonest first."""
    from django.utils import timezone

    today = today or timezone.localdate()
    campaigns = (
        apps.get_model("cms", "CampaignPage")
        .objects.live()
        .public()
        .filter(starts_on__lte=today, ends_on__gte=today)
    )
    if locale is not None:
        campaigns = campaigns.filter(locale=locale)
    return campaigns.order_by("ends_on")
