"""An essay without 摘要 shows the beginning of its lead on list cards, in the page
description and in the feeds (the summary field's help text promises it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.reading.seo import description
from articles.tests.factories import make_article
from articles.text import lead_excerpt

LONG_LEAD = (
    "<p>近年来，我们坚持以党建引领基层治理，把党的组织优势转化为治理效能。"
    "围绕群众急难愁盼问题，推动资源、服务、管理向网格下沉，形成了一批可复制、可推广的经验做法。"
    "本文从三个方面作一梳理，供各级党组织参考借鉴，欢迎批评指正。</p><p>第二段不会出现在摘要里。</p>"
)


def test_excerpt_is_the_text_cut_at_a_sentence_end():
    text = lead_excerpt(LONG_LEAD)
    assert text.startswith("近年来，我们坚持以党建引领基层治理")
    assert text.endswith("。")
    assert 60 <= len(text) <= 120
    assert "<" not in text and "第二段" not in text


def test_excerpt_falls_back_to_a_clause_then_to_the_limit():
    clauses = "，".join(["党员教育管理工作扎实推进"] * 20)
    text = lead_excerpt(f"<p>{clauses}</p>")
    assert text.endswith("推进…") and len(text) <= 120
    plain = "党" * 300
    assert lead_excerpt(plain) == "党" * 119 + "…"


def test_excerpt_of_short_or_cut_html():
    assert lead_excerpt("<p>短导语 &amp; 说明</p>") == "短导语 & 说明"
    assert lead_excerpt("") == ""
    assert lead_excerpt(None) == ""
    assert lead_excerpt('<p>被截断的导语</p><p class="x') == "被截断的导语"


@pytest.mark.django_db
def test_card_shows_the_lead_when_the_summary_is_empty(client):
    make_article("导入的文稿", summary="", lead=LONG_LEAD)
    make_article("有摘要的文稿", summary="编辑写的摘要。", lead=LONG_LEAD)
    body = client.get("/articles/").content.decode()
    assert '<p class="card__summary">' + lead_excerpt(LONG_LEAD) + "</p>" in body
    assert '<p class="card__summary">编辑写的摘要。</p>' in body
    assert "第二段不会出现在摘要里" not in body


@pytest.mark.django_db
def test_card_summary_costs_no_query():
    make_article("导入的文稿", summary="", lead=LONG_LEAD)
    articles = list(Article.objects.for_cards())
    with CaptureQueriesContext(connection) as queries:
        assert articles[0].card_summary == lead_excerpt(LONG_LEAD)
    assert len(queries) == 0


@pytest.mark.django_db
def test_card_summary_reads_only_the_leads_beginning():
    lead = "<p>" + "开头的一句话。" * 10 + "</p>" + "<p>很长的正文。</p>" * 5000
    make_article("长导语", summary="", lead=lead)
    (article,) = Article.objects.for_cards()
    assert len(article.lead_start) <= 1000
    assert article.card_summary == lead_excerpt(lead)


@pytest.mark.django_db
def test_page_description_uses_the_same_excerpt(client):
    article = make_article("导入的文稿", summary="", lead=LONG_LEAD)
    assert description(article) == lead_excerpt(LONG_LEAD)
    body = client.get(article.get_absolute_url()).content.decode()
    assert f'<meta name="description" content="{lead_excerpt(LONG_LEAD)}">' in body
