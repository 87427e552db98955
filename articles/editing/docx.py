"""Read the text of an uploaded Word (.docx) essay, safely.

A .docx is a zip archive of XML parts. Before python-docx opens it, the
archive itself is checked from its central directory: not a zip, too many
members, too much declared uncompressed data or a suspicious compression
ratio (a zip bomb) are refused with a Chinese message for editors, and so
is XML with more elements than an essay needs, counted without building a
tree (a small file of tiny elements would parse into a huge one). The
declared sizes can be trusted for this: :mod:`zipfile` never inflates a
member beyond its declared size (and fails its CRC check when the real data
is longer), and python-docx parses the XML with entity resolution off.

The text comes out one paragraph per line, in document order, tables cell by
cell. Word's automatic numbering (一、 (一) 1. …) is not part of a
paragraph's text, but essays are structured by it, so the numbers are worked
out from the numbering definitions and put back in front of the paragraph.

Every number in the file is untrusted. List levels and level texts outside
what Word itself writes are ignored (their paragraphs get no label), so is
a start value outside Word's range (the list counts from 1); labels are
computed arithmetically and are a few characters long whatever the number;
the document is walked once whatever its nesting; the text read is capped
(:data:`MAX_TEXT_CHARS`). So the work and memory a .docx costs follow its
size, which :func:`check_archive` bounds, not the values it declares.
"""

import io
import re
import zipfile
import zlib

from articles.essay.decoding import UnreadableText
from articles.essay.numbering import MAX_NUMBER, int_to_cn

MAX_DOCX_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
# Small members (a few KB of XML) may compress very well; only big ones count.
_RATIO_MIN_MEMBER_BYTES = 1024 * 1024
# Elements and attributes in all XML parts together. A parsed node costs
# lxml about 120 bytes, so 20 MB of tiny elements (3 million) would cost some
# 400 MB; this bound keeps the tree under about 60 MB. A long essay written in
# Word has a few tens of thousands.
MAX_XML_NODES = 500_000

# Five times the longest essay the import page takes (articles.admin.importing):
# enough to tell the editor how long the text is, and a bound on the memory
# the text costs before any caller looks at it.
MAX_TEXT_CHARS = 1_000_000

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, encrypted .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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
            member.file_size > _RATIO_MIN_MEMBER_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1)
            for member in members
        )
        if suspicious:
            raise DocxError("文档压缩比异常，拒绝读取（可能是恶意压缩文件）")
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise DocxError("不是 Word 文档（.docx）：压缩包里没有正文部分")
        if _xml_nodes(archive) > MAX_XML_NODES:
            raise DocxError(
                "文档内部结构过于庞大，拒绝读取（可能是恶意文件）：请在 Word 中另存后重试，或改传 .txt 文本"
            )


class _TooManyNodes(Exception):
    pass


class _NodeCounter:
    """An lxml parser target that counts elements and attributes and keeps nothing."""

    def __init__(self, limit):
        self.nodes = 0
        self._limit = limit

    def start(self, tag, attrib):
        self.nodes += 1 + len(attrib)
        if self.nodes > self._limit:
            raise _TooManyNodes

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return self.nodes


def _xml_nodes(archive: zipfile.ZipFile) -> int:
    """Elements and attributes in every member that parses as XML (counting stops past the bound).

    Every member is tried, whatever its name or declared content type: the
    parts python-docx parses are named by the package's relationships, not
    by us. A member that is not XML (a picture) stops its parser at once;
    one that breaks off midway still counts what was read, as python-docx
    would have built that much before failing. lxml decodes as python-docx's
    parser does, so no encoding hides markup from the count.
    """
    from lxml import etree  # loaded with python-docx, only when a file is read

    counted = 0
    for member in archive.infolist():
        counter = _NodeCounter(MAX_XML_NODES - counted)
        parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True)
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(64 * 1024):
                    parser.feed(chunk)
            parser.close()
        except _TooManyNodes:
            return counted + counter.nodes
        except etree.XMLSyntaxError:
            pass  # not XML, or broken XML: python-docx refuses it if it is a part
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
            # A bad CRC, an unknown compression method, an encrypted member.
            raise DocxError("无法读取这个 .docx 文件（文件已损坏，或不是 Word 正文文档）") from None
        counted += counter.nodes
    return counted


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
    length = 0
    for paragraph, text in _paragraph_texts(document.element.body):
        label = numbering.label(paragraph)
        if label and text.strip():
            text = label + ("" if _ends_with_mark(label) else " ") + text.lstrip()
        length += len(text) + 1
        if length > MAX_TEXT_CHARS:
            raise DocxError(
                f"文档文字过多（超过 {MAX_TEXT_CHARS // 10_000} 万字），不像是一篇文稿：请分篇导入，或改传 .txt 文本"
            )
        lines.append(text)
    text = "\n".join(line.rstrip() for line in lines).strip()
    if not text:
        raise DocxError("文档中没有文字")
    return text


