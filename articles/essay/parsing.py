"""Read the structure of an essay: front matter, sections, points, conclusion.

``parse`` first finds the undoable repairs (``cleaning.find_repairs``: site
boilerplate, page footers, URL watermarks, anti-copy strings, leaked
citation markers, hard PDF wraps) and applies all but those the editor keeps
(``keep``); then the repairs in ``cleaning`` it needs to read the text; then
the paragraphs. The top level is 一、 unless the text uses another scheme
around it or instead of it (``schemes``: 第一部分/第一章/第一、, （一）,
1、/1./1．, 问：, 首先……最后, 一是/二是, headings on their own line,
引言/主体/结语). An excerpt may start at 二、 or later. Text with no
structure but at least ``MIN_CHINESE_CHARS`` Chinese characters becomes one
section 正文 with a warning. Headings end at the first sentence mark, before
a point number run into them (……作用1、政治核心作用), after a heading word
when the line breaks were lost (……的建议为社区减负), and keep a short
subtitle after a colon (强化政治引领：把牢正确方向). Point numbers keep the
full-width （一） as written; (一) and bare numerals become (一) as before.

In detail, for 一、 essays:

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

import itertools
import re
from dataclasses import dataclass, field

from . import cleaning, schemes
from .decoding import decode_essay_bytes
from .kinds import guess_kind
from .numbering import (
    AR_DOT,
    AR_DUN,
    CN_NUMERAL,
    CN_PAREN,
    DOTTED,
    EXPLICIT_STYLES,
    MAX_NUMBER,
    SECTION_START,
    PointStyle,
    dotted_label,
    find_bare_point,
    int_to_cn,
    match_section,
)
from .structure import Essay, EssayError, EssayPoint, EssaySection

EMPTY_TEXT = "文本为空"
NO_STRUCTURE = "未识别出文稿结构：找不到“一、”这样的部分标题"
# Text without any recognisable structure still becomes a draft (one section)
# when it holds at least this many Chinese characters: less is not an essay.
MIN_CHINESE_CHARS = 200
# A numbering other than 一、 (1、, 首先, 一是 …) is believed in text with at least this many.
MIN_SCHEME_CHINESE_CHARS = 50
NO_STRUCTURE_WARNING = (
    "未识别出文稿结构（没有“一、”“1、”“（一）”“第一部分”“首先”“一是”或单独成行的小标题），"
    "全文作为一个部分导入，请在后台划分部分"
)
ONE_SECTION_HEADING = "正文"
_CHINESE_RE = re.compile(r"[\u4e00-\u9fff]")

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
    number: str = ""  # None-一、 schemes keep the number as printed (“1、”“第一部分”“（一）”, or "")

    @property
    def label(self) -> str:
        return f"第{int_to_cn(self.value)}部分"

    @property
    def printed_number(self) -> str:
        return self.number if self.number is not None else f"{int_to_cn(self.value)}、"


def parse(text: str, *, keep=frozenset(), repair: bool = True) -> Essay:
    """Parse raw essay text (well formatted or damaged) into an ``Essay``.

    ``keep``: ids of the undoable repairs (``cleaning.find_repairs``) the
    editor wants left undone; every other repair is applied. All repairs
    found are listed in ``essay.repairs`` (``essay.kept_repairs`` the kept ones).
    ``repair=False`` looks for none (the text was repaired already, e.g. a
    page before it was split into essays: ``repaired_text``).

    Raises ``EssayError`` (message in Chinese) for empty text or text without
    structure and with fewer than ``MIN_CHINESE_CHARS`` Chinese characters,
    and for nothing else: any unexpected failure is reported as an
    ``EssayError`` too, so callers need to handle one exception only.
    """
    try:
        return _parse(text, frozenset(keep), repair)
    except EssayError:
        raise
    except Exception as error:  # a bug must not become a 500 for the editor
        raise EssayError(f"解析文稿时出现意外错误（{type(error).__name__}），请检查文本格式") from error


def repaired_text(text, keep=frozenset()) -> str:
    """``text`` normalised, with its undoable repairs applied except ``keep`` (the step ``parse`` starts with)."""
    text = cleaning.normalise(_as_text(text), [])
    return cleaning.apply_repairs(text, cleaning.find_repairs(text), frozenset(keep))


def _parse(text, keep: frozenset = frozenset(), repair: bool = True) -> Essay:
    text = _as_text(text)
    warnings: list[str] = []
    text = cleaning.normalise(text, warnings)
    if not text.strip():
        raise EssayError(EMPTY_TEXT)
    repairs = cleaning.find_repairs(text) if repair else []
    text = cleaning.apply_repairs(text, repairs, keep)
    if not text.strip():
        raise EssayError("文本只有网站附加文字，没有正文")
    text = cleaning.remove_page_markers(text, warnings)
    paragraphs = _split_glued_points(cleaning.split_paragraphs(text, warnings))
    start, first_value = _first_section(paragraphs)
    scheme = schemes.choose(paragraphs)
    if scheme is None and start is None and len(split := _split_glued_words(paragraphs)) > len(paragraphs):
        # One run-together paragraph: 首先……其次…… or 一是……二是…… glued after sentence ends.
        scheme = schemes.choose(split)
        paragraphs = split if scheme is not None else paragraphs
    if scheme is not None and start is not None and not _nested_in(scheme, start, paragraphs):
        scheme = None
    if scheme is not None and start is None and not _has_chinese(text, MIN_SCHEME_CHINESE_CHARS):
        raise EssayError(NO_STRUCTURE)

    essay = Essay(warnings=warnings, repairs=repairs, kept_repairs=keep & {r.id for r in repairs})
    if scheme is not None:
        start = scheme.first
    elif start is None:
        if not _has_chinese(text, MIN_CHINESE_CHARS):
            raise EssayError(NO_STRUCTURE)
        start = None
    elif first_value != 1:
        warnings.append(f"文稿似乎是从中间开始的节选（第一个部分是“{int_to_cn(first_value)}、”）")
    if start is None:
        titled = len(paragraphs) > 1 and cleaning.looks_like_title(paragraphs[0])
        front, rest = paragraphs[: int(titled)], paragraphs[int(titled) :]
    else:
        front, rest = paragraphs[:start], paragraphs[start:]
    _read_front_matter(front, essay, warnings)
    tail_org = _take_trailing_author(rest, bool(essay.author_org), warnings)
    essay.author_org = essay.author_org or tail_org
    if scheme is not None:
        sections = _read_scheme_sections(scheme, rest, start, essay, warnings)
    elif start is None:
        warnings.append(NO_STRUCTURE_WARNING)
        sections = [_Section(1, ONE_SECTION_HEADING, list(rest), number="")]
    else:
        sections = _read_sections(rest, warnings, first_value)
    conclusion = _take_conclusion(sections) if sections else []
    if not conclusion and not essay.conclusion:
        warnings.append("未找到结语")
    essay.conclusion = essay.conclusion or "\n".join(conclusion)
    essay.sections = [
        EssaySection(
            number=section.printed_number,
            heading=section.heading,
            kind=guess_kind(section.heading),
            body="\n".join(section.intro),
            points=[EssayPoint(p.number, p.heading, "\n".join(p.body)) for p in section.points],
        )
        for section in sections
    ]
    _check_quotes(paragraphs, warnings)
    return essay


def _has_chinese(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` Chinese characters (stops counting there)."""
    for n, _m in enumerate(_CHINESE_RE.finditer(text), start=1):
        if n >= count:
            return True
    return False


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
    if len(rest) > 2 and not have_org and len(rest[-1]) <= 30 and (m := _ORG_BYLINE_RE.fullmatch(rest[-1])):
        rest.pop()
        warnings.append(f"结尾的“{m.group(0)}”视为作者单位，请核对")
        return m.group(1)
    return ""


