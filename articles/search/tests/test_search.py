"""Searching essays, on whichever database runs the tests (SQLite or PostgreSQL).

Essays are made inside ``django_capture_on_commit_callbacks(execute=True)``:
the index is updated by the task that follows a change (``articles.events``),
which the tests' immediate task backend runs when the transaction commits,
and a test's transaction never does, so the callbacks are run by hand.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from articles import events
from articles.models import Article, Section
from articles.search.backends import Conditions, PostgresBackend, get_backend
from articles.search.engine import MESSAGE_EMPTY, MESSAGE_NOTHING_SEARCHABLE, admin_search_results, search
from articles.search.indexing import index_article, rebuild
from articles.search.models import SearchDocument, SearchPassage
from articles.search.segmentation import parse_query
from articles.tests.factories import make_article, make_draft, make_scheduled, make_section, make_topic
from topics.models import Topic

# nav; topic choices; years; units; ranking (with the count); page; topics of the page
# -- and on PostgreSQL the planner's estimate that picks the ranking plan.
# Every test starts with an empty cache (conftest.py): the first page of a
# test also reads the site settings (siteinfo), which later pages take from the cache.
SITE_SETTINGS = 1
# The first page of a cache generation also reads when the next scheduled
# essay is due (config/pagecache.py); later pages of the generation do not.
PAGE_GENERATION = 1
SEARCH_QUERIES = 7 + SITE_SETTINGS + PAGE_GENERATION + (connection.vendor == "postgresql")
FORM_QUERIES = 4 + SITE_SETTINGS + PAGE_GENERATION  # nav; topic choices; years; units

HOSTILE_QUERIES = [
    "",
    " ",
    "\x00",
    "党建\x00工作",
    "\ud800",
    "党建\ud800",
    "\udfff\udbff",
    "😀",
    "党建😀党员",
    "x" * 10_000,
    "党" * 10_000,
    "& | ! : * ( ) ' \" \\ NEAR AND OR NOT",
    "党建 & 党员 | !基层 :* (组织)",
    "'党建':* & !'党员'",
    'NEAR("党建" "党员", 2)',
    '"党建',
    '"党建" "',
    "“”",
    '""',
    "党建 OR 1=1 --",
    "'; DROP TABLE articles_searchdocument; --",
    "\\",
    "%",
    "_",
    "\u202e\u200f\u200b",
    "\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>",
    "党建*",
    "^党建$",
    "{党建}",
    "column:党建",
    "title_tokens:党建",
]


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """``with indexed(): ...``: run the on-commit index updates at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def ids(results):
    return [article.pk for article in results[0 : results.count()]]


def essay(title, body="", *, kind=Section.Kind.OTHER, heading="正文", **fields):
    article = make_article(title, **fields)
    if body:
        make_section(article, heading, kind=kind, body=f"<p>{body}</p>")
    return article


# ---------------------------------------------------------------- what is found


@pytest.mark.django_db
def test_only_published_essays_are_found_by_readers(indexed):
    with indexed():
        public = essay("加强党员教育的思考")
        draft = make_draft("党员教育草稿")
        scheduled = make_scheduled("党员教育定时稿")
        no_time = make_article("党员教育无发布时间", published_at=None)

    assert ids(search("党员教育")) == [public.pk]
    everything = set(ids(search("党员教育", published_only=False)))
    assert everything == {public.pk, draft.pk, scheduled.pk, no_time.pk}


@pytest.mark.django_db
def test_a_title_hit_ranks_above_a_heading_hit_above_a_body_hit(indexed):
    with indexed():
        body = essay("关于工作的几点思考", "要抓好网格化管理。")
        heading = essay("关于工作的再思考", "正文。", heading="推进网格化管理")
        title = essay("网格化管理的实践", "正文。")

    assert ids(search("网格化管理")) == [title.pk, heading.pk, body.pk]


@pytest.mark.django_db
def test_a_two_character_word_finds_the_longer_words_it_is_part_of(indexed):
    with indexed():
        article = essay("当前基层党建工作存在的问题及对策建议", "全面加强党建引领。")
        essay("作风建设工作总结", "干部作风明显好转。")

    assert ids(search("党建")) == [article.pk]


