"""Writing notifications: `notify`, `schedule` and `cancel` – the one API the rest of the platform uses.

Each call writes rows in the caller's transaction and talks to no broker: if the transaction rolls back,
nothing was ever queued; if Redis is down, the rows wait for the sweeper. After a commit, a harmless
nudge asks a worker to sweep at once instead of at the next beat.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from notifications import clock, registry
from notifications.models import Notification

logger = logging.getLogger("notifications")

MAX_KEY_LENGTH = 200

# Rows a later action may still stop: waiting, bundled into a digest, or claimed by a sweeper but not
# yet picked up by a worker (no lease). A row a worker is sending cannot be called back.
CANCELLABLE = Q(status__in=[Notification.Status.PENDING, Notification.Status.BUNDLED]) | Q(
    status=Notification.Status.SENDING, lease_expires_at__isnull=True
)


def notify(
    *,
    kind: str,
    recipient: AbstractBaseUser | None = None,
    email: str | None = None,
    language: str | None = None,
    refs: Mapping[str, int] | None = None,
    key: str | None = None,
) -> Notification:
    """Returns the outbox row for a message due now (one row per channel of the kind; this is the first).

    The same event never creates two rows: without `key`, the event is identified by kind, recipient and
    refs, so an event that can legitimately happen twice must pass a `key` (or a distinguishing ref).
    """
    return _write(
        kind=kind, recipient=recipient, email=email, language=language, refs=refs, key=key, due=None
    )


def schedule(
    *,
    kind: str,
    due: datetime,
    recipient: AbstractBaseUser | None = None,
    email: str | None = None,
    language: str | None = None,
    refs: Mapping[str, int] | None = None,
    key: str | None = None,
) -> Notification:
    """Returns the outbox row for a message due at `due` (aware; see `clock.local_datetime` for local times).

    Without `key`, the event is identified by kind, recipient, refs and due time.
    """
    if timezone.is_naive(due):
        raise ValueError("The due time must be timezone-aware (use notifications.clock.local_datetime).")
    return _write(kind=kind, recipient=recipient, email=email, language=language, refs=refs, key=key, due=due)


def cancel(
    *,
    key: str | None = None,
    kind: str | None = None,
    refs: Mapping[str, int] | None = None,
    recipient: AbstractBaseUser | None = None,
) -> int:
    """Cancels the matching rows that have not been sent yet; returns how many.

    `refs` matches rows whose refs contain these names with these ids (others may hold more), so
    `cancel(kind="application.escalation", refs={"application": 5})` stops that application's escalation.
    """
    cleaned = registry.validate_refs(refs or {})
    if not key and not kind and not cleaned:
        raise ValueError("Say what to cancel: a key, a kind or references.")
    rows = Notification.objects.filter(CANCELLABLE)
    if key:
        rows = rows.filter(key=key)
    if kind:
        rows = rows.filter(kind=kind)
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    for index, (name, value) in enumerate(sorted(cleaned.items())):
        # An explicit key transform, so that a ref called e.g. "contains" is never read as a lookup.
        alias = f"_ref_{index}"
        rows = rows.alias(**{alias: KeyTransform(name, "refs")}).filter(**{alias: value})
    return rows.update(status=Notification.Status.CANCELLED, last_error="cancelled", claimed_at=None)


def derive_key(
    *,
    kind: str,
    recipient_id: int | None,
    email: str,
    refs: Mapping[str, int],
    due: datetime | None,
) -> str:
    """Returns the default idempotency key: a hash of what identifies the event (no readable address)."""
    identity = [
        kind,
        recipient_id,
        email.lower(),
        sorted(refs.items()),
        due.astimezone(clock.zone()).isoformat() if due else None,
    ]
    digest = hashlib.sha256(json.dumps(identity, default=str).encode()).hexdigest()
    return f"{kind}:{digest[:40]}"


def _write(
    *,
    kind: str,
    recipient: AbstractBaseUser | None,
    email: str | None,
    language: str | None,
    refs: Mapping[str, int] | None,
    key: str | None,
    due: datetime | None,
) -> Notification:
    definition = registry.get(kind)
    cleaned_refs = registry.validate_refs(refs or {})
    email = (email or "").strip()
    if (recipient is None) == (not email):
        raise ValueError("A notification goes either to an account (recipient) or to a bare email address.")
    if email and not definition.is_essential:
        # Optional categories can be switched off, which needs an account to remember the choice.
        raise ValueError(f"{kind} is optional ({definition.category}) and can only go to an account.")
    if language and language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of the platform's languages.")
    channels = [c for c in definition.channels if recipient is not None or c == registry.EMAIL]
    if not channels:
        raise ValueError(f"{kind} has no channel that reaches a person without an account.")
    if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
        raise ValueError(f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters.")

    now = clock.now()
    key = key or derive_key(
        kind=kind, recipient_id=recipient.pk if recipient else None, email=email, refs=cleaned_refs, due=due
    )
    rows = []
    for channel in channels:
        row = Notification(
            recipient=recipient,
            email=email,
            # Account holders get their preferred language at send time unless the caller insists.
            language=language or ("" if recipient is not None else settings.LANGUAGE_CODE),
            kind=kind,
            category=definition.category,
            refs=cleaned_refs,
            channel=channel,
            key=key,
            due_at=due or now,
        )
        row.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # The event was recorded before (or concurrently, and that transaction won): keep that row.
            row = Notification.objects.get(key=key, channel=channel)
        rows.append(row)
    if rows[0].due_at <= now + timedelta(seconds=1):
        nudge_after_commit()
    return rows[0]


def nudge_after_commit() -> None:
    """Asks for a sweep once the current transaction commits (once per transaction, never on rollback)."""
    if not settings.NOTIFICATIONS_NUDGE:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _nudge for entry in connection.run_on_commit):
        return
    transaction.on_commit(_nudge)


def _nudge() -> None:
    from config.celery import app

    if app.conf.task_always_eager:
        _send_nudge()  # eager (tests): the sweep runs here and now
        return
    # Publishing is handed to a background thread: when Redis is down, redis-py retries the connection
    # for seconds, and a request must not wait for that. Nudges that arrive meanwhile are coalesced.
    global _nudger
    with _nudger_lock:
        if _nudger is None or not _nudger.is_alive():  # first use, or a forked child (gunicorn)
            _nudger = threading.Thread(target=_nudge_loop, name="outbox-nudger", daemon=True)
            _nudger.start()
    _nudge_wanted.set()


_nudge_wanted = threading.Event()
_nudger_lock = threading.Lock()
_nudger: threading.Thread | None = None


def _nudge_loop() -> None:
    while True:
        _nudge_wanted.wait()
        _nudge_wanted.clear()
        _send_nudge()


def _send_nudge() -> None:
    from notifications.tasks import sweep_notifications

    try:
        # No retries: if the broker is away the beat sweep sends the rows later.
        sweep_notifications.apply_async(retry=False)
    except Exception as exc:
        logger.info("Outbox nudge skipped (%s); the next sweep sends the rows.", exc.__class__.__name__)
