"""Read the text of an uploaded Word (.docx) essay, safely.

A .docx is a zip archive of XML parts. Before python-docx opens it, the
archive itself is checked from its central directory: not a zip, too many
members, too much declared uncompressed data or a suspicious compression
ratio (a zip bomb) are refused with a Chinese message for editors. The
declared sizes can be trusted for this: :mod:`zipfile` never inflates a
member beyond its declared size (and fails its CRC check when the real data
is longer), and python-docx parses the XML with entity resolution off.

The text comes out one paragraph per line, in document order, tables cell by
cell. Word's automatic numbering (一、 (一) 1. …) is not part of a
paragraph's text, but essays are structured by it, so the numbers are worked
out from the numbering definitions and put back in front of the paragraph.
"""

import io
import re
import zipfile

from articles.essay.decoding import UnreadableText
from articles.essay.numbering import MAX_NUMBER, int_to_cn

MAX_DOCX_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
# Small members (a few KB of XML) may compress very well; only big ones count.
_RATIO_MIN_MEMBER_BYTES = 1024 * 1024

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, encrypted .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}


def _w(name):
    return f"{{{_W}}}{name}"


class DocxError(UnreadableText):
    """The upload is not a usable .docx; the message is for editors (Chinese)."""


def check_archive(data: bytes) -> None:
    """Refuse ``data`` unless it is a plausible, bounded .docx zip archive."""
    if len(data) > MAX_DOCX_BYTES:
        raise DocxError(f"文件过大（超过 {MAX_DOCX_BYTES // (1024 * 1024)} MB），请删去图片后另存，或改传 .txt 文本")
    if not data:
        raise DocxError("文件为空")
    if data.startswith(_OLE_SIGNATURE):
        raise DocxError("这是旧版 Word（.doc）或加密的文档：请在 Word 中另存为 .docx（不加密码）或纯文本 .txt 后再上传")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise DocxError("不是有效的 .docx 文件（文件已损坏，或并非 Word 文档）") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise DocxError(f"文档结构异常（包含 {len(members)} 个部件），拒绝读取")
        total = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise DocxError(
                f"文档解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，拒绝读取（可能是恶意压缩文件）"
            )
        suspicious = total > _RATIO_MIN_MEMBER_BYTES and total > MAX_RATIO * max(packed, 1)
        suspicious = suspicious or any(
            member.file_size > _RATIO_MIN_MEMBER_BYTES
            and member.file_size > MAX_RATIO * max(member.compress_size, 1)
            for member in members
        )
        if suspicious:
            raise DocxError("文档压缩比异常，拒绝读取（可能是恶意压缩文件）")
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise DocxError("不是 Word 文档（.docx）：压缩包里没有正文部分")


def docx_to_text(data: bytes) -> str:
    """The text of the .docx in ``data``: one paragraph per line.

    Raises :class:`DocxError` (an ``EssayError`` with a Chinese message) for
    anything that is not a readable, reasonably sized Word document.
    """
    check_archive(data)
    # Imported here so that merely importing this module (the admin does)
    # does not load lxml and python-docx.
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:
        # python-docx has no common base class for "bad package": a missing
        # part is a KeyError, bad XML lxml's XMLSyntaxError, a corrupt member
        # zipfile.BadZipFile, a non-Word package ValueError.
        raise DocxError("无法读取这个 .docx 文件（文件已损坏，或不是 Word 正文文档）") from error
    numbering = _Numbering(document)
    lines = []
    body = document.element.body
    # Text boxes are left out: Word stores each twice (drawing and VML fallback).
    for paragraph in body.xpath(".//w:p[not(ancestor::w:txbxContent)]"):
        text = _paragraph_text(paragraph)
        label = numbering.label(paragraph)
        if label and text.strip():
            text = label + ("" if _ends_with_mark(label) else " ") + text.lstrip()
        lines.append(text)
    text = "\n".join(line.rstrip() for line in lines).strip()
    if not text:
        raise DocxError("文档中没有文字")
    return text


def _paragraph_text(paragraph) -> str:
    # Runs directly in this paragraph, in hyperlinks, smart tags and inserted
    # revisions, but not deleted revisions or the paragraphs of a nested text box.
    parts = []
    for run in paragraph.iter(_w("r")):
        if _nearest_paragraph(run) is not paragraph or _is_deleted(run):
            continue
        parts.append(run.text)
    return "".join(parts)


def _nearest_paragraph(element):
    parent = element.getparent()
    while parent is not None and parent.tag != _w("p"):
        parent = parent.getparent()
    return parent


