"""Full-text search of essays, with Chinese word segmentation.

Where things are::

    from articles.search.engine import search, admin_search_results
    results = search("党员教育", topic=topic, year=2024, org="", kind="countermeasures")
    results.count(); results[0:10]      # essays, best first, each with
                                        # .search_title and .search_snippet (safe HTML)
    admin_search_results(queryset, term)  # for ModelAdmin.get_search_results

    from articles.search.indexing import index_article, remove_article, rebuild
    index_article(article)              # rebuild one essay's index rows
    remove_article(article_id)
    rebuild(progress=callback)          # everything (manage.py rebuild_search_index)

The index follows changes of essays through ``articles.events`` (a task after
the commit): ``articles.search.updates`` is the subscriber.

``segmentation`` and ``snippets`` are pure Python (no Django); ``backends``
holds one backend per database vendor; ``models`` the index's tables
(``articles.models`` imports them, so this package's ``__init__`` imports
nothing).
"""
