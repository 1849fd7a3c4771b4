"""Celery tasks of the notifications engine and the platform's infrastructure.

A task is an interface: it takes ids (never model instances or addresses), loads rows and calls one
service. Payloads therefore carry no personal data.
"""

import time

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command

from config.health import HEARTBEAT_KEY
from notifications.services import (
    notification_deliver,
    notifications_purge,
    notifications_sweep,
)


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Records that a worker is alive; /healthz reports how long ago."""
    cache.set(HEARTBEAT_KEY, str(time.time()), timeout=60 * 60)


@shared_task(ignore_result=True)
def clear_expired_sessions() -> None:
    """Deletes expired sessions so that no stale session data stays in the database."""
    call_command("clearsessions")


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    """Claims due outbox rows and queues one `send_notification` per row; run by beat every minute."""
    return len(notifications_sweep())


@shared_task(bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def send_notification(self, notification_id: int) -> str:
    """Delivers one claimed outbox row. Redelivery after a crash is safe: the row's lease decides."""
    # The task id stays the same when Redis redelivers this message, so a redelivery after a worker
    # crash can take over its own lease at once instead of waiting for it to expire.
    return notification_deliver(notification_id=notification_id, owner=self.request.id or "eager")


@shared_task(ignore_result=True)
def purge_notifications() -> int:
    """Deletes finished outbox rows past their retention period."""
    return notifications_purge()
