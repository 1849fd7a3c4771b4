"""The Celery application. Schedules are declared here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ehrenamt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # The worker reports that it is alive; /healthz shows how long ago it last did.
    "worker-heartbeat": {"task": "notifications.tasks.heartbeat", "schedule": 60.0},
    "clear-expired-sessions": {
        "task": "notifications.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
    # The outbox: due notification rows are claimed and queued (reminders are rows, not broker messages).
    # A sweep that waited longer than one interval is dropped: the next one does the same work.
    "sweep-notifications": {
        "task": "notifications.tasks.sweep_notifications",
        "schedule": settings.NOTIFICATIONS_SWEEP_SECONDS,
        "options": {"expires": settings.NOTIFICATIONS_SWEEP_SECONDS},
    },
    "purge-notifications": {
        "task": "notifications.tasks.purge_notifications",
        "schedule": crontab(minute=37, hour=3),
    },
    # Listings past their expiry leave the search at once (a query filter); this marks them expired
    # and tells their organisations.
    "expire-needs": {"task": "volunteering.tasks.expire_needs", "schedule": crontab(minute=7, hour=2)},
    # Wagtail's scheduled publishing: pages whose "go live" time has come go online (and expired ones
    # offline) within a minute.
    "publish-scheduled-pages": {
        "task": "cms.tasks.publish_scheduled_pages",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # eFZ records (§72a SGB VIII) are deleted at the latest three months after their engagement ends.
    "purge-efz-records": {
        "task": "volunteering.tasks.purge_efz_records",
        "schedule": crontab(minute=23, hour=3),
    },
    # Newcomers' tandem requests: withdrawn ones, and those whose tandem ended TANDEM_RETENTION_MONTHS ago.
    "purge-tandem-requests": {
        "task": "volunteering.tasks.purge_tandem_requests",
        "schedule": crontab(minute=27, hour=2),
    },
    # Milestones by date (first engagement, 1/5/10/25 years): checked once a day, each reached only once.
    "recognition-milestones": {
        "task": "volunteering.tasks.recognition_milestones",
        "schedule": crontab(minute=43, hour=4),
    },
}


@worker_ready.connect
def _report_alive_at_start(sender=None, **kwargs) -> None:
    # Report at once instead of after the first beat interval, so /healthz sees a fresh worker.
    from notifications.tasks import heartbeat

    heartbeat.apply()
