"""Publication control through every cache: an essay the committee withdraws
(unpublished, archived, moved to the recycle bin, its publish time moved into
the future) is gone from every public page as soon as the withdrawal
commits -- from Django's page cache even while another request is rendering
the page, even when the cache missed the invalidation, and from the shipped
nginx within seconds."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone

from articles.editing import workflow
from articles.tests.factories import make_article, make_topic
from config import pagecache

pytestmark = pytest.mark.django_db

TITLE = "将被撤下的文稿"


def _move_publish_time_into_the_future(article, user):
    article.published_at = timezone.now() + timedelta(days=1)
    article.save()


WITHDRAWALS = {
    "unpublish": lambda article, user: workflow.unpublish(article, user),
    "archive": lambda article, user: workflow.archive(article, user),
    "recycle bin": workflow.move_to_recycle_bin,
    "publish time moved into the future": _move_publish_time_into_the_future,
}


def _site():
    topic = make_topic("理论学习")
    make_article("另一篇文稿", topics=[topic])
    article = make_article(TITLE, topics=[topic])
    urls = [article.get_absolute_url(), "/", topic.get_absolute_url(), "/articles/", "/feed/rss/", "/sitemap.xml"]
    return article, urls


def _shows(article, body):
    """The page names the essay: its title (lists write it with <wbr> between words), or its address in the sitemap."""
    return TITLE in body.replace("<wbr>", "") or f"/articles/{article.slug}/</loc>" in body


def _render_lock(url):
    """The cache key a request rendering ``url`` holds meanwhile."""
    return pagecache.PageCacheMiddleware(lambda request: None)._lookup(RequestFactory().get(url)).key + ":rendering"


@pytest.mark.parametrize("withdraw", list(WITHDRAWALS.values()), ids=list(WITHDRAWALS))
@override_settings(PAGE_CACHE_RENDER_WAIT_SECONDS=0.05)
def test_a_withdrawn_essay_is_not_served_while_another_request_renders_the_page(client, withdraw):
    article, urls = _site()
    for url in urls:
        assert _shows(article, client.get(url).content.decode()), url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    withdraw(article, None)
    for url in urls:
        # Another reader's request is rendering this page right now (and never finishes).
        cache.add(_render_lock(url), 1, 60)
        response = client.get(url)
        assert not _shows(article, response.content.decode()), url
        assert response.get("X-Page-Cache") != "stale", url


@pytest.mark.parametrize("withdraw", list(WITHDRAWALS.values()), ids=list(WITHDRAWALS))
@override_settings(PAGE_CACHE_VERIFY_SECONDS=0)
def test_a_withdrawal_the_cache_did_not_hear_of_is_still_effective(
    client, withdraw, django_capture_on_commit_callbacks
):
    """The invalidation is lost (a cache that drops writes without a word): the
    database's epoch says the site changed, and cached pages are no longer trusted."""
    article, urls = _site()
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    with (
        mock.patch.object(cache, "set", lambda *a, **k: None),
        mock.patch.object(cache, "delete", lambda *a, **k: None),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            withdraw(article, None)
    for url in urls:
        assert not _shows(article, client.get(url).content.decode()), url


# ---------------------------------------------------------------- Redis


def test_a_withdrawal_during_a_redis_blip_is_still_effective(client, redis_cache, django_capture_on_commit_callbacks):
    """Redis fails for the invalidation only, then answers again: the
    withdrawn essay must not come back from the cache."""
    import redis

    article, urls = _site()
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    client_class = type(redis_cache._cache)

    def refuse(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("blip")

    with (
        mock.patch.object(client_class.__mro__[1], "set", refuse),
        mock.patch.object(client_class.__mro__[1], "delete", refuse),
        mock.patch.object(client_class.__mro__[1], "set_many", refuse),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.unpublish(article, None)
    for url in urls:
        assert not _shows(article, client.get(url).content.decode()), url
    # And still after the cache is trusted again.
    with mock.patch("time.monotonic", return_value=time.monotonic() + 3600):
        for url in urls:
            assert not _shows(article, client.get(url).content.decode()), url


@pytest.mark.django_db(transaction=True)
def test_an_editor_is_told_when_a_withdrawal_could_not_be_confirmed_by_the_cache(client, redis_cache):
    import redis

    article, urls = _site()
    admin = get_user_model().objects.create_superuser("chief", password="x-very-long-password")
    client.force_login(admin)
    client_class = type(redis_cache._cache)

    def refuse(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("blip")

    with (
        mock.patch.object(client_class.__mro__[1], "set", refuse),
        mock.patch.object(client_class.__mro__[1], "delete", refuse),
        mock.patch.object(client_class.__mro__[1], "set_many", refuse),
    ):
        response = client.post(
            "/admin/articles/article/",
            {"action": "unpublish_selected", "_selected_action": [article.pk], "post": "yes", "reason": "紧急撤回"},
            follow=True,
        )
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("缓存" in message and "未能确认" in message for message in messages), messages


# ---------------------------------------------------------------- nginx


def _get(request_from, path):
    """``(status, body, X-Proxy-Cache)`` of one request through the shipped nginx."""
    status, headers, body = request_from("127.0.0.1", "GET", path)
    return status, body.decode("utf-8", "replace"), headers.get("X-Proxy-Cache")


@pytest.mark.django_db(transaction=True)
def test_nginx_stops_serving_a_withdrawn_essay_within_seconds(request_from):
    article, urls = _site()
    for url in urls[:3]:
        for _ in range(3):
            status, body, _ = _get(request_from, url)
            assert status == 200 and _shows(article, body), url
    assert _get(request_from, urls[0])[2] == "HIT"
    workflow.unpublish(article, None)
    withdrawn_at = time.monotonic()
    last_served = {}
    while time.monotonic() - withdrawn_at < 8:
        for url in urls[:3]:
            status, body, state = _get(request_from, url)
            if status == 200 and _shows(article, body):
                last_served[url] = (time.monotonic() - withdrawn_at, state)
        time.sleep(0.1)
    late = {url: seen for url, seen in last_served.items() if seen[0] > 5}
    assert not late, late
    assert _get(request_from, urls[0])[0] == 404


# ---------------------------------------------------------------- what the cache keeps of a withdrawal


def test_a_withdrawn_essays_404_is_kept_in_place_of_its_page(client, django_assert_num_queries):
    """Readers who follow a link to a withdrawn essay get its 404 from the cache,
    not a fresh render each: the page it replaces had a place in the cache."""
    article, urls = _site()
    client.get(urls[0])
    workflow.unpublish(article, None)
    assert client.get(urls[0]).status_code == 404
    with django_assert_num_queries(0):
        response = client.get(urls[0])
    assert response.status_code == 404
    assert response["X-Page-Cache"] == "hit"
    assert not _shows(article, response.content.decode())
    # Published again, it is back at once.
    workflow.publish(article, None, confirm_secrecy=True)
    assert client.get(urls[0]).status_code == 200


def test_a_404_of_an_address_that_never_had_a_page_is_not_kept(client):
    before = {key for key in cache._cache if ":pagecache:page:" in key}
    for n in range(20):
        assert client.get(f"/articles/no-such-essay-{n}/").status_code == 404
    assert {key for key in cache._cache if ":pagecache:page:" in key} == before


def test_a_reader_never_overwrites_the_generation_a_commit_wrote(django_capture_on_commit_callbacks):
    """A reader that found no generation (a change is in progress) and is still
    making one must not replace the one the change writes when it commits."""
    make_article()
    cache.delete(pagecache.GENERATION_KEY)
    written = {}
    real_next_scheduled = pagecache._next_scheduled

    def commit_meanwhile():
        if not written:
            written["generation"] = None
            with django_capture_on_commit_callbacks(execute=True):
                pagecache.invalidate()
            written["generation"] = cache.get(pagecache.GENERATION_KEY)
        return real_next_scheduled()

    with mock.patch.object(pagecache, "_next_scheduled", commit_meanwhile):
        pagecache._checked_generation(None)
    assert cache.get(pagecache.GENERATION_KEY) == written["generation"]
