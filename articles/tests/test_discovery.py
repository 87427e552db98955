"""Discovery: feeds (parsed with feedparser), sitemap.xml, robots.txt,
canonical links, Open Graph, JSON-LD and the government page metadata."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from articles.tests.factories import make_article, make_draft, make_scheduled, make_topic
from siteinfo.models import SiteSettings

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def site():
    column = make_topic("理论学习")
    child = make_topic("党史学习教育", parent=column)
    other = make_topic("组织建设")
    return {
        "column": column,
        "child": child,
        "other": other,
        "in_child": make_article("专题里的文稿", topics=[child], author="王五"),
        "in_other": make_article("组织建设文稿", topics=[other]),
        "draft": make_draft("草稿不可见", topics=[column]),
        "scheduled": make_scheduled("定时文稿不可见", topics=[column]),
    }


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("name, version", [("articles:feed_rss", "rss20"), ("articles:feed_atom", "atom10")])
def test_the_latest_feeds_list_published_essays_only(client, site, name, version):
    response, feed = parse(client, reverse(name))
    assert feed.version == version
    titles = [entry.title for entry in feed.entries]
    assert titles == ["专题里的文稿", "组织建设文稿"]
    entry = feed.entries[0]
    assert entry.link == "http://testserver" + site["in_child"].get_absolute_url()
    assert entry.published_parsed is not None
    assert entry.summary.startswith("第")
    assert "党史学习教育" in [tag.term for tag in entry.tags]
    assert "最新文稿" in feed.feed.title


@pytest.mark.parametrize("name", ["topics:feed_rss", "topics:feed_atom"])
def test_a_topic_feed_holds_its_essays_and_its_children_essays(client, site, name):
    _, feed = parse(client, reverse(name, args=[site["column"].slug]))
    assert [entry.title for entry in feed.entries] == ["专题里的文稿"]
    assert "理论学习" in feed.feed.title


# --- plain text in feeds is shown as text -----------------------------------------

HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script><b>粗体</b>"
ORDINARY = "坚持“两学一做”学习教育常态化 & 制度化，推进 <三会一课> 落实'到位'、\"见效\"。"
FEEDS = ["articles:feed_rss", "articles:feed_atom", "topics:feed_rss", "topics:feed_atom"]


class _Markup(HTMLParser):
    """What a feed reader shows for an HTML field: its text, and the elements it would render."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.elements = [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def shown(detail):
    """(text a reader shows, elements it renders) for a feedparser text construct."""
    if detail.type == "text/plain":
        return detail.value, []
    markup = _Markup()
    markup.feed(detail.value)
    markup.close()
    return "".join(markup.text), markup.elements


def feed_url(name, topic):
    return reverse(name, args=[topic.slug]) if name.startswith("topics:") else reverse(name)


@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("summary", [HOSTILE, ORDINARY])
def test_an_essays_summary_reaches_feed_readers_as_the_text_it_is(client, name, summary):
    topic = make_topic("理论学习")
    make_article("文稿", topics=[topic], summary=summary)
    _, feed = parse(client, feed_url(name, topic))
    assert shown(feed.entries[0].summary_detail) == (summary, [])


@pytest.mark.parametrize("name", FEEDS)
def test_a_lead_used_as_summary_reaches_feed_readers_as_its_text(client, name):
    topic = make_topic("理论学习")
    lead = "<p>导语 &amp; “引号” &lt;img src=x onerror=alert(1)&gt;</p><p><strong>第二段</strong></p>"
    make_article("文稿", topics=[topic], summary="", lead=lead)
    _, feed = parse(client, feed_url(name, topic))
    assert shown(feed.entries[0].summary_detail) == ("导语 & “引号” <img src=x onerror=alert(1)> 第二段", [])


@pytest.mark.parametrize("name", ["topics:feed_rss", "topics:feed_atom"])
@pytest.mark.parametrize("description", [HOSTILE, ORDINARY])
def test_a_topics_description_reaches_feed_readers_as_the_text_it_is(client, name, description):
    topic = make_topic("理论学习", description=description)
    make_article("文稿", topics=[topic])
    _, feed = parse(client, feed_url(name, topic))
    assert shown(feed.feed.subtitle_detail) == (description, [])