@pytest.mark.django_db
def test_the_essay_that_discusses_a_term_comes_first(indexed):
    with indexed():
        for n in range(4):
            essay(f"基层组织建设的思考{n}", "要学习科学发展观，也要抓好组织建设。")
        discusses = essay(
            "深入学习实践科学发展观的体会",
            "科学发展观是指导思想。要用科学发展观统领全局，把科学发展观落到实处。",
            heading="科学发展观的重要意义",
        )

    results = search("科学发展观")
    assert results.count() == 5
    assert ids(results)[0] == discusses.pk


@pytest.mark.django_db
def test_a_compound_also_finds_its_parts_but_the_whole_word_first(indexed):
    with indexed():
        apart = essay("关于党员的日常管理", "加强对党员的经常性教育。")
        whole = essay("关于党员教育的调研", "党员教育是基础工作。")
        essay("关于村务公开的调研", "公开透明。")

    assert ids(search("党员教育")) == [whole.pk, apart.pk]


@pytest.mark.django_db
def test_several_words_must_all_be_found(indexed):
    with indexed():
        both = essay("流动党员管理办法", "依托网格化管理服务流动党员。")
        essay("流动党员的教育", "定期联系。")
        essay("网格化管理的经验", "社区治理。")

    assert ids(search("流动党员 网格化管理")) == [both.pk]


@pytest.mark.django_db
def test_a_quoted_phrase_must_appear_as_written(indexed):
    with indexed():
        together = essay("甲文", "要加强党建工作的领导。")
        apart = essay("乙文", "党建是根本，工作要落实。")

    assert set(ids(search("党建 工作"))) == {together.pk, apart.pk}
    assert ids(search('"党建工作"')) == [together.pk]
    assert ids(search("“党建工作”")) == [together.pk]
    assert ids(search('"工作党建"')) == []


@pytest.mark.django_db
def test_a_phrase_in_the_title_is_found(indexed):
    with indexed():
        article = essay("当前基层党建工作存在的问题及对策建议")
    assert ids(search("“存在的问题及对策”")) == [article.pk]


@pytest.mark.django_db
def test_a_single_character_finds_words_that_start_with_it(indexed):
    with indexed():
        article = essay("党组织的建设", "要求明确。")
        essay("群众工作", "要求明确。")
    assert ids(search("党")) == [article.pk]


@pytest.mark.django_db
def test_topic_names_are_searchable(indexed):
    with indexed():
        topic = make_topic("廉政教育")
        article = essay("一篇普通的文稿", topics=[topic])
    assert ids(search("廉政教育")) == [article.pk]


# ---------------------------------------------------------------- filters


@pytest.mark.django_db
def test_filters_by_topic_including_its_special_topics(indexed):
    with indexed():
        column = make_topic("党建研究")
        child = make_topic("党员教育专题", parent=column)
        other = make_topic("工作实践")
        in_column = essay("党员管理甲", topics=[column])
        in_child = essay("党员管理乙", topics=[child])
        essay("党员管理丙", topics=[other])

    assert set(ids(search("党员管理", topic=column))) == {in_column.pk, in_child.pk}
    assert ids(search("党员管理", topic=child)) == [in_child.pk]


@pytest.mark.django_db
def test_filters_by_year_in_the_sites_time_zone(indexed):
    with indexed():
        # 2023-12-31 20:00 UTC is already 2024 in Asia/Shanghai.
        new_year = essay("党员管理甲", published_at=datetime(2023, 12, 31, 20, tzinfo=UTC))
        old = essay("党员管理乙", published_at=datetime(2023, 6, 1, tzinfo=UTC))

    assert ids(search("党员管理", year=2024)) == [new_year.pk]
    assert ids(search("党员管理", year=2023)) == [old.pk]
    assert ids(search("党员管理", year=99999)) == []


@pytest.mark.django_db
def test_filters_by_author_unit(indexed):
    with indexed():
        wanted = essay("党员管理甲", author_org="格尔木市委组织部")
        essay("党员管理乙", author_org="德令哈市委组织部")

    assert ids(search("党员管理", org="格尔木市委组织部")) == [wanted.pk]


