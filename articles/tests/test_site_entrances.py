"""Addresses around the pages: /favicon.ico, /search/, and the reader's 404/500 under DEBUG."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import path

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- favicon


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert response["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")


def test_pages_name_the_icon(client):
    make_article("有图标的页面")
    for url in ("/", "/articles/", "/no-such-page/"):
        assert b'<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in client.get(url).content


# ---------------------------------------------------------------- /search/


def test_search_redirects_to_the_list_search_keeping_only_q(client):
    response = client.get("/search/", {"q": "党建", "utm_source": "x", "topic": "zzz"})
    assert response.status_code == 301
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("", "", "/articles/")
    assert parse_qs(target.query) == {"q": ["党建"]}


def test_search_without_words_goes_to_the_list(client):
    assert client.get("/search/")["Location"] == "/articles/"
    assert client.get("/search/?q=")["Location"] == "/articles/"


@pytest.mark.parametrize(
    "hostile",
    ["//evil.example/", "https://evil.example", "\r\nSet-Cookie: a=b", '"><script>alert(1)</script>', "/\\evil"],
)
def test_search_redirect_is_not_open_nor_reflected(client, hostile):
    response = client.get("/search/", {"q": hostile, "next": "https://evil.example"})
    location = response["Location"]
    assert location.startswith("/articles/?q=")
    assert "evil.example" not in urlsplit(location).netloc
    assert not any(ch in location for ch in '<>"\r\n ')
    assert parse_qs(urlsplit(location).query) == {"q": [hostile.strip()]} or "Set-Cookie" in hostile
    assert not response.content


def test_search_redirect_lands_on_the_search(client):
    make_article("党建引领基层治理")
    response = client.get("/search/?q=党建", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/articles/?q=%E5%85%9A%E5%BB%BA", 301)]
    assert 'value="党建"' in response.content.decode()


# ---------------------------------------------------------------- DEBUG error pages


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@override_settings(DEBUG=True)
def test_unknown_address_shows_the_reader_404_under_debug(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "URLconf" not in body and "Using the URLconf" not in body


@override_settings(DEBUG=True)
def test_http404_in_a_view_shows_the_reader_404_under_debug(client):
    response = client.get("/articles/no-such-essay/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@override_settings(DEBUG=True)
def test_missing_slash_still_redirects_under_debug(client):
    response = client.get("/articles")
    assert response.status_code == 301
    assert response["Location"] == "/articles/"


@override_settings(DEBUG=True, DEBUG_TECHNICAL_PAGES=True)
def test_technical_404_on_request(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_error_shows_the_reader_500_under_debug_and_logs_it(client, caplog):
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


@override_settings(DEBUG=True, DEBUG_TECHNICAL_PAGES=True, ROOT_URLCONF=__name__)
def test_technical_500_on_request(client):
    with pytest.raises(RuntimeError):
        client.get("/boom/")


# ---------------------------------------------------------------- /feed/: 订阅本站


def test_the_footer_leads_to_the_subscribe_page_not_to_the_raw_feed(client):
    make_article("一篇文稿")
    html = client.get("/").content.decode()
    assert '<a href="/feed/">RSS 订阅</a>' in html
    assert '<a href="/feed/rss/">' not in html


def test_the_subscribe_page_lists_the_feed_addresses(client):
    from articles.tests.factories import make_topic

    column = make_topic("理论学习")
    hidden = make_topic("不在导航的栏目", show_in_nav=False)
    make_article("一篇文稿", topics=[column])
    response = client.get("/feed/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>订阅本站</h1>" in html and "订阅方法：" in html
    assert "<code>http://testserver/feed/rss/</code>" in html
    assert "<code>http://testserver/feed/atom/</code>" in html
    assert f"<code>http://testserver/topics/{column.slug}/feed/rss/</code>" in html
    assert f"<code>http://testserver/topics/{column.slug}/feed/atom/</code>" in html
    assert hidden.slug not in html
    for address in ("/feed/rss/", "/feed/atom/", f"/topics/{column.slug}/feed/rss/"):
        assert client.get(address).status_code == 200
