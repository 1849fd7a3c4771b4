"""Demo applications in every state, and a few engagements, for the demo volunteers and published needs.

Idempotent: a volunteer who already applied for a need is left alone. Works with whatever published
needs exist (none: nothing happens). The writes go through the services, so history, threads, engagements
and deadline rows look exactly as they would in real use.
"""

import contextlib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from volunteering.demo_volunteers import VOLUNTEERS
from volunteering.models import (
    AnswerTemplate,
    Application,
    Need,
    OrganisationMembership,
    User,
)
from volunteering.selectors.needs import public_needs
from volunteering.services import applications as services

DEMO_VOLUNTEER = "freiwillig@demo.example"

# (target state, days since the application came in, the volunteer's message)
PLAN = [
    ("submitted", 0, "Ich habe dienstags und donnerstags nachmittags Zeit und helfe gern."),
    ("accepted", 20, "Ich spreche Arabisch und Deutsch und war selbst einmal neu hier."),
    ("in_contact", 2, "Ich bin Lehrerin im Ruhestand und hätte Lust, Kinder zu begleiten."),
    ("overdue", 5, "Kann ich auch erst einmal schnuppern?"),
    ("declined", 10, "Ich habe leider nur am Wochenende Zeit."),
    ("withdrawn", 8, "Ich würde gern helfen, am liebsten abends."),
    ("escalated", 9, "Ich spreche Ukrainisch und Russisch."),
    ("accepted", 30, "Ich fahre gern Auto und kann Menschen zu Terminen begleiten."),
    ("submitted", 1, "Ich studiere in Bielefeld und bin in den Ferien zu Hause."),
    ("in_contact", 3, "Ich habe Erfahrung mit Formularen vom Jobcenter."),
]

TEMPLATES = [
    (
        "Danke – wir melden uns",
        "Vielen Dank für Ihre Bewerbung! Wir melden uns in den nächsten Tagen, um ein erstes Treffen zu "
        "vereinbaren.",
    ),
    (
        "Absage: alle Plätze besetzt",
        "Vielen Dank für Ihr Interesse. Leider sind alle Plätze schon besetzt. Schauen Sie gern bei unseren "
        "anderen Einsatzmöglichkeiten vorbei.",
    ),
]


def _volunteers() -> list[User]:
    emails = [DEMO_VOLUNTEER, *(row[0] for row in VOLUNTEERS)]
    found = {user.email: user for user in User.objects.filter(email__in=emails, birth_year__isnull=False)}
    return [found[email] for email in emails if email in found]


def _actor(need: Need) -> User | None:
    membership = (
        OrganisationMembership.objects.filter(organisation_id=need.organisation_id)
        .order_by("role", "pk")  # "admin" sorts before "member"
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _bring_to(application: Application, state: str, actor: User, days_ago: int) -> None:
    if state in ("in_contact", "accepted"):
        services.application_contact(
            application=application,
            actor=actor,
            message="Schön, dass Sie sich melden! Hätten Sie nächste Woche Zeit für ein Kennenlernen?",
        )
        services.message_post(
            application=application, author=application.volunteer, body="Ja, gern – Dienstag passt gut."
        )
    if state == "accepted":
        services.application_accept(
            application=application,
            actor=actor,
            starts_on=timezone.localdate() - timedelta(days=max(days_ago - 5, 0)),
        )
    elif state == "declined":
        services.application_decline(application=application, actor=actor, message=TEMPLATES[1][1])
    elif state == "withdrawn":
        services.application_withdraw(application=application, actor=application.volunteer)


@transaction.atomic
def seed_applications() -> int:
    """Creates the demo applications that do not exist yet; returns how many there are in all."""
    # Needs of organisations with members: someone has to answer.
    needs = list(public_needs().filter(organisation__memberships__isnull=False).distinct().order_by("pk"))
    volunteers = _volunteers()
    if not needs or not volunteers:
        return 0
    for organisation_id in {need.organisation_id for need in needs}:
        for title, body in TEMPLATES:
            AnswerTemplate.objects.get_or_create(
                organisation_id=organisation_id, title=title, defaults={"body": body}
            )

    now = timezone.now()
    for index, (state, days_ago, message) in enumerate(PLAN):
        volunteer = volunteers[index % len(volunteers)]
        if Application.objects.filter(volunteer=volunteer, message=message).exists():
            continue  # seeded before
        # Start at a different need for each entry; move on where a need is full or does not fit.
        start = (index * 3) % len(needs)
        for need in needs[start:] + needs[:start]:
            actor = _actor(need)
            if actor is None or Application.objects.filter(need=need, volunteer=volunteer).exists():
                continue
            try:
                application = services.application_submit(need=need, volunteer=volunteer, message=message)
            except ValidationError:
                continue  # full, or the volunteer is too young for it
            if state == "overdue":
                days_ago = need.organisation.response_deadline_days + 1
            elif state == "escalated":
                days_ago = 2 * need.organisation.response_deadline_days + 1
            Application.objects.filter(pk=application.pk).update(created_at=now - timedelta(days=days_ago))
            application.refresh_from_db()
            # If the last place went meanwhile, the application stays where it is.
            with contextlib.suppress(ValidationError):
                _bring_to(application, state, actor, days_ago)
            break
    return Application.objects.filter(volunteer__in=volunteers).count()
