"""`notify`, `schedule` and `cancel`: rows in the caller's transaction, idempotent, cancellable."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from notifications import clock
from notifications.models import Notification
from notifications.services import cancel, notifications_sweep, notify, schedule
from tests.factories import UserFactory

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_it_writes_one_row_per_channel_with_ids_only(volunteer):
    with clock.frozen(T0):
        row = notify(kind="test.essential", recipient=volunteer, refs={"application": 5})

    rows = Notification.objects.filter(key=row.key).order_by("channel")
    assert [r.channel for r in rows] == ["email", "inapp"]
    assert all(r.refs == {"application": 5} and r.due_at == T0 and r.status == "pending" for r in rows)
    # The account is referenced, not copied: no address, and the language follows the person at send time.
    assert all(r.email == "" and r.language == "" for r in rows)
    assert row.channel == "email"


@pytest.mark.django_db
def test_the_same_event_never_creates_two_rows(volunteer):
    first = notify(kind="test.essential", recipient=volunteer, refs={"application": 5})
    again = notify(kind="test.essential", recipient=volunteer, refs={"application": 5})
    other = notify(kind="test.essential", recipient=volunteer, refs={"application": 6})
    due = T0 + timedelta(days=2)
    later = schedule(kind="test.essential", recipient=volunteer, refs={"application": 5}, due=due)
    later_again = schedule(kind="test.essential", recipient=volunteer, refs={"application": 5}, due=due)

    assert first.pk == again.pk and later.pk == later_again.pk
    assert len({first.pk, other.pk, later.pk}) == 3
    assert Notification.objects.count() == 6  # three events × two channels


@pytest.mark.django_db
def test_an_explicit_key_identifies_the_event(volunteer):
    first = schedule(kind="test.reminder", recipient=volunteer, key="application:5:escalation", due=T0)
    moved = schedule(
        kind="test.reminder", recipient=volunteer, key="application:5:escalation", due=T0 + timedelta(days=1)
    )

    assert first.pk == moved.pk and moved.due_at == T0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_event_keep_one_row(volunteer):
    import threading

    from django.db import connection

    results, barrier = [], threading.Barrier(2)

    def write():
        barrier.wait()
        with transaction.atomic():
            results.append(notify(kind="test.reminder", recipient=volunteer, refs={"need": 1}).pk)
        connection.close()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(results)) == 1 and Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_row(volunteer):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(kind="test.essential", recipient=volunteer)
        raise RuntimeError("the change failed")

    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_the_nudge_runs_only_after_commit_and_once_per_transaction(
    volunteer, django_capture_on_commit_callbacks
):
    with mock.patch("notifications.tasks.sweep_notifications.apply_async") as nudge:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            notify(kind="test.essential", recipient=volunteer, refs={"n": 1})
            notify(kind="test.essential", recipient=volunteer, refs={"n": 2})
            assert nudge.call_count == 0  # nothing leaves the transaction before it commits
        assert len(callbacks) == 1 and nudge.call_count == 1
        nudge.assert_called_once_with(retry=False)


@pytest.mark.django_db
def test_a_later_reminder_needs_no_nudge(volunteer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        schedule(kind="test.reminder", recipient=volunteer, due=clock.now() + timedelta(days=2))

    assert callbacks == []


@pytest.mark.django_db
def test_a_broker_outage_at_commit_loses_nothing(volunteer, django_capture_on_commit_callbacks):
    with (
        mock.patch("notifications.tasks.sweep_notifications.apply_async", side_effect=ConnectionRefusedError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = notify(kind="test.essential", recipient=volunteer)

    row.refresh_from_db()
    assert row.status == "pending"
    notifications_sweep()
    row.refresh_from_db()
    assert row.status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_with_the_eager_test_setting_a_commit_delivers_at_once(volunteer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="account.welcome", recipient=volunteer)

    assert len(mail.outbox) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_people_without_an_account_get_email_in_their_language():
    row = notify(
        kind="test.essential", email="newcomer@example.org", language="ar", refs={"tandem_request": 3}
    )

    assert Notification.objects.count() == 1  # no inbox without an account
    assert row.channel == "email" and row.email == "newcomer@example.org" and row.resolved_language == "ar"


@pytest.mark.django_db
def test_the_language_defaults_to_the_persons_preference_then_to_german():
    person = UserFactory(preferred_language="uk")
    row = notify(kind="test.essential", recipient=person)
    bare = notify(kind="test.essential", email="x@example.org")

    assert row.resolved_language == "uk" and bare.resolved_language == "de"
    person.preferred_language = "tr"
    person.save()
    row.refresh_from_db()
    assert row.resolved_language == "tr"  # rendered in the language the person has when it is sent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"kind": "test.essential"}, "either to an account"),
        ({"kind": "test.news", "email": "a@example.org"}, "can only go to an account"),
        ({"kind": "test.inbox", "email": "a@example.org"}, "can only go to an account"),
        ({"kind": "test.essential", "email": "a@example.org", "refs": {"name": "Lena"}}, "ids only"),
        ({"kind": "test.essential", "email": "a@example.org", "refs": {"Bad Key": 1}}, "identifiers"),
        ({"kind": "test.essential", "email": "a@example.org", "language": "xx"}, "not one of"),
        ({"kind": "test.essential", "email": "a@example.org", "key": "k" * 201}, "1 to 200"),
    ],
)
def test_it_refuses_what_it_cannot_deliver(arguments, message):
    with pytest.raises(ValueError, match=message):
        notify(**arguments)
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    with pytest.raises(LookupError, match="No message kind"):
        notify(kind="no.such_kind", email="a@example.org")


@pytest.mark.django_db
def test_an_invalid_address_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        notify(kind="test.essential", email="not-an-address")


def test_schedule_needs_an_aware_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule(kind="test.essential", email="a@example.org", due=datetime(2026, 5, 4, 8, 0))


@pytest.mark.django_db
def test_cancel_stops_pending_rows_by_kind_and_refs(volunteer):
    escalation = schedule(
        kind="test.reminder", recipient=volunteer, refs={"application": 5, "need": 9}, due=T0
    )
    other = schedule(kind="test.reminder", recipient=volunteer, refs={"application": 6, "need": 9}, due=T0)
    news = schedule(kind="test.news", recipient=volunteer, refs={"application": 5}, due=T0)

    assert cancel(kind="test.reminder", refs={"application": 5}) == 1

    statuses = dict(Notification.objects.filter(channel="email").values_list("pk", "status"))
    assert statuses == {escalation.pk: "cancelled", other.pk: "pending", news.pk: "pending"}


@pytest.mark.django_db
def test_cancel_by_key_or_refs_alone(volunteer):
    schedule(kind="test.reminder", recipient=volunteer, key="training:3:reminder", due=T0)
    schedule(kind="test.news", recipient=volunteer, refs={"training": 3}, due=T0)

    assert cancel(key="training:3:reminder") == 1
    assert cancel(refs={"training": 3}) == 2  # both channels of the news
    assert Notification.objects.exclude(status="cancelled").count() == 0


@pytest.mark.django_db
def test_a_ref_named_like_a_lookup_is_still_a_ref(volunteer):
    schedule(kind="test.reminder", recipient=volunteer, refs={"contains": 1}, due=T0)
    schedule(kind="test.reminder", recipient=volunteer, refs={"contains": 2}, due=T0)

    assert cancel(refs={"contains": 1}) == 1


@pytest.mark.django_db
def test_cancel_leaves_sent_rows_and_rows_in_a_workers_hands_alone(volunteer):
    sent = schedule(kind="test.reminder", recipient=volunteer, refs={"n": 1}, due=T0)
    sending = schedule(kind="test.reminder", recipient=volunteer, refs={"n": 2}, due=T0)
    Notification.objects.filter(pk=sent.pk).update(status="sent")
    Notification.objects.filter(pk=sending.pk).update(
        status="sending", lease_owner="task", lease_expires_at=T0 + timedelta(minutes=5)
    )

    assert cancel(kind="test.reminder") == 0


@pytest.mark.django_db
def test_a_cancelled_claim_is_never_sent(volunteer):
    row = schedule(kind="test.reminder", recipient=volunteer, due=T0)
    with clock.frozen(T0):
        notifications_sweep(publish=lambda _id: None)  # claimed, message still in the queue

    assert cancel(kind="test.reminder") == 1
    from notifications.services import notification_deliver

    assert notification_deliver(notification_id=row.pk, owner="late-task") == "skipped"
    assert mail.outbox == []


def test_cancel_needs_a_criterion():
    with pytest.raises(ValueError, match="Say what to cancel"):
        cancel()
