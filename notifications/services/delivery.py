"""Sending the outbox: the sweep that claims due rows, and the delivery of one row by a worker.

Life of a row::

    pending ──sweep claims──▶ sending ──worker leases, sends──▶ sent
       ▲                        │  └──send fails──▶ pending (later, backoff + jitter) … ▶ failed
       └──stale claim/lease─────┘  └──optional category bundled──▶ bundled ──digest sent──▶ sent

Two guards make "exactly once" hold everywhere except in the unavoidable window between a transport
accepting a message and the row being marked sent:
- the *claim* (sweep): one transaction flips due rows from pending to sending, skipping rows another
  sweeper holds (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional UPDATE on SQLite);
- the *lease* (worker): a conditional UPDATE makes one task the owner of a sending row until the lease
  expires; a second message for the same row (redelivery, a re-sweep) finds it leased or sent and stops.
  A redelivery of the *same* Celery message (its task id) may take over at once: that only happens when
  the worker running it died.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import F, Q

from notifications import clock, registry
from notifications.models import Notification, NotificationPreference
from notifications.services.preferences import delivery_for

logger = logging.getLogger("notifications")

Status = Notification.Status
DIGEST_KIND = "notifications.digest"


def notifications_sweep(
    *,
    now: datetime | None = None,
    publish: Callable[[int], object] | None = None,
    batch_size: int | None = None,
    max_rows: int | None = None,
) -> list[int]:
    """Reclaims stale rows, claims due ones and hands each to `publish` (default: the send task).

    Returns the ids this sweep claimed and published. Rows whose publication fails (broker down) go back
    to pending at once, so the next sweep retries them.
    """
    now = now or clock.now()
    batch_size = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    max_rows = max_rows or settings.NOTIFICATIONS_MAX_PER_SWEEP
    publish = publish or _publish_send_task
    notifications_reclaim_stale(now=now)
    published: list[int] = []
    while len(published) < max_rows:
        claimed = _claim_due(now=now, limit=min(batch_size, max_rows - len(published)))
        for index, notification_id in enumerate(claimed):
            try:
                publish(notification_id)
            except Exception as exc:
                _release(claimed[index:])
                logger.warning(
                    "Sweep stopped: publishing failed (%s); %d row(s) back to pending.",
                    exc.__class__.__name__,
                    len(claimed) - index,
                )
                return published
            published.append(notification_id)
        if len(claimed) < batch_size:
            break
    return published


def _publish_send_task(notification_id: int) -> None:
    from notifications.tasks import send_notification

    send_notification.apply_async((notification_id,), retry=False)


def _claim_due(*, now: datetime, limit: int) -> list[int]:
    """Flips up to `limit` due pending rows to sending in one committed transaction; returns their ids."""
    if connection.features.has_select_for_update_skip_locked:
        return claim_with_skip_locked(now=now, limit=limit)
    return claim_with_conditional_update(now=now, limit=limit)


def claim_with_skip_locked(*, now: datetime, limit: int) -> list[int]:
    """The PostgreSQL claim: rows another sweeper has locked are skipped, never waited for or doubled."""
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(status=Status.PENDING, due_at__lte=now)
            .order_by("due_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(
                status=Status.SENDING, claimed_at=now, lease_owner="", lease_expires_at=None
            )
    return ids


def claim_with_conditional_update(*, now: datetime, limit: int) -> list[int]:
    """The portable claim (SQLite): one UPDATE whose WHERE re-checks the status, returning what it changed.

    SQLite serialises writers, and a row already flipped by another sweeper no longer matches
    `status = 'pending'`, so each row is claimed once.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"UPDATE {table} SET status = %s, claimed_at = %s, lease_owner = '', lease_expires_at = NULL "  # noqa: S608 - only the quoted table name is interpolated
        f"WHERE status = %s AND id IN (SELECT id FROM {table} WHERE status = %s AND due_at <= %s "
        f"ORDER BY due_at LIMIT %s) RETURNING id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql, [Status.SENDING, adapt(now), Status.PENDING, Status.PENDING, adapt(now), int(limit)]
        )
        return [row[0] for row in cursor.fetchall()]


