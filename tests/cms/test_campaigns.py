"""Campaigns: the call to action, attribution of sign-ups through the campaign link, QR code, progress."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import CampaignPage
from tests.volunteering.applications_world import make_volunteer
from volunteering.models import CampaignSignup
from volunteering.selectors.campaigns import campaign_progress

pytestmark = pytest.mark.django_db


def make_campaign(home, **fields) -> CampaignPage:
    today = timezone.localdate()
    values = {
        "title": "Patenschaften für Neuzugewanderte",
        "slug": fields.pop("slug", "patenschaften"),
        "intro": "Begleiten Sie eine Familie in den ersten Monaten.",
        "goal": "30 neue Patinnen und Paten",
        "goal_signups": 30,
        "starts_on": today - timedelta(days=1),
        "ends_on": today + timedelta(days=60),
        "cta_label": "Patenschaften finden",
        "needs_query": "handlungsfeld=2",
        "code": "paten-gt",
    }
    values.update(fields)
    campaign = CampaignPage(**values)
    home.add_child(instance=campaign)
    campaign.save_revision().publish()
    return campaign


def test_the_campaign_page_leads_into_the_filtered_need_search_with_its_code(client, site_tree):
    campaign = make_campaign(site_tree)

    response = client.get(campaign.url)

    assert response.status_code == 200
    assert "/de/einsaetze/?handlungsfeld=2&amp;kampagne=paten-gt" in response.text


def test_a_campaign_can_lead_to_the_taster_list(client, site_tree):
    campaign = make_campaign(site_tree, cta_target=CampaignPage.Target.TASTERS)

    assert "/de/schnuppern/?kampagne=paten-gt" in client.get(campaign.url).text


def test_a_sign_up_through_the_campaign_link_is_attributed(client, site_tree):
    make_campaign(site_tree)
    client.get("/de/?kampagne=paten-gt")

    response = client.post(
        "/de/konto/signup/",
        {
            "email": "neu@example.org",
            "password1": "Ein-gutes-Passwort-7",
            "password2": "Ein-gutes-Passwort-7",
            "birth_year": "1990",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert CampaignSignup.objects.get(user__email="neu@example.org").code == "paten-gt"
    assert campaign_progress("paten-gt")["signups"] == 1


def test_unknown_codes_are_not_remembered(client, site_tree):
    client.get("/de/?kampagne=gibt-es-nicht")

    assert "campaign_code" not in client.session


def test_the_qr_code_is_an_svg_of_the_campaign_link(client, site_tree):
    make_campaign(site_tree)

    response = client.get("/de/kampagnen/paten-gt/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") or b"<svg" in response.content[:200]
    assert client.get("/de/kampagnen/paten-gt/plakat/").status_code == 200
    assert client.get("/de/kampagnen/unbekannt/qr.svg").status_code == 404


def test_an_unpublished_campaign_has_no_qr_code(client, site_tree):
    make_campaign(site_tree).unpublish()

    assert client.get("/de/kampagnen/paten-gt/qr.svg").status_code == 404


def test_editors_see_the_progress_in_the_page_editor(client, site_tree, editor):
    campaign = make_campaign(site_tree)
    CampaignSignup.objects.create(user=make_volunteer(), code="paten-gt")
    client.force_login(editor)

    response = client.get(f"/admin/pages/{campaign.pk}/edit/")

    assert response.status_code == 200
    assert "1 Anmeldung über den Kampagnen-Link" in response.text


def test_two_campaigns_cannot_share_a_code(site_tree):
    from django.core.exceptions import ValidationError

    make_campaign(site_tree)
    other = CampaignPage(
        title="Andere",
        slug="andere",
        intro="x",
        goal="y",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        cta_label="Los",
        code="paten-gt",
    )
    other.path = "zz"  # not saved; clean() only
    with pytest.raises(ValidationError):
        other.clean()
