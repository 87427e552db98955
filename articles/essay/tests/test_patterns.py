"""Rule patterns run on RE2: linear time whatever the pattern, Python's
spelling and Python's Unicode meaning of \\s \\d \\w kept, what RE2 cannot
run refused with a Chinese message, positions counted in characters."""

import functools
import re
import sys

import pytest
import re2

from articles.essay.patterns import MAX_PATTERN_LENGTH, PatternError, Text, compile_pattern


def spans(pattern, text, **options):
    encoded = Text(text)
    return [
        (encoded.char_index(start), encoded.char_index(end))
        for start, end in compile_pattern(pattern, **options).spans(encoded)
    ]


# --- linear time ---------------------------------------------------------------


def test_a_catastrophic_pattern_is_compiled_by_the_linear_time_engine():
    # (.*.*)*ZZZ takes Python's backtracking engine exponential time on a
    # line without ZZZ; RE2 never backtracks.
    pattern = compile_pattern("(.*.*)*ZZZ")
    assert isinstance(pattern.regexp, re2._Regexp)
    assert spans("(.*.*)*ZZZ", "基层党建" * 5000) == []


@pytest.mark.parametrize("source", [r".{0,999}Z", r"(.{0,30}){0,30}Z", r"(?:\p{Han}|\pP){75,150}Z"])
def test_a_pattern_whose_automaton_is_too_big_to_scan_quickly_is_refused(source):
    # Linear, but with a constant that grows with the compiled program: these
    # took 3-25 s on 200,000 characters of Chinese text.
    with pytest.raises(PatternError, match="过于复杂"):
        compile_pattern(source)


