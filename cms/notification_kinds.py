"""The message kinds of taster offers (imported from CmsConfig.ready()).

Rows carry the booking's id only; the context is loaded at send time through volunteering.selectors.
A reminder or follow-up for a booking that was cancelled in the meantime is dropped (Gone).
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.registry import ESSENTIAL, Gone, MessageKind, register


def _signup(refs: Mapping[str, int], *, statuses: tuple[str, ...]) -> dict[str, Any]:
    from volunteering.models import TasterSignup
    from volunteering.selectors.tasters import open_needs_of

    signup = (
        TasterSignup.objects.filter(pk=refs["taster_signup"], status__in=statuses)
        .select_related("offer", "offer__organisation", "offer__kommune")
        .first()
    )
    if signup is None:
        raise Gone
    offer = signup.offer
    return {
        "signup": signup,
        "offer": offer,
        "organisation": offer.organisation,
        "starts_at": timezone.localtime(offer.starts_at),
        "place": f"{offer.place}, {offer.kommune.name}",
        "url": settings.SITE_URL + (offer.url or "/"),
        "bookings_url": settings.SITE_URL + reverse("tasters:mine"),
        "open_needs": [
            {"title": need.title, "url": settings.SITE_URL + need.get_absolute_url()}
            for need in open_needs_of(offer.organisation_id)
        ],
    }


def _booked(refs: Mapping[str, int]) -> dict[str, Any]:
    return _signup(refs, statuses=("booked",))


def _waitlisted(refs: Mapping[str, int]) -> dict[str, Any]:
    return _signup(refs, statuses=("waitlisted",))


def _follow_up(refs: Mapping[str, int]) -> dict[str, Any]:
    return _signup(refs, statuses=("booked", "attended"))


KINDS = [
    MessageKind(
        name="taster.booked",
        category=ESSENTIAL,
        context=_booked,
        description="Bestätigung einer Schnupper-Buchung.",
    ),
    MessageKind(
        name="taster.waitlisted",
        category=ESSENTIAL,
        context=_waitlisted,
        description="Das Schnupperangebot ist voll: die Person steht auf der Warteliste.",
    ),
    MessageKind(
        name="taster.promoted",
        category=ESSENTIAL,
        context=_booked,
        description="Ein Platz ist frei geworden: die Person ist von der Warteliste nachgerückt.",
    ),
    MessageKind(
        name="taster.reminder",
        category="reminders",
        context=_booked,
        description="Erinnerung zwei Tage vor dem Schnupperangebot.",
    ),
    MessageKind(
        name="taster.follow_up",
        category="reminders",
        context=_follow_up,
        description="Am Tag danach: Wie war es? Und wie es weitergehen kann.",
    ),
]

for _kind in KINDS:
    register(_kind)