_PARAGRAPH, _RUN, _TEXTBOX = _w("p"), _w("r"), _w("txbxContent")
_DELETED = frozenset((_w("del"), _w("moveFrom")))


def _paragraph_texts(body):
    """(paragraph element, its text) for each paragraph of ``body``, as each ends.

    A run belongs to its nearest paragraph, unless a deleted revision lies
    between them. Paragraphs in text boxes are left out: Word stores each
    text box twice (drawing and VML fallback).

    That is document order, except for nesting. One walk over the tree, yielding
    each paragraph as it ends: the cost does not grow with nesting (a hostile file can nest paragraphs in paragraphs
    up to the parser's depth limit, where Word never does outside text
    boxes; such a nested paragraph comes out before the one around it), and
    a caller that stops early has not paid for the rest.
    """
    from lxml import etree  # loaded with python-docx, only when a file is read

    # One entry per open paragraph: its text parts (None in a text box) and
    # the number of deleted revisions open inside it.
    open_paragraphs = []
    textboxes = 0
    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag
        if tag == _RUN:
            if event == "start" and open_paragraphs:
                parts, deleted = open_paragraphs[-1]
                if parts is not None and not deleted:
                    parts.append(element.text)
        elif tag == _PARAGRAPH:
            if event == "start":
                open_paragraphs.append([[] if not textboxes else None, 0])
            else:
                parts, _deleted = open_paragraphs.pop()
                if parts is not None:
                    yield element, "".join(parts)
        elif tag in _DELETED:
            if open_paragraphs:
                open_paragraphs[-1][1] += 1 if event == "start" else -1
        elif tag == _TEXTBOX:
            textboxes += 1 if event == "start" else -1


def _ends_with_mark(label: str) -> bool:
    return not label[-1:].isalnum()


# --- automatic numbering --------------------------------------------------
#
# Word's own limits ([MS-OI29500], Microsoft's notes on how Word implements
# ECMA-376 §17.9): list levels 0-8 (Word will not load a file with others),
# a level text of at most 31 characters once its %N placeholders are filled
# in. A level outside them is ignored, so its paragraphs get no label; the
# level text is checked before filling in, which is looser and enough: 31
# characters hold at most 15 placeholders. Each kept level is copied into
# every list that uses its definition, hence the bound on levels matters for
# memory, not only for labels.
_WORD_LEVELS = range(9)
_MAX_LEVEL_TEXT = 31
# 0-32767 is the range of Word's 起始编号 (start at). A start outside it is
# ignored, as if the file had none (a list then counts from 1).
MAX_LIST_START = 32767
# Lettered numbers repeat their letter (z, aa, bb … zz, aaa) and roman
# numerals have no standard form past 3999, so both grow with the number;
# beyond these they are written in digits, keeping every label short.
_MAX_LETTER_NUMBER = 26 * 15
_MAX_ROMAN_NUMBER = 3999
_ROMAN_DIGITS = (
    ("", "m", "mm", "mmm"),
    ("", "c", "cc", "ccc", "cd", "d", "dc", "dcc", "dccc", "cm"),
    ("", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc"),
    ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"),
)
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "japaneseCounting",
    "ideographDigital",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
}
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_LEVEL_PLACEHOLDER = re.compile(r"%([1-9])")


