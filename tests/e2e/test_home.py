"""Browser journeys on the start page: German, Arabic (right to left), switching language."""

import pytest

from tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def live_site(transactional_db, live_server):
    from cms.demo import seed_pages

    seed_pages()
    return live_server.url


def test_the_start_page_in_german_is_accessible(page, live_site, artifacts_dir, csp_violations):
    page.goto(f"{live_site}/de/")

    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text().startswith("Gemeinsam ankommen")
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "home-de.png", full_page=True)
    assert csp_violations == []


def test_the_start_page_in_arabic_reads_right_to_left(page, live_site, artifacts_dir, csp_violations):
    page.goto(f"{live_site}/ar/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "home-ar.png", full_page=True)
    assert csp_violations == []


def test_a_visitor_switches_language_with_the_keyboard(page, live_site, artifacts_dir):
    page.goto(f"{live_site}/de/impressum/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_text("Sprache: Deutsch").click()
    page.get_by_role("link", name="العربية").click()

    page.wait_for_url(f"{live_site}/ar/impressum/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "impressum-ar.png", full_page=True)


def test_the_layout_holds_at_320_pixels(page, live_site, artifacts_dir):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_site}/de/")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
    page.screenshot(path=artifacts_dir / "home-de-320.png", full_page=True)


def test_the_page_works_without_javascript(browser, live_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_site}/de/")
    page.get_by_text("Sprache: Deutsch").click()
    page.get_by_role("link", name="English").click()

    assert page.url == f"{live_site}/en/"
    context.close()
