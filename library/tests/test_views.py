"""The public 问题库/对策库 pages, their filters, charts, permalinks and hostile input."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_draft, make_topic
from articles.tests.test_views import NASTY_VALUES, RAW_QUERY_STRINGS
from library.forms import filter_choices
from library.models import LibraryItem, Theme
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, STUDY, make_essay

pytestmark = pytest.mark.django_db

PROBLEMS = "/library/problems/"
COUNTERMEASURES = "/library/countermeasures/"
PARAMETERS = ["topic", "org", "year", "sort", "page"]
# A lone surrogate cannot be sent by the test client as a str: see the raw query strings.
EXTRA_HOSTILE = ["'\"<script>", "a" * 20000, "🇨🇳" * 50, "\x00\x01", "../../etc/passwd"]


@pytest.fixture(autouse=True)
def _regroup_by_hand(no_task_worker):
    pass


@pytest.fixture
def library():
    column = make_topic("组织建设")
    essays = [
        make_essay(
            problems=[ATTITUDE[i], ORGANIZATION[i]],
            countermeasures=STUDY,
            author_org=f"第{i}党委",
            topics=[column] if i < 2 else [],
        )
        for i in range(3)
    ]
    regroup()
    return {"column": column, "essays": essays}


def html(response):
    """The page without the <wbr> that titles carry between words (``word_breaks``): titles are found as written."""
    return response.content.decode().replace("<wbr>", "")


def theme_of(heading):
    return LibraryItem.objects.filter(heading=heading).first().theme


def test_problem_index_lists_themes_with_counts(client, library):
    response = client.get(PROBLEMS)
    assert response.status_code == 200
    page = html(response)
    assert "<h1>问题库</h1>" in page
    attitude = theme_of(ATTITUDE[0])
    assert attitude.get_absolute_url() in page
    assert "<strong>3</strong> 篇文稿提出" in page
    assert "来自 <strong>3</strong> 个单位" in page
    # Countermeasures are not in the problem library.
    assert theme_of(STUDY[0]).get_absolute_url() not in page


def test_countermeasure_index_lists_countermeasure_themes(client, library):
    page = html(client.get(COUNTERMEASURES))
    assert "<h1>对策库</h1>" in page
    assert theme_of(STUDY[0]).get_absolute_url() in page
    assert theme_of(ATTITUDE[0]).get_absolute_url() not in page


def test_header_links_to_both_libraries(client, library):
    page = html(client.get("/"))
    assert f'href="{PROBLEMS}"' in page and ">问题库<" in page
    assert f'href="{COUNTERMEASURES}"' in page and ">对策库<" in page


def test_filters_by_unit_topic_and_year(client, library):
    page = html(client.get(PROBLEMS, {"org": "第2党委"}))
    assert "<strong>1</strong> 篇文稿提出" in page
    page = html(client.get(PROBLEMS, {"topic": library["column"].slug}))
    assert "<strong>2</strong> 篇文稿提出" in page
    year = library["essays"][0].published_at.year
    assert "<strong>3</strong> 篇文稿提出" in html(client.get(PROBLEMS, {"year": year}))


def test_units_are_offered_in_the_essay_lists_order(client):
    for org in ("重庆市委", "西宁市委", "安徽省委", "北京市委"):
        make_essay(problems=[ATTITUDE[0]], author_org=org)
    regroup()

    assert filter_choices()[1] == ["安徽省委", "北京市委", "西宁市委", "重庆市委"]
    page = html(client.get(PROBLEMS))
    positions = [page.index(f'<option value="{org}">') for org in ("安徽省委", "北京市委", "西宁市委", "重庆市委")]
    assert positions == sorted(positions)


def test_filters_matching_nothing_say_so(client, library):
    other = make_topic("空专题")
    response = client.get(PROBLEMS, {"topic": other.slug})
    assert response.status_code == 200
    assert "没有符合这些条件的主题" in html(response)


def test_invalid_filters_are_reset_with_a_notice(client, library):
    response = client.get(PROBLEMS, {"year": "1900", "org": "不存在的单位", "topic": "zzz", "sort": "zzz"})
    assert response.status_code == 200
    page = html(response)
    assert (
        "您打开的链接中，“专题”“作者单位”“年份”“排序”条件无效（链接可能已过期或被改动），"
        "已改为“全部专题”“全部单位”“全部年份”“提出最多”"
    ) in page
    assert "选择一个有效的选项" not in page and "不在可用的选项中" not in page
    assert "zzz" not in page and "不存在的单位" not in page
    assert response.wsgi_request._page_cache_skip is True
    # The themes are listed as without the filters.
    assert theme_of(ATTITUDE[0]).get_absolute_url() in page


def test_a_reset_filter_keeps_the_valid_ones(client, library):
    column = library["column"]
    page = html(client.get(PROBLEMS, {"topic": column.slug, "year": "abc"}))
    assert "“年份”条件无效" in page and "“专题”条件无效" not in page
    assert f'<option value="{column.slug}" selected>' in page


def test_export_still_refuses_an_invalid_filter(client, library):
    response = client.get(reverse("library:problems_csv") + "?topic=zzz")
    assert response.status_code == 400


def test_sorting_most_raised_and_newest(client, library):
    # Two essays raise it: a theme of one item would be in 其他, which is always listed last.
    make_essay(problems=["村级活动场所简陋，阵地功能单一"], published_at=timezone.now() - timedelta(hours=1))
    newest = make_essay(problems=["村级活动阵地建设滞后，场所设施陈旧"], published_at=timezone.now())
    regroup()
    new_theme = theme_of("村级活动阵地建设滞后，场所设施陈旧")
    attitude = theme_of(ATTITUDE[0])
    most = html(client.get(PROBLEMS, {"sort": "most"}))
    assert most.index(attitude.get_absolute_url()) < most.index(new_theme.get_absolute_url())
    latest = html(client.get(PROBLEMS, {"sort": "newest"}))
    assert newest.published_at
    assert latest.index(new_theme.get_absolute_url()) < latest.index(attitude.get_absolute_url())


def test_index_chart_has_data_and_an_accessible_table(client, library):
    page = html(client.get(PROBLEMS))
    assert 'id="themes-chart-data" type="application/json"' in page
    assert "<caption>问题库：提出最多的主题" in page
    assert '<th scope="col">主题</th>' in page and '<th scope="row">' in page
    assert "js/library-charts.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_theme_page_lists_every_item_with_links_to_the_essay_point(client, library):
    theme = theme_of(ATTITUDE[0])
    response = client.get(theme.get_absolute_url())
    assert response.status_code == 200
    page = html(response)
    for essay in library["essays"]:
        item = LibraryItem.objects.get(article=essay, theme=theme)
        assert f'href="{essay.get_absolute_url()}#section-{item.section_id}"' in page
        assert item.get_absolute_url() in page
    assert "第0党委" in page and "组织建设" in page
    assert 'id="years-chart-data"' in page and 'id="units-chart-data"' in page
    assert "历年提出这一主题的文稿数" in page


def test_theme_page_shows_linked_and_related_countermeasures(client, library):
    theme = theme_of(ORGANIZATION[0])
    page = html(client.get(theme.get_absolute_url()))
    assert STUDY[1] in page  # linked (suggested) countermeasure
    assert theme_of(STUDY[1]).get_absolute_url() in page  # proposed by the same essays
    countermeasure_page = html(client.get(theme_of(STUDY[1]).get_absolute_url()))
    assert ORGANIZATION[0] in countermeasure_page


def test_the_essay_page_has_the_anchor_the_permalink_opens(client, library):
    item = LibraryItem.objects.get(heading=ATTITUDE[0])
    response = client.get(item.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == item.essay_url()
    essay_page = html(client.get(item.article.get_absolute_url()))
    assert f'id="section-{item.section_id}"' in essay_page


def test_one_item_theme_page(client):
    make_essay(problems=["村级活动阵地建设滞后"])
    regroup()
    theme = Theme.objects.get()
    page = html(client.get(theme.get_absolute_url()))
    assert "<strong>1</strong> 篇文稿提出" in page
    assert "暂无关联的条目" in page


def test_empty_library(client):
    for url in (PROBLEMS, COUNTERMEASURES):
        response = client.get(url)
        assert response.status_code == 200
        assert "暂无内容" in html(response)
        assert "themes-chart-data" not in html(response)


def test_essay_without_problems_section(client):
    make_essay(countermeasures=STUDY)
    regroup()
    assert "暂无内容" in html(client.get(PROBLEMS))
    assert STUDY[0] in html(client.get(COUNTERMEASURES)) or theme_of(STUDY[0]).label in html(
        client.get(COUNTERMEASURES)
    )


def test_only_published_essays_appear(client, library):
    draft = make_draft()
    theme = theme_of(ATTITUDE[0])
    item = LibraryItem.objects.get(heading=ATTITUDE[0])
    essay = item.article
    essay.status = Article.Status.DRAFT
    essay.save()
    # Before any regroup the items still exist, yet nothing of the draft is shown.
    page = html(client.get(theme.get_absolute_url()))
    assert essay.get_absolute_url() not in page
    assert client.get(item.get_absolute_url()).status_code == 404
    exported = client.get(reverse("library:problems_csv"))
    assert essay.title not in b"".join(exported.streaming_content).decode("utf-8-sig")
    assert draft.title not in html(client.get(PROBLEMS))


def test_a_theme_with_no_published_items_is_404(client, library):
    Article.objects.update(status=Article.Status.DRAFT)
    theme = theme_of(ATTITUDE[0])
    assert client.get(theme.get_absolute_url()).status_code == 404


def test_a_theme_of_the_other_library_is_404(client, library):
    theme = theme_of(ATTITUDE[0])
    assert client.get(f"{COUNTERMEASURES}{theme.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/library/problems/99999999999999999999999/",
        "/library/problems/0/",
        "/library/items/1-0/",
        "/library/items/99999999999999999999999-0/",
        "/library/items/..%2F..%2Fetc%2Fpasswd/",
        "/library/items/%00/",
        "/library/items/1-99999/",
        "/library/problems/%F0%9F%98%80/",
    ],
)
def test_malformed_urls_are_404(client, library, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("url", [PROBLEMS, COUNTERMEASURES, "/library/problems/export.csv"])
@pytest.mark.parametrize("value", NASTY_VALUES + EXTRA_HOSTILE, ids=range(len(NASTY_VALUES) + len(EXTRA_HOSTILE)))
def test_hostile_values_in_every_parameter(client, url, value):
    make_essay(problems=ATTITUDE[:1])
    regroup()
    response = client.get(url, dict.fromkeys([*PARAMETERS, "theme"], value))
    # A whole number as ?page= names no page of a one-page library (except 1): the site's 404.
    names_no_page = "page" in PARAMETERS and value.lstrip("-").isascii() and value.lstrip("-").isdigit()
    assert response.status_code in ((200, 400, 404) if names_no_page else (200, 400))
    page = (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8", "replace")
    assert "<script>alert" not in page and "<img src=x" not in page


@pytest.mark.parametrize(
    "query_string",
    RAW_QUERY_STRINGS
    + [
        "theme=%ED%A0%80",
        "sort=%00",
        "theme=1e9",
        "&".join(f"{name}=%ED%A0%80" for name in [*PARAMETERS, "theme"]),
    ],
)
def test_hostile_raw_query_strings(client, query_string):
    for url in (PROBLEMS, "/library/problems/export.xlsx"):
        assert client.get(f"{url}?{query_string}").status_code in (200, 400)


def test_index_runs_a_fixed_number_of_queries(client, library, django_assert_max_num_queries):
    for i in range(5):
        make_essay(problems=[f"第{i}个不同的问题：经费保障不足{i}"])
    regroup()
    with django_assert_max_num_queries(14):
        assert client.get(PROBLEMS).status_code == 200


def test_theme_page_paginates_its_items(client):
    from library import views

    for _ in range(4):
        make_essay(problems=[ATTITUDE[0]])
    regroup()
    theme = theme_of(ATTITUDE[0])
    original = views.ITEMS_PER_PAGE
    views.ITEMS_PER_PAGE = 3
    try:
        first = html(client.get(theme.get_absolute_url()))
        second = html(client.get(theme.get_absolute_url(), {"page": 2}))
    finally:
        views.ITEMS_PER_PAGE = original
    assert first.count('class="item"') == 3 and second.count('class="item"') == 1
    assert "共 4 条" in first and 'rel="next"' in first


def test_theme_statistics_follow_an_editors_merge(client, library):
    from library import services

    attitude, organization = theme_of(ATTITUDE[0]), theme_of(ORGANIZATION[0])
    assert "<strong>3</strong> 篇文稿提出，共 3 条" in html(client.get(attitude.get_absolute_url()))
    merged = services.merge_themes([attitude, organization])
    assert "<strong>3</strong> 篇文稿提出，共 6 条" in html(client.get(merged.get_absolute_url()))


def test_library_pages_are_cached_until_the_library_changes(client, library, admin_client):
    from library import services

    theme = theme_of(ATTITUDE[0])
    for url in (reverse("library:problems"), theme.get_absolute_url()):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
    services.rename_theme(theme, "学习态度不端正")  # an editor's rename
    for url in (reverse("library:problems"), theme.get_absolute_url()):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "学习态度不端正" in html(response)
    client.get(reverse("library:problems"))
    regroup()  # e.g. after a publish, in the background
    assert client.get(reverse("library:problems"))["X-Page-Cache"] == "miss"
    client.get(reverse("library:problems"))
    change = reverse("admin:library_theme_change", args=[theme.pk])
    admin_client.post(
        change,
        {
            "custom_label": "学习态度问题",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    response = client.get(reverse("library:problems"))
    assert response["X-Page-Cache"] == "miss"
    assert "学习态度问题" in html(response)


def test_other_parameters_do_not_offer_to_clear_the_filters(client, library):
    """The page stored for ?utm_source=… is the plain index, served to everyone."""
    url = reverse("library:problems")
    assert "清除条件" not in html(client.get(url, {"utm_source": "wechat"}))
    assert "清除条件" not in html(client.get(url))
    assert "清除条件" in html(client.get(url, {"year": "abc"}))
    assert "清除条件" in html(client.get(url, {"sort": "newest"}))


def test_pagination_links_leave_out_reset_filters(client, library, monkeypatch):
    """``?topic=zzz``: the filter is reset with a notice, and the page links do not carry it again."""
    monkeypatch.setattr("library.views.THEMES_PER_PAGE", 1)
    page = html(client.get(PROBLEMS, {"topic": "zzz", "year": "1900", "sort": "newest", "page": "1"}))
    assert "条件无效" in page
    nav = page[page.index('<nav class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    hrefs = re.findall(r'href="([^"]*)"', nav)
    assert hrefs and all(href.startswith("?sort=newest&amp;page=") for href in hrefs)
    assert not any("zzz" in href or "1900" in href or "topic" in href for href in hrefs)


def test_items_of_no_theme_are_one_other_bucket_listed_last_and_never_charted(client, library):
    make_essay(problems=["村级活动阵地建设滞后"], countermeasures=["建立流动党员服务站"])
    regroup()
    misc = Theme.objects.get(library="problems", misc=True)
    assert misc.label == "其他" and misc.words == []
    page = html(client.get(PROBLEMS))
    assert page.index(theme_of(ATTITUDE[0]).get_absolute_url()) < page.index(misc.get_absolute_url())
    assert "未归入主题的问题" in page
    charted = page[page.index('id="themes-chart-data"') :]
    assert "其他" not in charted[: charted.index("</script>")]


def test_the_index_shows_the_countermeasure_themes_next_to_each_problem_theme(client, library):
    organization, study = theme_of(ORGANIZATION[0]), theme_of(STUDY[1])
    page = html(client.get(PROBLEMS))
    card = page[page.index(organization.get_absolute_url()) :]
    card = card[: card.index("</li>")]
    assert "对策：" in card and study.get_absolute_url() in card
    page = html(client.get(COUNTERMEASURES))
    card = page[page.index(study.get_absolute_url()) :]
    card = card[: card.index("</li>")]
    assert "针对的问题：" in card and organization.get_absolute_url() in card


def test_a_rejected_link_puts_no_countermeasure_theme_on_the_index(client, library):
    from library.models import CountermeasureLink

    organization, study = theme_of(ORGANIZATION[0]), theme_of(STUDY[1])
    CountermeasureLink.objects.filter(problem__theme=organization).update(status=CountermeasureLink.Status.REJECTED)
    from library import queries

    queries.library_changed()
    page = html(client.get(PROBLEMS))
    card = page[page.index(organization.get_absolute_url()) :]
    assert study.get_absolute_url() not in card[: card.index("</li>")]


def test_keywords_are_plain_words_not_styled_as_links(client, library):
    page = html(client.get(PROBLEMS))
    words = page[page.index('class="theme-card__words"') :]
    words = words[: words.index("</p>")]
    assert "关键词：" in words and '<span class="keyword">' in words
    assert "<a " not in words and 'class="tag"' not in words


def test_the_other_bucket_is_never_withheld_so_the_index_reads_stored_counts(client, library):
    from library import visibility

    make_essay(problems=["村级活动阵地建设滞后"])
    regroup()
    assert Theme.objects.filter(misc=True).exists()
    assert not visibility.any_withheld()
