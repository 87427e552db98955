"""The .docx read back: GB/T 9704-2012 geometry, fonts and sizes from the file itself."""

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from articles.export import html, layout
from articles.export.tests.sample import paragraph, sample_essay

BAD_INPUT = Path("/work/shared/bad-input")


def _read(data):
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def document():
    return _read(layout.essay_docx(sample_essay()))


def _fonts(element):
    rPr = element.find(qn("w:rPr"))
    fonts = rPr.find(qn("w:rFonts")) if rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _style_font(document, name):
    return _fonts(document.styles[name].element)


def test_the_page_is_a4_with_the_standards_margins(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) <= Mm(1)
    assert abs(section.left_margin - Mm(28)) <= Mm(1)
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(text_width - Mm(156)) < Mm(0.1)
    assert abs(text_height - Mm(225)) < Mm(0.1)


def test_the_grid_gives_22_lines_of_28_characters(document):
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch_twips = int(grid.get(qn("w:linePitch")))
    text_height_twips = (section.page_height - section.top_margin - section.bottom_margin) / 635
    assert int(text_height_twips // pitch_twips) == 22
    # Word's character pitch: the default font size plus charSpace/4096 pt.
    default = document.styles["Normal"].font.size.pt
    char_pitch = default + int(grid.get(qn("w:charSpace"))) / 4096
    text_width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700
    assert int(text_width_pt // char_pitch) == 28
    # Exact line height of one pitch on the body style, for renderers without the grid.
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing == pitch_twips * 635
    # Characters condensed so that one fits a grid cell (LibreOffice has no negative charSpace).
    assert default * 20 + layout.CHAR_CONDENSE_TWIPS <= char_pitch * 20


def test_title_headings_and_body_have_the_standards_fonts_and_sizes(document):
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.style.name == layout.STYLE_TITLE
    assert title.text == "新时代农村基层党组织建设的实践与思考"
    assert title.style.font.size == Pt(22)
    assert _style_font(document, layout.STYLE_TITLE) == "方正小标宋简体"
    assert title.style.paragraph_format.alignment == 1  # centred

    level_1 = [p for p in paragraphs if p.style.name == layout.STYLE_LEVEL_1]
    level_2 = [p for p in paragraphs if p.style.name == layout.STYLE_LEVEL_2]
    assert [p.text for p in level_1] == [
        "一、加强农村基层党组织建设的重要意义",
        "二、当前存在的主要问题",
        "三、对策建议",
    ]
    assert level_2[1].text == "（二）推动乡村全面振兴的需要"  # half-width brackets made full-width
    assert _style_font(document, layout.STYLE_LEVEL_1) == "黑体"
    assert _style_font(document, layout.STYLE_LEVEL_2) == "楷体_GB2312"
    assert _style_font(document, "Normal") == "仿宋_GB2312"
    for name in (layout.STYLE_LEVEL_1, layout.STYLE_LEVEL_2, "Normal"):
        assert document.styles[name].font.size == Pt(16)
    body = [p for p in paragraphs if p.style.name == "Normal" and p.text]
    assert body and all(p.runs[0].font.size is None for p in body)  # the style's 3号, not a run's own


def test_the_kind_of_a_section_is_not_printed(document):
    text = "\n".join(p.text for p in document.paragraphs)
    for kind in ("重要意义", "存在问题", "对策建议"):
        # 重要意义 and 对策建议 are in the headings themselves; the kind labels add nothing.
        assert text.count(kind) == sum(kind in p.text for p in document.paragraphs)
    assert "significance" not in text and "countermeasures" not in text


def test_page_numbers_are_dashed_on_the_outer_side(document):
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'fldCharType="begin"' in xml
        assert paragraph.text == "— 1 —"  # the PAGE field's cached result is 1
        assert paragraph.alignment == (2 if side == "right" else 0)
        assert all(run.font.size == Pt(14) for run in paragraph.runs)
        assert {_fonts(run._r) for run in paragraph.runs} == {"宋体"}
        ind = paragraph._p.pPr.find(qn("w:ind"))
        assert int(ind.get(qn(f"w:{side}"))) == 14 * 20  # one 4号 character in
    gap = section.bottom_margin - section.footer_distance - Pt(14)
    assert abs(gap - Mm(7)) < Mm(0.5)


def test_author_unit_and_date_close_the_text_two_characters_apart(document):
    unit, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (unit.text, date.text) == ("某县委组织部", "2026年3月5日")
    right = [int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) for p in (unit, date)]
    # The date is 6 characters wide (digits count half), two in from the right; the unit
    # (6 wide) starts two characters left of the date: right indent 2 + 6 - 6 + 2 = 4.
    assert right == [400, 200]
    assert document.paragraphs[-3].text == ""  # one empty line above


def test_rich_text_carries_over():
    blocks = html.blocks(
        "<p>甲<strong>乙</strong>丙</p><ul><li>一</li></ul><ol><li>二</li><li>三</li></ol>"
        '<figure class="image"><img src="/media/a.png" alt="图"><figcaption>图1 说明</figcaption></figure>'
        "<figure class=\"table\"><table><tr><th>甲</th><th colspan='2'>乙</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table></figure>"
    )
    kinds = [type(block).__name__ for block in blocks]
    assert kinds == ["Paragraph", "Paragraph", "Paragraph", "Paragraph", "Image", "Table"]
    assert [(run.text, run.bold) for run in blocks[0].runs] == [("甲", False), ("乙", True), ("丙", False)]
    assert [block.marker for block in blocks[1:4]] == ["·", "1.", "2."]
    assert blocks[4].caption[0].text == "图1 说明"
    assert blocks[5].rows[0][1].colspan == 2

    png = _png()
    essay = layout.Essay(
        title="题",
        lead_html='<p>正文<strong>加粗</strong></p><figure class="image"><img src="/media/x.png" alt="示意图">'
        "<figcaption>图1 组织架构</figcaption></figure><table><tr><th>项</th><th>数</th></tr><tr><td>支部</td><td>9</td></tr></table>",
    )
    document = _read(layout.essay_docx(essay, images=lambda src: png if src == "/media/x.png" else None))
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert bold == ["加粗"]
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width <= Mm(156)
    assert "图1 组织架构" in [p.text for p in document.paragraphs]
    table = document.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["项", "数"], ["支部", "9"]]


