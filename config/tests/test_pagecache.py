"""The anonymous page cache (config/pagecache.py): hits, invalidation, editors,
previews, conditional GET, hostile parameters and a cache that is down."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from articles.tests.factories import make_article, make_scheduled, make_section, make_topic
from config import pagecache
from siteinfo.models import SiteSettings

pytestmark = pytest.mark.django_db


def page_keys():
    return [key for key in cache._cache if ":pagecache:page:" in key]


def test_a_second_anonymous_visit_is_served_from_the_cache(client, django_assert_num_queries):
    article = make_article(sections=2)
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The headers the middleware stack added when the page was rendered come along.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "Referrer-Policy"):
        assert second[header] == first[header]
    assert second["Cache-Control"] == "public, max-age=10"
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("url_name", ["home", "list", "topic_index", "feed", "sitemap", "robots"])
def test_every_public_page_is_cached(client, url_name):
    topic = make_topic("理论学习")
    make_article(topics=[topic])
    url = {
        "home": "/", "list": "/articles/", "topic_index": "/topics/", "feed": "/feed/rss/",
        "sitemap": "/sitemap.xml", "robots": "/robots.txt",
    }[url_name]
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_edited_essay_shows_at_once(client):
    article = make_article(title="旧标题")
    client.get(article.get_absolute_url())
    client.get("/")
    article.title = "新标题"
    article.save()
    for url in (article.get_absolute_url(), "/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "新标题" in response.content.decode()


def test_an_edited_section_shows_at_once(client):
    article = make_article()
    section = make_section(article, "旧小标题")
    assert "旧小标题" in client.get(article.get_absolute_url()).content.decode()
    section.heading = "新小标题"
    section.save()
    assert "新小标题" in client.get(article.get_absolute_url()).content.decode()


def test_a_deleted_section_disappears_at_once(client):
    article = make_article()
    section = make_section(article, "要删除的小标题")
    assert "要删除的小标题" in client.get(article.get_absolute_url()).content.decode()
    section.delete()
    assert "要删除的小标题" not in client.get(article.get_absolute_url()).content.decode()


def test_topic_changes_show_at_once(client):
    topic = make_topic("旧专题名")
    article = make_article(topics=[topic])
    assert "旧专题名" in client.get("/").content.decode()
    topic.name = "新专题名"
    topic.save()
    assert "新专题名" in client.get("/").content.decode()
    # Tagging an essay (a many-to-many change) too.
    other = make_topic("另一个专题")
    client.get(article.get_absolute_url())
    article.topics.add(other)
    assert "另一个专题" in client.get(article.get_absolute_url()).content.decode()


def test_site_settings_changes_show_at_once(client):
    client.get("/")
    SiteSettings.objects.create(organizer="中共某某县委组织部")
    assert "中共某某县委组织部" in client.get("/").content.decode()


def test_a_scheduled_essay_appears_on_the_cached_home_page_at_its_time(client):
    scheduled = make_scheduled("定时发布的文稿", publish_in=timedelta(minutes=30))
    make_article("早已发布的文稿")
    assert "定时发布的文稿" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(scheduled.published_at + timedelta(seconds=1), tick=False):
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert "定时发布的文稿" in response.content.decode()
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_signed_in_editors_never_get_or_fill_the_cache(client, admin_client):
    article = make_article(title="原来的标题")
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    response = admin_client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    # A change that bypassed the signals (a raw UPDATE) is seen by the editor at once.
    type(article).objects.filter(pk=article.pk).update(title="直接改过的标题")
    assert "直接改过的标题" in admin_client.get(article.get_absolute_url()).content.decode()


def test_previews_and_the_admin_are_never_cached(admin_client):
    article = make_scheduled()
    for url in (article.get_preview_url(), "/admin/", "/admin/articles/article/"):
        response = admin_client.get(url)
        assert "X-Page-Cache" not in response
    assert page_keys() == []


def test_an_anonymous_preview_is_not_cached(client):
    article = make_scheduled()
    response = client.get(article.get_preview_url())
    assert response.status_code == 302
    assert "X-Page-Cache" not in response
    assert page_keys() == []


def test_errors_are_not_cached(client):
    assert client.get("/articles/no-such-essay/").status_code == 404
    assert page_keys() == []


def test_if_none_match_answers_304(client):
    article = make_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    # On the first (missed) request too.
    cache.clear()
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A changed page has a new tag.
    article.title = "改过的标题"
    article.save()
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_if_modified_since_answers_304(client):
    article = make_article()
    last_modified = client.get(article.get_absolute_url())["Last-Modified"]
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_head_is_served_without_a_body(client):
    client.get("/")
    response = client.head("/")
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""
    assert int(response["Content-Length"]) > 1000


def test_unknown_and_hostile_parameters_do_not_make_new_entries(client):
    make_article()
    client.get("/")
    client.get("/articles/")
    before = len(page_keys())
    for n in range(20):
        assert client.get("/", {"utm_source": n, "x": "y" * n})["X-Page-Cache"] == "hit"
        assert client.get("/articles/", {"fbclid": n})["X-Page-Cache"] == "hit"
    # Pages the paginator shows as the first one share its entry.
    for page in ("1", "abc", "", "1.5"):
        assert client.get("/articles/", {"page": page})["X-Page-Cache"] == "hit"
    # Values no link carries are rendered, not stored.
    assert "X-Page-Cache" not in client.get("/articles/", {"q": "党" * 500})
    assert len(page_keys()) == before


def test_declared_parameters_do_vary_the_page(client):
    for n in range(15):
        make_article()
    first = client.get("/articles/")
    second = client.get("/articles/", {"page": "2"})
    assert second["X-Page-Cache"] == "miss"
    assert first.content != second.content
    assert client.get("/articles/", {"page": "2"})["X-Page-Cache"] == "hit"


def test_responses_that_set_cookies_are_not_stored():
    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("tracking", "1")
        return response

    response = pagecache.PageCacheMiddleware(view)(RequestFactory().get("/"))
    assert "X-Page-Cache" not in response
    assert page_keys() == []


def test_memoize_keeps_a_value_for_the_generation():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert pagecache.memoize("test", compute, 1) == 1
    assert pagecache.memoize("test", compute, 1) == 1
    pagecache.invalidate()
    assert pagecache.memoize("test", compute, 1) == 2


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_page_cache_can_be_switched_off(client):
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


class BrokenCache:
    """A cache whose every call fails, as a Redis without the resilient client would."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache is down")
        return fail


