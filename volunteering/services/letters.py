"""Writes about letters: issue a letter of a registered kind, revoke it, look a code up for verification;
and the issuing flows of the three letters of issue 8 (training certificate, release-time request, eFZ
confirmation). Other modules add kinds in volunteering/letters/registry.py and call `letter_issue`."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from volunteering.letters import registry
from volunteering.letters.codes import CodeState, code_state, new_code, normalise
from volunteering.letters.kinds import EFZ_CONFIRMATION, RELEASE_REQUEST, TRAINING_CERTIFICATE
from volunteering.letters.registry import FieldType
from volunteering.models import (
    Application,
    ApplicationStatus,
    Engagement,
    IssuedLetter,
    MembershipRole,
    Organisation,
    Registration,
    RegistrationStatus,
    User,
)
from volunteering.selectors.roles import organisations_of
from volunteering.services.audit import audit_record

MAX_TEXT = 2000
MAX_LINES = 100


def _check_stated(kind: registry.LetterKind, stated: dict) -> dict:
    """Returns `stated` cleaned: only the kind's keys, required ones present, values of the right shape."""
    unknown = set(stated) - set(kind.keys)
    if unknown:
        raise ValueError(f"Letter kind {kind.name!r} does not state {sorted(unknown)}.")
    cleaned = {}
    for field in kind.fields:
        value = stated.get(field.key)
        if value in (None, "", []):
            if field.required:
                raise ValueError(f"Letter kind {kind.name!r} needs {field.key!r}.")
            continue
        if field.type == FieldType.LINES:
            lines = [str(line).strip()[:MAX_TEXT] for line in value][:MAX_LINES]
            cleaned[field.key] = [line for line in lines if line]
        elif field.type == FieldType.DATE:
            cleaned[field.key] = (
                value.isoformat()
                if isinstance(value, datetime.date)
                else datetime.date.fromisoformat(value).isoformat()
            )
        else:
            cleaned[field.key] = str(value).replace("\x00", "").strip()[:MAX_TEXT]
    return cleaned


def letter_issue(
    *,
    kind: str,
    subject: User,
    issued_by: User | None,
    stated: dict,
    organisation: Organisation | None = None,
) -> IssuedLetter:
    """Returns a newly issued letter of `kind` about `subject` stating exactly `stated`, with a fresh code.

    Asking again for a letter that states exactly the same returns the one issued before (not revoked),
    so repeated clicks do not multiply letters and codes.
    """
    letter_kind = registry.get(kind)
    cleaned = _check_stated(letter_kind, stated)
    for earlier in IssuedLetter.objects.filter(
        kind=letter_kind.name, subject=subject, organisation=organisation, revoked_at__isnull=True
    ):
        if earlier.stated == json.loads(json.dumps(cleaned, cls=DjangoJSONEncoder)):
            return earlier
    for _attempt in range(5):
        try:
            with transaction.atomic():
                letter = IssuedLetter(
                    kind=letter_kind.name,
                    subject=subject,
                    issued_by=issued_by,
                    organisation=organisation,
                    stated=cleaned,
                    code=new_code(),
                )
                letter.full_clean(exclude=["code"])
                letter.save()
                return letter
        except IntegrityError:  # a code collision (2⁻⁷⁵ per pair): draw again
            continue
    raise RuntimeError("Could not draw an unused verification code.")


def letter_revoke(*, letter: IssuedLetter, actor: User) -> IssuedLetter:
    """Returns `letter` revoked: the verification page says so from now on."""
    with transaction.atomic():
        letter = IssuedLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.revoked_at is None:
            letter.revoked_at = timezone.now()
            letter.revoked_by = actor
            letter.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(actor=actor, action="letter.revoke", obj=letter)
    return letter


@dataclass(frozen=True)
class Verification:
    state: str  # "valid", "revoked", "not_found", "mistyped", "malformed"
    letter: IssuedLetter | None = None