def _release(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids, status=Status.SENDING, lease_expires_at__isnull=True).update(
        status=Status.PENDING, claimed_at=None
    )


def notifications_reclaim_stale(*, now: datetime | None = None) -> int:
    """Puts rows back to pending whose worker died or whose task message was lost; returns how many.

    A claimed row nobody leased within NOTIFICATIONS_CLAIM_TIMEOUT lost its message (broker restart);
    a leased row past its lease lost its worker. A lost worker counts as an attempt, so a message that
    kills every worker ends as failed instead of looping.
    """
    now = now or clock.now()
    stale = Notification.objects.filter(status=Status.SENDING)
    unstarted = stale.filter(
        lease_expires_at__isnull=True,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT),
    ).update(status=Status.PENDING, claimed_at=None)
    expired = stale.filter(lease_expires_at__lt=now)
    given_up = expired.filter(attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS).update(
        status=Status.FAILED, last_error="worker-lost", lease_owner="", lease_expires_at=None
    )
    retried = expired.update(
        status=Status.PENDING,
        last_error="worker-lost",
        lease_owner="",
        lease_expires_at=None,
        claimed_at=None,
    )
    return unstarted + given_up + retried


def notification_deliver(*, notification_id: int, owner: str) -> str:
    """Sends one claimed row through its channel's transport; returns the outcome as a short word.

    `owner` identifies this attempt (the Celery task id). Never raises for a delivery problem: failures
    are recorded on the row (without personal data) and retried with backoff.
    """
    from notifications.transports import transport_for

    now = clock.now()
    lease_until = now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    leased = (
        Notification.objects.filter(pk=notification_id, status=Status.SENDING)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_expires_at=lease_until, attempts=F("attempts") + 1)
    )
    if not leased:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)

    try:
        registry.get(notification.kind)
    except LookupError:
        # A kind removed from the code: nobody can render it; a coordinator sees it in the failed list.
        _finish(notification, owner=owner, status=Status.FAILED, error="unknown-kind")
        return "failed"
    if notification.recipient_id and not notification.recipient.is_active:
        _finish(notification, owner=owner, status=Status.CANCELLED, error="inactive-account")
        return "cancelled"

    if notification.recipient_id and notification.category != registry.ESSENTIAL:
        delivery = delivery_for(user_id=notification.recipient_id, category=notification.category)
        if delivery == NotificationPreference.Delivery.OFF:
            _finish(notification, owner=owner, status=Status.CANCELLED, error="opted-out")
            if notification.kind == DIGEST_KIND:
                notification.bundled.filter(status=Status.BUNDLED).update(
                    status=Status.CANCELLED, last_error="opted-out"
                )
            return "cancelled"
        if (
            notification.kind != DIGEST_KIND
            and notification.channel == registry.EMAIL
            and delivery in (NotificationPreference.Delivery.DAILY, NotificationPreference.Delivery.WEEKLY)
        ):
            _bundle(notification, owner=owner, delivery=delivery, now=now)
            return "bundled"

    try:
        transport_for(notification.channel).send(notification)
    except (registry.Gone, ObjectDoesNotExist):
        _finish(notification, owner=owner, status=Status.CANCELLED, error="gone")
        return "cancelled"
    except Exception as exc:
        return _record_failure(notification, owner=owner, error=_describe(exc))
    _mark_sent(notification, now=clock.now())
    return "sent"


def _mark_sent(notification: Notification, *, now: datetime) -> None:
    # Also from pending: if this attempt outlived its lease and a sweep already reclaimed the row, marking
    # it sent stops a second copy; the task that claimed it meanwhile finds it sent and stops.
    Notification.objects.filter(pk=notification.pk, status__in=[Status.SENDING, Status.PENDING]).update(
        status=Status.SENT, sent_at=now, last_error="", lease_owner="", lease_expires_at=None
    )
    if notification.kind == DIGEST_KIND:
        notification.bundled.filter(status=Status.BUNDLED).update(status=Status.SENT, sent_at=now)
    logger.info(
        "Notification %s sent (%s, %s, attempt %s).",
        notification.pk,
        notification.kind,
        notification.channel,
        notification.attempts,
    )


