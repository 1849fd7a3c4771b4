"""The engine's clock, and local wall-clock times in the platform's time zone (Europe/Berlin) across DST.

Everything in `notifications` asks `now()` instead of `timezone.now()`, so that tests can stand the clock
still (`frozen(...)`) and walk it across a DST change without a third-party library.

DST rules for "local time X on day D" (`local_datetime`):
- X does not exist (spring forward: 02:30 on 2026-03-29 in Berlin): the instant is shifted forward by the
  length of the gap, so 02:30 becomes 03:30 CEST (01:30 UTC). A reminder is late rather than lost.
- X exists twice (fall back: 02:30 on 2026-10-25 in Berlin): the first occurrence (CEST, 00:30 UTC) is
  used. The result is one instant, so a reminder stored for it fires once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("notifications_frozen_clock", default=None)


def now() -> datetime:
    """Returns the current instant (aware, UTC), or the frozen one inside `frozen()`."""
    return _frozen.get() or timezone.now()


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Stands the engine's clock still at `at` (an aware datetime) for the duration of the block."""
    if timezone.is_naive(at):
        raise ValueError("The frozen time must be timezone-aware.")
    token = _frozen.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _frozen.reset(token)


def zone() -> ZoneInfo:
    """Returns the time zone all scheduling happens in (settings.TIME_ZONE, Europe/Berlin)."""
    return ZoneInfo(settings.TIME_ZONE)


def local_datetime(day: date, at: time, *, tz: ZoneInfo | None = None) -> datetime:
    """Returns the UTC instant of local wall-clock time `at` on `day` (rules: see the module docstring)."""
    tz = tz or zone()
    # fold=0 means "the offset in force before the transition": for a time in the gap that is the
    # winter offset, which lands one gap-length later on the clock; for a repeated time it is the first
    # occurrence. Both are exactly the rules above, so no special-casing is needed; the round trip
    # below only documents (and tests) which case applied.
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=tz).astimezone(UTC)


def is_nonexistent(day: date, at: time, *, tz: ZoneInfo | None = None) -> bool:
    """Returns True if local time `at` on `day` falls into a spring-forward gap."""
    tz = tz or zone()
    instant = local_datetime(day, at, tz=tz)
    return instant.astimezone(tz).replace(tzinfo=None) != datetime.combine(day, at.replace(tzinfo=None))


def is_ambiguous(day: date, at: time, *, tz: ZoneInfo | None = None) -> bool:
    """Returns True if local time `at` on `day` occurs twice (a fall-back repeat)."""
    tz = tz or zone()
    naive = datetime.combine(day, at.replace(tzinfo=None))
    return naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()


def next_local_time(after: datetime, at: time, *, weekday: int | None = None) -> datetime:
    """Returns the first instant strictly after `after` whose local time is `at` (on `weekday`, 0=Monday)."""
    tz = zone()
    day = after.astimezone(tz).date()
    for offset in range(15):
        candidate_day = day + timedelta(days=offset)
        if weekday is not None and candidate_day.weekday() != weekday:
            continue
        candidate = local_datetime(candidate_day, at, tz=tz)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a matching day exists within two weeks")


def local_midnight(instant: datetime) -> datetime:
    """Returns the UTC instant at which the local day containing `instant` began."""
    return local_datetime(instant.astimezone(zone()).date(), time(0, 0))
