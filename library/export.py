"""The library's items as a spreadsheet: .xlsx (openpyxl) and .csv (UTF-8 with BOM).

Both open cleanly in WPS and Excel: the CSV starts with a byte-order mark
(without it Excel reads UTF-8 as GBK), the file name is Chinese in RFC 5987
form with an ASCII fallback, and a cell that starts with = + - @ (or a tab
or carriage return) is prefixed with an apostrophe so that no spreadsheet
runs it as a formula (CSV/formula injection).

Files are written to disk row by row (openpyxl's write-only mode keeps its
rows in a temporary file too), made once per page-cache generation and
filter and streamed from disk (``library.export_files``): the whole 问题库
is never a string in memory, and asked again it costs no query.
"""

import csv
from urllib.parse import quote

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone

from library import export_files, queries

COLUMNS = ["主题", "条目", "类型", "文稿标题", "作者单位", "年份", "发布日期", "条目链接", "主题链接"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def safe_cell(value):
    """A cell's text, defused if a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rows(items, site):
    """The export's rows (without the header), in theme then essay order; links start with ``site``.

    Theme names are the ones the public sees (``queries.public_labels``),
    never one taken from an essay that has just left the site.
    """
    themes = queries.public_labels(items.exclude(theme=None).values("theme_id"))
    # One reverse() for the pattern, not one per item.
    before, after = reverse("library:item", kwargs={"key": "0-0"}).split("0-0")
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
            site + before + item.key + after,
            site + theme_url if theme_url else "",
        ]


def write_csv(items, path, *, site, title):
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in rows(items, site):
            writer.writerow([safe_cell(value) for value in row])


def write_xlsx(items, path, *, site, title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (30, 40, 10, 36, 24, 8, 12, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(items, site):
        sheet.append([safe_cell(value) for value in row])
    workbook.save(path)


def _disposition(title, extension):
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{title}_{stamp}.{extension}"
    ascii_name = f"library_{stamp}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def response(form, items, *, fmt, title, request):
    """The export of ``items`` (filtered by the valid ``form``) as a streamed file.

    Raises ``export_files.Busy`` when it must be made and the site is making
    as many as it may.
    """
    # The file's links carry the site's address, so the address is part of its key.
    site = request.build_absolute_uri("/")[:-1]
    key = {**form.canonical(), "format": fmt, "site": site}
    write = write_csv if fmt == "csv" else write_xlsx
    handle = export_files.cached_file(key, lambda path: write(items, path, site=site, title=title))
    result = FileResponse(handle, content_type=CONTENT_TYPES[fmt])
    result["Content-Disposition"] = _disposition(title, fmt)
    return result
