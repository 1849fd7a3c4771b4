"""A signed-in person registers an organisation; a coordinator of its town logs in with password and TOTP
code and frees it in the Wagtail admin; the public page appears. axe-core checks the site's pages."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings

from tests.accessibility import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the secret tests.conftest.with_totp activates


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


def signed_in_context(browser, base_url: str, user):
    """A browser context with the person's session (made by the test client, then handed over)."""
    from tests.conftest import SignedInClient

    client = SignedInClient()
    client.force_login(user)
    context = browser.new_context(base_url=base_url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context


def current_totp_code() -> str:
    """Returns the code of the current 30-second window, waiting for the next window when this one ends
    within 5 seconds (the server accepts the current window only: a code typed at 29.9 s fails at 30.1 s)."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def test_an_organisation_is_registered_verified_and_published(
    browser, live_site, artifacts_dir, csp_violations
):
    from tests.conftest import with_totp
    from volunteering.models import CoordinatorRole, Kommune, Organisation

    founder = with_totp(UserFactory(email="gruenderin@example.org", first_name="Amira", last_name="Haddad"))
    coordinator = with_totp(
        UserFactory(email="koordination-halle@example.org", is_staff=True, groups=["Koordination"])
    )
    CoordinatorRole.objects.create(user=coordinator).kommunen.set(
        Kommune.objects.filter(name="Halle (Westf.)")
    )

    # 1. The founder registers the organisation.
    founder_context = signed_in_context(browser, live_site, founder)
    page = founder_context.new_page()
    page.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto("/de/organisation/registrieren/")
    assert page.locator("h1").inner_text() == "Organisation registrieren"
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Sprachbrücke Halle e. V.")
    page.get_by_label("Rechtsform").select_option("ev")
    page.get_by_label("Halle (Westf.)").check()
    page.get_by_label("Beschreibung").fill("Ehrenamtliche Sprachmittlung für Arabisch, Dari und Ukrainisch.")
    page.get_by_label("E-Mail für Anfragen").fill("info@sprachbruecke-halle.example")
    page.get_by_label("Website").fill("https://sprachbruecke-halle.example")
    page.screenshot(path=artifacts_dir / "organisation-register.png", full_page=True)
    page.get_by_role("button", name="Registrieren").click()

    page.wait_for_url(re.compile(r"/de/organisation/\d+/$"))
    assert "wartet auf Prüfung" in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "organisation-pending.png", full_page=True)
    organisation = Organisation.objects.get()
    assert page.context.request.get(f"/de/organisationen/{organisation.slug}/").status == 404
    founder_context.close()

    # 2. The coordinator of Halle logs in to the Wagtail admin with password and TOTP, and frees it.
    admin = browser.new_context(base_url=live_site)
    page = admin.new_page()
    page.goto("/de/konto/login/?next=/admin/koordination/organisationen/")
    page.locator("input[name=login]").fill(coordinator.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    page.locator("input[name=code]").fill(current_totp_code())
    page.locator("main form button.kern-btn--primary").click()
    page.wait_for_url(re.compile(r"/admin/koordination/organisationen/$"))
    assert "Sprachbrücke Halle e. V." in page.locator("main").inner_text()
    page.screenshot(path=artifacts_dir / "organisation-admin-list.png", full_page=True)
    page.get_by_role("link", name="Sprachbrücke Halle e. V.").click()
    page.wait_for_url(re.compile(rf"/admin/koordination/organisationen/{organisation.pk}/$"))
    assert "gruenderin@example.org" in page.locator("main").inner_text()
    page.screenshot(path=artifacts_dir / "organisation-admin-inspect.png", full_page=True)
    page.get_by_role("button", name="Aktionen").click()
    page.get_by_role("link", name="Freigeben").click()
    page.wait_for_url(re.compile(r"/freigeben/$"))
    page.get_by_label("Hinweis an die Organisation").fill("Willkommen auf der Plattform!")
    page.screenshot(path=artifacts_dir / "organisation-admin-verify.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/koordination/organisationen/$"))
    assert "ist freigegeben" in page.content()
    admin.close()

    # 3. The public page exists now, for everyone.
    visitor = browser.new_context(base_url=live_site)
    page = visitor.new_page()
    page.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto(f"/de/organisationen/{organisation.slug}/")
    assert page.locator("h1").inner_text() == "Sprachbrücke Halle e. V."
    main = page.locator("main").inner_text()
    assert "Halle (Westf.)" in main
    assert "info@sprachbruecke-halle.example" in main
    assert "Versicherung der Organisation" in main
    assert (
        page.locator('a[href="https://sprachbruecke-halle.example"]').get_attribute("rel")
        == "noopener nofollow"
    )
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "organisation-public.png", full_page=True)
    visitor.close()
    assert csp_violations == []
