"""An essay, or a 汇编 of essays, as a .docx in the layout of GB/T 9704-2012 (no Django).

In: plain dataclasses (:class:`Essay`, :class:`Compilation`), rich text as
sanitised HTML. Out: the bytes of a .docx written with python-docx. Every
measure of the standard is a named constant below, so a test can read the
file back and compare it with the same numbers.

The geometry (GB/T 9704-2012, 5.2 and 7):

* A4 (210 × 297 mm); 天头 (top margin) 37 mm, 订口 (left margin) 28 mm; the
  text block (版心) 156 × 225 mm, so the right margin is 26 mm and the bottom 35 mm;
* 22 lines a page, 28 characters a line of 3号 (16 pt) 仿宋: Word's document
  grid (``w:docGrid type="linesAndChars"``) with a line pitch of
  225 mm / 22 = 28.95 pt (579 twips) and a character pitch of
  156 mm / 28 = 15.79 pt, written as ``charSpace`` = (15.79 − 16) × 4096 = −849,
  the difference from the 16 pt default font in 4096ths of a point -- what
  Word itself writes for "每行 28 字"; every paragraph also has an exact line
  height of one pitch, so a renderer without the grid (LibreOffice) keeps 22 lines;
* title 2号 (22 pt) 方正小标宋简体, centred; 一、 黑体, （一） 楷体_GB2312,
  1. and （1） 仿宋 (the body font), each heading indented two characters;
* page numbers 4号 (14 pt) half-width 宋体 between one-em dashes (— 1 —),
  7 mm below the text block, on the outer side: right on odd pages, left on
  even pages, one character in from the edge of the block;
* author unit (署名) and date (成文日期) after the text, one line below it,
  the date two characters in from the right and the unit's first character
  two characters left of the date's (7.3.5.2, documents without a seal).

Fonts are named (the ``eastAsia`` font of each run), never embedded: the
reader's Word uses its own 仿宋_GB2312 and so on, and the PDF route maps the
names to fonts Debian has (``articles/export/fonts.conf``).
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from articles.export import html as rich
from articles.export.html import xml_safe
from articles.export.version import LAYOUT_VERSION  # noqa: F401  (the version of what this module prints)

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
TOP_MARGIN_MM = 37
LEFT_MARGIN_MM = 28
TEXT_WIDTH_MM = 156
TEXT_HEIGHT_MM = 225
RIGHT_MARGIN_MM = PAGE_WIDTH_MM - LEFT_MARGIN_MM - TEXT_WIDTH_MM  # 26
BOTTOM_MARGIN_MM = PAGE_HEIGHT_MM - TOP_MARGIN_MM - TEXT_HEIGHT_MM  # 35

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

SIZE_2 = 22  # 2号, pt
SIZE_3 = 16  # 3号
SIZE_4 = 14  # 4号
BODY_SIZE_PT = SIZE_3
TITLE_SIZE_PT = SIZE_2
PAGE_NUMBER_SIZE_PT = SIZE_4

_TWIPS_PER_MM = 1440 / 25.4
# 225 mm / 22 lines = 28.99 pt; rounded down so that 22 lines surely fit (22 × 28.95 pt = 224.7 mm).
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM * _TWIPS_PER_MM / LINES_PER_PAGE)  # 579
CHAR_PITCH_PT = TEXT_WIDTH_MM * 72 / 25.4 / CHARS_PER_LINE  # 15.79
CHAR_SPACE = round((CHAR_PITCH_PT - BODY_SIZE_PT) * 4096)  # -849
# Each character 0.25 pt narrower than its 16 pt (see _condense): 15.75 pt < 15.79 pt, one grid cell.
CHAR_CONDENSE_TWIPS = -5

FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_LEVEL_1 = "黑体"
FONT_LEVEL_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
# Latin letters and digits in the body: the usual companion of 仿宋 in official documents.
FONT_LATIN = "Times New Roman"

# The page number sits 7 mm below the text block; its line is one 4号 line high.
PAGE_NUMBER_GAP_MM = 7
FOOTER_DISTANCE_MM = BOTTOM_MARGIN_MM - PAGE_NUMBER_GAP_MM - PAGE_NUMBER_SIZE_PT * 25.4 / 72  # ≈ 23.1
DASH = "\u2014"  # 一字线
# A page number in the contents before the pages are known: as wide as the widest real one.
CONTENTS_PLACEHOLDER = "999"

# Style names (English ids; Word shows them as they are).
STYLE_TITLE = "Gongwen Title"
STYLE_SUBTITLE = "Gongwen Subtitle"
STYLE_LEVEL_1 = "Gongwen Heading 1"
STYLE_LEVEL_2 = "Gongwen Heading 2"
STYLE_SIGNATURE = "Gongwen Signature"
STYLE_CAPTION = "Gongwen Caption"
STYLE_TOC = "Gongwen TOC"

# What python-docx raises on a file that is not a readable image.
_BAD_IMAGE = (UnrecognizedImageError, ValueError, IndexError, KeyError, ZeroDivisionError, struct.error)

ImageLoader = Callable[[str], bytes | None]


@dataclass
class Section:
    """A part (level 1, 一、) or a point (level 2, （一）) with its rich-text body."""

    level: int
    number: str
    heading: str
    body_html: str = ""


@dataclass
class Essay:
    title: str
    subtitle: str = ""
    lead_html: str = ""
    sections: list[Section] = field(default_factory=list)
    conclusion_html: str = ""
    author_unit: str = ""
    date: str = ""  # as printed: 2026年3月5日


@dataclass
class Compilation:
    title: str
    essays: list[Essay]
    subtitle: str = ""  # under the cover's title, e.g. 2026年
    issuer: str = ""  # the cover's foot: who compiled it
    date: str = ""


# ---------------------------------------------------------------- public API


def essay_docx(essay: Essay, images: ImageLoader | None = None) -> bytes:
    """One essay as the bytes of a .docx."""
    document = _new_document()
    _write_essay(document, essay, images, first=True)
    return _bytes(document)


def compilation_docx(
    compilation: Compilation, images: ImageLoader | None = None, pages: list[int] | None = None
) -> bytes:
    """A 汇编: a cover, a table of contents, then each essay on a new page.

    ``pages`` are the essays' first page numbers (the body is numbered from 1
    after the cover and contents); without them the contents show a placeholder of the
    same width (:data:`CONTENTS_PLACEHOLDER`), and the caller reads the real numbers from a first PDF
    (:func:`articles.export.pdf.outline_pages`) and builds the file again.
    Each essay's title is a level-1 outline entry (the PDF's bookmarks).
    """
    document = _new_document()
    _write_cover(document, compilation)
    _write_contents(document, compilation, pages)
    body = document.add_section(WD_SECTION.NEW_PAGE)
    _set_geometry(body)
    _restart_numbering(body)
    _page_number_footers(body)
    for index, essay in enumerate(compilation.essays):
        _write_essay(document, essay, images, first=index == 0, outline=True)
    return _bytes(document)


def chinese_date(year: int, month: int, day: int) -> str:
    """成文日期 as the standard writes it: Arabic numerals, 年月日, no leading zeros."""
    return f"{year}年{month}月{day}日"


# ---------------------------------------------------------------- the document


def _new_document():
    document = Document()
    _define_styles(document)
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _set_geometry(section)
    _page_number_footers(section)
    return document


def _add_paragraph(document, style_name):
    """A paragraph of the style ``style_name``, set by its id: python-docx's own lookup by
    name scans every style of the document for each paragraph (most of the time of a file)."""
    paragraph = document.add_paragraph()
    paragraph._p.style = style_name.replace(" ", "")  # the id python-docx gave the style (add_style)
    return paragraph


def _set_geometry(section):
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(TOP_MARGIN_MM)
    section.bottom_margin = Mm(BOTTOM_MARGIN_MM)
    section.left_margin = Mm(LEFT_MARGIN_MM)
    section.right_margin = Mm(RIGHT_MARGIN_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    section.gutter = Mm(0)
    sectPr = section._sectPr
    grid = sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _restart_numbering(section):
    sectPr = section._sectPr
    number_type = sectPr.find(qn("w:pgNumType"))
    if number_type is None:
        number_type = OxmlElement("w:pgNumType")
        # w:pgNumType comes before w:cols and w:docGrid in CT_SectPr's sequence.
        anchor = sectPr.find(qn("w:cols"))
        if anchor is None:
            anchor = sectPr.find(qn("w:docGrid"))
        anchor.addprevious(number_type)
    number_type.set(qn("w:start"), "1")


def _fonts(target, east_asia, latin=FONT_LATIN):
    """Name the fonts of a style's or run's ``rPr``: East Asian text and Latin text."""
    rPr = target.get_or_add_rPr()
    fonts = rPr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rPr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)


def _condense(style_element):
    """Characters a little narrower than 16 pt (``w:spacing``, in twips): a 3号 character then
    fits one cell of the grid, in Word and in LibreOffice, which puts a character wider than
    the cell in two cells (14 characters a line)."""
    rPr = style_element.get_or_add_rPr()
    spacing = rPr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rPr.append(spacing)
    spacing.set(qn("w:val"), str(CHAR_CONDENSE_TWIPS))


def _exact_pitch(paragraph_format):
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Twips(LINE_PITCH_TWIPS)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _indent_chars(paragraph, first_line=0, left=0, right=0):
    """Indents in characters (hundredths, as Word writes ``w:firstLineChars``) and in twips."""
    pPr = paragraph._p.get_or_add_pPr()
    ind = pPr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        pPr.append(ind)
    pitch = CHAR_PITCH_PT * 20
    for name, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * pitch)))


def _define_styles(document):
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_SIZE_PT)
    _fonts(normal.element, FONT_BODY)
    _exact_pitch(normal.paragraph_format)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False
    _condense(normal.element)
    # The document defaults too: Word computes the character grid from the default font size.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rPr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rPr is not None:
            for name in ("w:sz", "w:szCs"):
                size = rPr.find(qn(name))
                if size is None:
                    size = OxmlElement(name)
                    rPr.append(size)
                size.set(qn("w:val"), str(BODY_SIZE_PT * 2))

    def paragraph_style(name, font, size, align=None, first_line=0, bold=False):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        _fonts(style.element, font)
        _exact_pitch(style.paragraph_format)
        if align is not None:
            style.paragraph_format.alignment = align
        if first_line:
            _style_indent(style, first_line)
        return style

    paragraph_style(STYLE_TITLE, FONT_TITLE, TITLE_SIZE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(STYLE_SUBTITLE, FONT_LEVEL_2, BODY_SIZE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(STYLE_LEVEL_1, FONT_LEVEL_1, BODY_SIZE_PT, first_line=2)
    paragraph_style(STYLE_LEVEL_2, FONT_LEVEL_2, BODY_SIZE_PT, first_line=2)
    paragraph_style(STYLE_SIGNATURE, FONT_BODY, BODY_SIZE_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph_style(STYLE_CAPTION, FONT_LEVEL_2, BODY_SIZE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    toc = paragraph_style(STYLE_TOC, FONT_BODY, BODY_SIZE_PT, WD_ALIGN_PARAGRAPH.LEFT)
    toc.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    # Body paragraphs: two characters of first-line indent.
    _style_indent(normal, 2)


def _style_indent(style, chars):
    pPr = style.element.get_or_add_pPr()
    ind = pPr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        pPr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(round(chars * CHAR_PITCH_PT * 20)))


def _no_indent(paragraph):
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        paragraph._p.get_or_add_pPr().append(ind)
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")
    return ind


def _page_number_footers(section):
    """— n — in 4号 宋体: right on odd pages, left on even pages, one character in."""
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(PAGE_NUMBER_SIZE_PT)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        ind = _no_indent(paragraph)
        side = "right" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left"
        ind.set(qn(f"w:{side}"), str(PAGE_NUMBER_SIZE_PT * 20))  # one 4号 character
        _number_run(paragraph, f"{DASH} ")
        _page_field(paragraph)
        _number_run(paragraph, f" {DASH}")


def _empty_footers(section):
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for paragraph in footer.paragraphs:
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)


def _number_run(paragraph, text):
    run = paragraph.add_run(text)
    run.font.size = Pt(PAGE_NUMBER_SIZE_PT)
    _fonts(run._r, FONT_PAGE_NUMBER, FONT_PAGE_NUMBER)
    return run


def _page_field(paragraph):
    """A PAGE field (complex field: begin, instruction, separate, result, end)."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _number_run(paragraph, "")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def _bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- essays

