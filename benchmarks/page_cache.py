"""Benchmark: anonymous page views served from the page cache vs. rendered (cms/cache.py).

In one run on one throwaway PostgreSQL server with the demo content (`seed_demo`), every cms page type is
requested anonymously through Django's request handler in-process (test client, full middleware stack),
alternately from a warm page cache and from an empty one (cleared before each request, outside the timing:
every fragment and the frame's language links are computed and stored). Reported: median and p95 latency
per page and mode, and the ratio uncached / cached. The cache is Django's local-memory cache here; Redis
adds a network round trip per fragment in production.
Not a gunicorn throughput figure (QUALITY.md 33 measures that): this isolates what the cache saves.

Run: `.venv/bin/python benchmarks/page_cache.py [--repeat 200]` (about a minute).
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

PAGES = {
    "home": "/de/",
    "taster index": "/de/schnuppern/",
    "taster offer": "/de/schnuppern/hausaufgaben-harsewinkel/",
    "campaign": "/de/patenschaften/",
    "story index": "/de/geschichten/",
    "story": "/de/geschichten/olena-liest-vor/",
    "standard": "/de/impressum/",
}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure(repeat: int) -> dict[str, dict[str, list[float]]]:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    results: dict[str, dict[str, list[float]]] = {name: {"cached": [], "uncached": []} for name in PAGES}
    for path in PAGES.values():
        assert client.get(path).status_code == 200, path  # warm-up (and the cache entry)
    for _round in range(repeat):
        for mode in ("uncached", "cached"):
            for name, path in PAGES.items():
                if mode == "uncached":
                    cache.clear()  # outside the timing: every fragment is rendered (and stored) again
                else:
                    client.get(path)  # make sure this page's entries exist (the other mode cleared them)
                started = time.perf_counter()
                response = client.get(path)
                results[name][mode].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, path
    cache.clear()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=200)
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
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        STATIC_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        DATABASE_URL=postgres.url,
        CACHE_URL="locmemcache://",
        CELERY_TASK_ALWAYS_EAGER="true",
        NOTIFICATIONS_NUDGE="false",
        LOG_LEVEL="ERROR",
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("seed_demo", "--quiet-logins", verbosity=0)
        results = measure(args.repeat)
    finally:
        postgres.stop()

    print(f"Page cache benchmark – {platform.node()}, {os.cpu_count()} CPUs, PostgreSQL {pg_bin.parent.name}")
    print(f"{args.repeat} anonymous requests per page and mode, alternating, in-process (full middleware)")
    print()
    print(f"{'page':<16}{'uncached ms':>13}{'p95':>8}{'cached ms':>11}{'p95':>8}{'ratio':>8}")
    ratios = []
    for name, modes in results.items():
        uncached, cached = statistics.median(modes["uncached"]), statistics.median(modes["cached"])
        ratios.append(uncached / cached)
        print(
            f"{name:<16}{uncached:>13.2f}{p95(modes['uncached']):>8.2f}"
            f"{cached:>11.2f}{p95(modes['cached']):>8.2f}{uncached / cached:>7.1f}×"
        )
    total_uncached = sum(statistics.median(m["uncached"]) for m in results.values())
    total_cached = sum(statistics.median(m["cached"]) for m in results.values())
    print()
    print(f"all pages: {total_uncached / total_cached:.1f}× faster from the cache (sum of medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
