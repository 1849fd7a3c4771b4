"""Writes of the notifications engine. The rest of the platform uses `notify`, `schedule` and `cancel`."""

from notifications.services.delivery import (
    notification_deliver,
    notification_retry,
    notifications_purge,
    notifications_reclaim_stale,
    notifications_sweep,
)
from notifications.services.inbox import notification_mark_read, notifications_mark_all_read
from notifications.services.outbox import cancel, notify, schedule
from notifications.services.preferences import preference_set, preference_unsubscribe

__all__ = [
    "cancel",
    "notification_deliver",
    "notification_mark_read",
    "notification_retry",
    "notifications_mark_all_read",
    "notifications_purge",
    "notifications_reclaim_stale",
    "notifications_sweep",
    "notify",
    "preference_set",
    "preference_unsubscribe",
    "schedule",
]
