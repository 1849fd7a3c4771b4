import pytest
from wagtail.models import Page, Site

from cms.demo import seed_pages
from cms.models import HomePage, StandardPage


@pytest.mark.django_db
def test_seeding_twice_changes_nothing(site_tree):
    before = (Page.objects.count(), StandardPage.objects.count(), Site.objects.count())

    seed_pages()

    assert (Page.objects.count(), StandardPage.objects.count(), Site.objects.count()) == before
    assert Site.objects.get(is_default_site=True).root_page.specific == site_tree


@pytest.mark.django_db
def test_the_start_page_shows_its_content_and_the_legal_pages(client, site_tree):
    response = client.get("/de/")

    assert response.status_code == 200
    assert site_tree.hero_title in response.text
    for title in ("Impressum", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit"):
        assert title in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["impressum", "datenschutz", "barrierefreiheit"])
def test_legal_pages_are_published(client, site_tree, slug):
    response = client.get(f"/de/{slug}/")

    assert response.status_code == 200
    assert "<h1" in response.text


@pytest.mark.django_db
def test_a_start_page_cannot_be_created_below_another_page():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert StandardPage in HomePage.allowed_subpage_models()
    assert HomePage not in StandardPage.allowed_subpage_models()


@pytest.mark.django_db
def test_sitemap_lists_the_live_pages(client, site_tree):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert b"/de/impressum/" in response.content


@pytest.mark.django_db
def test_unpublished_pages_are_not_in_the_sitemap(client, site_tree):
    page = StandardPage.objects.get(slug="impressum")
    page.unpublish()

    response = client.get("/sitemap.xml")

    assert b"/de/impressum/" not in response.content


def test_robots_txt_keeps_crawlers_out_of_accounts_and_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert "Disallow: /admin/" in response.text
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