def _is_deleted(run) -> bool:
    parent = run.getparent()
    while parent is not None and parent.tag != _w("p"):
        if parent.tag in (_w("del"), _w("moveFrom")):
            return True
        parent = parent.getparent()
    return False


def _ends_with_mark(label: str) -> bool:
    return not label[-1:].isalnum()


# --- automatic numbering --------------------------------------------------

_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)
_CHINESE_FORMATS = {
    "chineseCounting", "chineseCountingThousand", "japaneseCounting",
    "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand",
}
_LEVEL_PLACEHOLDER = re.compile(r"%([1-9])")


def _format_number(value: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS and 1 <= value <= MAX_NUMBER:
        return int_to_cn(value)
    if fmt == "decimalFullWidth":
        return str(value).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    if fmt in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and value >= 1:
        roman, rest = "", value
        for amount, digits in _ROMAN:
            while rest >= amount:
                roman, rest = roman + digits, rest - amount
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero" and value < 10:
        return f"0{value}"
    return str(value)


class _Numbering:
    """Works out the label Word shows in front of each numbered paragraph."""

    def __init__(self, document):
        self._levels = {}  # (numId, ilvl) -> (start, numFmt, lvlText)
        self._style_numbering = {}  # style id -> (numId, ilvl) or None
        self._counters = {}  # numId -> {ilvl: value}
        part = document.part
        try:
            from docx.opc.constants import RELATIONSHIP_TYPE as RT

            numbering = part.part_related_by(RT.NUMBERING).element
        except (KeyError, AttributeError):
            numbering = None
        if numbering is not None:
            self._read_definitions(numbering)
        try:
            self._styles = part.styles.element
        except (KeyError, AttributeError):
            self._styles = None

    def _read_definitions(self, numbering):
        abstract = {}
        for definition in numbering.findall(_w("abstractNum")):
            levels = {}
            for level in definition.findall(_w("lvl")):
                levels[_int(level.get(_w("ilvl")), 0)] = (
                    _int(_val(level, "start"), 1), _val(level, "numFmt") or "decimal", _val(level, "lvlText") or "",
                )
            abstract[definition.get(_w("abstractNumId"))] = levels
        for num in numbering.findall(_w("num")):
            num_id = num.get(_w("numId"))
            abstract_id = _val(num, "abstractNumId")
            for ilvl, (start, fmt, text) in abstract.get(abstract_id, {}).items():
                self._levels[(num_id, ilvl)] = (start, fmt, text)
            for override in num.findall(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")), 0)
                start = _val(override, "startOverride")
                if start is not None and (num_id, ilvl) in self._levels:
                    _old, fmt, text = self._levels[(num_id, ilvl)]
                    self._levels[(num_id, ilvl)] = (_int(start, 1), fmt, text)

    def _paragraph_numbering(self, paragraph):
        num_pr = paragraph.find(f"{_w('pPr')}/{_w('numPr')}")
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            return (num_id, _int(_val(num_pr, "ilvl"), 0)) if num_id else None
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        return self._style_num(style.get(_w("val")) if style is not None else None, depth=0)

    def _style_num(self, style_id, depth):
        if style_id is None or self._styles is None or depth > 10:
            return None
        if style_id in self._style_numbering:
            return self._style_numbering[style_id]
        found = None
        for style in self._styles.findall(_w("style")):
            if style.get(_w("styleId")) != style_id:
                continue
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            if num_pr is not None:
                num_id = _val(num_pr, "numId")
                found = (num_id, _int(_val(num_pr, "ilvl"), 0)) if num_id else None
            else:
                found = self._style_num(_val(style, "basedOn"), depth + 1)
            break
        self._style_numbering[style_id] = found
        return found

    def label(self, paragraph) -> str:
        numbered = self._paragraph_numbering(paragraph)
        if numbered is None or numbered[0] == "0" or numbered not in self._levels:
            return ""
        num_id, ilvl = numbered
        start, fmt, text = self._levels[numbered]
        if fmt in ("bullet", "none") or not text:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]  # a new item restarts the levels below it

        def number(match):
            level = int(match.group(1)) - 1
            level_start, level_fmt, _text = self._levels.get((num_id, level), (1, "decimal", ""))
            return _format_number(counters.get(level, level_start), level_fmt)

        return _LEVEL_PLACEHOLDER.sub(number, text).strip()


def _val(element, child):
    found = element.find(_w(child))
    return found.get(_w("val")) if found is not None else None


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
