"""Print how well and how fast the 问题库/对策库 groups items, and how fast its pages render.

    .venv/bin/python benchmarks/library.py                      # the demo library, then 10,000 essays on SQLite
    .venv/bin/python benchmarks/library.py --size 0             # the demo library only
    .venv/bin/python benchmarks/library.py --backends sqlite postgresql
    .venv/bin/python benchmarks/library.py --size 2000 --join 0.3 --merge 0.3

Essays of the genre are generated (no real text copied) with known planted
themes: 40 problem themes and 40 countermeasure themes, each a set of
synonymous subjects and predicates (三会一课制度 / 组织生活制度 / “三会一课”
× 落实不到位 / 流于形式 / 执行不严格 …) with varied openings and filler
clauses, so one theme is worded many ways. About a third of the points
enumerate 一是……二是……三是…… (each part a planted item). Every essay has
a problems section and a countermeasures section; some a causes section.

First, at demo size: the demo essays (``articles/demo/``, as ``make run``
loads them) are loaded and regrouped on a fresh SQLite database, and the
items of the team's essays 008–023 are scored against the hand-made gold
grouping ``articles/demo/library_gold.json`` (``library.evaluation``):
purity, recall, items in the 其他 bucket (themes of one item), and keyword
quality -- the share of the shown keywords that are a concept of the lexicon
or a whole word of an item of the theme as the segmenter cuts it, and not
filler (``library/stopwords.txt``). Targets: purity and recall ≥ 0.85, at
most 10% of items in 其他, ≥ 90% good keywords.

Then, for each database:

- items extracted, themes found, regroup time (``library.regrouping.regroup``
  from scratch, then again with nothing changed — the re-run after a publish);
- purity (share of items whose theme's majority planted theme is their own,
  weighted by items) and recall (for each planted theme, the share of its
  items in the one found theme that holds most of them; averaged over
  planted themes, weighted by items), per library;
- render time of the 问题库 index (plain, filtered by unit, sorted newest),
  of the largest theme's page and of the CSV export of one theme: first
  request and the median of several;
- the whole 问题库 exported as .xlsx and .csv (every problem item): time,
  peak Python memory (tracemalloc, a separate run: tracing slows it) and
  size, for a file made anew (a fresh page-cache generation) and for the
  same file asked again (served from the export cache, where there is one).

Targets: regroup under 60 s, pages under 100 ms. A report, not a test: it
never fails on a slow machine (see DESIGN.md, Habits).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The search benchmark's raw multi-row INSERT and database admin helpers.
from benchmarks.search import _insert, _postgres_admin  # noqa: E402  (after the path is set)

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "portal_bench_library"
SQLITE_PATH = ROOT / "var" / "bench-library.sqlite3"
FIRST_YEAR, LAST_YEAR = 2016, 2025

# (subjects, predicates): a planted theme is any subject with any predicate.
PROBLEM_THEMES = [
    ("对党建工作重要性|抓党建的重要意义|党建工作的地位作用", "认识不足|认识不到位|重视不够"),
    ("三会一课制度|“三会一课”|组织生活制度", "落实不到位|流于形式|执行不严格"),
    ("组织生活会|民主评议党员|批评与自我批评", "辣味不足|质量不高|走过场"),
    ("流动党员管理|外出务工党员管理|流动党员教育", "存在盲区|难度较大|脱节"),
    ("党员发展工作|发展党员质量|入党积极分子培养", "把关不严|结构不优|后继乏人"),
    ("村级集体经济|村集体经济收入|集体经济发展", "基础薄弱|来源单一|增收乏力"),
    ("党建经费保障|党组织活动经费|党建工作经费", "保障不足|投入偏少|使用不规范"),
    ("活动阵地建设|党员活动室|党群服务中心", "设施陈旧|功能单一|利用率不高"),
    ("党支部书记队伍|村党组织书记|带头人队伍", "年龄偏大|能力不强|素质不高"),
    ("后备干部培养|村级后备力量|年轻干部储备", "储备不足|青黄不接|断档"),
    ("党建与业务工作|党建和中心工作|抓党建与抓业务", "两张皮|融合不够|结合不紧"),
    ("党建工作考核|党建考评机制|党建责任考核", "软化虚化|指标不科学|结果运用不够"),
    ("主体责任落实|党建工作责任制|第一责任人职责", "层层递减|压力传导不够|落实不力"),
    ("党员教育培训|党员学习教育|理论学习", "针对性不强|方式单一|效果不佳"),
    ("党员先锋模范作用|党员示范带头作用|党员身份意识", "发挥不明显|淡化|不够突出"),
    ("软弱涣散党组织|后进党支部|薄弱党组织", "整顿不彻底|转化不到位|反弹回潮"),
    ("非公企业党组织|民营企业党建|两新组织党建", "覆盖面不广|作用发挥难|组建难"),
    ("社区党组织服务|城市基层党建|社区党建引领治理", "服务能力不足|统筹不够|资源分散"),
    ("形式主义官僚主义|文山会海|检查考核过多", "依然存在|加重基层负担|屡禁不止"),
    ("廉政风险防控|村级小微权力|基层监督", "存在漏洞|监督乏力|制度缺失"),
    ("党务公开|村务公开|财务公开", "不及时|不规范|流于形式"),
    ("信息化党建|智慧党建平台|网上党支部", "运用不充分|更新不及时|功能闲置"),
    ("党建品牌创建|特色党建|党建创新", "同质化|缺乏特色|有名无实"),
    ("基层党组织设置|党组织覆盖|组织设置方式", "不够科学|存在空白|调整滞后"),
    ("老党员关怀|困难党员帮扶|党内关怀激励", "机制不健全|覆盖不全|力度不够"),
    ("党员干部作风|干部担当精神|干事创业热情", "不够扎实|不足|消退"),
    ("意识形态工作|网络舆情引导|思想政治工作", "阵地意识不强|引导乏力|重视不够"),
    ("党建宣传|典型宣传|党建工作宣传报道", "声势不大|手段落后|感染力不强"),
    ("驻村第一书记|驻村工作队|选派干部驻村", "作用发挥不均衡|管理不严|融入不够"),
    ("基层党建制度|党内规章制度|党建工作机制", "不健全|执行不到位|操作性不强"),
    ("乡村振兴中的党建引领|产业发展中的党组织作用|党建促发展", "不够有力|作用不强|路径不清"),
    ("党员队伍结构|党员年龄结构|党员学历结构", "老化|不合理|失衡"),
    ("主题党日活动|党日活动内容|党员活动形式", "内容单一|形式老套|吸引力不强"),
    ("党建指导员|党建工作力量|专职党务工作者", "配备不足|力量薄弱|兼职过多"),
    ("机关党建|机关党组织|机关党员管理", "灯下黑|边缘化|要求不严"),
    ("国有企业党建|国企党组织|前置研究程序", "弱化淡化|作用不明显|执行不严"),
    ("学校党组织建设|高校党建|教师党支部", "基础薄弱|活力不足|作用不强"),
    ("网格化管理|网格党建|楼栋党小组", "运行不畅|作用有限|覆盖不全"),
    ("群众工作能力|联系服务群众|密切党群关系", "有所弱化|不够紧密|本领不强"),
    ("党费收缴管理|党费使用|党费交纳", "不规范|不及时|管理不严"),
]
COUNTERMEASURE_THEMES = [
    ("提高思想认识|强化党建意识|树立抓好党建是最大政绩的理念", "切实|进一步|牢固"),
    ("严格落实三会一课制度|规范组织生活|提升组织生活质量", "坚持|严格|着力"),
    ("开好组织生活会|认真开展批评与自我批评|做实民主评议党员", "认真|严肃|扎实"),
    ("加强流动党员管理|建立流动党员服务站|运用网络联系流动党员", "创新|健全|完善"),
    ("严把党员发展入口关|提高发展党员质量|加强入党积极分子培养", "严格|注重|着力"),
    ("发展壮大村级集体经济|拓宽集体经济增收渠道|培育村集体经济项目", "大力|积极|多措并举"),
    ("加大党建经费投入|建立党建经费保障机制|规范党建经费使用", "逐步|持续|足额"),
    ("加强活动阵地建设|提升党群服务中心功能|盘活党员活动室", "统筹|整合|提升"),
    ("选优配强党组织书记|加强带头人队伍建设|提升书记履职能力", "注重|着力|大力"),
    ("加强后备干部培养|建立村级后备力量库|储备优秀年轻干部", "注重|着眼长远|持续"),
    ("推动党建与业务深度融合|实现党建和中心工作同频共振|以党建促业务", "坚持|着力|切实"),
    ("完善党建考核评价体系|强化考核结果运用|科学设置党建考核指标", "健全|完善|改进"),
    ("压实党建主体责任|落实党建工作责任制|健全责任清单", "层层|切实|全面"),
    ("创新党员教育培训方式|增强学习教育针对性|推进学习教育常态化", "分类|精准|深入"),
    ("发挥党员先锋模范作用|开展党员设岗定责|推行党员承诺践诺", "积极|广泛|深入"),
    ("整顿软弱涣散党组织|推动后进党支部转化|建立整顿长效机制", "持续|集中|扎实"),
    ("扩大非公企业党组织覆盖|加强两新组织党建|推进民营企业党建", "着力|有序|积极"),
    ("推进党建引领社区治理|提升社区党组织服务能力|整合社区资源", "深化|统筹|全面"),
    ("持续为基层减负|整治形式主义官僚主义|精简文件会议", "切实|坚决|持续"),
    ("加强村级权力监督|推行小微权力清单|完善廉政风险防控", "严格|全面|健全"),
    ("推进党务村务财务公开|规范公开程序|接受群众监督", "全面|及时|主动"),
    ("推进智慧党建|用好党建信息平台|建设网上党支部", "加快|充分|积极"),
    ("打造党建特色品牌|推进党建工作创新|培育党建示范点", "精心|因地制宜|着力"),
    ("优化党组织设置|扩大党的组织覆盖|创新组织设置方式", "科学|灵活|因地制宜"),
    ("健全党内关怀帮扶机制|关爱老党员困难党员|落实党内激励关怀", "建立|完善|经常性"),
    ("加强干部作风建设|激励干部担当作为|营造干事创业氛围", "大力|持续|切实"),
    ("落实意识形态工作责任制|加强网络舆情引导|做好思想政治工作", "严格|主动|扎实"),
    ("加大党建宣传力度|选树先进典型|讲好党建故事", "广泛|充分|创新"),
    ("加强驻村第一书记管理|发挥驻村工作队作用|完善选派干部考核", "严格|充分|健全"),
    ("健全基层党建制度体系|完善党建工作机制|增强制度执行力", "系统|不断|切实"),
    ("以党建引领乡村振兴|发挥党组织在产业发展中的作用|推行党支部加合作社", "坚持|充分|积极"),
    ("优化党员队伍结构|注重在青年中发展党员|改善党员学历结构", "逐步|注重|持续"),
    ("丰富主题党日活动内容|创新党员活动形式|增强活动吸引力", "不断|积极|用心"),
    ("配强党建工作力量|选派党建指导员|配备专职党务工作者", "充实|按要求|优先"),
    ("加强机关党建|防止机关党建灯下黑|严格机关党员管理", "着力|全面|从严"),
    ("加强国有企业党建|落实前置研究程序|把党的领导融入公司治理", "坚持|严格|全面"),
    ("加强学校党组织建设|推进教师党支部标准化|提升高校党建质量", "扎实|全面|持续"),
    ("深化网格化管理|推进网格党建|建立楼栋党小组", "健全|全面|深入"),
    ("密切联系服务群众|提高群众工作本领|畅通群众诉求渠道", "经常|切实|主动"),
    ("规范党费收缴管理|严格党费使用|按时足额交纳党费", "严格|定期|认真"),
]
OPENINGS = ["", "", "部分党组织", "有的基层单位", "一些村党支部", "少数党员干部", "个别单位", "从调研情况看，"]
CM_OPENINGS = ["", "", "要", "必须", "各级党组织要", "应当", "建议"]
FILLERS = [
    "",
    "",
    "",
    "，影响了党组织的凝聚力和战斗力",
    "，群众对此反映较多",
    "，这一问题在农村尤为突出",
    "，制约了基层党建工作质量的提升",
    "，需要引起高度重视",
    "，与新时代要求还有差距",
]
CM_FILLERS = [
    "",
    "",
    "",
    "，不断提升基层党建工作水平",
    "，确保各项措施落到实处",
    "，推动基层党建全面进步过硬",
    "，为高质量发展提供坚强组织保证",
    "，形成上下联动的工作格局",
]
PLACES = [
    "青川",
    "平武",
    "黑水",
    "松潘",
    "理塘",
    "茂汶",
    "汶川",
    "德格",
    "丹巴",
    "炉霍",
    "雅江",
    "稻城",
    "乡城",
    "得荣",
    "白玉",
    "石渠",
    "色达",
    "甘孜",
    "康定",
    "泸定",
    "九龙",
    "木里",
    "盐源",
    "会东",
]
UNITS = ["县委组织部", "县纪委监委", "镇党委", "街道党工委", "县委党校", "市直机关工委"]
NUMERALS = "一二三四五六七八九十"


def _split(themes):
    return [(subjects.split("|"), predicates.split("|")) for subjects, predicates in themes]


class Generator:
    def __init__(self, seed=20251129):
        self.rng = random.Random(seed)
        self.problems = _split(PROBLEM_THEMES)
        self.countermeasures = _split(COUNTERMEASURE_THEMES)

    def problem(self, theme):
        subjects, predicates = self.problems[theme]
        r = self.rng
        return f"{r.choice(OPENINGS)}{r.choice(subjects)}{r.choice(predicates)}{r.choice(FILLERS)}"

    def countermeasure(self, theme):
        actions, adverbs = self.countermeasures[theme]
        r = self.rng
        return f"{r.choice(CM_OPENINGS)}{r.choice(adverbs)}{r.choice(actions)}{r.choice(CM_FILLERS)}"

    def points(self, kind, themes):
        """Points of one section: ``[(heading, body, [planted per ordinal])]``; ordinal 0 or 1..n."""
        make = self.problem if kind != "countermeasures" else self.countermeasure
        points, queue = [], list(themes)
        while queue:
            if len(queue) >= 3 and self.rng.random() < 0.35:
                parts = [queue.pop() for _ in range(self.rng.choice((2, 3)))]
                texts = [make(t) for t in parts]
                body = "；".join(f"{NUMERALS[i]}是{text}" for i, text in enumerate(texts)) + "。"
                heading = "工作中存在一些短板" if kind != "countermeasures" else "多措并举抓好落实"
                points.append((heading, body, {i + 1: (kind, t) for i, t in enumerate(parts)}))
            else:
                t = queue.pop()
                heading = make(t).split("，")[0]
                body = make(t) + "。" + self.rng.choice(["", "这一点在调研中反映比较集中。", "各地情况不尽相同。"])
                points.append((heading, body, {0: (kind, t)}))
        return points

    def essay(self, number):
        r = self.rng
        problems = r.sample(range(len(self.problems)), r.randint(3, 6))
        # Countermeasures answer the essay's problems, plus one of the essay's own choosing.
        answers = [t for t in problems if r.random() < 0.8] + [r.randrange(len(self.countermeasures))]
        answers = list(dict.fromkeys(answers))
        sections = [
            (1, "一、", "基层党建工作的重要意义", "significance", "<p>基层党组织是党的全部工作和战斗力的基础。</p>", {})
        ]
        sections.append((1, "二、", "当前存在的主要问题", "problems", "", {}))
        for i, (heading, body, planted) in enumerate(
            self.points("problems", problems[:-1] if len(problems) > 4 else problems)
        ):
            sections.append((2, f"（{NUMERALS[i % 10]}）", heading, "problems", f"<p>{body}</p>", planted))
        if len(problems) > 4:
            sections.append((1, "三、", "问题产生的原因", "causes", "", {}))
            for i, (heading, body, planted) in enumerate(self.points("causes", problems[-1:])):
                sections.append((2, f"（{NUMERALS[i]}）", heading, "causes", f"<p>{body}</p>", planted))
        sections.append((1, "四、", "对策建议", "countermeasures", "", {}))
        for i, (heading, body, planted) in enumerate(self.points("countermeasures", answers)):
            sections.append((2, f"（{NUMERALS[i % 10]}）", heading, "countermeasures", f"<p>{body}</p>", planted))
        place = r.choice(PLACES)
        return {
            "title": f"{place}基层党建工作存在的问题及对策建议（{number}）",
            "author_org": f"{place}{r.choice(UNITS)}",
            "sections": sections,
        }


def _log(message):
    print(message, file=sys.stderr, flush=True)


def generate(size):
    """Insert ``size`` published essays; returns ``{(section_id, ordinal): (kind, planted theme)}``."""
    from django.db import connection

    from articles.models import Article, Section
    from topics.models import Topic

    topics = [Topic.objects.create(name=f"专题{i}", slug=f"bench-topic-{i}", position=i) for i in range(6)]
    gen = Generator()
    rng = random.Random(11)
    now = datetime.now(UTC)
    span = (datetime(LAST_YEAR, 12, 31, tzinfo=UTC) - datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)).total_seconds()
    moment = connection.ops.adapt_datetimefield_value
    columns = ["title", "slug", "author_org", "status", "published_at", "created_at", "updated_at"]
    defaults = {
        f.column: f.get_default()
        for f in Article._meta.concrete_fields
        if f.column not in columns and f.column != "id" and not f.null and f.has_default()
    }
    blanks = [
        f.column
        for f in Article._meta.concrete_fields
        if f.column not in columns and f.column not in defaults and f.column != "id" and not f.null
    ]
    article_columns = columns + list(defaults) + blanks
    section_columns = ["id", "article_id", "position", "level", "number", "heading", "kind", "body"]
    truth = {}
    section_id = 1
    for start in range(0, size, 1000):
        articles, sections, links = [], [], []
        for number in range(start, min(size, start + 1000)):
            essay = gen.essay(number)
            published = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.random() * span)
            values = {
                "title": essay["title"],
                "slug": f"bench-{number}",
                "author_org": essay["author_org"],
                "status": "published",
                "published_at": moment(published),
                "created_at": moment(now),
                "updated_at": moment(now),
                **defaults,
                **dict.fromkeys(blanks, ""),
            }
            article_id = number + 1
            articles.append([article_id] + [values[c] for c in article_columns])
            for position, (level, num, heading, kind, body, planted) in enumerate(essay["sections"]):
                sections.append([section_id, article_id, position, level, num, heading[:300], kind, body])
                for ordinal, label in planted.items():
                    truth[(section_id, ordinal)] = label
                section_id += 1
            for topic in rng.sample(topics, 2):
                links.append([article_id, topic.pk])
        _insert(connection, Article._meta.db_table, ["id"] + article_columns, articles)
        _insert(connection, Section._meta.db_table, section_columns, sections)
        _insert(connection, Article.topics.through._meta.db_table, ["article_id", "topic_id"], links)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("articles_article", "articles_section"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return truth


def quality(truth, library_kinds):
    """Purity and recall of the found themes against the planted ones, for items of ``library_kinds``."""
    from library.models import LibraryItem

    found = defaultdict(Counter)  # theme -> planted counts
    planted_sizes = Counter()
    by_planted = defaultdict(Counter)  # planted -> theme counts
    for section_id, ordinal, theme_id in LibraryItem.objects.filter(kind__in=library_kinds).values_list(
        "section_id", "ordinal", "theme_id"
    ):
        label = truth.get((section_id, ordinal))
        if label is None:
            continue
        planted = label[1]
        planted_sizes[planted] += 1
        if theme_id is None:
            continue
        found[theme_id][planted] += 1
        by_planted[planted][theme_id] += 1
    total = sum(planted_sizes.values()) or 1
    purity = sum(max(counter.values()) for counter in found.values()) / total
    recall = sum(max(counter.values()) for counter in by_planted.values()) / total
    return {"items": sum(planted_sizes.values()), "themes": len(found), "purity": purity, "recall": recall}


def timed(function, repeat=7):
    started = time.perf_counter()
    function()
    first = time.perf_counter() - started
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return first * 1000, statistics.median(runs) * 1000


def run_child(backend, size, postgres_url, join, merge):
    os.environ["DATABASE_URL"] = (
        f"{postgres_url}/{BENCH_DATABASE}" if backend == "postgresql" else f"sqlite:///{SQLITE_PATH}"
    )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    # Tasks are queued and never run: the benchmark regroups by hand.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    # One client asks for every export here: no per-address limit; the files
    # go to a temporary folder, removed at the end.
    os.environ["LIBRARY_EXPORT_RATE_LIMIT"] = "1000000"
    import tempfile

    os.environ["LIBRARY_EXPORT_DIR"] = tempfile.mkdtemp(prefix="bench-library-exports-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from library import grouping
    from library.models import LibraryItem, Theme
    from library.regrouping import regroup

    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    grouping.JOIN_THRESHOLD, grouping.MERGE_THRESHOLD = join, merge
    grouping.group.__kwdefaults__.update({"join": join, "merge": merge})
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    truth = generate(size)
    result = {"backend": backend, "essays": size, "generate_s": time.perf_counter() - started}
    _log(f"  [{backend}] generated {size} essays in {result['generate_s']:.1f} s")
    report = regroup()
    result["regroup_s"] = report.seconds
    result["items"] = report.items
    result["themes"] = report.themes
    result["links"] = report.links
    started = time.perf_counter()
    regroup()
    result["regroup_again_s"] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result["problems"] = quality(truth, ["problems", "causes"])
    result["countermeasures"] = quality(truth, ["countermeasures"])
    _log(f"  [{backend}] regrouped {report.items} items in {report.seconds:.1f} s")

    client = Client()
    largest = Theme.objects.filter(library="problems").order_by("-item_count").first()
    org = LibraryItem.objects.values_list("article__author_org", flat=True).first()
    # The index's last page, as its own links name it (a number past it is a 404, articles.reading.pagination).
    first = client.get("/library/problems/").content.decode()
    last_page = max([1, *(int(number) for number in re.findall(r"[?&]page=(\d+)", first))])
    pages = {
        "问题库 index": "/library/problems/",
        f"问题库 index, last page ({last_page})": f"/library/problems/?page={last_page}",
        "问题库 by unit": f"/library/problems/?org={org}",
        "问题库 newest": "/library/problems/?sort=newest",
        "对策库 index": "/library/countermeasures/",
        f"largest theme ({largest.item_count} items)": largest.get_absolute_url(),
        "CSV of largest theme": f"/library/problems/export.csv?theme={largest.pk}",
    }
    timings = {}
    for name, url in pages.items():

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        timings[name] = timed(fetch)
    result["pages"] = timings
    result["exports"] = {fmt: measure_export(client, f"/library/problems/export.{fmt}") for fmt in ("xlsx", "csv")}
    import shutil

    shutil.rmtree(settings.LIBRARY_EXPORT_DIR, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


def _fetch_whole(client, url):
    """One request for ``url`` with its body read to the end, as a download is; returns the size."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return size