@pytest.mark.django_db
def test_filters_by_section_kind_look_only_in_those_sections(indexed):
    with indexed():
        in_countermeasures = essay("甲文", "要加强流动党员管理。", kind=Section.Kind.COUNTERMEASURES)
        in_problems = essay("乙文", "流动党员管理不到位。", kind=Section.Kind.PROBLEMS)
        make_section(in_problems, "对策建议", kind=Section.Kind.COUNTERMEASURES, body="<p>加强学习。</p>")

    assert set(ids(search("流动党员"))) == {in_countermeasures.pk, in_problems.pk}
    only = search("流动党员", kind=Section.Kind.COUNTERMEASURES)
    assert ids(only) == [in_countermeasures.pk]
    assert "<mark>流动党员</mark>" in only[0].search_snippet
    assert ids(search("流动党员", kind="no-such-kind")) == ids(search("流动党员"))
    assert ids(search('"流动党员管理不到位"', kind=Section.Kind.PROBLEMS)) == [in_problems.pk]


# ---------------------------------------------------------------- results


@pytest.mark.django_db
def test_results_carry_highlighted_titles_and_snippets_from_the_original_text(indexed):
    with indexed():
        essay("加强<党员教育>的思考", "全面提升ＡＰＰ使用水平，抓好党员教育，做到“学思用贯通”。")

    (hit,) = search("党员教育 app")[0:1]
    assert hit.search_title == "加强&lt;<mark>党员教育</mark>&gt;的<wbr>思考"  # <wbr>: word breaks for phones
    assert "<mark>ＡＰＰ</mark>" in hit.search_snippet
    assert "“学思用贯通”" in hit.search_snippet
    assert "加强&lt;" not in hit.search_snippet  # the title is not repeated in the snippet


@pytest.mark.django_db
def test_results_page_like_a_queryset(indexed):
    with indexed():
        made = [essay(f"党员管理{n}") for n in range(12)]
    results = search("党员管理")
    assert results.count() == len(results) == 12
    assert len(results[0:10]) == 10 and len(results[10:20]) == 2
    assert {a.pk for a in results} == {a.pk for a in made}
    assert results[11].pk in {a.pk for a in made}


@pytest.mark.django_db
def test_more_matches_than_the_pool_are_flagged():
    for n in range(4):
        make_article(f"党员管理{n}")
    rebuild()
    ranked = get_backend().ranked(parse_query("党员管理"), Conditions(), pool_size=3)
    assert ranked.more and len(ranked.hits) == 3
    ranked = get_backend().ranked(parse_query("党员管理"), Conditions(), pool_size=4)
    assert not ranked.more and len(ranked.hits) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan for many matches")
@pytest.mark.django_db
def test_the_plan_for_many_matches_ranks_like_the_exact_one_when_the_pool_holds_everything(monkeypatch):
    column = make_topic("党建研究")
    for n in range(6):
        essay(
            f"网格化管理{n}" if n % 2 else f"关于工作{n}",
            "推进网格化管理。" * (n + 1),
            topics=[column],
            kind=Section.Kind.COUNTERMEASURES if n % 3 == 0 else Section.Kind.OTHER,
        )
    make_draft("网格化管理草稿")
    make_article("网格化管理的“对策”", sections=1)
    # Every essay that uses a word is among its champions (normally only
    # those that use it more than once).
    monkeypatch.setattr("articles.search.impacts.MINIMUM_WEIGHT", 1)
    rebuild()
    queries = ["网格化管理", "网格化管理 推进", '"推进网格化"', "网格"]
    exact = {q: ids(search(q)) for q in queries}
    exact_kind = ids(search("网格化管理", kind=Section.Kind.COUNTERMEASURES, topic=column))
    assert len(exact_kind) == 2 and all(exact.values())
    monkeypatch.setattr(PostgresBackend, "EXACT_LIMIT", -1)
    monkeypatch.setattr("articles.search.backends.RECENT_MINIMUM", 1)
    monkeypatch.setattr(PostgresBackend, "_exact", None)  # the pool must answer alone
    # The champions alone, then (with no champions) the newest essays alone.
    for champions in (300, 0):
        monkeypatch.setattr("articles.search.backends.CHAMPIONS", champions)
        assert {q: ids(search(q)) for q in queries} == exact, champions
        assert ids(search("网格化管理", kind=Section.Kind.COUNTERMEASURES, topic=column)) == exact_kind


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan for many matches")
@pytest.mark.django_db
def test_a_common_word_of_old_essays_falls_back_to_the_exact_plan(monkeypatch):
    old = timezone.now() - timedelta(days=4000)
    planted = essay("深入学习实践科学发展观", "科学发展观。", published_at=old)
    essay("学习科学发展观的体会", "正文。", published_at=old + timedelta(days=1))
    for n in range(5):
        make_article(f"新的文稿{n}")
    rebuild()
    monkeypatch.setattr(PostgresBackend, "EXACT_LIMIT", -1)
    monkeypatch.setattr("articles.search.backends.RECENT_WINDOW", 3)
    results = search("科学发展观")
    assert not results.estimated and results.total == 2
    assert ids(results)[0] == planted.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan for many matches")
