"""Coordination in the Wagtail admin: reviewing organisations of one's towns, assigning coordinator roles."""

import pytest
from django.core import mail

from tests.factories import UserFactory
from volunteering.models import CoordinatorRole, Kommune, Organisation, OrganisationStatus

pytestmark = pytest.mark.django_db

INDEX = "/admin/koordination/organisationen/"
ROLES = "/admin/koordination/rollen/"


def inspect_url(organisation) -> str:
    return f"{INDEX}{organisation.pk}/"


@pytest.fixture
def pending_in_verl_and_harsewinkel(reference_data):
    """A pending organisation active in two towns: both towns' coordinators may review it."""
    organisation = Organisation.objects.create(
        name="Kreisweiter Sprachtreff",
        slug="sprachtreff",
        legal_form="ev",
        description="x",
        email="a@b.example",
    )
    organisation.kommunen.set(Kommune.objects.filter(name__in=["Verl", "Harsewinkel"]))
    return organisation


# --- The listing -------------------------------------------------------------------------------------
def test_a_district_coordinator_sees_every_organisation_pending_first(
    client, coordinator, organisation, other_organisation
):
    client.force_login(coordinator)

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.text
    assert organisation.name in html and other_organisation.name in html
    assert html.index(organisation.name) < html.index(other_organisation.name)  # pending before verified


def test_a_town_coordinator_sees_only_organisations_of_their_towns(
    client, town_coordinator_other_town, organisation, other_organisation, pending_in_verl_and_harsewinkel
):
    client.force_login(town_coordinator_other_town)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert other_organisation.name in response.text
    assert pending_in_verl_and_harsewinkel.name in response.text
    assert organisation.name not in response.text


def test_the_listing_filters_by_status_and_town(client, coordinator, organisation, other_organisation):
    client.force_login(coordinator)
    harsewinkel = Kommune.objects.get(name="Harsewinkel")

    by_status = client.get(INDEX, {"status": "pending"})
    by_town = client.get(INDEX, {"kommune": harsewinkel.pk})

    assert organisation.name in by_status.text and other_organisation.name not in by_status.text
    assert other_organisation.name in by_town.text and organisation.name not in by_town.text


def test_the_town_filter_offers_only_the_coordinators_towns(client, town_coordinator_other_town):
    client.force_login(town_coordinator_other_town)

    response = client.get(INDEX)

    assert ">Harsewinkel</option>" in response.text
    assert ">Verl</option>" not in response.text


def test_the_listing_offers_review_actions(client, coordinator, organisation):
    client.force_login(coordinator)

    response = client.get(INDEX)

    assert f"{inspect_url(organisation)}freigeben/" in response.text
    assert f"{inspect_url(organisation)}ablehnen/" in response.text


def test_the_coordination_menu_appears_for_coordinators_only(client, coordinator, editor):
    client.force_login(coordinator)
    assert INDEX in client.get("/admin/").text

    client.force_login(editor)
    assert INDEX not in client.get("/admin/").text
    assert client.get(INDEX).status_code == 302  # Wagtail sends people without permission to its home


# --- Details and decisions ---------------------------------------------------------------------------
def test_the_details_show_who_administers_the_organisation(client, coordinator, organisation, org_admin):
    client.force_login(coordinator)

    response = client.get(inspect_url(organisation))

    assert response.status_code == 200
    assert org_admin.email in response.text


def test_a_coordinator_of_another_town_gets_404_for_details_and_decisions(
    client, town_coordinator_other_town, organisation
):
    client.force_login(town_coordinator_other_town)

    for url in (inspect_url(organisation), f"{inspect_url(organisation)}freigeben/"):
        assert client.get(url).status_code == 404
    assert client.post(f"{inspect_url(organisation)}freigeben/", {"note": ""}).status_code == 404
    assert client.post(f"{inspect_url(organisation)}ablehnen/", {"note": "Nein"}).status_code == 404

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


def test_the_town_coordinator_verifies_and_the_page_goes_public(
    client, town_coordinator, organisation, org_admin, site_tree, django_capture_on_commit_callbacks
):
    client.force_login(town_coordinator)
    assert client.get(f"{inspect_url(organisation)}freigeben/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{inspect_url(organisation)}freigeben/", {"note": "Willkommen!"})

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.VERIFIED
    assert organisation.verified_by == town_coordinator
    assert [message.to for message in mail.outbox] == [[org_admin.email]]
    client.logout()
    assert client.get(f"/de/organisationen/{organisation.slug}/").status_code == 200


