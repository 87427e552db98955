"""Issue 20, item 2: an editor (not a superuser) deletes a published essay with 问题库 items.

The confirmation asks no permission for the items or sections; the essay goes
to the 回收站, its items leave the public library at once (before the
regroup the deletion queues), and a 管理员 restoring the essay brings them
back with the same keys and permalinks (``<section id>-<ordinal>``).
"""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.test_roles import ADMINISTRATOR, EDITOR, logged_in, user_in
from library.models import LibraryItem
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, STUDY, make_essay

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
PROBLEMS = "/library/problems/"


@pytest.fixture
def essays(no_task_worker):
    kept = make_essay(problems=ATTITUDE, countermeasures=STUDY, title="留下的文稿", author_org="甲单位")
    doomed = make_essay(problems=ORGANIZATION, countermeasures=STUDY, title="要删除的文稿", author_org="乙单位")
    regroup()
    return kept, doomed


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def bulk_delete(client, articles, **extra):
    data = {"action": "delete_selected", "_selected_action": [str(a.pk) for a in articles], **extra}
    return client.post(CHANGELIST, data)


def restore(client, article):
    admin = logged_in(client, user_in(ADMINISTRATOR, "restorer"))
    return admin.post(reverse("admin:articles_article_recycle_restore", args=[article.pk]))


def library_units(client):
    return client.get(PROBLEMS).content.decode()


def test_the_editors_delete_confirmation_asks_no_permission_for_items_or_sections(client, essays):
    _, doomed = essays
    assert LibraryItem.objects.filter(article=doomed).exists()
    page = logged_in(client, user_in(EDITOR)).get(delete_url(doomed))
    html = page.content.decode()
    assert page.status_code == 200
    assert "无权删除" not in html
    assert "回收站" in html
    assert 'type="submit"' in html


def test_the_editors_bulk_delete_confirmation_asks_no_permission_either(client, essays):
    html = bulk_delete(logged_in(client, user_in(EDITOR)), essays).content.decode()
    assert "无权删除" not in html
    assert "回收站" in html


@pytest.mark.parametrize("bulk", [False, True], ids=["single", "bulk"])
def test_an_editor_deletes_a_published_essay_and_its_items_leave_the_library_at_once(client, essays, bulk):
    kept, doomed = essays
    doomed_items = set(LibraryItem.objects.filter(article=doomed).values_list("pk", flat=True))
    assert "乙单位" in library_units(client)
    editor = logged_in(client, user_in(EDITOR))
    if bulk:
        response = bulk_delete(editor, [doomed], post="yes")
    else:
        response = editor.post(delete_url(doomed), {"post": "yes"})
    assert response.status_code == 302
    assert Article.all_objects.get(pk=doomed.pk).is_deleted
    # Before any regroup: out of the public library and its counts.
    client.logout()
    assert "乙单位" not in library_units(client)
    assert not LibraryItem.objects.public().filter(pk__in=doomed_items).exists()
    # The regroup the deletion queues removes the derived rows; the essay's sections stay in the bin.
    regroup()
    assert not LibraryItem.objects.filter(article=doomed).exists()
    assert "乙单位" not in library_units(client)


def keys(article):
    return set(LibraryItem.objects.filter(article=article).values_list("section_id", "ordinal"))


def test_restoring_brings_the_items_back_under_the_same_keys(client, essays):
    _, doomed = essays
    before = keys(doomed)
    assert before
    logged_in(client, user_in(EDITOR)).post(delete_url(doomed), {"post": "yes"})
    regroup()
    assert not keys(doomed)
    client.logout()
    assert restore(client, doomed).status_code == 302
    assert Article.objects.published().filter(pk=doomed.pk).exists()
    regroup()  # queued by the restore
    assert keys(doomed) == before
    assert LibraryItem.objects.public().filter(article=doomed).count() == len(before)
    client.logout()
    assert "乙单位" in library_units(client)


def test_an_editor_may_not_restore_from_the_bin(client, essays):
    _, doomed = essays
    editor = logged_in(client, user_in(EDITOR))
    editor.post(delete_url(doomed), {"post": "yes"})
    response = editor.post(reverse("admin:articles_article_recycle_restore", args=[doomed.pk]))
    assert response.status_code == 403
    assert Article.all_objects.get(pk=doomed.pk).is_deleted
