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
