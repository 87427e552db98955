"""The anonymous page cache (config/pagecache.py): hits, invalidation, editors,
previews, conditional GET, hostile parameters and a cache that is down."""

import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from articles.tests.factories import make_article, make_scheduled, make_section, make_topic
from config import pagecache
from siteinfo.models import SiteSettings

# Titles carry <wbr> between their words (articles/templatetags/titles.py): pages are read without them.
WBR = "<wbr>"

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
    # Browsers revalidate; nginx keeps the page a second (and no longer stale).
    assert (
        second["Cache-Control"]
        == first["Cache-Control"]
        == ("public, max-age=0, s-maxage=1, stale-while-revalidate=1, stale-if-error=30")
    )
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("url_name", ["home", "list", "topic_index", "feed", "sitemap", "robots"])
def test_every_public_page_is_cached(client, url_name):
    topic = make_topic("理论学习")
    make_article(topics=[topic])
    url = {
        "home": "/",
        "list": "/articles/",
        "topic_index": "/topics/",
        "feed": "/feed/rss/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
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
        assert "新标题" in response.content.decode().replace(WBR, "")


def test_an_edited_section_shows_at_once(client):
    article = make_article()
    section = make_section(article, "旧小标题")
    assert "旧小标题" in client.get(article.get_absolute_url()).content.decode().replace(WBR, "")
    section.heading = "新小标题"
    section.save()
    assert "新小标题" in client.get(article.get_absolute_url()).content.decode().replace(WBR, "")


def test_a_deleted_section_disappears_at_once(client):
    article = make_article()
    section = make_section(article, "要删除的小标题")
    assert "要删除的小标题" in client.get(article.get_absolute_url()).content.decode().replace(WBR, "")
    section.delete()
    assert "要删除的小标题" not in client.get(article.get_absolute_url()).content.decode().replace(WBR, "")


def test_topic_changes_show_at_once(client):
    topic = make_topic("旧专题名")
    article = make_article(topics=[topic])
    assert "旧专题名" in client.get("/").content.decode().replace(WBR, "")
    topic.name = "新专题名"
    topic.save()
    assert "新专题名" in client.get("/").content.decode().replace(WBR, "")
    # Tagging an essay (a many-to-many change) too.
    other = make_topic("另一个专题")
    client.get(article.get_absolute_url())
    article.topics.add(other)
    assert "另一个专题" in client.get(article.get_absolute_url()).content.decode().replace(WBR, "")


def test_site_settings_changes_show_at_once(client):
    client.get("/")
    SiteSettings.objects.create(organizer="中共某某县委组织部")
    assert "中共某某县委组织部" in client.get("/").content.decode().replace(WBR, "")


def test_a_scheduled_essay_appears_on_the_cached_home_page_at_its_time(client):
    scheduled = make_scheduled("定时发布的文稿", publish_in=timedelta(minutes=30))
    make_article("早已发布的文稿")
    assert "定时发布的文稿" not in client.get("/").content.decode().replace(WBR, "")
    assert client.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(scheduled.published_at + timedelta(seconds=1), tick=False):
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert "定时发布的文稿" in response.content.decode().replace(WBR, "")
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_signed_in_editors_never_get_or_fill_the_cache(client, admin_client):
    article = make_article(title="原来的标题")
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    response = admin_client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    # A change that bypassed the signals (a raw UPDATE) is seen by the editor at once.
    type(article).objects.filter(pk=article.pk).update(title="直接改过的标题")
    assert "直接改过的标题" in admin_client.get(article.get_absolute_url()).content.decode().replace(WBR, "")


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


def test_a_stored_page_answers_a_conditional_get(client):
    """On a hit: the current tag, in any form If-None-Match may carry it, gets a 304 with the
    tag and no body; a stale one gets the stored page."""
    article = make_article()
    url = article.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    for header in (etag, f'"0123abcd", {etag}', "W/" + etag, "*"):
        response = client.get(url, HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 304, header
        assert response["X-Page-Cache"] == "hit"
        assert response["ETag"] == etag
        assert response["Cache-Control"] == first["Cache-Control"]
        assert response.content == b""
    stale = client.get(url, HTTP_IF_NONE_MATCH='"0123abcd"')
    assert stale.status_code == 200
    assert stale["X-Page-Cache"] == "hit"
    assert stale["ETag"] == etag
    assert stale.content == first.content


def test_if_modified_since_answers_304(client):
    article = make_article()
    last_modified = client.get(article.get_absolute_url())["Last-Modified"]
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert (
        client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code
        == 200
    )


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
    for _n in range(15):
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
        for url in (
            "/",
            "/articles/",
            "/articles/?q=党建",
            article.get_absolute_url(),
            "/topics/",
            topic.get_absolute_url(),
            "/feed/rss/",
            "/sitemap.xml",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response


# ---------------------------------------------------------------- Redis


def _redis_caches(url):
    from config.cache import caches_from

    return caches_from(url, key_prefix="portal-test")


def test_pages_are_cached_in_redis(client, redis_cache):
    article = make_article()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    article.title = "改过的标题"
    article.save()
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "改过的标题" in response.content.decode().replace(WBR, "")


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
        assert "改过的标题" in client.get(article.get_absolute_url()).content.decode().replace(WBR, "")


def test_an_invalid_filter_does_not_poison_the_shared_count(client):
    for _ in range(12):
        make_article()
    assert client.get("/articles/", {"year": "abc"}).status_code == 200
    response = client.get("/articles/")
    assert 'href="?page=2"' in response.content.decode().replace(WBR, "")


def test_cached_essay_pages_still_count_views(client):
    from articles.reading import viewcounts

    article = make_article()
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert f'data-view-url="/articles/{article.pk}/view/"' in response.content.decode().replace(WBR, "")
    assert client.post(f"/articles/{article.pk}/view/").status_code == 204
    assert viewcounts.pending(article.pk) == 1


def test_renumbering_sections_in_bulk_invalidates(client):
    from articles.editing.sections import normalize_sections

    article = make_article()
    first = make_section(article, "第一部分", position=5)
    make_section(article, "第二部分", position=9)
    client.get(article.get_absolute_url())
    normalize_sections(article)  # bulk_update: no signals
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert first.pk


@override_settings(PAGE_CACHE_RENDER_WAIT_SECONDS=0.05)
def test_a_request_never_gets_the_previous_page_while_another_renders(client):
    """The previous generation's page may show what was just changed or withdrawn:
    a request that finds another rendering waits for it, then renders itself."""
    article = make_article(title="旧标题")
    assert client.get("/")["X-Page-Cache"] == "miss"
    [key] = page_keys()
    article.title = "新标题"
    article.save()
    cache.add(key.split(":", 2)[2] + ":rendering", 1)  # another request is rendering "/" (and never ends)
    during = client.get("/")
    assert during.status_code == 200
    assert "新标题" in during.content.decode().replace(WBR, "")
    assert "旧标题" not in during.content.decode().replace(WBR, "")


@pytest.mark.django_db(transaction=True)
def test_a_burst_after_a_change_renders_the_page_once():
    """Concurrent readers of a page that changed wait for the one render and get its page."""
    import threading

    from django.db import connection
    from django.test import Client

    from articles.reading import views

    make_article(title="旧标题")
    Client().get("/")
    make_article(title="新发布的文稿")
    renders = []
    real_render = views.render_framed

    def slow_render(request, template, context, **kwargs):
        renders.append(template)
        time.sleep(0.2)  # long enough for every other request to find the render lock
        return real_render(request, template, context, **kwargs)

    results = []
    barrier = threading.Barrier(6)

    def reader():
        barrier.wait()
        response = Client().get("/")
        results.append(
            (
                response.status_code,
                response["X-Page-Cache"],
                "新发布的文稿" in response.content.decode().replace(WBR, ""),
            )
        )
        connection.close()

    with mock.patch.object(views, "render_framed", slow_render):
        threads = [threading.Thread(target=reader) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert len(results) == 6
    assert all(status == 200 and fresh for status, _, fresh in results), results
    assert sorted(state for _, state, _ in results) == ["hit"] * 5 + ["miss"]
    assert len(renders) == 1


def test_the_render_lock_is_released_after_the_render(client):
    article = make_article(title="标题")
    client.get("/")
    article.save()
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert not [key for key in cache._cache if key.endswith(":rendering")]
    # Without an earlier page to fall back on, a request renders even while the lock is held.
    url = article.get_absolute_url()
    key = pagecache.PageCacheMiddleware(lambda request: None)._lookup(RequestFactory().get(url)).key
    cache.add(key + ":rendering", 1)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "标题" in response.content.decode().replace(WBR, "")
    assert cache.get(key + ":rendering") == 1  # the other request's lock is left alone


# ---------------------------------------------------------------- keys that cannot be poisoned


def _essays_with_and_without(word, count=12):
    make_article(f"{word}工作的思考")
    for n in range(count):
        make_article(f"基层调研报告之{n}")


def test_a_repeated_parameter_is_read_as_the_view_reads_it(client):
    """The view reads the last value: ``?q=党建&q=`` is the unfiltered list and
    must not be stored as the search for 党建."""
    _essays_with_and_without("党建")
    unfiltered = client.get("/articles/", {"q": ["党建", ""]})
    assert "基层调研报告之" in unfiltered.content.decode().replace(WBR, "")
    search = client.get("/articles/", {"q": "党建"})
    assert "基层调研报告之" not in search.content.decode().replace(WBR, "")


def test_a_later_page_parameter_wins_as_in_the_view(client):
    for n in range(15):
        make_article(f"按时间排列的文稿{n:02d}")
    first_page = client.get("/articles/").content.decode().replace(WBR, "")
    client.get("/articles/?page=2&page=1")
    second_page = client.get("/articles/?page=2").content.decode().replace(WBR, "")
    assert second_page != first_page
    assert '第</span>2<span class="visually-hidden">页（当前）' in second_page


def test_an_encoded_separator_does_not_collide_with_a_real_one(client):
    _essays_with_and_without("党建")
    client.get("/articles/?q=党建%26page%3D1")
    response = client.get("/articles/?q=党建&page=1")
    assert response.get("X-Page-Cache") != "hit"
    assert 'value="党建"' in response.content.decode().replace(WBR, "")


def test_undeclared_parameters_never_reach_a_stored_page(client):
    for _n in range(15):
        make_article()
    hostile = '"><b>phish'
    assert hostile not in client.get("/articles/", {"utm_source": hostile, "x": "A" * 5000}).content.decode().replace(
        WBR, ""
    )
    assert "phish" not in client.get("/articles/").content.decode().replace(WBR, "")
    assert "AAAA" not in client.get("/articles/").content.decode().replace(WBR, "")
    # Search results' pagination links too.
    assert "phish" not in client.get("/articles/", {"q": "文稿", "utm_source": hostile}).content.decode().replace(
        WBR, ""
    )


@pytest.mark.parametrize("page, expected", [("2", "?page=2"), ("²²", ""), ("٢", ""), ("02", "?page=2")])
def test_the_canonical_address_names_the_page_shown(client, page, expected):
    for _n in range(15):
        make_article()
    body = client.get("/articles/", {"page": page}).content.decode().replace(WBR, "")
    assert f'<link rel="canonical" href="http://testserver/articles/{expected}">' in body


def test_the_sitemap_pages_are_cached_apart():
    from django.test import Client

    client = Client()
    make_article()
    client.get("/sitemap.xml")
    assert client.get("/sitemap.xml", {"p": "2"}).get("X-Page-Cache") != "hit"


# ---------------------------------------------------------------- sessions


def test_a_junk_session_cookie_is_served_from_the_cache(client):
    from articles.models import EssayRendition

    article = make_article()
    client.get(article.get_absolute_url())
    rendered_at = EssayRendition.objects.get(article=article).rendered_at
    client.cookies["sessionid"] = "not-a-session-anyone-has"
    for _ in range(3):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"
    assert EssayRendition.objects.get(article=article).rendered_at == rendered_at


def test_a_real_editor_session_still_bypasses_the_cache(client, admin_user):
    article = make_article()
    client.get(article.get_absolute_url())
    client.force_login(admin_user)
    assert "X-Page-Cache" not in client.get(article.get_absolute_url())


# ---------------------------------------------------------------- bounded


def test_values_no_form_offers_are_not_stored(client):
    make_article(author_org="中共某县委组织部")
    for n in range(30):
        response = client.get("/articles/", {"org": f"flood{n}"})
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    for n in range(30):
        assert "X-Page-Cache" not in client.get("/library/problems/", {"org": f"flood{n}"})
    assert page_keys() == []


def test_pages_past_the_last_are_404_and_not_stored(client):
    for _n in range(15):
        make_article()
    for page in ("3", "99", "4242", "999999"):
        assert client.get("/articles/", {"page": page}).status_code == 404
    assert page_keys() == []


@override_settings(PAGE_CACHE_VARIANTS=5)
def test_the_number_of_stored_variants_of_a_page_is_bounded(client):
    make_article("党建工作")
    for n in range(20):
        client.get("/articles/", {"q": f"党建{n}"})
    assert len(page_keys()) == 5


# Each hostile form of a query and the canonical query the view reads it as.
EQUIVALENT_QUERIES = [
    ("q=党建&q=", ""),  # duplicate, the last one empty
    ("q=&q=党建", "q=党建"),  # duplicate, the last one counts
    ("page=2&page=1", ""),  # duplicate page
    ("page=02", "page=2"),  # leading zero
    ("page=٢", ""),  # a digit Python's int() reads, the paginator should not
    ("page=²", ""),  # a digit isdigit() accepts, int() refuses
    ("page=", ""),  # empty
    ("utm_source=%22%3E%3Cb%3Ephish&q=党建", "q=党建"),  # undeclared, with markup
    ("q=党建&from=singlemessage&isappinstalled=0", "q=党建"),  # what WeChat appends
]


# Pages a hostile query could be stored in place of.
PROBES = ["", "q=党建", "page=2"]


@pytest.mark.parametrize("hostile, canonical", EQUIVALENT_QUERIES)
def test_a_hostile_query_gets_what_its_canonical_form_shows_and_changes_nothing_for_others(client, hostile, canonical):
    """Anonymous traffic cannot change what other readers get: whatever form a
    query takes, it is served what its canonical form shows, and every other
    page stays what it is when requested alone."""
    for n in range(12):
        make_article(f"党建工作文稿{n}" if n % 2 else f"调研报告{n}")
    alone = {}
    for query in {canonical, *PROBES}:
        cache.clear()
        alone[query] = client.get(f"/articles/?{query}").content
    cache.clear()
    assert client.get(f"/articles/?{hostile}").content == alone[canonical]
    for query in PROBES:
        assert client.get(f"/articles/?{query}").content == alone[query], query
    assert client.get(f"/articles/?{hostile}").content == alone[canonical]


@pytest.mark.parametrize(
    "first, second",
    [
        ("q=a%26page%3D2", "q=a&page=2"),  # an encoded separator is not a separator
        ("q=a%3Db", "q=a=b"),  # neither is an encoded equals sign... but both mean q="a=b"
        ("topic=x%26year%3D2024", "topic=x&year=2024"),
    ],
)
def test_encoded_separators_never_share_a_key_with_real_ones(first, second):
    from django.test import RequestFactory as Factory

    middleware = pagecache.PageCacheMiddleware(lambda request: None)
    with mock.patch.object(pagecache, "_params_for", return_value=("q", "topic", "year", "page")):
        first_key = middleware._lookup(Factory().get(f"/articles/?{first}")).key
        second_key = middleware._lookup(Factory().get(f"/articles/?{second}")).key
    same_meaning = Factory().get(f"/articles/?{first}").GET == Factory().get(f"/articles/?{second}").GET
    assert (first_key == second_key) == same_meaning


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/articles/"])
def test_a_rendered_page_fetches_its_memoized_values_in_one_round_trip(client, settings, path):
    """Without the page cache, a public page's memoized values (its frame, the navigation, the
    site settings, counts …) come from one cache round trip with the generation: the path's plan."""
    settings.PAGE_CACHE_SECONDS = 0
    make_article("第一篇", topics=[make_topic("党建研究")])
    first = client.get(path)
    calls = []
    real = pagecache._cache

    def counting():
        shared = real()
        return mock.Mock(wraps=shared, get_many=lambda keys: calls.append(keys) or shared.get_many(keys))

    with mock.patch.object(pagecache, "_cache", counting):
        again = client.get(path)
    assert again.content == first.content
    assert len(calls) == 1, calls
    assert pagecache.GENERATION_KEY in calls[0] and len(calls[0]) > 3


@pytest.mark.django_db
def test_a_page_s_prefetched_values_are_not_read_after_it(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_article("第一篇")
    client.get("/articles/")
    client.get("/articles/")
    assert pagecache._prefetched.get() is None
    assert pagecache.prefetched("siteinfo:settings:v1") is None
