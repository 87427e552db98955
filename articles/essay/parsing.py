"""Read the structure of an essay: front matter, sections, points, conclusion.

``parse`` runs the repairs in ``cleaning`` and then reads the paragraphs:

* **Front matter** — everything before the first ``一、`` section. The first
  paragraph is the title when it is short (≤ 60 characters) and has no 。;
  a near-duplicate second paragraph is merged into it (watermark removed).
  Right after the title: a line starting with —— is the subtitle (stored
  without the dashes); a short line ending in an organisation word (…组织部，
  …委员会, …课题组) is the author's unit; any other short line (≤ 40
  characters, no comma or sentence end) is the subtitle. ``作者单位：…`` lines are the
  author's unit, ``作者：…`` lines are dropped with a warning. The rest is
  the lead.
* **Sections** — paragraphs starting ``一、`` (or 一. / 一．), numbered in
  order; a number may skip ahead by up to two (with a warning), anything else
  that looks like a section number is body text. A heading line holding a
  sentence end (。 ： ！ ？) within its first 60 characters is split there
  into heading and first body paragraph.
* **Points** — per section, one numbering style: (一) if any paragraph starts
  with (一), else the first of 1. / 1、 / (1) seen; other styles stay in the
  body (they are third-level items). Without any of these, bare numerals run
  into the previous sentence are looked for (``numbering.find_bare_point``);
  at least two must be found. 一是……二是…… enumerations never start points.
* **Conclusion** — taken from the end of the last section, in this order:
  a last section headed 结语/结束语/结论/小结 with no points becomes the
  conclusion; else, in the last point's body (or the last section's body when
  it has no points), the first paragraph after the first that opens with
  总之 / 综上所述 / 总而言之 / 实践证明 … starts the conclusion; else, when
  every other point of the essay has a single-paragraph body (as in damaged
  text, and in essays written "(一)标题。正文" one paragraph per point), the
  last point's further paragraphs are the conclusion. Otherwise there is no
  conclusion: in well-formatted essays a trailing paragraph is as likely to
  be the last point's own closing as a conclusion, and moving it wrongly is
  worse than leaving it (the editor is warned "未找到结语").
* **Author's unit** — ``作者单位：…`` (optionally in brackets) in the last
  three paragraphs, even glued to the end of the conclusion, is cut out. A
  final ``(作者系…)`` line fills the unit when none was found, with a warning
  (it may include the author's post).
"""

import re
from dataclasses import dataclass, field

from . import cleaning
from .decoding import decode_essay_bytes
from .kinds import guess_kind
from .numbering import (
    CN_PAREN,
    EXPLICIT_STYLES,
    MAX_NUMBER,
    SECTION_START,
    PointStyle,
    find_bare_point,
    int_to_cn,
    match_section,
)
from .structure import Essay, EssayError, EssayPoint, EssaySection

EMPTY_TEXT = "文本为空"
NO_STRUCTURE = "未识别出文稿结构：找不到“一、”这样的部分标题"

HEADING_MAX = 60
SUBTITLE_MAX = 40
# ASCII ":" only when it is not a time or ratio (8:30, 1:1).
_HEADING_END_RE = re.compile(r"[。：！？!?]|(?<!\d):(?!\d)")
_KEEP_IN_HEADING = frozenset("！？!?")
# A subtitle is a phrase: any of these makes the line a sentence (damaged
# text loses the final 。 of a short lead, but keeps its commas).
_NOT_IN_SUBTITLE = frozenset("。！？；!?;，,")
_DASHES = "—–-－─ "
_NUMBER_START = frozenset("(（")

_AUTHOR_ORG_LINE_RE = re.compile(r"[（(]?\s*作者单位\s*[:：]\s*(.+?)\s*[)）]?")
_BYLINE_RE = re.compile(r"[（(]?\s*作\s*者\s*[:：]\s*[^，,。；;]{1,30}?[)）]?")
_AUTHOR_POST_RE = re.compile(r"[（(]\s*作者(?:系|为|是)\s*(.+?)\s*[)）]")
# "某某县委组织部" or "某某县委组织部 张某": a unit, maybe followed by a name.
_ORG_BYLINE_RE = re.compile(
    r"([^\s，,。；;：:]{2,30}(?:委员会|组织部|宣传部|统战部|党委|党工委|工委|党组|党支部|党总支"
    r"|纪委|监委|党校|课题组|调研组|办公室|研究室|研究中心))(?:\s+([\u4e00-\u9fff·]{2,4}))?"
)
_CONCLUSION_HEADING_RE = re.compile(r"(?:结语|结束语|结论|小结|结尾|总结|结语与展望|结论与展望)[。:：]?")
_CONCLUSION_OPENERS = (
    "总之",
    "综上所述",
    "综上",
    "总而言之",
    "实践证明",
    "实践表明",
    "总的来说",
    "总的来看",
    "总体而言",
    "一言以蔽之",
)


