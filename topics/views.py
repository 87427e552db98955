"""Topic pages of the reading site: the index of columns and one topic's essays."""

from django.db.models import Count, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render

from articles.models import Article
from articles.reading.cards import PublishedCards, cards
from articles.reading.frames import render_framed
from articles.reading.pagination import paginate
from config.pagecache import memoize, public_page, recall, remember
from topics.models import Topic


def published_counts():
    """``{topic id: published essays}``: for a special topic the essays tagged
    with it, for a column those tagged with it or one of its topics (each
    essay once, as the column's page lists them).

    One query over the topic links: direct counts per topic and distinct
    counts per column, in a UNION. The correlated subquery per topic it
    replaces took 4.5 s on the topic index at 100,000 essays (benchmarks/explain.py).
    """
    links = Article.topics.through.objects.filter(article_id__in=Article.objects.published().values("pk")).order_by()
    direct = (
        links.values("topic_id")
        .annotate(kind=Value("topic"), n=Count("article_id"))
        .values_list("kind", "topic_id", "n")
    )
    columns = (
        links.annotate(column=Coalesce("topic__parent_id", "topic_id"))
        .values("column")
        .annotate(kind=Value("column"), n=Count("article_id", distinct=True))
        .values_list("kind", "column", "n")
    )
    counts = {}
    parents = {}
    for kind, topic_id, n in direct.union(columns, all=True):
        (parents if kind == "column" else counts)[topic_id] = n
    counts.update(parents)  # a column's own count includes its topics' essays
    return counts


def _with_counts(topics, counts):
    for topic in topics:
        topic.article_count = counts.get(topic.pk, 0)
    return topics


@public_page
def topic_index(request):
    topics = _with_counts(list(Topic.objects.all()), memoize("topic_counts", published_counts))
    children = {}
    for topic in topics:
        if topic.parent_id is not None:
            children.setdefault(topic.parent_id, []).append(topic)
    columns = [(topic, children.get(topic.pk, [])) for topic in topics if topic.parent_id is None]
    return render(request, "topics/topic_index.html", {"columns": columns})


SLUG_MAX_LENGTH = Topic._meta.get_field("slug").max_length
# What a topic's page shows per request (templates/topics/topic_detail.html); the rest is its frame.
TOPIC_FILLS = ("page_title", "site_meta", "page_list")


def _topic_with_children(slug):
    """``(topic with its parent, [its children])`` or None: kept for the cache generation
    (a topic's change starts a new one) once the topic is found; an unknown slug is not kept."""
    if len(slug) > SLUG_MAX_LENGTH:
        return None  # no such topic can exist: no lookup under a key that long
    entry = ("topic_page", slug)
    found, _ = recall([entry])
    if entry in found:
        return found[entry]
    topic = Topic.objects.select_related("parent").filter(slug=slug).first()
    if topic is None:
        return None
    value = (topic, list(topic.children.all()))
    remember(entry, value)
    return value


@public_page(params=["page"])
def topic_detail(request, slug):
    found = _topic_with_children(slug)
    if found is None:
        raise Http404("没有这个专题。")
    topic, children = found
    # Counts change only with the essays: kept for the cache generation.
    counts = memoize("topic_counts", published_counts)
    children = _with_counts(children, counts)
    essays = PublishedCards(topic_ids=[topic.pk, *(child.pk for child in children)])
    page = paginate(request, essays, count=counts.get(topic.pk, 0))
    page.object_list = cards(page.object_list)
    context = {"topic": topic, "children": children, "page": page}
    return render_framed(request, "topics/topic_detail.html", context, key=("topic", topic.pk), fills=TOPIC_FILLS)
