"""The four roles (撰稿人、编辑、审核人、管理员): each tried on each action, allowed and refused.

The groups and their permissions come from ``accounts.roles`` (set after every
migrate); every check goes through the admin as a browser would, and looks at
the database afterwards.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from articles.models import Article
from articles.tests.factories import make_article, make_draft
from articles.tests.test_admin import article_data, run_action

pytestmark = pytest.mark.django_db

AUTHOR, EDITOR, REVIEWER, ADMINISTRATOR = roles.AUTHOR, roles.EDITOR, roles.REVIEWER, roles.ADMINISTRATOR


def user_in(role, username=None):
    """A staff member whose only permissions come from the role's group."""
    user = get_user_model().objects.create_user(username or f"u-{role}", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


def workflow_url(article, action):
    return reverse("admin:articles_article_workflow", args=[article.pk, action])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def in_review(stage=1, **fields):
    article = make_draft(**fields)
    article.status, article.review_stage = Article.Status.IN_REVIEW, stage
    article.save()
    return article


# --- the groups ----------------------------------------------------------------


def test_migrate_creates_the_four_roles():
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(roles.ROLES)


@pytest.mark.parametrize(
    ("role", "granted", "withheld"),
    [
        (
            AUTHOR,
            ["add_article", "change_article", "submit_article"],
            ["edit_any_article", "review_article", "publish_article", "view_recycle_bin"],
        ),
        (
            EDITOR,
            ["change_article", "edit_any_article", "submit_article", "change_topic"],
            ["review_article", "publish_article", "restore_article"],
        ),
        (
            REVIEWER,
            ["view_article", "review_article"],
            ["change_article", "add_article", "publish_article", "submit_article"],
        ),
        (
            ADMINISTRATOR,
            ["publish_article", "restore_article", "view_recycle_bin", "review_article", "change_user"],
            [],
        ),
    ],
)
def test_each_role_has_its_permissions(role, granted, withheld):
    codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
    assert set(granted) <= codenames
    assert not set(withheld) & codenames


# --- each role on each action ---------------------------------------------------


def _add(client, user):
    client.post(reverse("admin:articles_article_add"), article_data(title="新写的文稿"))
    return Article.objects.filter(title="新写的文稿", created_by=user).exists()


def _edit_own_draft(client, user):
    article = make_draft(created_by=user)
    client.post(change_url(article), article_data(title="改过的标题"))
    article.refresh_from_db()
    return article.title == "改过的标题"


def _edit_others_draft(client, user):
    article = make_draft(created_by=user_in(AUTHOR, "someone-else"))
    response = client.post(change_url(article), article_data(title="改过的标题"))
    article.refresh_from_db()
    assert response.status_code in (302, 403)
    return article.title == "改过的标题"


def _submit_own(client, user):
    article = make_draft(created_by=user)
    client.post(workflow_url(article, "submit"))
    article.refresh_from_db()
    return article.status == Article.Status.IN_REVIEW


def _submit_others(client, user):
    article = make_draft(created_by=user_in(AUTHOR, "someone-else"))
    response = client.post(workflow_url(article, "submit"))
    article.refresh_from_db()
    assert response.status_code in (302, 403)
    return article.status == Article.Status.IN_REVIEW


def _approve(client, user):
    article = in_review(created_by=user_in(AUTHOR, "someone-else"))
    response = client.post(workflow_url(article, "approve"), {"comment": "同意"})
    article.refresh_from_db()
    assert response.status_code in (302, 403)
    return article.review_stage == 2


def _reject(client, user):
    article = in_review(created_by=user_in(AUTHOR, "someone-else"))
    client.post(workflow_url(article, "reject"), {"comment": "第二部分论据不足"})
    article.refresh_from_db()
    return article.status == Article.Status.DRAFT


def _publish(client, user):
    article = make_draft(created_by=user_in(AUTHOR, "someone-else"))
    run_action(client, "publish_selected", [article])
    article.refresh_from_db()
    return article.status == Article.Status.PUBLISHED


def _delete_others(client, user):
    article = make_draft(created_by=user_in(AUTHOR, "someone-else"))
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    return Article.all_objects.get(pk=article.pk).is_deleted


def _delete_own_draft(client, user):
    article = make_draft(created_by=user)
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    return Article.all_objects.get(pk=article.pk).is_deleted


def _open_recycle_bin(client, user):
    return client.get(reverse("admin:articles_article_recycle_bin")).status_code == 200


def _restore_from_recycle_bin(client, user):
    article = make_draft()
    article.deleted_at = article.created_at
    article.save()
    client.post(reverse("admin:articles_article_recycle_restore", args=[article.pk]))
    return not Article.all_objects.get(pk=article.pk).is_deleted


def _manage_users(client, user):
    return client.get(reverse("admin:auth_user_changelist")).status_code == 200


ACTIONS = {
    #                         撰稿人  编辑   审核人  管理员
    _add: (True, True, False, True),
    _edit_own_draft: (True, True, False, True),
    _edit_others_draft: (False, True, False, True),
    _submit_own: (True, True, False, True),
    _submit_others: (False, True, False, True),
    _approve: (False, False, True, True),
    _reject: (False, False, True, True),
    _publish: (False, False, False, True),
    _delete_own_draft: (True, True, False, True),
    _delete_others: (False, True, False, True),
    _open_recycle_bin: (False, False, False, True),
    _restore_from_recycle_bin: (False, False, False, True),
    _manage_users: (False, False, False, True),
}
CASES = [
    pytest.param(action, role, allowed, id=f"{action.__name__.strip('_')}-{role}")
    for action, verdicts in ACTIONS.items()
    for role, allowed in zip((AUTHOR, EDITOR, REVIEWER, ADMINISTRATOR), verdicts, strict=True)
]


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_role_on_action(client, action, role, allowed):
    user = user_in(role)
    assert action(logged_in(client, user), user) is allowed


def test_an_author_cannot_edit_their_own_essay_once_it_is_in_review(client):
    author = user_in(AUTHOR)
    article = in_review(created_by=author)
    logged_in(client, author).post(change_url(article), article_data(title="偷偷改"))
    article.refresh_from_db()
    assert article.title != "偷偷改"
    # …but may still read it.
    assert client.get(change_url(article)).status_code == 200


def test_a_reviewer_sees_the_essay_read_only_with_the_review_buttons(client):
    article = in_review(created_by=user_in(AUTHOR, "writer"))
    page = logged_in(client, user_in(REVIEWER)).get(change_url(article)).content.decode()
    assert "审核通过（初审）" in page and "退回修改" in page
    assert 'name="title"' not in page  # no editable fields


def test_only_administrators_may_set_the_status_on_the_change_form(client):
    editor = user_in(EDITOR)
    article = make_draft(created_by=editor)
    logged_in(client, editor).post(change_url(article), article_data(status="published"))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_publish_actions_are_offered_to_administrators_only(client):
    make_draft()
    for role, shown in ((EDITOR, False), (ADMINISTRATOR, True)):
        page = logged_in(client, user_in(role)).get(reverse("admin:articles_article_changelist")).content.decode()
        assert ("发布所选文稿" in page) is shown, role


# --- demo_editor ----------------------------------------------------------------


def test_demo_editor_uses_the_migrated_editor_group(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_editor", stdout=StringIO())
    user = get_user_model().objects.get(username="editor")
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR]
    assert user.has_perm("articles.edit_any_article") and not user.has_perm("articles.publish_article")


@pytest.mark.parametrize(("role", "group"), [("reviewer", REVIEWER), ("管理员", ADMINISTRATOR)])
def test_demo_editor_takes_a_role(settings, role, group):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_editor", "--role", role, "--username", "demo", stdout=StringIO())
    assert list(get_user_model().objects.get(username="demo").groups.values_list("name", flat=True)) == [group]


def test_demo_editor_refuses_an_unknown_role(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.DEBUG = True
    with pytest.raises(CommandError, match="没有“boss”这个角色"):
        call_command("demo_editor", "--role", "boss")


# --- fields that are publishing decisions -----------------------------------------

FORGED_PUBLISHING = {"is_pinned": "on", "published_at_0": "2020-01-01", "published_at_1": "08:00:00"}


def test_an_author_cannot_pin_or_backdate_their_own_draft(client):
    author = user_in(AUTHOR)
    article = make_draft(created_by=author)
    response = logged_in(client, author).post(
        change_url(article), article_data(title="改过的标题", **FORGED_PUBLISHING)
    )
    assert response.status_code == 302  # saved, the forged fields ignored as read-only
    article.refresh_from_db()
    assert article.title == "改过的标题"
    assert (article.is_pinned, article.published_at) == (False, None)


def test_an_author_cannot_pin_or_backdate_a_new_essay(client):
    author = user_in(AUTHOR)
    logged_in(client, author).post(
        reverse("admin:articles_article_add"), article_data(title="新写的文稿", **FORGED_PUBLISHING)
    )
    article = Article.objects.get(title="新写的文稿")
    assert (article.is_pinned, article.published_at) == (False, None)


def test_an_editor_cannot_move_the_publish_time_or_pin_a_published_essay(client):
    article = make_article(title="已发布的文稿")
    published_at = article.published_at
    later = {"published_at_0": "2099-01-01", "published_at_1": "08:00:00", "is_pinned": "on"}
    response = logged_in(client, user_in(EDITOR)).post(
        change_url(article),
        article_data(title="已发布的文稿", status="published", **later),
    )
    assert response.status_code == 409  # a live essay's page is read-only to an editor
    article.refresh_from_db()
    assert (article.published_at, article.is_pinned, article.status) == (published_at, False, Article.Status.PUBLISHED)
    assert article.is_public


@pytest.mark.parametrize(("role", "editable"), [(AUTHOR, False), (EDITOR, False), (ADMINISTRATOR, True)])
def test_publish_time_and_pinning_are_offered_only_to_publishers(client, role, editable):
    user = user_in(role)
    article = make_draft(created_by=user)
    page = logged_in(client, user).get(change_url(article)).content.decode()
    for name in ('name="status"', 'name="published_at_0"', 'name="is_pinned"'):
        assert (name in page) is editable, name


def test_a_form_offering_a_publishing_field_to_an_author_still_cannot_change_it(rf):
    # E.g. a list_editable column added one day: the admin's save ignores the change.
    from django.contrib import admin
    from django.forms import modelform_factory

    author = user_in(AUTHOR)
    article = make_draft(created_by=author)
    form = modelform_factory(Article, fields=["title", "is_pinned", "published_at"])(
        {"title": "新标题", "is_pinned": "on", "published_at": "2020-01-01 08:00"},
        instance=article,
    )
    assert form.is_valid(), form.errors
    request = rf.post("/")
    request.user = author
    admin.site._registry[Article].save_model(request, form.save(commit=False), form, change=True)
    article.refresh_from_db()
    assert (article.title, article.is_pinned, article.published_at) == ("新标题", False, None)


# --- the apps added after the roles: 问题库与对策库, 网站信息 --------------------------


def essay_with_library_items():
    from library.regrouping import regroup
    from library.tests.factories import ATTITUDE, STUDY
    from library.tests.factories import make_essay as make_library_essay

    article = make_library_essay(problems=ATTITUDE[:2], countermeasures=STUDY)
    regroup()
    assert article.library_items.exists()
    return article


@pytest.mark.parametrize("role", [EDITOR, ADMINISTRATOR])
def test_an_essay_with_library_items_moves_to_the_recycle_bin(client, role):
    article = essay_with_library_items()
    url = reverse("admin:articles_article_delete", args=[article.pk])
    page = logged_in(client, user_in(role)).get(url).content.decode()
    assert "无权删除" not in page and "回收站" in page
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert Article.all_objects.get(pk=article.pk).is_deleted
    assert article.library_items.exists()  # nothing deleted: the essay can come back as it was


def test_an_administrator_moves_essays_with_library_items_to_the_recycle_bin_in_bulk(client):
    article = essay_with_library_items()
    logged_in(client, user_in(ADMINISTRATOR)).post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(article.pk)],
            "post": "yes",
        },
    )
    assert Article.all_objects.get(pk=article.pk).is_deleted


@pytest.mark.parametrize("role", [AUTHOR, EDITOR])
@pytest.mark.parametrize("action", ["publish_selected", "unpublish_selected", "archive_selected"])
def test_the_publishing_actions_refuse_those_without_the_publish_permission(client, role, action):
    user = user_in(role)
    draft, live = make_draft(created_by=user), make_article(created_by=user)
    run_action(logged_in(client, user), action, [draft, live])
    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.status, live.status) == (Article.Status.DRAFT, Article.Status.PUBLISHED)
