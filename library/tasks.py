"""Regrouping after essays change: a task of its own, never in a web request.

``articles.events`` delivers the changed essays to :func:`essays_changed`
(connected in ``LibraryConfig.ready``), in the task that follows every
change. When the essays concern the library (one is published, has items,
or is gone: :func:`concerns_library`) it asks for a regroup
(:func:`request_regroup`): a ``regroup_library`` task, on the ``library``
queue, set to run ``LIBRARY_REGROUP_DELAY_SECONDS`` later, unless one is
already waiting -- so that publishing ten essays in a row regroups once.

Regroups never run side by side: ``library.regrouping.regroup`` holds the
row lock of :class:`library.models.RegroupState` for its whole transaction,
a lock that dies with its holder. Every regroup reads the database afresh,
so a task that runs twice, or after another, is harmless.

Scheduled essays have no items until they are due (``library.regrouping``).
Each regroup records when the next scheduled essay with library points
becomes due; the first library request after that time asks for a regroup
(:func:`regroup_if_due`), so no cron job is needed. The page cache starts a
new generation at that time too, so that first request reaches the view.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from library.regrouping import LIBRARY_KINDS, NEXT_DUE_KEY, next_scheduled

logger = logging.getLogger(__name__)

# How long the first request after a due time keeps the others from asking again.
DUE_CLAIM_SECONDS = 15 * 60


def concerns_library(article_ids):
    """Whether a change to these essays can change the library: one is published or has items.

    A draft written and saved again and again never triggers a regroup.
    """
    from articles.models import Article
    from library.models import LibraryItem

    article_ids = set(article_ids)
    return (
        Article.all_objects.filter(pk__in=article_ids, status=Article.Status.PUBLISHED).exists()
        or LibraryItem.objects.filter(article_id__in=article_ids).exists()
        or Article.all_objects.filter(pk__in=article_ids).count() < len(article_ids)  # deleted
    )


def essays_changed(sender, essay_ids, **kwargs):
    """Subscriber of ``articles.events.essay_changed`` (runs in the task after a change)."""
    if concerns_library(essay_ids):
        request_regroup()


@task(queue_name="library")
def regroup_library():
    """Regroup the library (``library.regrouping.regroup``); returns its report as text."""
    from library.regrouping import regroup  # looked up when run (the tests replace it)

    report = regroup()
    logger.info("问题库/对策库已重新归类：%s", report)
    return str(report)


def _waiting(backend):
    """Whether a regroup task is already waiting to run (known for the database backend only)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=regroup_library.module_path,
        backend_name=backend.alias,
    ).exists()


def request_regroup():
    """Enqueue a regroup a little later, unless one is already waiting (which will see this change)."""
    backend = regroup_library.get_backend()
    if _waiting(backend):
        return None
    delay = settings.LIBRARY_REGROUP_DELAY_SECONDS
    regroup = regroup_library
    if delay > 0 and backend.supports_defer:
        regroup = regroup_library.using(run_after=timezone.now() + timedelta(seconds=delay))
    return regroup.enqueue()


# ---------------------------------------------------------------- scheduled essays


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
    """Ask for a regroup once a scheduled essay with library points is due.

    Called by the public library views: one cache read per request. Only the
    first request after the time enqueues the regroup (``cache.add``); the
    regroup records the next time. The request itself never regroups.
    """
    due = _next_due()
    if due and time.time() >= due and cache.add(f"{NEXT_DUE_KEY}:{due}", True, DUE_CLAIM_SECONDS):
        try:
            request_regroup()
        except Exception:
            cache.delete(f"{NEXT_DUE_KEY}:{due}")
            logger.exception("问题库/对策库归类任务未能排队")
