"""Publishing and section bookkeeping (articles.editing.workflow)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.editing import workflow
from articles.editing.sections import normalize_sections
from articles.models import Article, Section

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)
Kind, Level = Section.Kind, Section.Level


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password="x", is_staff=True)


@time_machine.travel(NOW, tick=False)
def test_publish_sets_publish_time_to_now_when_empty(editor):
    article = Article.objects.create(title="草稿")
    workflow.publish(article, editor, confirm_secrecy=True)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == NOW
    assert article.updated_by == editor
    assert article.updated_at == NOW
    assert list(Article.objects.published()) == [article]


@time_machine.travel(NOW, tick=False)
def test_publish_keeps_a_past_publish_time(editor):
    earlier = NOW - dt.timedelta(days=30)
    article = Article.objects.create(title="旧文", published_at=earlier)
    workflow.publish(article, editor, confirm_secrecy=True)
    article.refresh_from_db()
    assert article.published_at == earlier


def test_publish_with_a_future_time_schedules_the_essay(editor):
    later = NOW + dt.timedelta(days=2)
    with time_machine.travel(NOW, tick=False):
        article = Article.objects.create(title="定时", published_at=later)
        workflow.publish(article, editor, confirm_secrecy=True)
        article.refresh_from_db()
        assert article.published_at == later
        assert article.status == Article.Status.PUBLISHED
        assert not Article.objects.published().exists()
        assert list(Article.objects.scheduled()) == [article]
    with time_machine.travel(later + dt.timedelta(seconds=1), tick=False):
        assert list(Article.objects.published()) == [article]
        assert not Article.objects.scheduled().exists()


def test_publish_does_not_overwrite_other_fields_from_a_stale_copy(editor):
    article = Article.objects.create(title="原标题")
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(title="别人刚改的标题")
    workflow.publish(stale, editor, confirm_secrecy=True)
    assert Article.objects.get(pk=article.pk).title == "别人刚改的标题"


def test_publishing_twice_keeps_the_first_publish_time(editor):
    with time_machine.travel(NOW, tick=False):
        article = Article.objects.create(title="文")
        workflow.publish(article, editor, confirm_secrecy=True)
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        workflow.publish(article, editor, confirm_secrecy=True)
    article.refresh_from_db()
    assert article.published_at == NOW


@time_machine.travel(NOW, tick=False)
def test_unpublish_returns_to_draft_and_keeps_publish_time(editor):
    yesterday = NOW - dt.timedelta(days=1)
    article = Article.objects.create(title="文", status=Article.Status.PUBLISHED, published_at=yesterday)
    other = get_user_model().objects.create_user("chief", password="x")
    workflow.unpublish(article, other)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at == yesterday
    assert article.updated_by == other
    assert not Article.objects.published().exists()


def test_unpublish_then_publish_restores_the_original_time(editor):
    with time_machine.travel(NOW, tick=False):
        article = Article.objects.create(title="文")
        workflow.publish(article, editor, confirm_secrecy=True)
        workflow.unpublish(article, editor)
    with time_machine.travel(NOW + dt.timedelta(days=5), tick=False):
        workflow.publish(article, editor, confirm_secrecy=True)
    article.refresh_from_db()
    assert article.published_at == NOW


# --- normalize_sections --------------------------------------------------------


def make_sections(article, rows):
    return [
        Section.objects.create(article=article, position=position, level=level, kind=kind, heading=heading)
        for position, level, kind, heading in rows
    ]


def stored(article):
    return list(Section.objects.filter(article=article).order_by("position").values_list("position", "heading", "kind"))


def test_normalize_sections_renumbers_in_current_order():
    article = Article.objects.create(title="文")
    make_sections(
        article,
        [
            (10, Level.SECTION, Kind.OTHER, "甲"),
            (3, Level.SECTION, Kind.OTHER, "乙"),
            (10, Level.SECTION, Kind.OTHER, "丙"),  # same position: the older row first
            (99, Level.SECTION, Kind.OTHER, "丁"),
        ],
    )
    normalize_sections(article)
    assert [(p, h) for p, h, _ in stored(article)] == [(0, "乙"), (1, "甲"), (2, "丙"), (3, "丁")]


def test_normalize_sections_points_inherit_the_kind_of_their_section():
    article = Article.objects.create(title="文")
    make_sections(
        article,
        [
            (0, Level.POINT, Kind.SITUATION, "引子要点"),  # before any section: keeps its kind
            (1, Level.SECTION, Kind.SIGNIFICANCE, "一、意义"),
            (2, Level.POINT, Kind.OTHER, "(一)"),
            (3, Level.POINT, Kind.PROBLEMS, "(二)"),
            (4, Level.SECTION, Kind.PROBLEMS, "二、问题"),
            (5, Level.POINT, Kind.OTHER, "(一)"),
            (6, Level.SECTION, Kind.COUNTERMEASURES, "三、对策"),
            (7, Level.POINT, Kind.COUNTERMEASURES, "(一)"),
        ],
    )
    sections = normalize_sections(article)
    assert [s.kind for s in sections] == [
        Kind.SITUATION,
        Kind.SIGNIFICANCE,
        Kind.SIGNIFICANCE,
        Kind.SIGNIFICANCE,
        Kind.PROBLEMS,
        Kind.PROBLEMS,
        Kind.COUNTERMEASURES,
        Kind.COUNTERMEASURES,
    ]
    assert [kind for _, _, kind in stored(article)] == [s.kind for s in sections]


def test_normalize_sections_writes_only_changed_rows_in_one_update(django_assert_num_queries):
    article = Article.objects.create(title="文")
    make_sections(
        article,
        [
            (0, Level.SECTION, Kind.PROBLEMS, "一、"),
            (1, Level.POINT, Kind.PROBLEMS, "(一)"),
            (5, Level.POINT, Kind.OTHER, "(二)"),
            (6, Level.POINT, Kind.OTHER, "(三)"),
        ],
    )
    # One SELECT, one bulk UPDATE; then, as no batch of changes is open
    # (articles.events), the change is acted on at once: the page cache's
    # epoch advanced in the transaction (one UPDATE … RETURNING) and one
    # DELETE each of the essay's stored page and stored card. (Before the events: 3 queries, the
    # epoch being advanced after the commit, in two more statements.)
    with django_assert_num_queries(5):
        normalize_sections(article)
    with django_assert_num_queries(1):
        normalize_sections(article)  # already normal: nothing to write
    assert stored(article) == [
        (0, "一、", Kind.PROBLEMS),
        (1, "(一)", Kind.PROBLEMS),
        (2, "(二)", Kind.PROBLEMS),
        (3, "(三)", Kind.PROBLEMS),
    ]


def test_normalize_sections_leaves_other_articles_alone():
    article, other = Article.objects.create(title="甲"), Article.objects.create(title="乙")
    make_sections(other, [(7, Level.SECTION, Kind.OTHER, "别的")])
    make_sections(article, [(4, Level.SECTION, Kind.OTHER, "这篇")])
    normalize_sections(article)
    assert stored(other) == [(7, "别的", Kind.OTHER)]
    assert stored(article) == [(0, "这篇", Kind.OTHER)]


def test_normalize_sections_of_an_essay_without_sections_is_harmless():
    assert normalize_sections(Article.objects.create(title="空")) == []


def test_publish_time_is_timezone_aware():
    user = get_user_model().objects.create_user("u", password="x")
    article = workflow.publish(Article.objects.create(title="文"), user, confirm_secrecy=True)
    assert timezone.is_aware(article.published_at)
