"""The sweep, the lease, retries with backoff, digests and preferences (services/delivery.py)."""

import smtplib
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection

from notifications import clock
from notifications.models import Notification, NotificationPreference
from notifications.services import (
    notification_deliver,
    notification_retry,
    notifications_purge,
    notifications_reclaim_stale,
    notifications_sweep,
    notify,
    preference_set,
    schedule,
)
from notifications.services.delivery import (
    claim_with_conditional_update,
    claim_with_skip_locked,
    retry_delay,
)
from tests.factories import UserFactory

Status = Notification.Status
T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _due_rows(count: int, *, at: datetime = T0) -> list[Notification]:
    return [
        schedule(kind="system.test", email=f"n{i}@example.org", refs={"n": i}, due=at) for i in range(count)
    ]


# --- DST: reminders at a local time fire once, at the right instant (QUALITY.md 24) --------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, expected",
    [
        (
            date(2026, 3, 29),
            {
                "02:30": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
                "09:00": datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
            },
        ),
        (
            date(2026, 10, 25),
            {
                "02:30": datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
                "09:00": datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
            },
        ),
    ],
)
def test_reminders_at_local_times_fire_once_at_the_right_instant_across_dst(day, expected):
    for label in expected:
        hour, minute = map(int, label.split(":"))
        due = clock.local_datetime(day, time(hour, minute))
        schedule(kind="system.test", email="dst@example.org", refs={"hour": hour, "minute": minute}, due=due)
        # Computing the same local time again is the same event: still one row.
        schedule(kind="system.test", email="dst@example.org", refs={"hour": hour, "minute": minute}, due=due)
    assert Notification.objects.count() == 2

    # Walk the clock minute by minute through the local night and morning (the repeated or missing hour
    # included) and sweep at every step, as beat does.
    fired: dict[str, list[datetime]] = {label: [] for label in expected}
    start = clock.local_datetime(day, time(0, 0))
    end = clock.local_datetime(day, time(11, 0))
    step = start
    while step <= end:
        with clock.frozen(step):
            before = len(mail.outbox)
            notifications_sweep()
            for message in mail.outbox[before:]:
                label = "02:30" if "hour=2" in message.subject else "09:00"
                fired[label].append(step)
        step += timedelta(minutes=1)

    assert fired == {label: [instant] for label, instant in expected.items()}


# --- The claim -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_sweep_claims_only_due_rows_and_publishes_their_ids():
    due = _due_rows(3)
    later = schedule(kind="system.test", email="later@example.org", due=T0 + timedelta(hours=1))
    published = []

    with clock.frozen(T0):
        claimed = notifications_sweep(publish=published.append)

    assert sorted(claimed) == sorted(row.pk for row in due) == sorted(published)
    assert all(isinstance(value, int) for value in published)
    assert Notification.objects.get(pk=later.pk).status == Status.PENDING
    assert set(Notification.objects.filter(pk__in=claimed).values_list("status", flat=True)) == {
        Status.SENDING
    }


@pytest.mark.django_db
def test_a_second_sweep_claims_nothing_already_claimed():
    _due_rows(5)
    with clock.frozen(T0):
        first = notifications_sweep(publish=lambda _id: None)
        second = notifications_sweep(publish=lambda _id: None)

    assert len(first) == 5 and second == []


@pytest.mark.django_db
def test_the_portable_claim_takes_each_row_once():
    _due_rows(4)

    first = claim_with_conditional_update(now=T0, limit=3)
    second = claim_with_conditional_update(now=T0, limit=3)

    assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_postgres_claim_skips_locked_rows():
    assert connection.vendor == "postgresql"
    _due_rows(4)

    first = claim_with_skip_locked(now=T0, limit=10)

    assert len(first) == 4 and claim_with_skip_locked(now=T0, limit=10) == []


@pytest.mark.django_db
def test_the_sweep_works_in_batches():
    _due_rows(7)
    with clock.frozen(T0):
        claimed = notifications_sweep(publish=lambda _id: None, batch_size=3)

    assert len(claimed) == 7


@pytest.mark.django_db
def test_rows_go_back_to_pending_when_the_broker_is_down():
    _due_rows(3)

    def broker_down(_id):
        raise ConnectionRefusedError

    with clock.frozen(T0):
        assert notifications_sweep(publish=broker_down) == []

    assert set(Notification.objects.values_list("status", flat=True)) == {Status.PENDING}


# --- Delivery and the lease -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_delivery_sends_once_and_marks_the_row_sent():
    with clock.frozen(T0):
        [row] = _due_rows(1)
        notifications_sweep()

    row.refresh_from_db()
    assert row.status == Status.SENT and row.sent_at == T0 and row.attempts == 1
    assert [message.to for message in mail.outbox] == [["n0@example.org"]]