_HALF_PARENS = str.maketrans({"(": "（", ")": "）"})
_DIGITS = re.compile(r"[0-9A-Za-z]")


def _clean(text):
    return " ".join(xml_safe(text).split())


def _write_essay(document, essay, images, *, first, outline=False):
    title = _add_paragraph(document, STYLE_TITLE)
    _no_indent(title)
    title.add_run(_clean(essay.title) or "（无标题）")
    if not first:
        title.paragraph_format.page_break_before = True
    if outline:
        # Level 1 in the outline: the PDF's bookmarks, from which the contents' page numbers are read.
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), "0")
        title._p.get_or_add_pPr().append(level)
    if essay.subtitle.strip():
        subtitle = _add_paragraph(document, STYLE_SUBTITLE)
        _no_indent(subtitle)
        subtitle.add_run(f"{DASH}{DASH}{_clean(essay.subtitle)}")
    document.add_paragraph()  # one empty line between the title and the text
    _write_html(document, essay.lead_html, images)
    for section in essay.sections:
        if section.level == 1:
            style = STYLE_LEVEL_1
        else:
            style = STYLE_LEVEL_2
        number = _clean(section.number).translate(_HALF_PARENS)
        heading = _add_paragraph(document, style)
        heading.add_run(number + _clean(section.heading))
        _write_html(document, section.body_html, images)
    _write_html(document, essay.conclusion_html, images)
    _write_signature(document, _clean(essay.author_unit), _clean(essay.date))


