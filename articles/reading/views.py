"""The public reading site: home, essay list and search, essay page, staff preview, errors.

Views stay thin: what a reader may see is ``Article.objects.published()``,
lists are stored cards (``articles.reading.cards``) in a frame rendered once
per cache generation (``articles.reading.frames``), searches go through ``articles.search``, and
each page runs a fixed number of queries however many essays, sections and
topics there are (pinned by the query-count tests in
``articles/tests/test_views.py`` and ``articles/search/tests/test_search.py``).
"""

import hashlib

from django.contrib.auth.views import redirect_to_login
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import cache_control

from articles.models import Article
from articles.reading import renditions
from articles.reading.cards import PublishedCards, card_rows, cards, newest_in_families
from articles.reading.essay_page import essay_context
from articles.reading.forms import ArticleFilterForm, sorted_orgs
from articles.reading.frames import render_framed
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
    pinned = PublishedCards(pinned=True)[:HOME_PINNED]
    latest = PublishedCards(exclude=[pk for pk, *_ in pinned])[:HOME_LATEST]
    return render_framed(
        request,
        "articles/home.html",
        {
            "pinned": cards(pinned, feature_first=True),
            "latest": cards(latest),
            # Read only when the frame is rendered: once per cache generation.
            "topic_blocks": lambda: _topic_blocks(navigation_topics(request)),
            "popular": lambda: _popular(Article.objects.published()),
        },
        key=("home",),
        fills=HOME_FILLS,
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
    """``[(column, [latest essays of the column and its children])]`` in two queries.

    An essay tagged with a column and with one of its special topics is
    listed once. Each column's essays are a short walk of the published
    essays' index (``newest_in_families``): ranking every (essay, topic) row of
    the site with a window function took 100–230 ms at 10,000 essays, once per
    cache generation, on the request that renders the home page's frame.
    """
    if not columns:
        return []
    newest = newest_in_families([column.pk for column in columns], HOME_PER_TOPIC)
    essays = (
        Article.objects.published()
        .only("id", "slug", "title", "published_at")
        .in_bulk([pk for pks in newest.values() for pk in pks])
    )
    blocks = []
    for column in columns:
        listed = [essays[pk] for pk in newest[column.pk] if pk in essays]
        if listed:
            blocks.append((column, listed))
    return blocks


LIST_TEMPLATE = "articles/article_list.html"
# What a list page shows per request (templates/articles/article_list.html); the rest is its frame (articles.reading.frames).
LIST_FILLS = ("page_title", "page_robots", "site_meta", "page_list")
HOME_FILLS = ("home_pinned", "home_latest", "site_meta")
LIST_FILTERS = ("q", "topic", "year", "org", "kind")


@public_page(params=[*LIST_FILTERS, "page"])
def article_list(request):
    """All essays, newest first; with ``q``, the essays matching it, best first, with snippets.

    The list of every essay (the address without filters, any page) needs no
    form of its own: only its frame shows the form, and the frame is rendered
    once per cache generation.
    """
    if not any(name in request.GET for name in LIST_FILTERS):
        page = paginate(request, PublishedCards(), count_key=("list",))
        page.object_list = cards(page.object_list, show_pin=True)
        context = {"form": SimpleLazyObject(lambda: _filter_form(request)), "page": page, "results": None}
        return render_framed(request, LIST_TEMPLATE, context, key=("list",), fills=LIST_FILLS)
    form = _filter_form(request)
    if form.rejected_input:
        no_page_cache(request)  # values no link carries (reset or refused) are rendered, not stored
    if form.query:
        results = search(form.query, **form.search_filters())
        page = paginate(request, results, params=form.link_params())
        return render(request, LIST_TEMPLATE, {"form": form, "page": page, "results": results})
    params = form.link_params()
    page = paginate(request, card_rows(form.filter(Article.objects.published())), params=params)
    page.object_list = cards(page.object_list, show_pin=True)
    context = {"form": form, "page": page, "results": None}
    if not form.is_valid() or form.rejected_input:
        return render(request, LIST_TEMPLATE, context)
    # A filtered list's frame holds the form as these choices fill it.
    key = hashlib.blake2b(params.urlencode().encode(), digest_size=16).hexdigest()
    return render_framed(request, LIST_TEMPLATE, context, key=("list", key), fills=LIST_FILLS, variant_of="list")


def _filter_form(request):
    """The reader's filter form for the request, its choices kept for the cache generation."""
    published = Article.objects.published()
    return ArticleFilterForm(
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
