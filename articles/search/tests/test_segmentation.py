"""Segmentation and query parsing: pure Python, no database."""

import pytest

from articles.search.segmentation import (
    MAX_CLAUSES,
    MAX_QUERY_LENGTH,
    Dictionary,
    Token,
    get_segmenter,
    index_tokens,
    index_tokens_of,
    normalize,
    parse_query,
    phrase_literal,
)

HOSTILE = [
    "",
    " ",
    "\x00",
    "党建\x00工作",
    "\ud800",
    "党建\udfff",
    "😀" * 30,
    "& | ! : * ( ) ' \" \\ NEAR AND OR NOT",
    "'党建' & !'党员' | 基层:*",
    'NEAR("党建" "党员", 2) OR 党建*',
    "\u202e\u200f\u200b党建",
    "\r\n\t",
    "x" * 10_000,
    "党" * 10_000,
    "{{ 7|add:7 }} <script>alert(1)</script>",
    "%ED%A0%80 %00",
]


def test_the_segmenter_is_built_once_per_process():
    assert get_segmenter() is get_segmenter()


@pytest.mark.parametrize("term", ["两学一做", "三会一课", "科学发展观", "全面从严治党", "十三五", "基层党组织"])
def test_dictionary_terms_stay_whole_in_any_context(term):
    for text in (f"要深入推进{term}工作", f"在{term}中发挥了作用", term):
        assert term in index_tokens(text), text


def test_inner_words_are_indexed_so_two_character_words_find_longer_ones():
    tokens = index_tokens("当前基层党建工作存在的问题及对策建议")
    assert {"基层党建", "基层", "党建", "工作", "对策", "建议"} <= set(tokens)
    assert "党建" in index_tokens("全面加强党建引领")
    assert {"从严治党", "全面"} <= set(index_tokens("全面从严治党"))


def test_stopwords_and_punctuation_are_not_tokens():
    tokens = index_tokens("群众的利益，和干部的作风。")
    assert "的" not in tokens and "和" not in tokens
    assert "，" not in tokens and "。" not in tokens
    assert {"群众", "利益", "干部", "作风"} <= set(tokens)


def test_width_and_case_are_folded():
    assert normalize("ＡＢＣ１２３　Ｘ") == "abc123 x"
    assert "abc123" in index_tokens("ＡＢＣ１２３党建")
    assert index_tokens("Email") == index_tokens("ｅｍａｉｌ") == ["email"]


def test_overlong_runs_are_not_tokens():
    assert index_tokens("x" * 500) == []
    assert "党建" in index_tokens("x" * 500 + " 党建")


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_never_raises(text):
    tokens = index_tokens(text)
    assert all(token and "\x00" not in token for token in tokens)
    parsed = parse_query(text)
    for clause in parsed.clauses:
        for group in clause.alternatives:
            for token in group:
                assert token.text.isalnum(), token


def test_operators_of_search_syntaxes_are_not_syntax():
    parsed = parse_query("党建 & | ! : * ( ) ' \\ NEAR AND OR NOT 党员")
    words = [clause.words for clause in parsed.clauses]
    assert words == [["党建"], ["党员"]]


def test_nothing_searchable_gives_an_empty_query():
    for text in ("", "   ", "😀😀", "\x00", "，。！", "的", "and or"):
        assert not parse_query(text), text


def test_a_fixed_term_is_one_clause_with_one_token():
    (clause,) = parse_query("科学发展观").clauses
    assert clause.alternatives == ((Token("科学发展观"),),)


def test_a_compound_matches_itself_or_all_its_parts():
    (clause,) = parse_query("党员教育").clauses
    assert clause.alternatives == ((Token("党员教育"),), (Token("党员"), Token("教育")))


def test_several_words_are_all_required():
    parsed = parse_query("基层党组织  凝聚力 战斗力")
    assert [clause.words for clause in parsed.clauses] == [["基层党组织"], ["凝聚力"], ["战斗力"]]


def test_a_single_character_matches_words_starting_with_it():
    (clause,) = parse_query("党").clauses
    assert clause.alternatives == ((Token("党", prefix=True),),)


@pytest.mark.parametrize("query", ['"党建工作"', "“党建工作”", "「党建工作」", "『党建工作』"])
def test_quoted_phrases_are_literal_and_narrowed_by_their_words(query):
    parsed = parse_query(query)
    assert parsed.phrases == ("党建工作",)
    assert all(clause.in_phrase for clause in parsed.clauses)
    assert parsed.highlight_terms == ["党建工作"]


def test_a_phrase_keeps_full_width_punctuation_and_drops_control_characters():
    assert phrase_literal("党建，\x00工作ABC") == "党建， 工作ABC"
    assert parse_query("“党建，工作”").phrases == ("党建，工作",)


def test_an_unclosed_quote_is_just_a_character():
    parsed = parse_query('"党建工作')
    assert not parsed.phrases
    assert parsed.clauses


