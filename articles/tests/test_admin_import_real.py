"""导入文稿 on real-world pages: site text and PDF wraps are repairs the editor can undo
(保留原文), and a page of several essays becomes several drafts or one, as the editor chooses."""

import pytest

from articles.models import Article, Section
from articles.tests.test_admin_import import message_texts, paste, submit_review
from articles.tests.test_import_real_texts import MULTI

SITE_PAGE = """《村级党建工作思考》由会员分享,可在线阅读,更多相关《村级党建工作思考》请在文库网上搜索。
村级党建工作思考
农村基层党组织是党在农村全部工作和战斗力的基础，抓好村级党建对推进乡村振兴至关重要，下面谈几点思考。
一、存在的问题
一些村党组织书记年龄偏大，带富能力不强，部分党员长期外出务工，参加组织生活不够经常，作用发挥不明显。
二、对策建议
要拓宽选人用人渠道，从致富能手和返乡大学生中选拔村书记，同时加强流动党员管理，让党员离乡不离党。
总之，抓好村级党建需要久久为功。
第1页共1页
"""


@pytest.mark.django_db
def test_site_text_is_listed_as_repairs_and_removed_from_the_draft(admin_client):
    review = paste(admin_client, SITE_PAGE)
    groups = review.context["repair_groups"]
    assert [(g.label, g.count) for g in groups] == [("删除网站附加文字", 1), ("删除页码行", 1)]
    page = review.content.decode()
    assert "保留原文" in page and "由会员分享" in page
    response = submit_review(admin_client, review)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == "村级党建工作思考"
    assert [s.heading for s in Section.objects.filter(article=article)] == ["存在的问题", "对策建议"]
    assert "第1页" not in article.conclusion


@pytest.mark.django_db
def test_keeping_the_original_redraws_the_page_then_imports_with_that_text(admin_client):
    review = paste(admin_client, SITE_PAGE)
    footer = [r for g in review.context["repair_groups"] for r, _kept in g.repairs if r.kind == "page_footer"][0]
    again = submit_review(admin_client, review, keep=[footer.id])
    assert again.status_code == 200  # redrawn with the original kept, nothing stored yet
    assert Article.objects.count() == 0
    assert any("保留原文" in text for text in message_texts(again))
    kept = [(r.id, k) for g in again.context["repair_groups"] for r, k in g.repairs]
    assert (footer.id, True) in kept
    assert submit_review(admin_client, again).status_code == 302
    assert "第1页共1页" in Article.objects.get().conclusion


@pytest.mark.django_db
def test_a_multi_essay_page_is_offered_as_several_drafts(admin_client):
    review = paste(admin_client, MULTI)
    assert [e.title for e in review.context["split_essays"]] == ["坚持学用结合的体会", "做一名合格党员的思考"]
    assert "分成 2 篇草稿" in review.content.decode()
    response = submit_review(admin_client, review)
    assert response.status_code == 302
    assert sorted(Article.objects.values_list("title", flat=True)) == ["做一名合格党员的思考", "坚持学用结合的体会"]
    assert all(a.status == Article.Status.DRAFT for a in Article.objects.all())


@pytest.mark.django_db
def test_a_multi_essay_page_can_be_imported_as_one_draft(admin_client):
    review = paste(admin_client, MULTI)
    response = submit_review(admin_client, review, split_mode="one")
    assert response.status_code == 302
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_text_without_numbered_parts_becomes_a_draft_with_its_own_headings(admin_client):
    text = (
        "做好社区党建工作的几点体会\n社区党建是城市基层党建的基础，做好社区党建工作对提升基层治理水平具有重要意义，结合工作实际谈几点体会。\n"
        "首先，要建强组织体系。把党组织建在网格上，让每个网格都有党员骨干牵头，形成上下贯通、执行有力的组织体系。\n"
        "其次，要整合各方资源。推动驻区单位与社区结对共建，把场地、人才、资金等资源用到服务群众上来，实现共驻共建。\n"
        "最后，要提升服务能力。定期开展居民需求调查，围绕一老一小等群体提供精准服务，让群众在家门口感受到党组织的温暖。\n"
    )
    response = submit_review(admin_client, paste(admin_client, text))
    assert response.status_code == 302
    headings = list(Section.objects.values_list("heading", flat=True))
    assert headings == ["首先，要建强组织体系", "其次，要整合各方资源", "最后，要提升服务能力"]