# ---------------------------------------------------------------------------
# Sections and points


# A point number inside what would be a heading: the heading ran into its first point.
_RUN_IN_POINT_RE = re.compile(
    rf"(?<=[^\d\s.．])(?:\d{{1,2}}\s*[、．](?!\d)|\d{{1,2}}\.(?![\d.])|[（(](?:{CN_NUMERAL}|\d{{1,2}})[)）])"
)
# In text without line breaks a heading runs into its first sentence: it ends
# after the last of these words before the sentence's first comma or quote.
_HEADING_END_WORDS_RE = re.compile(
    "意义|情况|现状|问题|原因|对策|建议|措施|成效|做法|经验|启示|不足|短板|路径|思考|体会|打算|要求|难点"
    "|举措|目标|任务|方向|成绩|挑战|困难|方法|思路|策略|分析|背景|必要性|重要性|紧迫性|主要内容|基本情况"
)
# … or, for a point's heading (……有待提升部分村党组织书记……), before the
# words that open a sentence of the body and never end a heading.
# (Not after a verb that takes them as its object: 着力解决部分村……)
_BODY_OPENER_RE = re.compile(
    r"(?<![大一绝])(?<!解决)(?<!整顿)(?<!针对)(?<!帮助)(?<!督促)(?<!推动)(?<!指导)(?<!引导)(?<!带动)"
    r"(?:部分|个别|有的|少数|近年来|长期以来|调研中|调研发现|据统计|截至|(?<![有在这那])一些)"
)
_PREDICATE_AFTER_RE = re.compile("仍|还|依然|依旧|尚|下去|写入|得到|有所|日益|逐步|不断|明显|突出")
# A problem heading (……针对性不强, ……来源单一) ends with its predicate, unless
# what follows continues the phrase (薄弱环节, 不强的, 滞后于 …) or its sentence (导致……).
_PROBLEM_END_RE = re.compile(
    "(?:不强|不高|不畅|不到位|不充分|不平衡|不规范|不健全|不完善|不明显|不突出|不稳定|不紧密|不扎实|不深入"
    "|不及时|不严格|单一|滞后|偏低|偏弱|偏大|偏少|偏多|严重|欠缺|缺失|流于形式|走过场|有待加强|有待提高"
    "|亟待加强|老化|弱化|虚化|淡化|边缘化)"
    "(?![的地得、等和与及或化于环节问题现象情况状况倾向])(?!导致|影响|造成|使得|以及|的问题)"
)
# 作用 ends a heading as the head of a noun phrase of four characters or more
# (政治引领作用), not as an object (发挥作用难) nor before its predicate (党员作用充分发挥).
_WEAK_HEADING_END_RE = re.compile(
    "(?<=[\u4e00-\u9fff]{4})(?<!发挥)作用"
    "(?!发挥|不|没|未|有待|还|尚|明显|得到|日益|更加|进一步|突出|弱化|减弱|有限|较|的|充分|难|上|中|下)"
)
# … or, for a verb-phrase heading (强化理论武装, 完善管理机制), before a function
# word that opens the body's first sentence (通过召开座谈会……, 把后备干部……,
# 按照……的要求). Cut only at a word boundary, after a heading of 4–16
# characters that does not open with its subject (党员干部要……) nor end with
# a verb or adverb that takes the word as its object (持续加强对……): see
# ``_verb_phrase_cut``. A plain verb–object run-on (选优配强带头人拓宽选人视野)
# is left uncut: a wrong cut is worse than none.
_VERB_BODY_OPENERS = frozenset(
    (
        "通过",
        "把",
        "按照",
        "围绕",
        "坚持",
        "要",
        "针对",
        "依托",
        "结合",
        "立足",
        "因地制宜",
        "进一步",
        "着力",
        "今年以来",
        "目前",
        "各级",
        "我们",
        "将",
    )
)
# 要 opens the body only before the body's own verb (要坚持……, 要把……), not before the
# heading's predicate (……组织生活要持之以恒, ……要敢于亮剑).
_AFTER_YAO = frozenset(
    "坚持 把 按照 围绕 通过 建立 健全 加强 完善 推动 推进 注重 强化 落实 深化 切实 不断 积极 认真 始终 进一步 充分 "
    "做到 做好 抓好 抓住 树立 牢固树立 聚焦 立足 结合 依托 针对 以 在 从 对 将".split()
)
# A subject that opens the body's clause (各村立足……, 全县共有……), when a predicate follows it.
_SUBJECT_OPENERS = frozenset("全县 全市 全区 全镇 全乡 全省 我县 我市 我区 我镇 我乡 我省 县委 市委 区委".split())
_PREDICATE_TAGS = frozenset({"v", "vd", "d", "ad", "p"})
_VERB_HEADING_MIN = 4
_VERB_HEADING_MAX = 16
# Parts of speech (jieba's tags) a verb-phrase heading neither opens with (a
# subject, a number, a time) nor ends with (a verb, adverb, preposition …).
_NOT_HEADING_START_TAGS = frozenset({"n", "nt", "ns", "r", "rr", "m", "t", "p", "c", "u", "d"})
_NOT_HEADING_END_TAGS = frozenset({"vd", "d", "ad", "p", "c", "u", "r", "m", "q", "f"})
# Verbs that take the function word's phrase as their object (坚持把……, 注重通过……, 紧紧围绕……).
_GOVERNING_WORDS = frozenset(
    "坚持 注重 善于 努力 着力 始终 必须 敢于 不断 探索 主要 积极 加强 强化 紧紧 严格 继续 持续 推动 推进 切实 认真 "
    "进一步 需要 应当 应该 能够 可以 一律 统一 全面 深入 大力".split()
)
_CLAUSE_END_RE = re.compile(r"[，,。；;！？!?：:]")
_RUN_IN_HEADING_MIN = 6
_RUN_IN_CLAUSE_MIN = 16  # a first clause this long, with no pause, may hold a heading and a sentence
_RUN_IN_BODY_MIN = 6
_SENTENCE_IN_TAIL_RE = re.compile(r"[。，,；;！？!?：:]")
RUN_IN_MIN = 120
_SPACE_BODY_MIN = 15  # a heading paragraph this long ran together with its body
_RUN_IN_HEADING_MAX = 30


