"""Reads about taster offers and their bookings, for the public pages, volunteers and organisations.

The pages are Wagtail models of the cms app; they are reached by lazy reference, never imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from notifications import clock
from volunteering.models import (
    Organisation,
    TasterSignup,
    TasterSignupStatus,
    User,
)
from volunteering.selectors.needs import public_needs


def _offers():
    return apps.get_model("cms", "TasterOfferPage").objects


def upcoming_offers(*, locale=None) -> QuerySet:
    """Returns the live, public taster offers that have not started yet, soonest first."""
    offers = _offers().live().public().filter(starts_at__gte=clock.now())
    if locale is not None:
        offers = offers.filter(locale=locale)
    return offers.select_related("kommune", "organisation").order_by("starts_at")


def booked_count(offer) -> int:
    """Returns how many seats of `offer` (the German source page) are taken."""
    return TasterSignup.objects.filter(
        offer_id=offer.pk, status__in=[TasterSignupStatus.BOOKED, TasterSignupStatus.ATTENDED]
    ).count()


def waitlist(offer) -> QuerySet[TasterSignup]:
    """Returns the waitlist of `offer`, first come first served."""
    return TasterSignup.objects.filter(offer_id=offer.pk, status=TasterSignupStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )


def live_signup(*, offer, user: User) -> TasterSignup | None:
    """Returns the person's booking or waitlist place for `offer`, if there is one."""
    return (
        TasterSignup.objects.filter(offer_id=offer.pk, user=user)
        .exclude(status=TasterSignupStatus.CANCELLED)
        .first()
    )


@dataclass(frozen=True)
class OfferState:
    capacity: int
    booked: int
    waiting: int
    signup: TasterSignup | None
    has_started: bool

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def is_full(self) -> bool:
        return self.free == 0


def offer_state(*, offer, user: User | AnonymousUser | None) -> OfferState:
    """Returns seats, waitlist length and the person's own booking of `offer` (the German source page)."""
    counts = TasterSignup.objects.filter(offer_id=offer.pk).aggregate(
        booked=Count("pk", filter=Q(status__in=[TasterSignupStatus.BOOKED, TasterSignupStatus.ATTENDED])),
        waiting=Count("pk", filter=Q(status=TasterSignupStatus.WAITLISTED)),
    )
    signup = live_signup(offer=offer, user=user) if user is not None and user.is_authenticated else None
    return OfferState(
        capacity=offer.capacity,
        booked=counts["booked"],
        waiting=counts["waiting"],
        signup=signup,
        has_started=offer.starts_at <= clock.now(),
    )


def signups_of(user: User) -> QuerySet[TasterSignup]:
    """Returns the person's bookings and waitlist places, the next offer first."""
    return (
        TasterSignup.objects.filter(user=user)
        .select_related("offer", "offer__kommune", "offer__organisation")
        .order_by("-offer__starts_at")
    )


def signup_of_user(user: User, pk: int) -> TasterSignup | None:
    return signups_of(user).filter(pk=pk).first()


def offers_of_organisation(organisation: Organisation) -> QuerySet:
    """Returns the organisation's taster offers (German source pages, live or not), newest date first."""
    return (
        _offers()
        .filter(organisation=organisation, locale__language_code="de")
        .annotate(
            booked=Count(
                "signups",
                filter=Q(signups__status__in=[TasterSignupStatus.BOOKED, TasterSignupStatus.ATTENDED]),
            ),
            waiting=Count("signups", filter=Q(signups__status=TasterSignupStatus.WAITLISTED)),
        )
        .order_by("-starts_at")
    )


def offer_of_organisation(organisation: Organisation, pk: int):
    return offers_of_organisation(organisation).filter(pk=pk).first()


def signups_for_organisation(offer) -> QuerySet[TasterSignup]:
    """Returns the live bookings of `offer` for the organisation's attendance list."""
    return (
        TasterSignup.objects.filter(offer_id=offer.pk)
        .exclude(status=TasterSignupStatus.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at")
    )


def open_needs_of(organisation_id: int) -> QuerySet:
    """Returns the organisation's public needs (for the follow-up after a taster)."""
    return public_needs().filter(organisation_id=organisation_id).order_by("-published_at")[:5]


def taster_conversion(*, organisation_id: int | None = None) -> dict[str, int]:
    """Returns the KPI: attended tasters, and how many of those people applied to the organisation later."""
    signups = TasterSignup.objects.filter(status=TasterSignupStatus.ATTENDED)
    if organisation_id is not None:
        signups = signups.filter(offer__organisation_id=organisation_id)
    return {
        "attended": signups.count(),
        "converted": signups.filter(converted_application__isnull=False).count(),
    }


def bookable_offer(pk: int):
    """Returns the live, public offer `pk` as its German source page (which holds the bookings), or None."""
    offer = _offers().live().public().filter(pk=pk).first()
    if offer is None:
        return None
    source = offer.source
    return source if source.live else None


def signup_for_organisation(offer, pk: int) -> TasterSignup | None:
    return signups_for_organisation(offer).filter(pk=pk).first()


def taster_index_page(*, language_code: str = "de"):
    """Returns the live list of taster offers in a language, or None."""
    return (
        apps.get_model("cms", "TasterOfferIndexPage")
        .objects.live()
        .filter(locale__language_code=language_code)
        .first()
    )
