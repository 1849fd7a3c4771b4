"""Writes of the cms app that are not page edits in the Wagtail admin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cms.models import StoryConsent, StoryPage


@transaction.atomic
def story_consent_revoke(*, consent: StoryConsent, actor) -> StoryPage:
    """Returns the story after recording that the person revoked consent; the story and its translations
    go offline at once (the revision history stays for the editors)."""
    story = StoryPage.objects.select_for_update().get(pk=consent.page_id)
    is_portrayed = story.portrayed_user_id is not None and story.portrayed_user_id == actor.pk
    if not (is_portrayed or story.permissions_for_user(actor).can_unpublish()):
        raise PermissionDenied
    StoryConsent.objects.filter(page=story, revoked_at__isnull=True).update(revoked_at=timezone.now())
    for page in StoryPage.objects.filter(translation_key=story.translation_key, live=True):
        page.unpublish(user=actor if actor.is_staff else None, log_action=True)
    story.refresh_from_db()
    return story