@pytest.mark.django_db
def test_the_essay_most_about_a_common_word_leads_even_when_it_is_old(monkeypatch):
    old = timezone.now() - timedelta(days=4000)
    planted = essay("网格化管理的探索", "网格化管理。" * 6, published_at=old)
    for n in range(8):
        essay(f"社区工作{n}", "我们推进网格化管理，也做好其他工作。")
    rebuild()
    monkeypatch.setattr(PostgresBackend, "EXACT_LIMIT", -1)
    monkeypatch.setattr("articles.search.backends.RECENT_MINIMUM", 1)
    monkeypatch.setattr("articles.search.backends.RECENT_WINDOW", 3)
    monkeypatch.setattr(PostgresBackend, "_exact", None)  # the champions must answer alone
    results = search("网格化管理")
    assert results.estimated
    assert ids(results)[0] == planted.pk


@pytest.mark.django_db
def test_impacts_are_kept_on_postgresql_only_and_follow_the_essay():
    from articles.search.models import SearchImpact

    article = essay("网格化管理的探索", "网格化管理。" * 3)
    rebuild()
    terms = set(SearchImpact.objects.filter(article=article).values_list("term", flat=True))
    if connection.vendor == "postgresql":
        assert "网格化管理" in terms
    else:
        assert terms == set()
    article.delete()
    assert not SearchImpact.objects.filter(article_id=article.pk).exists()


@pytest.mark.django_db
def test_an_empty_or_unsearchable_query_has_a_message_and_no_results():
    make_article("党员管理")
    rebuild()
    assert search("").message == MESSAGE_EMPTY
    assert search("   ").count() == 0
    for query in ("😀", "，。", "的"):
        results = search(query)
        assert results.count() == 0 and results.message == MESSAGE_NOTHING_SEARCHABLE, query
    assert search(None).message == MESSAGE_EMPTY


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
@pytest.mark.parametrize("kind", ["", Section.Kind.COUNTERMEASURES])
@pytest.mark.django_db
def test_hostile_queries_never_raise(query, kind):
    article = make_article("党建工作党员管理", sections=1)
    rebuild()
    results = search(query, kind=kind, topic=make_topic(), year=2024, org="单位")
    results.count()
    list(results[0:10])
    unfiltered = search(query)
    assert unfiltered.count() in (0, 1)
    assert all(hit.pk == article.pk for hit in unfiltered[0:10])
    admin_search_results(Article.objects.all(), query)[0].count()


# ---------------------------------------------------------------- keeping the index current


@pytest.mark.django_db
def test_editing_an_essay_reindexes_it(indexed):
    with indexed():
        article = make_article("旧的标题")
    assert SearchDocument.objects.filter(article=article).exists()
    with indexed():
        article.title = "新的网格化管理标题"
        article.save()
    assert ids(search("网格化管理")) == [article.pk]
    assert ids(search("旧的")) == []


@pytest.mark.django_db
def test_adding_changing_and_deleting_sections_reindexes_the_essay(indexed):
    with indexed():
        article = make_article("一篇文稿")
    with indexed():
        section = make_section(article, "小标题", body="<p>推进网格化管理。</p>")
    assert ids(search("网格化管理")) == [article.pk]
    with indexed():
        section.body = "<p>发展村级集体经济。</p>"
        section.save()
    assert ids(search("网格化管理")) == []
    assert ids(search("集体经济")) == [article.pk]
    with indexed():
        section.delete()
    assert ids(search("集体经济")) == []


