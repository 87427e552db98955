"""Regrouping after an essay changes, without making the request wait.

``LIBRARY_REGROUP_MODE`` (setting, or the environment variable of that name):

- ``"thread"`` (default): after the transaction commits, a daemon thread
  waits :data:`DEBOUNCE_SECONDS` (so that publishing ten essays regroups
  once, not ten times), then regroups, and again while more changes came in
  meanwhile. One thread per process at most (``cache.add`` lock, which with
  the shared Redis cache also means one per site); no broker needed.
- ``"sync"``: regroup at once after commit (tests, small sites).
- ``"off"``: do nothing; run ``manage.py regroup_items`` yourself (cron).

Scheduled essays have no items until they are due (``library.regrouping``).
Each regroup records when the next scheduled essay with library points
becomes due; the first library request after that time regroups
(:func:`regroup_if_due`, in the ``thread`` and ``sync`` modes), so no cron
job is needed. The page cache starts a new generation at that time too, so
that first request reaches the view.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

LOCK_KEY = "library:regroup:lock"
DIRTY_KEY = "library:regroup:dirty"
# When the next scheduled essay with library points is due (a timestamp; 0: none).
NEXT_DUE_KEY = "library:regroup:next-due"
# The lock expires by itself if the process dies mid-regroup.
LOCK_SECONDS = 15 * 60
DEBOUNCE_SECONDS = 2.0


def mode():
    return getattr(settings, "LIBRARY_REGROUP_MODE", "thread")


class _RegroupLater:
    """The on-commit callback for some essays; recognisable so that a transaction queues one."""

    def __init__(self):
        self.article_ids = set()

    def __call__(self):
        if concerns_library(self.article_ids):
            run_or_start()


def concerns_library(article_ids):
    """Whether a change to these essays can change the library: one is published or has items.

    A draft written and saved again and again never triggers a regroup.
    """
    from articles.models import Article
    from library.models import LibraryItem

    return (
        Article.all_objects.filter(pk__in=article_ids, status=Article.Status.PUBLISHED).exists()
        or LibraryItem.objects.filter(article_id__in=article_ids).exists()
        or Article.all_objects.filter(pk__in=article_ids).count() < len(article_ids)  # deleted
    )


def request_regroup(article_id, using="default"):
    """Ask for a regroup once the current transaction commits (at once outside one), if the essay matters."""
    if mode() == "off" or article_id is None:
        return
    connection = connections[using]
    if connection.in_atomic_block:
        for _, callback, *_ in getattr(connection, "run_on_commit", []):
            if isinstance(callback, _RegroupLater):
                callback.article_ids.add(article_id)
                return
    callback = _RegroupLater()
    callback.article_ids.add(article_id)
    transaction.on_commit(callback, using=using)


def run_or_start():
    current = mode()
    if current == "sync":
        _regroup_logged()
    elif current == "thread":
        cache.set(DIRTY_KEY, True, LOCK_SECONDS)
        if cache.add(LOCK_KEY, True, LOCK_SECONDS):
            threading.Thread(target=_worker, name="library-regroup", daemon=True).start()


def _regroup_logged():
    from library.regrouping import regroup

    try:
        report = regroup()
        logger.info("问题库/对策库已重新归类：%s", report)
    except Exception:  # the edit is saved; the next regroup catches up
        logger.exception("问题库/对策库重新归类失败")


def _worker():
    try:
        while True:
            time.sleep(DEBOUNCE_SECONDS)
            if not cache.get(DIRTY_KEY):
                cache.delete(LOCK_KEY)
                # A change that came between the check and the release found
                # the lock taken and started nothing: take it back for it.
                if not cache.get(DIRTY_KEY) or not cache.add(LOCK_KEY, True, LOCK_SECONDS):
                    break
                continue
            cache.delete(DIRTY_KEY)
            close_old_connections()
            _regroup_logged()
    except BaseException:
        cache.delete(LOCK_KEY)
        raise
    finally:
        connections.close_all()


# ---------------------------------------------------------------- scheduled essays


def _scheduled_with_items():
    from articles.models import Article
    from library.regrouping import LIBRARY_KINDS

    return Article.objects.scheduled().filter(sections__kind__in=LIBRARY_KINDS)


def next_scheduled():
    """The publish time of the next scheduled essay with library points, or None."""
    return _scheduled_with_items().order_by("published_at").values_list("published_at", flat=True).first()


def record_next_due(when):
    """Called by each regroup with :func:`next_scheduled` as it was when the regroup began."""
    cache.set(NEXT_DUE_KEY, when.timestamp() if when else 0, None)


def _next_due():
    """The recorded time, or -- when the cache lost it -- one worked out from the database:
    now if a public essay newer than every essay with items has library points (it
    became due since the last regroup), else the next scheduled one."""
    due = cache.get(NEXT_DUE_KEY)
    if due is not None:
        return due
    from django.db.models import Max

    from articles.models import Article
    from library.models import LibraryItem
    from library.regrouping import LIBRARY_KINDS

    newest = LibraryItem.objects.aggregate(newest=Max("article__published_at"))["newest"]
    missed = Article.objects.published().filter(sections__kind__in=LIBRARY_KINDS)
    if newest is not None:
        missed = missed.filter(published_at__gt=newest)
    if missed.exists():
        due = time.time()
    else:
        when = next_scheduled()
        due = when.timestamp() if when else 0
    cache.set(NEXT_DUE_KEY, due, None)
    return due


def regroup_if_due():
    """Regroup (as configured) once a scheduled essay with library points is due.

    Called by the public library views: one cache read per request. Only the
    first request after the time starts the regroup (``cache.add``); the
    regroup records the next time.
    """
    if mode() == "off":
        return
    due = _next_due()
    if due and time.time() >= due and cache.add(f"{NEXT_DUE_KEY}:{due}", True, LOCK_SECONDS):
        run_or_start()
