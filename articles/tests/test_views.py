"""The public reading site: what readers see, what they never see, and what it costs.

Query counts are pinned exactly and checked with a small and a large data
set, so a page that starts running one query per card or per section fails.
"""

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.reading.errors import server_error
from articles.reading.views import HOME_PER_TOPIC
from articles.search.indexing import rebuild as index_everything
from articles.tests.factories import (
    add_sections,
    make_article,
    make_draft,
    make_scheduled,
    make_section,
    make_topic,
)

# Pinned query counts (see each page's view for the list of queries).
# Every test starts with an empty cache (conftest.py): the first page of a
# test also reads the site settings (siteinfo), which later pages take from the cache.
SITE_SETTINGS = 1
# The first page of a cache generation also reads when the next scheduled
# essay is due (config/pagecache.py); later pages of the generation do not.
PAGE_GENERATION = 1
# The first request after a change also renders the listed essays' cards and stores them
# (articles/reading/cards.py): the essays with their topics (two queries) and one insert in a
# savepoint of its own (three: a card that cannot be stored must not break the request's transaction).
CARD_RENDERING = 5
HOME_QUERIES = (
    6 + 2 * CARD_RENDERING + SITE_SETTINGS + PAGE_GENERATION
)  # nav topics; pinned with their cards; latest with their cards; topic blocks + topics; 热门
LIST_QUERIES = (
    6 + CARD_RENDERING + SITE_SETTINGS + PAGE_GENERATION
)  # nav; topic choices; years; units; count; page with its cards
# A search (?q=) costs as much on SQLite: the ranking query also counts the
# matches (nav; topic choices; years; units; ranking; page; topics of the
# page; its results are not stored cards). PostgreSQL adds one: the planner's estimate that picks the ranking
# plan (see articles/search/backends.py).
SEARCH_QUERIES = 7 + SITE_SETTINGS + PAGE_GENERATION + (connection.vendor == "postgresql")
# Essays made in a test are indexed with index_everything(): the index is
# otherwise updated on commit, which a test's transaction never reaches
# (articles/search/tests/test_search.py tests that path).
# An essay page is served from its stored rendition (articles/renditions.py).
# The first request renders and stores it: the essay with its stored page;
# the essay again with its sections and topics; nav; previous; next; related
# (three); storing the page.
DETAIL_QUERIES = 11 + SITE_SETTINGS + PAGE_GENERATION
# Later requests read the essay with its stored page, nothing else.
STORED_DETAIL_QUERIES = 1

# Hostile values for query parameters: NUL bytes, very long text, SQL- and
# template-looking text, markup, bidi controls, odd numbers.
NASTY_VALUES = [
    "\x00",
    "abc\x00def",
    "x" * 5000,
    "党" * 2000,
    "' OR 1=1 --",
    '"; DROP TABLE articles_article; --',
    "1 UNION SELECT password FROM auth_user",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202e\u200f\u200b",
    "%ED%A0%80",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e400",
    "NaN",
    "%",
    "_",
    "\\",
    "\r\nSet-Cookie: pwned=1",
    "😀" * 30,
    " ",
]
LIST_PARAMETERS = ["q", "topic", "year", "org", "page"]
# Raw query strings, percent-encoded the way a hostile client would send them:
# a lone UTF-16 surrogate in UTF-8 form, overlong encodings, NUL, repeats.
RAW_QUERY_STRINGS = [
    "q=%ED%A0%80",
    "q=%00",
    "q=%C0%AF",
    "year=%00",
    "year=2024%00",
    "topic=%FF%FE",
    "org=%ED%B0%80",
    "page=%00",
    "page=%ED%A0%80",
    "q=%",
    "q[]=1&year[]=2",
    "year=2024&year=abc&year=",
    "q=" + "%E5%85%9A" * 3000,
]
NASTY_PATHS = [
    "/articles/%00/",
    "/articles/../../etc/passwd",
    "/articles/..%2F..%2Fetc%2Fpasswd/",
    "/articles/" + "a" * 5000 + "/",
    "/articles/%ED%A0%80/",
    "/articles/%E4%B8%8D%E5%AD%98%E5%9C%A8/",
    "/articles/no-such-essay/",
    "/articles/<script>/",
    "/topics/不存在/",
    "/topics/%00/",
    "/topics/no-such-topic/",
    "/preview/abc/",
    "/preview/-1/",
    "/no/such/page/",
]


