"""The library's items as a spreadsheet: .xlsx (openpyxl) and .csv (UTF-8 with BOM).

Both open cleanly in WPS and Excel: the CSV starts with a byte-order mark
(without it Excel reads UTF-8 as GBK), the file name is Chinese in RFC 5987
form with an ASCII fallback, and a cell that starts with = + - @ (or a tab
or carriage return) is prefixed with an apostrophe so that no spreadsheet
runs it as a formula (CSV/formula injection).
"""

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from library import queries

COLUMNS = ["主题", "条目", "类型", "文稿标题", "作者单位", "年份", "发布日期", "条目链接", "主题链接"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A cell's text, defused if a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rows(items, request):
    """The export's rows (without the header), in theme then essay order.

    Theme names are the ones the public sees (``queries.public_labels``),
    never one taken from an essay that has just left the site.
    """
    themes = queries.public_labels(items.exclude(theme=None).values("theme_id"))
    items = items.select_related("article").order_by("theme_id", "-article__published_at", "position", "ordinal")
    for item in items.iterator(chunk_size=2000):
        published = timezone.localtime(item.article.published_at)
        label, theme_url = themes.get(item.theme_id, ("", ""))
        yield [
            label,
            item.heading,
            item.get_kind_display(),
            item.article.title,
            item.article.author_org,
            published.year,
            published.strftime("%Y-%m-%d"),
            request.build_absolute_uri(item.get_absolute_url()),
            request.build_absolute_uri(theme_url) if theme_url else "",
        ]


def _disposition(title, extension):
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{title}_{stamp}.{extension}"
    ascii_name = f"library_{stamp}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def response(items, *, fmt, title, request):
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in rows(items, request):
            writer.writerow([safe_cell(value) for value in row])
        result = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for column, width in zip("ABCDEFGHI", (30, 40, 10, 36, 24, 8, 12, 40, 40)):
            sheet.column_dimensions[column].width = width
        from openpyxl.cell import WriteOnlyCell

        header = []
        for name in COLUMNS:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows(items, request):
            sheet.append([safe_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        result = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        fmt = "xlsx"
    result["Content-Disposition"] = _disposition(title, fmt)
    result["Cache-Control"] = "private, no-store"
    return result
