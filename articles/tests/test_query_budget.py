"""Query budget of every public page: a fixed number of queries whatever the
amount of data, pinned with a small and a large site; and none at all for a
page served from the page cache.

Home, list, search, essay and topic pages are pinned in test_views.py,
topics/tests/test_views.py and search/tests/test_search.py; this module pins
the rest (feeds, sitemap, robots.txt, the beacon) and the cached path of all of them.
"""

import pytest

from articles.search.indexing import rebuild as index_everything
from articles.tests.test_views import PAGE_GENERATION, SITE_SETTINGS, build_site

pytestmark = pytest.mark.django_db

FEED_QUERIES = 2 + PAGE_GENERATION  # essays; their topics (no site settings in a feed)
TOPIC_FEED_QUERIES = 3 + PAGE_GENERATION  # topic; essays; their topics
SITEMAP_QUERIES = 5 + PAGE_GENERATION  # latest change (fixed pages); count + page of essays; count + page of topics
ROBOTS_QUERIES = 0 + PAGE_GENERATION
BEACON_QUERIES = 1  # is the essay published? (counted in the cache)


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("path", ["/feed/rss/", "/feed/atom/"])
def test_feeds(client, django_assert_num_queries, size, path):
    build_site(size)
    with django_assert_num_queries(FEED_QUERIES):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_topic_feed(client, django_assert_num_queries, size):
    reading = build_site(size)
    topic = reading.topics.filter(parent__isnull=True).get()
    with django_assert_num_queries(TOPIC_FEED_QUERIES):
        assert client.get(f"/topics/{topic.slug}/feed/rss/").status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_sitemap(client, django_assert_num_queries, size):
    build_site(size)
    with django_assert_num_queries(SITEMAP_QUERIES):
        assert client.get("/sitemap.xml").status_code == 200


def test_robots(client, django_assert_num_queries):
    with django_assert_num_queries(ROBOTS_QUERIES):
        assert client.get("/robots.txt").status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_beacon(client, django_assert_num_queries, size):
    reading = build_site(size)
    with django_assert_num_queries(BEACON_QUERIES):
        assert client.post(f"/articles/{reading.pk}/view/").status_code == 204


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_cached_page_costs_no_query(client, django_assert_num_queries, size):
    reading = build_site(size)
    topic = reading.topics.filter(parent__isnull=True).get()
    index_everything()
    paths = [
        "/",
        "/articles/",
        "/articles/?q=文稿",
        reading.get_absolute_url(),
        "/topics/",
        topic.get_absolute_url(),
        "/feed/rss/",
        "/sitemap.xml",
        "/robots.txt",
    ]
    if size == "large":  # a page past the last (the small site has one) is rendered, never stored
        paths.append("/articles/?page=2")
    for path in paths:
        client.get(path)
    for path in paths:
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response.status_code == 200, path
        assert response["X-Page-Cache"] == "hit", path


def test_site_settings_are_read_once(client, django_assert_num_queries):
    """The footer's site settings come from the cache after the first page."""
    build_site("small")
    client.get("/")
    assert SITE_SETTINGS == 1