def _split_heading(text: str) -> tuple[str, str] | None:
    """(heading, rest) split at the first sentence end within ``HEADING_MAX``; None if none and long.

    A point number (1、 （一）) before that end starts the rest. When the
    line breaks were lost (more text follows) a heading that would run past
    ``_RUN_IN_HEADING_MAX`` ends after a heading word (……的建议, ……成效)
    inside its first clause, or before a word that opens a sentence of the
    body (部分, 个别, 近年来 …) in a first clause too long to be a heading alone.
    """
    m = _HEADING_END_RE.search(text, 0, HEADING_MAX + 1)
    limit = m.start() if m else min(len(text), HEADING_MAX + 1)
    point = _RUN_IN_POINT_RE.search(text, 2, limit)
    if point:
        return text[: point.start()].strip(), text[point.start() :].strip()
    pause = re.search(r"[，,“「《]", text[:limit])
    space = text.find(" ", 2, limit)
    if space != -1 and len(text) - space > _SPACE_BODY_MIN:
        # “一、基本情况 全县共有……”: the copy kept a space where the heading's line ended.
        return text[:space].strip(), text[space:].strip()
    if limit > _RUN_IN_HEADING_MAX and (len(text) > limit + 10 or pause):
        window = text[: min(pause.start() if pause else limit, _RUN_IN_HEADING_MAX + 1)]
        ends = [
            w.end()
            for regex in (_HEADING_END_WORDS_RE, _PROBLEM_END_RE)
            for w in regex.finditer(window)
            # ……要求的需要: a modifier; ……问题仍有发生: the heading goes on with its predicate.
            if 4 <= w.end() < len(window) and window[w.end()] != "的" and not _PREDICATE_AFTER_RE.match(window, w.end())
        ]
        ends.sort()
        if ends:
            return text[: ends[-1]].strip(), text[ends[-1] :].strip()
        comma = re.search(r"[，,]", text[:limit])
        clause = comma.start() if comma else limit  # a quotation mark does not end the clause
        opener = _BODY_OPENER_RE.search(window, _RUN_IN_HEADING_MIN) if clause >= _RUN_IN_CLAUSE_MIN else None
        if opener and len(window) - opener.start() >= _RUN_IN_BODY_MIN:
            return text[: opener.start()].strip(), text[opener.start() :].strip()
        weak = [w.end() for w in _WEAK_HEADING_END_RE.finditer(window) if 4 <= w.end() < len(window)]
        if weak:
            return text[: weak[-1]].strip(), text[weak[-1] :].strip()
        cut = _verb_phrase_cut(text, len(window))
        if cut:
            return text[:cut].strip(), text[cut:].strip()
    if m and m.start() > 0:
        tail = text[m.end() :].strip()
        if m.group() in "：:" and tail and len(tail) <= SUBTITLE_MAX and not _SENTENCE_IN_TAIL_RE.search(tail):
            # “强化政治引领：把牢正确方向” alone on its line: the colon starts the heading's subtitle.
            return text.strip(), ""
        if m.group() in "：:" and m.start() <= _VERB_HEADING_MAX and (cut := _run_in_subtitle_end(tail)):
            # … and with the line break lost, the subtitle runs into the body (……：让支部坚强有力各支部把……).
            return f"{text[: m.end()].strip()}{tail[:cut]}", tail[cut:].strip()
        end = m.end() if m.group() in _KEEP_IN_HEADING else m.start()
        return text[:end].strip(), tail
    if len(text) <= HEADING_MAX:
        return text.strip(), ""
    return None


