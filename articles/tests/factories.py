"""Plain functions that make topics, essays and their sections through the ORM.

Every function takes keyword overrides for any model field and fills the rest
with readable, unique defaults. No factory library: these are small enough to
read at a glance, and tests stay independent of the admin, the services and
the essay parser.
"""

import itertools
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Section
from topics.models import Topic

_numbers = itertools.count(1)

# The kinds of the sample essay's three parts, in order.
SAMPLE_KINDS = [Section.Kind.SIGNIFICANCE, Section.Kind.PROBLEMS, Section.Kind.COUNTERMEASURES]
CHINESE_NUMBERS = "一二三四五六七八九十"


def chinese_number(n):
    """1 → 一, 12 → 十二, 20 → 二十 (enough for section numbering in tests)."""
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    tens, units = divmod(n, 10)
    return (CHINESE_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CHINESE_NUMBERS[units - 1] if units else "")


def make_topic(name=None, *, parent=None, **fields):
    """A topic (栏目 when ``parent`` is None, else 专题), shown in navigation by default."""
    n = next(_numbers)
    return Topic.objects.create(name=name or f"专题{n}", parent=parent, **fields)


def make_article(title=None, *, topics=(), sections=0, points=0, **fields):
    """A published essay, published an hour (plus a little) ago unless told otherwise.

    ``sections`` level-1 parts are added, each with ``points`` level-2 points.
    Pass ``status``/``published_at`` for drafts and scheduled essays, or use
    :func:`make_draft` and :func:`make_scheduled`.
    """
    n = next(_numbers)
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        # Distinct times so ordering by publish time is deterministic.
        fields.setdefault("published_at", timezone.now() - timedelta(hours=1, minutes=n))
    fields.setdefault("summary", f"第{n}篇文稿的摘要。")
    fields.setdefault("lead", f"<p>第{n}篇文稿的导语。</p>")
    fields.setdefault("author_org", "海西州纪律检查委员会")
    article = Article.objects.create(title=title or f"基层党建工作文稿{n}", **fields)
    if topics:
        article.topics.set(topics)
    if sections:
        add_sections(article, sections, points)
    return article


def make_draft(title=None, **fields):
    return make_article(title, status=Article.Status.DRAFT, published_at=None, **fields)


def make_scheduled(title=None, *, publish_in=timedelta(days=1), **fields):
    """A published essay whose publish time is still ``publish_in`` ahead."""
    return make_article(title, status=Article.Status.PUBLISHED, published_at=timezone.now() + publish_in, **fields)


def make_section(article, heading=None, *, level=Section.Level.SECTION, **fields):
    n = next(_numbers)
    fields.setdefault("position", article.sections.count() + 1)
    fields.setdefault("body", f"<p>第{n}段正文。</p>")
    return Section.objects.create(article=article, level=level, heading=heading or f"小标题{n}", **fields)


def add_sections(article, count, points_per_section=0):
    """``count`` numbered parts (一、二、…), each followed by its (一)(二)… points."""
    made = []
    position = article.sections.count()
    for i in range(1, count + 1):
        kind = SAMPLE_KINDS[(i - 1) % len(SAMPLE_KINDS)]
        position += 1
        made.append(
            make_section(
                article,
                f"第{i}部分的标题",
                number=f"{chinese_number(i)}、",
                kind=kind,
                position=position,
            )
        )
        for j in range(1, points_per_section + 1):
            position += 1
            made.append(
                make_section(
                    article,
                    f"第{i}部分第{j}个要点",
                    level=Section.Level.POINT,
                    number=f"({chinese_number(j)})",
                    kind=kind,
                    position=position,
                )
            )
    return made
