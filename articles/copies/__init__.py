"""文稿查重: every essay checked against the whole library (the pure core is ``articles.essay.copies``).

Where things are::

    from articles.copies.index import index_article, rebuild
    from articles.copies.check import check_article, check_text

``models`` holds the index (imported by ``articles.models``, so this
package's ``__init__`` imports nothing); ``updates`` keeps the index current
from ``articles.events``' ``essay_changed`` (a task after the commit).
"""
