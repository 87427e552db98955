"""What happens when essays change: the one place that says it.

Two events (``django.dispatch.Signal``):

* :data:`essay_changed` -- ``essay_ids``, a frozenset of Article pks whose
  text, status, sections or topic links changed (deleted essays included);
* :data:`site_changed` -- anything public may have changed: a topic renamed,
  moved or deleted, the site settings.

How a change becomes an event
-----------------------------
Model signals are translated here, once (:func:`connect`, called from
``ArticlesConfig.ready()``): post_save/post_delete of Article and Section,
m2m_changed of ``Article.topics`` (both directions, ``clear`` included),
post_save/pre_delete of Topic (a site change, and the essays of that topic),
post_save/post_delete of ``siteinfo.SiteSettings`` (a site change; the cached
settings row is forgotten at once and again on commit). Fixture loading
(``raw=True``) is ignored. Writes that send no model signal
(``bulk_create``, ``bulk_update``, ``QuerySet.update``) call
:func:`essays_changed` or :func:`whole_site_changed` themselves; the library's own
writes, which change pages but no essay, call :func:`pages_changed`.

A batch
-------
The editing services and the admin wrap their writes in :func:`changes`,
inside their transaction::

    with transaction.atomic(), events.changes():
        ...  # any number of saves, deletes, bulk writes

The batch collects essay ids (and a site flag) and, when it ends -- still
inside the transaction -- does the work once:

1. **the page cache** (``config.pagecache.invalidate``) drops the current
   generation and advances the ``PublicationEpoch`` row *in the transaction*,
   so the epoch commits with the change or not at all; on commit it writes
   the next generation (best effort, in this process). The stored essay
   pages of the batch's essays (``articles.reading.renditions.forget``) are
   deleted in the transaction too. These are the only subscribers that act
   inside the transaction: what readers are served must not wait for, or
   depend on, a task worker.
2. **one task**, :func:`deliver_changes` ``(essay_ids=[...], site=bool)``,
   enqueued with django-tasks. With the database backend its row is written
   in the same transaction: it commits with the change or not at all, so a
   web worker killed after the commit cannot lose the follow-up work (the
   task worker finds the row). See :func:`_enqueue` for the one place that
   decides how a backend is enqueued.

Nested batches join the outer one. A batch is a context variable, not
state of the connection: a transaction rolled back takes the epoch and the
task row with it and leaves nothing behind. Outside any batch (the shell,
tests creating rows, management commands) a model signal does the same work
at once for that one change: correct, just not deduplicated.

The task
--------
:func:`deliver_changes` sends :data:`site_changed` and :data:`essay_changed`
to the subscribers, each connected in its own app's ``ready()``:

* ``articles.search.updates`` (``ArticlesConfig.ready``): index the essays
  again, or remove them;
* ``articles.reading.renditions`` (``ArticlesConfig.ready``): forget the
  essays' stored pages again (a reader's render that raced the commit) and
  render the published ones ahead of readers; all of them on a site change;
* ``library.tasks`` (``LibraryConfig.ready``): when the essays concern the
  library, enqueue a debounced ``regroup_library`` task.

Every subscriber re-reads what it needs, so a retried task is harmless. A
failure in one is logged and does not stop the others.
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager
from functools import wraps

from django.db import transaction
from django.dispatch import Signal
from django_tasks import task

logger = logging.getLogger(__name__)

essay_changed = Signal()  # essay_ids: frozenset of Article pks
site_changed = Signal()


class Batch:
    """The changes collected by one :func:`changes` block."""

    def __init__(self):
        self.essay_ids = set()
        self.site = False
        self.pages = False  # pages change, but no essay and no site setting (the library)

    def __bool__(self):
        return bool(self.essay_ids or self.site or self.pages)


_batch = contextvars.ContextVar("articles_events_batch", default=None)


@contextmanager
def changes():
    """Collect the changes made in the block and act on them once, when it ends.

    Use inside the transaction of the writes (see the module docstring).
    Nested blocks join the outermost one. When the block raises inside a
    transaction nothing is done: that transaction is rolling back. In
    autocommit mode what was written before the error stays, so it is acted on.
    """
    if _batch.get() is not None:
        yield _batch.get()
        return
    batch = Batch()
    token = _batch.set(batch)
    try:
        yield batch
    except BaseException:
        _batch.reset(token)
        if transaction.get_autocommit():
            _act(batch)
        raise
    _batch.reset(token)
    _act(batch)


def essays_changed(essay_ids):
    """The essays ``essay_ids`` changed (for writes that send no model signal)."""
    ids = {pk for pk in essay_ids if pk is not None}
    if not ids:
        return
    batch = _batch.get()
    if batch is not None:
        batch.essay_ids |= ids
        return
    now = Batch()
    now.essay_ids = ids
    _act(now)


def whole_site_changed():
    """Everything public may have changed (topics, site settings): see :data:`site_changed`."""
    batch = _batch.get()
    if batch is not None:
        batch.site = True
        return
    now = Batch()
    now.site = True
    _act(now)


def pages_changed():
    """Public pages changed, but no essay and no site setting: only the page cache acts
    (the library's regroups and editors' changes to themes and items)."""
    batch = _batch.get()
    if batch is not None:
        batch.pages = True
        return
    from config import pagecache

    pagecache.invalidate()


def _act(batch):
    """The in-transaction work of a batch: the page cache, stored pages, one task."""
    if not batch:
        return
    from articles.reading import renditions
    from config import pagecache

    pagecache.invalidate()
    if batch.essay_ids:
        renditions.forget(batch.essay_ids)
    if batch.essay_ids or batch.site:
        _enqueue(sorted(batch.essay_ids), batch.site)


# ---------------------------------------------------------------- the task


def _transactional(backend):
    """Whether ``backend`` stores a task in the database transaction of the change."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def _enqueue(essay_ids, site):
    """Enqueue :func:`deliver_changes` -- the one place that decides how.

    The database backend writes the task row now, inside the transaction of
    the change: it commits with it or not at all. Any other backend (the
    tests' immediate one, which runs the task on the spot; a Redis queue)
    cannot take part in the transaction, so the task is enqueued when the
    transaction commits (at once in autocommit mode), ``robust``: a queue
    that fails then is logged and never turns a committed save into an error.
    """
    if _transactional(deliver_changes.get_backend()):
        deliver_changes.enqueue(essay_ids=essay_ids, site=site)
    else:
        transaction.on_commit(lambda: deliver_changes.enqueue(essay_ids=essay_ids, site=site), robust=True)


