"""replace_in_html: a fix made at plain-text offsets (html_to_text) in the rich text itself."""

import pytest

from articles.text import html_to_text, replace_in_html

HTML = "<p>我们要  <strong>效劳</strong>群众&amp;党群效劳中心</p>\n<p>第二段&nbsp;路途</p>"


def at(word, nth=0, html=HTML):
    text = html_to_text(html)
    index = -1
    for _ in range(nth + 1):
        index = text.index(word, index + 1)
    return index


def test_a_word_inside_formatting_keeps_the_formatting():
    start = at("效劳")
    assert replace_in_html(HTML, start, start + 2, "效劳", "服务") == HTML.replace(
        "<strong>效劳</strong>", "<strong>服务</strong>"
    )


def test_offsets_count_entities_and_collapsed_spaces_as_the_plain_text_does():
    start = at("效劳", 1)
    assert "党群服务中心" in replace_in_html(HTML, start, start + 2, "效劳", "服务")
    start = at("路途")
    assert replace_in_html(HTML, start, start + 2, "路途", "路线").endswith("第二段&nbsp;路线</p>")


def test_insertion_and_deletion():
    text = html_to_text(HTML)
    assert replace_in_html(HTML, len(text), len(text), "", "。").endswith("路途。</p>")
    start = at("群众")
    assert "<strong>效劳</strong>&amp;" in replace_in_html(HTML, start, start + 2, "群众", "")


def test_the_replacement_is_escaped():
    start = at("路途")
    assert "&lt;b&gt;" in replace_in_html(HTML, start, start + 2, "路途", "<b>")


@pytest.mark.parametrize(
    ("start", "end", "original"),
    [
        (0, 2, "他们"),  # not what the text holds there: the text changed since
        (-1, 2, "我们"),
        (0, 999, "我们"),
    ],
)
def test_a_fix_that_does_not_describe_the_text_is_refused(start, end, original):
    assert replace_in_html(HTML, start, end, original, "x") is None


def test_a_span_across_markup_is_refused():
    html = "<p>党群<em>效劳</em>中心</p>"
    assert replace_in_html(html, 1, 3, "群效", "群服") is None
