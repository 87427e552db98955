"""The public reading site: home, essay list and search, essay page, staff preview, errors.

Views stay thin: what a reader may see is ``Article.objects.published()``,
lists go through ``for_cards()``, searches through ``articles.search``, and
each page runs a fixed number of queries however many essays, sections and
topics there are (pinned by the query-count tests in
``articles/tests/test_views.py`` and ``articles/search/tests/test_search.py``).
"""

import hashlib

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Coalesce, DenseRank, ExtractYear
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token

from articles import search
from articles.reading import renditions, seo, viewcounts
from articles.reading.forms import ArticleFilterForm, sorted_orgs
from articles.models import Article
from config.pagecache import memoize, no_page_cache, public_page
from topics.context_processors import navigation_topics
from topics.models import Topic

ARTICLES_PER_PAGE = 10
HOME_PINNED = 3
HOME_LATEST = 8
HOME_PER_TOPIC = 5
HOME_POPULAR = 5
RELATED_LIMIT = 5
# Matches Article.slug's max_length: a longer slug cannot exist, so no query.
SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length


def paginate(request, queryset, count_key=None, count=None, per_page=ARTICLES_PER_PAGE):
    """The requested page; a bad ``?page=`` shows page 1 or the last page, never an error.

    ``page.page_links`` holds the numbers to link, with ``…`` for the gaps.
    With ``count_key``, the number of essays is kept for the cache generation
    (config.pagecache.memoize) instead of counted on every page; ``count``
    gives it when the caller already knows it.
    """
    paginator = Paginator(queryset, per_page)
    if count is None and count_key is not None:
        count = memoize("count", queryset.count, *count_key)
    if count is not None:
        # Paginator.count is a cached_property: set its value.
        paginator.__dict__["count"] = count
    requested = request.GET.get("page")
    page = paginator.get_page(requested)
    if requested is not None and requested != str(page.number):
        # Past the last page: shown as the last one, but not stored under
        # every number anyone can type (config.pagecache).
        no_page_cache(request)
    # The canonical address names the page shown (siteinfo.context_processors).
    request.canonical_page = page.number
    page.page_links = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    page.ellipsis = paginator.ELLIPSIS
    return page


@public_page
def home(request):
    published = Article.objects.published()
    pinned = list(published.filter(is_pinned=True).for_cards()[:HOME_PINNED])
    latest = list(published.exclude(pk__in=[a.pk for a in pinned]).for_cards()[:HOME_LATEST])
    columns = navigation_topics(request)
    return render(request, "articles/home.html", {
        "pinned": pinned,
        "latest": latest,
        "topic_blocks": memoize("topic_blocks", lambda: _topic_blocks(columns)),
        "popular": memoize("popular", lambda: _popular(published)),
    })


def _popular(published):
    """热门: the most read essays by their stored counts (views still pending in
    the cache join at the next flush, a few minutes at most)."""
    return list(
        published.filter(view_count__gt=0).order_by("-view_count", "-published_at", "-id")
        .only("id", "title", "slug", "published_at", "view_count")[:HOME_POPULAR]
    )


def _topic_blocks(columns):
    """``[(column, [latest essays of the column and its children])]`` in one query.

    Each (essay, topic) row is ranked within the column it belongs to. The
    rank is dense over (published_at, id), which is unique per essay, so an
    essay tagged with a column and with one of its children gets the same
    rank twice instead of taking two places; the copy is dropped here.
    """
    if not columns:
        return []
    ids = [column.pk for column in columns]
    rows = (
        Article.objects.published()
        .filter(Q(topics__in=ids) | Q(topics__parent__in=ids))
        .annotate(column_id=Coalesce("topics__parent_id", "topics__id"))
        .annotate(rank=Window(
            DenseRank(),
            partition_by=[F("column_id")],
            order_by=[F("published_at").desc(), F("id").desc()],
        ))
        .filter(rank__lte=HOME_PER_TOPIC)
        .for_cards()
    )
    by_column = {pk: {} for pk in ids}
    for article in rows:
        by_column[article.column_id].setdefault(article.pk, article)
    blocks = []
    for column in columns:
        essays = sorted(by_column[column.pk].values(), key=lambda a: a.rank)
        if essays:
            blocks.append((column, essays))
    return blocks


@public_page(params=["q", "topic", "year", "org", "kind", "page"])
def article_list(request):
    """All essays, newest first; with ``q``, the essays matching it, best first, with snippets."""
    published = Article.objects.published()
    # The choices change only with the essays: kept for the cache generation.
    form = ArticleFilterForm(
        request.GET,
        topics=memoize("filter_topics", lambda: list(Topic.objects.only("id", "name", "slug", "parent_id", "position"))),
        years=memoize("filter_years", lambda: list(
            published.annotate(year=ExtractYear("published_at"))
            .order_by("-year").values_list("year", flat=True).distinct()
        )),
        orgs=memoize("filter_orgs", lambda: sorted_orgs(
            published.exclude(author_org="")
            .order_by("author_org").values_list("author_org", flat=True).distinct()
        )),
    )
    if form.has_input and not form.is_valid():
        no_page_cache(request)  # values no link carries are rendered, not stored
    results = None
    if form.query:
        results = search.search(form.query, **form.search_filters())
        page = paginate(request, results)
    else:
        page = paginate(
            request, form.filter(published).for_cards(),
            # Only the plain list of every essay shares its count (an invalid
            # form lists nothing and must not store its zero).
            count_key=("list",) if form.is_valid() and not form.is_narrowed else None,
        )
    return render(request, "articles/article_list.html", {"form": form, "page": page, "results": results})


