"""Navigation topics for every page.

The list is fetched lazily (admin pages never pay for it) and at most once per
request: a view that needs the same topics (the home page's topic blocks)
calls :func:`navigation_topics` and the header reuses its result.
"""

from django.conf import settings
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


def navigation(request):
    return {
        "site_name": settings.SITE_NAME,
        "nav_topics": SimpleLazyObject(lambda: navigation_topics(request)),
    }
