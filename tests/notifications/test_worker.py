"""A real Celery worker process against real Redis and the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from config.celery import app
from config.health import HEARTBEAT_KEY
from notifications.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(transactional_db):
    """Starts `celery worker` in a subprocess on the test database; stops it afterwards."""
    database = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{database['NAME']}",
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=WARNING",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
def test_a_real_worker_runs_tasks_sent_through_redis(celery_worker_process, client):
    cache.delete(HEARTBEAT_KEY)
    # The worker reports at start; clear that report, then ask it again through the broker.
    assert _wait_for(lambda: cache.get(HEARTBEAT_KEY) is not None), "worker did not start"
    cache.delete(HEARTBEAT_KEY)

    heartbeat.delay()

    assert _wait_for(lambda: cache.get(HEARTBEAT_KEY) is not None), "task was not executed"
    worker = client.get("/healthz").json()["checks"]["worker"]
    assert worker["seen"] is True and worker["seconds_ago"] < 30
