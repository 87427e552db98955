"""The public 问题库 and 对策库: theme indexes, theme pages, item permalinks, export.

Only items of published essays appear (``LibraryItem.objects.public()``).
The indexes and theme pages are cached whole for anonymous readers
(``config.pagecache``) until the library changes (``queries.library_changed``:
every regroup and every editor's change) or an essay does.
Views are thin: filtering is the form's (``library.forms``), counting is
``library.queries``'s, files are ``library.export``'s (made once per
generation and filter, kept and limited by ``library.export_files``).
"""

import logging
import re

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from accounts import audit
from articles.reading.pagination import paginate
from config import ratelimit
from config.client_address import client_address
from config.pagecache import no_page_cache, public_page
from library import charts, export, export_files, queries, tasks, visibility
from library.forms import ExportForm, LibraryFilterForm
from library.models import Library, LibraryItem, Theme
from library.staticfiles import echarts_available

logger = logging.getLogger(__name__)

THEMES_PER_PAGE = 20
ITEMS_PER_PAGE = 50
CHART_THEMES = 15
# Larger ids overflow the database's integer (an error, not "not found").
MAX_ID = 2**63 - 1
_ITEM_KEY = re.compile(r"(\d{1,18})-(\d{1,4})")

TITLES = {Library.PROBLEMS: "问题库", Library.COUNTERMEASURES: "对策库"}
OTHER = {Library.PROBLEMS: Library.COUNTERMEASURES, Library.COUNTERMEASURES: Library.PROBLEMS}


def _context(library, **context):
    """What every library page's template needs, plus ``context``."""
    return {
        "library": library,
        "echarts_available": echarts_available(),
        "title": TITLES[library],
        "other_title": TITLES[OTHER[library]],
        **context,
    }


@public_page(params=["topic", "org", "year", "sort", "page"])
def theme_index(request, library):
    tasks.regroup_if_due()
    form = LibraryFilterForm.for_request(request)
    if form.rejected_input:
        no_page_cache(request)  # values no link carries (reset or refused) are rendered, not stored
    items = form.filter_items(LibraryItem.objects.of_library(library))
    rows, totals = queries.index_rows(library, form, items)
    # Items of no theme of their own are one 其他 bucket: listed last, never charted.
    rows, misc = queries.misc_last(rows)
    page = paginate(request, rows, per_page=THEMES_PER_PAGE, params=form.link_params())
    queries.attach_themes(page.object_list)
    answers = queries.answer_themes(library, [row["theme_id"] for row in page.object_list if row is not misc])
    for row in page.object_list:
        row["answers"] = answers.get(row["theme_id"], [])
    chart = sorted((row for row in rows if row is not misc), key=lambda row: (-row["essays"], row["theme_id"]))
    chart = chart[:CHART_THEMES]
    queries.attach_themes(chart)
    return render(
        request,
        "library/theme_index.html",
        _context(
            library,
            form=form,
            page=page,
            charts=[
                charts.chart(
                    "themes-chart",
                    f"{TITLES[library]}：提出最多的主题（前 {CHART_THEMES} 个，按文稿数）",
                    [(row["theme"].label, row["essays"], row["theme"].get_absolute_url()) for row in chart],
                    label_heading="主题",
                    kind="hbar",
                )
            ]
            if chart
            else [],
            totals=totals,
        ),
    )


@public_page(params=["page"])
def theme_detail(request, library, pk):
    if pk > MAX_ID:
        raise Http404("没有这个主题。")
    tasks.regroup_if_due()
    theme = get_object_or_404(Theme, pk=pk, library=library)
    visibility.conceal([theme])
    items = LibraryItem.objects.public().filter(theme=theme)
    # The count regrouping stored saves counting two thousand items per visit;
    # it lags a publish only until the regroup that follows it. A withheld
    # theme's stored count still includes an essay that left the public.
    item_count = items.count() if theme.withheld else theme.item_count
    if not item_count or not items.exists():
        raise Http404("这个主题下暂时没有已发布的条目。")
    listed = (
        items.select_related("article")
        .only(
            "article_id",
            "section_id",
            "kind",
            "ordinal",
            "heading",
            "text",
            *(f"article__{f}" for f in queries.ESSAY_FIELDS),
        )
        .order_by("-article__published_at", "article_id", "position", "ordinal")
    )
    page = paginate(request, listed, count=item_count, per_page=ITEMS_PER_PAGE)
    stats = queries.theme_stats(theme, items)
    by_year, by_unit = stats["by_year"], stats["by_unit"]
    return render(
        request,
        "library/theme_detail.html",
        _context(
            library,
            theme=theme,
            page=page,
            item_count=item_count,
            essay_count=stats["essays"],
            unit_count=len(by_unit),
            by_topic=stats["by_topic"],
            charts=[
                charts.chart(
                    "years-chart",
                    "历年提出这一主题的文稿数",
                    [(f"{y}年", n, "") for y, n in by_year],
                    label_heading="年份",
                    kind="line",
                ),
                charts.chart(
                    "units-chart",
                    "提出这一主题的作者单位（前 15 个）",
                    [(u, n, "") for u, n in by_unit[:15]],
                    label_heading="作者单位",
                    kind="hbar",
                ),
            ],
            linked=queries.linked_items(theme),
            related_themes=stats["related_themes"],
        ),
    )


def item_permalink(request, key):
    """An item's stable address: opens its essay at the point it is in."""
    match = _ITEM_KEY.fullmatch(key)
    if not match:
        raise Http404("没有这个条目。")
    if int(match[1]) > MAX_ID:
        raise Http404("没有这个条目。")
    tasks.regroup_if_due()
    item = get_object_or_404(
        LibraryItem.objects.public().select_related("article"), section_id=int(match[1]), ordinal=int(match[2])
    )
    return HttpResponseRedirect(item.essay_url())


@never_cache
def export_items(request, library, fmt):
    """The filtered items as .xlsx or .csv: limited per client address, made once per generation."""
    wait = ratelimit.over_limit("library-export", client_address(request), settings.LIBRARY_EXPORT_RATE_LIMIT)
    if wait:
        return _export_refused(request, library, 429, f"您的导出请求过于频繁，请 {wait} 秒后再试。", retry_after=wait)
    tasks.regroup_if_due()
    form = ExportForm.for_request(request, library)
    if not form.is_valid():
        return _export_refused(
            request,
            library,
            400,
            f"筛选条件无效（可能来自过期或改动过的链接），请您回到{TITLES[library]}重新选择后再导出。",
        )
    items = form.filter_items(LibraryItem.objects.of_library(library))
    try:
        response = export.response(form, items, fmt=fmt, title=TITLES[library], request=request)
        audit.record(
            audit.Action.EXPORT, request=request, detail=f"{TITLES[library]}导出（{fmt}）：{request.GET.urlencode()}"
        )
        return response
    except export_files.Busy:
        wait = export_files.BUSY_RETRY_SECONDS
        return _export_refused(
            request, library, 429, f"网站正在生成其他导出文件，请您 {wait} 秒后再试。", retry_after=wait
        )
    except OSError as error:
        # The disk of LIBRARY_EXPORT_DIR is full (or unwritable): the
        # half-made file is already removed (export_files._make). Say so
        # instead of the generic 500 page; the operator has the log line.
        logger.error("library export: could not write the file (%s)", error)
        return _export_refused(
            request, library, 503, "服务器暂时无法生成导出文件（存储空间不足或不可写），请您稍后再试。", retry_after=60
        )


def _export_refused(request, library, status, message, retry_after=None):
    response = render(request, "library/export_refused.html", _context(library, message=message), status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