def test_a_pattern_longer_than_the_bound_is_refused():
    with pytest.raises(PatternError, match=f"上限 {MAX_PATTERN_LENGTH}"):
        compile_pattern("党建" * (MAX_PATTERN_LENGTH // 2 + 1))


# --- refused: what RE2 cannot run, said in Chinese -----------------------------


@pytest.mark.parametrize(
    "source, words",
    [
        ("开展(?!活动)", "环视"),
        ("(?<![督敦])促", "环视"),
        ("(?=党)", "环视"),
        ("(?<=党)建", "环视"),
        (r"(党)\1", "反向引用"),
        ("(?P<w>党)(?P=w)", "反向引用"),
        (r"\b党建\b", r"\b"),
        (r"党\B", r"\b"),
        (r"\w+", r"\w"),
        (r"[\W]", r"\w"),
        (r"[^\S，]", "方括号"),
        ("科学(开展", "缺少 )"),
        ("[的", "缺少 ]"),
        ("效{2,1}", "重复次数"),
        ("效{1001}", "重复次数"),
        ("**", "重复符号"),
        ("效\\", "反斜杠"),
        ("(?#注释)", "不支持的写法"),
    ],
)
def test_what_re2_cannot_run_is_refused_with_a_chinese_message(source, words):
    with pytest.raises(PatternError) as caught:
        compile_pattern(source)
    message = str(caught.value)
    assert words in message
    assert not re.search("[a-z]{4,}", message.replace(source, "")), message  # no English left


def test_re2_logs_nothing_for_a_refused_pattern(capfd):
    with pytest.raises(PatternError):
        compile_pattern("(?<!a)b")
    assert capfd.readouterr().err == ""


# --- Python's spelling, Python's meaning ---------------------------------------


@pytest.mark.parametrize(
    "source, text, expected",
    [
        (r"党要管党[、,\uff0c]", "党要管党，从严治党", [(0, 5)]),  # \uXXXX as in the shipped rules
        (r"\U0001F600", "笑😀", [(1, 2)]),
        (r"治党\Z", "从严治党", [(2, 4)]),  # Python's end of text
        (r"党{,2}建", "党党党建", [(1, 4)]),  # Python reads {,2} as {0,2}
        (r"\，", "是，的", [(1, 2)]),  # a needless escape of a Chinese mark
        (r"[\d]+号", "第１２号", [(1, 4)]),
        (r"党\s建", "党\u3000建", [(0, 3)]),
    ],
)
def test_python_spellings_mean_what_they_mean_in_python(source, text, expected):
    assert spans(source, text) == expected
    assert [m.span() for m in re.finditer(source, text)] == expected


@functools.lru_cache(maxsize=2)
def _characters(assigned_only=False):
    # Every code point but the surrogates, which no text the portal stores holds;
    # with assigned_only, those assigned in Python's Unicode database (RE2's
    # tables are newer: digits added since are digits to RE2 only).
    import unicodedata

    everything = (chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    return "".join(c for c in everything if not assigned_only or unicodedata.category(c) != "Cn")


@pytest.mark.parametrize("escape", [r"\s", r"\S", r"[\s，]"])
def test_the_space_class_matches_exactly_what_pythons_matches(escape):
    # RE2's \s is ASCII-only: the ideographic space (U+3000) would silently stop matching.
    # Runs of matching characters: the same runs if and only if the same characters.
    everything = _characters()
    assert spans(escape + "+", everything) == [m.span() for m in re.finditer(escape + "+", everything)]


@pytest.mark.parametrize("escape", [r"\d", r"\D", r"[\d，]", r"[^\D]"])
def test_the_digit_class_matches_what_pythons_matches_on_every_character_python_knows(escape):
    # RE2's \d is [0-9]: full-width digits (１２) would silently stop matching.
    known = _characters(assigned_only=True)
    assert spans(escape + "+", known) == [m.span() for m in re.finditer(escape + "+", known)]


def test_case_is_folded_for_full_width_latin_letters_too():
    assert spans("(?i)ｐｐｔ", "制作ＰＰＴ课件") == [(2, 5)]
    assert spans("(?i)ppt", "制作PPT课件") == [(2, 5)]


# --- positions are characters, not bytes ----------------------------------------


def test_positions_are_character_offsets_in_text_with_one_to_four_byte_characters():
    text = "a党😀b发展é发展"
    assert spans("发展", text) == [(4, 6), (7, 9)]
    encoded = Text(text)
    assert [encoded.char_index(encoded.byte_offset(i)) for i in range(len(text) + 1)] == list(range(len(text) + 1))


def test_ascii_text_needs_no_offset_table():
    encoded = Text("plain ascii")
    assert encoded.char_index(6) == 6 and encoded.byte_offset(6) == 6
    assert encoded._starts is None


def test_a_lone_surrogate_does_not_break_matching_or_positions():
    assert spans("发展", "\ud800发展") == [(1, 3)]


# --- contexts: windows around a match ---------------------------------------


def test_a_context_after_is_matched_within_its_window_and_sees_the_real_end_of_text():
    after = compile_pattern("(工作|$)")
    text = Text("开展工作，开展")
    assert after.matches_at(text, text.byte_offset(2), 40)
    assert after.matches_at(text, text.byte_offset(7), 40)  # $ is the end of the text …
    assert not after.matches_at(text, text.byte_offset(5), 1)  # … not the end of the window
    assert not compile_pattern("工作").matches_at(text, text.byte_offset(2), 1)


def test_a_context_before_must_end_at_the_match_and_start_within_the_window():
    before = compile_pattern("经济(社会)?", anchor_end=True)
    text = Text("经济社会开展，经济开展，社会开展")
    assert before.ends_at(text, text.byte_offset(4), 40)
    assert before.ends_at(text, text.byte_offset(9), 40)
    assert not before.ends_at(text, text.byte_offset(14), 40)
    assert not before.ends_at(text, text.byte_offset(4), 3)  # 经济社会 is four characters back


def test_caret_in_a_context_before_means_the_start_of_the_text_not_of_the_window():
    before = compile_pattern("^.{0,3}", anchor_end=True)
    text = Text("一二三四五六七八九十")
    assert before.ends_at(text, text.byte_offset(3), 3)
    assert not before.ends_at(text, text.byte_offset(7), 3)


def test_the_essay_package_with_its_regex_engine_loads_without_django():
    import subprocess
    from pathlib import Path

    code = "import sys, articles.essay.proofreading, articles.essay.patterns; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
