"""`/healthz`: the state of the services the site depends on, as JSON, for compose and monitoring."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEARTBEAT_KEY = "worker:heartbeat"


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _check_cache() -> dict:
    cache.set("healthz:probe", "1", 10)
    return {"ok": cache.get("healthz:probe") == "1"}


def _check_broker() -> dict:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        return {"ok": True, "transport": "filesystem"}
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        return {"ok": bool(client.ping()), "transport": "redis"}
    return {"ok": True, "transport": url.split(":", 1)[0]}


def _worker() -> dict:
    last = cache.get(HEARTBEAT_KEY)
    if last is None:
        return {"seen": False}
    return {"seen": True, "seconds_ago": round(time.time() - float(last))}


@never_cache
@require_GET
def healthz(request):
    """Returns 200 when the database, cache and broker answer, 503 otherwise; never any personal data."""
    checks = {}
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = {"ok": False, "error": exc.__class__.__name__}
    healthy = all(check["ok"] for check in checks.values())
    checks["worker"] = _worker()
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
