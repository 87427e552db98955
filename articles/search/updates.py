"""Keeping the search index current: a subscriber of ``articles.events``
(connected in ``ArticlesConfig.ready``).

``deliver_changes`` (a task, after the commit) sends ``essay_changed`` with
the changed essays' ids; each is indexed again from what the database holds
now -- every section saved in the same transaction (the admin's inline,
``Section.objects.bulk_create`` in the importer) included -- or removed when
it no longer exists. Idempotent: a task run twice indexes the same rows.
A topic renamed, moved or deleted comes with the ids of its essays.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def essays_changed(sender, essay_ids, **kwargs):
    """Index each essay again (one failing does not keep the others from it)."""
    from articles.search.indexing import index_article

    failed = []
    for article_id in sorted(essay_ids):
        try:
            index_article(article_id)  # removes the rows of an essay that is gone
        except Exception:
            logger.exception("搜索索引更新失败：文稿 %s", article_id)
            failed.append(article_id)
    if failed:
        raise RuntimeError(f"search index not updated for essays {failed}")
