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


class Clock:
    """time.monotonic() for config.cache, advanced by the fake Redis's answers."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class SlowRedis:
    """A Redis that answers every call, each ``delay`` seconds late on ``clock``."""

    def __init__(self, clock, delay):
        self.clock, self.delay, self.calls, self.store = clock, delay, 0, {}
        self.slow_every = 1  # every call slow; 3: every third (the others prompt)

    def answer(self, result):
        self.calls += 1
        self.clock.now += self.delay if self.calls % self.slow_every == 0 else 0.0005
        return result

    def patches(self):
        fake = self

        def op(name, handler):
            return mock.patch.object(RedisCacheClient, name, lambda client, *args: fake.answer(handler(*args)))

        return [
            op("get", lambda key, default: self.store.get(key, default)),
            op("get_many", lambda keys: {k: self.store[k] for k in keys if k in self.store}),
            op("set", lambda key, value, timeout: self.store.__setitem__(key, value)),
            op("add", lambda key, value, timeout: self.store.setdefault(key, value) is value),
            op("delete", lambda key: self.store.pop(key, None) is not None),
            op("incr", lambda key, delta: self.store.__setitem__(key, self.store.get(key, 0) + delta)),
            op("set_many", lambda data, timeout: self.store.update(data)),
            op("delete_many", lambda keys: [self.store.pop(k, None) for k in keys] and None),
            op("touch", lambda key, timeout: key in self.store),
            op("has_key", lambda key: key in self.store),
        ]


@pytest.fixture
def slow_redis():
    """The default cache on a Redis that answers each call 0.2 s late (under the socket timeout)."""
    resilient._breakers.clear()
    clock = Clock()
    fake = SlowRedis(clock, delay=0.2)
    assert resilient.SLOW_SECONDS < fake.delay < resilient.SOCKET_TIMEOUT
    with (
        override_settings(CACHES=caches_from(URL, key_prefix="slow-test")),
        mock.patch("config.cache.time.monotonic", clock),
    ):
        patches = fake.patches()
        for patch in patches:
            patch.start()
        try:
            yield fake, caches["default"]
        finally:
            for patch in patches:
                patch.stop()
            resilient._breakers.clear()


def test_a_slow_redis_opens_the_breaker_after_a_few_calls(slow_redis):
    fake, cache = slow_redis
    for n in range(50):
        cache.set(f"key{n}", n)
        cache.get(f"key{n}")
    assert fake.calls == resilient.SLOW_STRIKES
    assert cache.is_open()
    assert cache.failures == 1


def test_a_slow_probe_keeps_the_breaker_open_a_prompt_one_closes_it(slow_redis):
    fake, cache = slow_redis
    for n in range(resilient.SLOW_STRIKES):
        cache.get(f"key{n}")
    assert cache.is_open()
    fake.clock.now += resilient.BREAKER_SECONDS + 0.1
    cache.get("a")  # the probe, slow
    assert fake.calls == resilient.SLOW_STRIKES + 1
    assert cache.is_open()
    cache.get("a")
    assert fake.calls == resilient.SLOW_STRIKES + 1
    fake.delay = 0.001
    fake.clock.now += resilient.BREAKER_SECONDS + 0.1
    cache.set("a", 1)  # the probe, prompt
    assert not cache.is_open()
    assert cache.get("a") == 1


def test_a_slow_call_under_way_when_the_breaker_opened_does_not_close_it(slow_redis):
    fake, cache = slow_redis
    breaker = cache._cache.breaker
    started = fake.clock.now
    breaker.failed("get", "timeout")  # another thread saw Redis fail meanwhile
    breaker.answered("get", started)  # the earlier call then answers, promptly
    assert cache.is_open()


def test_pages_under_a_slow_redis_wait_for_it_only_a_few_times(client, slow_redis):
    fake, cache = slow_redis
    article = make_article(sections=2)
    for url in ("/", "/articles/", article.get_absolute_url(), "/topics/", "/feed/rss/") * 4:
        assert client.get(url).status_code == 200, url
    # Without the slow strikes every cache call of every page waited 0.2 s.
    assert fake.calls <= resilient.SLOW_STRIKES


def test_a_health_check_that_reaches_redis_closes_the_breaker(redis_cache):
    breaker = redis_cache._cache.breaker
    breaker.failed("get", "timeout")  # Redis failed a moment ago; it answers again now
    try:
        assert redis_cache.is_open()
        assert redis_cache.get("anything") is None  # skipped: no call
        assert redis_cache.ping() is True  # the health check asks Redis itself
        assert not redis_cache.is_open()
        redis_cache.set("k", 1)
        assert redis_cache.get("k") == 1
    finally:
        resilient._breakers.clear()


def test_a_busy_machine_where_some_calls_look_slow_keeps_using_the_cache(slow_redis):
    """Threads waiting for a core make some calls look slow; skipping the cache then would
    make every page render from the database just when the CPU is short."""
    fake, cache = slow_redis
    fake.slow_every = 3
    for n in range(60):
        cache.set(f"key{n}", n)
        assert cache.get(f"key{n}") == n
    assert fake.calls == 120
    assert not cache.is_open()
    assert cache.failures == 0


def text_of(response):
    """The page's text as a reader sees it (titles carry <wbr> between their words)."""
    return response.content.decode().replace("<wbr>", "")


def test_while_redis_is_away_pages_are_kept_in_the_process_memory(client, fake_redis):
    fake, cache = fake_redis
    article = make_article(sections=2)
    for url in ("/", "/articles/", article.get_absolute_url()):
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url  # rendered once, not per request
    assert fake.calls <= 1


def test_while_redis_is_away_another_process_withdrawal_is_in_force_at_the_next_request(client, fake_redis):
    """Each process's own memory hears of no other process's change: the database's epoch,
    read on every request in that mode, is what ends the withdrawn essay's pages."""
    from articles.models import Article
    from config import pagecache

    fake, cache = fake_redis
    article = make_article(title="将被撤下的文稿", sections=1)
    url = article.get_absolute_url()
    client.get("/")
    assert client.get(url).status_code == 200
    home = client.get("/")
    assert home["X-Page-Cache"] == "hit"
    assert "将被撤下的文稿" in text_of(home)
    # Another process withdraws it: the row and the epoch change, this process is told nothing.
    Article.all_objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    pagecache._advance_epoch()
    assert client.get(url).status_code == 404
    home = client.get("/")
    assert "将被撤下的文稿" not in text_of(home)
    assert home["X-Page-Cache"] == "miss"


def test_a_withdrawal_during_the_outage_holds_when_redis_is_back_with_its_old_pages(client, slow_redis):
    from articles.models import Article
    from config import pagecache

    fake, cache = slow_redis
    fake.delay = 0.0001
    article = make_article(title="停机期间撤下的文稿", sections=1)
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"  # stored in Redis
    fake.delay = 0.2  # Redis slows down: the breaker opens, pages go to the process's memory
    for _ in range(resilient.SLOW_STRIKES):
        client.get("/articles/")
    assert cache.is_open()
    assert article.title in text_of(client.get("/"))
    # Another process withdraws the essay while Redis is away: Redis never hears of it.
    Article.all_objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    pagecache._advance_epoch()
    assert article.title not in text_of(client.get("/"))
    fake.delay = 0.0001  # Redis is back, still holding the old generation and the old page
    fake.clock.now += resilient.BREAKER_SECONDS + 0.1
    home = client.get("/")
    assert not cache.is_open()
    assert article.title not in text_of(home)
    assert client.get(article.get_absolute_url()).status_code == 404
