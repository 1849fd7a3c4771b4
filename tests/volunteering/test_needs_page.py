"""A need's page, bookmarks and recommendations."""

import pytest

from tests.volunteering.needs_helpers import make_need, verify
from volunteering.models import Kommune, Language, ProfileLanguage, SavedNeed, VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(organisation, org_admin):
    verify(organisation)
    return make_need(organisation, org_admin, publish=True, efz_required=True, contact_name="Frau Demir")


def test_the_page_shows_tasks_limits_requirements_insurance_and_the_deadline(client, site_tree, need):
    page = client.get(f"/de/einsaetze/{need.pk}/").content.decode()

    assert need.title in page and "Mit zwei Kindern Hausaufgaben" in page
    assert "Das gehört nicht dazu" in page and "keine Fahrdienste" in page
    assert "Mindestalter: 16 Jahre" in page and "erweitertes Führungszeugnis ist nötig" in page
    assert "Versicherung der Organisation" in page  # e. V.: insured by the organisation
    assert "antwortet Ihnen innerhalb von 3 Tagen" in page
    assert "Frau Demir" in page and "Arabisch" in page
    assert f"/de/einsaetze/{need.pk}/bewerben/" in page


def test_drafts_are_404_for_the_public_and_a_preview_for_members(
    client, site_tree, organisation, org_admin, org_member, other_org_member
):
    draft = make_need(organisation, org_admin)
    assert client.get(f"/de/einsaetze/{draft.pk}/").status_code == 404
    client.force_login(other_org_member)
    assert client.get(f"/de/einsaetze/{draft.pk}/").status_code == 404

    client.force_login(org_member)
    response = client.get(f"/de/einsaetze/{draft.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vorschau" in page and "nicht sichtbar" in page
    assert "/bewerben/" not in page


def test_a_volunteer_saves_and_removes_a_need(client, site_tree, need, volunteer):
    client.force_login(volunteer)

    client.post(f"/de/einsaetze/{need.pk}/merken/")
    assert SavedNeed.objects.filter(user=volunteer, need=need).exists()
    saved_page = client.get("/de/mein-bereich/gemerkte-einsaetze/").content.decode()
    assert need.title in saved_page

    response = client.post(
        f"/de/einsaetze/{need.pk}/nicht-mehr-merken/", {"next": "/de/mein-bereich/gemerkte-einsaetze/"}
    )
    assert response["Location"] == "/de/mein-bereich/gemerkte-einsaetze/"
    assert not SavedNeed.objects.exists()


def test_the_next_parameter_never_leaves_the_site(client, site_tree, need, volunteer):
    client.force_login(volunteer)
    response = client.post(f"/de/einsaetze/{need.pk}/merken/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/de/einsaetze/{need.pk}/"


def _profile(user, town="Verl", languages=None, slots=(), birth_year=1990):
    user.birth_year = birth_year
    user.save()
    profile = VolunteerProfile.objects.create(
        user=user, kommune=Kommune.objects.get(name=town), travel_radius_km=10, availability=list(slots)
    )
    for code, level in (languages or {}).items():
        ProfileLanguage.objects.create(profile=profile, language=Language.objects.get(code=code), level=level)
    return profile


def test_recommendations_carry_their_reasons(client, site_tree, organisation, org_admin, volunteer):
    verify(organisation)
    homework = make_need(organisation, org_admin, publish=True)
    make_need(organisation, org_admin, publish=True, title="Nur für Erwachsene", min_age=40, slots=())
    _profile(volunteer, languages={"ar": 7, "de": 5}, slots=["tue-afternoon"])
    client.force_login(volunteer)

    response = client.get("/de/mein-bereich/passende-einsaetze/")

    recommendations = response.context["recommendations"]
    assert [r.need for r in recommendations] == [homework]  # the other one is for people of 40 and over
    reasons = recommendations[0].reasons
    assert "spricht Arabisch" in reasons and "weniger als 1 km" in reasons
    assert "Dienstag, nachmittags" in reasons
    assert "spricht Arabisch" in response.content.decode()
    search = client.get("/de/einsaetze/")
    assert "Für Sie passend" in search.content.decode()


def test_recommendations_respect_the_radius(client, site_tree, organisation, org_admin, volunteer):
    verify(organisation)
    make_need(organisation, org_admin, publish=True)  # Verl
    _profile(volunteer, town="Halle (Westf.)", languages={"ar": 7})
    client.force_login(volunteer)

    assert client.get("/de/mein-bereich/passende-einsaetze/").context["recommendations"] == []


def test_the_dashboard_links_to_saved_and_matching_needs(client, site_tree, reference_data, volunteer):
    _profile(volunteer)
    client.force_login(volunteer)
    page = client.get("/de/mein-bereich/").content.decode()
    assert "/de/mein-bereich/gemerkte-einsaetze/" in page and "/de/mein-bereich/passende-einsaetze/" in page