def _width(text):
    """Width in characters: Latin letters and digits are half a character."""
    return sum(0.5 if _DIGITS.match(ch) else 1 for ch in text)


def _write_signature(document, unit, date):
    """署名 and 成文日期 (7.3.5.2): one empty line below the text; the date two characters in
    from the right, the unit starting two characters left of the date."""
    if not unit and not date:
        return
    document.add_paragraph()
    unit_w, date_w = _width(unit), _width(date)
    if unit and date:
        if unit_w >= date_w + 2:
            unit_right, date_right = 2, 2 + unit_w - 2 - date_w
        else:
            date_right, unit_right = 2, 2 + date_w + 2 - unit_w
    else:
        unit_right = date_right = 2
    for text, right in ((unit, unit_right), (date, date_right)):
        if text:
            paragraph = _add_paragraph(document, STYLE_SIGNATURE)
            ind = _no_indent(paragraph)
            ind.set(qn("w:rightChars"), str(round(right * 100)))
            ind.set(qn("w:right"), str(round(right * CHAR_PITCH_PT * 20)))
            paragraph.add_run(text)


def _write_html(document, html, images):
    for block in rich.blocks(html):
        if isinstance(block, rich.Paragraph):
            _write_paragraph(document, block)
        elif isinstance(block, rich.Image):
            _write_image(document, block, images)
        elif isinstance(block, rich.Table):
            _write_table(document, block)


