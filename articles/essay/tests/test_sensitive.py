"""The sensitive-word and names matcher (articles/essay/sensitive.py), without Django."""

from articles.essay.sensitive import LEADER, REMOVED, SENSITIVE, Term, TermMatcher

LISTS = [
    Term(SENSITIVE, "内部资料", replacement="有关资料"),
    Term(SENSITIVE, "绝密", replacement=""),
    Term(REMOVED, "赵某某", note="2025 年免职"),
    Term(LEADER, "张明远", title="省委书记"),
    Term(LEADER, "李清华", title="市委副书记"),
]


def found(text, terms=LISTS):
    return [(f.rule, f.original, f.suggestion) for f in TermMatcher(terms).findings(text)]


def test_a_sensitive_word_is_flagged_with_its_replacement():
    text = "会上传达了内部资料，要求各支部认真学习。"
    [finding] = TermMatcher(LISTS).findings(text)
    assert (finding.start, finding.end) == (5, 9)
    assert finding.suggestion == "有关资料"
    assert finding.severity == "political" and finding.category == "sensitive"
    assert "建议改为“有关资料”" in finding.explanation


def test_a_word_without_replacement_is_advisory():
    assert found("此件为绝密件。") == [("sensitive-word", "绝密", "绝密")]


def test_a_removed_officials_name_is_flagged_wherever_it_appears():
    [finding] = TermMatcher(LISTS).findings("在赵某某同志的关心下，支部建设取得成效。")
    assert finding.rule == "removed-official"
    assert "已免职人员名单" in finding.explanation and "2025 年免职" in finding.explanation


def test_a_leader_with_a_wrong_title_is_flagged():
    assert found("省委副书记张明远到村调研。") == [("leader-title", "省委副书记张明远", "省委书记张明远")]
    assert found("在市委书记李清华的带领下，全市基层党建扎实推进。") == [
        ("leader-title", "市委书记李清华", "市委副书记李清华")
    ]


def test_a_leader_with_the_right_title_or_none_is_not_flagged():
    assert found("省委书记张明远到村调研。") == []
    assert found("在省委书记张明远的带领下。") == []
    assert found("张明远同志指出，要抓好党建。") == []
    assert found("会上，张明远书记强调。") == []
    assert found("书记张明远强调。") == []  # the title abbreviated
    assert found("原市长张明远。") == []  # a former title is history


def test_an_empty_list_finds_nothing():
    assert TermMatcher([]).findings("内部资料") == []


def test_ten_thousand_entries_scan_in_one_pass():
    terms = [Term(SENSITIVE, f"词{i:05d}", replacement="替换") for i in range(10_000)]
    matcher = TermMatcher(terms + LISTS)
    text = "基层党建工作" * 2000 + "词04321" + "内部资料"
    assert [f.original for f in matcher.findings(text)] == ["词04321", "内部资料"]


def test_matches_are_whole_characters_and_the_longest_wins():
    # U+594E U+4E19 is "594e4e19" in hexadecimal: U+4E4E ("4e4e") lies across the boundary,
    # and so does U+E4E1 ("e4e1", one hexadecimal digit off).
    straddling = "\u594e\u4e19"
    terms = [
        Term(SENSITIVE, "\u4e4e"),
        Term(SENSITIVE, "\ue4e1"),
        Term(SENSITIVE, "内部"),
        Term(SENSITIVE, "内部资料", replacement="有关资料"),
    ]
    matcher = TermMatcher(terms)
    assert matcher.findings(straddling) == []
    assert [(f.original, f.suggestion) for f in matcher.findings("传达内部资料")] == [("内部资料", "有关资料")]


def test_characters_beyond_the_basic_plane_keep_offsets_right():
    matcher = TermMatcher([Term(SENSITIVE, "内部资料", replacement="有关资料"), Term(SENSITIVE, "𠀀字")])
    [first, second] = matcher.findings("𠀀字和𠀁字，传达内部资料")
    assert (first.original, first.start) == ("𠀀字", 0)
    assert (second.original, second.start) == ("内部资料", 8)
