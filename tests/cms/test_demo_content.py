"""The demo content: complete, idempotent, and every page renders."""

import pytest
from django.core.management import call_command

from cms.models import CampaignPage, HomePage, StoryPage, TasterOfferPage
from volunteering.models import TasterSignup, TasterSignupStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(site_tree, reference_data):
    call_command("seed_demo", "--quiet-logins", verbosity=0)


def test_the_demo_has_campaign_offers_stories_and_translations(demo, client):
    assert CampaignPage.objects.filter(code="paten-kreis-gt").exists()
    german = {"locale__language_code": "de"}
    assert TasterOfferPage.objects.live().filter(**german).values("kommune").distinct().count() == 5
    assert StoryPage.objects.live().filter(**german).count() == 3
    # Untranslated pages exist in every language tree, as aliases of the German page.
    assert StoryPage.objects.live().filter(locale__language_code="ar", alias_of__isnull=False).count() == 3
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) >= {"de", "en", "uk", "ar"}
    full = TasterOfferPage.objects.get(slug="hausaufgaben-harsewinkel", **german)
    assert TasterSignup.objects.filter(offer=full, status=TasterSignupStatus.BOOKED).count() == full.capacity
    assert TasterSignup.objects.filter(offer=full, status=TasterSignupStatus.WAITLISTED).exists()

    home = client.get("/de/").text
    assert "Patenschaften für Neuzugewanderte im Kreis Gütersloh" in home
    assert "Leichte Sprache" in home
    assert "Разом приїжджати" in client.get("/uk/").text
    for page in [
        *TasterOfferPage.objects.filter(**german),
        *StoryPage.objects.filter(locale__language_code="ar"),
    ]:
        assert client.get(page.url).status_code == 200, page.url
    assert "geprüft von Lesern der Zielgruppe am" in client.get("/de/leichte-sprache/").text
    assert "content-language-note" in client.get("/uk/schnuppern/").text  # "only in German", translated


def test_seeding_the_demo_twice_changes_nothing(demo):
    from wagtail.models import Page

    before = (Page.objects.count(), TasterSignup.objects.count())
    call_command("seed_demo", "--quiet-logins", verbosity=0)
    assert (Page.objects.count(), TasterSignup.objects.count()) == before
