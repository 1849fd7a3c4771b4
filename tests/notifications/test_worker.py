"""A real Celery worker process against real Redis and the test database (QUALITY.md 19, 25)."""

import os
import threading
import time
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import transaction

from config.health import HEARTBEAT_KEY
from notifications.mailbox import mailbox_list
from notifications.models import Notification
from notifications.services import notify, schedule
from notifications.tasks import heartbeat
from tests.factories import UserFactory
from tests.notifications.conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


class RedisMonitor:
    """Records every command Redis executes (all databases) while the test runs, via MONITOR."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)
        self.commands: list[str] = []
        self._monitor = self.client.monitor()
        self._monitor.__enter__()
        self._thread = threading.Thread(target=self._record, daemon=True)
        self._thread.start()

    def _record(self) -> None:
        try:
            while True:
                self.commands.append(str(self._monitor.next_command()["command"]))
        except Exception:
            return  # the connection was closed by stop()

    def stop(self) -> None:
        self._monitor.connection.disconnect()
        self._thread.join(timeout=5)

    def pushes(self, task_name: str, args: tuple | None = None) -> int:
        """Returns how many task messages for `task_name` (with `args`, if given) were put on a queue."""
        needles = [f'"task": "{task_name}"'] + ([f'"argsrepr": "{args!r}"'] if args is not None else [])
        return sum(
            1
            for c in self.commands
            if c.upper().startswith("LPUSH") and all(needle in c for needle in needles)
        )


@pytest.fixture
def redis_monitor():
    monitor = RedisMonitor(os.environ["REDIS_URL"])
    yield monitor
    monitor.stop()


def _redis_contents() -> str:
    """Returns every key and value in every Redis database, read according to its type."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    chunks = []
    for db in range(16):
        client.execute_command("SELECT", db)
        for key in client.keys("*"):
            kind = client.type(key).decode()
            if kind == "string":
                value = client.get(key)
            elif kind == "list":
                value = client.lrange(key, 0, -1)
            elif kind == "hash":
                value = client.hgetall(key)
            elif kind == "set":
                value = client.smembers(key)
            elif kind == "zset":
                value = client.zrange(key, 0, -1)
            else:
                value = client.dump(key)
            chunks.append(f"{key!r} {value!r}")
    return "\n".join(chunks)


def _worker_ready(worker) -> bool:
    return "ready" in worker.output()


def test_a_real_worker_runs_tasks_sent_through_redis(celery_worker_process, client):
    cache.delete(HEARTBEAT_KEY)
    # The worker reports at start; clear that report, then ask it again through the broker.
    assert wait_for(lambda: cache.get(HEARTBEAT_KEY) is not None), "worker did not start"
    cache.delete(HEARTBEAT_KEY)

    heartbeat.delay()

    assert wait_for(lambda: cache.get(HEARTBEAT_KEY) is not None), "task was not executed"
    worker = client.get("/healthz").json()["checks"]["worker"]
    assert worker["seen"] is True and worker["seconds_ago"] < 30


def test_rollback_enqueues_nothing_and_commit_enqueues_once(celery_worker_process, redis_monitor):
    assert wait_for(lambda: _worker_ready(celery_worker_process)), "worker did not start"

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(kind="system.test", email="rolled-back@example.org", refs={"case": 1})
        raise RuntimeError("the change failed")
    time.sleep(2)  # time for a stray message to arrive and be run, if there were one

    assert not Notification.objects.filter(email="rolled-back@example.org").exists()
    assert redis_monitor.pushes("notifications.tasks.sweep_notifications") == 0
    assert redis_monitor.pushes("notifications.tasks.send_notification") == 0
    assert mailbox_list() == []

    with transaction.atomic():
        row = notify(kind="system.test", email="committed@example.org", refs={"case": 2})
        notify(kind="system.test", email="committed@example.org", refs={"case": 2})  # the same event again

    assert wait_for(lambda: Notification.objects.get(pk=row.pk).status == "sent"), (
        celery_worker_process.output()
    )
    time.sleep(2)  # a duplicate would arrive now
    assert redis_monitor.pushes("notifications.tasks.sweep_notifications") == 1  # the nudge
    assert redis_monitor.pushes("notifications.tasks.send_notification", args=(row.pk,)) == 1
    assert Notification.objects.filter(email="committed@example.org").count() == 1
    assert [entry.to for entry in mailbox_list()] == ["committed@example.org"]
    assert Notification.objects.get(pk=row.pk).attempts == 1


