"""`make run`: the web server and a Celery worker with its beat, in the foreground, stopped together.

The embedded default needs no Redis: Celery uses the filesystem transport under var/broker/.
"""

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    port = args.port
    while not port_is_free(port):
        port += 1

    for folder in ("broker/queue", "broker/processed", "mail", "cache", "media"):
        (ROOT / "var" / folder).mkdir(parents=True, exist_ok=True)

    python = sys.executable
    # NUMPY_MADVISE_HUGEPAGE as in the Dockerfile (no transparent huge pages for NumPy's arrays).
    env = dict(os.environ, PYTHONUNBUFFERED="1", SITE_URL=f"http://localhost:{port}")
    env.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    processes = [
        subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}"], cwd=ROOT, env=env, start_new_session=True
        ),
        subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--loglevel=INFO",
                "--concurrency=1",
                "--schedule",
                str(ROOT / "var" / "celerybeat-schedule"),
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        ),
    ]

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from volunteering.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
    from volunteering.demo_organisations import ORGANISATION_MEMBER

    accounts = [(account.role, account.email) for account in DEMO_ACCOUNTS]
    accounts.insert(2, ("Organisation (Mitglied)", ORGANISATION_MEMBER[0]))

    time.sleep(2)
    lines = [
        "",
        f"  Die Plattform läuft: http://localhost:{port}/de/",
        f"  Verwaltung (Wagtail): http://localhost:{port}/admin/",
        f"  Postfach (Entwicklung): http://localhost:{port}/de/dev/postfach/",
        "",
        f"  Demo-Zugänge, Passwort für alle: {DEMO_PASSWORD}",
        *[f"    {role:<30} {email}" for role, email in accounts],
        "",
        "  Beenden mit Strg+C.",
        "",
    ]
    print("\n".join(lines), flush=True)

    def stop(*_):
        # Each child runs in its own process group (runserver's reloader and Celery's pool have children
        # of their own); signal whole groups so that nothing is left behind.
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
        deadline = time.monotonic() + 10
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