def _verb_phrase_cut(text: str, window: int) -> int | None:
    """Where a verb-phrase heading ends before a function word opening the body (see ``_VERB_BODY_OPENERS``)."""
    words = _tagged_words(text[: min(window, _VERB_HEADING_MAX + 6)])
    position = 0
    for index, (word, _tag) in enumerate(words):
        subject = (word.startswith("各") or word in _SUBJECT_OPENERS) and (
            index + 1 < len(words) and (words[index + 1][1] in _PREDICATE_TAGS or words[index + 1][0] == "要")
        )
        if (
            (word in _VERB_BODY_OPENERS or subject)
            and _VERB_HEADING_MIN <= position <= _VERB_HEADING_MAX
            and index >= 2
            and words[0][1] not in _NOT_HEADING_START_TAGS
            and words[index - 1][1] not in _NOT_HEADING_END_TAGS
            and words[index - 1][0] not in _GOVERNING_WORDS
            and not (word == "结合" and any(w in ("与", "和", "同") for w, _t in words[:index]))  # 党建与业务结合不紧
            and (word != "要" or (index + 1 < len(words) and words[index + 1][0] in _AFTER_YAO))
        ):
            clause_end = _CLAUSE_END_RE.search(text, position)
            if (clause_end.start() if clause_end else len(text)) - position >= _VERB_HEADING_MIN:
                return position
        position += len(word)
    return None


