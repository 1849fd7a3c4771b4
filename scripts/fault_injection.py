"""`make faults`: the outbox under failure, with real PostgreSQL, Redis, Celery workers and beat.

Scenarios (QUALITY.md 20–22), each on its own set of rows:

  A  Redis is stopped while 100 reminders are created (as 100 requests would), then started again
     (empty, as after a crash): every request succeeds, every reminder is delivered exactly once.
  B  A worker's pool child is SIGKILLed repeatedly while it sends: 0 lost; duplicates only in the
     send→mark window (an email was handed to the mail backend by a process that died before marking
     the row sent), counted and attributed to the killed process.
  C  The worker's main process (with its children) is SIGKILLed mid-send and a new worker started:
     0 lost; duplicates counted as in B.
  D  Two sweepers run at once over 1,000 due rows: every row is claimed exactly once.

Delivery is counted on the real send path: the worker sends through the email transport with a
mailbox backend (one .eml file per message, written by whichever process sent it); the Message-ID names
the row. The script exits non-zero if a row is lost, claimed twice, or delivered twice outside the
send→mark window. Run: `make faults` (about a minute and a half).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(ROOT))

from notifications.backends import MailboxBackend  # noqa: E402 - after the path set-up above

MESSAGE_ID = re.compile(rb"^Message-ID: <notification\.(\d+)@", re.MULTILINE | re.IGNORECASE)


class SlowMailboxBackend(MailboxBackend):
    """The development mailbox with a mail server's latency, and a journal of who sent what.

    Most of the delay comes after the message is written (a server that accepts the message and is
    slow to close the session): that is the send→mark window, in which a crash leaves a sent message
    whose row is not yet marked sent. Kills land in it often, so the run shows duplicates being counted.
    """

    def send_messages(self, email_messages) -> int:
        delay = float(os.environ.get("FAULT_SEND_DELAY", "0.08"))
        time.sleep(delay / 4)
        sent = super().send_messages(email_messages)
        journal = Path(os.environ["FAULT_JOURNAL"])
        with journal.open("a") as handle:
            for message in email_messages:
                match = MESSAGE_ID.search(message.message().as_bytes())
                handle.write(f"{os.getpid()} {match.group(1).decode() if match else '?'}\n")
        time.sleep(delay * 3 / 4)
        return sent


# --- Processes ------------------------------------------------------------------------------------------
@dataclass
class Lab:
    root: Path
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    killed_pids: set[int] = field(default_factory=set)

    @property
    def mail_dir(self) -> Path:
        return self.root / "mail"

    @property
    def journal(self) -> Path:
        return self.root / "journal"

    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = (self.root / f"{name}-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = Path(log.name)  # type: ignore[attr-defined]
        self.processes.append(process)
        return process

    def worker(self, concurrency: int = 2, env: dict[str, str] | None = None) -> subprocess.Popen:
        process = self.spawn(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env,
        )
        wait_until(lambda: b" ready." in process.log_path.read_bytes(), 60, "the worker to start")
        return process

    def beat(self) -> subprocess.Popen:
        return self.spawn(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=WARNING",
                "--schedule",
                str(self.root / f"beat-{len(self.processes)}"),
            ],
        )

    def stop(self, process: subprocess.Popen, *, sig: int = signal.SIGTERM) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.stop(process)


def pool_children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(f"Timed out waiting for {what}.")


# --- Counting ---------------------------------------------------------------------------------------------
def deliveries() -> Counter:
    """Returns how many emails each notification id produced (from the mailbox files)."""
    from django.conf import settings

    counts: Counter = Counter()
    for path in Path(settings.EMAIL_MAILBOX_DIR).glob("*.eml"):
        match = MESSAGE_ID.search(path.read_bytes())
        if match:
            counts[int(match.group(1))] += 1
    return counts


def journal_senders(lab: Lab) -> dict[int, list[int]]:
    senders: dict[int, list[int]] = {}
    if lab.journal.exists():
        for line in lab.journal.read_text().splitlines():
            pid, notification_id = line.split()
            if notification_id != "?":
                senders.setdefault(int(notification_id), []).append(int(pid))
    return senders


@dataclass
class Result:
    scenario: str
    rows: int
    delivered_once: int
    lost: int
    duplicates: int
    duplicates_in_window: int
    double_claims: int | str
    seconds: float
    note: str

    @property
    def ok(self) -> bool:
        claims_ok = self.double_claims in (0, "–")
        return self.lost == 0 and self.duplicates == self.duplicates_in_window and claims_ok


def tally(lab: Lab, ids: list[int], started: float, scenario: str, note: str, double_claims="–") -> Result:
    from notifications.models import Notification

    counts = deliveries()
    senders = journal_senders(lab)
    sent_rows = set(Notification.objects.filter(pk__in=ids, status="sent").values_list("pk", flat=True))
    lost = sum(1 for pk in ids if counts[pk] == 0 or pk not in sent_rows)
    duplicated = [pk for pk in ids if counts[pk] > 1]
    duplicates = sum(counts[pk] - 1 for pk in duplicated)
    # A duplicate is explained by the send→mark window when every copy but the last was sent by a
    # process that was killed afterwards (it handed the message over and died before marking the row).
    in_window = sum(
        counts[pk] - 1 for pk in duplicated if all(pid in lab.killed_pids for pid in senders.get(pk, [])[:-1])
    )
    return Result(
        scenario=scenario,
        rows=len(ids),
        delivered_once=sum(1 for pk in ids if counts[pk] == 1),
        lost=lost,
        duplicates=duplicates,
        duplicates_in_window=in_window,
        double_claims=double_claims,
        seconds=round(time.monotonic() - started, 1),
        note=note,
    )


def wait_all_sent(ids: list[int], timeout: float = 90) -> None:
    from notifications.models import Notification

    wait_until(
        lambda: Notification.objects.filter(pk__in=ids, status="sent").count() == len(ids),
        timeout,
        f"{len(ids)} rows to be sent",
    )


def create_reminders(count: int, *, tag: str, on_each=None) -> tuple[list[int], list[float]]:
    """Creates reminders one transaction each, as requests would; returns their ids and latencies."""
    from django.db import transaction

    from notifications.services import notify

    ids, latencies = [], []
    for n in range(count):
        if on_each:
            on_each(n)
        started = time.monotonic()
        with transaction.atomic():
            row = notify(kind="system.test", email=f"{tag}{n}@example.org", refs={"n": n})
        latencies.append(time.monotonic() - started)
        ids.append(row.pk)
    return ids, latencies


# --- Scenarios --------------------------------------------------------------------------------------------
def scenario_redis_outage(lab: Lab, redis) -> Result:
    from notifications.models import Notification

    started = time.monotonic()
    worker, beat = lab.worker(), lab.beat()

    sent_before: list[int] = []

    def stop_redis_after_30(n: int) -> None:
        time.sleep(0.02)  # requests arrive over a few seconds, not all at once
        if n == 30:
            sent_before.append(Notification.objects.filter(status="sent").count())
            redis.stop()

    ids, latencies = create_reminders(100, tag="a", on_each=stop_redis_after_30)
    time.sleep(3)  # Redis stays away a little longer; the rows must just wait
    waiting = Notification.objects.filter(pk__in=ids).exclude(status="sent").count()
    redis.start()
    wait_all_sent(ids)
    time.sleep(2)  # late duplicates would show now
    lab.stop(beat)
    lab.stop(worker)
    note = (
        f"100/100 requests succeeded (slowest {max(latencies[30:]) * 1000:.0f} ms while Redis was down); "
        f"{sent_before[0]} delivered before the stop, {waiting} waited for Redis and its restart"
    )
    return tally(lab, ids, started, "A  Redis stopped during creation of 100 reminders", note)


def scenario_child_killed(lab: Lab) -> Result:
    started = time.monotonic()
    worker = lab.worker()
    ids, _ = create_reminders(100, tag="b")
    kills = 0
    deadline = time.monotonic() + 20
    while kills < 6 and time.monotonic() < deadline:
        time.sleep(0.35)
        children = pool_children(worker.pid)
        if children:
            victim = children[kills % len(children)]
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
                lab.killed_pids.add(victim)
                kills += 1
    wait_all_sent(ids)
    time.sleep(2)
    lab.stop(worker)
    return tally(lab, ids, started, "B  worker child killed mid-send", f"{kills} pool children SIGKILLed")


def scenario_main_killed(lab: Lab) -> Result:
    from notifications.models import Notification

    started = time.monotonic()
    worker = lab.worker()
    beat = lab.beat()
    ids, _ = create_reminders(100, tag="c")
    wait_until(
        lambda: Notification.objects.filter(pk__in=ids, status="sent").count() >= 25, 30, "sending to start"
    )
    lab.killed_pids.update([worker.pid, *pool_children(worker.pid)])
    lab.stop(worker, sig=signal.SIGKILL)
    at_kill = Notification.objects.filter(pk__in=ids, status="sent").count()
    time.sleep(1)
    replacement = lab.worker()
    wait_all_sent(ids)
    time.sleep(2)
    lab.stop(beat)
    lab.stop(replacement)
    note = f"main + children SIGKILLed after {at_kill} sent; restarted; stale rows reclaimed"
    return tally(lab, ids, started, "C  worker main process killed, restarted", note)


def scenario_two_sweepers(lab: Lab) -> Result:
    from django.conf import settings
    from django.db import transaction

    from notifications.services import notify

    started = time.monotonic()
    settings.NOTIFICATIONS_NUDGE = False  # only the two sweepers below may claim
    with transaction.atomic():
        ids = [notify(kind="system.test", email=f"d{n}@example.org", refs={"n": n}).pk for n in range(1000)]
    # Sending is not what this scenario measures: no mail-server latency, more processes.
    worker = lab.worker(concurrency=4, env={"FAULT_SEND_DELAY": "0"})
    go = time.time() + 2.0
    outputs = [lab.root / f"sweeper-{index}.ids" for index in range(2)]
    sweepers = [
        lab.spawn("sweeper", [sys.executable, __file__, "--sweeper", str(path), "--at", str(go)])
        for path in outputs
    ]
    for sweeper in sweepers:
        sweeper.wait(timeout=120)
    claimed = [[int(line) for line in path.read_text().split()] for path in outputs]
    wait_all_sent(ids)
    time.sleep(1)
    lab.stop(worker)
    counts = Counter(claimed[0] + claimed[1])
    double = sum(1 for pk in ids if counts[pk] > 1) + sum(1 for pk in counts if pk not in set(ids))
    unclaimed = sum(1 for pk in ids if counts[pk] == 0)
    result = tally(
        lab,
        ids,
        started,
        "D  two sweepers in parallel over 1,000 due rows",
        f"claims: {len(claimed[0])} + {len(claimed[1])}; unclaimed {unclaimed}",
        double_claims=double,
    )
    result.lost += unclaimed
    return result


def run_sweeper(output: Path, at: float) -> None:
    """One sweeper process: sweeps in small batches until nothing is due, writing the ids it claimed."""
    import django

    django.setup()
    from notifications.services import notifications_sweep

    time.sleep(max(0.0, at - time.time()))
    empty = 0
    with output.open("w") as handle:
        while empty < 3:
            claimed = notifications_sweep(batch_size=25, max_rows=25)
            handle.write("".join(f"{pk}\n" for pk in claimed))
            empty = 0 if claimed else empty + 1


# --- Main ------------------------------------------------------------------------------------------------
def print_table(results: list[Result]) -> None:
    headers = [
        "scenario",
        "rows",
        "delivered once",
        "lost",
        "duplicates",
        "in send→mark window",
        "double claims",
        "s",
    ]
    rows = [
        [
            r.scenario,
            r.rows,
            r.delivered_once,
            r.lost,
            r.duplicates,
            r.duplicates_in_window,
            r.double_claims,
            r.seconds,
        ]
        for r in results
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join("-" * width for width in widths)
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)))
    print(line)
    for result in results:
        print(f"{result.scenario[:2]} {'OK  ' if result.ok else 'FAIL'} {result.note}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sweeper", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sweeper:
        run_sweeper(args.sweeper, args.at)
        return 0

    from services import Postgres, Redis, find_pg_bin

    pg_bin = find_pg_bin()
    redis_bin = shutil.which("redis-server")
    if not pg_bin or not redis_bin:
        print("The fault-injection run needs PostgreSQL binaries and redis-server.", file=sys.stderr)
        return 3
    postgres, redis = Postgres(pg_bin), Redis(redis_bin)
    root = Path(tempfile.mkdtemp(prefix="ehrenamt-faults-", dir="/tmp"))
    started = time.monotonic()
    postgres.start()
    redis.start()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SCRIPTS), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_READ_DOT_ENV": "false",
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "fault-injection-only-not-a-secret-0123456789"
        ),
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": postgres.url,
        "REDIS_URL": redis.url,
        "CACHE_URL": f"rediscache://127.0.0.1:{redis.port}/1",
        "CELERY_BROKER_URL": f"{redis.url}/2",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "VAR_DIR": str(root),
        "EMAIL_BACKEND": "fault_injection.SlowMailboxBackend",
        "FAULT_JOURNAL": str(root / "journal"),
        "LOG_LEVEL": "INFO",
        # Short timeouts so that recovery happens within the run; their order is as in production:
        # task time limit < lease < visibility timeout, and the claim timeout covers a lost message.
        "NOTIFICATIONS_SWEEP_SECONDS": "1",
        "CELERY_TASK_TIME_LIMIT": "6",
        "NOTIFICATIONS_LEASE_SECONDS": "8",
        "NOTIFICATIONS_CLAIM_TIMEOUT": "8",
        "CELERY_VISIBILITY_TIMEOUT": "30",
    }
    os.environ.update(env)
    lab = Lab(root=root, env=env)
    results: list[Result] = []
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(
            f"PostgreSQL :{postgres.port}, Redis :{redis.port}, ready in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        for scenario in (
            lambda: scenario_redis_outage(lab, redis),
            lambda: scenario_child_killed(lab),
            lambda: scenario_main_killed(lab),
            lambda: scenario_two_sweepers(lab),
        ):
            results.append(scenario())
            print(f"  done: {results[-1].scenario} ({results[-1].seconds} s)", flush=True)
    finally:
        lab.stop_all()
        redis.stop()
        postgres.stop()
    print_table(results)
    print(f"Total {time.monotonic() - started:.0f} s.")
    failed = [result for result in results if not result.ok]
    if failed or len(results) < 4:
        print("FAULT INJECTION FAILED: rows lost, claimed twice, or duplicated outside the send→mark window.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