def test_long_queries_are_cut_not_refused():
    parsed = parse_query("党员 " * 1000 + "基层")
    assert parsed.truncated
    assert len(parse_query("x" * (MAX_QUERY_LENGTH + 1)).clauses) == 0
    many = parse_query(
        " ".join(
            ["党员", "基层", "组织", "建设", "教育", "管理", "制度", "作风", "群众", "服务", "考核", "经费", "阵地"]
        )
    )
    assert len(many.clauses) == MAX_CLAUSES and many.truncated


def test_highlight_terms_are_longest_first():
    terms = parse_query("党员教育 基层").highlight_terms
    assert terms == sorted(terms, key=len, reverse=True)
    assert set(terms) == {"党员教育", "党员", "教育", "基层"}


@pytest.mark.parametrize(
    "text, query",
    [
        ("深入学习实践科学发展观", "科学发展观"),
        ("加强党员教育管理", "党员教育"),
        ("党员的教育和管理", "党员教育"),
        ("基层党建工作的重要意义", "党建"),
        ("推进“两学一做”学习教育常态化制度化", "两学一做"),
        ("发挥党组织的战斗堡垒作用", "战斗堡垒"),
        ("海西州纪律检查委员会", "海西州"),
        ("2024年ＡＰＰ上线", "app"),
    ],
)
def test_what_a_reader_types_matches_the_text_it_came_from(text, query):
    tokens = set(index_tokens(text))
    for clause in parse_query(query).clauses:
        assert any(
            all(t.text in tokens or (t.prefix and any(x.startswith(t.text) for x in tokens)) for t in group)
            for group in clause.alternatives
        ), (text, query, clause)


def test_dictionary_file_format():
    dictionary = Dictionary.parse("# 注释\n两学一做\n党员教育 = 党员 教育  # 复合词\n\n")
    assert dictionary.terms == ("两学一做",)
    assert dictionary.compounds == {"党员教育": ("党员", "教育")}
    with pytest.raises(ValueError, match="第 1 行"):
        Dictionary.parse("党员教育 = 党员 教学")
    with pytest.raises(ValueError, match="第 2 行"):
        Dictionary.parse("两学一做\n不忘初心、牢记使命")


def test_the_shipped_dictionary_loads():
    dictionary = get_segmenter().dictionary
    assert "科学发展观" in dictionary.terms
    assert dictionary.compounds["党员教育"] == ("党员", "教育")


def test_segmenting_texts_together_gives_the_same_tokens_as_one_by_one():
    texts = ["当前基层党建工作", "", "党员教育\n管理\r\n制度", "ＡＢＣ e-mail", "的", "科学发展观", " \n "]
    assert index_tokens_of(texts) == [index_tokens(text) for text in texts]


# ---------------------------------------------------------------- display breaks (titles)


def pieces(text):
    from articles.search.segmentation import display_words

    return display_words(text)


def test_titles_break_between_words_only():
    assert pieces("当前基层党建工作存在的问题及对策建议") == [
        "当前",
        "基层党建",
        "工作",
        "存在",
        "的",
        "问题",
        "及",
        "对策",
        "建议",
    ]


@pytest.mark.parametrize(
    ("title", "whole"),
    [
        ("以2026年12月3日座谈会为例", "2026年12月3日"),
        ("新时代农村党建的实践路径（2025年度）", "（2025年度）"),
        ("社区党建的3点做法", "3点"),
        ("第十四届党建论坛综述", "第十四届"),
        ("85%的党员参与志愿服务", "85%"),
        ("推进“三会一课”制度落实的几点思考", "“三会一课”"),
        ("深入学习《党章》的体会", "《党章》"),
        ("浅谈十四五时期的基层治理", "十四五"),  # a term of the field dictionary
    ],
)
def test_dates_numbers_and_short_terms_stay_whole(title, whole):
    assert whole in pieces(title)


def test_punctuation_stays_with_its_word():
    words = pieces("关于“两学一做”学习教育的思考——以某社区为例，兼谈对策。")
    assert "".join(words) == "关于“两学一做”学习教育的思考——以某社区为例，兼谈对策。"
    for word in words:
        assert word[0] not in "”）》，。、；：？！…", word  # nothing a line must not start with
        assert word[-1] not in "“（《", word  # nothing a line must not end with
    assert "为例，" in words and "对策。" in words
    assert not any(set(word) == {"—"} and len(word) == 1 for word in words)  # —— is not cut in two


@pytest.mark.parametrize("text", HOSTILE)
def test_display_breaks_take_anything(text):
    from articles.search.segmentation import display_breaks

    breaks = display_breaks(text)
    assert list(breaks) == sorted(set(breaks))
    assert all(0 < offset < len(text) for offset in breaks)
    if "\ud800" not in text and "\udfff" not in text:
        assert "".join(pieces(text)) == text