@pytest.mark.django_db
def test_sections_saved_in_bulk_in_the_same_transaction_are_indexed(indexed):
    with indexed():
        article = make_article("一篇文稿")
        Section.objects.bulk_create([Section(article=article, heading="流动党员管理", body="<p>正文</p>")])
    assert ids(search("流动党员")) == [article.pk]


@pytest.mark.django_db
def test_changing_topics_reindexes_the_essay(indexed):
    with indexed():
        topic = make_topic("廉政教育")
        article = make_article("一篇文稿")
    assert ids(search("廉政教育")) == []
    with indexed():
        article.topics.add(topic)
    assert ids(search("廉政教育")) == [article.pk]
    with indexed():
        topic.name = "纪律教育"
        topic.save()
    assert ids(search("纪律教育")) == [article.pk]
    assert ids(search("廉政教育")) == []
    with indexed():
        topic.articles.clear()
    assert ids(search("纪律教育")) == []
    with indexed():
        topic.articles.add(article)
    assert ids(search("纪律教育")) == [article.pk]


@pytest.mark.django_db
def test_unpublishing_and_deleting_remove_the_essay_from_results(indexed):
    with indexed():
        article = make_article("网格化管理的实践", sections=2)
    assert ids(search("网格化管理")) == [article.pk]
    with indexed():
        article.status = Article.Status.DRAFT
        article.save()
    assert ids(search("网格化管理")) == []
    assert ids(search("网格化管理", published_only=False)) == [article.pk]
    with indexed():
        article.delete()
    assert ids(search("网格化管理", published_only=False)) == []
    assert not SearchDocument.objects.exists()
    assert not SearchPassage.objects.exists()


@pytest.mark.django_db
def test_a_scheduled_essay_is_found_once_its_time_has_come(indexed):
    with indexed():
        article = make_scheduled("网格化管理的实践", publish_in=timedelta(days=1))
    assert ids(search("网格化管理")) == []
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert ids(search("网格化管理")) == [article.pk]


@pytest.mark.django_db
def test_several_changes_in_one_batch_index_the_essay_once(django_capture_on_commit_callbacks, monkeypatch):
    from articles.search import indexing

    indexed_ids = []
    real_index_article = indexing.index_article
    monkeypatch.setattr(indexing, "index_article", lambda pk: indexed_ids.append(pk) or real_index_article(pk))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic(), events.changes():
        article = make_article("一篇文稿", sections=3)
        article.title = "改过的标题"
        article.save()
    assert indexed_ids == [article.pk]
    assert ids(search("改过")) == [article.pk]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_indexes_nothing_and_a_later_one_still_does():
    article = make_article("原来的标题")
    assert ids(search("原来")) == [article.pk]  # autocommit: indexed at once
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "回滚的标题"
        article.save()
        raise RuntimeError
    assert ids(search("原来")) == [article.pk]
    with transaction.atomic():
        events.essays_changed([article.pk])  # announced again: the rolled-back one is gone
        article.title = "提交的标题"
        article.save()
    assert ids(search("提交")) == [article.pk]


@pytest.mark.django_db
def test_index_article_and_rebuild_are_idempotent():
    article = make_article("网格化管理", sections=2)
    index_article(article)
    index_article(article.pk)
    assert SearchDocument.objects.count() == 1
    assert SearchPassage.objects.filter(article=article).count() == 2  # two kinds
    assert rebuild() == 1
    assert SearchDocument.objects.count() == 1
    assert index_article(999_999) is None


@pytest.mark.django_db
def test_rebuild_search_index_command(capsys):
    for n in range(3):
        make_article(f"网格化管理{n}", sections=1)
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--batch-size", "2", "--no-progress")
    assert "搜索索引已重建：3 篇文稿" in capsys.readouterr().out
    assert SearchDocument.objects.count() == 3
    assert search("网格化管理").count() == 3


# ---------------------------------------------------------------- admin


