"""Reads of reference data for public filters, and the live figures of the start page."""

from __future__ import annotations

from django.db.models import QuerySet

from volunteering.models import Handlungsfeld, Kommune, ProfileStatus, VolunteerProfile
from volunteering.selectors.needs import capped_count, public_needs


def handlungsfelder() -> QuerySet[Handlungsfeld]:
    return Handlungsfeld.objects.all()


def kommunen() -> QuerySet[Kommune]:
    return Kommune.objects.order_by("name")


def live_figures() -> dict[str, int]:
    """Returns the start page's figures: open needs and active volunteers (anonymous counts)."""
    return {
        "open_needs": capped_count(public_needs()),
        "active_volunteers": VolunteerProfile.objects.filter(status=ProfileStatus.ACTIVE).count(),
    }
