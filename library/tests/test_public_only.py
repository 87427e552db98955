"""Nothing of an essay the public may not see reaches the library's public side.

Scheduled essays (published, publish time still ahead), drafts, archived
essays and the recycle bin: none of their points, nor a theme name or a
keyword taken from them, may appear on an index, a theme page, a chart's
data or an export -- not even in the seconds between a withdrawal and the
regroup that follows it. A scheduled essay joins the library by itself when
its time comes.
"""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from articles.editing import workflow
from articles.models import Article
from library.models import Concept, LibraryItem
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, STUDY, make_essay

pytestmark = pytest.mark.django_db

PROBLEMS = "/library/problems/"
COUNTERMEASURES = "/library/countermeasures/"
# The hidden essay's wording: its points join the 三会一课 theme and, being the
# most typical of it, name it; 红旗 becomes one of the theme's keywords.
HIDDEN_UNIT = "丙单位"
HIDDEN_PROBLEMS = [
    "三会一课流于形式，红旗驿站组织生活不规范",
    "红旗驿站组织生活流于形式，三会一课不规范",
    "红旗驿站三会一课流于形式",
]
HIDDEN_COUNTERMEASURES = ["建好红旗驿站，严格落实三会一课制度，规范组织生活"]
HIDDEN_WORD = "红旗"


@pytest.fixture(autouse=True)
def _regroup_by_hand(settings, no_task_worker):
    # What readers see in the seconds before the regroup that follows a change.
    settings.LIBRARY_EXPORT_RATE_LIMIT = 1000  # one client reads everything, again and again


def public_essays():
    make_essay(problems=[ORGANIZATION[0], ATTITUDE[0]], countermeasures=STUDY, author_org="甲单位")
    make_essay(problems=[ORGANIZATION[1], ATTITUDE[1]], countermeasures=STUDY, author_org="乙单位")


def hidden_essay(**fields):
    return make_essay(
        problems=HIDDEN_PROBLEMS, countermeasures=HIDDEN_COUNTERMEASURES, author_org=HIDDEN_UNIT, **fields
    )


def theme_url(heading):
    return LibraryItem.objects.get(heading=heading).theme.get_absolute_url()