# Words that open the body after a run-in subtitle: a pronoun or 各…/本… subject, a preposition.
_SUBTITLE_BODY_TAGS = frozenset({"r", "p"})
_SUBTITLE_MAX = 12


def _run_in_subtitle_end(tail: str) -> int | None:
    """Where a short subtitle after a heading's colon ends when the body follows it without a break.

    Only when the first clause is too long to be a subtitle alone, the
    subtitle opens like a heading (a verb, not a subject: 全县……, 近年来……
    is a description, i.e. body) and the body opens with a function word, a
    pronoun or a 各… subject at a word boundary 4–12 characters in.
    """
    clause_end = _CLAUSE_END_RE.search(tail)
    if (clause_end.start() if clause_end else len(tail)) <= _RUN_IN_CLAUSE_MIN:
        return None
    words = _tagged_words(tail[: _SUBTITLE_MAX + 4])
    if not words or words[0][1] in _NOT_HEADING_START_TAGS or words[0][1] in ("ns", "nr", "j"):
        return None
    position = 0
    for index, (word, tag) in enumerate(words):
        if index >= 2 and _VERB_HEADING_MIN <= position <= _SUBTITLE_MAX:
            opens_body = word in _VERB_BODY_OPENERS or tag in _SUBTITLE_BODY_TAGS or word.startswith("各")
            if opens_body and words[index - 1][0] not in _GOVERNING_WORDS:
                return position
        position += len(word)
    return None


def _tagged_words(text: str) -> list[tuple[str, str]]:
    """(word, part of speech) by jieba (rjieba), loaded on first need: only run-in headings ask."""
    import rjieba

    return rjieba.tag(text)


