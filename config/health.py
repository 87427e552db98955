"""``/healthz``: is this app server able to serve? For the load balancer and monitoring.

200 with ``{"status": "ok", "database": "ok", "cache": "ok"}`` when the
database answers a query and the cache stores and returns a value; 503 with
the failing part marked ``"error"`` otherwise (pages still render without
the cache, but every one of them then costs a full render: the operator
must know). Never cached, no session, no database write.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_ok(alias="default"):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        logger.warning("health: database %s unavailable", alias, exc_info=True)
        return False


def cache_ok():
    key, value = "healthz:probe", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        return cache.get(key) == value
    except Exception:
        logger.warning("health: cache unavailable", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request):
    started = time.perf_counter()
    checks = {"database": database_ok(), "cache": cache_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **{name: "ok" if ok else "error" for name, ok in checks.items()},
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)