@pytest.mark.django_db
def test_admin_search_finds_drafts_the_same_way(indexed):
    with indexed():
        draft = make_draft("党员教育的草稿")
        published = make_article("党员的经常性教育")
        make_article("无关的文稿")
    queryset, duplicates = admin_search_results(Article.objects.all(), "党员教育")
    assert set(queryset.values_list("pk", flat=True)) == {draft.pk, published.pk}
    assert duplicates is False
    assert admin_search_results(Article.objects.drafts(), "党员教育")[0].get() == draft
    assert admin_search_results(Article.objects.all(), "")[0].count() == 3
    assert admin_search_results(Article.objects.all(), "😀")[0].count() == 0
    assert admin_search_results(Article.objects.all(), '"党员教育的"')[0].get() == draft


# ---------------------------------------------------------------- the page


def html_of(response):
    return response.content.decode()


@pytest.mark.django_db
def test_search_page_shows_marked_results_best_first(client, indexed):
    with indexed():
        body = essay("关于工作的思考", "要抓好网格化管理。")
        title = essay("网格化管理的实践", "正文。")
        make_draft("网格化管理草稿")

    response = client.get("/articles/", {"q": "网格化管理"})

    assert response.status_code == 200
    html = html_of(response)
    assert "搜索结果" in html and "共 2 篇" in html
    assert html.index(title.get_absolute_url()) < html.index(body.get_absolute_url())
    assert "<mark>网格化管理</mark><wbr>的<wbr>实践" in html  # <wbr>: titles break between words
    assert "草稿" not in html
    assert '<meta name="robots" content="noindex, follow">' in html


@pytest.mark.django_db
def test_search_page_escapes_html_in_essay_text(client, indexed):
    with indexed():
        essay("<script>alert(1)</script>网格化管理", "文中写着 &lt;b onclick=x&gt; 和网格化管理。")
    html = html_of(client.get("/articles/", {"q": "网格化管理"}))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert<wbr>(1)&lt;/script&gt;<mark>网格化管理</mark>" in html
    assert "<b onclick" not in html
    assert "&lt;b onclick=x&gt;" in html


@pytest.mark.django_db
def test_search_page_with_no_results_helps(client, indexed):
    with indexed():
        column = make_topic("党建研究")
        essay("网格化管理", topics=[column])
    html = html_of(client.get("/articles/", {"q": "集体经济", "topic": column.slug}))
    assert "没有找到与“集体经济”相关的文稿" in html
    assert "检查有没有错别字" in html and "减少词语" in html
    assert "去掉专题、年份等筛选条件" in html
    assert f'href="{column.get_absolute_url()}"' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("😀", MESSAGE_NOTHING_SEARCHABLE),
        ("党" * 101, "搜索词不能超过 100 个字"),
        ("x" * 10_000, "搜索词不能超过 100 个字"),
    ],
)
@pytest.mark.django_db
def test_search_page_explains_queries_it_cannot_search(client, query, message):
    make_article("网格化管理")
    response = client.get("/articles/", {"q": query})
    assert response.status_code == 200
    assert message in html_of(response)


@pytest.mark.django_db
def test_search_page_cleans_control_characters_from_the_words(client, indexed):
    with indexed():
        article = essay("网格化管理的实践")
    html = html_of(client.get("/articles/", {"q": "网格化\x00管理\u2028"}))
    assert article.get_absolute_url() in html


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%ED%A0%80",
        "q=%00",
        "q=%C0%AF",
        "q=%F0%9F%98%80",
        "q=%22%22",
        "q=" + "%E5%85%9A" * 5000,
        "q=%26%7C%21%3A%2A%28%29%27%5C",
        "q=NEAR%20AND%20OR%20NOT",
        "q=%E5%85%9A%E5%BB%BA&kind=%00",
        "q=%E5%85%9A%E5%BB%BA&kind=countermeasures&page=1",
    ],
)
@pytest.mark.django_db
def test_search_page_survives_hostile_raw_query_strings(client, query_string):
    make_article("党建工作", sections=2)
    rebuild()
    assert client.get(f"/articles/?{query_string}").status_code == 200