def _finish(notification: Notification, *, owner: str, status: str, error: str) -> None:
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING, lease_owner=owner).update(
        status=status, last_error=error, lease_owner="", lease_expires_at=None
    )
    logger.info("Notification %s %s (%s).", notification.pk, status, error)


def _record_failure(notification: Notification, *, owner: str, error: str) -> str:
    attempts = notification.attempts
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _finish(notification, owner=owner, status=Status.FAILED, error=error)
        logger.warning(
            "Notification %s failed for good after %s attempts (%s).", notification.pk, attempts, error
        )
        return "failed"
    retry_at = clock.now() + retry_delay(attempts)
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING, lease_owner=owner).update(
        status=Status.PENDING,
        due_at=retry_at,
        last_error=error,
        lease_owner="",
        lease_expires_at=None,
        claimed_at=None,
    )
    logger.warning("Notification %s attempt %s failed (%s); retry later.", notification.pk, attempts, error)
    return "retry"


def retry_delay(attempts: int) -> timedelta:
    """Returns the wait before the next attempt: exponential in the attempts so far, capped, with jitter.

    The jitter spreads retries of many rows that failed together (a mail server outage) over time.
    """
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    capped = min(base, settings.NOTIFICATIONS_RETRY_MAX_SECONDS)
    return timedelta(seconds=capped * random.uniform(0.75, 1.25))  # noqa: S311 - jitter, not security


def _describe(exc: Exception) -> str:
    """Returns the exception class (and SMTP code), never its message: messages can carry addresses."""
    code = getattr(exc, "smtp_code", None)
    name = f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix("builtins.")
    return f"{name} {code}"[:200] if code else name[:200]


def _bundle(notification: Notification, *, owner: str, delivery: str, now: datetime) -> None:
    """Moves an email of an optional category into the person's next daily or weekly digest."""
    at = settings.NOTIFICATIONS_DIGEST_TIME
    weekday = (
        settings.NOTIFICATIONS_DIGEST_WEEKDAY if delivery == NotificationPreference.Delivery.WEEKLY else None
    )
    slot = clock.next_local_time(now, at, weekday=weekday)
    key = f"{DIGEST_KIND}:{notification.recipient_id}:{notification.category}:{delivery}:{slot.isoformat()}"
    with transaction.atomic():
        digest, _created = Notification.objects.get_or_create(
            key=key,
            channel=registry.EMAIL,
            defaults={
                "recipient_id": notification.recipient_id,
                "kind": DIGEST_KIND,
                "category": notification.category,
                "due_at": slot,
            },
        )
        Notification.objects.filter(pk=notification.pk, status=Status.SENDING, lease_owner=owner).update(
            status=Status.BUNDLED, digest=digest, lease_owner="", lease_expires_at=None, claimed_at=None
        )


def notification_retry(*, notification_id: int) -> Notification:
    """Puts a failed row back into the outbox, due now, with a fresh attempt count; returns it."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id, status=Status.FAILED)
        notification.status = Status.PENDING
        notification.attempts = 0
        notification.due_at = clock.now()
        notification.last_error = ""
        notification.full_clean(validate_unique=False, validate_constraints=False)
        notification.save(update_fields=["status", "attempts", "due_at", "last_error"])
    from notifications.services.outbox import nudge_after_commit

    nudge_after_commit()
    return notification


def notifications_purge(*, now: datetime | None = None) -> int:
    """Deletes finished rows older than NOTIFICATIONS_RETENTION_DAYS (data minimisation); returns how many."""
    now = now or clock.now()
    cutoff = now - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    finished = [Status.SENT, Status.CANCELLED, Status.FAILED]
    deleted, _ = Notification.objects.filter(status__in=finished, due_at__lt=cutoff).delete()
    return deleted
