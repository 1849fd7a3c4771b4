"""The need editor of the organisation area: members write, others get 404, drafts until verified."""

import pytest

from tests.volunteering.needs_helpers import make_need, verify
from volunteering.models import ActivityType, Kommune, Need, NeedStatus

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    activity = ActivityType.objects.get(slug="sprachcafe")
    data = {
        "title": "Sprachcafé am Samstag",
        "description": "Deutsch üben bei Kaffee und Kuchen.",
        "tasks": "Gespräche am Tisch leiten.",
        "limits": "Kein Unterricht, keine Hausbesuche.",
        "handlungsfeld": activity.handlungsfeld_id,
        "activity_type": activity.pk,
        "kommune": Kommune.objects.get(name="Verl").pk,
        "schedule_kind": "recurring",
        "slots": ["sat-afternoon"],
        "languages": [],
        "min_age": "16",
        "volunteers_wanted": "3",
        "action": "publish",
    }
    data.update(overrides)
    return data


def test_a_member_creates_a_need_and_a_pending_organisation_is_told_why_it_is_a_draft(
    client, site_tree, organisation, org_member
):
    client.force_login(org_member)

    response = client.post(f"/de/organisation/{organisation.pk}/bedarfe/neu/", form_data(), follow=True)

    need = Need.objects.get()
    assert need.status == NeedStatus.DRAFT and need.organisation == organisation
    assert "sobald die Koordination Ihre Organisation geprüft" in response.content.decode()


def test_a_verified_organisation_publishes_at_once_and_extra_keys_are_ignored(
    client, site_tree, organisation, org_member, other_organisation
):
    verify(organisation)
    client.force_login(org_member)

    client.post(
        f"/de/organisation/{organisation.pk}/bedarfe/neu/",
        form_data(organisation=other_organisation.pk, status="closed", expires_on="2099-01-01", latitude="1"),
    )

    need = Need.objects.get()
    assert need.organisation == organisation and need.status == NeedStatus.PUBLISHED
    assert need.expires_on.year < 2099 and need.latitude != 1


def test_invalid_input_shows_the_form_again_and_writes_nothing(client, site_tree, organisation, org_member):
    client.force_login(org_member)

    response = client.post(
        f"/de/organisation/{organisation.pk}/bedarfe/neu/",
        form_data(kommune=Kommune.objects.get(name="Gütersloh").pk, schedule_kind="one-off"),
    )

    assert response.status_code == 200
    assert not Need.objects.exists()


def test_editing_changes_the_need(client, site_tree, organisation, org_admin):
    need = make_need(organisation, org_admin)
    client.force_login(org_admin)

    response = client.post(
        f"/de/organisation/{organisation.pk}/bedarfe/{need.pk}/bearbeiten/", form_data(title="Neuer Titel")
    )

    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Neuer Titel" and need.status == NeedStatus.DRAFT


@pytest.mark.parametrize(
    "action, expected",
    [("pausieren", NeedStatus.PAUSED), ("besetzt", NeedStatus.FILLED), ("beenden", NeedStatus.CLOSED)],
)
def test_the_list_offers_the_transitions(client, site_tree, organisation, org_admin, action, expected):
    verify(organisation)
    need = make_need(organisation, org_admin, publish=True)
    client.force_login(org_admin)

    page = client.get(f"/de/organisation/{organisation.pk}/bedarfe/").content.decode()
    assert f"/bedarfe/{need.pk}/{action}/" in page
    response = client.post(f"/de/organisation/{organisation.pk}/bedarfe/{need.pk}/{action}/")

    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == expected


def test_a_refused_transition_says_why_and_changes_nothing(client, site_tree, organisation, org_admin):
    need = make_need(organisation, org_admin)
    client.force_login(org_admin)

    response = client.post(
        f"/de/organisation/{organisation.pk}/bedarfe/{need.pk}/veroeffentlichen/", follow=True
    )

    assert "noch nicht geprüft" in response.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.DRAFT


def test_duplicating_opens_the_copy_in_the_editor(client, site_tree, organisation, org_admin):
    need = make_need(organisation, org_admin)
    client.force_login(org_admin)

    response = client.post(f"/de/organisation/{organisation.pk}/bedarfe/{need.pk}/duplizieren/")

    copy = Need.objects.exclude(pk=need.pk).get()
    assert response["Location"] == f"/de/organisation/{organisation.pk}/bedarfe/{copy.pk}/bearbeiten/"


EDITOR_URLS = [
    ("get", "/de/organisation/{org}/bedarfe/"),
    ("get", "/de/organisation/{org}/bedarfe/neu/"),
    ("post", "/de/organisation/{org}/bedarfe/neu/"),
    ("get", "/de/organisation/{org}/bedarfe/{need}/bearbeiten/"),
    ("post", "/de/organisation/{org}/bedarfe/{need}/bearbeiten/"),
    ("post", "/de/organisation/{org}/bedarfe/{need}/veroeffentlichen/"),
    ("post", "/de/organisation/{org}/bedarfe/{need}/pausieren/"),
    ("post", "/de/organisation/{org}/bedarfe/{need}/besetzt/"),
    ("post", "/de/organisation/{org}/bedarfe/{need}/beenden/"),
    ("post", "/de/organisation/{org}/bedarfe/{need}/bestaetigen/"),
    ("post", "/de/organisation/{org}/bedarfe/{need}/duplizieren/"),
]


@pytest.mark.parametrize("method, url", EDITOR_URLS)
def test_a_member_of_another_organisation_gets_404_on_every_editor_url(
    client, site_tree, organisation, org_admin, other_org_member, method, url
):
    verify(organisation)
    need = make_need(organisation, org_admin, publish=True)
    before = list(Need.objects.values())
    client.force_login(other_org_member)

    response = getattr(client, method)(url.format(org=organisation.pk, need=need.pk), form_data())

    assert response.status_code == 404
    assert list(Need.objects.values()) == before


@pytest.mark.parametrize("method, url", [u for u in EDITOR_URLS if "{need}" in u[1]])
def test_a_need_of_another_organisation_is_404_under_the_own_organisation(
    client, site_tree, organisation, other_organisation, org_admin, other_org_member, method, url
):
    foreign = make_need(other_organisation, other_org_member, town="Harsewinkel", publish=True)
    before = list(Need.objects.values())
    client.force_login(org_admin)

    response = getattr(client, method)(url.format(org=organisation.pk, need=foreign.pk), form_data())

    assert response.status_code == 404
    assert list(Need.objects.values()) == before
