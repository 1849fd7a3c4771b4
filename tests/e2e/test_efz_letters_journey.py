"""An organisation admin records an applicant's eFZ inspection and issues the confirmation for the
Meldebehörde; a visitor verifies the letter's code on the public page (de and ar, axe-checked), and a
mistyped code is reported as such."""

import re
import subprocess

import pytest

from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import signed_in_context
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


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


def test_an_admin_records_an_efz_issues_the_confirmation_and_a_visitor_verifies_it(
    browser, live_site, artifacts_dir, csp_violations, tmp_path
):
    from datetime import date

    from tests.conftest import _member, _organisation, with_totp
    from tests.volunteering.applications_world import make_need
    from volunteering.models import Application, EfzRecord, IssuedLetter, Kommune, VolunteerProfile

    organisation = _organisation("Kinder- und Jugendhilfe Verl e. V.", "kjh-verl", "Verl")
    admin = with_totp(_member(organisation, "leitung@kjh-verl.example", "admin"))
    applicant = UserFactory(email="samira.applicant@example.org", first_name="Samira", last_name="Nouri")
    VolunteerProfile.objects.create(user=applicant, kommune=Kommune.objects.get(name="Verl"))
    need = make_need(organisation, title="Ferienspiele im Jugendzentrum")
    Application.objects.create(need=need, volunteer=applicant, status="submitted")

    # 1. The admin opens the eFZ overview from the organisation page and records the inspection.
    context = signed_in_context(browser, live_site, admin)
    page = context.new_page()
    page.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto(f"/de/organisation/{organisation.pk}/")
    page.get_by_role("link", name="Erweiterte Führungszeugnisse").click()
    page.wait_for_url(re.compile(r"/fuehrungszeugnisse/$"))
    assert "nicht erfasst" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Einsicht erfassen").click()
    page.wait_for_url(re.compile(r"/erfassen/$"))
    assert page.locator("input[type=file], textarea").count() == 0
    assert_accessible(page)
    today = date.today().isoformat()
    page.get_by_label("Ausstellungsdatum des Führungszeugnisses").fill(today)
    page.get_by_label("Nein").check()
    page.get_by_label("Eingesehen durch").select_option("organisation")
    page.get_by_label("Eingesehen am").fill(today)
    page.screenshot(path=artifacts_dir / "efz-record.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/fuehrungszeugnisse/$"))
    assert "relevanter Eintrag: nein" in page.locator("main").inner_text()
    assert EfzRecord.objects.filter(volunteer=applicant, relevant_entry=False).count() == 1

    # 2. The admin issues the confirmation for the Meldebehörde and downloads it.
    page.get_by_role("button", name="Bestätigung für die Meldebehörde ausstellen").click()
    page.wait_for_url(re.compile(r"/fuehrungszeugnisse/$"))
    letter = IssuedLetter.objects.get(kind="efz_confirmation", subject=applicant)
    assert letter.display_code in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "efz-confirmation-issued.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Bestätigung vom")).click()
    pdf_path = tmp_path / "bestaetigung.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode()
    assert "Zur Vorlage bei der Meldebehörde" in text and letter.display_code in text
    context.close()

    # 3. A visitor types the code (lower case, with spaces) and sees what the letter states.
    visitor = browser.new_context(base_url=live_site)
    page = visitor.new_page()
    page.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto("/de/nachweis/")
    assert_accessible(page)
    page.get_by_label("Prüfcode").fill(letter.display_code.lower().replace("-", " "))
    page.get_by_role("button", name="Prüfen").click()
    page.wait_for_url(re.compile(r"/de/nachweis/[0-9A-Z-]{19}/$"))
    main = page.locator("main").inner_text()
    assert "Samira Nouri" in main and "Kinder- und Jugendhilfe Verl e. V." in main and "72a" in main
    assert "samira.applicant@example.org" not in page.content()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "letter-verified-de.png", full_page=True)

    # The same page in Arabic (right to left) is accessible too.
    page.goto(f"/ar/nachweis/{letter.display_code}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "Samira Nouri" in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "letter-verified-ar.png", full_page=True)

    # 4. One symbol changed: the page says the code is mistyped, and shows nothing of the letter.
    code = letter.code
    tampered = code[:5] + ("X" if code[5] != "X" else "Y") + code[6:]
    page.goto(f"/de/nachweis/{tampered}/")
    main = page.locator("main").inner_text()
    assert "vertippt" in main and "Samira" not in main
    assert_accessible(page)
    page.goto(f"/ar/nachweis/{tampered}/")
    assert_accessible(page)
    visitor.close()
    assert csp_violations == []