@public_page
def article_detail(request, slug):
    if len(slug) > SLUG_MAX_LENGTH:
        raise Http404("没有这篇文稿。")
    # Served from the essay's stored page, its open parts filled in (articles/renditions.py).
    return renditions.essay_page(request, slug)


@cache_control(private=True, no_store=True)
def article_preview(request, pk):
    """Any essay, draft or scheduled, as readers will see it: for staff who
    may view essays in the admin (a staff member without that right sees 404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (request.user.is_staff and request.user.has_perm("articles.view_article")):
        raise Http404("没有这篇文稿。")
    article = get_object_or_404(Article.objects.prefetch_related("sections", "topics"), pk=pk)
    context = essay_context(article, request)
    context["preview"] = True
    return render(request, "articles/article_detail.html", context)


def body_version(article):
    """A hash of everything the essay's cached body fragment shows: its sections,
    conclusion and author unit. An edit anywhere gives a new fragment."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (article.conclusion, article.author_org):
        digest.update(part.encode() + b"\x00")
    for section in article.sections.all():
        for part in (section.pk, section.position, section.level, section.number, section.heading, section.kind, section.body):
            digest.update(str(part).encode() + b"\x00")
    return digest.hexdigest()


def essay_context(article, request):
    topics = list(article.topics.all())
    return {
        "article": article,
        "body_version": body_version(article),
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
        "view_count": viewcounts.displayed_count(article),
        "description": seo.description(article),
        "json_ld": seo.json_ld(article, request, topics),
        "share_url": request.build_absolute_uri(article.get_absolute_url()),
        "cover_url": request.build_absolute_uri(article.cover_banner.url) if article.cover_banner else "",
        "outline": article.outline(),
        "topics": topics,
        # Kept for the cache generation: the neighbours and related essays
        # change only when some essay does.
        "previous_article": memoize("previous", lambda: _neighbour(article, older=True), article.pk),
        "next_article": memoize("next", lambda: _neighbour(article, older=False), article.pk),
        "related": memoize("related", lambda: _related(article, topics), article.pk),
    }


def _neighbour(article, *, older):
    """The published essay just before (older) or after (newer) ``article``.

    An index walk from the essay's place in the reading order
    (``article_public_order_idx``): the range condition on ``published_at``
    lets the database start there, the tie-break on ``id`` is a filter.
    """
    if article.published_at is None:
        return None
    when, pk = article.published_at, article.pk
    if older:
        match = Q(published_at__lte=when) & (Q(published_at__lt=when) | Q(pk__lt=pk))
        order = ("-published_at", "-id")
    else:
        match = Q(published_at__gte=when) & (Q(published_at__gt=when) | Q(pk__gt=pk))
        order = ("published_at", "id")
    return (
        Article.objects.published().filter(match).order_by(*order)
        .only("id", "title", "slug", "published_at").first()
    )


def _related(article, topics):
    """Up to five published essays sharing the most topics with ``article``, newest first among equals.

    Three small queries rather than one count over every essay of those
    topics (0.2 s at 100,000 essays): the essays sharing two topics or more,
    from the topic links alone, and which of them are published; then the
    newest essays sharing any, an index walk down the reading order, to fill
    the list.
    """
    if not topics:
        return []
    ids = [topic.pk for topic in topics]
    fields = ("id", "title", "slug", "published_at")
    published = Article.objects.published().exclude(pk=article.pk)
    links = Article.topics.through.objects.filter(topic_id__in=ids).order_by()
    # Read from the links alone (an index-only scan of (topic_id, article_id)),
    # then looked up by id: joined in one query, PostgreSQL misjudged the
    # number of candidates and scanned every essay.
    shared = dict(
        links.values("article_id").annotate(n=Count("topic_id")).filter(n__gt=1).values_list("article_id", "n")
    )
    chosen = sorted(
        published.filter(pk__in=list(shared)).only(*fields),
        key=lambda essay: (-shared[essay.pk], -essay.published_at.timestamp(), -essay.pk),
    )[:RELATED_LIMIT]
    newest = published.filter(pk__in=links.values("article_id")).order_by("-published_at", "-id").only(*fields)
    seen = {essay.pk for essay in chosen}
    for essay in newest[:RELATED_LIMIT * 2]:
        if len(chosen) >= RELATED_LIMIT:
            break
        if essay.pk not in seen:
            chosen.append(essay)
    return chosen


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """A standalone page: no database, no context processors, nothing that can fail again."""
    return HttpResponseServerError(loader.get_template("500.html").render())
