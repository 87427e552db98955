"""The PDF of the sample-shaped essay, read back with pypdf: pages, margins, 22 lines of 28."""

import pytest

from articles.export import layout, pdf
from articles.export.tests.pdfcheck import MM, lines, need_soffice, pages
from articles.export.tests.sample import sample_essay


@pytest.fixture(scope="module")
def printed():
    need_soffice()
    return pages(pdf.docx_to_pdf(layout.essay_docx(sample_essay())))


def test_the_pdf_has_a4_pages_and_several_of_them(printed):
    assert 4 <= len(printed) <= 9
    for width, height, _ in printed:
        assert abs(width - 210 * MM) < 1 and abs(height - 297 * MM) < 1


def test_text_stays_in_the_text_block(printed):
    for number, (_width, height, items) in enumerate(printed, 1):
        body = lines(items, 16)
        top = height - 37 * MM
        bottom = 35 * MM
        if number == 1:
            # Page 1 begins with the title; Writer's grid gives a 2号 line two lines of the grid.
            assert top - 2 * 29 < lines(items, 22)[0][0] < top
        else:
            assert top - 29 < body[0][0] < top, number  # the first baseline within the block's first line
        assert body[-1][0] > bottom
        # 订口 28 mm: every body line starts at the left edge or indented from it.
        assert abs(min(x for _, x, _ in body) - 28 * MM) < 1 * MM, number


def test_a_full_page_has_22_lines_of_28_characters(printed):
    full = [lines(items, 16) for _, _, items in printed[1:-1]]
    assert full, "the sample fills more than two pages"
    for body in full:
        assert len(body) == 22
        widths = [len(text.replace(" ", "")) for _, _, text in body]
        assert max(widths) == 28
    # Pages of plain text (a table's rows have their own heights) keep the pitch: 225 mm / 22.
    plain = [
        body for body in full if all(abs(a[0] - b[0] - 28.95) < 0.15 for a, b in zip(body, body[1:], strict=False))
    ]
    assert len(plain) >= 3


def test_page_numbers_are_outside_the_block_and_on_the_outer_side(printed):
    for number, (width, _, items) in enumerate(printed, 1):
        marks = [(x, y, text) for x, y, size, text in items if abs(size - 14) < 0.5 and str(number) in text]
        assert marks, f"page {number} has no 4号 page number"
        x, y, _ = marks[0]
        assert y < 35 * MM - 7 * MM  # 7 mm below the text block at least
        if number % 2:
            assert x > width / 2  # odd pages: right
        else:
            assert x < width / 2  # even pages: left
        text = "".join(t for x, y2, s, t in items if abs(s - 14) < 0.5 and abs(y2 - y) < 2).replace(" ", "")
        assert text == f"—{number}—"


def test_the_title_is_22_points_centred(printed):
    width, _, items = printed[0]
    title = [(x, text) for x, y, size, text in items if abs(size - 22) < 0.5]
    assert "".join(t for _, t in title).replace(" ", "") == "新时代农村基层党组织建设的实践与思考"
    assert title[0][0] > 28 * MM  # centred lines start inside the block, not at its edge


def test_a_compilations_bookmarks_give_each_essays_first_page():
    need_soffice()
    essays = [sample_essay(), layout.Essay(title="第二篇", lead_html="<p>短文。</p>"), sample_essay()]
    book = layout.Compilation(title="汇编", essays=essays)
    starts = pdf.outline_pages(pdf.docx_to_pdf(layout.compilation_docx(book)))
    assert len(starts) == 3
    assert starts[0] >= 2  # after the cover and the contents
    assert starts[1] - starts[0] >= 3 and starts[2] == starts[1] + 1


def test_a_conversion_that_takes_too_long_is_stopped():
    need_soffice()
    with pytest.raises(pdf.ConversionFailed, match="took more than"):
        pdf.docx_to_pdf(layout.essay_docx(sample_essay()), timeout=0.05)
