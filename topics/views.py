"""Topic pages of the reading site: the index of columns and one topic's essays."""

from django.db.models import Func, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render

from articles.models import Article
from articles.views import paginate
from config.pagecache import memoize, public_page
from topics.models import Topic


def _published_count():
    """Published essays tagged with the outer topic or one of its children.

    A correlated subquery counting distinct essays, so a column's number
    matches what its page lists, even when an essay carries both the column
    and one of its special topics.
    """
    tagged = (
        Article.objects.published()
        .filter(Q(topics=OuterRef("pk")) | Q(topics__parent=OuterRef("pk")))
        .order_by()
        .annotate(n=Func("id", function="COUNT", template="%(function)s(DISTINCT %(expressions)s)"))
        .values("n")
    )
    return Subquery(tagged)


@public_page
def topic_index(request):
    topics = memoize("topic_index", lambda: list(Topic.objects.annotate(article_count=_published_count())))
    children = {}
    for topic in topics:
        if topic.parent_id is not None:
            children.setdefault(topic.parent_id, []).append(topic)
    columns = [
        (topic, children.get(topic.pk, [])) for topic in topics if topic.parent_id is None
    ]
    return render(request, "topics/topic_index.html", {"columns": columns})


@public_page(params=["page"])
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    # Counts change only with the essays: kept for the cache generation.
    children = memoize(
        "topic_children", lambda: list(topic.children.annotate(article_count=_published_count())), topic.pk
    )
    page = paginate(request, Article.objects.published().in_topic(topic).for_cards(), count_key=("topic", topic.pk))
    return render(request, "topics/topic_detail.html", {
        "topic": topic,
        "children": children,
        "page": page,
    })
