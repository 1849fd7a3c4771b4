"""An organisation admin logs in with password and TOTP code and posts a need; a visitor finds it by full
text and by filter (with htmx, without reloading the page) and opens it. axe-core checks the search and
the need page in German and Arabic; the strict CSP reports nothing."""

import re

import pytest

from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import current_totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Hausaufgabenhilfe im Jugendhaus Verl"


@pytest.fixture
def live_site(transactional_db, live_server, settings):
    from cms.demo import seed_pages
    from volunteering.demo import seed_roles
    from volunteering.services.reference_data import district_load, taxonomy_load

    settings.SITE_URL = live_server.url
    seed_roles(home=seed_pages())
    taxonomy_load()
    district_load()
    return live_server.url


def _watch_csp(page, found):
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)


def test_an_organisation_posts_a_need_and_a_visitor_finds_it(
    browser, live_site, artifacts_dir, csp_violations
):
    from tests.conftest import _member, _organisation, with_totp
    from tests.volunteering.needs_helpers import make_need
    from volunteering.models import Need

    organisation = _organisation(
        "Flüchtlingshilfe Verl e. V.", "fluechtlingshilfe-verl", "Verl", status="verified"
    )
    admin = with_totp(_member(organisation, "admin@fluechtlingshilfe-verl.example", "admin"))
    make_need(
        organisation,
        admin,
        publish=True,
        title="Fahrradwerkstatt",
        activity="fahrradwerkstatt",
        tasks="Räder flicken.",
        description="Räder reparieren.",
        slots=("sat-morning",),
    )

    # 1. The admin logs in with password and TOTP code and posts a need.
    context = browser.new_context(base_url=live_site)
    page = context.new_page()
    _watch_csp(page, csp_violations)
    page.goto(f"/de/konto/login/?next=/de/organisation/{organisation.pk}/")
    page.locator("input[name=login]").fill(admin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    page.locator("input[name=code]").fill(current_totp_code())
    page.locator("main form button.kern-btn--primary").click()
    page.wait_for_url(re.compile(rf"/de/organisation/{organisation.pk}/$"))
    page.get_by_role("link", name="Einsätze verwalten").click()
    page.get_by_role("link", name="Neuen Einsatz anlegen").click()
    page.wait_for_url(re.compile(r"/bedarfe/neu/$"))
    assert_accessible(page)
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Beschreibung", exact=True).fill(
        "Schülerinnen und Schüler lernen nachmittags gemeinsam."
    )
    page.get_by_label("Handlungsfeld").select_option(label="Sprache und Bildung")
    page.get_by_label("Tätigkeitsart").select_option(label="Hausaufgabenhilfe")
    page.get_by_label("Das tun Sie").fill("Mathe und Deutsch üben, vorlesen.")
    page.get_by_label("Das gehört nicht dazu").fill("Keine Fahrdienste, keine Nachhilfe vor Prüfungen.")
    page.get_by_label("Kommune", exact=True).select_option(label="Verl")
    page.locator("#slot-tue-afternoon").check()
    page.get_by_label("Arabisch").check()
    page.screenshot(path=artifacts_dir / "need-editor.png", full_page=True)
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(r"/bedarfe/$"))
    assert "Ihr Einsatz ist veröffentlicht." in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "need-editor-list.png", full_page=True)
    need = Need.objects.get(title=TITLE)
    assert need.status == "published"
    context.close()

    # 2. A visitor searches by full text, then narrows by town; htmx swaps only the results.
    visitor = browser.new_context(base_url=live_site)
    page = visitor.new_page()
    _watch_csp(page, csp_violations)
    page.goto("/de/einsaetze/")
    assert_accessible(page)
    page.get_by_label("Suchbegriff").fill("Hausaufgaben")
    page.get_by_role("button", name="Suchen", exact=True).click()
    page.wait_for_url(re.compile(r"q=Hausaufgaben"))
    results = page.locator("#results")
    results.get_by_role("link", name=TITLE).wait_for()
    assert "Fahrradwerkstatt" not in results.inner_text()
    assert page.locator("#result-count").inner_text() == "1 Einsatz gefunden"
    page.get_by_label("Suchbegriff").fill("")
    page.locator("#id_taetigkeit").select_option(label="Fahrradwerkstatt")
    results.get_by_role("link", name="Fahrradwerkstatt").wait_for()
    page.wait_for_url(re.compile(r"taetigkeit=fahrradwerkstatt"))
    assert TITLE not in results.inner_text()
    page.locator("#id_taetigkeit").select_option(label="Hausaufgabenhilfe")
    page.locator("#id_ort").select_option(label="Verl")
    results.get_by_role("link", name=TITLE).wait_for()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "needs-search-de.png", full_page=True)
    results.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(rf"/de/einsaetze/{need.pk}/$"))
    main = page.locator("main").inner_text()
    assert "Das gehört nicht dazu" in main and "innerhalb von 3 Tagen" in main
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "need-page-de.png", full_page=True)

    # 3. The same pages in Arabic, right to left.
    page.goto("/ar/einsaetze/?q=Hausaufgaben")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#results").get_by_role("link", name=TITLE).wait_for()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "needs-search-ar.png", full_page=True)
    page.goto(f"/ar/einsaetze/{need.pk}/")
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "need-page-ar.png", full_page=True)
    visitor.close()
    assert csp_violations == []
