"""Acceptance 1 with two people in the newsroom and a translation: an editor (password and TOTP) creates a
taster offer in the Wagtail admin and submits it to moderation; a second person (Redaktion and Freigabe,
own TOTP) approves both tasks; the offer is translated into Ukrainian in wagtail-localize's editor
(Translate → fill every segment → publish) and is live under /uk/. A visitor finds it in the Ukrainian
list and books the only seat; the next visitor lands on the waitlist and is promoted after a cancellation,
notified by email (mailbox) and in the in-app inbox. axe-core checks the Ukrainian public pages.

(The campaign part of acceptance 1 is covered by tests/e2e/test_taster_journey.py.)"""

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.accessibility import assert_accessible
from tests.e2e.test_organisation_journey import signed_in_context
from tests.e2e.test_taster_journey import _fill_date, live_site  # noqa: F401  (fixture)
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

MODERATOR_SECRET = "KRSXG5CTMVRXEZLUKN2XAZLS"  # a second secret: TOTP codes are single-use per account


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _created(page, queryset, timeout: float = 15.0):
    """The page the editor just saved; waits for the server's answer and says why when there is none."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = queryset.first()
        if found is not None:
            return found
        time.sleep(0.25)
    errors = page.locator(".w-field__errors, .help-critical, .messages").all_inner_texts()
    invalid = page.locator("[aria-invalid=true]").evaluate_all("fields => fields.map(f => f.name)")
    errors = [text.strip() for text in errors if text.strip()] + [f"invalid: {invalid}"]
    raise AssertionError(f"no page was saved; the editor shows {page.url}: {errors}")


def _login(page, user, secret: str, next_url: str) -> None:
    page.goto(f"/de/konto/login/?next={next_url}")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/2fa/authenticate/"))
    page.locator("input[name=code]").fill(_code(secret))
    page.locator("main form button.kern-btn--primary").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _translate_segments(page, translations: dict[str, str]) -> int:
    """Fills the segments whose German text contains a key of `translations` in wagtail-localize's editor
    (typing the text and pressing Enter saves it); returns how many were saved. The URL slug stays German.
    """
    filled = 0
    for german, ukrainian in translations.items():
        segment = page.locator("li.incomplete").filter(has_text=german).first
        # Wagtail's tab controller marks the editor's panel hidden to Playwright; the controls work.
        segment.get_by_role("button", name="Übersetzen").evaluate("button => button.click()")
        editor = segment.locator("textarea")
        editor.wait_for(state="attached")
        editor.fill(ukrainian, force=True)
        editor.press("Enter")
        page.locator("li.incomplete").filter(has_text=german).wait_for(state="detached")
        filled += 1
    return filled


def test_two_editors_moderate_translate_and_visitors_book_wait_and_get_promoted(
    browser,
    live_site,  # noqa: F811
    artifacts_dir,
    csp_violations,
    settings,
):
    from allauth.mfa.totp.internal.auth import TOTP

    from cms.models import TasterOfferIndexPage, TasterOfferPage
    from notifications.models import Notification
    from tests.conftest import with_totp
    from tests.volunteering.applications_world import make_volunteer
    from volunteering.models import Kommune, Organisation, TasterSignup, TasterSignupStatus

    settings.MAILBOX_ENABLED = True
    author = with_totp(UserFactory(email="autorin@example.org", is_staff=True, groups=["Redaktion"]))
    moderator = UserFactory(email="freigabe@example.org", is_staff=True, groups=["Redaktion", "Freigabe"])
    TOTP.activate(moderator, MODERATOR_SECRET)
    organisation = Organisation.objects.create(
        name="Imkerverein Rietberg e. V.",
        slug="imkerverein-rietberg",
        legal_form="ev",
        description="Wir zeigen, wie Bienen leben.",
        email="info@imker-rietberg.example",
        status="verified",
    )
    town = Kommune.objects.get(name="Rietberg")
    organisation.kommunen.set([town])
    index_page = TasterOfferIndexPage.objects.get(locale__language_code="de")
    # The Ukrainian start page exists, as on the real site (seed_demo translates the start pages).
    from wagtail.models import Locale

    from cms.demo import seed_newsroom_rights

    home = index_page.get_parent().specific
    home.copy_for_translation(Locale.objects.get(language_code="uk")).save_revision().publish()
    seed_newsroom_rights()
    starts = timezone.localtime() + timedelta(days=12)

    # 1. The author creates the offer (one seat) and submits it to "Redaktion → Freigabe".
    author_context = browser.new_context(base_url=live_site)
    page = author_context.new_page()
    _login(page, author, "JBSWY3DPEHPK3PXP", f"/admin/pages/add/cms/tasterofferpage/{index_page.pk}/")
    page.wait_for_load_state("networkidle")  # the editor's scripts (slug from the title, date pickers)
    page.locator("#id_title").click()
    page.locator("#id_title").fill("Bienen kennenlernen")
    page.keyboard.press("Tab")  # leaving the title fills the slug, as when an editor types
    expect(page.locator("#id_slug")).to_have_value("bienen-kennenlernen")
    page.locator("#id_organisation").select_option(str(organisation.pk))
    _fill_date(page, "#id_starts_at", starts.strftime("%Y-%m-%d 15:00"))
    page.locator("#id_capacity").fill("1")
    page.locator("#id_place").fill("Lehrbienenstand am Gartenschaupark")
    page.locator("#id_kommune").select_option(str(town.pk))
    page.locator("#id_what_to_expect").fill("Eine Stunde am offenen Bienenstock, mit Schutzkleidung.")
    with page.expect_navigation():
        page.locator('button[name="action-submit"]').evaluate("button => button.click()")
    page.wait_for_load_state()
    saved = TasterOfferPage.objects.filter(title="Bienen kennenlernen", locale__language_code="de")
    offer = _created(page, saved)
    assert not offer.live
    assert offer.current_workflow_state is not None
    author_context.close()

    # 2. A second person approves both tasks; the offer goes live.
    moderator_context = browser.new_context(base_url=live_site)
    page = moderator_context.new_page()
    _login(page, moderator, MODERATOR_SECRET, f"/admin/pages/{offer.pk}/edit/")
    for _task in ("Redaktion", "Freigabe"):
        page.goto(f"/admin/pages/{offer.pk}/edit/")
        page.locator(
            '[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        ).first.evaluate("button => button.click()")
        page.wait_for_load_state()
        page.wait_for_timeout(500)
    offer.refresh_from_db()
    assert offer.live
    finishers = set(offer.workflow_states.get().task_states.values_list("finished_by", flat=True))
    assert finishers == {moderator.pk}

    # 3. … translates it into Ukrainian in wagtail-localize's editor and publishes the translation.
    page.goto(f"/admin/localize/submit/page/{offer.pk}/")
    page.locator('input[name="locales"]').first.wait_for(state="attached")
    page.locator(f'input[name="locales"][value="{Locale.objects.get(language_code="uk").pk}"]').check()
    with page.expect_navigation():
        page.locator('input[type="submit"]').click()
    page.wait_for_load_state()
    page.screenshot(path=artifacts_dir / "editor-journey-translate.png", full_page=True)
    filled = _translate_segments(
        page,
        {
            "Bienen kennenlernen": "Знайомство з бджолами",
            "Lehrbienenstand": "Навчальна пасіка біля парку",
            "offenen Bienenstock": "Година біля відкритого вулика, у захисному одязі.",
        },
    )
    assert filled == 3
    with page.expect_navigation():
        page.locator('button[name="action"][value="publish"]').evaluate("button => button.click()")
    translated = TasterOfferPage.objects.get(
        translation_key=offer.translation_key, locale__language_code="uk"
    )
    assert translated.live
    assert translated.title == "Знайомство з бджолами"
    assert translated.url.startswith("/uk/")
    moderator_context.close()

    # 4. A visitor finds the offer in the Ukrainian list and books the only seat.
    first, second = make_volunteer(first_name="Oksana"), make_volunteer(first_name="Taras")
    first.preferred_language = second.preferred_language = "uk"
    first.save()
    second.save()
    visitor = signed_in_context(browser, live_site, first)
    page = visitor.new_page()
    page.goto("/uk/schnuppern/")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert_accessible(page)
    page.get_by_role("link", name="Знайомство з бджолами").click()
    page.wait_for_url(re.compile(r"^.*/uk/"))
    assert "Навчальна пасіка" in page.content()
    assert_accessible(page)
    page.locator(".booking-card form button").first.click()
    page.wait_for_load_state()
    assert TasterSignup.objects.get(user=first).status == TasterSignupStatus.BOOKED
    page.screenshot(path=artifacts_dir / "editor-journey-booked-uk.png", full_page=True)

    # 5. The next visitor finds it full (the page cache was purged) and joins the waitlist.
    anonymous = browser.new_context(base_url=live_site).new_page()
    anonymous.goto(translated.url)
    full_text = anonymous.locator("#seats").inner_text()
    waiting = signed_in_context(browser, live_site, second)
    page_b = waiting.new_page()
    page_b.goto(translated.url)
    assert page_b.locator("#seats").inner_text() == full_text
    page_b.locator(".booking-card form button").first.click()
    page_b.wait_for_load_state()
    assert TasterSignup.objects.get(user=second).status == TasterSignupStatus.WAITLISTED
    assert_accessible(page_b)

    # 6. The first visitor cancels; the second is promoted and told by email and in the inbox.
    page.goto("/uk/mein-bereich/schnuppern/")
    page.locator("form[action*='absagen'] button").first.click()
    page.wait_for_load_state()
    assert TasterSignup.objects.get(user=second).status == TasterSignupStatus.BOOKED
    promoted = Notification.objects.filter(kind="taster.promoted", recipient=second)
    assert set(promoted.values_list("channel", flat=True)) == {"email", "inapp"}
    assert (
        any(second.email in message.to for message in mail.outbox)
        or promoted.filter(channel="email", status="sent").exists()
    )
    page_b.goto("/uk/benachrichtigungen/")
    page_b.screenshot(path=artifacts_dir / "editor-journey-promoted-inbox.png", full_page=True)
    assert "Знайомство з бджолами" in page_b.content() or "Bienen kennenlernen" in page_b.content()
    assert csp_violations == []
