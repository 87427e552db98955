"""Topic pages: the index of columns and one topic's essays."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import make_article, make_draft, make_scheduled, make_topic

# Every test starts with an empty cache (conftest.py): the first page of a
# test also reads the site settings (siteinfo), which later pages take from the cache.
SITE_SETTINGS = 1
# The first page of a cache generation also reads when the next scheduled
# essay is due (config/pagecache.py); later pages of the generation do not.
PAGE_GENERATION = 1
INDEX_QUERIES = (
    3 + SITE_SETTINGS + PAGE_GENERATION
)  # nav topics; all topics; published counts of every topic (one UNION)
DETAIL_QUERIES = (
    5 + 5 + SITE_SETTINGS + PAGE_GENERATION
)  # nav; topic (+ parent); children; published counts (also the page count); page with its cards;
# the first request renders and stores the cards (articles/reading/cards.py): essays, their topics,
# the insert in its savepoint


def html_of(response):
    """The page without the <wbr> that titles carry between words (``word_breaks``): titles are found as written."""
    return response.content.decode().replace("<wbr>", "")


def count_after(html, name):
    """The "N 篇" count printed after the link named ``name``."""
    match = re.search(rf">{re.escape(name)}</a>\s*<span class=\"count\">(\d+) 篇</span>", html)
    assert match, name
    return int(match.group(1))


@pytest.mark.django_db
def test_index_lists_columns_with_children_and_published_counts(client):
    column = make_topic("理论学习", description="学习党的创新理论。")
    child = make_topic("两学一做", parent=column)
    empty = make_topic("作风建设")
    make_article(topics=[column])
    make_article(topics=[child])
    make_article(topics=[column, child])  # counted once for the column
    make_draft(topics=[column, child])
    make_scheduled(topics=[column, child])

    response = client.get(reverse("topics:index"))

    assert response.status_code == 200
    html = html_of(response)
    assert "专题索引" in html
    assert "学习党的创新理论" in html
    assert count_after(html, "理论学习") == 3
    assert count_after(html, "两学一做") == 2
    assert count_after(html, "作风建设") == 0
    assert html.index("理论学习") < html.index("两学一做")
    assert f'href="{empty.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_index_counts_a_scheduled_essay_once_published(client):
    column = make_topic("理论学习")
    make_scheduled(topics=[column], publish_in=timedelta(hours=2))
    assert count_after(html_of(client.get("/topics/")), "理论学习") == 0
    with time_machine.travel(timezone.now() + timedelta(hours=3), tick=False):
        assert count_after(html_of(client.get("/topics/")), "理论学习") == 1


@pytest.mark.django_db
def test_topic_page_lists_essays_of_the_topic_and_its_children(client):
    column = make_topic("基层组织建设", description="支部建设、党员教育管理。")
    child = make_topic("支部建设", parent=column)
    other = make_topic("作风建设")
    own = make_article("栏目自己的文稿", topics=[column])
    childs = make_article("专题里的文稿", topics=[child])
    both = make_article("两处都有的文稿", topics=[column, child])
    elsewhere = make_article("别的栏目的文稿", topics=[other])
    draft = make_draft("草稿", topics=[column])
    scheduled = make_scheduled("定时文稿", topics=[child])

    response = client.get(column.get_absolute_url())

    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>基层组织建设</h1>" in html
    assert "支部建设、党员教育管理" in html
    assert "下设专题" in html and f'href="{child.get_absolute_url()}"' in html
    assert "共 3 篇" in html
    for article in (own, childs, both):
        assert article.get_absolute_url() in html
    assert html.count(f'<a href="{both.get_absolute_url()}">') == 1
    for article in (elsewhere, draft, scheduled):
        assert article.title not in html


@pytest.mark.django_db
def test_child_topic_page_links_back_to_its_column(client):
    column = make_topic("理论学习")
    child = make_topic("主题教育", parent=column)
    sibling_essay = make_article("只在栏目里的文稿", topics=[column])

    html = html_of(client.get(child.get_absolute_url()))

    breadcrumbs = re.search(r'<nav class="breadcrumbs" aria-label="当前位置">(.*?)</nav>', html, re.S).group(1)
    assert f'<a href="{column.get_absolute_url()}">理论学习</a>' in breadcrumbs
    assert sibling_essay.get_absolute_url() not in html
    assert "本专题暂无已发布的文稿" in html


@pytest.mark.django_db
def test_topic_page_is_paginated_and_survives_bad_page_numbers(client):
    column = make_topic("理论学习")
    articles = [make_article(topics=[column]) for _ in range(12)]
    for page, expected in [
        ("2", articles[-1]),
        ("abc", articles[0]),
        ("\x00", articles[0]),
        ("9" * 5000, articles[0]),
    ]:
        response = client.get(column.get_absolute_url(), {"page": page})
        assert response.status_code == 200
        assert expected.get_absolute_url() in html_of(response)
    # Numbers that name no page: the site's 404, not another page under their name.
    for page in ("9" * 20, "3", "0", "-1"):
        response = client.get(column.get_absolute_url(), {"page": page})
        assert response.status_code == 404, page
        assert "页面不存在" in html_of(response)


@pytest.mark.parametrize(
    "path",
    ["/topics/不存在/", "/topics/%00/", "/topics/no-such-topic/", "/topics/" + "x" * 3000 + "/", "/topics/%ED%A0%80/"],
)
@pytest.mark.django_db
def test_unknown_topics_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in html_of(response)


@pytest.mark.django_db
def test_navigation_shows_top_level_topics_marked_for_it(client):
    shown = make_topic("理论学习")
    hidden = make_topic("内部栏目", show_in_nav=False)
    child = make_topic("两学一做", parent=shown)

    html = html_of(client.get("/topics/"))
    nav = re.search(r'<nav class="site-nav" aria-label="栏目导航">(.*?)</nav>', html, re.S).group(1)

    assert shown.name in nav
    assert hidden.name not in nav
    assert child.name not in nav


# ---------------------------------------------------------------- query budget


def build_topics(size):
    large = size == "large"
    columns = [make_topic(f"栏目{i}") for i in range(5 if large else 1)]
    children = [
        make_topic(f"{column.name}的专题{j}", parent=column) for column in columns for j in range(4 if large else 1)
    ]
    for i in range(12 if large else 2):
        make_article(topics=[columns[0], children[i % len(children)]])
    make_draft(topics=[columns[0]])
    return columns[0]


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    build_topics(size)
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get("/topics/").status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_topic_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    column = build_topics(size)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(column.get_absolute_url())
    expected = 12 if size == "large" else 2
    assert f"共 {expected} 篇" in html_of(response)
