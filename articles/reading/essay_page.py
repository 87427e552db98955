"""What an essay page shows besides the essay: its context, its neighbours in the
reading order and related essays. Used by the stored renditions and the staff preview."""

from django.db.models import Count, Q

from articles.models import Article
from articles.reading import seo, viewcounts

RELATED_LIMIT = 5


def essay_context(article, request):
    topics = list(article.topics.all())
    return {
        "article": article,
        "view_count": viewcounts.displayed_count(article),
        "description": seo.description(article),
        "json_ld": seo.json_ld(article, request, topics),
        "share_url": request.build_absolute_uri(article.get_absolute_url()),
        "cover_url": request.build_absolute_uri(article.cover_banner.url) if article.cover_banner else "",
        "outline": article.outline(),
        "topics": topics,
        # Not memoized: they are rendered into the page's "neighbours" slot,
        # which articles.reading.renditions keeps for the cache generation.
        "previous_article": _neighbour(article, older=True),
        "next_article": _neighbour(article, older=False),
        "related": _related(article, topics),
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
        Article.objects.published().filter(match).order_by(*order).only("id", "title", "slug", "published_at").first()
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
    for essay in newest[: RELATED_LIMIT * 2]:
        if len(chosen) >= RELATED_LIMIT:
            break
        if essay.pk not in seen:
            chosen.append(essay)
    return chosen
