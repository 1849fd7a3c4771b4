"""The in-app inbox: marking entries read."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404

from notifications import clock
from notifications.selectors import inbox_list


def notification_mark_read(*, user: AbstractBaseUser, notification_id: int) -> None:
    """Marks one of the person's own inbox entries read; a foreign or unknown entry raises Http404."""
    entry = inbox_list(user=user).filter(pk=notification_id).first()
    if entry is None:
        raise Http404
    if entry.read_at is None:
        entry.read_at = clock.now()
        entry.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    """Marks all of the person's unread inbox entries read; returns how many."""
    return inbox_list(user=user).filter(read_at__isnull=True).update(read_at=clock.now())
