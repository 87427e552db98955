"""Health checks for the load balancer, the process supervisor and monitoring.

Three questions, three addresses (docs/deploy.md, 故障与恢复):

``/healthz/live``  -- liveness: does this process answer? No I/O at all, so a
    database or Redis outage never makes a supervisor restart a healthy
    process. 200 while the process serves requests.
``/healthz/ready`` -- readiness, what the load balancer asks: can this host
    serve pages? Yes when the database answers; also when it does not but the
    page cache answers and holds the current generation (readers then get
    cached pages, as they do while PostgreSQL restarts). A Redis outage alone
    leaves the host ready: pages are rendered from the database, slower but
    correct. 503 only when neither can serve, so one failing shared part
    never takes every host out of service at once.
``/healthz``       -- status for monitoring: each part (database, cache,
    background tasks, disk) with ``ok`` or what is wrong; 503 when any part is
    not ok, so an alerting check fires. Not for the load balancer.

Never cached, no session, no database write; each check has a short timeout
(the cache's circuit breaker answers at once while Redis is away).
"""

import logging
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import pagecache

logger = logging.getLogger(__name__)

# A task waiting longer than this means no worker takes tasks (or too few).
TASK_BACKLOG_MINUTES = 10


def database_ok(alias="default"):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        logger.warning("health: database %s unavailable", alias, exc_info=True)
        # A broken connection must not be reused by the next check of this thread.
        connections[alias].close_if_unusable_or_obsolete()
        return False


def cache_ok():
    """Whether the cache answers now. Redis is asked directly, whatever the circuit breaker says
    (config.cache): a prompt answer closes the breaker, so the cache is used again as soon as a
    health check sees Redis back."""
    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            return bool(ping())
        key, value = "healthz:probe", uuid.uuid4().hex
        cache.set(key, value, 10)
        return cache.get(key) == value
    except Exception:
        logger.warning("health: cache unavailable", exc_info=True)
        return False


def cache_warm():
    """Whether the page cache answers and holds a generation (cached pages can be served)."""
    try:
        return pagecache.generation_cached()
    except Exception:  # noqa: BLE001 - a cache that cannot say is not warm
        return False


def tasks_status():
    """``ok``, ``backlog`` (the oldest waiting task is older than TASK_BACKLOG_MINUTES) or ``error``."""
    if not settings.TASKS_BACKEND.startswith("django_tasks_db."):
        return "ok"  # tasks run at once or elsewhere: nothing to watch here
    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        waiting_since = timezone.now() - timedelta(minutes=TASK_BACKLOG_MINUTES)
        late = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, run_after__lte=waiting_since, enqueued_at__lte=waiting_since
        ).exists()
    except Exception:
        logger.warning("health: task queue unreadable", exc_info=True)
        return "error"
    return "backlog" if late else "ok"


def disk_status():
    """``ok`` or ``low`` (below HEALTH_DISK_MIN_FREE_MB) for the filesystem that holds MEDIA_ROOT,
    where uploads are written, with its free bytes."""
    path = Path(settings.MEDIA_ROOT).resolve()
    while not path.exists() and path != path.parent:  # not created yet: the disk it will be on
        path = path.parent
    try:
        free = shutil.disk_usage(path).free
    except OSError:
        return "error", None
    return ("ok" if free >= settings.HEALTH_DISK_MIN_FREE_MB * 1024 * 1024 else "low"), free


def _answer(body, ok, started):
    body["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    started = time.perf_counter()
    if database_ok():
        return _answer({"status": "ok", "database": "ok"}, True, started)
    warm = cache_warm()
    body = {"status": "degraded" if warm else "error", "database": "error", "cache": "warm" if warm else "error"}
    return _answer(body, warm, started)


@never_cache
@require_GET
def healthz(request):
    started = time.perf_counter()
    database = database_ok()
    disk, free = disk_status()
    body = {
        "database": "ok" if database else "error",
        "cache": "ok" if cache_ok() else "error",
        "tasks": tasks_status() if database else "error",
        "disk": disk,
        "disk_free_mb": None if free is None else free // (1024 * 1024),
    }
    healthy = all(body[part] == "ok" for part in ("database", "cache", "tasks", "disk"))
    body = {"status": "ok" if healthy else "error", **body}
    return _answer(body, healthy, started)