def _add_runs(paragraph, runs):
    for item in runs:
        parts = item.text.split("\n")
        for index, part in enumerate(parts):
            if index:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            if not part:
                continue
            run = paragraph.add_run(part)
            run.bold = item.bold or None
            run.italic = item.italic or None
            run.underline = item.underline or None
            run.font.strike = item.strike or None
            run.font.superscript = item.superscript or None
            run.font.subscript = item.subscript or None


def _write_paragraph(document, block):
    if block.role == "heading":
        paragraph = _add_paragraph(document, STYLE_LEVEL_2)
    elif block.role == "caption":
        paragraph = _add_paragraph(document, STYLE_CAPTION)
        _no_indent(paragraph)
    else:
        paragraph = document.add_paragraph()
    if block.role == "quote":
        _indent_chars(paragraph, first_line=2, left=2)
    if block.marker:
        paragraph.add_run(block.marker + ("" if block.marker.endswith("）") else " "))
    _add_runs(paragraph, block.runs)


def _write_caption(document, runs):
    if not runs:
        return
    paragraph = _add_paragraph(document, STYLE_CAPTION)
    _no_indent(paragraph)
    _add_runs(paragraph, runs)


def _write_image(document, block, images):
    data = images(block.src) if images and block.src else None
    if data:
        paragraph = document.add_paragraph()
        _no_indent(paragraph)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # An image needs its own height: an exact line height would clip it.
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        try:
            picture = paragraph.add_run().add_picture(io.BytesIO(data))
        except _BAD_IMAGE:  # not an image python-docx can read: keep its caption instead
            paragraph._p.getparent().remove(paragraph._p)
            picture = None
        if picture is not None:
            limit_w, limit_h = Mm(TEXT_WIDTH_MM), Mm(TEXT_HEIGHT_MM * 0.6)
            scale = min(1.0, limit_w / picture.width, limit_h / picture.height)
            picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
    if block.caption:
        _write_caption(document, block.caption)
    elif not data and block.alt:
        _write_caption(document, [rich.Run(f"〔图：{block.alt}〕")])


