"""The Redis cache's circuit breaker (config/cache.py): a hung or refusing Redis
costs one timeout, not one per cache call, and is used again once it answers."""

import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from django.test import override_settings

from articles.tests.factories import make_article
from config import cache as resilient
from config.cache import caches_from

pytestmark = pytest.mark.django_db

URL = "redis://127.0.0.1:6399/0"  # never contacted: every call below is intercepted


class FakeRedis:
    """Stands in for the network: counts the calls that reach "Redis" and fails them while down."""

    def __init__(self):
        self.calls = 0
        self.down = True
        self.store = {}

    def get(self, client, key, default):
        self.calls += 1
        if self.down:
            import redis

            raise redis.exceptions.TimeoutError("Timeout reading from socket")
        return self.store.get(key, default)

    def set(self, client, key, value, timeout):
        self.calls += 1
        if self.down:
            import redis

            raise redis.exceptions.TimeoutError("Timeout reading from socket")
        self.store[key] = value


@pytest.fixture
def fake_redis():
    fake = FakeRedis()
    with (
        override_settings(CACHES=caches_from(URL, key_prefix="breaker-test")),
        mock.patch.object(RedisCacheClient, "get", lambda client, key, default: fake.get(client, key, default)),
        mock.patch.object(
            RedisCacheClient, "set", lambda client, key, value, timeout: fake.set(client, key, value, timeout)
        ),
    ):
        yield fake, caches["default"]


def test_a_hung_redis_costs_one_call_not_one_per_cache_call(fake_redis):
    fake, cache = fake_redis
    assert cache.get("a") is None
    assert fake.calls == 1
    for n in range(50):
        assert cache.get(f"key{n}") is None
        cache.set(f"key{n}", n)
    assert fake.calls == 1
    assert cache.is_open()
    assert cache.failures == 1


def test_the_breaker_probes_again_and_closes_when_redis_answers(fake_redis):
    fake, cache = fake_redis
    cache.get("a")
    later = time.monotonic() + resilient.BREAKER_SECONDS + 0.1
    with mock.patch("config.cache.time.monotonic", return_value=later):
        assert cache.get("a") is None  # the probe, still failing
        assert fake.calls == 2
        assert cache.get("a") is None  # skipped again
        assert fake.calls == 2
    fake.down = False
    with mock.patch("config.cache.time.monotonic", return_value=later + resilient.BREAKER_SECONDS + 0.1):
        cache.set("a", 1)  # the probe succeeds
        assert not cache.is_open()
        assert cache.get("a") == 1
    assert fake.calls == 4


def test_set_confirmed_says_whether_redis_took_the_write(fake_redis):
    fake, cache = fake_redis
    assert cache.set_confirmed("k", 1) is False
    fake.down = False
    resilient._breakers.clear()
    assert cache.set_confirmed("k", 1) is True


def test_pages_under_a_hung_redis_make_at_most_one_redis_call(client, fake_redis):
    fake, cache = fake_redis
    article = make_article(sections=2)
    for url in ("/", "/articles/", article.get_absolute_url(), "/topics/", "/feed/rss/") * 4:
        assert client.get(url).status_code == 200, url
    assert fake.calls <= 1