def letter_verify(typed: str) -> Verification:
    """Returns what a typed code refers to; only well-formed codes with a fitting check are looked up."""
    code = normalise(typed)
    state = code_state(code)
    if state == CodeState.MALFORMED:
        return Verification("malformed")
    if state == CodeState.MISTYPED:
        return Verification("mistyped")
    letter = IssuedLetter.objects.filter(code=code).select_related("organisation").first()
    if letter is None:
        return Verification("not_found")
    try:
        registry.get(letter.kind)
    except LookupError:
        return Verification("not_found")
    return Verification("revoked" if letter.revoked_at else "valid", letter)


# --- The three letters of issue 8 ---------------------------------------------------------------------
def _person_name(user: User) -> str:
    name = user.get_full_name().strip()
    profile = getattr(user, "volunteer_profile", None)
    return name or (profile.display_name if profile else "") or user.email.split("@")[0]


def _local(instant: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(instant)


def _appointment_line(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    start, end = _local(starts_at), _local(ends_at)
    day = date_format(start.date(), "l, j. F Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M} Uhr"
    return f"{day}, {start:%H:%M} Uhr – {date_format(end.date(), 'j. F Y')}, {end:%H:%M} Uhr"


def _hours(value: Decimal | float) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.1')):f}".replace(".", ",").removesuffix(",0")
    return f"{text} Stunden" if text != "1" else "1 Stunde"


def _attended_appointments(registration: Registration):
    return [
        a.appointment
        for a in registration.attendances.filter(present=True)
        .select_related("appointment")
        .order_by("appointment__starts_at")
    ]


def training_certificate_issue(*, registration: Registration, actor: User) -> IssuedLetter:
    """Returns a training certificate for an attended registration of `actor` (the participant)."""
    from django.utils import translation

    if registration.user_id != actor.pk:
        raise ValidationError(_("Sie können nur Ihre eigene Teilnahme bescheinigen lassen."))
    attended = _attended_appointments(registration)
    if registration.status != RegistrationStatus.COMPLETED and not attended:
        raise ValidationError(_("Für diese Anmeldung ist noch keine Teilnahme eingetragen."))
    session = registration.session
    training = session.training
    with translation.override("de"):
        dates = [_appointment_line(a.starts_at, a.ends_at) for a in attended]
        seconds = sum((a.ends_at - a.starts_at).total_seconds() for a in attended)
        held = registration.qualifications.select_related("qualification").order_by("-granted_on").first()
        validity = ""
        if held is not None:
            validity = (
                f"gültig bis {date_format(held.expires_on, 'j. F Y')}" if held.expires_on else "unbefristet"
            )
        place = (
            _("online")
            if session.is_online
            else ", ".join(p for p in (session.place, session.kommune.name) if p)
        )
        stated = {
            "name": _person_name(actor),
            "training": training.title,
            "content": training.summary + ("\n\n" + training.description if training.description else ""),
            "dates": dates,
            "hours": _hours(Decimal(seconds) / 3600) if seconds else _hours(training.duration_hours),
            "place": place,
            "trainer": session.trainer_name,
            "qualification": str(held.qualification.name) if held else "",
            "qualification_validity": validity,
            "responsible": f"Koordinierungsstelle Ehrenamt, {session.kommune.name}",
        }
    return letter_issue(kind=TRAINING_CERTIFICATE.name, subject=actor, issued_by=actor, stated=stated)


def release_request_for_registration(
    *, registration: Registration, actor: User, employer: str = ""
) -> IssuedLetter:
    """Returns a release-time request for the appointments of `actor`'s booked or attended training."""
    from django.utils import translation

    if registration.user_id != actor.pk:
        raise ValidationError(_("Sie können nur für Ihre eigene Anmeldung eine Freistellung erbitten."))
    if registration.status not in (RegistrationStatus.BOOKED, RegistrationStatus.COMPLETED):
        raise ValidationError(_("Für diese Anmeldung ist keine Freistellung möglich."))
    session = registration.session
    with translation.override("de"):
        times = [_appointment_line(a.starts_at, a.ends_at) for a in session.appointments.all()]
        stated = {
            "name": _person_name(actor),
            "employer": employer,
            "occasion": "Schulung für Ehrenamtliche",
            "activity": session.training.title,
            "organisation": f"Koordinierungsstelle Ehrenamt, {session.kommune.name}",
            "times": times,
            "purpose": (
                "Qualifizierung von Ehrenamtlichen für die Arbeit mit Geflüchteten und Zugewanderten "
                f"im {_district_name()} (Förderung der Hilfe für Flüchtlinge und des bürgerschaftlichen "
                "Engagements, gemeinnützige Zwecke nach § 52 Abgabenordnung)."
            ),
        }
    return letter_issue(kind=RELEASE_REQUEST.name, subject=actor, issued_by=actor, stated=stated)


def release_request_for_engagement(
    *,
    engagement: Engagement,
    actor: User,
    employer: str = "",
    starts_on: datetime.date,
    ends_on: datetime.date,
    times: str,
) -> IssuedLetter:
    """Returns a release-time request for a period of `actor`'s engagement (dates within the engagement)."""
    from django.utils import translation

    if engagement.volunteer_id != actor.pk:
        raise ValidationError(_("Sie können nur für Ihr eigenes Engagement eine Freistellung erbitten."))
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("Das Ende darf nicht vor dem Beginn liegen.")
    elif starts_on < engagement.starts_on or (engagement.ends_on and ends_on > engagement.ends_on):
        errors["starts_on"] = _("Der Zeitraum muss innerhalb Ihres Engagements liegen.")
    if errors:
        raise ValidationError(errors)
    with translation.override("de"):
        period = f"{date_format(starts_on, 'j. F Y')} bis {date_format(ends_on, 'j. F Y')}"
        if starts_on == ends_on:
            period = date_format(starts_on, "l, j. F Y")
        lines = [period] + ([times.strip()[:200]] if times.strip() else [])
        organisation = engagement.organisation
        stated = {
            "name": _person_name(actor),
            "employer": employer,
            "occasion": "Ehrenamtliches Engagement",
            "activity": engagement.need.title,
            "organisation": organisation.name,
            "times": lines,
            "purpose": (
                f"Ehrenamtliche Tätigkeit für {organisation.name} in der Arbeit mit Geflüchteten und "
                "Zugewanderten (Förderung der Hilfe für Flüchtlinge und des bürgerschaftlichen Engagements, "
                "gemeinnützige Zwecke nach § 52 Abgabenordnung)."
            ),
        }
    return letter_issue(
        kind=RELEASE_REQUEST.name, subject=actor, issued_by=actor, organisation=organisation, stated=stated
    )


def _district_name() -> str:
    from volunteering.models import District

    district = District.objects.order_by("pk").first()
    return district.name if district else "Kreis"


def efz_confirmation_issue(*, application: Application, actor: User) -> IssuedLetter:
    """Returns the organisation's confirmation for a free eFZ, issued by an admin of the organisation the
    volunteer applied to or works with."""
    organisation = application.need.organisation
    if not organisations_of(actor, role=MembershipRole.ADMIN).filter(pk=organisation.pk).exists():
        raise ValidationError(_("Nur die Verwaltung der Organisation kann diese Bestätigung ausstellen."))
    if application.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_CONTACT,
        ApplicationStatus.ACCEPTED,
    ):
        raise ValidationError(_("Die Bewerbung ist beendet; eine Bestätigung ist nicht mehr nötig."))
    contact = " · ".join(part for part in (organisation.email, organisation.phone) if part)
    stated = {
        "name": _person_name(application.volunteer),
        "organisation": organisation.name,
        "organisation_contact": contact,
        "activity": application.need.title,
        "purpose": (
            "Vorlage eines erweiterten Führungszeugnisses nach § 72a SGB VIII für eine ehrenamtliche "
            "Tätigkeit bei einer gemeinnützigen Einrichtung; Antrag auf Gebührenbefreiung."
        ),
    }
    letter = letter_issue(
        kind=EFZ_CONFIRMATION.name,
        subject=application.volunteer,
        issued_by=actor,
        organisation=organisation,
        stated=stated,
    )
    audit_record(actor=actor, action="letter.issue", obj=letter)
    return letter
