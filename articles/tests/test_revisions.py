"""Revisions: every save is one revision of essay + sections + topics; history, diff, restore."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.editing import importing, revisions, workflow
from articles.essay import parse
from articles.models import Article, ArticleTransition, Section
from articles.tests.factories import make_draft, make_topic
from articles.tests.test_admin import article_data, management, section_data
from articles.tests.test_roles import ADMINISTRATOR, EDITOR, REVIEWER, change_url, logged_in, user_in

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def compare_url(article, a, b):
    return reverse("admin:articles_article_revisions_compare", args=[article.pk]) + f"?a={a.pk}&b={b.pk}"


def restore_url(article, version):
    return reverse("admin:articles_article_revision_restore", args=[article.pk, version.pk])


def save_in_admin(client, article, **overrides):
    """Post the change form with the essay's current sections (plus overrides)."""
    sections = list(article.sections.order_by("position", "id"))
    data = article_data(**management(len(sections), len(sections)))
    for index, section in enumerate(sections):
        data.update(
            section_data(
                index,
                heading=section.heading,
                body=section.body,
                position=section.position,
                pk=section.pk,
                level=section.level,
                kind=section.kind,
                number=section.number,
            )
        )
    data.update(overrides)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@pytest.fixture
def editor_client(client):
    return logged_in(client, user_in(EDITOR, "editor1"))


@pytest.fixture
def essay():
    topic = make_topic("组织建设")
    with reversion.create_revision():
        article = make_draft(title="基层党建文稿", topics=[topic])
        Section.objects.create(article=article, position=0, heading="重要意义", body="<p>科学开展观。</p>")
        revisions.add_essay(article)
    return article


def test_an_admin_save_is_one_revision_with_the_sections_and_topics(editor_client, essay):
    other = make_topic("党员教育")
    save_in_admin(editor_client, essay, title="基层党建文稿（修订）", topics=[str(other.pk)])
    latest = revisions.versions_of(essay).first()
    assert latest.field_dict["title"] == "基层党建文稿（修订）"
    assert latest.field_dict["topics"] == [other.pk]
    sections = latest.revision.version_set.filter(content_type__model="section")
    assert [v.field_dict["heading"] for v in sections] == ["重要意义"]
    assert latest.revision.user.username == "editor1"
    assert revisions.versions_of(essay).count() == 2


def test_import_essay_is_the_first_revision():
    text = "测试文稿标题\n导语一段。\n一、重要意义\n正文。\n"
    article = importing.import_essay(parse(text))
    versions = revisions.versions_of(article)
    assert versions.count() == 1
    assert versions[0].revision.comment == "导入文稿"
    assert versions[0].revision.version_set.filter(content_type__model="section").count() == article.sections.count()


def test_character_diff_marks_the_changed_character_only():
    old, new = revisions.char_diff("深入贯彻科学开展观", "深入贯彻科学发展观")
    assert old == "深入贯彻科学<del>开</del>展观"
    assert new == "深入贯彻科学<ins>发</ins>展观"


def test_character_diff_escapes_html():
    old, new = revisions.char_diff("<b>", "<i>")
    assert "<b>" not in old and "&lt;" in old


def test_compare_page_shows_the_two_versions_side_by_side(editor_client, essay):
    data = {"sections-0-body": "<p>科学发展观。</p>"}
    save_in_admin(editor_client, essay, **data)
    new, old = revisions.versions_of(essay)[:2]
    page = editor_client.get(compare_url(essay, old, new)).content.decode()
    assert "<del>开</del>" in page and "<ins>发</ins>" in page
    assert "第 1 条 正文" in page


def test_compare_labels_sections_by_their_numbers_as_the_essay_shows_them(editor_client):
    point = Section.Level.POINT
    with reversion.create_revision():
        article = make_draft(title="分部分的文稿")
        for position, (level, number, heading) in enumerate(
            [
                (Section.Level.SECTION, "一、", "意义"),
                (Section.Level.SECTION, "二、", "对策"),
                (point, "（一）", "强化"),
            ]
            + [(point, "（二）", "完善"), (point, "（三）", "健全"), (point, "", "无序号")]
        ):
            Section.objects.create(
                article=article, position=position, level=level, number=number, heading=heading, body="<p>原文。</p>"
            )
        revisions.add_essay(article)
    with reversion.create_revision():
        Section.objects.filter(article=article, heading="健全").update(body="<p>新文。</p>")
        revisions.add_essay(article)
    new, old = revisions.versions_of(article)[:2]
    labels = [row.label for row in revisions.compare(old, new)]
    assert "一、 标题" in labels and "二、 正文" in labels
    assert "二、（三） 正文" in labels and "二、（一） 标题" in labels
    assert "第 6 条 正文" in labels  # a section without a number: its place
    assert not any(label.startswith("第 5 条") for label in labels)
    changed = [row.label for row in revisions.compare(old, new) if row.changed]
    assert changed == ["二、（三） 正文"]
    page = editor_client.get(compare_url(article, old, new)).content.decode()
    assert "二、（三） 正文" in page


