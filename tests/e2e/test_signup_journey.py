"""A visitor signs up, confirms the address from the development mailbox, fills in the profile wizard and
sees the checklist — in German, Arabic (right to left) and Ukrainian; axe-core checks every page."""

import re

import pytest
from django.utils import translation

from tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser

TEXTS = {
    "de": {"signup": "Registrieren", "next": "Speichern und weiter", "done": "Speichern und fertig"},
}


@pytest.fixture
def live_site(transactional_db, live_server, settings, tmp_path):
    from cms.demo import seed_pages
    from volunteering.services.reference_data import district_load, taxonomy_load

    settings.EMAIL_BACKEND = "notifications.backends.MailboxBackend"
    settings.MAILBOX_ENABLED = True
    settings.SITE_URL = live_server.url
    # The consent texts come from a data migration, which transactional tests flush.
    from django.core.management import call_command

    call_command("migrate", "volunteering", "0002", verbosity=0)
    call_command("migrate", verbosity=0)  # every app: cms migrations depend on volunteering
    seed_pages()
    taxonomy_load()
    district_load()
    return live_server.url


def _submit(page):
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
def test_a_visitor_signs_up_and_completes_the_profile(page, live_site, artifacts_dir, language):
    email = f"neu-{language}@example.org"
    with translation.override(language):
        page.goto(f"{live_site}/{language}/konto/signup/")
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
        page.fill("input[name=email]", email)
        page.fill("input[name=password1]", "Ein-gutes-Passwort-7")
        page.fill("input[name=password2]", "Ein-gutes-Passwort-7")
        page.fill("input[name=birth_year]", "1991")
        page.check("input[name=accept_terms]")
        _submit(page)
        assert_accessible(page)

        # The verification mail, read in the development mailbox.
        page.goto(f"{live_site}/{language}/dev/postfach/")
        assert_accessible(page)
        page.locator("main table a").first.click()
        assert_accessible(page)
        link = page.locator("main .mail-text a", has_text=re.compile("confirm-email")).first.get_attribute(
            "href"
        )
        page.goto(link)
        assert_accessible(page)
        _submit(page)

        # Signed in: the wizard, one step after the other.
        page.goto(f"{live_site}/{language}/mein-bereich/profil/place/")
        assert_accessible(page)
        page.fill("input[name=display_name]", "Mira")
        page.fill("input[name=postcode]", "33378")
        _submit(page)
        assert page.url.endswith("/profil/languages/")
        assert_accessible(page)
        page.select_option("select[name=languages-0-language]", index=1)
        page.select_option("select[name=languages-0-level]", value="7")
        _submit(page)
        assert page.url.endswith("/profil/interests/")
        assert_accessible(page)
        page.locator("input[name=handlungsfelder]").first.check()
        _submit(page)
        assert page.url.endswith("/profil/time/")
        assert_accessible(page)
        page.check("#slot-tue-evening")
        page.locator("input[name=engagement_forms]").first.check()
        _submit(page)
        assert page.url.endswith("/profil/about/")
        assert_accessible(page)
        page.fill("textarea[name=motivation]", "Ich möchte helfen.")
        _submit(page)

        assert page.url.endswith(f"/{language}/mein-bereich/")
        assert_accessible(page)
        assert page.locator("progress").first.get_attribute("value") == "100"
        page.screenshot(path=artifacts_dir / f"mein-bereich-{language}.png", full_page=True)
