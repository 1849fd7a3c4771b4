"""Writes of the cms app that are not page edits in the Wagtail admin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction

from cms.models import StoryConsent, StoryPage


def may_take_offline(story: StoryPage, user) -> bool:
    """Whether an editor may record a revocation: they may unpublish the story, or edit it while it is
    not online (a draft must not go online either)."""
    permissions = story.permissions_for_user(user)
    return permissions.can_unpublish() or (not story.live and permissions.can_edit())


@transaction.atomic
def story_consent_revoke(*, consent: StoryConsent, actor) -> StoryPage:
    """Returns the story after recording that the person revoked consent; the story and its translations
    go offline at once and the portrait is deleted (the revision history stays for the editors)."""
    story = StoryPage.objects.select_for_update().get(pk=consent.page_id)
    is_portrayed = story.portrayed_user_id is not None and story.portrayed_user_id == actor.pk
    if not (is_portrayed or may_take_offline(story, actor)):
        raise PermissionDenied
    # The translations carry copies of the consent rows: all of them are revoked.
    StoryConsent.objects.filter(page__translation_key=story.translation_key, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    # Permission was checked above for the story; its translations and mirrored aliases (other language
    # trees, where the editor may hold no rights) follow it offline. Unpublishing a page also unpublishes
    # its aliases, so each page is read again before.
    translations = StoryPage.objects.filter(translation_key=story.translation_key, live=True)
    for page_id in translations.order_by("alias_of_id", "pk").values_list("pk", flat=True):
        page = StoryPage.objects.get(pk=page_id)
        if page.live:
            UnpublishPageAction(page, user=actor if actor.is_staff else None, log_action=True).execute(
                skip_permission_checks=True
            )
    # The photo goes with the consent: deleted from the private files and from every revision.
    story.delete_portrait()
    story.refresh_from_db()
    return story
