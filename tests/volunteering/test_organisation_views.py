"""The organisation area and the public organisation page, through the client."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory
from volunteering.models import (
    Kommune,
    MembershipRole,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    OrganisationStatus,
)
from volunteering.services.organisations import invitation_create, invitation_token

pytestmark = pytest.mark.django_db


def registration(**overrides) -> dict:
    data = {
        "name": "Sprachbrücke Halle e. V.",
        "legal_form": "ev",
        "kommunen": [Kommune.objects.get(name="Halle (Westf.)").pk],
        "description": "Sprachmittlung durch Ehrenamtliche.",
        "email": "info@sprachbruecke.example",
        "phone": "",
        "website": "https://sprachbruecke.example",
        "response_deadline_days": "3",
    }
    return {**data, **overrides}


# --- Registering -------------------------------------------------------------------------------------
def test_the_registration_form_has_a_label_for_every_field(client, volunteer, site_tree, reference_data):
    client.force_login(volunteer)

    response = client.get("/de/organisation/registrieren/")

    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    for name in ("name", "legal_form", "description", "email", "phone", "website", "response_deadline_days"):
        assert f'<label class="kern-label" for="id_{name}">' in html
    assert "<legend" in html  # the towns are a group of checkboxes


def test_a_signed_in_person_registers_an_organisation(client, volunteer, site_tree, reference_data):
    client.force_login(volunteer)

    response = client.post("/de/organisation/registrieren/", registration())

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/de/organisation/{organisation.pk}/"
    assert organisation.status == OrganisationStatus.PENDING
    assert OrganisationMembership.objects.get().role == MembershipRole.ADMIN


def test_the_new_admin_sets_up_two_factor_login_before_entering_the_area(
    client, volunteer, site_tree, reference_data
):
    client.force_login(volunteer)
    client.post("/de/organisation/registrieren/", registration())

    response = client.get(f"/de/organisation/{Organisation.objects.get().pk}/")

    assert response.status_code == 302
    assert "/konto/2fa/totp/activate/" in response["Location"]


def test_registration_ignores_review_fields_in_the_post(client, volunteer, site_tree, reference_data):
    client.force_login(volunteer)

    client.post(
        "/de/organisation/registrieren/",
        registration(status="verified", verified="1", is_staff="1", slug="admin", verified_by=volunteer.pk),
    )

    organisation = Organisation.objects.get()
    assert organisation.status == OrganisationStatus.PENDING
    assert organisation.verified_by is None
    assert organisation.slug == "sprachbruecke-halle-e-v"
    volunteer.refresh_from_db()
    assert not volunteer.is_staff


def test_invalid_input_writes_nothing_and_explains(client, volunteer, site_tree, reference_data):
    client.force_login(volunteer)

    response = client.post(
        "/de/organisation/registrieren/",
        registration(kommunen=[], website="javascript:alert(1)", name="Böse\u202eGruppe"),
    )

    assert response.status_code == 200
    assert not Organisation.objects.exists()
    assert "Bitte wählen Sie mindestens eine Kommune." in response.text
    assert "unzulässige Steuerzeichen" in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_ftp_website_is_refused_by_the_service_and_shown_on_the_form(
    client, volunteer, site_tree, reference_data
):
    client.force_login(volunteer)

    response = client.post("/de/organisation/registrieren/", registration(website="ftp://example.org/"))

    assert response.status_code == 200
    assert "http:// oder https://" in response.text
    assert not Organisation.objects.exists()


# --- Dashboard, detail, edit -------------------------------------------------------------------------
def test_the_dashboard_lists_only_the_persons_organisations(
    client, org_member, organisation, other_organisation, site_tree
):
    client.force_login(org_member)

    response = client.get("/de/organisation/")

    assert response.status_code == 200
    assert organisation.name in response.text
    assert other_organisation.name not in response.text


def test_members_see_their_organisation_without_the_administration_links(
    client, org_member, organisation, site_tree
):
    client.force_login(org_member)

    response = client.get(f"/de/organisation/{organisation.pk}/")

    assert response.status_code == 200
    assert "wartet auf Prüfung" in response.text
    assert f"/de/organisation/{organisation.pk}/bearbeiten/" not in response.text


def test_an_admin_edits_the_details(client, org_admin, organisation, site_tree):
    client.force_login(org_admin)

    response = client.post(
        f"/de/organisation/{organisation.pk}/bearbeiten/",
        registration(name="Flüchtlingshilfe Verl", kommunen=[Kommune.objects.get(name="Verl").pk]),
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Flüchtlingshilfe Verl"


def test_the_edit_form_shows_the_current_values(client, org_admin, organisation, site_tree):
    client.force_login(org_admin)

    response = client.get(f"/de/organisation/{organisation.pk}/bearbeiten/")

    assert 'value="Flüchtlingshilfe Verl e. V."' in response.text


# --- Members -----------------------------------------------------------------------------------------
def test_the_members_page_lists_people_and_open_invitations(
    client, org_admin, org_member, organisation, site_tree
):
    invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    client.force_login(org_admin)

    response = client.get(f"/de/organisation/{organisation.pk}/mitglieder/")

    assert response.status_code == 200
    assert org_member.email in response.text
    assert "neu@example.org" in response.text
    assert f'for="role-{OrganisationMembership.objects.get(user=org_member).pk}"' in response.text


def test_an_admin_promotes_a_member(client, org_admin, org_member, organisation, site_tree):
    membership = OrganisationMembership.objects.get(user=org_member)
    client.force_login(org_admin)

    response = client.post(
        f"/de/organisation/{organisation.pk}/mitglieder/{membership.pk}/rolle/", {"role": "admin"}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == MembershipRole.ADMIN


def test_the_last_admin_is_told_why_they_cannot_step_down(client, org_admin, organisation, site_tree):
    membership = OrganisationMembership.objects.get(user=org_admin)
    client.force_login(org_admin)

    response = client.post(
        f"/de/organisation/{organisation.pk}/mitglieder/{membership.pk}/rolle/",
        {"role": "member"},
        follow=True,
    )

    assert "mindestens eine Person in der Verwaltung" in response.text
    membership.refresh_from_db()
    assert membership.role == MembershipRole.ADMIN


def test_an_unknown_role_changes_nothing(client, org_admin, org_member, organisation, site_tree):
    membership = OrganisationMembership.objects.get(user=org_member)
    client.force_login(org_admin)

    client.post(f"/de/organisation/{organisation.pk}/mitglieder/{membership.pk}/rolle/", {"role": "owner"})

    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER


def test_an_admin_removes_a_member(client, org_admin, org_member, organisation, site_tree):
    membership = OrganisationMembership.objects.get(user=org_member)
    client.force_login(org_admin)

    response = client.post(f"/de/organisation/{organisation.pk}/mitglieder/{membership.pk}/entfernen/")

    assert response.status_code == 302
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_organisation_answers_404(
    client, org_admin, organisation, other_org_member, site_tree
):
    foreign = OrganisationMembership.objects.get(user=other_org_member)
    client.force_login(org_admin)

    response = client.post(f"/de/organisation/{organisation.pk}/mitglieder/{foreign.pk}/entfernen/")

    assert response.status_code == 404
    assert OrganisationMembership.objects.filter(pk=foreign.pk).exists()


# --- Invitations -------------------------------------------------------------------------------------
def test_an_admin_invites_by_email_in_the_language_of_the_page(
    client, org_admin, organisation, site_tree, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/organisation/{organisation.pk}/einladen/", {"email": "neu@example.org", "role": "member"}
        )

    assert response.status_code == 302
    assert OrganisationInvitation.objects.get().email == "neu@example.org"
    assert len(mail.outbox) == 1
    assert re.search(r"/en/organisation/einladung/[^/\s]+/", mail.outbox[0].body)
    assert mail.outbox[0].subject == f"Invitation to the organisation {organisation.name}"
    assert "invites you to work with" in mail.outbox[0].body


def test_the_invitation_page_asks_strangers_to_sign_in_or_up_and_come_back(
    client, org_admin, organisation, site_tree
):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    url = f"/de/organisation/einladung/{invitation_token(invitation)}/"

    response = client.get(url)

    assert response.status_code == 200
    assert organisation.name in response.text
    assert "/de/konto/login/?next=/de/organisation/einladung/" in response.text
    assert "/de/konto/signup/?next=/de/organisation/einladung/" in response.text
    assert client.post(url).status_code == 302
    assert (
        not OrganisationMembership.objects.filter(organisation=organisation).exclude(user=org_admin).exists()
    )


def test_the_invited_person_accepts(client, org_admin, organisation, site_tree):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    invited = UserFactory(email="neu@example.org")
    client.force_login(invited)
    url = f"/de/organisation/einladung/{invitation_token(invitation)}/"

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"/de/organisation/{organisation.pk}/"
    assert OrganisationMembership.objects.get(user=invited).role == MembershipRole.MEMBER
    assert client.get(url).status_code == 404  # used


def test_another_account_holding_the_link_is_turned_away(
    client, org_admin, organisation, volunteer, site_tree
):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    client.force_login(volunteer)
    url = f"/de/organisation/einladung/{invitation_token(invitation)}/"

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not OrganisationMembership.objects.filter(user=volunteer).exists()


def test_a_broken_invitation_link_answers_404(client, site_tree):
    assert client.get("/de/organisation/einladung/kaputt/").status_code == 404


# --- Public page -------------------------------------------------------------------------------------
def test_the_public_page_shows_a_verified_organisation(client, other_organisation, site_tree):
    other_organisation.website = "https://harsewinkel.example"
    other_organisation.save()

    response = client.get(f"/de/organisationen/{other_organisation.slug}/")

    assert response.status_code == 200
    html = response.text
    assert other_organisation.name in html
    assert "Harsewinkel" in html
    assert other_organisation.email in html
    assert '<a class="kern-link" href="https://harsewinkel.example" rel="noopener nofollow">' in html
    assert "Unfallkasse NRW" in html  # a Kommune


@pytest.mark.parametrize("status", [OrganisationStatus.PENDING, OrganisationStatus.REJECTED])
def test_the_public_page_of_an_unverified_organisation_does_not_exist(
    client, organisation, site_tree, status
):
    Organisation.objects.filter(pk=organisation.pk).update(status=status)

    assert client.get(f"/de/organisationen/{organisation.slug}/").status_code == 404


def test_the_public_page_escapes_what_organisations_write(client, other_organisation, site_tree):
    other_organisation.description = "<script>alert('x')</script>"
    other_organisation.save()

    response = client.get(f"/de/organisationen/{other_organisation.slug}/")

    assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in response.text


def test_the_public_page_speaks_the_visitors_language(client, other_organisation, site_tree):
    response = client.get(f"/en/organisationen/{other_organisation.slug}/")

    assert response.status_code == 200
    assert '<html lang="en"' in response.text
    assert ">Insurance</h2>" in response.text
    assert "statutory accident insurance through the Unfallkasse NRW" in response.text


def test_a_new_person_signs_up_from_the_invitation_and_comes_back_to_it(
    client, org_admin, organisation, site_tree, reference_data
):
    invitation = invitation_create(organisation=organisation, actor=org_admin, email="neu@example.org")
    url = f"/de/organisation/einladung/{invitation_token(invitation)}/"

    client.post(
        f"/de/konto/signup/?next={url}",
        {
            "email": "neu@example.org",
            "password1": "Ein-gutes-Passwort-7",
            "password2": "Ein-gutes-Passwort-7",
            "birth_year": "1990",
            "accept_terms": "on",
            "next": url,
        },
    )
    confirm = re.search(r"http://testserver(/de/konto/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    response = client.post(confirm)

    assert response.status_code == 302
    assert response["Location"] == url
    assert client.post(url).status_code == 302
    assert OrganisationMembership.objects.filter(
        organisation=organisation, user__email="neu@example.org"
    ).exists()
