"""/healthz: 200 when the database and the cache answer, 503 when either does not."""

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
    with mock.patch("config.health.connections") as connections:
        connections.__getitem__.return_value.cursor.side_effect = Exception("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {**response.json(), "status": "error", "database": "error", "cache": "ok"}


def test_cache_down_is_503(client):
    with mock.patch("config.health.cache") as cache:
        cache.get.return_value = None  # the resilient Redis client answers "not found" when down
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"
    assert response.json()["database"] == "ok"


def test_cache_raising_is_503(client):
    with mock.patch("config.health.cache") as cache:
        cache.set.side_effect = ConnectionError("down")
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
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
