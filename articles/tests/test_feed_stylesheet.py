"""Feeds carry an XSLT stylesheet: a browser shows a Chinese page on how to subscribe,
feed readers read the same feed as before."""

import re

import feedparser
import pytest
from django.contrib.staticfiles import finders

from articles.reading.feeds import FEED_STYLESHEET
from articles.tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db
FEEDS = ["/feed/rss/", "/feed/atom/", "/topics/{slug}/feed/rss/", "/topics/{slug}/feed/atom/"]
INSTRUCTION = re.compile(rb"<\?xml-stylesheet ([^?]*)\?>")


def _get(client, url, topic):
    response = client.get(url.format(slug=topic.slug))
    assert response.status_code == 200
    return response


@pytest.fixture
def topic():
    topic = make_topic("理论学习")
    make_article("党建引领基层治理", topics=[topic], summary="摘要 & <说明>")
    return topic


@pytest.mark.parametrize("url", FEEDS)
def test_feed_names_a_same_origin_static_stylesheet_before_its_root(client, topic, url):
    response = _get(client, url, topic)
    head = response.content.split(b"<rss", 1)[0].split(b"<feed", 1)[0]
    match = INSTRUCTION.search(head)
    assert match, head
    attributes = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1).decode()))
    assert attributes == {"href": "/static/" + FEED_STYLESHEET, "type": "text/xsl", "media": "screen"}
    assert response["Content-Security-Policy"]
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.entries[0].title == "党建引领基层治理"


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_are_sent_as_xml_so_that_browsers_apply_the_stylesheet(client, topic, url):
    """Chromium shows application/rss+xml and application/atom+xml as plain text, never styled."""
    response = _get(client, url, topic)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    feed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert not feed.bozo
    assert feed.version in ("rss20", "atom10")
    assert feed.entries[0].title == "党建引领基层治理"


def test_stylesheet_is_a_static_file():
    assert finders.find(FEED_STYLESHEET)


@pytest.mark.parametrize("url", FEEDS)
def test_browser_page_explains_subscribing_and_lists_the_items(client, topic, url):
    etree = pytest.importorskip("lxml.etree")
    transform = etree.XSLT(etree.parse(finders.find(FEED_STYLESHEET)))
    page = str(transform(etree.fromstring(_get(client, url, topic).content)))
    assert "如何订阅" in page or "订阅方法" in page
    assert "党建引领基层治理" in page
    assert "摘要 &amp; &lt;说明&gt;" in page  # the summary as typed, escaped once, for HTML
    assert "/feed/" in page  # the address to copy
    assert "<script" not in page and "style=" not in page  # the site's CSP: no inline script or style
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page)