@pytest.mark.parametrize("name", FEEDS)
def test_titles_authors_and_topic_names_reach_feed_readers_as_text(client, name):
    topic = make_topic("理论<b>学习</b>")
    make_article(HOSTILE, topics=[topic], author="<i>王五</i> & 李四")
    _, feed = parse(client, feed_url(name, topic))
    entry = feed.entries[0]
    assert shown(entry.title_detail) == (HOSTILE, [])
    assert entry.author == "<i>王五</i> & 李四"
    assert [tag.term for tag in entry.tags] == ["理论<b>学习</b>"]


@pytest.mark.parametrize("slug", ["no-such-topic", "x" * 500, "%00", "理论"])
def test_a_feed_of_an_unknown_topic_is_404(client, slug):
    assert client.get(f"/topics/{slug}/feed/rss/").status_code == 404


def test_every_page_advertises_the_feeds(client, site):
    urls = [
        "/",
        "/articles/",
        "/articles/?q=党建",
        "/topics/",
        site["in_child"].get_absolute_url(),
        site["column"].get_absolute_url(),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html, url
        assert '<link rel="alternate" type="application/atom+xml"' in html, url
    topic_html = client.get(site["column"].get_absolute_url()).content.decode()
    assert reverse("topics:feed_atom", args=[site["column"].slug]) in topic_html


def test_sitemap_lists_public_pages_with_lastmod(client, site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {
        url.find("sm:loc", SITEMAP_NS).text: url.find("sm:lastmod", SITEMAP_NS)
        for url in root.findall("sm:url", SITEMAP_NS)
    }
    essay_url = "http://testserver" + site["in_child"].get_absolute_url()
    assert essay_url in entries and entries[essay_url] is not None
    assert "http://testserver/" in entries and entries["http://testserver/"] is not None
    assert "http://testserver" + site["column"].get_absolute_url() in entries
    assert not any("bukejian" in url or site["draft"].slug in url for url in entries)
    assert "http://testserver" + site["scheduled"].get_absolute_url() not in entries


def test_sitemap_refuses_a_bad_page_number(client):
    assert client.get("/sitemap.xml", {"p": "abc"}).status_code == 404


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /preview/" in text


def test_canonical_links_leave_out_filters_but_keep_the_page(client, site):
    html = client.get("/articles/", {"topic": site["column"].slug, "utm_source": "x"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/">' in html
    for _ in range(10):  # enough essays for a second page
        make_article()
    assert (
        '<link rel="canonical" href="http://testserver/articles/?page=2">'
        in client.get("/articles/", {"page": "2"}).content.decode()
    )


def test_the_essay_page_carries_open_graph_json_ld_and_government_metadata(client, site):
    SiteSettings.objects.create(site_id_code="6300000001")
    article = make_article(
        "当前基层党建工作存在的问题及对策建议",
        topics=[site["column"]],
        author="张三",
        source="某某县委组织部",
        summary="摘要：问题与对策。",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    meta = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html))
    assert meta["og:type"] == "article"
    assert meta["og:title"] == article.title
    assert meta["og:description"] == "摘要：问题与对策。"
    assert meta["SiteName"] and meta["SiteDomain"] == "testserver"
    assert meta["SiteIDCode"] == "6300000001"
    assert meta["ColumnName"] == "理论学习"
    assert meta["ArticleTitle"] == article.title
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", meta["PubDate"])
    assert meta["ContentSource"] == "某某县委组织部"
    assert meta["Author"] == "张三"
    assert "理论学习" in meta["Keywords"]
    assert meta["Description"] == "摘要：问题与对策。"
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Article"
    assert data["headline"] == article.title
    assert data["author"] == {"@type": "Person", "name": "张三"}
    assert data["mainEntityOfPage"] == "http://testserver" + article.get_absolute_url()


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article("</script><script>alert(1)</script>", summary="<!-- & -->")
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_no_site_id_code_means_no_site_id_meta(client):
    assert 'name="SiteIDCode"' not in client.get("/").content.decode()
