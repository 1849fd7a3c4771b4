"""A volunteer finds that a need requires the Basiskurs Sprachmittlung, opens the next session (full),
logs in from there and joins the waitlist; is promoted when the holder of the seat cancels; attends both
appointments (the town's coordinator marks them in the Wagtail admin, with password and TOTP); receives the
qualification, sees it in Mein Bereich, downloads the training certificate, and applies for the need.
axe-core checks the training list and the session page in German and Arabic."""

import re
from datetime import timedelta

import pytest

from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import current_totp_code, live_site, signed_in_context  # noqa: F401
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _watch_csp(page, found: list[str]) -> None:
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)


def test_waitlist_promotion_attendance_qualification_and_application(
    browser,
    live_site,  # noqa: F811
    artifacts_dir,
    csp_violations,
):
    from notifications.models import Notification
    from tests.conftest import _organisation, with_totp
    from tests.factories import UserFactory
    from tests.volunteering.applications_world import make_need, make_volunteer
    from tests.volunteering.trainings_world import make_qualification, make_session, make_training
    from volunteering.models import (
        ActivityType,
        Application,
        CoordinatorRole,
        Kommune,
        Registration,
        RegistrationStatus,
        VolunteerProfile,
        VolunteerQualification,
    )
    from volunteering.services.trainings import training_book

    organisation = _organisation("Dolmetschpool Verl e. V.", "dolmetschpool-verl", "Verl", status="verified")
    qualification = make_qualification()
    need = make_need(
        organisation,
        title="Sprachmittlung beim Kinderarzt",
        activity_type=ActivityType.objects.get(slug="sprachmittlung"),
    )
    need.required_qualifications.add(qualification)
    session = make_session(
        make_training(qualification=qualification, validity_months=24),
        town="Verl",
        capacity=1,
        starts_in=timedelta(days=5),
        appointments=2,
        trainer_name="Dr. Nadia Haddad",
    )
    holder = make_volunteer("holder@example.org", first_name="Jonas")
    training_book(session=session, user=holder)  # the only seat is taken
    amira = make_volunteer("amira@example.org", first_name="Amira", last_name="Haddad")
    VolunteerProfile.objects.create(user=amira, display_name="Amira")
    coordinator = with_totp(
        UserFactory(email="koordination-verl@example.org", is_staff=True, groups=["Koordination"])
    )
    CoordinatorRole.objects.create(user=coordinator).kommunen.set(Kommune.objects.filter(name="Verl"))

    # 1. The public list and the session page pass axe in German and Arabic.
    visitor = browser.new_context(base_url=live_site)
    page = visitor.new_page()
    _watch_csp(page, csp_violations)
    for language in ("de", "ar"):
        page.goto(f"/{language}/schulungen/")
        assert_accessible(page)
        page.screenshot(path=artifacts_dir / f"training-list-{language}.png", full_page=True)
        page.goto(f"/{language}/schulungen/{session.pk}/")
        assert_accessible(page)
        page.screenshot(path=artifacts_dir / f"training-detail-{language}.png", full_page=True)

    # 2. Amira, not yet logged in, opens the full session and is sent to log in, then back to the booking.
    page.goto(f"/de/schulungen/{session.pk}/")
    assert "die Warteliste ist offen" in page.locator("#seats-full").inner_text()
    page.get_by_role("link", name="Anmelden und auf die Warteliste").click()
    page.wait_for_url(re.compile(r"/de/konto/login/"))
    page.locator("input[name=login]").fill(amira.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/de/schulungen/{session.pk}/buchen/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Auf die Warteliste").click()
    page.wait_for_url(re.compile(rf"/de/schulungen/{session.pk}/$"))
    assert "Warteliste (Platz 1)" in page.locator("#buchung").inner_text()
    assert Registration.objects.get(user=amira).status == RegistrationStatus.WAITLISTED
    page.screenshot(path=artifacts_dir / "training-waitlisted.png", full_page=True)

    # 3. Before attending, the need page says what is missing and links to the session.
    page.goto(f"/de/einsaetze/{need.pk}/")
    requirements = page.locator("#qualifikationen").inner_text()
    assert "Ihnen fehlt noch" in requirements and "Basiskurs Sprachmittlung" in requirements
    assert page.locator(f'#qualifikationen a[href="/de/schulungen/{session.pk}/"]').count() == 1
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "training-need-missing.png", full_page=True)

    # 4. The holder cancels in Mein Bereich; Amira moves up and is notified.
    holder_context = signed_in_context(browser, live_site, holder)
    holder_page = holder_context.new_page()
    _watch_csp(holder_page, csp_violations)
    holder_page.goto("/de/mein-bereich/schulungen/")
    assert_accessible(holder_page)
    holder_page.get_by_role("button", name=re.compile("Absagen")).click()
    holder_page.wait_for_load_state()
    assert Registration.objects.get(user=amira).status == RegistrationStatus.BOOKED
    assert Notification.objects.filter(kind="training.promoted", recipient=amira).exists()
    holder_context.close()
    page.goto(f"/de/schulungen/{session.pk}/")
    assert "Sie haben einen Platz gebucht." in page.locator("#buchung").inner_text()
    page.screenshot(path=artifacts_dir / "training-promoted.png", full_page=True)

    # 5. The session takes place (both appointments move into the past).
    for index, appointment in enumerate(session.appointments.order_by("starts_at")):
        appointment.starts_at = appointment.starts_at - timedelta(days=30 - index)
        appointment.ends_at = appointment.ends_at - timedelta(days=30 - index)
        appointment.save()

    # 6. The coordinator of Verl logs in (password, TOTP) and marks Amira present at both appointments.
    admin = browser.new_context(base_url=live_site)
    admin_page = admin.new_page()
    admin_page.goto("/de/konto/login/?next=/admin/schulungen/anwesenheit/")
    admin_page.locator("input[name=login]").fill(coordinator.email)
    admin_page.locator("input[name=password]").fill(PASSWORD)
    admin_page.locator("main form button[type=submit]").click()
    admin_page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    admin_page.locator("input[name=code]").fill(current_totp_code())
    admin_page.locator("main form button.kern-btn--primary").click()
    admin_page.wait_for_url(re.compile(r"/admin/schulungen/anwesenheit/$"))
    admin_page.get_by_role("link", name="Basiskurs Sprachmittlung").click()
    admin_page.wait_for_url(re.compile(rf"/admin/schulungen/anwesenheit/{session.pk}/$"))
    for _appointment in range(2):
        admin_page.get_by_role("button", name=re.compile(r"^Anwesend – Amira")).first.click()
        admin_page.wait_for_load_state()
    admin_page.screenshot(path=artifacts_dir / "training-attendance-admin.png", full_page=True)
    admin.close()
    held = VolunteerQualification.objects.get(user=amira)
    assert held.qualification == qualification and held.expires_on is not None
    assert Registration.objects.get(user=amira).status == RegistrationStatus.COMPLETED

    # 7. Amira sees the qualification with its expiry in Mein Bereich and downloads the certificate.
    page.goto("/de/mein-bereich/schulungen/")
    main = page.locator("main").inner_text()
    assert "Basiskurs Sprachmittlung" in main and "Gültig bis" in main
    assert_accessible(page)
    page.screenshot(path=artifacts_dir / "training-mine-qualification.png", full_page=True)
    page.get_by_role("button", name=re.compile("Teilnahmebescheinigung erstellen")).click()
    page.wait_for_url(re.compile(r"/de/mein-bereich/schreiben/"))
    download_link = page.get_by_role("link", name=re.compile("Als PDF herunterladen")).first
    with page.expect_download() as download_info:
        download_link.click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    (artifacts_dir / "training-certificate.pdf").write_bytes(pdf)

    # 8. The need page now finds nothing missing, and Amira applies.
    page.goto(f"/de/einsaetze/{need.pk}/")
    assert "Sie haben alle nötigen Qualifikationen." in page.locator("#qualifikationen").inner_text()
    page.locator(f'a[href="/de/einsaetze/{need.pk}/bewerben/"]').first.click()
    page.wait_for_url(re.compile(rf"/de/einsaetze/{need.pk}/bewerben/$"))
    page.get_by_label("Ihre Nachricht an die Organisation").fill("Ich habe den Basiskurs abgeschlossen.")
    page.get_by_role("button", name="Bewerbung absenden").click()
    page.wait_for_url(re.compile(r"/de/mein-bereich/bewerbungen/\d+/$"))
    assert Application.objects.filter(need=need, volunteer=amira).exists()
    page.screenshot(path=artifacts_dir / "training-applied.png", full_page=True)
    assert csp_violations == []
