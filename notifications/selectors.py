"""Reads of the notifications engine: the inbox, the failed list, the outbox state."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from notifications import clock, registry
from notifications.models import Notification, NotificationPreference

Status = Notification.Status


def inbox_list(*, user: AbstractBaseUser) -> QuerySet[Notification]:
    """Returns the person's delivered in-app entries, newest first."""
    return Notification.objects.filter(recipient=user, channel=registry.INAPP, status=Status.SENT).order_by(
        "-sent_at", "-pk"
    )


def inbox_unread_count(*, user: AbstractBaseUser) -> int:
    """Returns how many of the person's in-app entries are unread."""
    return inbox_list(user=user).filter(read_at__isnull=True).count()


def failed_list() -> QuerySet[Notification]:
    """Returns the rows that gave up after their last attempt, newest first (for coordinators)."""
    return Notification.objects.filter(status=Status.FAILED).select_related("recipient").order_by("-due_at")


def preferences_for(*, user: AbstractBaseUser) -> dict[str, str]:
    """Returns the person's stored delivery choice per optional category (immediate where none is stored)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("category", "delivery"))
    default = stored.get("", NotificationPreference.Delivery.IMMEDIATE)
    return {category.name: stored.get(category.name, default) for category in registry.optional_categories()}


def outbox_counts(*, now: datetime | None = None) -> dict[str, int]:
    """Returns counts for operators (no personal data): due, pending, sending, bundled, failed, sent today.

    Each count reads an index (the partial pending/sending indexes, or status + sent_at).
    """
    now = now or clock.now()
    rows = Notification.objects
    return {
        "due": rows.filter(status=Status.PENDING, due_at__lte=now).count(),
        "pending": rows.filter(status=Status.PENDING).count(),
        "sending": rows.filter(status=Status.SENDING).count(),
        "bundled": rows.filter(status=Status.BUNDLED).count(),
        "failed": rows.filter(status=Status.FAILED).count(),
        "sent_today": rows.filter(status=Status.SENT, sent_at__gte=clock.local_midnight(now)).count(),
    }


def oldest_due(*, now: datetime | None = None) -> datetime | None:
    """Returns the due time of the longest-waiting due row (a growing lag means no worker or no beat)."""
    now = now or clock.now()
    return (
        Notification.objects.filter(status=Status.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