def _png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(out, "PNG")
    return out.getvalue()


def test_a_compilation_has_cover_contents_and_each_essay_on_a_new_page():
    essays = [sample_essay(), layout.Essay(title="第二篇", lead_html=paragraph())]
    book = layout.Compilation(title="2026年基层党建文稿汇编", essays=essays, issuer="某县委组织部", date="2026年3月5日")
    document = _read(layout.compilation_docx(book, pages=[1, 7]))
    texts = [p.text for p in document.paragraphs]
    assert "2026年基层党建文稿汇编" in texts and "目　　录" in texts
    toc = [p.text for p in document.paragraphs if p.style.name == layout.STYLE_TOC]
    assert toc == ["新时代农村基层党组织建设的实践与思考\t1", "第二篇\t7"]
    titles = [p for p in document.paragraphs if p.style.name == layout.STYLE_TITLE and p.text in ("第二篇",)]
    assert titles[0].paragraph_format.page_break_before
    # Titles of essays are outline level 1 (the PDF's bookmarks); the cover and contents are not.
    outlined = [
        p.text for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:outlineLvl")) is not None
    ]
    assert outlined == ["新时代农村基层党组织建设的实践与思考", "第二篇"]
    # Cover and contents unnumbered; the essays numbered from 1.
    cover, body = document.sections
    assert cover.footer.paragraphs[0].text == ""
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert "PAGE" in body.footer.paragraphs[0]._p.xml
    unnumbered = _read(layout.compilation_docx(book))
    assert [p.text for p in unnumbered.paragraphs if p.style.name == layout.STYLE_TOC][0].endswith(
        "\t" + layout.CONTENTS_PLACEHOLDER
    )


def _hostile_lines():
    lines = []
    for name in ("naughty.txt", "xss.txt"):
        path = BAD_INPUT / name
        if path.exists():
            lines += [line for line in path.read_text("utf-8", "replace").splitlines() if line.strip()]
    return lines


def test_hostile_titles_and_html_make_a_valid_docx():
    lines = _hostile_lines()
    if not lines:
        pytest.skip("/work/shared/bad-input is absent")
    for start in range(0, len(lines), 50):
        chunk = lines[start : start + 50]
        essay = layout.Essay(
            title=chunk[0] + "\x00\x0b\ud800",
            subtitle=chunk[-1],
            lead_html="".join(f"<p>{line}</p>" for line in chunk) + "".join(chunk),
            sections=[layout.Section(1, line[:20], line, line) for line in chunk[:10]],
            author_unit=chunk[1 % len(chunk)],
        )
        data = layout.essay_docx(essay)
        document = _read(data)
        assert document.paragraphs[0].text
        zipfile.ZipFile(io.BytesIO(data)).testzip()
