"""Helpers for the tandem tests: volunteers who offer tandems, and newcomers' requests through the service."""

from __future__ import annotations

from django.utils import timezone

from tests.factories import UserFactory
from volunteering.models import (
    ActivityType,
    ConsentKind,
    ConsentRecordedBy,
    ConsentText,
    Handlungsfeld,
    Kommune,
    Language,
    ProfileLanguage,
    TandemRequest,
    VolunteerProfile,
)
from volunteering.services.tandems import RequestDetails, tandem_request_submit

EVENINGS = ["tue-evening", "thu-evening"]


def ensure_tandem_consent_text() -> ConsentText:
    """The consent text the migration creates (live-server tests flush it, so they call this)."""
    text, _created = ConsentText.objects.get_or_create(
        kind=ConsentKind.TANDEM,
        version=1,
        defaults={
            "text": "Ich bin einverstanden, dass meine Angaben für die Vermittlung gespeichert werden.",
            "text_translations": {"uk": "Я погоджуюся, щоб мої дані зберігалися для пошуку партнера."},
            "published_at": timezone.now() - timezone.timedelta(days=1),
        },
    )
    return text


def make_volunteer(
    email: str,
    *,
    first_name: str = "Lena",
    town: str = "Verl",
    languages: dict[str, int] | None = None,
    types: tuple[str, ...] = ("sprachpatenschaft",),
    slots: list[str] | None = None,
    capacity: int = 1,
    radius: int = 10,
    status: str = "active",
    gender: str = "",
    user=None,
):
    """Returns an account with a complete profile that offers the tandem `types`."""
    user = user or UserFactory(email=email, first_name=first_name, birth_year=1970)
    kommune = Kommune.objects.get(name=town)
    profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    profile.display_name = first_name
    profile.kommune = kommune
    profile.postcode = kommune.postcodes.first().code
    profile.latitude, profile.longitude = kommune.latitude, kommune.longitude
    profile.travel_radius_km = radius
    profile.availability = slots if slots is not None else EVENINGS
    profile.status = status
    profile.tandem_capacity = capacity
    profile.gender = gender
    profile.completed_steps = list(VolunteerProfile.WIZARD_STEPS)
    profile.save()
    profile.activity_types.set(ActivityType.objects.filter(slug__in=types))
    profile.handlungsfelder.set(Handlungsfeld.objects.filter(slug="sprache-bildung"))
    profile.languages.all().delete()
    for code, level in (languages or {"de": 7, "uk": 5}).items():
        ProfileLanguage.objects.create(profile=profile, language=Language.objects.get(code=code), level=level)
    return user


def request_details(
    *,
    alias: str = "Olena",
    email: str = "olena@example.org",
    phone: str = "",
    town: str = "Verl",
    languages: dict[str, int] | None = None,
    tandem_type: str = "sprachpatenschaft",
    slots: list[str] | None = None,
    contact_language: str = "uk",
    involves_minor: bool = False,
    partner_gender_wish: str = "",
    radius_km: int = 10,
    age_group_wish: str = "any",
    birth_year: int | None = None,
) -> RequestDetails:
    return RequestDetails(
        alias=alias,
        email=email,
        phone=phone,
        postcode="",
        kommune=Kommune.objects.get(name=town),
        radius_km=radius_km,
        tandem_type=ActivityType.objects.get(slug=tandem_type),
        interests=list(ActivityType.objects.filter(slug="freizeit-sport")),
        availability=slots if slots is not None else EVENINGS,
        languages=[
            (Language.objects.get(code=code), level)
            for code, level in (languages or {"uk": 7, "de": 3}).items()
        ],
        gender="",
        partner_gender_wish=partner_gender_wish,
        age_group_wish=age_group_wish,
        birth_year=birth_year,
        involves_minor=involves_minor,
        contact_language=contact_language,
    )


def make_request(**kwargs) -> TandemRequest:
    """Returns a request submitted through the public form's service (consent by the person)."""
    ensure_tandem_consent_text()
    return tandem_request_submit(
        details=request_details(**kwargs), consent_recorded_by=ConsentRecordedBy.SELF, consent_language="uk"
    )