@pytest.mark.django_db
def test_search_page_filters_by_kind(client, indexed):
    with indexed():
        wanted = essay("甲文", "要加强流动党员管理。", kind=Section.Kind.COUNTERMEASURES)
        other = essay("乙文", "流动党员管理不到位。", kind=Section.Kind.PROBLEMS)
    html = html_of(client.get("/articles/", {"q": "流动党员", "kind": "countermeasures"}))
    assert wanted.get_absolute_url() in html and other.get_absolute_url() not in html
    assert "只看“对策建议”部分" in html
    assert '<option value="countermeasures" selected>对策建议</option>' in html


@pytest.mark.django_db
def test_kind_filter_without_words_lists_essays_with_such_sections(client):
    wanted = essay("甲文", "正文。", kind=Section.Kind.COUNTERMEASURES)
    other = essay("乙文", "正文。", kind=Section.Kind.PROBLEMS)
    html = html_of(client.get("/articles/", {"kind": "countermeasures"}))
    assert wanted.get_absolute_url() in html and other.get_absolute_url() not in html


@pytest.mark.django_db
def test_search_results_are_paginated_with_the_query_kept(client, indexed):
    with indexed():
        for n in range(12):
            essay(f"网格化管理{n}")
    first = html_of(client.get("/articles/", {"q": "网格化管理"}))
    second = html_of(client.get("/articles/", {"q": "网格化管理", "page": 2}))
    assert "共 12 篇" in first and first.count('class="card search-result"') == 10
    assert second.count('class="card search-result"') == 2
    assert "page=2" in first and "q=" in first


@pytest.mark.django_db
def test_the_search_form_is_on_every_page(client):
    article = make_article("一篇文稿")
    for url in ["/", "/articles/", article.get_absolute_url(), "/topics/", "/no/such/page/"]:
        html = html_of(client.get(url))
        assert '<form class="site-search" role="search" action="/articles/" method="get">' in html, url
        assert 'placeholder="搜索文稿"' in html, url


def build_site(size):
    large = size == "large"
    columns = [make_topic(f"栏目{i}") for i in range(3 if large else 1)]
    for i in range(25 if large else 2):
        article = make_article(f"网格化管理文稿{i}", topics=[columns[i % len(columns)]], author_org=f"单位{i % 3}")
        make_section(article, "对策", kind=Section.Kind.COUNTERMEASURES, body="<p>推进网格化管理。</p>")
    make_draft("网格化管理草稿", topics=[columns[0]])
    rebuild()
    return columns[0]


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_search_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    build_site(size)
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/articles/", {"q": "网格化管理"})
    assert "<mark>网格化管理</mark>" in html_of(response)


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.django_db
def test_filtered_search_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    column = build_site(size)
    params = {
        "q": "网格化管理",
        "topic": column.slug,
        "org": "单位0",
        "kind": "countermeasures",
        "year": timezone.localtime().year,
    }
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/articles/", params)
    assert "<mark>网格化管理</mark>" in html_of(response)


@pytest.mark.django_db
def test_an_unsearchable_query_costs_no_search_query(client, django_assert_num_queries):
    build_site("small")
    with django_assert_num_queries(FORM_QUERIES):
        client.get("/articles/", {"q": "😀"})


def test_topic_model_is_the_one_in_use():
    # The topic receivers are connected to this model; a swap would need them moved.
    assert Article._meta.get_field("topics").related_model is Topic


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan for many matches")
@pytest.mark.django_db
def test_many_matches_show_an_estimated_count(client, monkeypatch):
    for n in range(5):
        make_article(f"网格化管理{n}", sections=1)
    rebuild()
    monkeypatch.setattr(PostgresBackend, "EXACT_LIMIT", -1)
    monkeypatch.setattr("articles.search.backends.RECENT_POOL", 2)
    monkeypatch.setattr("articles.search.backends.RECENT_MINIMUM", 1)
    monkeypatch.setattr("articles.search.backends.CHAMPIONS", 1)
    monkeypatch.setattr(PostgresBackend, "estimate", lambda self, query: 98_731)
    results = search("网格化管理")
    assert results.more and results.estimated and results.total == 99_000
    # One champion per word of the query (网格化管理, and its parts 网格化, 管理).
    assert 1 <= results.count() <= 3
    html = html_of(client.get("/articles/", {"q": "网格化管理"}))
    assert "约 99,000 篇" in html and "符合条件的文稿很多" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan for many matches")