def toc_links(html):
    """The fragment ids the table of contents links to, in order."""
    toc = re.search(r'<nav class="toc" aria-label="目录">(.*?)</nav>', html, re.S)
    assert toc, "the essay page has no table of contents"
    return re.findall(r'href="#([^"]+)"', toc.group(1))


def html_of(response):
    """The page's HTML without the <wbr> that titles carry between words (``word_breaks``),
    so that a title is found as written; tests of the breaks read ``response.content``."""
    return response.content.decode().replace("<wbr>", "")


# ---------------------------------------------------------------- home


@pytest.mark.django_db
def test_home_shows_pinned_latest_and_topic_blocks(client):
    column = make_topic("理论学习")
    child = make_topic("两学一做", parent=column)
    pinned = make_article("置顶的重要文稿", is_pinned=True, topics=[column])
    latest = make_article("最近发布的文稿", topics=[child])

    response = client.get(reverse("articles:home"))

    assert response.status_code == 200
    html = html_of(response)
    assert '<html lang="zh-Hans">' in html
    assert 'id="main"' in html and 'href="#main"' in html
    assert "置顶文稿" in html and pinned.get_absolute_url() in html
    assert "最新文稿" in html and latest.get_absolute_url() in html
    assert f'id="topic-block-{column.pk}"' in html
    # The essay tagged only with the child topic shows in its column's block.
    block = html.split(f'id="topic-block-{column.pk}"')[1]
    assert latest.get_absolute_url() in block


@pytest.mark.django_db
def test_home_topic_block_lists_an_essay_once_and_at_most_a_few(client):
    column = make_topic("基层组织建设")
    child = make_topic("支部建设", parent=column)
    both = make_article("同时标注栏目和专题", topics=[column, child])
    for _ in range(HOME_PER_TOPIC + 2):
        make_article(topics=[child])

    html = html_of(client.get("/"))

    block = html.split(f'id="topic-block-{column.pk}"')[1].split("</section>")[0]
    assert block.count(both.get_absolute_url()) == 1
    assert block.count('class="link-list__item"') == HOME_PER_TOPIC


@pytest.mark.django_db
def test_home_has_no_block_for_hidden_or_empty_topics(client):
    hidden = make_topic("不在导航的栏目", show_in_nav=False)
    empty = make_topic("暂无文稿的栏目")
    make_article(topics=[hidden])

    html = html_of(client.get("/"))

    assert f'id="topic-block-{hidden.pk}"' not in html
    assert f'id="topic-block-{empty.pk}"' not in html
    assert f'href="{empty.get_absolute_url()}"' in html  # still in the navigation


@pytest.mark.django_db
def test_home_with_no_essays_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "暂无已发布的文稿" in html_of(response)


# ---------------------------------------------------------------- drafts and scheduled essays