@pytest.mark.django_db
def test_a_second_message_for_a_leased_or_sent_row_does_nothing():
    [row] = _due_rows(1)
    with clock.frozen(T0):
        notifications_sweep(publish=lambda _id: None)
        assert notification_deliver(notification_id=row.pk, owner="task-a") == "sent"
        assert notification_deliver(notification_id=row.pk, owner="task-b") == "skipped"
        assert notification_deliver(notification_id=row.pk, owner="task-a") == "skipped"

    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_redelivered_message_takes_over_its_own_lease_but_no_other(monkeypatch):
    [row] = _due_rows(1)
    with clock.frozen(T0):
        notifications_sweep(publish=lambda _id: None)
    # Simulate a worker that died while holding the lease for task-a.
    Notification.objects.filter(pk=row.pk).update(
        lease_owner="task-a", lease_expires_at=T0 + timedelta(minutes=6)
    )

    with clock.frozen(T0 + timedelta(seconds=5)):
        assert notification_deliver(notification_id=row.pk, owner="task-b") == "skipped"
        assert notification_deliver(notification_id=row.pk, owner="task-a") == "sent"

    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_unclaimed_row_is_never_sent_by_a_stray_message():
    [row] = _due_rows(1)

    assert notification_deliver(notification_id=row.pk, owner="stray") == "skipped"
    assert mail.outbox == []


@pytest.mark.django_db
def test_stale_claims_and_expired_leases_return_to_pending(settings):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 600
    settings.NOTIFICATIONS_LEASE_SECONDS = 360
    lost_message, dead_worker, busy_worker = _due_rows(3)
    with clock.frozen(T0):
        notifications_sweep(publish=lambda _id: None)
    Notification.objects.filter(pk=dead_worker.pk).update(
        lease_owner="dead", lease_expires_at=T0 + timedelta(seconds=360), attempts=1
    )
    Notification.objects.filter(pk=busy_worker.pk).update(
        lease_owner="busy", lease_expires_at=T0 + timedelta(seconds=1000), attempts=1
    )

    assert notifications_reclaim_stale(now=T0 + timedelta(seconds=300)) == 0
    assert notifications_reclaim_stale(now=T0 + timedelta(seconds=700)) == 2

    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses == {lost_message.pk: "pending", dead_worker.pk: "pending", busy_worker.pk: "sending"}
    assert Notification.objects.get(pk=dead_worker.pk).last_error == "worker-lost"


@pytest.mark.django_db
def test_a_row_that_keeps_killing_workers_ends_as_failed(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    [row] = _due_rows(1)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, lease_owner="dead", lease_expires_at=T0, attempts=3
    )

    notifications_reclaim_stale(now=T0 + timedelta(seconds=1))

    row.refresh_from_db()
    assert row.status == Status.FAILED and row.last_error == "worker-lost"


