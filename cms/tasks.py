"""Celery tasks of the cms app."""

from io import StringIO

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command

LOCK_KEY = "cms:publish_scheduled:running"
LOCK_SECONDS = 50  # shorter than the beat interval, so a crashed run never blocks the next one


@shared_task(ignore_result=True)
def publish_scheduled_pages() -> bool:
    """Runs Wagtail's `publish_scheduled` (pages whose "go live" time has come go online, expired ones go
    offline; publishing purges the page cache through Wagtail's signals); run every minute by beat.

    Returns False when another run holds the lock (two beat processes): publishing twice is avoided.
    """
    if not cache.add(LOCK_KEY, 1, LOCK_SECONDS):
        return False
    try:
        # The command lists titles on stdout; the worker's log does not need them.
        call_command("publish_scheduled", stdout=StringIO())
    finally:
        cache.delete(LOCK_KEY)
    return True
