"""Per-minute request limits kept in the shared cache (view-count beacons, library exports).

A fixed window per clock minute: one ``cache.add`` and one ``cache.incr``
per request, shared by every worker through Redis. Not django-ratelimit: its
system check refuses the local-memory cache the portal runs on without
Redis, and it does not say when a window ends, which ``Retry-After`` needs.
"""

import hashlib
import math
import time

from django.core.cache import cache

PREFIX = "ratelimit:"
WINDOW = 60


def over_limit(scope, key, limit):
    """Count one request of ``key`` (e.g. a client address) in ``scope`` this minute.

    Returns None while the count is within ``limit``, else the seconds until
    the minute ends (for ``Retry-After``). A cache that loses the counter
    lets the request through: the limits protect the site, they are not a
    security boundary.
    """
    now = time.time()
    digest = hashlib.blake2s(str(key).encode("utf-8", "replace"), digest_size=12).hexdigest()
    counter = f"{PREFIX}{scope}:{digest}:{int(now // WINDOW)}"
    cache.add(counter, 0, WINDOW * 2)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired or evicted between add and incr
        return None
    if count <= limit:
        return None
    return max(1, math.ceil(WINDOW - now % WINDOW))
