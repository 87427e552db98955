"""Navigation topics for every page.

The list is fetched lazily (admin pages never pay for it) and at most once per
request: a view that needs the same topics (the home page's topic blocks)
calls :func:`navigation_topics` and the header reuses its result.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

_CACHE_ATTRIBUTE = "_navigation_topics"


def navigation_topics(request):
    """Top-level topics shown in the navigation, as a list (one query per request)."""
    topics = getattr(request, _CACHE_ATTRIBUTE, None)
    if topics is None:
        from config.pagecache import memoize
        from topics.models import Topic

        topics = memoize(
            "nav_topics", lambda: list(Topic.objects.in_navigation().only("id", "name", "slug", "position"))
        )
        setattr(request, _CACHE_ATTRIBUTE, topics)
    return topics


def navigation_current(request):
    """The path of the navigation item this page is (``aria-current``), or ``""``: the only
    thing of the request the header shows, so it is rendered once per item (``{% slot … per %}``)."""
    from django.urls import reverse

    path = request.path
    items = {reverse(name) for name in NAVIGATION_PAGES}
    items.update(topic.get_absolute_url() for topic in navigation_topics(request))
    return path if path in items else ""


# The pages the header links to besides the topics (templates/includes/header.html).
NAVIGATION_PAGES = ("articles:home", "articles:list", "library:problems", "library:countermeasures", "topics:index")


def navigation(request):
    return {
        "site_name": settings.SITE_NAME,
        "nav_topics": SimpleLazyObject(lambda: navigation_topics(request)),
        "nav_current": SimpleLazyObject(lambda: navigation_current(request)),
        "site_year": SimpleLazyObject(lambda: timezone.localdate().year),
    }
