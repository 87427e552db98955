"""The cache configuration: local memory by default, Redis through ``REDIS_URL``.

Django's own Redis backend (``django.core.cache.backends.redis``), wrapped so
that a Redis outage degrades the site instead of breaking it: a read answers
"not cached", a write is dropped, and the failure is logged. Every page is
then rendered from the database (slower, still correct); ``/healthz``
reports the cache as down (``config.health``), so the load balancer and the
operator know.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Seconds to wait for Redis: a dead or unreachable Redis must cost a reader
# a fraction of a second, not a worker timeout.
SOCKET_TIMEOUT = 0.5


def caches_from(redis_url, *, key_prefix="portal"):
    """``CACHES`` for ``settings``: Redis when ``redis_url`` is set, else local memory."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def _safely(self, name, default, *args):
        try:
            return getattr(super(), name)(*args)
        except self._lib.exceptions.RedisError as error:
            logger.warning("Redis unavailable (%s): %s", name, error)
            if default is ValueError:
                raise ValueError("Redis unavailable") from error
            return default

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
        # Callers treat ValueError as "the key is gone" (articles.viewcounts).
        return self._safely("incr", ValueError, key, delta)

    def set_many(self, data, timeout):
        return self._safely("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._safely("delete_many", None, keys)

    def clear(self):
        return self._safely("clear", False)

    def ping(self):
        """True when Redis answers (raises nothing)."""
        try:
            return bool(self.get_client(write=True).ping())
        except self._lib.exceptions.RedisError:
            return False


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ResilientClient

    def ping(self):
        return self._cache.ping()