def body(response):
    """A response's body, streamed or not (an export is streamed from its file)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def chart_data(page):
    """The decoded json_script blocks of a page (their text is \\u-escaped in the HTML)."""
    return [
        json.loads(block)
        for block in re.findall(r'<script id="[^"]+-data" type="application/json">(.*?)</script>', page, re.S)
    ]


def everything_public(client):
    """What a reader can get of the library: pages, chart data, CSV and XLSX, as one text per source."""
    sources = {}
    for library in (PROBLEMS, COUNTERMEASURES):
        page = client.get(library).content.decode()
        sources[library] = page
        sources[library + " charts"] = json.dumps(chart_data(page), ensure_ascii=False)
        for match in sorted(set(re.findall(rf'href="({library}\d+/)"', page))):
            theme_page = client.get(match).content.decode()
            sources[match] = theme_page
            sources[match + " charts"] = json.dumps(chart_data(theme_page), ensure_ascii=False)
        csv_response = client.get(library + "export.csv")
        assert csv_response.status_code == 200
        sources[library + "export.csv"] = body(csv_response).decode("utf-8-sig")
        xlsx_response = client.get(library + "export.xlsx")
        assert xlsx_response.status_code == 200
        sheet = load_workbook(io.BytesIO(body(xlsx_response))).active
        sources[library + "export.xlsx"] = "\n".join(
            "\t".join(str(cell) for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)
        )
    return sources


def leaks(sources):
    """The sources in which anything of the hidden essay shows."""
    needles = [*HIDDEN_PROBLEMS, *HIDDEN_COUNTERMEASURES, HIDDEN_WORD, HIDDEN_UNIT]
    return {
        name: [needle for needle in needles if needle in text]
        for name, text in sources.items()
        if any(needle in text for needle in needles)
    }


def test_a_scheduled_essay_leaves_no_trace_in_the_library(client):
    public_essays()
    hidden_essay(published_at=timezone.now() + timedelta(days=7))
    regroup()

    sources = everything_public(client)
    assert leaks(sources) == {}
    # The 三会一课 theme is there, named after a public point.
    assert any(ORGANIZATION[0] in text or ORGANIZATION[1] in text for text in sources.values())


@pytest.mark.parametrize("public_count", [0, 2, 40])
def test_a_scheduled_essays_concept_names_no_theme_and_counts_nowhere(client, public_count):
    """A theme named by a concept (经费保障不足) that only a scheduled essay raises does not exist
    before its time: not as a theme, a keyword, in the 其他 bucket's count or an export -- with no
    public essay, a few, or many beside it."""
    for number in range(public_count):
        make_essay(problems=[ORGANIZATION[number % 3], ATTITUDE[number % 3]], author_org=f"单位{number}")
    make_essay(
        problems=["党建经费保障不足，活动经费无米下锅", "运转经费紧张，经费投入偏少"],
        author_org=HIDDEN_UNIT,
        published_at=timezone.now() + timedelta(days=7),
    )
    regroup()
    sources = everything_public(client)
    needles = ["经费保障", "无米下锅", "运转经费", HIDDEN_UNIT]
    assert {
        name: [n for n in needles if n in text] for name, text in sources.items() if any(n in text for n in needles)
    } == {}
    public_items = LibraryItem.objects.public().count()
    assert LibraryItem.objects.count() == public_items == 2 * public_count


def test_a_scheduled_essay_joins_the_library_when_its_time_comes_without_a_command(client, tasks_run_at_once):
    public_essays()
    scheduled = hidden_essay(published_at=timezone.now() + timedelta(days=7))
    regroup()
    assert leaks(everything_public(client)) == {}

    with time_machine.travel(scheduled.published_at + timedelta(minutes=1), tick=False):
        # No regroup_items run, no save: the first library request after the
        # publish time brings the essay in.
        page = client.get(PROBLEMS).content.decode()
        assert "<strong>3</strong> 篇文稿提出" in page
        theme_page = client.get(theme_url(HIDDEN_PROBLEMS[0])).content.decode()
        for heading in HIDDEN_PROBLEMS:
            assert heading in theme_page
        assert HIDDEN_UNIT in theme_page
        text = body(client.get(PROBLEMS + "export.csv")).decode("utf-8-sig")
        assert {row[1] for row in csv.reader(io.StringIO(text))} >= set(HIDDEN_PROBLEMS)
        assert HIDDEN_UNIT in client.get(PROBLEMS).content.decode()  # the unit filter offers it


def _reschedule(article, user):
    article.published_at = timezone.now() + timedelta(days=3)
    article.save()


WITHDRAWALS = {
    "unpublished": workflow.unpublish,
    "archived": workflow.archive,
    "moved to the recycle bin": workflow.move_to_recycle_bin,
    "rescheduled": _reschedule,
}


@pytest.mark.parametrize("withdraw", list(WITHDRAWALS), ids=list(WITHDRAWALS))
def test_a_withdrawn_essay_and_the_names_taken_from_it_vanish_at_once(client, admin_user, withdraw):
    public_essays()
    essay = hidden_essay()
    regroup()
    before = everything_public(client)  # fills every cache a reader's visit fills
    assert leaks(before), "the essay is public: its points are in the library"
    theme = theme_url(ORGANIZATION[0])
    assert theme == theme_url(HIDDEN_PROBLEMS[0])

    WITHDRAWALS[withdraw](Article.all_objects.get(pk=essay.pk), admin_user)

    after = everything_public(client)
    assert leaks(after) == {}
    # The theme stays, with the public essays' counts, under a public name.
    page = client.get(theme).content.decode()
    assert "<strong>2</strong> 篇文稿提出，共 2 条" in page
    assert ORGANIZATION[0] in page and ORGANIZATION[1] in page
    assert "<strong>2</strong> 篇文稿提出" in client.get(PROBLEMS).content.decode()


def test_a_theme_named_after_a_point_an_editor_moved_elsewhere_is_renamed_when_its_essay_goes(client, admin_user):
    from library import services as library_services

    # Without concepts the theme is named after its central point, not after a concept.
    Concept.objects.update(enabled=False)
    public_essays()
    essay = hidden_essay()
    regroup()
    central = LibraryItem.objects.get(heading=HIDDEN_PROBLEMS[0]).theme.central_item
    assert central.article_id == essay.pk
    named = central.theme
    other = LibraryItem.objects.get(heading=ATTITUDE[0]).theme
    for item in LibraryItem.objects.filter(article=essay, theme=named):
        library_services.move_item(item, other)
    named.refresh_from_db()
    assert named.items.exists() and not named.items.filter(article=essay).exists()
    assert named.auto_label == central.heading  # still named after it, until the next regroup

    workflow.unpublish(Article.objects.get(pk=essay.pk), admin_user)

    assert leaks(everything_public(client)) == {}


def test_a_regroup_records_when_the_next_scheduled_essay_is_due(settings):
    from django.core.cache import cache

    from library import tasks

    public_essays()
    later = hidden_essay(published_at=timezone.now() + timedelta(days=7))
    make_essay(problems=["经费保障不足"], published_at=timezone.now() + timedelta(days=9))
    regroup()
    assert cache.get(tasks.NEXT_DUE_KEY) == later.published_at.timestamp()
    assert not LibraryItem.objects.filter(article=later).exists()


def test_an_essay_that_became_due_while_the_cache_was_lost_is_still_brought_in(client, tasks_run_at_once):
    from django.core.cache import cache

    from library import tasks

    public_essays()
    scheduled = hidden_essay(published_at=timezone.now() + timedelta(days=7))
    regroup()
    with time_machine.travel(scheduled.published_at + timedelta(minutes=1), tick=False):
        cache.delete(tasks.NEXT_DUE_KEY)  # e.g. Redis restarted
        assert HIDDEN_PROBLEMS[0] in client.get(theme_url(ORGANIZATION[0])).content.decode()
        assert cache.get(tasks.NEXT_DUE_KEY) == 0  # nothing else scheduled


def test_a_request_only_queues_the_regroup_it_never_runs_it(client, no_task_worker):
    from library import tasks

    public_essays()
    scheduled = hidden_essay(published_at=timezone.now() + timedelta(days=7))
    regroup()
    no_task_worker.clear()
    with time_machine.travel(scheduled.published_at + timedelta(minutes=1), tick=False):
        client.get(PROBLEMS)
        client.get(PROBLEMS)
        assert not LibraryItem.objects.filter(article=scheduled).exists()
    # The first request after the time queued one regroup for the worker; the second did not.
    queued = [result.task.func for result in no_task_worker.results]
    assert queued == [tasks.regroup_library.func]