def _write_table(document, block):
    rows = [row for row in block.rows if row]
    if block.caption:
        _write_caption(document, block.caption)
    if not rows:
        return
    columns = max(sum(cell.colspan for cell in row) for row in rows)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if c >= columns:
                break
            target = table.cell(r, c)
            end = min(columns - 1, c + cell.colspan - 1)
            if end > c:
                target = target.merge(table.cell(r, end))
            paragraph = target.paragraphs[0]
            _no_indent(paragraph)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if cell.header else WD_ALIGN_PARAGRAPH.LEFT
            _add_runs(
                paragraph, [rich.Run(run.text, bold=run.bold or cell.header, italic=run.italic) for run in cell.runs]
            )
            c = end + 1
    document.add_paragraph()  # the text goes on one line below the table


# ---------------------------------------------------------------- 汇编


def _write_cover(document, compilation):
    first = document.sections[0]
    _empty_footers(first)
    for _ in range(5):
        document.add_paragraph()
    title = _add_paragraph(document, STYLE_TITLE)
    _no_indent(title)
    title.add_run(_clean(compilation.title) or "文稿汇编")
    title.runs[0].font.size = Pt(26)  # 一号
    if compilation.subtitle.strip():
        subtitle = _add_paragraph(document, STYLE_SUBTITLE)
        _no_indent(subtitle)
        subtitle.add_run(_clean(compilation.subtitle))
    for _ in range(8):
        document.add_paragraph()
    for text in (compilation.issuer, compilation.date):
        if text.strip():
            line = _add_paragraph(document, STYLE_SUBTITLE)
            _no_indent(line)
            line.add_run(_clean(text))


def _write_contents(document, compilation, pages):
    heading = _add_paragraph(document, STYLE_TITLE)
    _no_indent(heading)
    heading.paragraph_format.page_break_before = True
    heading.add_run("目　　录")
    document.add_paragraph()
    for index, essay in enumerate(compilation.essays):
        entry = _add_paragraph(document, STYLE_TOC)
        _no_indent(entry)
        number = str(pages[index]) if pages and index < len(pages) else CONTENTS_PLACEHOLDER
        entry.add_run(_clean(essay.title) or "（无标题）")
        entry.add_run("\t" + number)
