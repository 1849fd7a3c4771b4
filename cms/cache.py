"""The cache of anonymous page views: fragments of page templates, purged when pages or seats change.

Page templates wrap their content in `{% publicpagecache %}` (cms/templatetags/page_cache.py), Wagtail's
`{% wagtailpagecache %}` with three additions: logged-in visitors bypass the cache entirely (they never
read or write an entry), the key also varies on the active language, and it varies on a *generation*
token kept in the cache. Wagtail's tag already skips previews and varies on the page's `cache_key` (id,
URL path and last publication), so a draft or preview never lands in an entry, and a page's own
publication gives it new keys.

Purging is by generation rather than by deleting keys (no backend can list keys cheaply):
- `pages_changed()` – any page published, unpublished, moved or deleted (receivers in cms/signals.py):
  every page fragment gets a new key, since start pages and lists show other pages.
- `offer_seats_changed(offer_id)` – a booking, waitlist place, cancellation or promotion of a taster
  offer (the booking service in volunteering announces it after commit; cms registers this function
  there in CmsConfig.ready(), so volunteering never imports cms).

The cache is Django's default one: Redis in production, the file cache of the embedded default
(shared by all processes on the machine, so a purge in the worker or another gunicorn process reaches
every web process; a per-process local-memory cache would not), local memory in tests.
Old entries are never read again and expire after `CMS_PAGE_CACHE_SECONDS`; the same timeout bounds how
long time-dependent parts (an offer that has begun, the live figures) may lag behind.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

PAGES_KEY = "cms:pages:generation"
OFFER_KEY = "cms:offer:{}:seats"
# Generations live longer than the fragments that depend on them.
GENERATION_TIMEOUT = 7 * 24 * 60 * 60


def _token(key: str) -> str:
    token = cache.get(key)
    if token is None:
        # `add` keeps a token another process wrote in the meantime.
        cache.add(key, uuid.uuid4().hex, GENERATION_TIMEOUT)
        token = cache.get(key) or ""
    return token


def pages_generation() -> str:
    """Returns the current generation of all page fragments."""
    return _token(PAGES_KEY)


def offer_generation(offer_id: int) -> str:
    """Returns the current generation of the seats shown for the taster offer `offer_id` (source page)."""
    return _token(OFFER_KEY.format(int(offer_id)))


def pages_changed() -> None:
    """Purges every cached page fragment (a page was published, unpublished, moved or deleted)."""
    cache.set(PAGES_KEY, uuid.uuid4().hex, GENERATION_TIMEOUT)


def offer_seats_changed(offer_id: int) -> None:
    """Purges the cached fragments that show the seats of the taster offer `offer_id` (source page)."""
    cache.set(OFFER_KEY.format(int(offer_id)), uuid.uuid4().hex, GENERATION_TIMEOUT)
