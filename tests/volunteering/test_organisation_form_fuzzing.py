"""Every form of the organisation area and of the coordination screens fuzzed with hostile input:
0 server errors, and invalid input writes nothing (QUALITY.md 11)."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteering.models import CoordinatorRole, Organisation, OrganisationInvitation, OrganisationMembership

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "x" * 100_000,
            "\u202egnp.exe",
            "👩🏽‍🦱🧕🏿",
            "Привіт, світе",
            "مرحبا بالعالم",
            "2026-02-30",
            "-1",
            "99999999999999999999",
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "' OR 1=1 --",
            '=HYPERLINK("http://x")',
            "",
        ]
    ),
)
ORGANISATION_FIELDS = [
    "name",
    "legal_form",
    "is_mso",
    "kommunen",
    "description",
    "email",
    "phone",
    "website",
    "response_deadline_days",
    "status",
]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Organisation.objects.order_by("pk").values()),
        list(OrganisationMembership.objects.order_by("pk").values()),
        list(OrganisationInvitation.objects.order_by("pk").values("pk", "email", "role", "accepted_at")),
        list(CoordinatorRole.objects.order_by("pk").values()),
    )


@FUZZ
@given(values=st.dictionaries(st.sampled_from(ORGANISATION_FIELDS), HOSTILE, max_size=8))
def test_registration_survives_hostile_input(client, volunteer, site_tree, reference_data, values):
    client.force_login(volunteer)
    before = snapshot()

    response = client.post("/de/organisation/registrieren/", values)

    assert response.status_code == 200  # never valid without a real town, legal form and address
    assert snapshot() == before


@FUZZ
@given(values=st.dictionaries(st.sampled_from(ORGANISATION_FIELDS), HOSTILE, max_size=8))
def test_editing_survives_hostile_input(client, org_admin, organisation, site_tree, values):
    client.force_login(org_admin)
    before = snapshot()

    response = client.post(f"/de/organisation/{organisation.pk}/bearbeiten/", values)

    assert response.status_code == 200
    assert snapshot() == before


@FUZZ
@given(email=HOSTILE, role=HOSTILE, membership_role=HOSTILE)
def test_invitations_and_roles_survive_hostile_input(
    client, org_admin, org_member, organisation, site_tree, email, role, membership_role
):
    client.force_login(org_admin)
    membership = OrganisationMembership.objects.get(user=org_member)
    before = snapshot()

    invite = client.post(f"/de/organisation/{organisation.pk}/einladen/", {"email": email, "role": role})
    change = client.post(
        f"/de/organisation/{organisation.pk}/mitglieder/{membership.pk}/rolle/", {"role": membership_role}
    )

    assert invite.status_code == 200
    assert change.status_code == 302
    if membership_role not in ("admin", "member"):
        assert snapshot() == before


@FUZZ
@given(token=HOSTILE)
def test_invitation_links_survive_hostile_tokens(client, volunteer, site_tree, token):
    client.force_login(volunteer)
    url = f"/de/organisation/einladung/{quote(token, safe='') or 'x'}/"
    before = snapshot()

    assert client.get(url).status_code in (404, 405)
    assert client.post(url).status_code in (404, 405)
    assert snapshot() == before


@FUZZ
@given(note=HOSTILE)
def test_rejecting_survives_hostile_notes(client, coordinator, organisation, note):
    client.force_login(coordinator)
    before = snapshot()

    response = client.post(f"/admin/koordination/organisationen/{organisation.pk}/ablehnen/", {"note": note})

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot() == before


@FUZZ
@given(email=HOSTILE, whole_district=HOSTILE, kommunen=HOSTILE)
def test_assigning_roles_survives_hostile_input(client, coordinator, email, whole_district, kommunen):
    client.force_login(coordinator)
    before = snapshot()

    response = client.post(
        "/admin/koordination/rollen/new/",
        {"email": email, "whole_district": whole_district, "kommunen": kommunen},
    )

    assert response.status_code == 200  # no account has any of these addresses
    assert snapshot() == before
