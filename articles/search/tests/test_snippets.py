"""Snippets and highlights: cut from the original text, escaped, marked. Pure Python."""

from articles.search.snippets import ELLIPSIS, SNIPPET_LENGTH, find_matches, highlight, snippet


def test_highlight_marks_every_term_and_escapes_the_rest():
    html = highlight("<b>基层党建</b> & 党员", ["党建", "党员"])
    assert html == "&lt;b&gt;基层<mark>党建</mark>&lt;/b&gt; &amp; <mark>党员</mark>"


def test_terms_in_the_text_are_escaped_inside_marks_too():
    assert highlight("a<b 党建", ["a<b"]) == "<mark>a&lt;b</mark> 党建"


def test_longest_term_wins_where_terms_overlap():
    assert highlight("加强党员教育管理", ["党员", "党员教育", "教育"]) == "加强<mark>党员教育</mark>管理"


def test_matching_folds_width_and_case_but_shows_the_original():
    assert highlight("使用ＡＰＰ办理", ["app"]) == "使用<mark>ＡＰＰ</mark>办理"
    assert highlight("Smart 党建", ["smart"]) == "<mark>Smart</mark> 党建"


def test_no_terms_or_no_text():
    assert highlight("党建", []) == "党建"
    assert snippet("", ["党建"]) == ""
    assert find_matches("党建", ["", "  "]) == []


def test_snippet_is_cut_around_the_best_place():
    filler = "这是一段与主题无关的文字。" * 30
    text = filler + "要抓好党员教育，加强基层党建。" + filler
    html = snippet(text, ["党员教育", "党建"])
    assert "<mark>党员教育</mark>" in html and "<mark>党建</mark>" in html
    assert html.startswith(ELLIPSIS) and html.endswith(ELLIPSIS)
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET_LENGTH + 40


def test_snippet_prefers_the_place_with_more_different_terms():
    text = "党建" + "。无关的话" * 40 + "党建和乡村振兴结合起来。" + "无关的话。" * 40
    html = snippet(text, ["党建", "乡村振兴"])
    assert "<mark>乡村振兴</mark>" in html


def test_snippet_without_a_match_is_the_beginning():
    html = snippet("第一句话。" * 50, ["不存在"])
    assert html.startswith("第一句话。") and html.endswith(ELLIPSIS)


def test_snippet_escapes_markup_in_the_essay_text():
    html = snippet("<script>alert('党建')</script> 党建工作", ["党建"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<mark>") == 2


def test_snippet_is_one_line():
    assert "\n" not in snippet("一、标题\n\n正文 党建\n结语", ["党建"])


def test_a_word_cut_by_the_end_of_the_window_is_shown_whole():
    text = "甲" * (SNIPPET_LENGTH - 1) + "科学发展观" + "乙" * 50
    assert "<mark>科学发展观</mark>" in snippet(text, ["科学发展观"])
