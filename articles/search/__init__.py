"""Full-text search of essays, with Chinese word segmentation.

The interface (the rest of the package is how it works)::

    from articles.search import search, index_article, remove_article

    results = search("党员教育", topic=topic, year=2024, org="", kind="countermeasures")
    results.count(); results[0:10]      # essays, best first, each with
                                        # .search_title and .search_snippet (safe HTML)
    index_article(article)              # rebuild one essay's index rows
    remove_article(article_id)
    rebuild(progress=callback)          # everything (manage.py rebuild_search_index)
    admin_search_results(queryset, term)  # for ModelAdmin.get_search_results

The index follows changes of essays through ``articles.events`` (a task after
the commit): ``articles.search.updates`` is the subscriber.

``segmentation`` and ``snippets`` are pure Python (no Django); ``backends``
holds one backend per database vendor; ``models`` the index's tables.

Names are resolved lazily (PEP 562): ``articles.models`` imports
``articles.search.models`` while the app registry is still loading, so this
package must not import models when it is first imported.
"""

_API = {
    "search": "articles.search.engine",
    "SearchResults": "articles.search.engine",
    "admin_search_results": "articles.search.engine",
    "index_article": "articles.search.indexing",
    "remove_article": "articles.search.indexing",
    "rebuild": "articles.search.indexing",
    "parse_query": "articles.search.segmentation",
}

__all__ = sorted(_API)


def __getattr__(name):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'articles.search' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)


def __dir__():
    return sorted(list(globals()) + __all__)