# --- Failures, backoff, the failed list ----------------------------------------------------------------
class RefusingBackend:
    """An email backend whose server refuses the recipient, naming the address in the error."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {messages[0].to[0]: (550, b"no such user " + messages[0].to[0].encode())}
        )


@pytest.mark.django_db
def test_failed_sends_retry_with_growing_jittered_backoff_then_fail(settings, caplog):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.RefusingBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    row = schedule(kind="system.test", email="kanarie-7f3a@example.org", due=T0)
    now, waits = T0, []

    for _attempt in range(4):
        with clock.frozen(now):
            assert notifications_sweep() == [row.pk]
        row.refresh_from_db()
        if row.status == Status.PENDING:
            waits.append((row.due_at - now).total_seconds())
            with clock.frozen(row.due_at - timedelta(seconds=1)):
                assert notifications_sweep() == []  # not before its time
            now = row.due_at

    assert row.status == Status.FAILED and row.attempts == 4
    assert 45 <= waits[0] <= 75 and 90 <= waits[1] <= 150 and 180 <= waits[2] <= 300
    assert row.last_error == "smtplib.SMTPRecipientsRefused"
    # The refused address is in the exception, but never in the row or the logs.
    assert "kanarie" not in row.last_error
    assert "kanarie" not in caplog.text


def test_the_backoff_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 3600
    assert retry_delay(30) <= timedelta(seconds=3600 * 1.25)
    assert timedelta(seconds=45) <= retry_delay(1) <= timedelta(seconds=75)


@pytest.mark.django_db
def test_a_failed_row_can_be_sent_again():
    [row] = _due_rows(1)
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED, attempts=6, last_error="x")

    with clock.frozen(T0 + timedelta(days=1)):
        notification_retry(notification_id=row.pk)
        notifications_sweep()

    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_unknown_kind_fails_visibly_instead_of_vanishing():
    [row] = _due_rows(1)
    Notification.objects.filter(pk=row.pk).update(kind="removed.kind")

    with clock.frozen(T0):
        notifications_sweep()

    row.refresh_from_db()
    assert row.status == Status.FAILED and row.last_error == "unknown-kind"


@pytest.mark.django_db
def test_a_message_about_a_deleted_object_is_cancelled_not_retried(volunteer):
    other = UserFactory()
    with clock.frozen(T0):
        row = notify(kind="test.essential", recipient=volunteer, refs={"account": other.pk})
        other.delete()
        notifications_sweep()

    assert set(Notification.objects.filter(key=row.key).values_list("status", "last_error")) == {
        (Status.CANCELLED, "gone")
    }
    assert mail.outbox == []


@pytest.mark.django_db
def test_nothing_goes_to_a_deactivated_account(volunteer):
    with clock.frozen(T0):
        notify(kind="account.welcome", recipient=volunteer)
        volunteer.is_active = False
        volunteer.save()
        notifications_sweep()

    assert set(Notification.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    assert mail.outbox == []


# --- Preferences and digests ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_essential_messages_arrive_even_when_everything_optional_is_off(volunteer):
    preference_set(user_id=volunteer.pk, category="", delivery="off")
    with clock.frozen(T0):
        notify(kind="test.essential", recipient=volunteer, refs={"n": 1})
        notify(kind="test.news", recipient=volunteer, refs={"n": 2})
        notifications_sweep()

    assert [message.subject for message in mail.outbox] == ["Testnachricht n=1"]
    assert Notification.objects.filter(kind="test.news", status=Status.CANCELLED).count() == 2


@pytest.mark.django_db
def test_a_category_switched_off_stops_only_that_category(volunteer):
    preference_set(user_id=volunteer.pk, category="news", delivery="off")
    with clock.frozen(T0):
        notify(kind="test.news", recipient=volunteer, refs={"n": 1})
        notify(kind="test.reminder", recipient=volunteer, refs={"n": 2})
        notifications_sweep()

    assert [message.subject for message in mail.outbox] == ["Testnachricht n=2"]


@pytest.mark.django_db
def test_daily_digest_bundles_optional_emails_into_one_message_at_seven(volunteer):
    preference_set(user_id=volunteer.pk, category="news", delivery="daily")
    monday_noon = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # 12:00 CEST
    with clock.frozen(monday_noon):
        for n in range(3):
            notify(kind="test.news", recipient=volunteer, refs={"n": n})
        notifications_sweep()

    assert mail.outbox == []
    # The in-app entries are not bundled; they are in the inbox at once.
    assert Notification.objects.filter(channel="inapp", status=Status.SENT).count() == 3
    assert Notification.objects.filter(channel="email", status=Status.BUNDLED).count() == 3
    digest = Notification.objects.get(kind="notifications.digest")
    assert digest.due_at == datetime(2026, 5, 5, 5, 0, tzinfo=UTC)  # 07:00 CEST the next day
    assert digest.category == "news"

    with clock.frozen(digest.due_at):
        notifications_sweep()

    [message] = mail.outbox
    assert "3" in message.subject and message.body.count("Testnachricht n=") == 3
    assert "List-Unsubscribe" in message.extra_headers
    assert set(Notification.objects.filter(channel="email").values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.django_db
def test_weekly_digest_waits_for_monday_morning(volunteer):
    preference_set(user_id=volunteer.pk, category="", delivery="weekly")
    wednesday = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
    with clock.frozen(wednesday):
        notify(kind="test.reminder", recipient=volunteer, refs={"n": 1})
        notifications_sweep()

    digest = Notification.objects.get(kind="notifications.digest")
    assert digest.due_at == datetime(2026, 5, 11, 5, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_a_digest_whose_entries_were_all_cancelled_is_not_sent(volunteer):
    preference_set(user_id=volunteer.pk, category="news", delivery="daily")
    with clock.frozen(T0):
        notify(kind="test.news", recipient=volunteer, refs={"n": 1})
        notifications_sweep()
    from notifications.services import cancel

    assert cancel(kind="test.news", refs={"n": 1}) == 1
    digest = Notification.objects.get(kind="notifications.digest")
    with clock.frozen(digest.due_at):
        notifications_sweep()

    digest.refresh_from_db()
    assert digest.status == Status.CANCELLED and mail.outbox == []


@pytest.mark.django_db
def test_preferences_fall_back_from_category_to_default_to_immediate(volunteer):
    from notifications.services.preferences import delivery_for

    assert delivery_for(user_id=volunteer.pk, category="news") == "immediate"
    preference_set(user_id=volunteer.pk, category="", delivery="weekly")
    preference_set(user_id=volunteer.pk, category="news", delivery="daily")

    assert delivery_for(user_id=volunteer.pk, category="news") == "daily"
    assert delivery_for(user_id=volunteer.pk, category="reminders") == "weekly"
    assert delivery_for(user_id=volunteer.pk, category="essential") == "immediate"
    with pytest.raises(ValueError, match="Essential"):
        preference_set(user_id=volunteer.pk, category="essential", delivery="off")
    assert NotificationPreference.objects.filter(user=volunteer).count() == 2


# --- Retention ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_finished_rows_are_purged_after_the_retention_period(settings):
    settings.NOTIFICATIONS_RETENTION_DAYS = 180
    old, recent, waiting = _due_rows(3)
    Notification.objects.filter(pk__in=[old.pk, recent.pk]).update(status=Status.SENT)
    Notification.objects.filter(pk=recent.pk).update(due_at=T0 + timedelta(days=100))

    assert notifications_purge(now=T0 + timedelta(days=181)) == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
