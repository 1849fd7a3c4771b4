"""Reads about people for their own area."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from volunteering.models import Consent, ConsentKind, User, VolunteerProfile
from volunteering.services.people import current_consent_text


@dataclass(frozen=True)
class ChecklistItem:
    title: str
    done: bool
    duration: str
    explanation: str
    url: str | None = None
    optional: bool = False


def onboarding_checklist(profile: VolunteerProfile) -> list[ChecklistItem]:
    """Returns the next steps of a new volunteer, with how long each usually takes."""
    user = profile.user
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return [
        ChecklistItem(
            title=_("E-Mail-Adresse bestätigen"),
            done=verified,
            duration=_("1 Minute"),
            explanation=_("Klicken Sie auf den Link in der E-Mail, die wir Ihnen geschickt haben."),
            url=None if verified else reverse("account_email"),
        ),
        ChecklistItem(
            title=_("Profil ausfüllen"),
            done=profile.next_step is None,
            duration=_("5 Minuten"),
            explanation=_("Sprachen, Interessen und Zeiten helfen uns, passende Einsätze für Sie zu finden."),
            url=reverse("volunteer:profile_step", args=[profile.next_step]) if profile.next_step else None,
        ),
        ChecklistItem(
            title=_("Erweitertes Führungszeugnis"),
            done=False,
            duration=_("2 bis 3 Wochen"),
            explanation=_(
                "Nur für manche Einsätze, zum Beispiel mit Kindern. Die Organisation gibt Ihnen dann ein "
                "Schreiben, mit dem es beim Bürgerbüro kostenlos ist. Sie müssen jetzt noch nichts tun."
            ),
            optional=True,
        ),
        ChecklistItem(
            title=_("Schnuppern oder eine Schulung besuchen"),
            done=False,
            duration=_("2 bis 3 Stunden"),
            explanation=_(
                "Ein erster Termin ohne Verpflichtung. Sobald Ihr Profil fertig ist, schlagen wir Ihnen "
                "passende Termine in Ihrer Nähe vor."
            ),
            optional=True,
        ),
    ]


@dataclass(frozen=True)
class ConsentState:
    kind: str
    label: str
    text: str
    active: Consent | None
    can_withdraw: bool


def consent_overview(user: User) -> list[ConsentState]:
    """Returns each kind of consent with its current text and whether the person has given it."""
    states = []
    active = {c.text.kind: c for c in user.consents.filter(withdrawn_at__isnull=True).select_related("text")}
    for kind, label in ConsentKind.choices:
        text = current_consent_text(kind)
        if text is None:
            continue
        states.append(
            ConsentState(
                kind=kind,
                label=label,
                text=text.localized_text,
                active=active.get(kind),
                can_withdraw=kind != ConsentKind.TERMS,
            )
        )
    return states