@pytest.mark.django_db
def test_the_parts_of_a_compound_only_fill_what_its_own_champion_list_lacks(monkeypatch):
    about = [essay(f"党员教育{n}", "加强党员教育。" * 4) for n in range(3)]
    parts_only = essay("党员与教育", "党员的责任，教育的办法。" * 4)
    rebuild()
    monkeypatch.setattr(PostgresBackend, "EXACT_LIMIT", -1)
    monkeypatch.setattr("articles.search.backends.RECENT_MINIMUM", 1)
    monkeypatch.setattr(PostgresBackend, "_exact", None)  # the pool must answer alone
    monkeypatch.setattr("articles.search.backends.CHAMPIONS", 3)
    # The compound's list is full: its parts add nobody.
    assert set(ids(search("党员教育"))) == {a.pk for a in about}
    # A list not full: the parts fill it, the essays about the compound first.
    monkeypatch.setattr("articles.search.backends.CHAMPIONS", 10)
    found = ids(search("党员教育"))
    assert parts_only.pk in found and found[-1] == parts_only.pk


@pytest.mark.django_db
def test_the_snippet_of_a_long_essay_shows_the_word_far_into_it():
    filler = "基层组织按时召开会议，认真学习有关文件。" * 400  # 8,000 characters
    article = essay("一篇很长的文稿", filler + "最后谈谈网格化管理的经验。")
    rebuild()
    (hit,) = search("网格化管理")[0:1]
    assert hit.pk == article.pk
    assert "<mark>网格化管理</mark>的经验" in hit.search_snippet
    assert hit.search_snippet.startswith("…")


@pytest.mark.django_db
def test_a_snippet_within_a_kind_is_cut_from_that_kind_of_section():
    article = make_article("党建工作的几点体会")
    make_section(article, "问题", kind=Section.Kind.PROBLEMS, body="<p>网格化管理还不到位。</p>")
    make_section(article, "对策", kind=Section.Kind.COUNTERMEASURES, body="<p>完善网格化管理的制度。</p>")
    rebuild()
    (hit,) = search("网格化管理", kind=Section.Kind.COUNTERMEASURES)[0:1]
    assert hit.pk == article.pk
    assert "完善<mark>网格化管理</mark>的制度" in hit.search_snippet
    assert "不到位" not in hit.search_snippet


@pytest.mark.django_db
def test_impacts_written_by_the_backend_keep_their_terms_exactly():
    from articles.search.models import SearchImpact

    article = make_article("党建工作")
    odd = ["党建", "a\\b", "tab\there", "line\nbreak"]
    get_backend().write_impacts([(article.pk, term, 1.25) for term in odd])
    assert sorted(SearchImpact.objects.filter(article=article).values_list("term", "impact")) == sorted(
        (term, 1.25) for term in odd
    )


@pytest.mark.django_db
def test_a_result_kept_for_its_essay_shows_each_query_its_own_highlights(client):
    essay("党建引领<基层>治理", "党建工作与基层治理。")
    rebuild()
    first = html_of(client.get("/articles/", {"q": "党建"}))
    second = html_of(client.get("/articles/", {"q": "治理"}))
    assert "<mark>党建</mark>" in first and "<mark>治理</mark>" not in first
    assert "<mark>治理</mark>" in second and "<mark>党建</mark>" not in second
    for html in (first, second):
        assert "&lt;基层&gt;" in html and "<基层>" not in html
        assert "\x00" not in html


@pytest.mark.django_db
def test_a_word_of_the_title_is_shown_where_the_text_has_it_however_far():
    filler = "基层组织按时召开会议，认真学习有关文件。" * 200  # 4,000 characters
    article = essay("网格化管理的探索", filler + "最后谈谈网格化管理的经验。", subtitle="一个副标题")
    rebuild()
    (hit,) = search("网格化管理")[0:1]
    assert hit.pk == article.pk
    assert "<mark>网格化管理</mark>的经验" in hit.search_snippet
