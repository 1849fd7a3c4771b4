"""The demo organisations and coordinator roles that `seed_demo` loads."""

import pytest
from django.core.management import call_command

from volunteering.models import CoordinatorRole, MembershipRole, Organisation, OrganisationMembership


@pytest.mark.django_db
def test_seed_demo_loads_verified_organisations_one_pending_and_both_coordinators(client):
    call_command("seed_demo", "--quiet-logins")
    counts = (
        Organisation.objects.count(),
        OrganisationMembership.objects.count(),
        CoordinatorRole.objects.count(),
    )
    call_command("seed_demo", "--quiet-logins")

    assert (
        Organisation.objects.count(),
        OrganisationMembership.objects.count(),
        CoordinatorRole.objects.count(),
    ) == counts
    # Four from the organisation demo, more from the demo needs.
    assert Organisation.objects.filter(status="verified").count() >= 4
    assert list(Organisation.objects.filter(status="pending").values_list("name", flat=True)) == [
        "Sprachbrücke Halle e. V."
    ]
    verl = Organisation.objects.get(slug="fluechtlingshilfe-verl")
    assert verl.memberships.get(user__email="organisation@demo.example").role == MembershipRole.ADMIN
    assert verl.memberships.filter(role=MembershipRole.MEMBER).exists()
    assert CoordinatorRole.objects.get(user__email="koordination@demo.example").whole_district
    town_role = CoordinatorRole.objects.get(user__email="koordination-verl@demo.example")
    assert [kommune.name for kommune in town_role.kommunen.all()] == ["Verl"]
    assert client.get("/de/organisationen/interkultureller-frauentreff-rietberg/").status_code == 200
    assert client.get("/de/organisationen/sprachbruecke-halle/").status_code == 404
