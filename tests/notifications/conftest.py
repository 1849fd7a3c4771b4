"""Fixtures of the notifications tests: test-only message kinds, a frozen clock, a real Celery worker."""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app
from notifications import clock, registry
from notifications.registry import EMAIL, INAPP, MessageKind

ROOT = Path(__file__).resolve().parents[2]

# Test-only kinds reuse the operator test templates (subject and text show the refs).
_TEMPLATES = {"subject_template": "emails/system/test_subject.txt", "text_template": "emails/system/test.txt"}


def _refs_context(refs):
    from django.contrib.auth import get_user_model

    if "account" in refs and not get_user_model().objects.filter(pk=refs["account"]).exists():
        raise registry.Gone
    return {"refs": dict(refs), "url": "https://example.org/ziel"}


TEST_KINDS = [
    MessageKind(name="test.essential", category="essential", context=_refs_context, **_TEMPLATES),
    MessageKind(name="test.news", category="news", context=_refs_context, **_TEMPLATES),
    MessageKind(
        name="test.reminder", category="reminders", channels=(EMAIL,), context=_refs_context, **_TEMPLATES
    ),
    MessageKind(name="test.inbox", category="news", channels=(INAPP,), context=_refs_context, **_TEMPLATES),
]


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[list[MessageKind]]:
    for kind in TEST_KINDS:
        registry.register(kind)
    yield TEST_KINDS
    for kind in TEST_KINDS:
        registry.unregister(kind.name)


@pytest.fixture
def frozen_clock() -> Callable[[datetime], object]:
    """Returns a function that stands the engine's clock still at an instant until the test ends."""
    stack = []

    def freeze(at: datetime):
        manager = clock.frozen(at)
        manager.__enter__()
        stack.append(manager)
        return at

    yield freeze
    while stack:
        stack.pop().__exit__(None, None, None)


def database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    return f"sqlite:///{database['NAME']}"


class WorkerProcess:
    """A `celery worker` subprocess; its output is kept so tests can scan the logs."""

    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process = process
        self.log_path = log_path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def start_worker(transactional_db, tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """Returns a function starting `celery worker` on the test database; all are stopped afterwards.

    The worker writes emails with the development mailbox backend into tmp_path/mail, where the test
    process's `_mailbox_in_tmp` fixture also looks.
    """
    started: list[WorkerProcess] = []

    def start(*extra_args: str, env: dict[str, str] | None = None) -> WorkerProcess:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "notifications.backends.MailboxBackend",
            "VAR_DIR": str(tmp_path),
            "LOG_LEVEL": "INFO",
            **(env or {}),
        }
        log_path = tmp_path / f"worker-{len(started)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                *extra_args,
            ],
            cwd=ROOT,
            env=environment,
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = WorkerProcess(process, log_path)
        started.append(worker)
        return worker

    app.conf.task_always_eager = False
    try:
        yield start
    finally:
        app.conf.task_always_eager = True
        for worker in started:
            worker.process.terminate()
            try:
                worker.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.process.kill()


@pytest.fixture
def celery_worker_process(start_worker) -> WorkerProcess:
    """One worker on the test database and the test Redis."""
    return start_worker()


def wait_for(condition: Callable[[], object], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
