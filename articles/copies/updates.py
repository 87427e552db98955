"""Keeping the copy index current: a subscriber of ``articles.events`` (``ArticlesConfig.ready``).

Runs in the task worker after the change commits; re-reads each essay, so a
task run twice writes the same rows. A failing essay does not keep the others
from being indexed.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def essays_changed(sender, essay_ids, **kwargs):
    from articles.copies.index import index_article

    failed = []
    for article_id in sorted(essay_ids):
        try:
            index_article(article_id)
        except Exception:
            logger.exception("查重索引更新失败：文稿 %s", article_id)
            failed.append(article_id)
    if failed:
        raise RuntimeError(f"copy index not updated for essays {failed}")
