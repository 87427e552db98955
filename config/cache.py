"""The cache configuration: local memory by default, Redis through ``REDIS_URL``.

Django's own Redis backend (``django.core.cache.backends.redis``), wrapped so
that a Redis outage degrades the site instead of breaking it: a read answers
"not cached", a write is dropped, and the failure is logged. Every page is
then rendered from the database (slower, still correct); ``/healthz``
reports the cache as down (``config.health``), so the load balancer and the
operator know.

A *circuit breaker* per Redis server and process keeps a hung or refusing
Redis from costing every cache call its timeout: after a failure the
process answers "not cached" at once for :data:`BREAKER_SECONDS`, then one
call probes Redis again (the others still skip it) and a success closes the
breaker. A *slow* Redis counts too: when nearly every call answers after
more than :data:`SLOW_SECONDS` (see there: a busy CPU must not look like a
slow Redis), the breaker opens as on a failure, and a slow probe keeps it
open (a Redis answering in 0.2 s would otherwise cost a page with ten cache
calls two seconds). Each failure is counted (:attr:`ResilientRedisCache.failures`):
the page cache re-checks its generation against the database after any
failure it did not see itself (``config.pagecache``), because a write that
failed -- an invalidation -- may have left an outdated generation behind.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Seconds to wait for Redis: a dead or unreachable Redis must cost a reader
# a fraction of a second, not a worker timeout. A healthy Redis on the local
# network answers in well under a millisecond.
SOCKET_TIMEOUT = 0.25
# After a failure, how long a process leaves Redis alone before probing it again.
BREAKER_SECONDS = 2.0
# A call answered later than this is slow (a hundred times a healthy answer).
# On a busy machine a call can also *look* slow: its thread waited for a core
# or the GIL after Redis had answered (seen: 50-210 ms at a load of 8 on two
# cores). Opening the breaker then would make every page render from the
# database just when the CPU is short, so only a Redis slow at nearly every
# call opens it: SLOW_STRIKES slow calls within BREAKER_SECONDS that are at
# least SLOW_SHARE of the calls in that time.
SLOW_SECONDS = 0.1
SLOW_STRIKES = 5
SLOW_SHARE = 0.8


class Breaker:
    """Whether calls may go to one Redis server now (shared by every thread of a process)."""

    def __init__(self):
        self.open_until = 0.0  # 0: closed, calls go through
        self.opened_at = 0.0
        self.failures = 0
        # Calls answered and slow calls since window_start (time.monotonic()); approximate
        # under concurrent updates, which is all a heuristic needs.
        self._window_start, self._calls, self._slow = 0.0, 0, 0
        self._lock = threading.Lock()

    def allows(self):
        until = self.open_until
        if not until:
            return True
        now = time.monotonic()
        if now < until:
            return False
        with self._lock:
            if self.open_until != until:
                return False  # another thread is probing
            # This call probes; the others keep skipping Redis meanwhile.
            self.open_until = now + BREAKER_SECONDS
        return True

    def would_allow(self):
        """Whether a call now would go to Redis (or probe it), without taking the probe."""
        return not self.open_until or time.monotonic() >= self.open_until

    def answered(self, name, started):
        """A call begun at ``started`` succeeded: a prompt probe closes the breaker (a call that was
        under way when it opened does not), a slow call is a strike."""
        now = time.monotonic()
        seconds = now - started
        slow = seconds > SLOW_SECONDS
        if now - self._window_start > BREAKER_SECONDS:
            self._window_start, self._calls, self._slow = now, 0, 0
        self._calls += 1
        self._slow += slow
        if not slow:
            if self.open_until and started > self.opened_at:
                self.open_until = 0.0
                logger.warning("Redis answers again: cache back in use")
            return
        # A slow probe keeps the breaker open; otherwise Redis must be slow at nearly every call.
        if self.open_until or (self._slow >= SLOW_STRIKES and self._slow >= SLOW_SHARE * self._calls):
            self._window_start, self._calls, self._slow = now, 0, 0
            self.failed(name, f"slow: {seconds * 1000:.0f} ms")

    def failed(self, name, error):
        if not self.open_until:
            logger.warning("Redis unavailable (%s): %s; cache skipped for %.0f s", name, error, BREAKER_SECONDS)
        self.opened_at = time.monotonic()
        self.open_until = self.opened_at + BREAKER_SECONDS
        self.failures += 1


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(key):
    """The process's breaker for the Redis server(s) named by ``key`` (one per server, not per thread:
    Django keeps a cache object per thread, and each would otherwise wait out its own timeout)."""
    breaker = _breakers.get(key)
    if breaker is None:
        with _breakers_lock:
            breaker = _breakers.setdefault(key, Breaker())
    return breaker


def caches_from(redis_url, *, key_prefix="portal"):
    """``CACHES`` for ``settings``: Redis when ``redis_url`` is set, else local memory."""
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
        }
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": {
                "socket_connect_timeout": SOCKET_TIMEOUT,
                "socket_timeout": SOCKET_TIMEOUT,
                "health_check_interval": 30,
            },
        }
    }


class _ResilientClient(RedisCacheClient):
    """``RedisCacheClient`` whose calls answer like an empty cache when Redis fails.

    It also keeps its ``redis.Redis`` objects: Django's client builds a new one
    (with its table of response callbacks) for every cache call, a good part
    of the cost of serving a cached page. The object is thread-safe and the
    connection pool beneath it resets itself after a fork.
    """

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}
        # Looked up on every call (not kept): the breakers are the process's, not this object's.
        self._breaker_key = str(servers)

    @property
    def breaker(self):
        return breaker_for(self._breaker_key)

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def _safely(self, name, default, *args):
        if not self.breaker.allows():
            if default is ValueError:
                raise ValueError("Redis unavailable")
            return default
        started = time.monotonic()
        try:
            result = getattr(super(), name)(*args)
        except self._lib.exceptions.RedisError as error:
            self.breaker.failed(name, error)
            if default is ValueError:
                raise ValueError("Redis unavailable") from error
            return default
        self.breaker.answered(name, started)
        return result

    def set_confirmed(self, key, value, timeout):
        """Store ``value``; True only when Redis acknowledged it (never raises)."""
        if not self.breaker.allows():
            return False
        started = time.monotonic()
        try:
            RedisCacheClient.set(self, key, value, timeout)
        except self._lib.exceptions.RedisError as error:
            self.breaker.failed("set", error)
            return False
        self.breaker.answered("set", started)
        return True

    def add(self, key, value, timeout):
        return self._safely("add", False, key, value, timeout)

    def get(self, key, default):
        return self._safely("get", default, key, default)

    def set(self, key, value, timeout):
        return self._safely("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._safely("touch", False, key, timeout)

    def delete(self, key):
        return self._safely("delete", False, key)

    def get_many(self, keys):
        return self._safely("get_many", {}, keys)

    def has_key(self, key):
        return self._safely("has_key", False, key)

    def incr(self, key, delta):
        # Callers treat ValueError as "the key is gone" (articles.reading.viewcounts).
        return self._safely("incr", ValueError, key, delta)

    def set_many(self, data, timeout):
        return self._safely("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._safely("delete_many", None, keys)

    def clear(self):
        return self._safely("clear", False)

    def ping(self):
        """True when Redis answers (raises nothing). Goes to Redis even while the breaker is open,
        and counts as its probe: a prompt answer closes it, a failure keeps it open."""
        started = time.monotonic()
        try:
            answered = bool(self.get_client(write=True).ping())
        except self._lib.exceptions.RedisError as error:
            self.breaker.failed("ping", error)
            return False
        self.breaker.answered("ping", started)
        return answered


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ResilientClient

    def ping(self):
        return self._cache.ping()

    def is_open(self):
        """True while the breaker keeps this process away from Redis (no call is made)."""
        return not self._cache.breaker.would_allow()

    @property
    def failures(self):
        """How many Redis calls of this process have failed (see :class:`Breaker`)."""
        return self._cache.breaker.failures

    def set_confirmed(self, key, value, timeout=None):
        """Like ``set``, but says whether Redis acknowledged the write."""
        key = self.make_and_validate_key(key)
        return self._cache.set_confirmed(key, value, self.get_backend_timeout(timeout))
