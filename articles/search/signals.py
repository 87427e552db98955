"""Receivers that keep the search index current.

An essay is re-indexed when it, one of its sections or its topics change,
and after the transaction commits: by then every section saved in the same
transaction (the admin's inline, ``Section.objects.bulk_create`` in the
importer) is there to be read, and a rolled-back edit indexes nothing.
Several changes to one essay in one transaction index it once.

``connect_signals()`` is called from ``ArticlesConfig.ready()``; it is
idempotent (every receiver has a ``dispatch_uid``).
"""

from __future__ import annotations

import logging

from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

logger = logging.getLogger(__name__)


class _IndexLater:
    """The on-commit callback for one essay; recognisable so that it is queued once."""

    def __init__(self, article_id, using):
        self.article_id = article_id
        self.using = using
        self.done = False

    def __call__(self):
        from articles.search.indexing import index_article

        self.done = True
        try:
            index_article(self.article_id)
        except Exception:  # the edit is saved; a stale index entry is fixed by a rebuild
            logger.exception("搜索索引更新失败：文稿 %s", self.article_id)


def schedule_index(article_id, using="default"):
    """Re-index essay ``article_id`` when the current transaction commits (now, outside one)."""
    if article_id is None:
        return
    connection = connections[using]
    if connection.in_atomic_block:
        # Already queued in this transaction (and not rolled back since)?
        for _, callback, *_ in getattr(connection, "run_on_commit", []):
            if isinstance(callback, _IndexLater) and callback.article_id == article_id and not callback.done:
                return
    transaction.on_commit(_IndexLater(article_id, using), using=using)


def _article_saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        schedule_index(instance.pk, using)


def _article_deleted(sender, instance, using="default", **kwargs):
    # The rows cascade with the essay; this also covers an essay deleted
    # behind the ORM's back in the same transaction.
    schedule_index(instance.pk, using)


def _section_changed(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        schedule_index(instance.article_id, using)


def _topics_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    from articles.models import Article

    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:  # article.topics.add(...)
        if action != "pre_clear":
            schedule_index(instance.pk, using)
        return
    # topic.articles.add(...): the essays are in pk_set, or (clear) were linked before.
    if action == "pre_clear":
        ids = list(Article.topics.through.objects.using(using)
                   .filter(topic_id=instance.pk).values_list("article_id", flat=True))
    elif action == "post_clear":
        return
    else:
        ids = pk_set or ()
    for article_id in ids:
        schedule_index(article_id, using)


def _topic_saving(sender, instance, raw=False, using="default", **kwargs):
    if raw or instance.pk is None:
        return
    instance._search_old_name = (
        sender.objects.using(using).filter(pk=instance.pk).values_list("name", flat=True).first()
    )


def _topic_saved(sender, instance, created=False, raw=False, using="default", **kwargs):
    """A renamed topic changes the text of its essays (topic names are indexed with headings)."""
    from articles.models import Article

    old_name = getattr(instance, "_search_old_name", None)
    if raw or created or old_name is None or old_name == instance.name:
        return
    ids = Article.topics.through.objects.using(using).filter(topic_id=instance.pk).values_list(
        "article_id", flat=True
    )
    for article_id in ids:
        schedule_index(article_id, using)


def connect_signals():
    """Connect the receivers (safe to call more than once)."""
    from articles.models import Article, Section
    from topics.models import Topic

    post_save.connect(_article_saved, sender=Article, dispatch_uid="search_article_saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="search_article_deleted")
    post_save.connect(_section_changed, sender=Section, dispatch_uid="search_section_saved")
    post_delete.connect(_section_changed, sender=Section, dispatch_uid="search_section_deleted")
    m2m_changed.connect(_topics_changed, sender=Article.topics.through, dispatch_uid="search_topics_changed")
    pre_save.connect(_topic_saving, sender=Topic, dispatch_uid="search_topic_saving")
    post_save.connect(_topic_saved, sender=Topic, dispatch_uid="search_topic_saved")


def disconnect_signals():
    """Undo :func:`connect_signals` (for bulk loads that rebuild the index afterwards)."""
    from articles.models import Article, Section
    from topics.models import Topic

    post_save.disconnect(sender=Article, dispatch_uid="search_article_saved")
    post_delete.disconnect(sender=Article, dispatch_uid="search_article_deleted")
    post_save.disconnect(sender=Section, dispatch_uid="search_section_saved")
    post_delete.disconnect(sender=Section, dispatch_uid="search_section_deleted")
    m2m_changed.disconnect(sender=Article.topics.through, dispatch_uid="search_topics_changed")
    pre_save.disconnect(sender=Topic, dispatch_uid="search_topic_saving")
    post_save.disconnect(sender=Topic, dispatch_uid="search_topic_saved")


__all__ = ["connect_signals", "disconnect_signals", "schedule_index"]
