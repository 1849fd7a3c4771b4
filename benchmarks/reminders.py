"""Benchmark: the reminder sweep grows with the number of due rows, not with all rows (QUALITY.md 36).

In one run on one throwaway PostgreSQL server, the sweep claims 1,000 due rows from an outbox of 10,000
rows and then, after 990,000 more rows are added, from an outbox of 1,000,000 rows (history: sent and
cancelled rows, plus later reminders). Each size is timed several times (the 1,000 rows are put back to
pending between runs); the medians must be within 1.5× of each other, or the script exits non-zero.

The sweep is `notifications.services.notifications_sweep` itself (stale-row reclaim + batched claims
with SELECT … FOR UPDATE SKIP LOCKED); only publishing is replaced by an in-memory list, because the
broker's cost per message is the same for both sizes and is not what is measured here.

Run: `.venv/bin/python benchmarks/reminders.py [--repeat 9]` (about half a minute).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

DUE = 1_000
SMALL = 10_000
LARGE = 1_000_000
MAX_RATIO = 1.5

# One INSERT … SELECT over generate_series per batch: the history is spread over a year (sent, some
# cancelled), and every twentieth row is a reminder still waiting for a later day.
INSERT_BACKGROUND = """
INSERT INTO notifications_notification
    (recipient_id, email, language, kind, category, refs, channel, key, due_at, status, attempts,
     last_error, claimed_at, lease_owner, lease_expires_at, digest_id, created_at, sent_at, read_at)
SELECT NULL, 'person' || g || '@example.org', 'de', 'system.test', 'essential',
       jsonb_build_object('n', g), 'email', 'bench:background:' || g,
       CASE WHEN g %% 20 = 0 THEN now() + (1 + g %% 90) * interval '1 day'
            ELSE now() - (1 + g %% 365) * interval '1 day' END,
       CASE WHEN g %% 20 = 0 THEN 'pending' WHEN g %% 20 = 1 THEN 'cancelled' ELSE 'sent' END,
       CASE WHEN g %% 20 IN (0, 1) THEN 0 ELSE 1 END,
       '', NULL, '', NULL, NULL, now() - (1 + g %% 365) * interval '1 day',
       CASE WHEN g %% 20 IN (0, 1) THEN NULL ELSE now() - (g %% 365) * interval '1 day' END, NULL
FROM generate_series(%s, %s) AS g
"""

INSERT_DUE = """
INSERT INTO notifications_notification
    (recipient_id, email, language, kind, category, refs, channel, key, due_at, status, attempts,
     last_error, claimed_at, lease_owner, lease_expires_at, digest_id, created_at, sent_at, read_at)
SELECT NULL, 'due' || g || '@example.org', 'de', 'system.test', 'essential', jsonb_build_object('n', g),
       'email', 'bench:due:' || g, now() - (g %% 60) * interval '1 minute', 'pending', 0, '', NULL, '',
       NULL, NULL, now(), NULL, NULL
FROM generate_series(1, %s) AS g
"""


def insert_background(cursor, first: int, last: int) -> None:
    step = 250_000
    for start in range(first, last + 1, step):
        cursor.execute(INSERT_BACKGROUND, [start, min(start + step - 1, last)])


def reset_due(cursor) -> None:
    cursor.execute(
        "UPDATE notifications_notification SET status = 'pending', claimed_at = NULL "
        "WHERE key LIKE 'bench:due:%%' AND status <> 'pending'"
    )


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE notifications_notification")


def time_sweeps(repeat: int) -> tuple[list[float], int]:
    """Returns the sweep's wall times in ms and the number of rows the last sweep claimed."""
    from django.db import connection

    from notifications.services import notifications_sweep

    timings, claimed = [], 0
    for run in range(repeat + 1):
        with connection.cursor() as cursor:
            reset_due(cursor)
        vacuum()  # every run starts from the same physical state
        published: list[int] = []
        started = time.perf_counter()
        claimed = len(notifications_sweep(publish=published.append))
        if run:  # the first sweep only warms caches and connections
            timings.append((time.perf_counter() - started) * 1000)
        assert claimed == len(published) == DUE, f"the sweep claimed {claimed} rows, expected {DUE}"
    return timings, claimed


def time_idle_sweeps(repeat: int) -> list[float]:
    from notifications.services import notifications_sweep

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        assert notifications_sweep(publish=lambda _id: None) == []
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def claim_plan() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM notifications_notification WHERE status = 'pending' AND due_at <= now() "
            "ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED"
        )
        return "\n".join(f"    {row[0]}" for row in cursor.fetchall())


def count_rows() -> int:
    from notifications.models import Notification

    return Notification.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=9, help="timed sweeps per size (default 9)")
    args = parser.parse_args()

    from services import Postgres, find_pg_bin

    pg_bin = find_pg_bin()
    if pg_bin is None:
        print("The benchmark needs the PostgreSQL binaries (initdb, pg_ctl).", file=sys.stderr)
        return 3
    postgres = Postgres(pg_bin)
    postgres.start()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_READ_DOT_ENV="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret-0123456789"),
        DATABASE_URL=postgres.url,
        CACHE_URL="locmemcache://",
        LOG_LEVEL="WARNING",
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        results = {}
        with connection.cursor() as cursor:
            cursor.execute(INSERT_DUE, [DUE])
            insert_background(cursor, 1, SMALL - DUE)
        vacuum()
        results[SMALL] = (count_rows(), *time_sweeps(args.repeat), time_idle_sweeps(args.repeat))

        started = time.perf_counter()
        with connection.cursor() as cursor:
            insert_background(cursor, SMALL - DUE + 1, LARGE - DUE)
        fill_seconds = time.perf_counter() - started
        vacuum()
        results[LARGE] = (count_rows(), *time_sweeps(args.repeat), time_idle_sweeps(args.repeat))
        plan = claim_plan()
    finally:
        postgres.stop()

    medians = {size: statistics.median(timings) for size, (_, timings, _, _) in results.items()}
    ratio = medians[LARGE] / medians[SMALL]
    machine = f"{platform.node()}, {os.cpu_count()} CPUs, PostgreSQL {pg_bin.parent.name}"
    print(f"Reminder sweep benchmark – {machine}")
    print(
        f"{args.repeat} timed sweeps per size after one warm-up; {DUE:,} due rows each; publishing in memory."
    )
    print(f"(added {LARGE - SMALL:,} rows in {fill_seconds:.1f} s)")
    print()
    header = ("rows in outbox", "due", "median ms", "min ms", "max ms", "idle sweep ms")
    print("  ".join(f"{title:>{width}}" for title, width in zip(header, (15, 6, 10, 8, 8, 14), strict=True)))
    for rows, timings, _claimed, idle in results.values():
        print(
            f"{rows:>15,}  {DUE:>6,}  {statistics.median(timings):>10.1f}  {min(timings):>8.1f}  "
            f"{max(timings):>8.1f}  {statistics.median(idle):>14.2f}"
        )
    print()
    print(f"ratio 1,000,000 / 10,000 rows: {ratio:.2f} (limit {MAX_RATIO})")
    print("claim query plan at 1,000,000 rows:")
    print(plan)
    if ratio > MAX_RATIO:
        print("FAIL: the sweep time grows with the size of the outbox.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
