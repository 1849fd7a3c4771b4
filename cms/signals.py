"""Cache purges when pages change (cms/cache.py). Only the page cache listens here; no business flow."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.cache import pages_changed


@receiver(page_published, dispatch_uid="cms_page_cache_published")
@receiver(page_unpublished, dispatch_uid="cms_page_cache_unpublished")
@receiver(post_page_move, dispatch_uid="cms_page_cache_moved")
@receiver(page_slug_changed, dispatch_uid="cms_page_cache_slug")
def purge_page_cache(sender, **kwargs) -> None:
    """Start pages and lists show other pages, so every page fragment is purged (deleting a live page
    unpublishes it first, which lands here too).

    After commit: a request rendering between the bump and the commit would otherwise store the old
    content under the new generation.
    """
    transaction.on_commit(pages_changed)