def _first_section(paragraphs: list[str]) -> tuple[int | None, int]:
    """(index, value) of the first 一、 section; an excerpt may start at a later number."""
    found = [(i, m[0]) for i, p in enumerate(paragraphs) if p[0] in SECTION_START and (m := match_section(p))]
    for index, value in found:
        if value == 1:
            return index, 1
    last_index = {value: index for index, value in found}
    for index, value in found:
        if last_index.get(value + 1, -1) > index:
            return index, value
    if found:  # an excerpt holding one part (三、对策建议), maybe after the end of another
        return found[0]
    return None, 1


def _nested_in(scheme: schemes.Scheme, start: int, paragraphs: list[str]) -> bool:
    """Whether ``scheme`` is the top level around 一、 sections (第一部分 … 一、 … 第二部分)."""
    if scheme.name not in schemes.NUMBERED_NAMES:  # 首先, 一是, headings on their own line never wrap 一、
        return False
    return scheme.first < start and any(item.index > start for item in scheme.items)


_GLUED_POINT_RE = re.compile(r"(?<=[。！？!?])\s*(?=\d{1,2}\s*[、．](?!\d)|\d{1,2}\.(?![\d.])|[（(]\d{1,2}[)）])")
# Word schemes (首先……其次……, 第一，……第二，……, 一是……二是……) glued after a sentence end: split
# only in a text that lost its line breaks and shows no numbered structure (see ``_split_glued_words``).
_GLUED_WORD_RE = re.compile(
    rf"(?<=[。！？!?])\s*(?=(?:首先|其次|再次|最后|第{CN_NUMERAL})\s*[，,、：:]|{CN_NUMERAL}是)"
)
_RUN_TOGETHER_SHARE = 0.6


def _split_glued_points(paragraphs: list[str]) -> list[str]:
    """In long paragraphs (line breaks lost) 2、 or （2） right after a sentence end starts a paragraph."""
    out = []
    for paragraph in paragraphs:
        # Long paragraphs, and a section heading line holding text (一、……作用1、……。2、……).
        if len(paragraph) > RUN_IN_MIN or (paragraph[0] in SECTION_START and match_section(paragraph)):
            out.extend(piece.strip() for piece in _GLUED_POINT_RE.split(paragraph) if piece.strip())
        else:
            out.append(paragraph)
    return out


def _split_glued_words(paragraphs: list[str]) -> list[str]:
    """The paragraphs with word-scheme markers glued after a sentence end split off, in the paragraph
    that holds most of the text (its line breaks were lost); ``paragraphs`` itself when there is none."""
    total = sum(map(len, paragraphs))
    out = []
    for paragraph in paragraphs:
        if len(paragraph) > RUN_IN_MIN and len(paragraph) >= _RUN_TOGETHER_SHARE * total:
            out.extend(piece.strip() for piece in _GLUED_WORD_RE.split(paragraph) if piece.strip())
        else:
            out.append(paragraph)
    return out


def _read_scheme_sections(
    scheme: schemes.Scheme, rest: list[str], start: int, essay: Essay, warnings: list[str]
) -> list[_Section]:
    """Sections of a top level that is not 一、 (``schemes``); ``rest`` starts at the first item."""
    by_index = {item.index - start: item for item in scheme.items}
    sections: list[_Section] = []
    if scheme.items[0].value != 1 and scheme.name not in ("headline", "qa", "yishi", "ordinal"):
        warnings.append(f"文稿似乎是从中间开始的节选（第一个部分是“{scheme.items[0].number}”）")
    for offset, paragraph in enumerate(rest):
        item = by_index.get(offset)
        if item is None:
            if sections:
                body = schemes.strip_answer(paragraph) if scheme.name == "qa" else paragraph
                sections[-1].intro.append(body)
            continue
        section = _Section(item.value, "", number=item.number)
        if scheme.name == "headline":
            section.heading = paragraph
        elif scheme.name == "qa":
            question, _, answer = item.rest.partition("？") if "？" in item.rest else (item.rest, "", "")
            section.heading = question + ("？" if _ else "")
            if answer.strip():
                section.intro.append(schemes.strip_answer(answer.strip()))
        elif scheme.name == "yishi":
            m = re.search(r"[，,。；;：:！？]", paragraph)
            cut = m.start() if m and m.start() <= HEADING_MAX else None
            section.heading = paragraph[:cut] if cut else paragraph[:HEADING_MAX]
            remainder = paragraph[cut + 1 :] if cut else paragraph[HEADING_MAX:]
            if remainder.strip():
                section.intro.append(remainder.strip())
        else:
            rest_text = item.rest if scheme.name != "ordinal" else paragraph
            split = _split_heading(rest_text)
            if split is None or not split[0]:
                split = (rest_text[:HEADING_MAX], rest_text[HEADING_MAX:])
                warnings.append(f"“{item.number}{split[0]}……”的标题过长，请核对是否混入了正文")
            section.heading, first_body = split
            if first_body:
                section.intro.append(first_body)
        sections.append(section)
    if scheme.name == "headline":
        sections = _intro_body_end(sections, essay)
    excluded = {"cn_paren": CN_PAREN, "ar_dun": AR_DUN, "ar_dot": AR_DOT, "ar_fdot": AR_DOT}.get(scheme.name)
    for section in sections:
        if scheme.name in ("qa", "yishi") or section.points:
            continue
        _read_points(section, warnings, exclude=excluded, bare=False)
    return sections


