"""Writes about people: completing a sign-up, parental consent, the volunteer profile, consents."""

from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from volunteering.models import (
    Consent,
    ConsentKind,
    ConsentText,
    ParentalConsent,
    Postcode,
    ProfileLanguage,
    ProfileStatus,
    User,
    VolunteerProfile,
)

PARENTAL_CONSENT_SALT = "volunteering.parental-consent"
PARENTAL_CONSENT_MAX_AGE = 14 * 24 * 60 * 60


def current_consent_text(kind: str) -> ConsentText | None:
    """Returns the newest published version of a consent text."""
    return (
        ConsentText.objects.filter(kind=kind, published_at__lte=timezone.now()).order_by("-version").first()
    )


@transaction.atomic
def person_signup_complete(
    *, user: User, birth_year: int, parent_email: str | None, consent_kinds: Iterable[str]
) -> User:
    """Records what the sign-up form asked beyond allauth's fields; under 16 waits for a parent."""
    user.birth_year = birth_year
    user.full_clean(exclude=["password"])
    user.save(update_fields=["birth_year"])
    VolunteerProfile.objects.get_or_create(user=user)
    for kind in consent_kinds:
        consent_give(user=user, kind=kind)
    if user.needs_parental_consent:
        if not parent_email:
            raise ValueError("A parent's email address is required under 16.")
        parental_consent_request(user=user, parent_email=parent_email)
    return user


def parental_consent_token(consent: ParentalConsent) -> str:
    return signing.dumps({"id": consent.pk, "user": consent.user_id}, salt=PARENTAL_CONSENT_SALT)


def parental_consent_load(token: str) -> ParentalConsent | None:
    """Returns the consent a token points to, or None if it is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=PARENTAL_CONSENT_SALT, max_age=PARENTAL_CONSENT_MAX_AGE)
    except signing.BadSignature:
        return None
    return ParentalConsent.objects.filter(pk=data.get("id"), user_id=data.get("user")).first()


@transaction.atomic
def parental_consent_request(*, user: User, parent_email: str) -> ParentalConsent:
    """Keeps the account inactive and asks the parent, by email, to confirm."""
    consent, _created = ParentalConsent.objects.update_or_create(
        user=user, defaults={"parent_email": parent_email, "confirmed_at": None}
    )
    consent.full_clean()
    user.is_active = False
    user.save(update_fields=["is_active"])
    language = translation.get_language() or settings.LANGUAGE_CODE
    path = reverse("volunteer:parental_consent", kwargs={"token": parental_consent_token(consent)})

    def send() -> None:
        with translation.override(language):
            context = {"link": f"{settings.SITE_URL}{path}", "platform": settings.PLATFORM_NAME}
            send_mail(
                subject=_("Bitte bestätigen Sie die Anmeldung Ihres Kindes"),
                message=render_to_string("volunteering/email/parental_consent.txt", context),
                html_message=render_to_string("volunteering/email/parental_consent.html", context),
                from_email=None,
                recipient_list=[parent_email],
            )

    transaction.on_commit(send)
    return consent


@transaction.atomic
def parental_consent_confirm(*, consent: ParentalConsent) -> User:
    """Activates the child's account. Confirming twice changes nothing."""
    consent = ParentalConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.confirmed_at is None:
        consent.confirmed_at = timezone.now()
        consent.save(update_fields=["confirmed_at"])
        consent.user.is_active = True
        consent.user.save(update_fields=["is_active"])
    return consent.user


@transaction.atomic
def consent_give(*, user: User, kind: str) -> Consent | None:
    """Records consent to the current text of `kind`; returns the existing one if already given."""
    text = current_consent_text(kind)
    if text is None:
        return None
    existing = Consent.objects.filter(user=user, text=text, withdrawn_at__isnull=True).first()
    if existing:
        return existing
    consent = Consent(user=user, text=text)
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, kind: str) -> int:
    """Withdraws every active consent of `kind`; returns how many. Terms cannot be withdrawn this way:
    that is what deleting the account is for."""
    if kind == ConsentKind.TERMS:
        return 0
    return Consent.objects.filter(user=user, text__kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def _place(profile: VolunteerProfile, postcode: str) -> None:
    """Sets town and coordinates from the postcode; outside the district both stay empty."""
    match = Postcode.objects.filter(code=postcode).select_related("kommune").first() if postcode else None
    profile.kommune = match.kommune if match else None
    profile.latitude = match.kommune.latitude if match else None
    profile.longitude = match.kommune.longitude if match else None


@transaction.atomic
def profile_save_step(*, profile: VolunteerProfile, step: str, data: dict) -> VolunteerProfile:
    """Saves one step of the profile wizard from validated form data and marks it done."""
    if step not in VolunteerProfile.WIZARD_STEPS:
        raise ValueError(f"Unknown wizard step {step!r}")
    many = {}
    languages = data.pop("languages", None)
    for field in ("handlungsfelder", "activity_types"):
        if field in data:
            many[field] = data.pop(field)
    for field, value in data.items():
        setattr(profile, field, value)
    if step == "place":
        _place(profile, profile.postcode)
    if step not in profile.completed_steps:
        profile.completed_steps = [*profile.completed_steps, step]
    if profile.next_step is None and profile.status == ProfileStatus.NEW:
        profile.status = ProfileStatus.ONBOARDING
    profile.full_clean(exclude=["user"])
    profile.save()
    for field, values in many.items():
        getattr(profile, field).set(values)
    if languages is not None:
        profile.languages.all().delete()
        ProfileLanguage.objects.bulk_create(
            ProfileLanguage(profile=profile, language=language, level=level) for language, level in languages
        )
    return profile


@transaction.atomic
def profile_set_status(*, profile: VolunteerProfile, status: str, paused_until=None) -> VolunteerProfile:
    """Pauses (with a return date), resumes or ends a volunteer's engagement."""
    allowed = {ProfileStatus.PAUSED, ProfileStatus.INACTIVE, ProfileStatus.ACTIVE, ProfileStatus.ONBOARDING}
    if status not in allowed:
        raise ValueError(f"Status {status!r} cannot be chosen by the volunteer")
    if status in (ProfileStatus.ACTIVE, ProfileStatus.ONBOARDING):
        # Returning from a pause: back to where the person was before.
        status = ProfileStatus.ONBOARDING if profile.next_step else ProfileStatus.ACTIVE
    profile.status = status
    profile.paused_until = paused_until if status == ProfileStatus.PAUSED else None
    profile.full_clean(exclude=["user"])
    profile.save(update_fields=["status", "paused_until", "updated_at"])
    return profile
