"""A newcomer asks for a tandem in Ukrainian; a coordinator (password and TOTP) sees the request, opens the
suggestions and proposes a volunteer; the volunteer accepts in Mein Bereich; the coordinator records
contact, first meeting and start; two weeks later a real Celery worker delivers the first check-in
reminder; the volunteer's check-in raises a red flag and the coordinator is alerted. axe-core checks the
public form in all eight languages and the volunteer's pages.

"Two weeks later": the worker runs on the real clock, so the test moves the tandem's timeline (start,
check-in dates, the scheduled reminder rows) fourteen days into the past – the same as the clock moving
fourteen days forward – and lets the worker's sweep find the reminder due.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.mailbox import mailbox_list
from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import signed_in_context
from tests.e2e.test_taster_journey import _admin_login
from tests.notifications.conftest import start_worker, wait_for  # noqa: F401 - the worker fixture

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


@pytest.fixture
def live_site(transactional_db, live_server, settings):
    from cms.demo import seed_pages
    from tests.volunteering.tandems_world import ensure_tandem_consent_text
    from volunteering.demo import seed_roles
    from volunteering.services.reference_data import district_load, taxonomy_load

    settings.SITE_URL = live_server.url
    seed_roles(home=seed_pages())
    taxonomy_load()
    district_load()
    ensure_tandem_consent_text()
    return live_server.url


def _sent(**filters) -> bool:
    from notifications.models import Notification

    rows = Notification.objects.filter(channel="email", **filters)
    return rows.exists() and all(row.status == "sent" for row in rows)


def test_a_newcomer_finds_a_tandem_partner_who_checks_in(
    browser,
    live_site,
    start_worker,  # noqa: F811
    artifacts_dir,
    csp_violations,
):
    from config.celery import app
    from notifications.models import Notification
    from tests.conftest import with_totp
    from tests.factories import UserFactory
    from tests.volunteering.tandems_world import make_volunteer
    from volunteering.models import (
        ActivityType,
        CoordinatorRole,
        Language,
        Tandem,
        TandemCheckIn,
        TandemRequest,
        TandemStatus,
    )

    worker = start_worker()
    assert wait_for(lambda: "ready" in worker.output(), timeout=60), worker.output()
    coordinator = with_totp(
        UserFactory(
            email="koordination@example.org", first_name="Sabine", is_staff=True, groups=["Koordination"]
        )
    )
    CoordinatorRole.objects.create(user=coordinator, whole_district=True)
    helper = make_volunteer("helga@example.org", first_name="Helga", languages={"de": 7, "uk": 5})

    # 0. The public form passes axe in all eight languages (Arabic and Farsi right to left).
    anonymous = browser.new_context(base_url=live_site)
    page = anonymous.new_page()
    for code, _name in settings.LANGUAGES:
        page.goto(f"/{code}/tandem/anfrage/")
        assert page.locator("html").get_attribute("lang") == code
        assert page.locator("html").get_attribute("dir") == ("rtl" if code in ("ar", "fa") else "ltr")
        assert_accessible(page)
    page.goto("/ar/tandem/anfrage/")
    page.screenshot(path=artifacts_dir / "tandem-request-form-ar.png", full_page=True)

    # 1. A newcomer asks for a language tandem in Ukrainian.
    page.goto("/uk/tandem/anfrage/")
    page.locator("#id_alias").fill("Олена")
    page.locator("#id_email").fill("olena.neu@example.org")
    page.locator("#id_postcode").fill("33415")
    sprach = ActivityType.objects.get(slug="sprachpatenschaft")
    page.locator(f"input[name=tandem_type][value='{sprach.pk}']").check()
    page.locator("#id_languages-0-language").select_option(str(Language.objects.get(code="uk").pk))
    page.locator("#id_languages-0-level").select_option("7")
    page.locator("#id_languages-1-language").select_option(str(Language.objects.get(code="de").pk))
    page.locator("#id_languages-1-level").select_option("2")
    page.locator("#slot-tue-evening").check()
    page.locator("#id_consent").check()
    page.screenshot(path=artifacts_dir / "tandem-request-form-uk.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/uk/tandem/anfrage/danke/$"))
    assert_accessible(page)
    request = TandemRequest.objects.get()
    assert (request.alias, request.contact_language, request.consent_language) == ("Олена", "uk", "uk")
    # The confirmation reaches the newcomer, in their language, through the worker.
    assert wait_for(lambda: _sent(kind="tandem.request_received")), worker.output()
    confirmation = Notification.objects.get(kind="tandem.request_received", channel="email")
    assert (confirmation.email, confirmation.language) == ("olena.neu@example.org", "uk")
    assert any(entry.to == "olena.neu@example.org" for entry in mailbox_list())
    anonymous.close()

    # 2. The coordinator logs in (password and TOTP), finds the request and its suggestions.
    admin = browser.new_context(base_url=live_site)
    page = admin.new_page()
    _admin_login(page, coordinator, "/admin/tandems/anfragen/")
    assert_accessible(page)  # the request queue
    page.get_by_role("link", name="Олена").click()
    page.wait_for_url(re.compile(rf"/admin/tandems/anfragen/{request.pk}/$"))
    assert "olena.neu@example.org" in page.content()  # contact data for the coordinator (audited)
    assert_accessible(page)  # the request with its suggestions and their reasons
    suggestion = page.locator("table.listing tbody tr", has_text="Helga")
    assert "spricht Ukrainisch" in suggestion.inner_text()
    page.locator("#suggestions").screenshot(path=artifacts_dir / "tandem-coordinator-suggestions.png")
    suggestion.get_by_role("button", name="Vorschlagen").click()
    page.wait_for_url(re.compile(r"/admin/tandems/\d+/$"))
    tandem = Tandem.objects.get()
    assert (tandem.volunteer, tandem.status) == (helper, TandemStatus.PROPOSED)

    # 3. The volunteer sees the proposal in Mein Bereich – first name, languages, town – and accepts.
    volunteer = signed_in_context(browser, live_site, helper)
    mine = volunteer.new_page()
    mine.goto("/de/mein-bereich/tandems/")
    assert_accessible(mine)
    mine.get_by_role("link", name=re.compile("Олена")).click()
    assert_accessible(mine)
    assert "olena.neu@example.org" not in mine.content()
    mine.get_by_role("button", name="Ja, ich mache mit").click()
    mine.wait_for_load_state()
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACCEPTED

    # 4. The coordinator records contact, the first meeting and the start of the tandem.
    page.goto(f"/admin/tandems/{tandem.pk}/")
    page.locator("input[name='contact-method'][value='coordinator']").check()
    page.locator("form[action$='/contact/'] button[type=submit]").click()
    page.wait_for_load_state()
    meeting = timezone.localtime() + timedelta(days=2)
    page.locator("input[name='meeting-first_meeting_at']").fill(meeting.strftime("%Y-%m-%dT17:00"))
    page.locator("input[name='meeting-first_meeting_place']").fill("Stadtbibliothek Verl")
    page.locator("form[action$='/meeting/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("textarea[name='activate-scope']").fill("Deutsch im Alltag üben, einmal pro Woche.")
    page.locator("input[name='activate-ends_on']").fill(
        (timezone.localdate() + timedelta(days=180)).isoformat()
    )
    page.locator("form[action$='/activate/'] button[type=submit]").click()
    page.wait_for_load_state()
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACTIVE
    first = TandemCheckIn.objects.get(tandem=tandem, number=1)
    assert first.due_on == timezone.localdate() + timedelta(weeks=2)
    reminder = Notification.objects.get(kind="tandem.check_in_due", refs__check_in=first.pk, channel="email")
    assert reminder.status == "pending"

    # 5. Two weeks pass (to the reminder's morning): the worker's sweep finds it due and delivers it.
    shift = timedelta(days=(reminder.due_at - timezone.now()).days + 1)
    assert shift.days in (14, 15)
    Tandem.objects.filter(pk=tandem.pk).update(activated_at=tandem.activated_at - shift)
    for check_in in TandemCheckIn.objects.filter(tandem=tandem):
        TandemCheckIn.objects.filter(pk=check_in.pk).update(due_on=check_in.due_on - shift)
    for row in Notification.objects.filter(kind="tandem.check_in_due", refs__tandem=tandem.pk):
        Notification.objects.filter(pk=row.pk).update(due_at=row.due_at - shift)
    app.send_task("notifications.tasks.sweep_notifications")
    assert wait_for(lambda: _sent(kind="tandem.check_in_due", refs__check_in=first.pk), timeout=60), (
        worker.output()
    )
    later = Notification.objects.filter(kind="tandem.check_in_due", status="pending", channel="email")
    assert later.count() == TandemCheckIn.objects.filter(tandem=tandem).count() - 1  # the others wait
    message = next(
        entry for entry in mailbox_list() if entry.to == helper.email and "rueckmeldung" in entry.text
    )
    link = re.search(r"/de/mein-bereich/tandems/\d+/rueckmeldung/1/", message.text).group(0)

    # 6. The volunteer follows the link and answers: it is difficult, please call – a red flag.
    mine.goto(link)
    assert_accessible(mine)
    mine.locator("input[name=frequency][value=rarely]").check()
    mine.locator("input[name=mood][value=difficult]").check()
    mine.locator("input[name=support][value=urgent]").check()
    mine.locator("main form button[type=submit]").click()
    mine.wait_for_url(re.compile(rf"/de/mein-bereich/tandems/{tandem.pk}/$"))
    assert_accessible(mine)
    first.refresh_from_db()
    assert first.red_flag and first.answered_at

    # 7. The coordinator is alerted (email through the worker, and the in-app entry) and sees the flag.
    assert wait_for(lambda: _sent(kind="tandem.red_flag", recipient=coordinator), timeout=60), worker.output()
    assert Notification.objects.filter(
        kind="tandem.red_flag", recipient=coordinator, channel="inapp"
    ).exists()
    assert any(entry.to == coordinator.email for entry in mailbox_list())
    page.goto("/admin/tandems/")
    assert "Warnsignal" in page.content() or "ja" in page.locator("table.listing").inner_text()
    assert_accessible(page)  # the tandems of the coordinator's towns
    page.goto(f"/admin/tandems/{tandem.pk}/")
    assert "Warnsignal" in page.content()
    assert_accessible(page)  # the coordinators' tandem page, with its check-ins and the end-date form
    page.screenshot(path=artifacts_dir / "tandem-coordinator-red-flag.png", full_page=True)

    # 8. After a talk, both agree to go on longer: the coordinator moves the end; more check-ins follow,
    #    and the volunteer is told by email.
    tandem.refresh_from_db()
    before = TandemCheckIn.objects.filter(tandem=tandem).count()
    later_end = tandem.ends_on + timedelta(days=182)
    page.locator("input[name='end_date-ends_on']").fill(later_end.isoformat())
    page.locator("form[action$='/end_date/'] button[type=submit]").click()
    page.wait_for_load_state()
    tandem.refresh_from_db()
    assert tandem.ends_on == later_end
    assert TandemCheckIn.objects.filter(tandem=tandem).count() > before
    assert later_end.strftime("%d.%m.%Y") in page.content()  # "– bis 06.11.2027"
    page.screenshot(path=artifacts_dir / "tandem-coordinator-end-changed.png", full_page=True)
    app.send_task("notifications.tasks.sweep_notifications")
    assert wait_for(lambda: _sent(kind="tandem.end_changed", recipient=helper), timeout=60), worker.output()

    # 9. The other coordination pages pass axe as well: a volunteer's suggestions, the intake form for
    #    coordinators and the batch run.
    for path in (
        f"/admin/tandems/freiwillige/{helper.volunteer_profile.pk}/",
        "/admin/tandems/anfragen/neu/",
        "/admin/tandems/zuordnung/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)
    admin.close()
    volunteer.close()