@dataclass
class _Point:
    number: str
    heading: str
    body: list[str] = field(default_factory=list)


@dataclass
class _Section:
    value: int
    heading: str
    intro: list[str] = field(default_factory=list)
    points: list[_Point] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"第{int_to_cn(self.value)}部分"


def parse(text: str) -> Essay:
    """Parse raw essay text (well formatted or damaged) into an ``Essay``.

    Raises ``EssayError`` (message in Chinese) for empty text or text without
    a 一、 section, and for nothing else: any unexpected failure is reported as
    an ``EssayError`` too, so callers need to handle one exception only.
    """
    try:
        return _parse(text)
    except EssayError:
        raise
    except Exception as error:  # a bug must not become a 500 for the editor
        raise EssayError(f"解析文稿时出现意外错误（{type(error).__name__}），请检查文本格式") from error


def _parse(text) -> Essay:
    text = _as_text(text)
    warnings: list[str] = []
    text = cleaning.normalise(text, warnings)
    if not text.strip():
        raise EssayError(EMPTY_TEXT)
    text = cleaning.remove_page_markers(text, warnings)
    paragraphs = cleaning.split_paragraphs(text, warnings)
    start = next((i for i, p in enumerate(paragraphs) if (m := match_section(p)) and m[0] == 1), None)
    if start is None:
        raise EssayError(NO_STRUCTURE)

    essay = Essay(warnings=warnings)
    front, rest = paragraphs[:start], paragraphs[start:]
    _read_front_matter(front, essay, warnings)
    tail_org = _take_trailing_author(rest, bool(essay.author_org), warnings)
    essay.author_org = essay.author_org or tail_org
    sections = _read_sections(rest, warnings)
    conclusion = _take_conclusion(sections)
    if not conclusion:
        warnings.append("未找到结语")
    essay.conclusion = "\n".join(conclusion)
    essay.sections = [
        EssaySection(
            number=f"{int_to_cn(section.value)}、",
            heading=section.heading,
            kind=guess_kind(section.heading),
            body="\n".join(section.intro),
            points=[EssayPoint(p.number, p.heading, "\n".join(p.body)) for p in section.points],
        )
        for section in sections
    ]
    _check_quotes(paragraphs, warnings)
    return essay


def _as_text(text) -> str:
    if text is None:
        raise EssayError(EMPTY_TEXT)
    if isinstance(text, (bytes, bytearray)):
        return decode_essay_bytes(bytes(text))
    if not isinstance(text, str):
        raise EssayError("文稿必须是文本")
    return text


# ---------------------------------------------------------------------------
# Front matter and author


def _read_front_matter(front: list[str], essay: Essay, warnings: list[str]) -> None:
    kept = []
    for paragraph in front:
        if m := _AUTHOR_ORG_LINE_RE.fullmatch(paragraph):
            essay.author_org = essay.author_org or m.group(1)
        elif _BYLINE_RE.fullmatch(paragraph):
            warnings.append(f"删除了署名行“{paragraph}”，作者姓名请在后台填写")
        else:
            kept.append(paragraph)
    if not kept or not cleaning.looks_like_title(kept[0]):
        warnings.append("未找到标题" if not kept else "未找到标题（开头一段过长或含句号），开头部分全部作为导语")
        essay.lead = "\n".join(kept)
        return

    title = kept.pop(0)
    merged = cleaning.merge_duplicate_title(title, kept[0], warnings) if kept else None
    if merged is not None:
        kept.pop(0)
        title = merged
    else:
        title = cleaning.strip_known_watermark(title, warnings)
    dash = title.find("——")
    if dash > 0:  # "标题 ——副标题" on one line
        title, essay.subtitle = title[:dash].strip(), title[dash:].strip(_DASHES)
    elif kept:
        line = kept[0]
        if line.startswith(("——", "--", "－－", "─", "—")):
            essay.subtitle = line.strip(_DASHES)
            kept.pop(0)
        elif (byline := _ORG_BYLINE_RE.fullmatch(line)) and not essay.author_org:
            kept.pop(0)
            essay.author_org = byline.group(1)
            warnings.append(f"标题下的“{line}”视为作者单位，请核对")
            if byline.group(2):
                warnings.append(f"署名“{byline.group(2)}”未保存，作者姓名请在后台填写")
        elif _looks_like_subtitle(line):
            essay.subtitle = kept.pop(0)
    essay.title = title
    essay.lead = "\n".join(kept)