@pytest.mark.django_db
def test_drafts_and_scheduled_essays_are_hidden_everywhere(client, admin_client):
    column = make_topic("理论学习")
    draft = make_draft("一篇尚未完成的草稿", topics=[column], is_pinned=True)
    scheduled = make_scheduled("一篇定时发布的文稿", topics=[column], is_pinned=True)
    make_article("一篇已发布的文稿", topics=[column])
    index_everything()

    for url in ["/", "/articles/", column.get_absolute_url(), "/articles/?q=文稿"]:
        html = html_of(client.get(url))
        assert draft.title not in html, url
        assert scheduled.title not in html, url
    for article in (draft, scheduled):
        assert client.get(article.get_absolute_url()).status_code == 404
        # Staff, too, see drafts only through the preview URL.
        assert admin_client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_scheduled_essay_appears_once_its_time_has_come(client):
    column = make_topic("理论学习")
    scheduled = make_scheduled("到点自动发布的文稿", topics=[column], publish_in=timedelta(days=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert client.get(scheduled.get_absolute_url()).status_code == 200
        for url in ["/", "/articles/", column.get_absolute_url()]:
            assert scheduled.title in html_of(client.get(url)), url


# ---------------------------------------------------------------- list


@pytest.mark.django_db
def test_list_is_paginated_by_ten(client):
    articles = [make_article() for _ in range(12)]  # newest first: the first made is newest

    first = html_of(client.get("/articles/"))
    second = html_of(client.get("/articles/?page=2"))

    assert "共 12 篇" in first
    assert articles[0].get_absolute_url() in first
    assert articles[-1].get_absolute_url() not in first
    assert articles[-1].get_absolute_url() in second
    assert 'aria-label="分页"' in first


@pytest.mark.parametrize("page, shows", [("abc", 1), ("", 1), ("2.5", 1), ("²", 1), ("02", 2)])
@pytest.mark.django_db
def test_list_malformed_page_numbers_show_the_first_page(client, page, shows):
    articles = [make_article() for _ in range(12)]
    response = client.get("/articles/", {"page": page})
    assert response.status_code == 200
    html = html_of(response)
    assert f"第 {shows} 页，共 2 页" in html
    expected = articles[0] if shows == 1 else articles[-1]
    assert expected.get_absolute_url() in html


@pytest.mark.parametrize("page", ["999", "3", "0", "-3"])
@pytest.mark.django_db
def test_list_page_numbers_that_name_no_page_are_404(client, page):
    for _ in range(12):
        make_article()
    response = client.get("/articles/", {"page": page})
    assert response.status_code == 404
    assert "页面不存在" in html_of(response)


@pytest.mark.django_db
def test_list_filters_by_topic_including_its_children(client):
    column = make_topic("理论学习")
    child = make_topic("两学一做", parent=column)
    other = make_topic("作风建设")
    in_column = make_article("栏目文稿", topics=[column])
    in_child = make_article("专题文稿", topics=[child])
    elsewhere = make_article("别处文稿", topics=[other])

    html = html_of(client.get("/articles/", {"topic": column.slug}))

    assert in_column.get_absolute_url() in html
    assert in_child.get_absolute_url() in html
    assert elsewhere.get_absolute_url() not in html


@pytest.mark.django_db
def test_list_filters_by_year_unit_and_title(client):
    old = make_article("二〇二三年的文稿", published_at=datetime(2023, 6, 1, tzinfo=UTC))
    new = make_article("今年的对策建议", author_org="格尔木市委")
    make_draft("草稿", author_org="只在草稿里的单位")
    index_everything()

    by_year = html_of(client.get("/articles/", {"year": "2023"}))
    by_org = html_of(client.get("/articles/", {"org": "格尔木市委"}))
    by_title = html_of(client.get("/articles/", {"q": "对策"}))

    assert old.get_absolute_url() in by_year and new.get_absolute_url() not in by_year
    assert new.get_absolute_url() in by_org and old.get_absolute_url() not in by_org
    assert new.get_absolute_url() in by_title and old.get_absolute_url() not in by_title
    # The form offers what is published, and nothing from drafts.
    assert '<option value="2023">2023年</option>' in by_title
    assert '<option value="格尔木市委">格尔木市委</option>' in by_title
    assert "只在草稿里的单位" not in by_title


@pytest.mark.django_db
def test_list_invalid_filters_are_reset_with_a_notice(client):
    """A value that is not a choice (a stale or altered link) is dropped, and the page says which."""
    make_article("一篇文稿")
    response = client.get("/articles/", {"year": "abc", "topic": "no-such-topic"})
    assert response.status_code == 200
    html = html_of(response)
    assert "共 1 篇" in html
    assert "您打开的链接中，“专题”“年份”条件无效（链接可能已过期或被改动），已改为“全部专题”“全部年份”" in html
    assert "no-such-topic" not in html and "abc" not in html  # the value is not echoed
    assert "选择一个有效的选项" not in html
    assert "清除条件" in html


@pytest.mark.django_db
def test_list_keeps_the_valid_filters_when_one_is_reset(client):
    column = make_topic("理论学习")
    make_article("专题里的文稿", topics=[column])
    make_article("别的文稿")
    html = html_of(client.get("/articles/", {"topic": column.slug, "org": "不存在的单位"}))
    assert "专题里的文稿" in html and "别的文稿" not in html
    assert "“作者单位”条件无效" in html and "已改为“全部单位”" in html


@pytest.mark.django_db
def test_list_with_a_reset_filter_is_not_stored(client):
    make_article("一篇文稿")
    response = client.get("/articles/", {"kind": "zzz"})
    assert "“只看”条件无效" in html_of(response)
    assert response.wsgi_request._page_cache_skip is True  # config.pagecache.no_page_cache
    assert getattr(client.get("/articles/").wsgi_request, "_page_cache_skip", False) is False


@pytest.mark.django_db
def test_list_search_words_too_long_are_still_refused(client):
    html = html_of(client.get("/articles/", {"q": "党" * 200}))
    assert "搜索词不能超过" in html
    assert "共 0 篇" in html


@pytest.mark.django_db
def test_pagination_links_keep_the_filters(client):
    column = make_topic("理论学习")
    for _ in range(12):
        make_article(topics=[column])
    html = html_of(client.get("/articles/", {"topic": column.slug}))
    assert f"?topic={column.slug}&amp;page=2" in html


@pytest.mark.django_db
def test_header_search_box_searches_essays(client):
    wanted = make_article("加强基层党组织建设的几点思考")
    other = make_article("作风建设工作总结")
    index_everything()

    response = client.get("/", {})
    assert '<form class="site-search" role="search" action="/articles/" method="get">' in html_of(response)
    html = html_of(client.get("/articles/", {"q": "基层党组织"}))
    assert wanted.get_absolute_url() in html
    assert other.get_absolute_url() not in html


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize("parameter", LIST_PARAMETERS)
@pytest.mark.parametrize("value", NASTY_VALUES, ids=range(len(NASTY_VALUES)))
@pytest.mark.django_db
def test_list_survives_hostile_query_parameters(client, parameter, value):
    column = make_topic("理论学习")
    make_article("一篇文稿", topics=[column])

    response = client.get("/articles/", {parameter: value})

    # A whole number other than 1 as ?page= names no page of this one-page list: the site's 404.
    names_no_page = parameter == "page" and value.lstrip("-").isascii() and value.lstrip("-").isdigit()
    assert response.status_code == (404 if names_no_page else 200)
    html = html_of(response)
    assert "<script>alert" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("query_string", RAW_QUERY_STRINGS, ids=range(len(RAW_QUERY_STRINGS)))
@pytest.mark.django_db
def test_list_survives_hostile_raw_query_strings(client, query_string):
    make_article("一篇文稿")
    assert client.get(f"/articles/?{query_string}").status_code == 200
    assert client.get(f"/?{query_string}").status_code == 200


@pytest.mark.parametrize("path", NASTY_PATHS, ids=range(len(NASTY_PATHS)))
@pytest.mark.django_db
def test_unknown_or_malformed_urls_are_404_in_chinese(client, path):
    make_article("一篇文稿")
    response = client.get(path)
    assert response.status_code == 404
    html = html_of(response)
    assert "页面不存在" in html
    assert '<html lang="zh-Hans">' in html


@pytest.mark.django_db
def test_list_survives_the_shared_hostile_string_lists(client):
    """Optional: the shared bad-input lists (skipped in a clone without them).

    By default every twentieth line (a few seconds); set BAD_INPUT_ALL=1 to
    send every line (about a minute).
    """
    folder = Path(__file__).resolve().parents[3] / "shared" / "bad-input"
    if not folder.is_dir():
        pytest.skip("the shared bad-input folder is not on this machine")
    lines = []
    for name in ("naughty.txt", "sqli.txt", "xss.txt"):
        # Split on \n only: the lists hold U+2028 and friends on purpose.
        lines += (folder / name).read_text(encoding="utf-8").split("\n")[:-1]
    if os.environ.get("BAD_INPUT_ALL") != "1":
        lines = lines[::20]
    column = make_topic("理论学习")
    make_article("一篇文稿", topics=[column])

    failures = []
    for line in lines:
        for params in ({"q": line}, dict.fromkeys(LIST_PARAMETERS, line)):
            status = client.get("/articles/", params).status_code
            if status != 200:
                failures.append((status, line))
    assert not failures, failures[:10]


# ---------------------------------------------------------------- essay page


@pytest.mark.django_db
def test_essay_page_shows_every_part(client):
    column = make_topic("基层组织建设")
    article = make_article(
        "当前基层党建工作存在的问题及对策建议",
        subtitle="以海西州为例",
        author="张三",
        author_org="海西州纪律检查委员会",
        source="海西州纪委",
        responsible_editor="李四",
        lead="<p>基层党建工作要坚持围绕经济抓党建。</p>",
        conclusion="<p>基层党组织和广大党员干部，不仅是……</p>",
        topics=[column],
    )
    add_sections(article, 3, 2)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = html_of(response)
    for text in [
        "当前基层党建工作存在的问题及对策建议",
        "以海西州为例",
        "作者：张三",
        "作者单位：海西州纪律检查委员会",
        "来源：海西州纪委",
        "发布时间：",
        "责任编辑：李四",
        "基层党建工作要坚持围绕经济抓党建",
        "基层党组织和广大党员干部",
        "重要意义",
        "存在问题",
        "对策建议",
        "一、",
        "(二)",
    ]:
        assert text in html, text
    assert html.count("<h1") == 1
    assert f'href="{column.get_absolute_url()}"' in html
    assert html.count('class="kind-label"') == 3  # on parts, not on points


@pytest.mark.django_db
def test_essay_meta_line_skips_empty_parts(client):
    article = make_article("没有作者的文稿", author="", source="", responsible_editor="", author_org="")
    html = html_of(client.get(article.get_absolute_url()))
    assert "作者：" not in html
    assert "来源：" not in html
    assert "责任编辑：" not in html
    assert "作者单位：" not in html
    assert "发布时间：" in html


@pytest.mark.django_db
def test_table_of_contents_links_every_section_and_point(client):
    article = make_article(topics=[make_topic()])
    sections = add_sections(article, 4, 3)
    # A point before any numbered part hangs on a headless entry.
    make_section(article, "开篇要点", level=Section.Level.POINT, position=0)

    html = html_of(client.get(article.get_absolute_url()))

    anchors = [section.anchor for section in article.sections.all()]
    assert len(anchors) == len(sections) + 1
    assert toc_links(html) == anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    assert '<nav class="toc" aria-label="目录">' in html
    assert html.count('<h2 id="section-') == 4
    assert html.count('<h3 id="section-') == 13


@pytest.mark.django_db
def test_essay_bodies_are_sanitised_html(client):
    article = make_article(lead='<p onclick="x()">导语<script>alert(1)</script><strong>要点</strong></p>')
    make_section(
        article,
        "部分",
        body='<p>正文<img src="https://evil.example/x.png"><a href="javascript:alert(1)">链接</a><em>强调</em></p>',
    )

    html = html_of(client.get(article.get_absolute_url()))

    assert "<strong>要点</strong>" in html and "<em>强调</em>" in html
    assert "<script>alert" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "evil.example" not in html


@pytest.mark.django_db
def test_essay_cover_prefers_the_banner_rendition(client):
    article = make_article(
        cover="covers/2024/01/original.jpg",
        cover_banner="covers/renditions/banner.jpg",
        cover_alt="党员志愿者在社区服务",
    )
    html = html_of(client.get(article.get_absolute_url()))
    assert 'src="/media/covers/renditions/banner.jpg" alt="党员志愿者在社区服务"' in html
    assert "original.jpg" not in html


@pytest.mark.django_db
def test_essay_links_previous_and_next_by_publish_time(client):
    now = timezone.now()
    older = make_article("较早的文稿", published_at=now - timedelta(days=3))
    middle = make_article("中间的文稿", published_at=now - timedelta(days=2))
    newer = make_article("较新的文稿", published_at=now - timedelta(days=1))
    make_scheduled("未来的文稿")
    make_draft("草稿文稿")

    html = html_of(client.get(middle.get_absolute_url()))
    assert f'href="{older.get_absolute_url()}" rel="prev"' in html
    assert f'href="{newer.get_absolute_url()}" rel="next"' in html

    newest_html = html_of(client.get(newer.get_absolute_url()))
    assert 'rel="next"' not in newest_html  # the scheduled essay is not next yet
    assert "草稿文稿" not in newest_html


@pytest.mark.django_db
def test_related_essays_share_topics_most_shared_first(client):
    a, b, c = make_topic("甲"), make_topic("乙"), make_topic("丙")
    article = make_article("本文", topics=[a, b])
    shares_both = make_article("共享两个专题", topics=[a, b], published_at=timezone.now() - timedelta(days=9))
    shares_one = [make_article(f"共享一个专题{i}", topics=[a]) for i in range(5)]
    unrelated = make_article("无关文稿", topics=[c])
    make_draft("相关草稿", topics=[a, b])

    html = html_of(client.get(article.get_absolute_url()))
    related = html.split('id="related-heading"')[1]

    assert related.count('class="link-list__item"') == 5
    assert related.index(shares_both.get_absolute_url()) < related.index(shares_one[0].get_absolute_url())
    assert unrelated.get_absolute_url() not in related
    assert "相关草稿" not in related


# ---------------------------------------------------------------- preview


@pytest.mark.django_db
def test_preview_redirects_anonymous_readers_to_the_admin_login(client):
    draft = make_draft()
    response = client.get(draft.get_preview_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert f"next={draft.get_preview_url()}" in response["Location"]


@pytest.mark.django_db
def test_preview_is_404_for_logged_in_non_staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert client.get(make_draft().get_preview_url()).status_code == 404


@pytest.mark.django_db
def test_preview_is_404_for_staff_without_the_right_to_view_essays(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    assert client.get(make_draft("他人的草稿").get_preview_url()).status_code == 404


@pytest.mark.django_db
def test_preview_shows_drafts_to_staff_privately(client, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(editor)
    draft = make_draft("待审的草稿", topics=[make_topic()])
    add_sections(draft, 2, 1)

    response = client.get(draft.get_preview_url())

    assert response.status_code == 200
    html = html_of(response)
    assert "预览：此文稿尚未发布" in html
    assert "待审的草稿" in html
    assert toc_links(html) == [s.anchor for s in draft.sections.all()]
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


@pytest.mark.django_db
def test_preview_of_a_scheduled_essay_says_when_it_goes_live(admin_client):
    scheduled = make_scheduled("定时文稿")
    html = html_of(admin_client.get(scheduled.get_preview_url()))
    assert "预览：此文稿尚未发布" in html
    assert "定时发布于" in html


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999999"])
@pytest.mark.django_db
def test_preview_of_a_missing_essay_is_404(admin_client, pk):
    assert admin_client.get(f"/preview/{pk}/").status_code == 404


# ---------------------------------------------------------------- error pages


def test_server_error_page_needs_no_database_and_no_context_processors():
    # No django_db mark: any query would raise, so this proves there is none.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = html_of(response)
    assert '<html lang="zh-Hans">' in html
    assert "服务器暂时出错" in html
    assert "{{" not in html and "{%" not in html


# ---------------------------------------------------------------- query budget


def build_site(size):
    """A site with a few or many essays, sections and topics; returns the essay to read."""
    large = size == "large"
    columns = [make_topic(f"栏目{i}") for i in range(4 if large else 1)]
    children = [
        make_topic(f"{column.name}的专题{j}", parent=column) for column in columns for j in range(3 if large else 1)
    ]
    articles = []
    for i in range(12 if large else 2):
        articles.append(
            make_article(
                topics=[columns[i % len(columns)], children[i % len(children)]],
                is_pinned=i < (3 if large else 1),
                author_org=f"单位{i % 4}",
            )
        )
    reading = articles[len(articles) // 2]
    if large:
        add_sections(reading, 5, 3)  # 20 sections and points
    else:
        add_sections(reading, 2)
    make_draft(topics=[columns[0]])
    make_scheduled(topics=[columns[0]])
    return reading


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    build_site(size)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    build_site(size)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/articles/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/articles/"])
@pytest.mark.django_db
def test_a_list_rendered_again_reads_its_stored_cards_in_the_page_query(
    client, django_assert_num_queries, settings, path
):
    """Without the page cache, a page rendered again within a generation queries only which
    essays it lists, with their stored cards: the home page its pinned and its latest essays,
    the list its page; the rest is the page's frame (articles/reading/frames.py)."""
    settings.PAGE_CACHE_SECONDS = 0
    build_site("large")
    first = client.get(path)
    with django_assert_num_queries(2 if path == "/" else 1):
        again = client.get(path)
    assert again.content == first.content


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_filtered_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    reading = build_site(size)
    topic = reading.topics.filter(parent__isnull=True).get()
    params = {
        "topic": topic.slug,
        "year": timezone.localtime(reading.published_at).year,
        "org": reading.author_org,
        "q": "文稿",
    }
    index_everything()
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/articles/", params)
    assert reading.get_absolute_url() in html_of(response)


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_essay_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, settings, size):
    settings.PAGE_CACHE_SECONDS = 0  # the second request must reach the view
    reading = build_site(size)
    expected_sections = 20 if size == "large" else 2
    assert reading.sections.count() == expected_sections
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reading.get_absolute_url())
    assert len(toc_links(html_of(response))) == expected_sections
    with django_assert_num_queries(STORED_DETAIL_QUERIES):
        again = client.get(reading.get_absolute_url())
    assert again.content == response.content


@pytest.mark.django_db
def test_published_queryset_is_the_only_gate(client):
    """A published essay with no publish time is not public (published() needs a time)."""
    article = make_article("没有发布时间", published_at=None)
    assert article.status == Article.Status.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_other_parameters_do_not_offer_to_clear_the_filters(client):
    """The list stored for ?utm_source=… is the plain list, served to everyone."""
    make_article("一篇文稿")
    assert "清除条件" not in html_of(client.get("/articles/", {"utm_source": "wechat"}))
    assert client.get("/articles/")["X-Page-Cache"] == "hit"
    assert "清除条件" not in html_of(client.get("/articles/"))
    assert "清除条件" in html_of(client.get("/articles/", {"q": "文稿"}))
    assert "清除条件" in html_of(client.get("/articles/", {"year": "abc"}))


def pagination_hrefs(html):
    """The query strings of the pagination links (上一页, the numbers, 下一页)."""
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    assert nav, "the page has no pagination"
    return re.findall(r'href="([^"]*)"', nav.group(0))


@pytest.mark.django_db
def test_pagination_links_leave_out_reset_filters(client):
    """``/articles/?topic=zzz&page=1``: the notice resets the topic, and the page links do not bring it back."""
    column = make_topic("理论学习")
    for _ in range(12):
        make_article(topics=[column])
    html = html_of(client.get("/articles/", {"topic": "zzz", "year": "abc", "kind": "zzz", "page": "1"}))
    assert "条件无效" in html
    hrefs = pagination_hrefs(html)
    assert hrefs == ["?page=1", "?page=2", "?page=2"]
    # A valid filter next to a reset one stays on every link; the junk does not.
    html = html_of(client.get("/articles/", {"topic": column.slug, "org": "不存在的单位", "page": "2"}))
    hrefs = pagination_hrefs(html)
    assert hrefs and all(href.startswith(f"?topic={column.slug}&amp;page=") for href in hrefs)
    assert not any("org=" in href for href in hrefs)


@pytest.mark.django_db
def test_pagination_links_of_a_search_carry_the_cleaned_words(client):
    for i in range(12):
        make_article(f"党建引领第{i}篇")
    index_everything()
    html = html_of(client.get("/articles/", {"q": "党建\x00引领", "topic": "zzz"}))
    hrefs = pagination_hrefs(html)
    assert hrefs
    for href in hrefs:
        assert "zzz" not in href and "topic" not in href and "%00" not in href
        assert href.startswith("?q=%E5%85%9A%E5%BB%BA+%E5%BC%95%E9%A2%86&amp;page=")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/articles/", "/articles/?q=%E5%85%9A%E5%BB%BA", "/topics/{topic}/"])
def test_a_page_number_past_the_last_is_a_404_and_is_not_stored(client, path):
    """?page=99 names no page: the site's 404 (cheap, before the list is rendered), never kept in the page cache."""
    from articles.search.indexing import rebuild

    topic = make_topic("党建工作专题")
    for n in range(3):
        make_article(f"党建工作文稿{n}", topics=[topic])
    rebuild()
    path = path.format(topic=topic.slug)
    joiner = "&" if "?" in path else "?"
    assert client.get(path).status_code == 200
    assert client.get(f"{path}{joiner}page=1").status_code == 200
    for number in ("2", "99", "0", "-1"):
        response = client.get(f"{path}{joiner}page={number}")
        assert response.status_code == 404, number
        assert "页面不存在" in response.content.decode()  # the site's own 404 page
        again = client.get(f"{path}{joiner}page={number}")
        assert again.status_code == 404 and again.get("X-Page-Cache") != "hit"
