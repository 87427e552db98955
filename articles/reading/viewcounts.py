"""Essay view counts, counted in the cache and written to the database in batches.

A reader's browser reports a view with a beacon (``static/js/site.js`` posts
to :func:`articles.reading.views.count_view`), so counting does not depend on the
essay page being rendered by Django: whole pages may be cached by Django or
a proxy in front of it. Each view adds one to a per-essay counter in the
cache and to a global pending total; the counters are moved into
``Article.view_count`` with one ``UPDATE ... SET view_count = view_count + n``
per essay when the pending total or the age of the oldest pending view passes
a threshold (checked by the beacon's request, which then queues the
:func:`flush_views` task: the request itself writes no count), and by
``manage.py flush_view_counts``. One flush at a time (a cache lock).

With the local-memory cache (one process, development) the counters live in
that process; production shares them through Redis (``REDIS_URL``). A lost
cache loses at most one batch of views, never the stored counts.

Who is a reader: the real client address (``config.client_address``: behind
nginx, not nginx's own) and the browser. One browser at one address counts
once per essay in ``VIEW_COUNT_DEDUP_SECONDS``. The browser is part of it so
that colleagues behind one office address (NAT) reading the same essay each
count; but since anyone can send any User-Agent, one address counts at most
``VIEW_COUNT_PER_ADDRESS`` readers per essay in that window, and the rate
limit (``VIEW_COUNT_RATE_LIMIT`` beacons a minute) is per address: rotating
User-Agents cannot inflate a count, and readers at different addresses never
share a limit.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django_tasks import task

from articles.models import Article
from config import ratelimit
from config.client_address import client_address

PREFIX = "viewcounts:"
PENDING_TOTAL = PREFIX + "pending"
OLDEST = PREFIX + "oldest"
LOCK = PREFIX + "lock"
LOCK_SECONDS = 60
# A flush is queued and not yet run (one task at a time, not one per beacon).
QUEUED = PREFIX + "queued"
# Pending counters outlive any sensible flush interval by far.
COUNTER_SECONDS = 7 * 24 * 3600


def pending_key(article_id):
    return f"{PREFIX}article:{article_id}"


def _digest(text):
    return hashlib.blake2s(text.encode("utf-8", "replace"), digest_size=12).hexdigest()


@dataclass(frozen=True)
class Reader:
    """Short hashes of a reader's address and of address + browser: no personal data is kept."""

    address: str
    browser: str

    @classmethod
    def of(cls, request):
        address = client_address(request) or ""
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        return cls(address=_digest(address), browser=_digest(f"{address}|{agent}"))


def allow_client(reader):
    """False once the reader's address has sent more than VIEW_COUNT_RATE_LIMIT beacons this minute."""
    return ratelimit.over_limit("views", reader.address, settings.VIEW_COUNT_RATE_LIMIT) is None


def record_view(article_id, reader=None):
    """Count one view of ``article_id``; returns True when it was counted.

    A repeat from the same browser at the same address within
    VIEW_COUNT_DEDUP_SECONDS is ignored, and so is every browser beyond
    VIEW_COUNT_PER_ADDRESS from one address in that window.
    May flush the pending counts to the database (see :func:`maybe_flush`).
    """
    if reader is not None:
        window = settings.VIEW_COUNT_DEDUP_SECONDS
        if not cache.add(f"{PREFIX}seen:{article_id}:{reader.browser}", 1, window):
            return False
        if _incr(f"{PREFIX}readers:{article_id}:{reader.address}", window) > settings.VIEW_COUNT_PER_ADDRESS:
            return False
    _incr(pending_key(article_id))
    _incr(PENDING_TOTAL)
    cache.add(OLDEST, time.time(), COUNTER_SECONDS)
    maybe_flush()
    return True


def _incr(key, timeout=COUNTER_SECONDS):
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout)
        return 1


def pending(article_id):
    return cache.get(pending_key(article_id)) or 0


def displayed_count(article):
    """What readers see: the stored count plus the views not yet flushed."""
    return (article.view_count or 0) + pending(article.pk)


def flush_due():
    total = cache.get(PENDING_TOTAL) or 0
    if total <= 0:
        return False
    if total >= settings.VIEW_COUNT_FLUSH_EVERY:
        return True
    oldest = cache.get(OLDEST)
    return oldest is not None and time.time() - oldest >= settings.VIEW_COUNT_FLUSH_SECONDS


def maybe_flush():
    """Queue a flush (:func:`flush_views`) when one is due and none is queued yet."""
    if flush_due() and cache.add(QUEUED, 1, LOCK_SECONDS):
        flush_views.enqueue()


@task()
def flush_views():
    """The task a beacon queues: write the pending counts (see :func:`flush`)."""
    cache.delete(QUEUED)
    return flush()


def flush():
    """Move every pending count into ``Article.view_count``; returns how many views were written.

    Only one worker flushes at a time (a cache lock). Counters are read, written
    to the database and then decremented by what was written, so views that
    arrive during the flush stay pending for the next one.
    """
    if not cache.add(LOCK, 1, LOCK_SECONDS):
        return 0
    try:
        total = cache.get(PENDING_TOTAL) or 0
        cache.delete(OLDEST)
        ids = list(Article.objects.published().values_list("pk", flat=True))
        written = 0
        for key, count in cache.get_many([pending_key(pk) for pk in ids]).items():
            if not count:
                continue
            article_id = int(key.rsplit(":", 1)[1])
            Article.all_objects.filter(pk=article_id).update(view_count=F("view_count") + count)
            _decr_at_least_to_zero(key, count)
            written += count
        # Views of essays unpublished meanwhile are dropped with the total.
        _decr_at_least_to_zero(PENDING_TOTAL, total)
        return written
    finally:
        cache.delete(LOCK)


def _decr_at_least_to_zero(key, amount):
    try:
        if cache.decr(key, amount) < 0:
            cache.set(key, 0, COUNTER_SECONDS)
    except ValueError:
        pass
