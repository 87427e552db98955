"""导入文稿 and 文稿查重: importing a text the portal already holds is never a silent second draft."""

import pytest
from django.urls import reverse

from articles.editing import workflow
from articles.models import Article
from articles.tests.test_admin_import import ESSAY, browser_form, message_texts, paste, submit_review

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:articles_article_import")


def _import_and_publish(client, user):
    submit_review(client, paste(client))
    article = Article.objects.get()
    workflow.publish(article, user, confirm_secrecy=True)
    return article


def test_importing_the_same_text_twice_asks_instead_of_creating_a_second_draft(admin_client, admin_user):
    published = _import_and_publish(admin_client, admin_user)
    review = paste(admin_client)
    response = submit_review(admin_client, review)
    assert Article.objects.count() == 1, "a second draft was created silently"
    assert not Article.objects.filter(slug=published.slug + "-2").exists()
    assert response.status_code == 200
    page = response.content.decode()
    assert f"与《{published.title}》（已发布，作者单位某县委组织部）重复 100%" in page
    assert reverse("admin:articles_article_change", args=[published.pk]) in page
    assert 'name="create_anyway"' in page
    assert any("打开已有文稿、仍作为新文稿导入，或取消" in text for text in message_texts(response))


def test_the_review_page_names_the_identical_essay_before_any_click(admin_client, admin_user):
    published = _import_and_publish(admin_client, admin_user)
    review = paste(admin_client)
    assert review.context["copies"].identical.article == published
    assert "库中已有这篇文稿" in review.content.decode()


def test_import_anyway_creates_the_new_essay(admin_client, admin_user):
    _import_and_publish(admin_client, admin_user)
    review = paste(admin_client)
    response = submit_review(admin_client, review, button="create_anyway")
    assert response.status_code == 302
    assert Article.objects.count() == 2


def test_a_spun_copy_with_other_punctuation_is_still_caught(admin_client, admin_user):
    published = _import_and_publish(admin_client, admin_user)
    spun = ESSAY.replace("服务", "效劳").replace("巩固", "稳固").replace("，", ",").replace("。", ". ")
    review = paste(admin_client, spun)
    copies = review.context["copies"]
    assert copies.identical is not None and copies.identical.article == published


def test_an_unrelated_essay_is_imported_without_a_question(admin_client, admin_user):
    _import_and_publish(admin_client, admin_user)
    other = """论新时代社区治理中的志愿服务
志愿服务是社区治理的重要力量，近年来各地积极探索，形成了许多可复制的经验。
一、社区志愿服务的现状
（一）队伍规模逐年扩大
退休教师、医生和在校学生踊跃报名，周末的便民摊点前总是排着长队。
（二）活动形式日益丰富
从义诊义剪到垃圾分类宣传，从老人陪伴到儿童课后托管，项目贴近居民生活。
二、存在的不足
一些项目只在节日前后开展，缺少长期规划，志愿者的专业技能也有待提升。
三、改进的办法
建立积分兑换制度，与辖区企业合作提供培训，让志愿服务细水长流。
结束语：社区的温度来自每一位居民的参与。
作者单位：某街道办事处
"""
    review = paste(admin_client, other)
    assert review.context["copies"].identical is None
    response = submit_review(admin_client, review)
    assert response.status_code == 302
    assert Article.objects.count() == 2
    assert browser_form(review)  # the review form itself is intact


def _multi_page_with_a_published_piece(client, user):
    """The first essay of a two-essay page imported and published alone; returns (it, the page)."""
    from articles.essay.splitting import split_essays
    from articles.tests.test_import_real_texts import MULTI

    first = split_essays(MULTI)[0]
    submit_review(client, paste(client, first))
    published = Article.objects.get()
    workflow.publish(published, user, confirm_secrecy=True)
    return published, MULTI


def test_a_split_page_does_not_silently_create_a_piece_the_portal_holds(admin_client, admin_user):
    published, page = _multi_page_with_a_published_piece(admin_client, admin_user)
    review = paste(admin_client, page)
    response = submit_review(admin_client, review)
    assert Article.objects.count() == 1, "a duplicate piece of a split page was created silently"
    assert response.status_code == 200
    text = response.content.decode()
    assert f"与《{published.title}》（已发布" in text and "重复 100%" in text
    assert reverse("admin:articles_article_change", args=[published.pk]) in text
    assert 'name="duplicate_1"' in text and 'name="duplicate_2"' not in text
    assert any("第 1 篇" in message for message in message_texts(response))


def test_the_split_list_shows_each_pieces_copy_check(admin_client, admin_user):
    published, page = _multi_page_with_a_published_piece(admin_client, admin_user)
    review = paste(admin_client, page)
    first, second = review.context["split_pieces"]
    assert first.report.identical.article == published
    assert second.report.identical is None
    text = review.content.decode()
    assert "未发现与库中文稿或参考文本重复的段落" in text  # the second piece's line


def test_a_duplicate_piece_can_be_skipped(admin_client, admin_user):
    _published, page = _multi_page_with_a_published_piece(admin_client, admin_user)
    response = submit_review(admin_client, paste(admin_client, page), duplicate_1="skip")
    assert response.status_code == 302
    assert sorted(Article.objects.values_list("title", flat=True)) == ["做一名合格党员的思考", "坚持学用结合的体会"]
    assert Article.objects.filter(title="坚持学用结合的体会").count() == 1
    assert any("跳过 1 篇" in message for message in message_texts(response))


def test_a_duplicate_piece_can_be_imported_anyway(admin_client, admin_user):
    _published, page = _multi_page_with_a_published_piece(admin_client, admin_user)
    response = submit_review(admin_client, paste(admin_client, page), duplicate_1="import")
    assert response.status_code == 302
    assert Article.objects.filter(title="坚持学用结合的体会").count() == 2
    assert Article.objects.count() == 3


def test_skipping_every_piece_imports_nothing(admin_client, admin_user):
    from articles.tests.test_import_real_texts import MULTI

    submit_review(admin_client, paste(admin_client, MULTI))
    assert Article.objects.count() == 2
    response = submit_review(admin_client, paste(admin_client, MULTI), duplicate_1="skip", duplicate_2="skip")
    assert response.status_code == 302
    assert Article.objects.count() == 2
    assert any("没有导入" in message for message in message_texts(response))


def test_an_unknown_duplicate_choice_is_asked_again(admin_client, admin_user):
    _published, page = _multi_page_with_a_published_piece(admin_client, admin_user)
    response = submit_review(admin_client, paste(admin_client, page), duplicate_1="whatever")
    assert response.status_code == 200
    assert Article.objects.count() == 1
