"""Titles break across lines only between words (issue 25): ``word_breaks`` on every title rendering."""

import re

import pytest
from django.template import Context, Template
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

from articles.reading import renditions
from articles.templatetags.titles import title_html, word_breaks
from articles.tests.factories import make_article, make_topic

TITLE = "当前基层党建工作存在的问题及对策建议"
BROKEN = "当前<wbr>基层党建<wbr>工作<wbr>存在<wbr>的<wbr>问题<wbr>及<wbr>对策<wbr>建议"


def test_the_filter_writes_wbr_between_words():
    assert word_breaks(TITLE) == BROKEN
    assert isinstance(word_breaks(TITLE), SafeData)


@pytest.mark.parametrize(
    "hostile",
    [
        '<script>alert("党建")</script>工作存在的问题',
        "<img src=x onerror=alert(1)>基层党建",
        "党建&amp;工作 & 党员\"教育'",
        "{{ 7|add:7 }}{% now 'Y' %}党建工作",
        "党建<wbr>工作",
    ],
)
def test_the_filter_escapes_every_piece(hostile):
    html = str(word_breaks(hostile))
    # Taking the <wbr> out leaves exactly the escaped title: nothing else was added or left raw.
    assert html.replace("<wbr>", "") == escape(hostile)
    assert "<script" not in html and "<img" not in html
    assert re.sub(r"<wbr>", "", html).count("<") == 0


def test_the_filter_in_a_template_is_not_escaped_twice():
    template = Template("{% load titles %}<h1>{{ title|word_breaks }}</h1>")
    assert template.render(Context({"title": TITLE + "<b>"})) == f"<h1>{BROKEN}&lt;b&gt;</h1>"


def test_already_safe_markup_is_left_alone():
    marked = mark_safe("<mark>党建</mark>工作")
    assert word_breaks(marked) is marked
    assert word_breaks(None) == "" and word_breaks("") == ""


def test_each_title_is_segmented_once():
    title_html.cache_clear()
    word_breaks(TITLE)
    word_breaks(TITLE)
    info = title_html.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_the_stored_essay_page_depends_on_the_dictionary(tmp_path, monkeypatch, settings):
    """A new dictionary places the breaks elsewhere: stored pages are rendered again."""
    before = renditions.code_version()
    (tmp_path / "articles/search/dictionary").mkdir(parents=True)
    (tmp_path / "articles/search/dictionary/terms.txt").write_text("党建工作\n", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    renditions._sources_digest.cache_clear()
    try:
        assert renditions.code_version() != before
    finally:
        renditions._sources_digest.cache_clear()
    assert "articles/search/dictionary/terms.txt" in renditions.SOURCE_FILES


# ---------------------------------------------------------------- every page that shows a title


@pytest.fixture
def essays():
    column = make_topic("组织建设")
    older = make_article("推进“三会一课”制度落实的几点思考", topics=[column], view_count=30)
    essay = make_article(TITLE, topics=[column], view_count=50)
    newer = make_article("新时代农村基层党组织建设的实践路径", topics=[column], published_at=essay.published_at)
    return {"column": column, "essay": essay, "older": older, "newer": newer}


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["home", "list", "topic", "essay", "search"])
def test_titles_carry_word_breaks_on_every_page(client, essays, where):
    from articles.search.indexing import rebuild

    column = essays["column"]
    urls = {
        "home": "/",
        "list": "/articles/",
        "topic": column.get_absolute_url(),
        "essay": essays["older"].get_absolute_url(),  # its related and neighbouring essays
        "search": "/articles/?q=党建",
    }
    if where == "search":
        rebuild()
    html = _page(client, urls[where])
    assert TITLE not in html.split("<body", 1)[1].replace("<title>", "")  # no title unbroken in the page's body
    assert "当前<wbr>基层党建<wbr>工作" in html or "当前<wbr>基层<mark>党建</mark>" in html


@pytest.mark.django_db
def test_the_essay_heading_breaks_between_words(client, essays):
    html = _page(client, essays["essay"].get_absolute_url())
    assert f'<h1 id="essay-title" class="essay__title">{BROKEN}</h1>' in html
    # The stored page (articles.reading.renditions) is the same.
    assert _page(client, essays["essay"].get_absolute_url()) == html


@pytest.mark.django_db
def test_library_titles_break_between_words(client):
    from library.regrouping import regroup
    from library.tests.factories import ATTITUDE, make_essay

    make_essay(problems=[ATTITUDE[0]], title=TITLE)
    make_essay(problems=[ATTITUDE[1]])
    regroup()
    from library.models import LibraryItem

    theme = LibraryItem.objects.filter(heading=ATTITUDE[0]).first().theme
    html = _page(client, theme.get_absolute_url())
    assert f"《{BROKEN}》" in html
