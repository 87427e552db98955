"""Export of the library to .xlsx and .csv."""

import csv
import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from library.export import COLUMNS, safe_cell
from library.models import LibraryItem
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, make_essay

pytestmark = pytest.mark.django_db


def content(response):
    """The file: exports are streamed from disk (read to the end, the test client closes it)."""
    return b"".join(response.streaming_content)


@pytest.fixture(autouse=True)
def _data(settings, no_task_worker):
    settings.LIBRARY_EXPORT_RATE_LIMIT = 1000
    make_essay(problems=ATTITUDE[:2], author_org="海西州委组织部", title="关于基层党建的调研报告")
    make_essay(problems=[ORGANIZATION[0], '=HYPERLINK("http://evil")+组织生活流于形式'], author_org="西宁市委")
    regroup()


def test_xlsx_opens_with_the_columns_and_one_row_per_item(client):
    response = client.get("/library/problems/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(content(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) - 1 == LibraryItem.objects.filter(kind="problems").count() == 4
    titles = {row[3] for row in rows[1:]}
    assert "关于基层党建的调研报告" in titles
    attitude = next(row for row in rows[1:] if row[1] == ATTITUDE[0])
    assert attitude[4] == "海西州委组织部"
    assert attitude[7].startswith("http://testserver/library/items/")
    assert attitude[8].startswith("http://testserver/library/problems/")


def test_csv_starts_with_a_bom_and_has_the_columns(client):
    response = client.get("/library/problems/export.csv")
    data = content(response)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 5


def test_file_names_are_chinese_with_an_ascii_fallback(client):
    disposition = client.get("/library/problems/export.csv")["Content-Disposition"]
    assert disposition.startswith('attachment; filename="library_')
    assert "问题库_" in unquote(disposition.split("filename*=UTF-8''")[1])


def test_formulas_are_defused():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+1") == "'+1" and safe_cell("-1") == "'-1" and safe_cell("@x") == "'@x"
    assert safe_cell("组织生活") == "组织生活"
    assert safe_cell(2024) == 2024 and safe_cell(None) == ""


def test_no_formula_reaches_the_files(client):
    sheet = load_workbook(io.BytesIO(content(client.get("/library/problems/export.xlsx")))).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert not [cell for cell in cells if cell.startswith("=")]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    text = content(client.get("/library/problems/export.csv")).decode("utf-8-sig")
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_export_follows_the_filters_and_the_theme(client):
    rows = list(
        csv.reader(
            io.StringIO(content(client.get("/library/problems/export.csv", {"org": "西宁市委"})).decode("utf-8-sig"))
        )
    )
    assert {row[4] for row in rows[1:]} == {"西宁市委"}
    theme = LibraryItem.objects.get(heading=ATTITUDE[0]).theme
    rows = list(
        csv.reader(
            io.StringIO(content(client.get("/library/problems/export.csv", {"theme": theme.pk})).decode("utf-8-sig"))
        )
    )
    assert {row[0] for row in rows[1:]} == {theme.label}


def test_an_invalid_filter_is_refused_with_a_message(client):
    response = client.get("/library/problems/export.csv", {"year": "abc"})
    assert response.status_code == 400
    assert "筛选条件无效" in response.content.decode()