def test_payloads_redis_and_logs_hold_no_personal_data(start_worker, redis_monitor, caplog, tmp_path):
    marker = f"kanarie{uuid.uuid4().hex[:10]}"
    worker = start_worker(env={"EMAIL_BACKEND": "tests.notifications.backends.RefuseSomeMailboxBackend"})
    assert wait_for(lambda: _worker_ready(worker)), "worker did not start"
    person = UserFactory(email=f"{marker}@example.org", first_name=marker, last_name=marker)
    refused = UserFactory(email=f"refuse-{marker}@example.org", first_name=marker)

    with transaction.atomic():
        welcome = notify(kind="account.welcome", recipient=person)
        newcomer = notify(kind="system.test", email=f"neu-{marker}@example.org", refs={"tandem_request": 7})
        bounce = notify(kind="account.welcome", recipient=refused)
    scheduled = schedule(kind="system.test", email=f"spaeter-{marker}@example.org", due=welcome.due_at)

    def settled() -> bool:
        rows = Notification.objects.filter(pk__in=[welcome.pk, newcomer.pk, scheduled.pk])
        return set(rows.values_list("status", flat=True)) == {"sent"} and (
            Notification.objects.get(pk=bounce.pk).attempts >= 1
            and Notification.objects.get(pk=bounce.pk).status == "pending"
        )

    # The scheduled row has no nudge of its own; the next nudge's sweep or a beat would take it. Nudge.
    assert wait_for(lambda: Notification.objects.get(pk=welcome.pk).status == "sent"), worker.output()
    with transaction.atomic():
        notify(kind="system.test", email="operator@example.org", refs={"nudge": 1})
    assert wait_for(settled), worker.output()

    # The messages themselves did reach the people (the marker travelled the real path) ...
    mailbox = "\n".join(entry.to + entry.text for entry in mailbox_list())
    assert f"{marker}@example.org" in mailbox and f"neu-{marker}" in mailbox
    # ... but nothing on the way kept it: not the task messages, not Redis, not a log line, not the row.
    assert redis_monitor.pushes("notifications.tasks.send_notification") >= 4
    assert marker not in "\n".join(redis_monitor.commands)
    assert marker not in _redis_contents()
    assert marker not in worker.output()
    assert marker not in caplog.text
    assert Notification.objects.get(pk=bounce.pk).last_error == "smtplib.SMTPRecipientsRefused"
    assert "Notification" in worker.output()  # the worker did log, at INFO, with ids


def test_embedded_mode_delivers_through_the_filesystem_broker_without_redis(start_worker, tmp_path, settings):
    # `make run`: one worker with its beat, Celery on the filesystem transport, no Redis at all.
    settings.NOTIFICATIONS_NUDGE = False
    worker = start_worker(
        "--beat",
        "--schedule",
        str(tmp_path / "celerybeat-schedule"),
        env={
            "CELERY_BROKER_URL": "filesystem://",
            "NOTIFICATIONS_SWEEP_SECONDS": "1",
            "CACHE_URL": "locmemcache://",
        },
    )
    for folder in ("broker/queue", "broker/processed", "broker/control"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)

    with transaction.atomic():
        row = notify(kind="system.test", email="embedded@example.org", refs={"case": 3})

    assert wait_for(lambda: Notification.objects.get(pk=row.pk).status == "sent", timeout=60), worker.output()
    assert [entry.to for entry in mailbox_list()] == ["embedded@example.org"]