@task()
def deliver_changes(essay_ids=(), site=False):
    """Tell the subscribers what changed (runs in the task worker, after the commit)."""
    failed = []
    if site:
        failed += _send(site_changed)
    if essay_ids:
        failed += _send(essay_changed, essay_ids=frozenset(essay_ids))
    if failed:
        # Every subscriber has run; the task is marked failed (and shown so in the admin).
        raise FollowUpFailed(f"follow-up work failed: {', '.join(failed)}")
    return {"essays": len(essay_ids), "site": bool(site)}


class FollowUpFailed(Exception):
    """One or more subscribers failed (each failure is logged with its traceback)."""


def _send(signal, **kwargs):
    """Send ``signal`` to every subscriber; returns the names of those that failed (logged)."""
    failed = []
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            name = f"{getattr(receiver, '__module__', '')}.{getattr(receiver, '__qualname__', receiver)}"
            failed.append(name)
            logger.error(
                "follow-up work %s failed (%s)",
                name,
                kwargs or "site changed",
                exc_info=(type(result), result, result.__traceback__),
            )
    return failed


# ---------------------------------------------------------------- model signals


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        essays_changed([instance.pk])


def _article_deleted(sender, instance, **kwargs):
    essays_changed([instance.pk])


def _section_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        essays_changed([instance.article_id])


def _section_deleted(sender, instance, **kwargs):
    essays_changed([instance.article_id])


def _topics_of_essays_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    from articles.models import Article

    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:  # article.topics.add(...)
        if action != "pre_clear":
            essays_changed([instance.pk])
        return
    # topic.articles.add(...): the essays are in pk_set or, for clear, linked before it.
    if action == "pre_clear":
        essays_changed(
            Article.topics.through.objects.using(using)
            .filter(topic_id=instance.pk)
            .values_list("article_id", flat=True)
        )
    elif action != "post_clear":
        essays_changed(pk_set or ())


def _topic_changed(sender, instance, raw=False, using="default", **kwargs):
    """A topic's name, place and address show on every page and on its essays (search included)."""
    from articles.models import Article

    if raw:
        return
    with changes():
        whole_site_changed()
        essays_changed(
            Article.topics.through.objects.using(using)
            .filter(topic_id=instance.pk)
            .values_list("article_id", flat=True)
        )


def _site_settings_changed(sender, raw=False, **kwargs):
    from siteinfo.models import SiteSettings

    SiteSettings.forget()
    # A page rendered between the save and the commit may have cached the old
    # row again: forget it once more when the change is visible to everyone.
    transaction.on_commit(SiteSettings.forget, robust=True)
    if not raw:
        whole_site_changed()


def connect():
    """Translate model signals into events (``ArticlesConfig.ready``; idempotent)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from articles.models import Article, Section
    from siteinfo.models import SiteSettings
    from topics.models import Topic

    post_save.connect(_article_saved, sender=Article, dispatch_uid="events:article:save")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="events:article:delete")
    post_save.connect(_section_saved, sender=Section, dispatch_uid="events:section:save")
    post_delete.connect(_section_deleted, sender=Section, dispatch_uid="events:section:delete")
    m2m_changed.connect(_topics_of_essays_changed, sender=Article.topics.through, dispatch_uid="events:topics")
    post_save.connect(_topic_changed, sender=Topic, dispatch_uid="events:topic:save")
    pre_delete.connect(_topic_changed, sender=Topic, dispatch_uid="events:topic:delete")
    post_save.connect(_site_settings_changed, sender=SiteSettings, dispatch_uid="events:site-settings:save")
    post_delete.connect(_site_settings_changed, sender=SiteSettings, dispatch_uid="events:site-settings:delete")


# ---------------------------------------------------------------- the admin


def in_batch(view):
    """``view``'s POSTs run in one transaction and one batch (GETs as they were)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic(), changes():
            return view(request, *args, **kwargs)

    return wrapper


class ChangesInOneBatch:
    """ModelAdmin mixin: every POST of the admin's pages -- the change form, delete,
    the changelist's actions and the admin's own extra views -- is one batch.

    Applied once, as the first base of ``ArticleAdmin``; it wraps the URL
    patterns ``get_urls()`` returns, so views added later are covered too.
    """

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            callback = getattr(pattern, "callback", None)
            if callback is not None and not getattr(callback, "_in_batch", False):
                wrapped = in_batch(callback)
                wrapped._in_batch = True
                pattern.callback = wrapped
        return urls
