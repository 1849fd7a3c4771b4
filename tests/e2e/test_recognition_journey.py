"""Recognition, end to end in a browser: a volunteer logs hours (two at once), the organisation confirms
them in bulk, the 50-hour milestone's thank-you arrives (e-mail in the volunteer's language and in-app),
the organisation writes an Engagementnachweis, and the volunteer downloads the hours confirmation for the
Ehrenamtskarte NRW and the Engagementnachweis; `pdftotext` shows the required fields. axe-core checks
every page."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest

from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import live_site, signed_in_context  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"),
]


def _watch_csp(page, found: list[str]) -> None:
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)


def _pdf_text(download) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(download.path()), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


def test_hours_are_logged_confirmed_thanked_and_certified(
    browser,
    live_site,  # noqa: F811
    artifacts_dir,
    csp_violations,
):
    from django.core import mail
    from django.utils import timezone

    from notifications.services.delivery import notifications_sweep
    from tests.conftest import _member, _organisation, with_totp
    from tests.volunteering.applications_world import make_volunteer
    from tests.volunteering.recognition_world import make_engagement
    from volunteering.models import (
        HoursEntry,
        HoursStatus,
        Kommune,
        Milestone,
        MilestoneKind,
        ThankYou,
        VolunteerProfile,
    )
    from volunteering.services import recognition

    today = timezone.localdate()
    organisation = _organisation(
        "Flüchtlingshilfe Verl e. V.", "fluechtlingshilfe-verl", "Verl", status="verified"
    )
    admin = with_totp(_member(organisation, "admin@fluechtlingshilfe-verl.example", "admin"))
    volunteer = make_volunteer(
        "amira@example.org", first_name="Amira", last_name="Haddad", preferred_language="en"
    )
    VolunteerProfile.objects.create(
        user=volunteer, display_name="Amira", kommune=Kommune.objects.get(name="Gütersloh")
    )
    engagement = make_engagement(
        volunteer, organisation, starts_on=today - timedelta(days=400), title="Sprachcafé im Bürgerhaus"
    )
    # 45 hours from earlier weeks, confirmed already (the 10-hour milestone is behind her).
    earlier = recognition.hours_log(
        volunteer=volunteer,
        engagement=engagement,
        lines=[recognition.HoursLine(today - timedelta(days=30 + week * 7), 9 * 60) for week in range(5)],
    )
    recognition.hours_confirm(actor=admin, organisation=organisation, entry_ids=[e.pk for e in earlier])

    # 1. The volunteer logs two afternoons at once.
    context = signed_in_context(browser, live_site, volunteer)
    page = context.new_page()
    _watch_csp(page, csp_violations)
    page.goto("/de/mein-bereich/")
    page.get_by_role("link", name="Meine Stunden und Anerkennung").click()
    page.wait_for_url(re.compile(r"/de/mein-bereich/anerkennung/$"))
    assert "Noch 355 Stunden bis zur Ehrenamtskarte NRW" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Sprachcafé im Bürgerhaus")).click()
    page.wait_for_url(re.compile(rf"/anerkennung/stunden/{engagement.pk}/$"))
    assert_accessible(page)
    page.locator("input[name=stunden-0-worked_on]").fill((today - timedelta(days=2)).isoformat())
    page.locator("input[name=stunden-0-hours]").fill("3")
    page.locator("input[name=stunden-0-note]").fill("Sprachcafé mit neuen Gästen")
    page.locator("input[name=stunden-1-worked_on]").fill((today - timedelta(days=1)).isoformat())
    page.locator("input[name=stunden-1-hours]").fill("2,5")
    page.screenshot(path=artifacts_dir / "recognition-log-hours.png", full_page=True)
    page.get_by_role("button", name="Stunden einreichen").click()
    page.wait_for_url(re.compile(r"/de/mein-bereich/anerkennung/$"))
    waiting = list(HoursEntry.objects.filter(status=HoursStatus.SUBMITTED).order_by("worked_on"))
    assert [entry.minutes for entry in waiting] == [180, 150]

    # 2. The organisation confirms both in one go.
    org = signed_in_context(browser, live_site, admin)
    org_page = org.new_page()
    _watch_csp(org_page, csp_violations)
    org_page.goto(f"/de/organisation/{organisation.pk}/")
    org_page.get_by_role("link", name="Stunden bestätigen").click()
    org_page.wait_for_url(re.compile(rf"/organisation/{organisation.pk}/stunden/$"))
    assert "Sprachcafé mit neuen Gästen" in org_page.locator("main").inner_text()
    assert_accessible(org_page)
    for entry in waiting:
        org_page.locator(f"#entry-{entry.pk}").check()
    org_page.screenshot(path=artifacts_dir / "recognition-confirm-bulk.png", full_page=True)
    org_page.get_by_role("button", name="Ausgewählte bestätigen").click()
    org_page.wait_for_url(re.compile(rf"/organisation/{organisation.pk}/stunden/$"))
    assert "2 Einträge bestätigt." in org_page.locator("body").inner_text()
    assert not HoursEntry.objects.filter(status=HoursStatus.SUBMITTED).exists()
    milestone = Milestone.objects.get(volunteer=volunteer, kind=MilestoneKind.HOURS_50)

    # 3. The 50-hour thank-you: the organisation adds a personal line and sends it now.
    org_page.get_by_role("link", name="Dankeschöns zu Meilensteinen").click()
    assert_accessible(org_page)
    thank_you = ThankYou.objects.get(milestone=milestone)
    org_page.locator(f'a[href$="/dank/{thank_you.pk}/"]').click()
    org_page.wait_for_url(re.compile(rf"/dank/{thank_you.pk}/$"))
    assert_accessible(org_page)
    org_page.locator("textarea[name=text]").fill(
        "Fifty hours at the Sprachcafé – thank you, Amira! Our guests love your Tuesdays."
    )
    org_page.get_by_role("button", name="Jetzt verschicken").click()
    org_page.wait_for_url(re.compile(r"/dank/$"))
    notifications_sweep()  # what beat does every minute
    thanks = [message for message in mail.outbox if "50" in message.subject]
    assert len(thanks) == 1
    assert thanks[0].to == ["amira@example.org"]
    assert "Fifty hours at the Sprachcafé" in thanks[0].body
    assert "Flüchtlingshilfe Verl e. V." in thanks[0].body  # signed by the organisation
    assert thanks[0].alternatives and "text/html" in thanks[0].alternatives[0][1]
    page.goto("/de/benachrichtigungen/")
    assert "Fifty hours at the Sprachcafé" in page.locator("main").inner_text()
    page.screenshot(path=artifacts_dir / "recognition-thanks-inapp.png", full_page=True)

    # 4. The organisation writes the Engagementnachweis.
    org_page.goto(f"/de/organisation/{organisation.pk}/engagements/")
    org_page.get_by_role("link", name="Engagementnachweis").click()
    org_page.wait_for_url(re.compile(r"/nachweis/$"))
    assert_accessible(org_page)
    org_page.get_by_label("Umfang", exact=True).fill("etwa 3 Stunden pro Woche")
    org_page.get_by_label("Aufgaben und Leistungen (auf Wunsch)").fill(
        "Gesprächsrunden leiten, Neue begrüßen"
    )
    org_page.get_by_label("Kommunikation").check()
    org_page.get_by_label("Dank", exact=True).fill("Wir danken Amira für ihre Herzlichkeit.")
    org_page.get_by_role("button", name="Nachweis ausstellen").click()
    org_page.wait_for_url(re.compile(r"/engagements/$"))

    # 5. The volunteer downloads the hours confirmation and the Engagementnachweis.
    page.goto("/de/mein-bereich/anerkennung/")
    main = page.locator("main").inner_text()
    assert "50 Stunden" in main and "Noch 349,50 Stunden" in main
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "recognition-overview.png", full_page=True)
    with page.expect_download() as confirmation:
        page.get_by_role("button", name=re.compile("Stundenbestätigung von Flüchtlingshilfe Verl")).click()
    text = _pdf_text(confirmation.value)
    for expected in [
        "Bestätigung der ehrenamtlichen Stunden",
        "Ehrenamtskarte NRW",
        "Amira Haddad",
        "Flüchtlingshilfe Verl e. V.",
        "Sprachcafé im Bürgerhaus",
        "50,50 Stunden",
        "Keine pauschale Aufwandsentschädigung",
        "Prüfcode",
        "Unterschrift",
    ]:
        assert expected in text, expected
    page.goto("/de/mein-bereich/anerkennung/")
    with page.expect_download() as certificate:
        page.get_by_role("link", name=re.compile("^Engagementnachweis")).click()
    text = _pdf_text(certificate.value)
    for expected in [
        "Engagementnachweis",
        "Amira Haddad",
        "Flüchtlingshilfe Verl e. V.",
        "Tätigkeitsbereich Sprachcafé im Bürgerhaus",
        "etwa 3 Stunden pro Woche",
        "Gesprächsrunden leiten",
        "Kommunikation",
        "Wir danken Amira für ihre Herzlichkeit.",
        "Prüfcode",
    ]:
        assert expected in text, expected
    assert csp_violations == []
