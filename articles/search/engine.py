"""Searching: a reader's words in, ranked essays with highlighted snippets out.

Views and the admin call :func:`search` and :func:`admin_search_results`;
neither knows which database runs (see :mod:`articles.search.backends`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import connections
from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article, Section
from articles.reading.rendered import rendered
from articles.search import snippets
from articles.search.backends import POOL_SIZE, Conditions, Ranked, get_backend
from articles.search.indexing import title_prefix
from articles.search.segmentation import MAX_QUERY_LENGTH, ParsedQuery, display_breaks, parse_query
from topics.models import Topic

# Messages for readers (Chinese, full-width punctuation).
MESSAGE_EMPTY = "请输入要搜索的词语。"
MESSAGE_NOTHING_SEARCHABLE = "搜索词中没有可以查找的汉字、字母或数字，请换个说法再试。"
MESSAGE_TRUNCATED = f"搜索词较长，只按前 {MAX_QUERY_LENGTH} 个字中的前若干个词查找。"

# What a result shows of its essay (templates/includes/search_result.html).
RESULT_FIELDS = ("id", "title", "subtitle", "slug", "published_at", "author_org")
# Characters of an essay's text fetched for its snippet: from a little before
# the first place of the longest word to highlight (the text's beginning when
# that is near), enough for the snippet to pick the best place near it.
SNIPPET_WINDOW = 1500
# Where a document's text starts after its title lines (indexing.title_prefix), in SQL on the essay's row.
_BODY_START = (
    "(length(articles_article.title) + 2"
    " + CASE WHEN articles_article.subtitle = '' THEN 0 ELSE length(articles_article.subtitle) + 1 END)"
)


class SearchResults:
    """Ranked essays for one query: a sequence a Paginator can page through.

    The ranking runs once, on the first ``count()`` or slice; each slice then
    fetches just its essays (one query, plus one for their topics).
    """

    def __init__(self, query, parsed, *, backend=None, conditions=None, published_only=True, message=""):
        self.query = query
        self.parsed = parsed
        self.published_only = published_only
        self.message = message
        self.kind = conditions.kind if conditions else ""
        self._backend = backend
        self._conditions = conditions
        self._ranked = None

    # -- the ranking, run once

    def _run(self):
        if self._ranked is None:
            if self.parsed and self._backend is not None:
                self._ranked = self._backend.ranked(self.parsed, self._conditions)
            else:
                self._ranked = Ranked([], more=False)
        return self._ranked.hits, self._ranked.more

    @property
    def ids(self):
        return [article_id for article_id, _ in self._run()[0]]

    @property
    def more(self):
        """True when more essays match than are listed (:data:`POOL_SIZE` at most)."""
        return self._run()[1]

    @property
    def total(self):
        """How many essays match: exact, or the database's estimate when :attr:`estimated`."""
        self._run()
        if self._ranked.estimated:
            return _round(self._ranked.total)
        return self._ranked.total

    @property
    def total_display(self):
        """:attr:`total` with thousands separators (99,000)."""
        return f"{self.total:,}"

    @property
    def estimated(self):
        self._run()
        return self._ranked.estimated

    pool_size = POOL_SIZE

    def count(self):
        return len(self._run()[0])

    def __len__(self):
        return self.count()

    def __bool__(self):
        return self.count() > 0

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._hits(self.ids[index])
        hits = self._hits([self.ids[index]])
        if not hits:
            raise IndexError(index)
        return hits[0]

    # -- one page of essays

    def _hits(self, ids):
        """The essays ``ids`` in that order, each with ``search_title`` and ``search_snippet`` (safe HTML).

        One query for the essays (just the columns a result shows) with, from
        the index, a window of :data:`SNIPPET_WINDOW` characters of their
        text around the first place of the longest word to highlight, plus one for
        their topics: the snippets are cut from the windows, never from whole
        essays.
        """
        if not ids:
            return []
        articles = Article.objects.published() if self.published_only else Article.objects.all()
        articles = (
            articles.filter(pk__in=ids)
            .only(*RESULT_FIELDS)
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("id", "name", "slug")))
        )
        terms = self.parsed.highlight_terms
        table = "articles_searchpassage" if self.kind else "articles_searchdocument"
        # A document's text starts with the title lines (indexing.title_prefix), left out of snippets.
        skip = "1" if self.kind else _BODY_START
        window, params = get_backend(articles.db).window_sql("s.text", terms[0] if terms else "", SNIPPET_WINDOW, skip)
        where, where_params = "s.article_id = articles_article.id", []
        if self.kind:
            where, where_params = where + " AND s.kind = %s", [self.kind]
        articles = articles.annotate(
            search_text=RawSQL(f"SELECT {window} FROM {table} s WHERE {where}", [*params, *where_params]),
        )
        by_id = {article.pk: article for article in articles}
        hits = []
        for article_id in ids:
            article = by_id.get(article_id)
            if article is None:  # unpublished since it was indexed
                continue
            text = article.search_text or ""
            prefix = title_prefix(article.title, article.subtitle)
            if not self.kind and text.startswith(prefix):
                text = text[len(prefix) :]
            title_key = ("search_title", article.title, tuple(terms))
            article.search_title = mark_safe(
                rendered(title_key, lambda a=article: snippets.highlight(a.title, terms, breaks=display_breaks))
            )
            article.search_snippet = mark_safe(snippets.snippet(text, terms))
            hits.append(article)
        return hits