def measure_export(client, url):
    """``{"new": (s, peak MiB), "again": (s, peak MiB), "bytes": n}`` for one export.

    "new" starts a new page-cache generation first (as any change of the site
    does), so the file is made; "again" asks for it once more.
    """
    import gc
    import tracemalloc

    from config import pagecache

    def run(fresh, traced):
        if fresh:
            pagecache.invalidate()
        gc.collect()
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        size = _fetch_whole(client, url)
        elapsed = time.perf_counter() - started
        peak = 0
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return elapsed, peak / 2**20, size

    new_s, _, size = run(True, False)
    again_s, _, _ = run(False, False)
    _, new_mib, _ = run(True, True)
    _, again_mib, _ = run(False, True)
    _log(
        f"  export {url}: new {new_s:.1f} s / {new_mib:.0f} MiB, again {again_s:.2f} s / {again_mib:.1f} MiB, {size:,} bytes"
    )
    return {"new": [new_s, new_mib], "again": [again_s, again_mib], "bytes": size}


def _sqlite_files():
    return [Path(f"{SQLITE_PATH}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]


def prepare(backend, postgres_url):
    if backend == "postgresql":
        _postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        _postgres_admin(postgres_url, f"CREATE DATABASE {BENCH_DATABASE}")
    else:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        cleanup(backend, postgres_url, keep=False)


def cleanup(backend, postgres_url, keep):
    if keep:
        return
    if backend == "postgresql":
        _postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    else:
        for path in _sqlite_files():
            path.unlink(missing_ok=True)


def format_results(results):
    lines = []
    for r in results:
        lines.append(
            f"{r['backend']}: {r['essays']:,} essays, {r['items']:,} items, {r['themes']:,} themes, "
            f"{r['links']:,} suggested links"
        )
        lines.append(f"  regroup from scratch   {r['regroup_s']:7.1f} s   (target < 60 s)")
        lines.append(f"  regroup, no change     {r['regroup_again_s']:7.1f} s")
        for library in ("problems", "countermeasures"):
            q = r[library]
            lines.append(
                f"  {library:<16} planted 40, found {q['themes']:>4} themes   "
                f"purity {q['purity']:.3f}   recall {q['recall']:.3f}   ({q['items']:,} items)"
            )
        lines.append(f"  {'page':<34} {'first ms':>9} {'median ms':>10}   (target < 100 ms)")
        for name, (first, median) in r["pages"].items():
            lines.append(f"  {name:<34} {first:9.1f} {median:10.1f}")
        lines.append(
            f"  {'whole 问题库 export':<34} {'new s':>9} {'peak MiB':>10} {'again s':>9} {'peak MiB':>10} {'MB':>7}"
        )
        for fmt, e in r.get("exports", {}).items():
            lines.append(
                f"  {fmt:<34} {e['new'][0]:9.2f} {e['new'][1]:10.1f} {e['again'][0]:9.3f} "
                f"{e['again'][1]:10.1f} {e['bytes'] / 1e6:7.1f}"
            )
    return "\n".join(lines)


def run_demo_child():
    """Load the demo essays into a fresh SQLite database, regroup, score against the gold grouping."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="bench-library-demo-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/demo.sqlite3"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import shutil

    import django

    django.setup()
    from django.core.management import call_command

    from library.regrouping import regroup

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        load_s = time.perf_counter() - started
        report = regroup()
        result = {"load_s": load_s, "regroup_s": report.seconds, **score_demo()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


def score_demo():
    """Purity, recall, 其他 share and keyword quality of the regrouped demo library, per library."""
    from articles.essay import parse
    from articles.search.segmentation import normalize
    from library import evaluation
    from library.lexicon import active_lexicon
    from library.models import LibraryItem, Theme

    gold = evaluation.load_gold()
    essays = evaluation.DEMO_DIR / "essays"
    files = {parse(path.read_text(encoding="utf-8")).title: path.name for path in essays.glob("*.txt")}
    lexicon = active_lexicon()
    result = {}
    for library, kinds in (("problems", ("problems", "causes")), ("countermeasures", ("countermeasures",))):
        rows = list(
            LibraryItem.objects.filter(kind__in=kinds).values_list(
                "article__title", "heading", "text", "theme_id", "theme__misc"
            )
        )
        labels, assignment, words = {}, {}, defaultdict(set)
        for index, (title, heading, text, theme_id, misc) in enumerate(rows):
            item = evaluation.DemoItem(files.get(title, ""), library, heading, text)
            labels[index] = evaluation.gold_theme(gold, item)
            assignment[index] = None if misc else theme_id
            words[theme_id].update(lexicon.segmenter.words(normalize(f"{heading}。{text}")))
        score = evaluation.score(labels, assignment)
        themes = list(Theme.objects.filter(library=library, misc=False, item_count__gt=0))
        keywords = [(word, theme.pk) for theme in themes for word in theme.words]
        good = evaluation.keyword_quality(
            keywords,
            lambda pair, words=words: (
                pair[0] in lexicon.concepts or (pair[0] in words[pair[1]] and pair[0] not in lexicon.stopwords)
            ),
        )
        result[library] = {
            "items": len(rows),
            "labelled": score.items,
            "themes": len(themes),
            "purity": score.purity,
            "recall": score.recall,
            "singletons": score.singletons,
            "keywords": len(keywords),
            "keyword_quality": good,
            "concept_labels": sum(1 for theme in themes if theme.auto_label in _concept_labels(lexicon, library)),
        }
    return result


def _concept_labels(lexicon, library):
    return {lexicon.label(name, library) for name in lexicon.concepts}


def format_demo(result):
    lines = [
        f"demo library (articles/demo, load_demo {result['load_s']:.1f} s, regroup {result['regroup_s']:.1f} s); "
        "scored: the team's essays 008–023 against articles/demo/library_gold.json",
        f"  {'':16} {'items':>6} {'scored':>7} {'themes':>7} {'purity':>7} {'recall':>7} "
        f"{'in 其他':>9} {'keywords':>9} {'good':>6} {'named by concept':>17}",
    ]
    for library in ("problems", "countermeasures"):
        r = result[library]
        share = r["singletons"] / r["items"] if r["items"] else 0
        lines.append(
            f"  {library:<16} {r['items']:6d} {r['labelled']:7d} {r['themes']:7d} {r['purity']:7.3f} {r['recall']:7.3f} "
            f"{r['singletons']:4d} ({share:4.0%}) {r['keywords']:6d} {r['keyword_quality']:6.0%} {r['concept_labels']:17d}"
        )
    lines.append("  targets: purity ≥ 0.85, recall ≥ 0.85, ≤ 10% of items in the 其他 bucket, ≥ 90% good keywords")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL without a database name")
    parser.add_argument("--join", type=float, default=None, help="join threshold (default: library.grouping's)")
    parser.add_argument("--merge", type=float, default=None, help="merge threshold (default: library.grouping's)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--child", nargs=2, metavar=("BACKEND", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--no-demo", action="store_true", help="skip the demo-size evaluation")
    args = parser.parse_args()
    from library import grouping

    join = args.join if args.join is not None else grouping.JOIN_THRESHOLD
    merge = args.merge if args.merge is not None else grouping.MERGE_THRESHOLD
    if args.child and args.child[0] == "demo":
        run_demo_child()
        return
    if args.child:
        run_child(args.child[0], int(args.child[1]), args.postgres, join, merge)
        return
    if not args.no_demo:
        _log("== demo library")
        completed = subprocess.run(
            [sys.executable, __file__, "--child", "demo", "0"], stdout=subprocess.PIPE, text=True, check=True
        )
        print(format_demo(json.loads(completed.stdout.strip().splitlines()[-1])))
    if not args.size:
        return
    results = []
    for backend in args.backends:
        _log(f"== {backend}, {args.size:,} essays (join {join}, merge {merge})")
        prepare(backend, args.postgres)
        try:
            completed = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    backend,
                    str(args.size),
                    "--postgres",
                    args.postgres,
                    "--join",
                    str(join),
                    "--merge",
                    str(merge),
                ],
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
        finally:
            cleanup(backend, args.postgres, args.keep)
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    print()
    print(
        f"问题库/对策库 benchmark (join threshold {join}, merge threshold {merge}; page times: first and median of 7)"
    )
    print(format_results(results))


if __name__ == "__main__":
    main()
