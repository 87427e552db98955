"""Nothing lost: deleting moves an essay to the 回收站, where 管理员 restore it."""

import pytest
from django.urls import reverse

from articles.editing import workflow
from articles.models import Article, ArticleTransition, Section
from articles.tests.factories import make_article, make_draft
from articles.tests.test_roles import ADMINISTRATOR, EDITOR, change_url, logged_in, user_in

pytestmark = pytest.mark.django_db

BIN = reverse("admin:articles_article_recycle_bin")
CHANGELIST = reverse("admin:articles_article_changelist")


def restore_url(article):
    return reverse("admin:articles_article_recycle_restore", args=[article.pk])


def purge_url(article):
    return reverse("admin:articles_article_recycle_purge", args=[article.pk])


@pytest.fixture
def deleted():
    article = make_article(title="被删除的文稿", sections=2)
    workflow.move_to_recycle_bin(article, None)
    return article


def test_deleting_in_the_admin_moves_the_essay_to_the_bin(client):
    editor = user_in(EDITOR)
    article = make_article(title="要删除的文稿", sections=2)
    response = logged_in(client, editor).post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    stored = Article.all_objects.get(pk=article.pk)
    assert stored.is_deleted and stored.deleted_by == editor
    assert Section.objects.filter(article=article).count() == 2  # nothing lost
    assert stored.transitions.last().action == ArticleTransition.Action.DELETE


def test_a_deleted_essay_is_gone_from_every_public_list(client, deleted):
    assert not Article.objects.filter(pk=deleted.pk).exists()
    assert not Article.all_objects.published().filter(pk=deleted.pk).exists()
    assert client.get(deleted.get_absolute_url()).status_code == 404
    assert deleted.title not in client.get("/").content.decode().replace("<wbr>", "")  # titles: word_breaks


def test_the_changelist_leaves_deleted_essays_out(client, deleted):
    page = logged_in(client, user_in(ADMINISTRATOR)).get(CHANGELIST).content.decode()
    assert "被删除的文稿" not in page
    assert "回收站" in page


def test_the_change_page_of_a_deleted_essay_is_not_found(client, deleted):
    response = logged_in(client, user_in(ADMINISTRATOR)).get(change_url(deleted))
    assert response.status_code == 302  # the admin's "may have been deleted" redirect


def test_the_bulk_delete_action_also_uses_the_bin(client):
    articles = [make_draft(title=f"批量{i}") for i in range(2)]
    logged_in(client, user_in(ADMINISTRATOR)).post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [str(a.pk) for a in articles],
            "post": "yes",
        },
    )
    assert Article.all_objects.deleted().count() == 2
    assert not Article.objects.exists()


def test_administrators_see_and_restore_from_the_bin(client, deleted):
    admin = user_in(ADMINISTRATOR)
    page = logged_in(client, admin).get(BIN).content.decode()
    assert "被删除的文稿" in page and "恢复" in page and "彻底删除" not in page
    response = client.post(restore_url(deleted), follow=True)
    assert "已从回收站恢复" in response.content.decode()
    restored = Article.objects.get(pk=deleted.pk)
    assert restored.is_public  # it was published, it is again
    assert restored.transitions.last().action == ArticleTransition.Action.UNDELETE


def test_editors_cannot_open_the_bin_or_restore(client, deleted):
    logged_in(client, user_in(EDITOR))
    assert client.get(BIN).status_code == 403
    assert client.post(restore_url(deleted)).status_code == 403
    assert Article.all_objects.get(pk=deleted.pk).is_deleted


def test_bin_endpoints_refuse_get_and_unknown_essays(client, deleted):
    logged_in(client, user_in(ADMINISTRATOR))
    assert client.get(restore_url(deleted)).status_code == 405
    assert client.get(purge_url(deleted)).status_code == 405
    assert client.post(reverse("admin:articles_article_recycle_restore", args=[999999])).status_code == 404
    alive = make_draft()
    assert client.post(restore_url(alive)).status_code == 404  # not in the bin


def test_only_superusers_purge(client, admin_client, deleted):
    logged_in(client, user_in(ADMINISTRATOR))
    assert client.post(purge_url(deleted)).status_code == 403
    assert Article.all_objects.filter(pk=deleted.pk).exists()
    assert "彻底删除" in admin_client.get(BIN).content.decode()
    admin_client.post(purge_url(deleted))
    assert not Article.all_objects.filter(pk=deleted.pk).exists()
    assert not Section.objects.filter(article_id=deleted.pk).exists()


@pytest.mark.parametrize("query", ["?status__exact=%00", "?author_org__exact=a%00b", "?q=%00", "?%00=1"])
def test_the_changelist_refuses_nul_characters_with_a_400(admin_client, query):
    response = admin_client.get(CHANGELIST + query)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


def test_the_delete_pages_say_the_essays_go_to_the_recycle_bin(admin_client):
    from articles.tests.factories import make_draft

    articles = [make_draft(title="第一篇"), make_draft(title="第二篇")]
    page = admin_client.get(reverse("admin:articles_article_delete", args=[articles[0].pk])).content.decode()
    assert "移入回收站" in page and "第一篇" in page
    page = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(a.pk) for a in articles],
        },
    ).content.decode()
    assert "确定要把所选的 2 篇文稿移入回收站吗" in page
    assert page.count(">第一篇</a>") == 1 and page.count(">第二篇</a>") == 1


def test_an_essay_in_the_recycle_bin_keeps_its_slug_from_a_new_essay_of_the_same_title():
    deleted = make_draft("同一个标题的文稿")
    workflow.move_to_recycle_bin(deleted, None)
    again = make_draft("同一个标题的文稿")
    assert again.slug != deleted.slug
