"""The script/encoding and GB/T 15834 punctuation findings in the admin: on the
import page the traditional→simplified conversion is one group the editor
accepts or rejects in one click, with a Chinese category label; on the
essay's change page the 校对 panel lists them."""

import pytest

from articles.editing.rules import proofread_article
from articles.essay.script import TRADITIONAL_EXPLANATION
from articles.models import Article
from articles.tests.test_admin import change_url
from articles.tests.test_admin_import import paste, submit_review
from articles.tests.test_admin_proofreading import make_essay

pytestmark = pytest.mark.django_db

TRADITIONAL_ESSAY = """關於加強基層黨建工作的幾點思考
基層黨建工作要堅持圍繞中心、服務大局，不斷夯實黨的執政根基，推動軟體產業與網路資訊服務健康發展。
一、基層黨建工作的重要意義
（一）適應時代發展的需求
基層黨組織是黨全部工作和戰鬥力的基礎，必須堅持全心全意為人民服務的宗旨。
（二）鞏固執政地位的需求
深入開展「兩學一做」學習教育，推動全面從嚴治黨向基層延伸。
二、基層黨建工作存在的問題
（一）組織生活不夠規範
一些黨支部的組織生活流於形式，黨員參加組織生活的積極性不高。
總之，基層黨建工作任重道遠，必須常抓不懈。
作者單位：某縣委組織部
"""


def traditional_group(review):
    [group] = [group for group in review.context["check"].groups if "script.traditional" in group.rules]
    return group


def test_the_conversion_is_one_group_with_a_chinese_category_label(admin_client):
    review = paste(admin_client, TRADITIONAL_ESSAY)
    assert review.status_code == 200
    group = traditional_group(review)
    assert group.explanation == TRADITIONAL_EXPLANATION
    assert group.rules == ["script.traditional"] and len(group.items) > 5
    assert group.category_label == "文字编码"
    page = review.content.decode()
    assert page.count(f"{TRADITIONAL_EXPLANATION}</h3>") == 1
    assert f'name="{group.choice_name}"' in page
    assert "文字编码 · <code>script.traditional</code>" in page
    # Corner quotes are punctuation, a group of their own.
    assert any(
        "punct.corner_quote" in g.rules and g.category_label == "标点符号" for g in review.context["check"].groups
    )


@pytest.mark.parametrize("choice", ["accept", "reject"])
def test_one_click_accepts_or_rejects_the_whole_conversion(admin_client, choice):
    review = paste(admin_client, TRADITIONAL_ESSAY)
    # Boxes ticked the other way round: the group's choice wins over them.
    untick = {"script.traditional"} if choice == "accept" else ()
    response = submit_review(admin_client, review, untick=untick, rules={"script.traditional": choice})
    assert response.status_code == 302
    article = Article.objects.get()
    bodies = " ".join(article.sections.values_list("body", flat=True))
    if choice == "accept":
        assert article.title == "关于加强基层党建工作的几点思考"
        assert "软件产业与网络信息服务" in article.lead
        assert "基层党组织是党全部工作和战斗力的基础" in bodies
        assert "黨" not in article.lead + bodies
    else:
        assert article.title == "關於加強基層黨建工作的幾點思考"
        assert "軟體產業與網路資訊服務" in article.lead
    # The corner quotes were proposed on their own and accepted by default either way.
    assert "“兩學一做”" in bodies or "“两学一做”" in bodies


def test_simplified_essays_get_no_conversion(admin_client):
    review = paste(admin_client)
    assert not [g for g in review.context["check"].groups if g.category == "script"]


def test_the_proofreading_panel_lists_script_and_punctuation_findings(admin_client):
    article, _section, _point = make_essay(
        lead="<p>發揮基層黨組織戰鬥堡壘作用，增强创(chuàng)造力</p>",
        body="<p>学习邓**理论,提高素质。</p>",
    )
    findings = proofread_article(article)
    labels = {(f.rule, f.category_label) for f in findings}
    assert ("script.traditional", "文字编码") in labels
    assert ("script.pinyin_reading", "文字编码") in labels
    assert ("script.masked", "文字编码") in labels
    assert ("punct.halfwidth", "标点符号") in labels
    page = admin_client.get(change_url(article)).content.decode()
    assert TRADITIONAL_EXPLANATION in page
    assert "<del>(chuàng)</del>" in page