def test_a_rejection_without_a_reason_is_sent_back(client, coordinator, organisation):
    client.force_login(coordinator)

    response = client.post(f"{inspect_url(organisation)}ablehnen/", {"note": ""})

    assert response.status_code == 200
    assert "warum Sie ablehnen" in response.text
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


def test_a_rejection_with_a_reason_is_recorded(client, coordinator, organisation):
    client.force_login(coordinator)

    client.post(f"{inspect_url(organisation)}ablehnen/", {"note": "Bitte Satzung hochladen."})

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REJECTED
    assert organisation.status_note == "Bitte Satzung hochladen."


def test_nothing_here_adds_edits_or_deletes_organisations(client, coordinator, organisation):
    client.force_login(coordinator)

    for url in (f"{INDEX}new/", f"{INDEX}edit/{organisation.pk}/", f"{INDEX}delete/{organisation.pk}/"):
        assert client.get(url).status_code == 404


def test_revoking_the_role_applies_on_the_next_request(client, town_coordinator, organisation):
    client.force_login(town_coordinator)
    assert client.get(inspect_url(organisation)).status_code == 200

    CoordinatorRole.objects.filter(user=town_coordinator).delete()

    assert client.get(inspect_url(organisation)).status_code in (302, 403, 404)
    assert client.post(f"{inspect_url(organisation)}freigeben/", {"note": ""}).status_code in (302, 403, 404)
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


def test_a_coordinator_without_two_factor_login_is_sent_to_set_it_up(
    client, roles, reference_data, organisation
):
    user = UserFactory(email="ohne-2fa@example.org", is_staff=True, groups=["Koordination"])
    CoordinatorRole.objects.create(user=user, whole_district=True)
    client.force_login(user)

    response = client.get(INDEX)

    assert response.status_code == 302
    assert "/konto/2fa/totp/activate/" in response["Location"]


# --- Coordinator roles -------------------------------------------------------------------------------
def test_a_district_coordinator_assigns_a_town_role(client, coordinator, volunteer):
    client.force_login(coordinator)
    verl = Kommune.objects.get(name="Verl")

    response = client.post(f"{ROLES}new/", {"email": volunteer.email.upper(), "kommunen": [verl.pk]})

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.coordinator_role.kommunen.get() == verl
    assert volunteer.is_staff
    assert volunteer.groups.filter(name="Koordination").exists()


def test_a_role_for_an_unknown_address_is_refused(client, coordinator):
    client.force_login(coordinator)

    response = client.post(f"{ROLES}new/", {"email": "niemand@example.org", "whole_district": "on"})

    assert response.status_code == 200
    assert "kein aktives Konto" in response.text
    assert CoordinatorRole.objects.count() == 1  # the coordinator's own


def test_a_district_coordinator_changes_and_ends_a_role(client, coordinator, town_coordinator_other_town):
    client.force_login(coordinator)
    role = town_coordinator_other_town.coordinator_role

    client.post(f"{ROLES}edit/{role.pk}/", {"whole_district": "on"})
    role.refresh_from_db()
    assert role.whole_district

    client.post(f"{ROLES}delete/{role.pk}/")
    town_coordinator_other_town.refresh_from_db()
    assert not CoordinatorRole.objects.filter(pk=role.pk).exists()
    assert not town_coordinator_other_town.is_staff


def test_town_coordinators_cannot_assign_roles(client, town_coordinator_other_town, volunteer):
    client.force_login(town_coordinator_other_town)
    role = town_coordinator_other_town.coordinator_role

    for url in (ROLES, f"{ROLES}new/", f"{ROLES}edit/{role.pk}/", f"{ROLES}delete/{role.pk}/"):
        assert client.get(url).status_code == 302, url
    client.post(f"{ROLES}new/", {"email": volunteer.email, "whole_district": "on"})
    client.post(f"{ROLES}edit/{role.pk}/", {"whole_district": "on"})

    role.refresh_from_db()
    assert not role.whole_district
    assert not CoordinatorRole.objects.filter(user=volunteer).exists()


def test_superusers_assign_roles(client, superuser, volunteer, reference_data):
    client.force_login(superuser)

    response = client.post(f"{ROLES}new/", {"email": volunteer.email, "whole_district": "on"})

    assert response.status_code == 302
    assert CoordinatorRole.objects.get(user=volunteer).whole_district
