"""Stored essay pages (articles/renditions.py): the same page as a fresh render,
stale the moment anything it shows changes, never leaking a marker."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models import F
from django.shortcuts import render
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.editing.sections import normalize_sections
from articles.models import Article, EssayRendition, Section
from articles.reading import renditions, viewcounts
from articles.reading.essay_page import essay_context
from articles.tests.factories import add_sections, make_article, make_section, make_topic
from siteinfo.models import SiteSettings

pytestmark = pytest.mark.django_db

MARKER = re.compile(r"<!--slot:")


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Every request below must reach the view, not the whole-page cache.
    settings.PAGE_CACHE_SECONDS = 0


def page(client, article, **extra):
    response = client.get(article.get_absolute_url(), **extra)
    assert response.status_code == 200
    return response.content.decode()


def fresh_render(article, **extra):
    """The page as the template renders it directly, no stored page involved."""
    request = RequestFactory().get(article.get_absolute_url(), **extra)
    article = Article.objects.prefetch_related("sections", "topics").get(pk=article.pk)
    return render(request, renditions.TEMPLATE, essay_context(article, request)).content.decode()


@pytest.fixture
def essay():
    column = make_topic("党建引领")
    special = make_topic("基层治理", parent=column)
    make_article("较早的一篇", topics=[column])
    article = make_article("主题党日活动的做法与思考", topics=[column, special], source="组织部")
    add_sections(article, 3, 2)
    make_article("较新的一篇", topics=[column, special])
    return Article.objects.get(pk=article.pk)


def test_the_stored_page_is_the_page_the_template_renders(client, essay):
    first = page(client, essay)
    assert EssayRendition.objects.filter(article=essay).exists()
    second = page(client, essay)
    assert first == second == fresh_render(essay)
    assert not MARKER.search(first)
    titles = first.replace("<wbr>", "")  # titles break between words (articles/templatetags/titles.py)
    assert "较早的一篇" in titles and "较新的一篇" in titles  # previous / next (and related)


def test_the_stored_page_takes_the_request_address(client, essay, settings):
    settings.ALLOWED_HOSTS = ["testserver", "dangjian.example.org"]
    page(client, essay)  # stored, rendered for another host
    html = page(client, essay, HTTP_HOST="dangjian.example.org", secure=True)
    assert renditions.PLACEHOLDER_HOST not in html
    assert f'<link rel="canonical" href="https://dangjian.example.org{essay.get_absolute_url()}">' in html
    assert f'"https://dangjian.example.org{essay.get_absolute_url()}"' in html  # JSON-LD
    assert '<meta name="SiteDomain" content="dangjian.example.org">' in html
    assert html == fresh_render(essay, HTTP_HOST="dangjian.example.org", secure=True)


def test_the_query_string_does_not_reach_the_stored_page(client, essay):
    html = page(client, essay, QUERY_STRING="page=3&q=%3Cscript%3E")
    assert "page=3" not in html and "&lt;script" not in html
    assert page(client, essay) == html


def test_the_hand_written_query_agrees_with_published():
    """renditions.published_essay_row is Article.objects.published() written out: same essays, always."""
    now = timezone.now()
    times = {"past": now - timedelta(minutes=5), "future": now + timedelta(minutes=5), "none": None}
    for status in Article.Status.values:
        for when, published_at in times.items():
            for deleted in (False, True):
                make_article(
                    f"{status}-{when}-{deleted}",
                    status=status,
                    published_at=published_at,
                    deleted_at=now if deleted else None,
                )
    published = set(Article.objects.published().values_list("slug", flat=True))
    assert len(published) == 1
    for slug in Article.all_objects.values_list("slug", flat=True):
        assert (renditions.published_essay_row(slug) is not None) == (slug in published), slug
    assert renditions.published_essay_row("no-such-essay") is None


def test_a_stored_page_is_read_in_one_query(client, essay):
    page(client, essay)
    with CaptureQueriesContext(connection) as queries:
        page(client, essay)
    assert len(queries) == 1


def test_view_count_is_filled_on_every_request(client, essay):
    Article.objects.filter(pk=essay.pk).update(view_count=41)
    assert '<span class="essay__views">41</span>' in page(client, essay)
    viewcounts.record_view(essay.pk)
    assert '<span class="essay__views">42</span>' in page(client, essay)


def test_saving_the_essay_shows_at_once(client, essay):
    page(client, essay)
    essay.title = "修改后的标题"
    essay.save()
    html = page(client, essay).replace("<wbr>", "")  # titles break between words (word_breaks)
    assert "修改后的标题" in html and "主题党日活动的做法与思考" not in html


def test_a_section_saved_alone_shows_at_once(client, essay):
    page(client, essay)
    section = essay.sections.filter(level=Section.Level.POINT).first()
    section.body = "<p>新写的一段正文。</p>"
    section.save()
    assert "新写的一段正文" in page(client, essay)
    section.delete()
    assert "新写的一段正文" not in page(client, essay)
    make_section(essay, "后来补上的小标题", number="四、")
    assert "后来补上的小标题" in page(client, essay)


def test_renumbered_sections_show_at_once(client, essay):
    page(client, essay)
    last = essay.sections.order_by("-position").first()
    # Raw updates (no signals): gaps in the numbering, the last point moved first.
    Section.objects.filter(article=essay).update(position=F("position") * 10)
    Section.objects.filter(pk=last.pk).update(position=0)
    normalize_sections(essay)  # renumbers with bulk_update
    html = page(client, essay)
    assert html == fresh_render(essay)
    assert html.index(last.heading) < html.index(essay.sections.order_by("position")[1].heading)


def test_topic_changes_show_at_once(client, essay):
    page(client, essay)
    topic = essay.topics.get(name="基层治理")
    topic.name = "社区治理"
    topic.save()
    assert "社区治理" in page(client, essay)
    essay.topics.remove(topic)
    assert '<meta property="article:tag" content="社区治理">' not in page(client, essay)
    other = make_topic("乡村振兴")
    other.articles.add(essay)  # from the topic's side
    assert "乡村振兴" in page(client, essay)
    other.delete()
    assert "乡村振兴" not in page(client, essay)


def test_other_essays_and_site_settings_show_at_once(client, essay):
    page(client, essay)
    make_article("刚刚发布的一篇", topics=list(essay.topics.all()))
    assert "刚刚发布的一篇" in page(client, essay).replace("<wbr>", "")  # related essays
    SiteSettings.objects.create(organizer="中共某某县委组织部")
    assert "中共某某县委组织部" in page(client, essay)  # footer


def test_a_new_code_version_renders_again(client, essay):
    page(client, essay)
    EssayRendition.objects.filter(article=essay).update(html="旧版本的页面")
    assert "旧版本的页面" in page(client, essay)  # same version: the stored page is served
    with mock.patch.object(renditions, "code_version", return_value="a-new-deploy"):
        assert page(client, essay) == fresh_render(essay)
    assert EssayRendition.objects.get(article=essay).code_version == "a-new-deploy"


def test_signed_in_editors_get_the_page_rendered_afresh(client, admin_client, essay):
    page(client, essay)
    Article.objects.filter(pk=essay.pk).update(title="直接改过的标题")  # no signal, no new version
    assert "直接改过的标题" in page(admin_client, essay)
    assert "直接改过的标题" in page(client, essay)  # and readers get what the editor saw


def test_an_unpublished_essay_with_a_stored_page_is_404(client, essay):
    page(client, essay)
    Article.objects.filter(pk=essay.pk).update(status=Article.Status.DRAFT)
    assert client.get(essay.get_absolute_url()).status_code == 404


def test_previews_neither_use_nor_store_a_page(admin_client):
    draft = make_article("尚未发布的文稿", status=Article.Status.DRAFT, published_at=None, sections=1)
    assert admin_client.get(draft.get_preview_url()).status_code == 200
    assert not EssayRendition.objects.filter(article=draft).exists()


def test_text_that_looks_like_a_marker_stays_text(client):
    token = renditions.marker("views")
    article = make_article(
        f"标题{token}",
        lead=f"<p>导语{token}</p>",
        sections=0,
    )
    make_section(article, f"小标题{token}", body=f"<p>正文</p>{token}<p>{renditions.marker('header')}</p>")
    article = Article.objects.get(pk=article.pk)
    html = page(client, article)
    assert html == page(client, article) == fresh_render(article)
    assert "<!--slot:" not in html  # escaped in headings, dropped from rich text by the sanitiser


def test_without_a_cache_the_page_is_still_served(client, essay, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    first = page(client, essay)
    assert first == page(client, essay) == fresh_render(essay)


def test_render_essays_command_stores_every_published_page(essay):
    from django.core.management import call_command

    make_article("草稿", status=Article.Status.DRAFT, published_at=None)
    call_command("render_essays", verbosity=0)
    published = set(Article.objects.published().values_list("pk", flat=True))
    assert set(EssayRendition.objects.values_list("article_id", flat=True)) == published
