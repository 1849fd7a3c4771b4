"""A volunteer applies for a need; the organisation admin logs in with password and TOTP code, answers and
accepts; both see the engagement. axe-core checks every application page in German and Arabic."""

import re

import pytest

from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import current_totp_code, live_site, signed_in_context  # noqa: F401
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _watch_csp(page, found: list[str]) -> None:
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)


def test_a_volunteer_applies_the_organisation_answers_and_accepts(
    browser,
    live_site,  # noqa: F811
    artifacts_dir,
    csp_violations,
):
    from tests.conftest import _member, _organisation, with_totp
    from tests.volunteering.applications_world import make_need, make_volunteer
    from volunteering.models import Application, Engagement, VolunteerProfile

    organisation = _organisation(
        "Flüchtlingshilfe Verl e. V.", "fluechtlingshilfe-verl", "Verl", status="verified"
    )
    admin = with_totp(_member(organisation, "admin@fluechtlingshilfe-verl.example", "admin"))
    need = make_need(organisation, title="Sprachcafé im Bürgerhaus", volunteers_wanted=3)
    second_need = make_need(organisation, title="Begleitung zu Ämtern", volunteers_wanted=2)
    volunteer = make_volunteer("amira@example.org", first_name="Amira", last_name="Haddad")
    VolunteerProfile.objects.create(user=volunteer, display_name="Amira")

    # 1. The volunteer opens the need and applies.
    context = signed_in_context(browser, live_site, volunteer)
    page = context.new_page()
    _watch_csp(page, csp_violations)
    page.goto(f"/de/einsaetze/{need.pk}/")
    page.locator(f'a[href="/de/einsaetze/{need.pk}/bewerben/"]').first.click()
    page.wait_for_url(re.compile(rf"/de/einsaetze/{need.pk}/bewerben/$"))
    assert_accessible(page)
    page.get_by_label("Ihre Nachricht an die Organisation").fill(
        "Ich spreche Arabisch und habe dienstags Zeit."
    )
    page.screenshot(path=artifacts_dir / "application-apply.png", full_page=True)
    page.get_by_role("button", name="Bewerbung absenden").click()
    page.wait_for_url(re.compile(r"/de/mein-bereich/bewerbungen/\d+/$"))
    application = Application.objects.get()
    assert "eingegangen" in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-volunteer-submitted.png", full_page=True)

    # 2. The organisation admin logs in (password, then TOTP code) and finds it in the inbox.
    org = browser.new_context(base_url=live_site)
    page = org.new_page()
    _watch_csp(page, csp_violations)
    page.goto(f"/de/konto/login/?next=/de/organisation/{organisation.pk}/bewerbungen/")
    page.locator("input[name=login]").fill(admin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    page.locator("input[name=code]").fill(current_totp_code())
    page.locator("main form button.kern-btn--primary").click()
    page.wait_for_url(re.compile(rf"/de/organisation/{organisation.pk}/bewerbungen/$"))
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-inbox.png", full_page=True)
    page.get_by_role("link", name="Amira").click()
    page.wait_for_url(re.compile(rf"/bewerbungen/{application.pk}/$"))
    main = page.locator("main").inner_text()
    assert "Ich spreche Arabisch" in main and "amira@example.org" not in main
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-org-detail.png", full_page=True)

    # 3. It answers (the application is now in contact), then accepts.
    page.locator("#contact_body").fill("Wie schön! Kommen Sie am Dienstag um 17 Uhr ins Bürgerhaus?")
    page.get_by_role("button", name="Antwort senden").click()
    page.wait_for_url(re.compile(rf"/bewerbungen/{application.pk}/$"))
    assert "im Gespräch" in page.locator("main").inner_text()
    page.get_by_role("button", name="Zusagen").click()
    page.wait_for_url(re.compile(rf"/bewerbungen/{application.pk}/$"))
    main = page.locator("main").inner_text()
    assert "zugesagt" in main and "amira@example.org" in main
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-org-accepted.png", full_page=True)
    page.goto(f"/de/organisation/{organisation.pk}/engagements/")
    assert "Amira Haddad" in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-engagements.png", full_page=True)
    engagement = Engagement.objects.get()
    assert (engagement.volunteer, engagement.need) == (volunteer, need)

    # 4. The volunteer sees the answer and the engagement.
    page = context.new_page()
    _watch_csp(page, csp_violations)
    page.goto(f"/de/mein-bereich/bewerbungen/{application.pk}/")
    main = page.locator("main").inner_text()
    assert "Ihr Engagement" in main and "Dienstag um 17 Uhr" in main and "zugesagt" in main
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-volunteer-engagement.png", full_page=True)
    page.goto("/de/mein-bereich/bewerbungen/")
    assert_accessible(page)

    # 5. The same pages in Arabic (right to left).
    for path in (
        f"/ar/einsaetze/{second_need.pk}/bewerben/",
        "/ar/mein-bereich/bewerbungen/",
        f"/ar/mein-bereich/bewerbungen/{application.pk}/",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-volunteer-ar.png", full_page=True)
    page = org.new_page()
    for path in (
        f"/ar/organisation/{organisation.pk}/bewerbungen/",
        f"/ar/organisation/{organisation.pk}/bewerbungen/{application.pk}/",
        f"/ar/organisation/{organisation.pk}/engagements/",
        f"/ar/organisation/{organisation.pk}/textbausteine/",
    ):
        page.goto(path)
        assert_accessible(page)
    page.screenshot(path=artifacts_dir / "application-templates-ar.png", full_page=True)
    context.close()
    org.close()
    assert csp_violations == []
