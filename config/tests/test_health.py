"""/healthz (status for monitoring), /healthz/ready (the load balancer) and
/healthz/live (the process answers): config/health.py."""

from contextlib import contextmanager
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert "no-cache" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_database_down_is_503(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {**response.json(), "status": "error", "database": "error", "cache": "ok"}
    assert response.json()["tasks"] == "error"  # the queue is in the database


def test_cache_down_is_503(client):
    with mock.patch("config.health.cache") as cache:
        cache.ping.return_value = False  # the resilient Redis client's ping never raises
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"
    assert response.json()["database"] == "ok"


def test_cache_raising_is_503(client):
    with mock.patch("config.health.cache") as cache:
        cache.ping.side_effect = ConnectionError("down")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_a_real_redis_that_is_down_is_503(client, settings):
    from config.cache import caches_from

    settings.CACHES = caches_from("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/live").status_code == 200
    assert client.get("/healthz/ready").status_code == 200
    assert client.get("/").status_code == 301


@contextmanager
def database_down():
    with mock.patch("config.health.connections") as connections:
        connections.__getitem__.return_value.cursor.side_effect = Exception("connection refused")
        yield


def test_live_answers_without_touching_database_or_cache(client, django_assert_num_queries):
    with mock.patch("config.health.cache") as cache, django_assert_num_queries(0):
        cache.get.side_effect = AssertionError("no cache call")
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_with_the_cache_down_is_200_pages_render_from_the_database(client):
    with mock.patch("config.health.cache") as cache:
        cache.ping.return_value = False
        response = client.get("/healthz/ready")
        assert client.get("/").status_code == 200
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_ready_with_the_database_down_and_a_warm_cache_is_200_degraded(client):
    assert client.get("/").status_code == 200  # a page rendered: the generation is in the cache
    with database_down():
        response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {**response.json(), "status": "degraded", "database": "error", "cache": "warm"}


def test_ready_with_the_database_down_and_a_cold_cache_is_503(client):
    from django.core.cache import cache

    cache.clear()
    with database_down():
        response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {**response.json(), "status": "error", "database": "error", "cache": "error"}


def test_a_waiting_task_older_than_the_limit_is_a_backlog(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from config.health import TASK_BACKLOG_MINUTES

    settings.TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
    assert client.get("/healthz").json()["tasks"] == "ok"
    long_ago = timezone.now() - timedelta(minutes=TASK_BACKLOG_MINUTES + 1)
    task = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="articles.events.deliver_changes",
        queue_name="default",
        backend_name="default",
        run_after=long_ago,
    )
    assert client.get("/healthz").json()["tasks"] == "ok"  # enqueued just now: not late yet
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=long_ago)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["tasks"] == "backlog"


def test_low_disk_space_for_uploads_is_reported(client):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    with mock.patch("config.health.shutil.disk_usage", return_value=usage(10**9, 10**9 - 10**6, 10**6)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"] == "low"
    assert response.json()["disk_free_mb"] == 0
    assert client.get("/healthz/ready").status_code == 200  # pages are still served


def test_a_local_memory_cache_is_checked_by_storing_a_value(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert client.get("/healthz").json()["cache"] == "ok"
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.get", return_value=None):
        assert client.get("/healthz").json()["cache"] == "error"
