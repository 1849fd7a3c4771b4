"""An editor (password and TOTP) creates a campaign and a taster offer in the Wagtail admin, sends both
through the moderation workflow "Redaktion → Freigabe" and publishes them; a visitor finds the offer and
books the only seat; the next visitor lands on the waitlist and is promoted (and notified) after the first
one cancels. axe-core checks the public pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import current_totp_code, signed_in_context
from tests.factories import PASSWORD, UserFactory

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


def _admin_login(page, user, next_url: str) -> None:
    page.goto(f"/de/konto/login/?next={next_url}")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    page.locator("input[name=code]").fill(current_totp_code())
    page.locator("main form button.kern-btn--primary").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _fill_date(page, selector: str, value: str) -> None:
    page.locator(selector).fill(value)
    page.keyboard.press("Escape")


def _submit_and_approve(page, model, title: str):
    """Submits the page in the editor to moderation, then approves both tasks; returns the page row."""
    # The button sits in the footer's "more actions" dropdown; a script click presses it once.
    with page.expect_navigation():
        page.locator('button[name="action-submit"]').evaluate("button => button.click()")
    page.wait_for_load_state()
    moderated = model.objects.get(title=title)
    assert not moderated.live
    for _task in ("Redaktion", "Freigabe"):
        page.goto(f"/admin/pages/{moderated.pk}/edit/")
        page.locator(
            '[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        ).first.evaluate("button => button.click()")
        page.wait_for_load_state()
        page.wait_for_timeout(500)
    moderated.refresh_from_db()
    return moderated


def test_editor_publishes_through_moderation_and_visitors_book_and_wait(
    browser, live_site, artifacts_dir, csp_violations
):
    from cms.models import CampaignPage, HomePage, TasterOfferIndexPage, TasterOfferPage
    from notifications.models import Notification
    from tests.conftest import with_totp
    from tests.volunteering.applications_world import make_volunteer
    from volunteering.models import Kommune, Organisation, TasterSignup, TasterSignupStatus

    editor = with_totp(
        UserFactory(email="redaktion@example.org", is_staff=True, groups=["Redaktion", "Freigabe"])
    )
    organisation = Organisation.objects.create(
        name="Sprachcafé Verl e. V.",
        slug="sprachcafe-verl",
        legal_form="ev",
        description="Wir treffen uns jede Woche.",
        email="info@sprachcafe-verl.example",
        status="verified",
    )
    verl = Kommune.objects.get(name="Verl")
    organisation.kommunen.set([verl])
    home = HomePage.objects.get(locale__language_code="de")
    index_page = TasterOfferIndexPage.objects.get(locale__language_code="de")
    today = timezone.localdate()

    # 1. The editor logs in with password and TOTP and creates a campaign.
    admin = browser.new_context(base_url=live_site)
    page = admin.new_page()
    _admin_login(page, editor, f"/admin/pages/add/cms/campaignpage/{home.pk}/")
    page.locator("#id_title").fill("Patenschaften im Frühling")
    page.locator("#id_intro").fill("Begleiten Sie eine Familie in den ersten Monaten.")
    page.locator("#id_goal").fill("20 neue Patenschaften")
    _fill_date(page, "#id_starts_on", today.isoformat())
    _fill_date(page, "#id_ends_on", (today + timedelta(days=60)).isoformat())
    page.locator("#id_cta_label").fill("Patenschaften finden")
    page.locator("#id_code").fill("fruehling")
    page.screenshot(path=artifacts_dir / "journey-admin-campaign.png", full_page=True)
    campaign = _submit_and_approve(page, CampaignPage, "Patenschaften im Frühling")
    assert campaign.live

    # 2. … and a taster offer with a single seat, through the same workflow.
    starts = timezone.localtime() + timedelta(days=10)
    page.goto(f"/admin/pages/add/cms/tasterofferpage/{index_page.pk}/")
    page.locator("#id_title").fill("Sprachcafé zum Reinschnuppern")
    page.locator("#id_organisation").select_option(str(organisation.pk))
    _fill_date(page, "#id_starts_at", starts.strftime("%Y-%m-%d 17:00"))
    page.locator("#id_capacity").fill("1")
    page.locator("#id_place").fill("Bürgerhaus, Hauptstraße 1")
    page.locator("#id_kommune").select_option(str(verl.pk))
    page.locator("#id_what_to_expect").fill("Zwei Stunden Gespräche bei Tee.")
    page.screenshot(path=artifacts_dir / "journey-admin-taster.png", full_page=True)
    offer = _submit_and_approve(page, TasterOfferPage, "Sprachcafé zum Reinschnuppern")
    assert offer.live
    admin.close()

    # 3. A visitor finds the offer in the list and books the only seat in one click.
    first, second = make_volunteer(first_name="Mira"), make_volunteer(first_name="Jonas")
    visitor = signed_in_context(browser, live_site, first)
    page = visitor.new_page()
    page.goto("/de/schnuppern/")
    assert_accessible(page)
    page.get_by_role("link", name="Sprachcafé zum Reinschnuppern").click()
    assert "Noch 1 von 1 Plätzen frei." in page.locator("#seats").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt buchen").click()
    page.wait_for_load_state()
    assert "Sie haben einen Platz." in page.locator("#my-booking").inner_text()
    page.screenshot(path=artifacts_dir / "journey-booked.png", full_page=True)

    # 4. The next visitor finds it full and joins the waitlist.
    waiting = signed_in_context(browser, live_site, second)
    page_b = waiting.new_page()
    page_b.goto(offer.url)
    page_b.get_by_role("button", name="Auf die Warteliste").click()
    page_b.wait_for_load_state()
    assert "Sie stehen auf der Warteliste." in page_b.locator("#my-booking").inner_text()
    assert_accessible(page_b)
    page_b.screenshot(path=artifacts_dir / "journey-waitlisted.png", full_page=True)

    # 5. The first visitor cancels; the second is promoted and notified.
    page.goto("/de/mein-bereich/schnuppern/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Absagen")).click()
    page.wait_for_load_state()
    assert TasterSignup.objects.get(user=second).status == TasterSignupStatus.BOOKED
    assert Notification.objects.filter(kind="taster.promoted", recipient=second).exists()
    page_b.reload()
    assert "Sie haben einen Platz." in page_b.locator("#my-booking").inner_text()
    page_b.screenshot(path=artifacts_dir / "journey-promoted.png", full_page=True)
    assert csp_violations == []