def _looks_like_subtitle(line: str) -> bool:
    return (
        len(line) <= SUBTITLE_MAX
        and not any(char in _NOT_IN_SUBTITLE for char in line)
        and line[-1] not in "：:"
        and not line.endswith("如下")
    )


def _take_trailing_author(rest: list[str], have_org: bool, warnings: list[str]) -> str:
    """Cut the author's unit out of the last paragraphs of ``rest`` (in place).

    ``rest[0]`` is the first section heading and is never looked at.
    """
    for index in range(len(rest) - 1, max(0, len(rest) - 4), -1):
        paragraph = rest[index]
        at = paragraph.rfind("作者单位")
        if at == -1:
            continue
        after = paragraph[at + len("作者单位") :].lstrip()
        if not after or after[0] not in ":：":
            continue
        before = paragraph[:at].rstrip()
        bracketed = before.endswith(("(", "（"))
        if bracketed:
            before = before[:-1].rstrip()
        found = after[1:].strip()
        if bracketed:
            found = found.rstrip(")）").strip()
        found = found.rstrip("。.").strip()
        if not found and index + 1 < len(rest):  # "作者单位：" alone, the unit on the next line
            found = rest.pop(index + 1)
        if before:
            rest[index] = before
            warnings.append(f"作者单位“{found}”粘连在正文末尾，已分离")
        else:
            del rest[index]
        return found
    if len(rest) > 1 and not have_org and (m := _AUTHOR_POST_RE.fullmatch(rest[-1])):
        rest.pop()
        warnings.append(f"结尾的“（作者系{m.group(1)}）”已作为作者单位，其中可能含职务，请核对")
        return m.group(1)
    return ""


# ---------------------------------------------------------------------------
# Sections and points


def _split_heading(text: str) -> tuple[str, str] | None:
    """(heading, rest) split at the first sentence end within ``HEADING_MAX``; None if none and long."""
    m = _HEADING_END_RE.search(text, 0, HEADING_MAX + 1)
    if m and m.start() > 0:
        end = m.end() if m.group() in _KEEP_IN_HEADING else m.start()
        return text[:end].strip(), text[m.end() :].strip()
    if len(text) <= HEADING_MAX:
        return text.strip(), ""
    return None


def _read_sections(paragraphs: list[str], warnings: list[str]) -> list[_Section]:
    sections: list[_Section] = []
    expected = 1
    for paragraph in paragraphs:
        m = match_section(paragraph) if paragraph[0] in SECTION_START else None
        if m and ((not sections and m[0] == 1) or (sections and expected <= m[0] <= expected + 2)):
            value, rest = m
            if value != expected:
                warnings.append(f"部分编号从“{int_to_cn(expected - 1)}、”跳到了“{int_to_cn(value)}、”，可能漏掉了内容")
            section = _Section(value, "")
            split = _split_heading(rest)
            if split is None:
                section.heading = rest.strip()
                warnings.append(f"{section.label}的标题过长（{len(section.heading)}字），请核对是否混入了正文")
            else:
                section.heading, first_body = split
                if first_body:
                    section.intro.append(first_body)
            sections.append(section)
            expected = value + 1
            continue
        sections[-1].intro.append(paragraph)
    for section in sections:
        _read_points(section, warnings)
    return sections


def _read_points(section: _Section, warnings: list[str]) -> None:
    paragraphs, section.intro = section.intro, []
    style = _detect_style(paragraphs)
    if style is not None:
        _read_explicit_points(section, paragraphs, style, warnings)
    else:
        _read_bare_points(section, paragraphs, warnings)


