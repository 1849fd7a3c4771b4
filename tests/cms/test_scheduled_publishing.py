"""Scheduled publishing: a page with a "go live" time in the future stays out of the site, its search, its
feeds and the cached lists until Wagtail's `publish_scheduled` runs after that time; beat runs it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from cms.models import StoryPage, TasterOfferPage
from cms.tasks import publish_scheduled_pages
from config.celery import app
from tests.cms.taster_world import make_offer
from tests.cms.test_stories import make_story

pytestmark = pytest.mark.django_db


def _schedule(page, *, title: str):
    """Returns the page after an editor scheduled a revision with `title` to go live in two hours."""
    page = page.specific_class.objects.get(pk=page.pk)
    page.unpublish()
    page = page.specific_class.objects.get(pk=page.pk)
    page.title = title
    page.go_live_at = timezone.now() + timedelta(hours=2)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert page.scheduled_revision is not None
    return page


def _time_passes(page) -> None:
    """The scheduled time arrives (the rows are moved back instead of the clock forward)."""
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save(update_fields=["approved_go_live_at", "content"])
    type(page).objects.filter(pk=page.pk).update(go_live_at=past)


def _visible(client, page, text: str) -> dict[str, bool]:
    """Where the page's title `text` shows for an anonymous visitor (searching for its first word)."""
    return {
        "page": client.get(f"/de/schnuppern/{page.slug}/").status_code == 200
        if isinstance(page, TasterOfferPage)
        else client.get(f"/de/geschichten/{page.slug}/").status_code == 200,
        "search": text in client.get("/de/suche/", {"q": text.split()[0]}).text,
        "list": text in client.get("/de/").text,
        "ical": text in client.get("/de/schnuppern/kalender.ics").content.decode(),
        "atom": text in client.get("/de/feeds/geschichten.xml").content.decode(),
    }


def test_a_scheduled_offer_appears_only_after_publish_scheduled_ran(
    client, site_tree, organisation, django_capture_on_commit_callbacks
):
    offer = _schedule(make_offer(organisation), title="Imkerei zum Kennenlernen")
    assert not any(_visible(client, offer, "Imkerei zum Kennenlernen").values())  # also fills the page cache

    call_command("publish_scheduled")  # too early: nothing changes
    assert not any(_visible(client, offer, "Imkerei zum Kennenlernen").values())

    _time_passes(offer)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")

    seen = _visible(client, offer, "Imkerei zum Kennenlernen")
    assert {name: seen[name] for name in ("page", "search", "list", "ical")} == dict.fromkeys(
        ("page", "search", "list", "ical"), True
    )


def test_a_scheduled_story_enters_the_feed_only_after_publish_scheduled_ran(
    client, site_tree, django_capture_on_commit_callbacks
):
    story = _schedule(make_story("Vorher"), title="Imker erzählen")
    assert not any(_visible(client, story, "Imker erzählen").values())

    _time_passes(story)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")

    seen = _visible(client, story, "Imker erzählen")
    assert (seen["page"], seen["search"], seen["list"], seen["atom"]) == (True, True, True, True)
    assert StoryPage.objects.get(pk=story.pk).live


def test_beat_runs_publish_scheduled_every_minute(site_tree, organisation):
    entry = next(
        entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "cms.tasks.publish_scheduled_pages"
    )
    assert entry["schedule"] <= 60
    offer = _schedule(make_offer(organisation), title="Imkerei zum Kennenlernen")
    _time_passes(offer)

    assert publish_scheduled_pages.apply().get() is True

    assert TasterOfferPage.objects.get(pk=offer.pk).live


def test_two_runs_at_once_publish_once(site_tree, organisation):
    from django.core.cache import cache

    from cms.tasks import LOCK_KEY

    cache.add(LOCK_KEY, 1, 50)  # another beat's run holds the lock

    assert publish_scheduled_pages.apply().get() is False
