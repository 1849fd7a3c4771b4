"""Celery tasks of the platform's infrastructure. A task takes ids, never model instances."""

import time

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command

from config.health import HEARTBEAT_KEY


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Records that a worker is alive; /healthz reports how long ago."""
    cache.set(HEARTBEAT_KEY, str(time.time()), timeout=60 * 60)


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    """Deletes expired sessions so that no stale session data stays in the database."""
    call_command("clearsessions")
