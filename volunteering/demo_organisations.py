"""Demo organisations and coordinator roles, documented in the README. Idempotent.

Needs the district (`district_load`) and the demo accounts (`seed_accounts`) first.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from volunteering.demo import DEMO_PASSWORD
from volunteering.models import (
    CoordinatorRole,
    Kommune,
    LegalForm,
    MembershipRole,
    Organisation,
    OrganisationMembership,
    OrganisationStatus,
    User,
)

DISTRICT_COORDINATOR = "koordination@demo.example"
TOWN_COORDINATOR = "koordination-verl@demo.example"
ORGANISATION_ADMIN = "organisation@demo.example"
ORGANISATION_MEMBER = ("organisation-mitglied@demo.example", "Aylin", "Demir")

ORGANISATIONS = [
    {
        "slug": "caritas-kreis-guetersloh",
        "name": "Caritasverband für den Kreis Gütersloh e. V.",
        "legal_form": LegalForm.WOHLFAHRT,
        "kommunen": ["Gütersloh", "Rheda-Wiedenbrück"],
        "description": "Migrationsberatung, Sprachcafés und Begleitung zu Ämtern. Wir suchen Menschen, die "
        "Neuzugewanderte ein Stück ihres Weges begleiten.",
        "email": "ehrenamt@caritas-guetersloh.example",
        "website": "https://www.caritas-guetersloh.example",
        "status": OrganisationStatus.VERIFIED,
    },
    {
        "slug": "fluechtlingshilfe-verl",
        "name": "Flüchtlingshilfe Verl e. V.",
        "legal_form": LegalForm.VEREIN,
        "kommunen": ["Verl"],
        "description": "Hausaufgabenhilfe, Fahrradwerkstatt und Patenschaften für geflüchtete Familien "
        "in Verl.",
        "email": "kontakt@fluechtlingshilfe-verl.example",
        "website": "https://fluechtlingshilfe-verl.example",
        "status": OrganisationStatus.VERIFIED,
    },
    {
        "slug": "interkultureller-frauentreff-rietberg",
        "name": "Interkultureller Frauentreff Rietberg",
        "legal_form": LegalForm.INITIATIVE,
        "is_mso": True,
        "kommunen": ["Rietberg"],
        "description": "Ein offener Treff von Frauen für Frauen: Deutsch üben, kochen, Kinderbetreuung "
        "während der Treffen.",
        "email": "frauentreff-rietberg@demo.example",
        "status": OrganisationStatus.VERIFIED,
    },
    {
        "slug": "stadt-harsewinkel-integrationsbuero",
        "name": "Stadt Harsewinkel – Integrationsbüro",
        "legal_form": LegalForm.KOMMUNE,
        "kommunen": ["Harsewinkel"],
        "description": "Das Integrationsbüro koordiniert Sprachmittlung und Begleitung bei Terminen in der "
        "Stadtverwaltung.",
        "email": "integration@harsewinkel.example",
        "phone": "05247 0000-0",
        "status": OrganisationStatus.VERIFIED,
    },
    {
        "slug": "sprachbruecke-halle",
        "name": "Sprachbrücke Halle e. V.",
        "legal_form": LegalForm.VEREIN,
        "kommunen": ["Halle (Westf.)"],
        "description": "Ehrenamtliche Sprachmittlerinnen und Sprachmittler für Arabisch, Dari, Ukrainisch "
        "und Russisch.",
        "email": "info@sprachbruecke-halle.example",
        "status": OrganisationStatus.PENDING,
    },
]


def _account(email: str, first_name: str, last_name: str) -> User:
    user = User.objects.filter(email=email).first() or User(email=email)
    user.first_name, user.last_name = first_name, last_name
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed_organisations() -> list[Organisation]:
    """Creates or resets the demo organisations, their members and the coordinator roles; returns them."""
    district_coordinator = User.objects.get(email=DISTRICT_COORDINATOR)
    CoordinatorRole.objects.update_or_create(user=district_coordinator, defaults={"whole_district": True})

    town_coordinator = User.objects.get(email=TOWN_COORDINATOR)
    role, _created = CoordinatorRole.objects.update_or_create(
        user=town_coordinator, defaults={"whole_district": False}
    )
    role.kommunen.set(Kommune.objects.filter(name="Verl"))

    organisations = []
    for row in ORGANISATIONS:
        values = {key: value for key, value in row.items() if key not in ("slug", "kommunen")}
        organisation = Organisation.objects.filter(slug=row["slug"]).first() or Organisation(slug=row["slug"])
        for field, value in values.items():
            setattr(organisation, field, value)
        if organisation.status == OrganisationStatus.VERIFIED:
            organisation.verified_by = district_coordinator
            organisation.verified_at = organisation.verified_at or timezone.now()
        else:
            organisation.verified_by = organisation.verified_at = None
        organisation.full_clean()
        organisation.save()
        organisation.kommunen.set(Kommune.objects.filter(name__in=row["kommunen"]))
        organisations.append(organisation)

    verl = Organisation.objects.get(slug="fluechtlingshilfe-verl")
    admin = User.objects.get(email=ORGANISATION_ADMIN)
    OrganisationMembership.objects.update_or_create(
        organisation=verl, user=admin, defaults={"role": MembershipRole.ADMIN}
    )
    member = _account(*ORGANISATION_MEMBER)
    OrganisationMembership.objects.update_or_create(
        organisation=verl, user=member, defaults={"role": MembershipRole.MEMBER}
    )
    return organisations