def test_a_broken_cache_still_serves_every_page(client):
    topic = make_topic("理论学习")
    article = make_article(topics=[topic], sections=2)
    with mock.patch("config.pagecache._cache", return_value=BrokenCache()):
        for url in ("/", "/articles/", "/articles/?q=党建", article.get_absolute_url(), "/topics/",
                    topic.get_absolute_url(), "/feed/rss/", "/sitemap.xml"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response


# ---------------------------------------------------------------- Redis


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379 (.ci/run starts one)")


def _redis_caches(url):
    from config.cache import caches_from

    config = caches_from(url, key_prefix="portal-test")
    return config


def test_pages_are_cached_in_redis(client):
    _redis_or_skip()
    with override_settings(CACHES=_redis_caches("redis://127.0.0.1:6379/15")):
        caches["default"].clear()
        article = make_article()
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
        article.title = "改过的标题"
        article.save()
        response = client.get(article.get_absolute_url())
        assert response["X-Page-Cache"] == "miss"
        assert "改过的标题" in response.content.decode()
        caches["default"].clear()


def test_a_redis_that_is_down_never_makes_an_error_page(client):
    # Nothing listens on port 1: every Redis call fails at once.
    with override_settings(CACHES=_redis_caches("redis://127.0.0.1:1/0")):
        topic = make_topic("理论学习")
        article = make_article(topics=[topic], sections=2)
        for url in ("/", "/articles/", article.get_absolute_url(), "/topics/", topic.get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 200, url
        # The view-count beacon too.
        assert client.post(f"/articles/{article.pk}/view/").status_code in (204, 429)
        # Editing still works and invalidation does not fail.
        article.title = "改过的标题"
        article.save()
        assert "改过的标题" in client.get(article.get_absolute_url()).content.decode()


def test_an_invalid_filter_does_not_poison_the_shared_count(client):
    for _ in range(12):
        make_article()
    assert client.get("/articles/", {"year": "abc"}).status_code == 200
    response = client.get("/articles/")
    assert 'href="?page=2"' in response.content.decode()


def test_cached_essay_pages_still_count_views(client):
    from articles import viewcounts

    article = make_article()
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert f'data-view-url="/articles/{article.pk}/view/"' in response.content.decode()
    assert client.post(f"/articles/{article.pk}/view/").status_code == 204
    assert viewcounts.pending(article.pk) == 1


def test_renumbering_sections_in_bulk_invalidates(client):
    from articles import services

    article = make_article()
    first = make_section(article, "第一部分", position=5)
    make_section(article, "第二部分", position=9)
    client.get(article.get_absolute_url())
    services.normalize_sections(article)  # bulk_update: no signals
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert first.pk


def test_a_burst_after_a_change_renders_the_page_once(client):
    """While one request renders the new page, the others get the previous one."""
    article = make_article(title="旧标题")
    assert client.get("/")["X-Page-Cache"] == "miss"
    [key] = page_keys()
    article.title = "新标题"
    article.save()
    cache.add(key.split(":", 2)[2] + ":rendering", 1)  # another request is rendering "/"
    during = client.get("/")
    assert during.status_code == 200
    assert during["X-Page-Cache"] == "stale"
    assert "旧标题" in during.content.decode()
    cache.delete(key.split(":", 2)[2] + ":rendering")  # that request has stored its page
    after = client.get("/")
    assert after["X-Page-Cache"] == "miss"
    assert "新标题" in after.content.decode()


def test_the_render_lock_is_released_after_the_render(client):
    article = make_article(title="标题")
    client.get("/")
    article.save()
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert not [key for key in cache._cache if key.endswith(":rendering")]
    # Without an earlier page to fall back on, a request renders even while the lock is held.
    url = article.get_absolute_url()
    key = pagecache.PageCacheMiddleware(lambda request: None)._lookup(RequestFactory().get(url))
    cache.add(key + ":rendering", 1)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "标题" in response.content.decode()
    assert cache.get(key + ":rendering") == 1  # the other request's lock is left alone
