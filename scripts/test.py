"""`make test`: the whole suite, on real PostgreSQL and Redis whenever this machine can start them.

With REQUIRE_SERVICES=1 (CI), a service that cannot be started, or a test skipped for a missing
service, is a failure. Without it, the suite falls back to SQLite and says loudly what it skipped.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from services import Postgres, Redis, find_pg_bin

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def banner(lines: list[str]) -> None:
    width = max(len(line) for line in lines) + 4
    print("!" * width)
    for line in lines:
        print(f"! {line.ljust(width - 4)} !")
    print("!" * width, flush=True)


def main() -> int:
    require = os.environ.get("REQUIRE_SERVICES") == "1"
    env = dict(os.environ)
    started, missing = [], []

    pg_bin = find_pg_bin()
    redis_bin = shutil.which("redis-server")
    postgres = Postgres(pg_bin) if pg_bin else None
    redis = Redis(redis_bin) if redis_bin else None
    try:
        if postgres:
            postgres.start()
            started.append(postgres)
            env["DATABASE_URL"] = postgres.url
            print(f"PostgreSQL started on port {postgres.port} ({pg_bin})", flush=True)
        else:
            missing.append(
                "PostgreSQL (no initdb/pg_ctl found): tests marked 'postgres' are skipped; "
                "the suite runs on SQLite"
            )
        if redis:
            redis.start()
            started.append(redis)
            env["REDIS_URL"] = redis.url
            env["CACHE_URL"] = f"rediscache://127.0.0.1:{redis.port}/1"
            env["CELERY_BROKER_URL"] = f"{redis.url}/2"
            print(f"Redis started on port {redis.port}", flush=True)
        else:
            missing.append(
                "Redis (no redis-server; apt-get install redis-server): "
                "tests marked 'redis' and 'worker' are skipped"
            )
        if not Path(CHROMIUM).exists():
            missing.append(
                f"Chromium ({CHROMIUM} missing; apt-get install chromium): tests marked 'browser' are skipped"
            )

        if missing:
            banner(["SERVICES MISSING – THIS RUN IS INCOMPLETE:", *missing])
            if require:
                print("REQUIRE_SERVICES=1: refusing to run without them.", file=sys.stderr)
                return 3
        command = [sys.executable, "-m", "pytest", *sys.argv[1:]]
        result = subprocess.run(command, cwd=ROOT, env=env, check=False)
        if missing:
            banner(["Reminder: this run skipped service tests:", *missing])
        return result.returncode
    finally:
        for service in reversed(started):
            service.stop()


if __name__ == "__main__":
    sys.exit(main())