def _detect_style(paragraphs: list[str]) -> PointStyle | None:
    # Every explicit number starts with a bracket or a digit: filter cheaply first.
    numbered = [p for p in paragraphs if p[0] in _NUMBER_START or p[0].isdigit()]
    if any((m := CN_PAREN.match(p)) and m[0] == 1 for p in numbered):
        return CN_PAREN
    for paragraph in numbered:
        for style in EXPLICIT_STYLES[1:]:
            if (m := style.match(paragraph)) and m[0] == 1:
                return style
    return None


def _read_explicit_points(section: _Section, paragraphs: list[str], style: PointStyle, warnings: list[str]) -> None:
    expected = 1
    for paragraph in paragraphs:
        m = style.match(paragraph)
        points = section.points
        if m and ((not points and m[0] == 1) or (points and expected <= m[0] <= expected + 2)):
            value, rest = m
            label = style.label(value)
            if value != expected:
                warnings.append(f"{section.label}的要点编号跳过了“{style.label(expected)}”，可能漏掉了内容")
            split = _split_heading(rest)
            if split is None or not split[0]:
                warnings.append(f"{section.label}的要点“{label}”没有可识别的小标题，整段作为正文")
                split = ("", rest.strip())
            heading, first_body = split
            points.append(_Point(label, heading, [first_body] if first_body else []))
            expected = value + 1
            continue
        (points[-1].body if points else section.intro).append(paragraph)


def _read_bare_points(section: _Section, paragraphs: list[str], warnings: list[str]) -> None:
    found: list[tuple[int, int]] = []  # (paragraph index, numeral index)
    numeral = int_to_cn(1)
    for index, paragraph in enumerate(paragraphs):
        if numeral not in paragraph:  # cheap test first: most paragraphs have no candidate
            continue
        at = find_bare_point(paragraph, len(found) + 1)
        if at is not None:
            found.append((index, at))
            if len(found) == MAX_NUMBER:
                break
            numeral = int_to_cn(len(found) + 1)
    if len(found) < 2:  # one bare numeral is too weak a sign
        section.intro = paragraphs
        return

    first_index, first_at = found[0]
    section.intro = paragraphs[:first_index] + _nonempty(paragraphs[first_index][:first_at])
    for number, (index, at) in enumerate(found, start=1):
        numeral = int_to_cn(number)
        heading = paragraphs[index][at + len(numeral) :].strip()
        if number < len(found):
            next_index, next_at = found[number]
            body = paragraphs[index + 1 : next_index] + _nonempty(paragraphs[next_index][:next_at])
        else:
            body = paragraphs[index + 1 :]
        section.points.append(_Point(f"({numeral})", heading, body))
    warnings.append(
        f"{section.label}的{len(found)}个要点编号缺少括号且粘连在上一句末尾，已补全为“(一)”至“({int_to_cn(len(found))})”"
    )


def _nonempty(text: str) -> list[str]:
    text = text.strip()
    return [text] if text else []


# ---------------------------------------------------------------------------
# Conclusion and checks


def _take_conclusion(sections: list[_Section]) -> list[str]:
    """Cut the conclusion paragraphs off the end of the last section (see module docstring)."""
    last = sections[-1]
    if len(sections) > 1 and last.intro and not last.points and _CONCLUSION_HEADING_RE.fullmatch(last.heading):
        sections.pop()
        return last.intro
    tail = last.points[-1].body if last.points else last.intro
    for index in range(1, len(tail)):
        if tail[index].startswith(_CONCLUSION_OPENERS):
            conclusion = tail[index:]
            del tail[index:]
            return conclusion
    if last.points:
        others = [point.body for section in sections for point in section.points][:-1]
    elif all(not section.points for section in sections):
        others = [section.intro for section in sections[:-1]]
    else:
        others = []
    if len(tail) >= 2 and all(len(body) <= 1 for body in others) and sum(len(body) == 1 for body in others) >= 2:
        conclusion = tail[1:]
        del tail[1:]
        return conclusion
    return []


def _check_quotes(paragraphs: list[str], warnings: list[str]) -> None:
    text = "".join(paragraphs)
    opening, closing = text.count("“"), text.count("”")
    if opening != closing:
        warnings.append(f"引号不成对（左引号{opening}个，右引号{closing}个），可能丢失了引号，请校对")