def _format_number(value: int, fmt: str) -> str:
    """``value`` as Word prints it in format ``fmt``; at most 15 characters for any value below 10**15."""
    if fmt in _CHINESE_FORMATS and 1 <= value <= MAX_NUMBER:
        return int_to_cn(value)
    if fmt == "decimalFullWidth":
        return str(value).translate(_FULL_WIDTH_DIGITS)
    if fmt in ("lowerLetter", "upperLetter") and 1 <= value <= _MAX_LETTER_NUMBER:
        repeat, letter = divmod(value - 1, 26)
        letters = chr(ord("a") + letter) * (repeat + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value <= _MAX_ROMAN_NUMBER:
        thousands, rest = divmod(value, 1000)
        hundreds, rest = divmod(rest, 100)
        tens, ones = divmod(rest, 10)
        roman = "".join(
            digits[place] for digits, place in zip(_ROMAN_DIGITS, (thousands, hundreds, tens, ones), strict=True)
        )
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero" and value < 10:
        return f"0{value}"
    return str(value)


class _Numbering:
    """Works out the label Word shows in front of each numbered paragraph."""

    def __init__(self, document):
        self._levels = {}  # (numId, ilvl) -> (start, numFmt, lvlText), ilvl in _WORD_LEVELS
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
            styles = part.styles.element
        except (KeyError, AttributeError):
            styles = None
        # style id -> its own numbering (numId, ilvl), or None with the id of
        # its base style: read once, so that looking up a paragraph's style is
        # a dictionary access however many styles the file declares.
        self._styles = {} if styles is None else self._read_styles(styles)
        self._style_numbering = {}  # style id -> (numId, ilvl) or None, resolved

    def _read_definitions(self, numbering):
        abstract = {}
        for definition in numbering.findall(_w("abstractNum")):
            levels = {}
            for level in definition.findall(_w("lvl")):
                ilvl = _level_index(level.get(_w("ilvl")), default=0)
                text = _val(level, "lvlText") or ""
                if ilvl is None or len(text) > _MAX_LEVEL_TEXT:
                    continue
                levels[ilvl] = (_start(_val(level, "start")), _val(level, "numFmt") or "decimal", text)
            abstract[definition.get(_w("abstractNumId"))] = levels
        for num in numbering.findall(_w("num")):
            num_id = num.get(_w("numId"))
            abstract_id = _val(num, "abstractNumId")
            for ilvl, (start, fmt, text) in abstract.get(abstract_id, {}).items():
                self._levels[(num_id, ilvl)] = (start, fmt, text)
            for override in num.findall(_w("lvlOverride")):
                ilvl = _level_index(override.get(_w("ilvl")), default=0)
                start = _val(override, "startOverride")
                if start is not None and (num_id, ilvl) in self._levels:
                    _old, fmt, text = self._levels[(num_id, ilvl)]
                    self._levels[(num_id, ilvl)] = (_start(start, default=_old), fmt, text)

    @staticmethod
    def _read_styles(styles):
        found = {}
        for style in styles.findall(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id is None or style_id in found:
                continue  # Word uses a style id's first definition
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            if num_pr is not None:
                found[style_id] = (_num_pr(num_pr), None)
            else:
                found[style_id] = (None, _val(style, "basedOn"))
        return found

    def _paragraph_numbering(self, paragraph):
        num_pr = paragraph.find(f"{_w('pPr')}/{_w('numPr')}")
        if num_pr is not None:
            return _num_pr(num_pr)
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        return self._style_num(style.get(_w("val")) if style is not None else None, depth=0)

    def _style_num(self, style_id, depth):
        if style_id is None or depth > 10:
            return None
        if style_id in self._style_numbering:
            return self._style_numbering[style_id]
        own, based_on = self._styles.get(style_id, (None, None))
        found = own if own is not None or based_on is None else self._style_num(based_on, depth + 1)
        self._style_numbering[style_id] = found
        return found

    def label(self, paragraph) -> str:
        """The label Word shows in front of ``paragraph`` (``""`` for none), counting it."""
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


def _num_pr(num_pr):
    """(numId, ilvl) of a ``<w:numPr>``, or None when it numbers nothing Word would."""
    num_id = _val(num_pr, "numId")
    ilvl = _level_index(_val(num_pr, "ilvl"), default=0)
    return (num_id, ilvl) if num_id and ilvl is not None else None


def _val(element, child):
    found = element.find(_w(child))
    return found.get(_w("val")) if found is not None else None


def _level_index(value, default):
    """A list level from the file: 0-8, ``default`` when absent, None when Word has no such level."""
    if value is None:
        return default
    level = _bounded_int(value)
    return level if level in _WORD_LEVELS else None


def _start(value, default=1):
    """A start value from the file, or ``default`` when it is absent or outside Word's 0-32767."""
    start = _bounded_int(value)
    return start if start is not None and 0 <= start <= MAX_LIST_START else default


def _bounded_int(value):
    # A few ASCII digits only: int() would also take thousands of digits
    # (slowly), other scripts' digits ("١٢") and underscores ("1_0").
    value = (value or "").strip()
    if not 0 < len(value) <= 6 or not re.fullmatch(r"-?[0-9]+", value):
        return None
    return int(value)