def search(query, *, published_only=True, topic=None, year=None, org="", kind="") -> SearchResults:
    """Essays matching ``query``, best first, as :class:`SearchResults`.

    ``published_only`` (the default, and the only choice for readers) keeps
    to ``Article.objects.published()``. ``topic`` (a Topic: it and its
    special topics), ``year`` (of the publish time, local time zone),
    ``org`` (author unit) and ``kind`` (a ``Section.Kind``: the words must be
    in sections of that kind) narrow the search. Never raises on what a
    reader typed; a query with nothing to search gives empty results with a
    Chinese ``message``.
    """
    query = query if isinstance(query, str) else ""
    if not query.strip():
        return SearchResults(query, ParsedQuery(()), message=MESSAGE_EMPTY, published_only=published_only)
    parsed = parse_query(query)
    if not parsed:
        return SearchResults(query, parsed, message=MESSAGE_NOTHING_SEARCHABLE, published_only=published_only)
    backend = get_backend()
    # Datetimes go into raw SQL as the database stores them (SQLite: UTC text).
    moment = connections[backend.alias].ops.adapt_datetimefield_value
    conditions = Conditions(kind=kind if kind in Section.Kind.values else "")
    if published_only:
        # Article.objects.published(), on the document's copy of the state;
        # the page is fetched through published() itself as well.
        conditions.where.append(
            (
                "d.status = %s AND d.published_at <= %s",
                [
                    Article.Status.PUBLISHED,
                    moment(timezone.now()),
                ],
            )
        )
    if topic is not None:
        conditions.where.append(_in_subquery(Article.objects.in_topic(topic)))
    if year:
        start, end = _year_bounds(int(year))
        conditions.where.append(("d.published_at >= %s AND d.published_at < %s", [moment(start), moment(end)]))
    if org:
        conditions.where.append(_in_subquery(Article.objects.filter(author_org=org)))
    return SearchResults(
        query,
        parsed,
        backend=backend,
        conditions=conditions,
        published_only=published_only,
        message=MESSAGE_TRUNCATED if parsed.truncated else "",
    )


def admin_search_results(queryset, search_term):
    """For ``ModelAdmin.get_search_results``: ``(queryset narrowed to matches, may_have_duplicates)``.

    Drafts included (the admin's own queryset decides what is listed); the
    changelist keeps its own ordering. A term with nothing searchable in it
    matches nothing.
    """
    if not search_term or not search_term.strip():
        return queryset, False
    parsed = parse_query(search_term)
    if not parsed:
        return queryset.none(), False
    sql, params = get_backend(queryset.db).matching_sql(parsed)
    return queryset.filter(pk__in=RawSQL(sql, params)), False


def _round(number):
    """Two significant figures: an estimate should not look exact (98,731 → 99,000)."""
    if number < 100:
        return number
    digits = len(str(int(number))) - 2
    return int(round(number, -digits))


def _in_subquery(queryset):
    sql, params = queryset.values("pk").query.sql_with_params()
    return f"d.article_id IN ({sql})", list(params)


def _year_bounds(year):
    """The first instants of ``year`` and of the next, in the site's time zone (empty if out of range)."""
    zone = timezone.get_current_timezone()
    if not 1 <= year < 9999:
        start = datetime(2000, 1, 1, tzinfo=zone)
        return start, start
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
