"""Every cms page type, in German and Arabic, passes axe-core with 0 violations and no CSP violation."""

import pytest
from django.core.management import call_command

from tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def live_site(transactional_db, live_server, settings):
    settings.SITE_URL = live_server.url
    # The consent texts come from a data migration, which transactional tests flush.
    call_command("migrate", "volunteering", "0002", verbosity=0)
    call_command("migrate", verbosity=0)  # every app: cms migrations depend on volunteering
    call_command("seed_demo", "--quiet-logins", verbosity=0)
    return live_server.url


PAGES = {
    "home": "/{lang}/",
    "taster_index": "/{lang}/schnuppern/",
    "taster_offer": "/{lang}/schnuppern/hausaufgaben-harsewinkel/",
    "campaign": "/{lang}/patenschaften/",
    "campaign_poster": "/{lang}/kampagnen/paten-kreis-gt/plakat/",
    "story_index": "/{lang}/geschichten/",
    "story": "/{lang}/geschichten/olena-liest-vor/",
    "easy_language": "/{lang}/leichte-sprache/",
    "standard": "/{lang}/impressum/",
}


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_page_type_is_accessible(page, live_site, artifacts_dir, csp_violations, lang):
    for name, path in PAGES.items():
        response = page.goto(live_site + path.format(lang=lang))
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page)
        page.screenshot(path=artifacts_dir / f"cms-{name}-{lang}.png", full_page=True)
    assert csp_violations == []
