"""Sanitised rich text (``articles.richtext``) as a list of printable blocks (no Django).

The export does not lay out HTML: it reads the few things an editor can
make in CKEditor -- paragraphs, bold/italic/underline, line breaks, lists,
tables, images with captions, block quotes -- into plain dataclasses that
:mod:`articles.export.layout` writes into a .docx. Anything else (links,
unknown tags) keeps its text and loses its markup. The standard library's
``html.parser`` is enough: the input was sanitised on save, and a hostile
string that slipped through only ever becomes text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Characters XML 1.0 forbids (python-docx refuses them): control characters, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")
# <!DOCTYPE …>, <![CDATA[ …: sanitised text has none, and html.parser may choke on broken ones.
_DECLARATION = re.compile(r"<![^>]*>?")
_TAG = re.compile(r"<[^>]*>?")


def xml_safe(text: str) -> str:
    """``text`` without the characters a .docx cannot hold."""
    return _NOT_XML.sub("", text or "")


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    superscript: bool = False
    subscript: bool = False
    strike: bool = False


@dataclass
class Paragraph:
    runs: list[Run] = field(default_factory=list)
    # "" body text; "list" a list item (``marker`` printed before it); "quote"; "heading" (an <h3>…<h6>).
    role: str = ""
    marker: str = ""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Image:
    src: str
    alt: str = ""
    caption: list[Run] = field(default_factory=list)


@dataclass
class Cell:
    runs: list[Run] = field(default_factory=list)
    header: bool = False
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    caption: list[Run] = field(default_factory=list)


Block = Paragraph | Image | Table

_CN_DIGITS = "一二三四五六七八九十"


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Paragraph | None = None
        self.style = {"bold": 0, "italic": 0, "underline": 0, "superscript": 0, "subscript": 0, "strike": 0}
        self.lists: list[list] = []  # [ordered, next number]
        self.table: Table | None = None
        self.cell: Cell | None = None
        self.figure: Image | Table | None = None
        self.in_caption = False
        self.caption_runs: list[Run] = []
        self.quote = 0
        self.heading = False

    # -- text

    def _target(self) -> list[Run]:
        if self.in_caption:
            return self.caption_runs
        if self.cell is not None:
            return self.cell.runs
        if self.current is None:
            self._open(role="quote" if self.quote else "")
        return self.current.runs

    def _add(self, text):
        runs = self._target()
        flags = {name: bool(depth) for name, depth in self.style.items()}
        if self.heading:
            flags["bold"] = True
        if runs and all(getattr(runs[-1], k) == v for k, v in flags.items()):
            runs[-1].text += text
        else:
            runs.append(Run(text, **flags))

    def handle_data(self, data):
        text = _SPACE.sub(" ", xml_safe(data))
        if not text.strip() and (self.current is None and self.cell is None and not self.in_caption):
            return
        self._add(text)

    # -- blocks

    def _open(self, role="", marker=""):
        self._close()
        self.current = Paragraph(role=role, marker=marker)

    def _close(self):
        if self.current is not None:
            for run in self.current.runs[:1]:
                run.text = run.text.lstrip()
            for run in self.current.runs[-1:]:
                run.text = run.text.rstrip()
            self.current.runs = [run for run in self.current.runs if run.text]
            if self.current.runs:
                self.blocks.append(self.current)
            self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("strong", "b"):
            self.style["bold"] += 1
        elif tag in ("em", "i"):
            self.style["italic"] += 1
        elif tag == "u":
            self.style["underline"] += 1
        elif tag == "s":
            self.style["strike"] += 1
        elif tag == "sup":
            self.style["superscript"] += 1
        elif tag == "sub":
            self.style["subscript"] += 1
        elif tag == "br":
            self._add("\n")
        elif tag == "p" and self.cell is None and not self.in_caption:
            if not (self.lists and self.current is not None and self.current.role == "list" and not self.current.runs):
                self._open(role="quote" if self.quote else "")
        elif tag in ("h3", "h4", "h5", "h6"):
            self._open(role="heading")
            self.heading = True
        elif tag == "blockquote":
            self._close()
            self.quote += 1
        elif tag in ("ul", "ol"):
            self._close()
            start = attrs.get("start") or "1"
            self.lists.append([tag == "ol", int(start) if start.isdigit() and len(start) < 6 else 1])
        elif tag == "li":
            marker = "·"
            if self.lists and self.lists[-1][0]:
                number = self.lists[-1][1]
                self.lists[-1][1] += 1
                marker = f"{number}." if len(self.lists) == 1 else f"（{number}）"
            self._open(role="list", marker=marker)
        elif tag == "figure":
            self._close()
        elif tag == "img":
            image = Image(src=attrs.get("src") or "", alt=xml_safe(attrs.get("alt") or ""))
            self._close()
            self.blocks.append(image)
            self.figure = image
        elif tag == "table":
            self._close()
            self.table = Table()
            self.blocks.append(self.table)
            self.figure = self.table
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
        elif tag in ("td", "th") and self.table is not None:
            if not self.table.rows:
                self.table.rows.append([])
            span = attrs.get("colspan") or "1"
            self.cell = Cell(header=tag == "th", colspan=max(1, min(int(span), 20)) if span.isdigit() else 1)
            self.table.rows[-1].append(self.cell)
        elif tag in ("figcaption", "caption"):
            self._close()
            self.in_caption = True
            self.caption_runs = []

    def handle_endtag(self, tag):
        if tag in ("strong", "b"):
            self.style["bold"] = max(0, self.style["bold"] - 1)
        elif tag in ("em", "i"):
            self.style["italic"] = max(0, self.style["italic"] - 1)
        elif tag == "u":
            self.style["underline"] = max(0, self.style["underline"] - 1)
        elif tag == "s":
            self.style["strike"] = max(0, self.style["strike"] - 1)
        elif tag == "sup":
            self.style["superscript"] = max(0, self.style["superscript"] - 1)
        elif tag == "sub":
            self.style["subscript"] = max(0, self.style["subscript"] - 1)
        elif tag in ("p", "li") and self.cell is None and not self.in_caption:
            self._close()
        elif tag in ("h3", "h4", "h5", "h6"):
            self._close()
            self.heading = False
        elif tag == "blockquote":
            self._close()
            self.quote = max(0, self.quote - 1)
        elif tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag in ("td", "th"):
            self.cell = None
        elif tag == "table":
            self.table = None
        elif tag in ("figcaption", "caption"):
            self.in_caption = False
            runs = [run for run in self.caption_runs if run.text.strip()]
            if isinstance(self.figure, Image | Table) and not self.figure.caption:
                self.figure.caption = runs
            elif runs:
                self.blocks.append(Paragraph(runs=runs, role="caption"))
            self.caption_runs = []
        elif tag == "figure":
            self.figure = None


def blocks(html: str) -> list[Block]:
    """The printable blocks of sanitised rich text, in order."""
    if not html:
        return []
    reader = _Reader()
    try:
        reader.feed(_DECLARATION.sub("", html))
        reader.close()
    except AssertionError:
        # html.parser gives up on some malformed markup (never in sanitised text):
        # keep the words, lose the markup.
        text = _SPACE.sub(" ", xml_safe(_TAG.sub(" ", html))).strip()
        return [Paragraph(runs=[Run(text)])] if text else []
    reader._close()
    return reader.blocks