def _intro_body_end(sections: list[_Section], essay: Essay) -> list[_Section]:
    """引言 → lead, 结语 → conclusion; the headings under 主体 become its points."""
    kept: list[_Section] = []
    body: _Section | None = None
    for section in sections:
        if section.heading in schemes.INTRO_WORDS and not kept and body is None:
            essay.lead = "\n".join(filter(None, [essay.lead, *section.intro]))
        elif section.heading in schemes.END_WORDS and section is sections[-1]:
            essay.conclusion = "\n".join(section.intro)
        elif section.heading in schemes.BODY_WORDS:
            body = section
            kept.append(section)
        elif body is not None:
            body.points.append(_Point("", section.heading, section.intro))
        else:
            kept.append(section)
    return kept


def _read_sections(paragraphs: list[str], warnings: list[str], first_value: int = 1) -> list[_Section]:
    sections: list[_Section] = []
    expected = first_value
    for paragraph in paragraphs:
        m = match_section(paragraph) if paragraph[0] in SECTION_START else None
        if m and ((not sections and m[0] == first_value) or (sections and expected <= m[0] <= expected + 2)):
            value, rest = m
            if value != expected:
                warnings.append(f"部分编号从“{int_to_cn(expected - 1)}、”跳到了“{int_to_cn(value)}、”，可能漏掉了内容")
            section = _Section(value, "", number=None)
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


def _read_points(section: _Section, warnings: list[str], exclude: PointStyle | None = None, bare=True) -> None:
    paragraphs, section.intro = section.intro, []
    style = _detect_style(paragraphs) if bare else _detect_other_style(paragraphs, exclude)
    if style is not None:
        _read_explicit_points(section, paragraphs, style, warnings)
    elif bare:
        _read_bare_points(section, paragraphs, warnings)
    else:
        section.intro = paragraphs


def _detect_other_style(paragraphs: list[str], exclude: PointStyle | None) -> PointStyle | None:
    """The point style under a top level that is not 一、: any explicit style but the top level's own."""
    numbered = [p for p in paragraphs if p[0] in _NUMBER_START or p[0].isdigit()]
    for style in (CN_PAREN, DOTTED, *EXPLICIT_STYLES[1:]):
        if style is exclude:
            continue
        if any((m := style.match(p)) and m[0] == 1 for p in numbered):
            return style
    return None


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
            label = dotted_label(paragraph, value) if style is DOTTED else style.label(value)
            if style is CN_PAREN and paragraph.startswith("（"):
                label = f"（{int_to_cn(value)}）"  # the official full-width style, as written
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
    # A quotation of several paragraphs opens each of them with “ and closes only the last (GB/T 15834).
    opening -= sum(
        1
        for before, after in itertools.pairwise(paragraphs)
        if after[:1] == "“" and before.count("“") > before.count("”")
    )
    if opening != closing:
        warnings.append(f"引号不成对（左引号{opening}个，右引号{closing}个），可能丢失了引号，请校对")
