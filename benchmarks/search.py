"""Print how fast the full-text search builds its index and answers, on both databases.

    .venv/bin/python benchmarks/search.py                       # 10,000 essays, SQLite and PostgreSQL
    .venv/bin/python benchmarks/search.py --sizes 10000 100000
    .venv/bin/python benchmarks/search.py --backends postgresql --sizes 100000
    .venv/bin/python benchmarks/search.py --segmenters          # jieba against rjieba

For each database and size it generates synthetic essays (below: a
vocabulary of 基层党建 terms in plausible sentences; no real text is
copied), loads them with bulk inserts, times ``rebuild_search_index``, then
times 50 fixed queries (25 of one word, 25 of several words, plus a few
quoted phrases) through ``articles.search.engine.search`` -- ranking, counting and
one page of ten results with snippets, which is what a reader waits for --
next to a naive ``icontains`` scan of titles, leads and sections. It also
checks relevance: essays planted to discuss 科学发展观, 三会一课 and
网格化管理 must come first for those words.

PostgreSQL runs in its own database (``portal_bench`` on the server of
``--postgres``, created and dropped by the script); SQLite in a file under
``var/``. Each run is a child process, so each gets fresh Django settings.

Numbers about speed live here, not in tests (see DESIGN.md, Habits).
Targets on PostgreSQL at 100,000 essays: p95 under 50 ms for one-word
queries, under 100 ms for several words.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "portal_bench"
SQLITE_PATH = ROOT / "var" / "bench-search.sqlite3"

# ---------------------------------------------------------------- the 50 queries

ONE_WORD = [
    "党建",
    "党员",
    "基层党组织",
    "党支部",
    "组织生活会",
    "三会一课",
    "两学一做",
    "科学发展观",
    "主题党日",
    "党员教育",
    "作风建设",
    "乡村振兴",
    "网格化管理",
    "集体经济",
    "党风廉政建设",
    "民主集中制",
    "发展党员",
    "流动党员",
    "第一书记",
    "阵地建设",
    "意识形态工作",
    "党费",
    "志愿服务",
    "软弱涣散",
    "智慧党建",
]
MULTI_WORD = [
    "党员教育 管理",
    "基层党建 乡村振兴",
    "三会一课 制度",
    "组织生活会 批评",
    "两学一做 常态化",
    "党支部 标准化",
    "流动党员 管理",
    "第一书记 驻村",
    "集体经济 发展",
    "网格化管理 社区",
    "党风廉政建设 主体责任",
    "作风建设 形式主义",
    "发展党员 质量",
    "主题党日 活动",
    "党建引领 基层治理",
    "阵地建设 经费 保障",
    "先锋模范 作用",
    "战斗堡垒 作用 发挥",
    "智慧党建 平台",
    "党务公开 制度",
    "科学发展观 实践",
    "意识形态工作 责任制",
    "民主评议党员 考核",
    "软弱涣散 整顿",
    "基层党组织 凝聚力 战斗力",
]
PHRASES = ['"党建工作"', '"三会一课制度"', "“组织生活流于形式”", '"发挥战斗堡垒作用"', '"第一书记"']
assert len(ONE_WORD) == 25 and len(MULTI_WORD) == 25
# Essays written to discuss one term: each must be the first result for it.
PLANTED = ["科学发展观", "三会一课", "网格化管理"]

# ---------------------------------------------------------------- the essay generator

SUBJECTS = [
    "基层党组织",
    "党员干部",
    "广大党员",
    "村党支部",
    "社区党组织",
    "机关党委",
    "党支部书记",
    "驻村第一书记",
    "党员志愿者",
    "非公企业党组织",
    "社会组织党组织",
    "街道党工委",
    "乡镇党委",
    "国有企业党委",
    "学校党组织",
    "离退休干部党支部",
    "青年党员",
    "入党积极分子",
    "党务工作者",
    "两新组织党组织",
    "村“两委”班子",
    "机关党员",
]
VERBS = [
    "加强",
    "推进",
    "落实",
    "深化",
    "健全",
    "完善",
    "强化",
    "坚持",
    "提升",
    "创新",
    "规范",
    "夯实",
    "抓好",
    "统筹",
    "扎实开展",
    "认真落实",
    "持续深化",
    "全面推行",
    "着力加强",
    "不断完善",
]
# Common objects appear in every era and most essays; rare ones are a long tail.
COMMON_OBJECTS = [
    "基层党建工作",
    "党员队伍建设",
    "组织建设",
    "制度建设",
    "作风建设",
    "思想政治建设",
    "党员教育管理",
    "阵地建设",
    "组织生活",
    "理论学习",
    "服务群众工作",
    "基层治理",
    "队伍建设",
    "党务公开",
    "民主集中制",
    "党建工作责任制",
    "基层组织建设",
    "干部队伍建设",
]
RARE_OBJECTS = [
    "三会一课制度",
    "主题党日活动",
    "组织生活会",
    "民主评议党员",
    "全面从严治党",
    "党风廉政建设",
    "意识形态工作",
    "网格化管理",
    "村级集体经济",
    "便民服务中心",
    "党费收缴管理",
    "发展党员工作",
    "软弱涣散党组织整顿",
    "智慧党建平台",
    "红色教育基地",
    "党建引领基层治理",
    "流动党员管理",
    "村务监督委员会",
    "四议两公开",
    "党员积分制管理",
    "党支部标准化建设",
    "志愿服务活动",
    "党员承诺践诺",
    "结对帮扶",
    "党群服务中心",
]
# Terms of their time: an essay uses them only in their years.
ERA_TERMS = [
    ("科学发展观", 2008, 2013),
    ("创先争优活动", 2010, 2012),
    ("党的群众路线教育实践活动", 2013, 2014),
    ("三严三实专题教育", 2015, 2016),
    ("两学一做学习教育", 2016, 2018),
    ("不忘初心、牢记使命主题教育", 2019, 2020),
    ("党史学习教育", 2021, 2021),
    ("主题教育", 2023, 2024),
]
ADVERBS = ["切实", "不断", "进一步", "扎实", "认真", "持续", "全面", "深入", "着力", "积极", "有效"]
GOALS = [
    "推动经济社会高质量发展",
    "建设美丽乡村",
    "构建和谐社会",
    "巩固党的执政基础",
    "密切党群干群关系",
    "实现乡村振兴",
    "提升基层治理能力",
    "更好地服务人民群众",
    "推进全面从严治党向基层延伸",
    "夯实党在基层的执政根基",
    "维护社会和谐稳定",
]
ROLES = ["战斗堡垒作用", "先锋模范作用", "政治核心作用", "领导核心作用", "桥梁纽带作用", "示范引领作用"]
PROBLEMS = [
    "部分党员宗旨意识淡薄",
    "组织生活流于形式",
    "阵地建设相对滞后",
    "工作经费保障不足",
    "党员队伍老龄化严重",
    "党务干部业务能力不强",
    "制度执行不够严格",
    "学习教育针对性不强",
    "服务群众能力有待提升",
    "考核评价机制不够健全",
    "发展党员质量不高",
    "信息化手段运用不足",
    "形式主义、官僚主义问题仍然存在",
    "基层党组织凝聚力和战斗力不强",
]
PLACES = [
    "海西州",
    "格尔木市",
    "德令哈市",
    "乌兰县",
    "都兰县",
    "天峻县",
    "大柴旦",
    "茫崖市",
    "西宁市",
    "海东市",
    "海北州",
    "黄南州",
    "海南州",
    "果洛州",
    "玉树州",
    "湟中区",
    "大通县",
    "互助县",
    "平安区",
    "民和县",
    "乐都区",
    "共和县",
    "贵德县",
    "门源县",
]
UNITS = [
    "纪律检查委员会",
    "委组织部",
    "委宣传部",
    "委党校",
    "直属机关工委",
    "人民政府办公室",
    "总工会",
    "团委",
    "妇联",
    "教育局",
    "卫生健康委员会",
    "农业农村局",
    "住房和城乡建设局",
    "交通运输局",
    "市场监督管理局",
    "税务局",
    "供电公司",
    "人民医院",
    "第一中学",
    "城关镇党委",
]
TITLES = [
    "当前{o}存在的问题及对策建议",
    "关于加强{o}的调研报告",
    "新形势下{o}的实践与思考",
    "浅谈如何{v}{o}",
    "{p}{o}的探索与启示",
    "以{o}引领{g}",
    "{o}的现状、问题与对策",
    "关于{o}的几点思考",
    "{v}{o} 推动{g}",
]
SENTENCES = [
    "{s}要{a}{v}{o}，{v2}{o2}，为{g}提供坚强的组织保障。",
    "只有{a}{v}{o}，才能充分发挥{s}的{r}。",
    "近年来，{p}{s}坚持把{o}作为重要抓手，{a}{v2}{o2}，取得了明显成效。",
    "在{o}方面，{s}{a}{v2}{o2}，不断增强{s2}的凝聚力和战斗力。",
    "实践证明，{o}是{g}的重要保障，必须{a}{v}，久久为功。",
    "当前，{pr}，{pr2}，这些问题在一定程度上制约了{o}的开展。",
    "要以{o}为载体，{a}{v}{o2}，推动{s}{g}。",
    "{s}必须坚持问题导向，{a}{v}{o}，切实解决{pr}的问题。",
    "通过{v}{o}，{s}的{r}得到充分发挥，群众满意度明显提升。",
    "要把{o}与{o2}结合起来，{a}{v}，形成上下联动、齐抓共管的工作格局。",
    "据统计，{p}现有{s}{n1}个，党员{n2}名，其中{n3}名党员参与了{o}。",
    "{p}探索建立“{o}+{o2}”工作模式，{a}{v}，为{s}提供了可复制的经验。",
    "{s}要{a}开展批评和自我批评，把{o}抓在经常、融入日常。",
    "推动{o}常态化制度化，{a}{v}{o2}。",
    "{s}要切实履行{o}主体责任，{a}{v}{o2}，防止形式主义。",
]
HEADINGS = {
    "significance": ["{o}的重要意义", "{v}{o}是{g}的必然要求", "{v}{o}是发挥{r}的需要"],
    "situation": ["{p}{o}的基本情况", "{o}取得的主要成效", "{o}的主要做法"],
    "problems": ["{o}存在的问题", "{pr}", "{o}中的薄弱环节"],
    "causes": ["{o}问题产生的原因", "{pr}的原因分析"],
    "countermeasures": ["{v}{o}的对策建议", "{a}{v}{o}", "以{o}为抓手{g}"],
}
STRUCTURES = [
    ["significance", "problems", "countermeasures"],
    ["situation", "problems", "causes", "countermeasures"],
    ["significance", "situation", "problems", "countermeasures"],
]
CN_NUMBERS = "一二三四五六七八九十"
FIRST_YEAR, LAST_YEAR = 2008, 2025


class EssayGenerator:
    """Synthetic essays of the genre: deterministic for a seed."""

    def __init__(self, seed=20240701):
        self.random = random.Random(seed)

    def _object(self, year, rare=0.12):
        r = self.random
        roll = r.random()
        if roll < 0.04:
            era = [term for term, first, last in ERA_TERMS if first <= year <= last]
            if era:
                return r.choice(era)
        if roll < 0.04 + rare:
            # A long tail: the first rare objects are a good deal commoner.
            return RARE_OBJECTS[min(int(r.expovariate(1 / 6)), len(RARE_OBJECTS) - 1)]
        return r.choice(COMMON_OBJECTS)

    def fill(self, template, year, rare=0.12):
        r = self.random
        return template.format(
            s=r.choice(SUBJECTS),
            s2=r.choice(SUBJECTS),
            a=r.choice(ADVERBS),
            v=r.choice(VERBS),
            v2=r.choice(VERBS),
            o=self._object(year, rare),
            o2=self._object(year, rare),
            g=r.choice(GOALS),
            r=r.choice(ROLES),
            p=r.choice(PLACES),
            pr=r.choice(PROBLEMS),
            pr2=r.choice(PROBLEMS),
            n1=r.randint(12, 480),
            n2=r.randint(300, 12000),
            n3=r.randint(50, 3000),
        )

    def paragraph(self, sentences, year):
        return "".join(self.fill(self.random.choice(SENTENCES), year) for _ in range(sentences))

    def essay(self, published_at, planted=None):
        """A dict of Article fields plus ``sections``; ``planted`` makes it discuss that term."""
        r = self.random
        year = published_at.year
        essay = {
            "title": self.fill(r.choice(TITLES), year, rare=0.03),
            "summary": self.paragraph(1, year),
            "lead": self.paragraph(3, year),
            "conclusion": self.paragraph(2, year),
            "author_org": r.choice(PLACES) + r.choice(UNITS),
            "published_at": published_at,
            "sections": [],
        }
        for i, kind in enumerate(r.choice(STRUCTURES)):
            essay["sections"].append(
                {
                    "level": 1,
                    "number": f"{CN_NUMBERS[i]}、",
                    "kind": kind,
                    "heading": self.fill(r.choice(HEADINGS[kind]), year, rare=0.03),
                    "body": self.paragraph(1, year),
                }
            )
            for j in range(r.randint(2, 4)):
                essay["sections"].append(
                    {
                        "level": 2,
                        "number": f"({CN_NUMBERS[j]})",
                        "kind": kind,
                        "heading": self.fill(r.choice(HEADINGS[kind]), year, rare=0.03),
                        "body": self.paragraph(r.randint(2, 4), year),
                    }
                )
        if planted:
            self._plant(essay, planted)
        return essay

    def _plant(self, essay, term):
        essay["title"] = f"深入推进{term}的实践与思考"
        essay["summary"] = f"本文从{term}的重要意义、存在问题和对策建议三个方面，系统分析了{term}。"
        for section in essay["sections"]:
            if section["level"] == 1:
                section["heading"] = f"{term}的" + ("重要意义" if section["kind"] == "significance" else "有关问题")
            section["body"] += f"要把{term}摆在突出位置，以{term}统揽全局，切实把{term}落到实处。"


def _paragraphs(text):
    return f"<p>{text}</p>"


def _insert(connection, table, columns, rows, chunk=500):
    """Multi-row INSERTs of ``rows`` (lists of values in ``columns`` order)."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    # SQLite allows 32,766 parameters a statement: stay well under.
    chunk = max(1, min(chunk, 30000 // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            placeholders = ", ".join("(" + ", ".join(["%s"] * len(columns)) + ")" for _ in part)
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES {placeholders}",
                [value for row in part for value in row],
            )


# ---------------------------------------------------------------- one run (child process)


def _percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _log(message):
    print(message, file=sys.stderr, flush=True)


def run_child(backend, size, postgres_url, baseline_queries, passes, reuse=False, rebuild_index=True):
    database_url = f"{postgres_url}/{BENCH_DATABASE}" if backend == "postgresql" else f"sqlite:///{SQLITE_PATH}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from articles.search.indexing import rebuild

    result = {"backend": backend, "size": size}
    call_command("migrate", verbosity=0)
    planted_at = {size // 3 + i * 7: term for i, term in enumerate(PLANTED)}
    if reuse and Article.all_objects.count() == size:
        _log(f"  [{backend} {size}] reusing the {size} essays already generated")
        result["generate_seconds"] = 0.0
    else:
        _generate(backend, size, planted_at, result)
    planted_ids = {term: Article.objects.get(slug=f"bench-{number}").pk for number, term in planted_at.items()}

    # -- build the index
    started = time.perf_counter()
    done = rebuild(batch_size=500, progress=None) if rebuild_index else Article.objects.count()
    result["index_seconds"] = time.perf_counter() - started
    result["indexed"] = done
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result["analyze_seconds"] = time.perf_counter() - started
    _log(f"  [{backend} {size}] indexed {done} essays in {result['index_seconds']:.1f} s")
    _measure(backend, result, planted_ids, baseline_queries, passes)


def _generate(backend, size, planted_at, result):
    """Generate ``size`` essays and load them with raw multi-row inserts."""
    from django.db import connection

    from articles.models import Article, Section
    from topics.models import Topic

    started = time.perf_counter()
    generator = EssayGenerator()
    topics = []
    for position, column in enumerate(["党建研究", "工作实践", "廉政建设", "党员教育", "基层治理", "理论学习"]):
        parent = Topic.objects.create(name=column, slug=f"column-{position}", position=position)
        topics.append(parent)
        for child in range(3):
            topics.append(
                Topic.objects.create(
                    name=f"{column}专题{child + 1}",
                    slug=f"column-{position}-{child}",
                    parent=parent,
                    position=child,
                )
            )
    span = datetime(LAST_YEAR, 12, 31, tzinfo=UTC) - datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    # Raw multi-row inserts: the generated HTML is already clean, and the
    # ORM's per-field work (sanitising every rich-text field) would triple
    # the load time without measuring anything about search.
    now = datetime.now(UTC)
    article_columns = [
        "title",
        "subtitle",
        "slug",
        "author",
        "author_org",
        "source",
        "responsible_editor",
        "summary",
        "lead",
        "conclusion",
        "cover",
        "cover_thumbnail",
        "cover_banner",
        "cover_alt",
        "status",
        "published_at",
        "is_pinned",
        "view_count",
        "created_at",
        "updated_at",
    ]
    existing = {f.column for f in Article._meta.concrete_fields}
    article_columns = [c for c in article_columns if c in existing]
    # Later columns with plain defaults (review stage, version, ...).
    defaults = {
        f.column: f.get_default()
        for f in Article._meta.concrete_fields
        if f.column not in article_columns and f.column != "id" and not f.null and f.has_default()
    }
    article_columns += list(defaults)
    section_columns = ["article_id", "position", "level", "number", "heading", "kind", "body"]
    through = Article.topics.through
    moment = connection.ops.adapt_datetimefield_value
    next_id = 1
    batch = 1000
    for start in range(0, size, batch):
        articles, sections, links = [], [], []
        for number in range(start, min(size, start + batch)):
            published_at = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC) + timedelta(
                seconds=rng.random() * span.total_seconds()
            )
            essay = generator.essay(published_at, planted=planted_at.get(number))
            status = Article.Status.PUBLISHED if rng.random() < 0.97 else Article.Status.DRAFT
            values = {
                "title": essay["title"][:200],
                "subtitle": "",
                "slug": f"bench-{number}",
                "author": "",
                "author_org": essay["author_org"],
                "source": "",
                "responsible_editor": "",
                "summary": essay["summary"],
                "lead": _paragraphs(essay["lead"]),
                "conclusion": _paragraphs(essay["conclusion"]),
                "cover": "",
                "cover_thumbnail": "",
                "cover_banner": "",
                "cover_alt": "",
                "status": status,
                "published_at": moment(published_at),
                "is_pinned": False,
                "view_count": 0,
                "created_at": moment(now),
                "updated_at": moment(now),
                **defaults,
            }
            article_id = next_id
            next_id += 1
            articles.append([article_id] + [values[c] for c in article_columns])
            for position, section in enumerate(essay["sections"]):
                sections.append(
                    [
                        article_id,
                        position,
                        section["level"],
                        section["number"],
                        section["heading"][:300],
                        section["kind"],
                        _paragraphs(section["body"]),
                    ]
                )
            for topic in rng.sample(topics, 2):
                links.append([article_id, topic.pk])
        _insert(connection, Article._meta.db_table, ["id"] + article_columns, articles)
        _insert(connection, Section._meta.db_table, section_columns, sections)
        _insert(connection, through._meta.db_table, ["article_id", "topic_id"], links)
        if (start // batch) % 10 == 0:
            _log(f"  [{backend} {size}] generated {start + len(articles)} essays")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('articles_article', 'id'),"
                " (SELECT max(id) FROM articles_article))"
            )
    result["generate_seconds"] = time.perf_counter() - started


def _measure(backend, result, planted_ids, baseline_queries, passes):
    from django.db import connection
    from django.db.models import Q

    from articles.models import Article, Section
    from articles.search.engine import search

    # -- queries
    def run_query(query):
        started = time.perf_counter()
        results = search(query)
        count = results.count()
        hits = list(results[0:10])
        return (time.perf_counter() - started) * 1000, count, hits, results.more

    timings = {"one": [], "multi": [], "phrase": []}
    matched = {}
    groups = [("one", ONE_WORD), ("multi", MULTI_WORD), ("phrase", PHRASES)]
    for _, queries in groups:  # warm-up
        for query in queries:
            run_query(query)
    for _ in range(passes):
        for name, queries in groups:
            for query in queries:
                elapsed, count, _, more = run_query(query)
                timings[name].append(elapsed)
                matched[query] = f"{count}+" if more else str(count)
    for name, values in timings.items():
        result[f"{name}_p50"] = _percentile(values, 0.50)
        result[f"{name}_p95"] = _percentile(values, 0.95)
        result[f"{name}_max"] = max(values)
    slowest = sorted(
        ((statistics.median(timings_for(q, groups, timings, passes)), q) for q in ONE_WORD + MULTI_WORD),
        reverse=True,
    )[:5]
    result["slowest"] = [(query, round(ms, 1)) for ms, query in slowest]
    result["matched"] = matched

    # -- relevance
    relevance = {}
    for term, article_id in planted_ids.items():
        _, _, hits, _ = run_query(term)
        relevance[term] = bool(hits) and hits[0].pk == article_id
    result["relevance"] = relevance

    # -- naive baseline: icontains over title, summary, lead, conclusion, headings and bodies
    def naive(query):
        started = time.perf_counter()
        queryset = Article.objects.published()
        for word in query.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(lead__icontains=word)
                | Q(conclusion__icontains=word)
                | Q(
                    pk__in=Section.objects.filter(Q(heading__icontains=word) | Q(body__icontains=word)).values(
                        "article_id"
                    )
                )
            )
        count = queryset.count()
        list(queryset.order_by("-published_at")[:10])
        return (time.perf_counter() - started) * 1000, count

    sample_one = ONE_WORD[:: max(1, len(ONE_WORD) // baseline_queries)][:baseline_queries]
    sample_multi = MULTI_WORD[:: max(1, len(MULTI_WORD) // baseline_queries)][:baseline_queries]
    for name, sample in (("one", sample_one), ("multi", sample_multi)):
        values = [naive(query)[0] for query in sample]
        result[f"naive_{name}_p50"] = _percentile(values, 0.50)
        result[f"naive_{name}_p95"] = _percentile(values, 0.95)
        result[f"naive_{name}_n"] = len(values)

    if backend == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('articles_searchdocument')"
                " + pg_total_relation_size('articles_searchpassage')"
                " + pg_total_relation_size('articles_searchimpact')"
            )
            result["index_bytes"] = cursor.fetchone()[0]
    else:
        result["index_bytes"] = SQLITE_PATH.stat().st_size
    print(json.dumps(result, ensure_ascii=False))


def timings_for(query, groups, timings, passes):
    """The timings of ``query`` across passes (timings are stored pass by pass, group by group)."""
    for name, queries in groups:
        if query in queries:
            index = queries.index(query)
            return [timings[name][p * len(queries) + index] for p in range(passes)]
    return [0]


# ---------------------------------------------------------------- databases


def _postgres_admin(postgres_url, statement):
    import psycopg2

    connection = psycopg2.connect(f"{postgres_url}/postgres", connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def prepare(backend, postgres_url, reuse=False):
    if reuse:  # the child keeps the essays when there are as many as asked for
        if backend == "postgresql":
            try:
                _postgres_admin(postgres_url, f"CREATE DATABASE {BENCH_DATABASE}")
            except Exception:  # noqa: BLE001 - it exists already
                pass
        return
    if backend == "postgresql":
        _postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        _postgres_admin(postgres_url, f"CREATE DATABASE {BENCH_DATABASE}")
    else:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def cleanup(backend, postgres_url, keep):
    if keep:
        return
    if backend == "postgresql":
        _postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------- segmenters


def compare_segmenters():
    """jieba (pure Python) against rjieba (jieba-rs), on generated essay text."""
    generator = EssayGenerator(seed=1)
    text = "".join(generator.paragraph(40, 2016) for _ in range(20))
    rows = []
    started = time.perf_counter()
    import rjieba

    segmenter = rjieba.Jieba()
    segmenter.cut("预热")
    rows.append(("rjieba 0.2.2", "init", time.perf_counter() - started))
    try:
        import jieba
    except ImportError:
        jieba = None
    if jieba is not None:
        import tempfile

        started = time.perf_counter()
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = tempfile.gettempdir()
        jieba.setLogLevel(60)
        tokenizer.initialize()
        rows.append((f"jieba {jieba.__version__}", "init", time.perf_counter() - started))
    results = []
    for name, cut in [("rjieba 0.2.2", lambda s: segmenter.cut(s))] + (
        [(f"jieba {jieba.__version__}", lambda s: list(tokenizer.cut(s)))] if jieba else []
    ):
        cut(text)
        started = time.perf_counter()
        for _ in range(3):
            tokens = cut(text)
        seconds = (time.perf_counter() - started) / 3
        results.append((name, len(text) / seconds / 1e6, len(tokens), tokens))
    print(f"Segmenters on {len(text):,} characters of generated essay text:")
    for name, what, seconds in rows:
        print(f"  {name:14s} {what}: {seconds * 1000:.0f} ms")
    for name, speed, count, _ in results:
        print(f"  {name:14s} {speed:.2f} M characters/s ({count:,} tokens)")
    if len(results) == 2:
        same = results[0][3] == results[1][3]
        print(f"  identical segmentation: {'yes' if same else 'no'}")
    else:
        print("  (jieba is not installed: pip install jieba==0.42.1 to compare)")


# ---------------------------------------------------------------- report


def _format_table(results):
    lines = []
    header = (
        f"{'database':<11}{'essays':>8}{'load s':>8}{'index s':>9}{'size MB':>9}"
        f"{'1-word p50/p95 ms':>20}{'multi p50/p95 ms':>19}{'phrase p50/p95':>17}"
        f"{'naive 1-word p50/p95':>23}{'naive multi p50/p95':>22}  relevance"
    )
    lines.append(header)
    lines.append("-" * len(header))
    for r in results:
        relevance = ", ".join(f"{term}{'✓' if ok else '✗'}" for term, ok in r["relevance"].items())
        lines.append(
            f"{r['backend']:<11}{r['size']:>8,}{r['generate_seconds']:>8.0f}{r['index_seconds']:>9.1f}"
            f"{r['index_bytes'] / 1e6:>9.0f}"
            f"{r['one_p50']:>11.1f} /{r['one_p95']:>6.1f}"
            f"{r['multi_p50']:>10.1f} /{r['multi_p95']:>6.1f}"
            f"{r['phrase_p50']:>9.1f} /{r['phrase_p95']:>6.1f}"
            f"{r['naive_one_p50']:>14.0f} /{r['naive_one_p95']:>7.0f}"
            f"{r['naive_multi_p50']:>13.0f} /{r['naive_multi_p95']:>7.0f}  {relevance}"
        )
    return "\n".join(lines)


def _use_database(name):
    global BENCH_DATABASE
    BENCH_DATABASE = name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL without a database name")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the queries (after one warm-up)")
    parser.add_argument("--baseline-queries", type=int, default=5, help="queries per group for the naive scan")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the essays of a kept database of the same size (implies --keep)"
    )
    parser.add_argument(
        "--no-rebuild", action="store_true", help="with --reuse: keep the search index too (to time queries only)"
    )
    parser.add_argument("--segmenters", action="store_true", help="only compare jieba and rjieba")
    parser.add_argument("--database", default=BENCH_DATABASE, help="name of the PostgreSQL benchmark database")
    parser.add_argument("--child", nargs=2, metavar=("BACKEND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    _use_database(args.database)

    if args.segmenters:
        compare_segmenters()
        return
    if args.child:
        run_child(
            args.child[0],
            int(args.child[1]),
            args.postgres,
            args.baseline_queries,
            args.passes,
            reuse=args.reuse,
            rebuild_index=not args.no_rebuild,
        )
        return
    args.keep = args.keep or args.reuse

    results = []
    for size in args.sizes:
        for backend in args.backends:
            _log(f"== {backend}, {size:,} essays")
            prepare(backend, args.postgres, reuse=args.reuse)
            started = time.perf_counter()
            try:
                completed = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        backend,
                        str(size),
                        "--postgres",
                        args.postgres,
                        "--passes",
                        str(args.passes),
                        "--baseline-queries",
                        str(args.baseline_queries),
                        "--database",
                        args.database,
                    ]
                    + (["--reuse"] if args.reuse else [])
                    + (["--no-rebuild"] if args.no_rebuild else []),
                    stdout=subprocess.PIPE,
                    text=True,
                    check=True,
                )
            finally:
                cleanup(backend, args.postgres, args.keep)
            result = json.loads(completed.stdout.strip().splitlines()[-1])
            result["wall_seconds"] = time.perf_counter() - started
            results.append(result)
            _log(f"   done in {result['wall_seconds'] / 60:.1f} min; slowest: {result['slowest']}")
            _log(f"   matches: {result['matched']}")
    print()
    print(
        "Search benchmark: search() = rank + count + first page of 10 with snippets; "
        f"{args.passes} passes after a warm-up;"
    )
    print("naive = Article.objects.published() with icontains on title/summary/lead/conclusion/sections.")
    print(_format_table(results))


if __name__ == "__main__":
    main()
