"""The public reading site: home, essay list and search, essay page, staff preview, errors.

Views stay thin: what a reader may see is ``Article.objects.published()``,
lists go through ``for_cards()``, searches through ``articles.search``, and
each page runs a fixed number of queries however many essays, sections and
topics there are (pinned by the query-count tests in
``articles/tests/test_views.py`` and ``articles/search/tests/test_search.py``).
"""

from django.contrib.auth.views import redirect_to_login
from django.db.models import F, Q, Window
from django.db.models.functions import Coalesce, DenseRank, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from articles.models import Article
from articles.reading import renditions
from articles.reading.cards import card_rows, cards
from articles.reading.essay_page import essay_context
from articles.reading.forms import ArticleFilterForm, sorted_orgs
from articles.reading.pagination import paginate
from articles.search.engine import search
from config.pagecache import memoize, no_page_cache, public_page
from topics.context_processors import navigation_topics
from topics.models import Topic

HOME_PINNED = 3
HOME_LATEST = 8
HOME_PER_TOPIC = 5
HOME_POPULAR = 5
# Matches Article.slug's max_length: a longer slug cannot exist, so no query.
SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length


@public_page
def home(request):
    published = Article.objects.published()
    pinned = list(published.filter(is_pinned=True).for_cards()[:HOME_PINNED])
    latest = cards(card_rows(published.exclude(pk__in=[a.pk for a in pinned]))[:HOME_LATEST])
    return render(
        request,
        "articles/home.html",
        {
            "pinned": pinned,
            "latest": latest,
            # Read only when the blocks' slot is rendered: once per cache generation (templates/articles/home.html).
            "topic_blocks": lambda: _topic_blocks(navigation_topics(request)),
            "popular": lambda: _popular(published),
        },
    )


def _popular(published):
    """热门: the most read essays by their stored counts (views still pending in
    the cache join at the next flush, a few minutes at most)."""
    return list(
        published.filter(view_count__gt=0)
        .order_by("-view_count", "-published_at", "-id")
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
        .annotate(
            rank=Window(
                DenseRank(),
                partition_by=[F("column_id")],
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
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
        topics=memoize(
            "filter_topics", lambda: list(Topic.objects.only("id", "name", "slug", "parent_id", "position"))
        ),
        years=memoize(
            "filter_years",
            lambda: list(
                published.annotate(year=ExtractYear("published_at"))
                .order_by("-year")
                .values_list("year", flat=True)
                .distinct()
            ),
        ),
        orgs=memoize(
            "filter_orgs",
            lambda: sorted_orgs(
                published.exclude(author_org="").order_by("author_org").values_list("author_org", flat=True).distinct()
            ),
        ),
    )
    if form.rejected_input:
        no_page_cache(request)  # values no link carries (reset or refused) are rendered, not stored
    results = None
    if form.query:
        results = search(form.query, **form.search_filters())
        page = paginate(request, results, params=form.link_params())
    else:
        page = paginate(
            request,
            card_rows(form.filter(published)),
            # Only the plain list of every essay shares its count (an invalid
            # form lists nothing and must not store its zero).
            count_key=("list",) if form.is_valid() and not form.is_narrowed else None,
            params=form.link_params(),
        )
        page.object_list = cards(page.object_list, show_pin=True)
    return render(request, "articles/article_list.html", {"form": form, "page": page, "results": results})


@public_page
def subscribe(request):
    """订阅本站: what a feed is and the addresses to give a feed reader (the footer's “RSS 订阅”).

    A page of the site rather than the feed itself: a browser shows the feeds
    only through their XSLT stylesheet, which Chromium now marks with a banner
    of its own as being removed (``articles.reading.feeds``).
    """
    feeds = [
        ("最新文稿", reverse("articles:feed_rss"), reverse("articles:feed_atom")),
        *(
            (topic.name, reverse("topics:feed_rss", args=[topic.slug]), reverse("topics:feed_atom", args=[topic.slug]))
            for topic in navigation_topics(request)
        ),
    ]
    feeds = [(name, request.build_absolute_uri(rss), request.build_absolute_uri(atom)) for name, rss, atom in feeds]
    return render(request, "articles/subscribe.html", {"feeds": feeds})


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