def test_the_history_page_lists_revisions_for_anyone_who_may_view(client, essay):
    page = logged_in(client, user_in(REVIEWER)).get(history_url(essay)).content.decode()
    assert "版本记录" in page and "恢复此版本" not in page


@pytest.mark.parametrize("query", ["", "?a=x&b=y", "?a=1", "?a=999999&b=999998"])
def test_compare_refuses_bad_parameters_with_a_400(editor_client, essay, query):
    url = reverse("admin:articles_article_revisions_compare", args=[essay.pk]) + query
    response = editor_client.get(url)
    assert response.status_code == 400
    assert "请选择" in response.content.decode()


def test_compare_refuses_a_version_of_another_essay(editor_client, essay):
    with reversion.create_revision():
        other = make_draft(title="另一篇")
    theirs = revisions.versions_of(other).first()
    mine = revisions.versions_of(essay).first()
    assert editor_client.get(compare_url(essay, theirs, mine)).status_code == 400


def test_restore_brings_back_text_sections_and_topics_but_not_the_status(client, essay):
    admin = user_in(ADMINISTRATOR, "chief")
    logged_in(client, admin)
    first = revisions.versions_of(essay).first()
    topic = list(essay.topics.all())
    # A later edit: new title, a section removed, another added, topics changed.
    old_section = essay.sections.get()
    save_in_admin(
        client,
        essay,
        title="改坏的标题",
        topics=[],
        **{"sections-0-DELETE": "on"},
    )
    Section.objects.create(article=essay, position=5, heading="新加的部分")
    workflow.publish(essay, admin, confirm_secrecy=True)
    workflow.archive(essay, admin, "归档后恢复旧版本")  # a live essay is not restored into (see below)
    essay.refresh_from_db()
    version_before = essay.version

    response = client.post(restore_url(essay, first), {"confirm_political": "on"}, follow=True)
    assert "已恢复到所选版本" in response.content.decode()
    essay.refresh_from_db()
    assert essay.title == "基层党建文稿"
    assert list(essay.topics.all()) == topic
    assert [(s.pk, s.heading, s.position) for s in essay.sections.all()] == [(old_section.pk, "重要意义", 0)]
    assert essay.status == Article.Status.ARCHIVED  # the workflow state stays
    assert essay.version > version_before
    step = essay.transitions.last()
    assert (step.action, step.user) == (ArticleTransition.Action.RESTORE_REVISION, admin)
    assert step.get_action_display() == "恢复版本"
    # The restore is itself a revision, so it can be undone.
    assert revisions.versions_of(essay).first().field_dict["title"] == "基层党建文稿"


def test_only_administrators_restore_revisions(editor_client, essay):
    first = revisions.versions_of(essay).first()
    save_in_admin(editor_client, essay, title="新标题")
    response = editor_client.post(restore_url(essay, first))
    assert response.status_code == 403 and "只有管理员" in response.content.decode()
    essay.refresh_from_db()
    assert essay.title == "新标题"


def test_restore_refuses_get_and_unknown_versions(client, essay):
    logged_in(client, user_in(ADMINISTRATOR))
    first = revisions.versions_of(essay).first()
    assert client.get(restore_url(essay, first)).status_code == 405
    url = reverse("admin:articles_article_revision_restore", args=[essay.pk, 999999])
    assert client.post(url).status_code == 404
    with reversion.create_revision():
        other = make_draft(title="另一篇")
    theirs = Version.objects.get_for_object(other).first()
    assert client.post(restore_url(essay, theirs)).status_code == 404


def test_change_page_links_to_the_history(editor_client, essay):
    page = editor_client.get(change_url(essay)).content.decode()
    assert history_url(essay) in page and "版本记录" in page


def test_load_demo_gives_each_essay_its_own_first_revision():
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    for article in Article.objects.all():
        versions = revisions.versions_of(article)
        assert versions.count() == 1, article.title
        assert versions[0].revision.version_set.filter(content_type__model="article").count() == 1


def test_restoring_into_a_published_essay_is_refused(client, essay):
    # A live essay changes only through review (a working copy): see test_live_changes.py.
    admin = user_in(ADMINISTRATOR, "chief")
    logged_in(client, admin)
    first = revisions.versions_of(essay).first()
    save_in_admin(client, essay, title="改过的标题")
    workflow.publish(essay, admin, confirm_secrecy=True)
    response = client.post(restore_url(essay, first), {"confirm_political": "on"})
    assert response.status_code == 409 and "修改（送审后生效）" in response.content.decode()
    essay.refresh_from_db()
    assert essay.title == "改过的标题"


def test_restoring_a_draft_needs_no_confirmation(client, essay):
    logged_in(client, user_in(ADMINISTRATOR, "chief"))
    first = revisions.versions_of(essay).first()
    save_in_admin(client, essay, **{"sections-0-body": "<p>科学发展观。</p>"})
    client.post(restore_url(essay, first))
    assert essay.sections.get().body == "<p>科学开展观。</p>"
