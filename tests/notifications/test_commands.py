"""`manage.py outbox`: counts for operators, without personal data."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications import clock
from notifications.models import Notification
from notifications.services import schedule

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _outbox(*args: str) -> str:
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_counts_the_outbox_by_state_without_personal_data(volunteer):
    for n, status in enumerate(["pending", "pending", "sending", "failed", "sent", "bundled"]):
        row = schedule(
            kind="test.reminder", recipient=volunteer, refs={"n": n}, due=T0 - timedelta(minutes=5)
        )
        Notification.objects.filter(pk=row.pk).update(status=status, sent_at=T0 if status == "sent" else None)
    schedule(kind="test.reminder", recipient=volunteer, refs={"n": 99}, due=T0 + timedelta(days=1))

    with clock.frozen(T0):
        counts = json.loads(_outbox("--json"))
        text = _outbox()

    assert counts == {
        "due": 2,
        "pending": 3,
        "sending": 1,
        "failed": 1,
        "bundled": 1,
        "sent_today": 1,
        "oldest_due_seconds": 300,
    }
    assert "due now" in text and volunteer.email not in text and "lena" not in text.lower()


@pytest.mark.django_db
def test_it_can_queue_a_test_email_and_sweep():
    output = _outbox("--send-test", "operator@example.org", "--sweep")

    assert "Queued test notification" in output and "Sweep queued 1" in output
    assert [message.to for message in mail.outbox] == [["operator@example.org"]]


@pytest.mark.django_db
def test_it_refuses_an_invalid_test_address():
    with pytest.raises(CommandError, match="not a valid email address"):
        _outbox("--send-test", "nobody")
