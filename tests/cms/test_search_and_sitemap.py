"""Private or unpublished pages never appear in site search, sitemap or feeds for anonymous visitors."""

import pytest
from wagtail.models import PageViewRestriction

from tests.cms.taster_world import make_offer
from tests.cms.test_stories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(site_tree, organisation):
    public = make_offer(organisation, title="Gartenprojekt öffentlich")
    private = make_offer(organisation, title="Gartenprojekt privat")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = make_offer(organisation, title="Gartenprojekt Entwurf")
    draft.unpublish()
    story = make_story("Gartenprojekt Geschichte privat")
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    return public, private, draft


def test_the_site_search_finds_only_live_public_pages(client, pages):
    response = client.get("/de/suche/?q=Gartenprojekt")

    assert response.status_code == 200
    assert "Gartenprojekt öffentlich" in response.text
    assert "privat" not in response.text
    assert "Entwurf" not in response.text


def test_the_sitemap_lists_only_live_public_pages(client, pages):
    public, private, _draft = pages

    body = client.get("/sitemap.xml").content.decode()

    assert public.url in body
    assert private.url not in body
    assert "gartenprojekt-entwurf" not in body


def test_feeds_hold_no_private_or_unpublished_offers(client, pages):
    body = client.get("/de/schnuppern/kalender.ics").content.decode()

    assert "Gartenprojekt öffentlich" in body
    assert "privat" not in body and "Entwurf" not in body
    assert b"privat" not in client.get("/de/feeds/geschichten.xml").content


def test_the_search_survives_odd_input(client, site_tree):
    for text in ["\x00", "a" * 10_000, "‮evil", "<script>alert(1)</script>"]:
        response = client.get("/de/suche/", {"q": text})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.text
