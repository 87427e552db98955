"""Cards (stored, articles.reading.cards), links and filter menus (kept by the values they show,
articles.reading.rendered) never show what the data no longer holds.

Each test changes one value a kept part shows, in a way that does not change
the essay's version where it can (a topic's name), and checks that the next
request shows it: the key is the values, so nothing can go stale.
"""

import pytest
from django.urls import reverse

from articles.reading.forms import FastSelect
from articles.tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def test_a_renamed_topic_shows_on_the_cards_at_the_next_request(client):
    topic = make_topic("党员教育")
    make_article("关于加强党员教育管理的思考", topics=[topic])
    assert "党员教育" in client.get(reverse("articles:list")).content.decode()
    topic.name = "党员教育管理"
    topic.save()
    page = client.get(reverse("articles:list")).content.decode()
    assert ">党员教育管理<" in page


def test_a_changed_title_and_a_withdrawn_essay_show_at_the_next_request(client):
    kept = make_article("原来的标题一")
    gone = make_article("即将撤下的文稿")
    for url in (reverse("articles:home"), reverse("articles:list")):
        page = client.get(url).content.decode()
        assert "即将撤下" in page.replace("<wbr>", "")
    kept.title = "修改后的标题二"
    kept.save()
    gone.status = gone.Status.DRAFT
    gone.save()
    for url in (reverse("articles:home"), reverse("articles:list")):
        page = client.get(url).content.decode().replace("<wbr>", "")
        assert "修改后的标题二" in page and "原来的标题一" not in page
        assert "即将撤下" not in page


def test_the_same_essay_renders_its_own_card_options(client):
    """The pinned flag is shown only where the page asks for it (show_pin): a separate kept card each."""
    make_article("置顶的文稿", is_pinned=True)
    assert '<span class="badge">置顶</span>' not in client.get(reverse("articles:home")).content.decode()
    assert '<span class="badge">置顶</span>' in client.get(reverse("articles:list")).content.decode()


def test_a_filter_menu_marks_each_request_s_own_choice():
    widget = FastSelect(choices=[("", "全部"), ("a", "甲单位"), ("b", "乙单位")])
    first = widget.render("org", "a")
    second = widget.render("org", "b")
    assert '<option value="a" selected>甲单位</option>' in first
    assert '<option value="b" selected>乙单位</option>' in second
    assert 'value="a" selected' not in second
    widget.choices = [("", "全部"), ("a", "甲单位"), ("c", "丙单位")]
    assert "丙单位" in widget.render("org", "") and "乙单位" not in widget.render("org", "")


def test_a_new_author_unit_joins_the_filter_menu(client):
    make_article("第一篇", author_org="甲县委组织部")
    assert "甲县委组织部" in client.get(reverse("articles:list")).content.decode()
    make_article("第二篇", author_org="乙县委组织部")
    page = client.get(reverse("articles:list")).content.decode()
    assert "乙县委组织部" in page and "甲县委组织部" in page


def test_the_kept_parts_are_bounded_by_their_size(monkeypatch):
    """A crawler selecting every author unit cannot make a worker keep every filter menu."""
    from articles.reading import rendered

    rendered.forget_all()
    monkeypatch.setattr(rendered, "MAX_CHARS", 10_000)
    for n in range(50):
        rendered.rendered(("menu", n), lambda n=n: f"{n:04d}" * 500)  # 2,000 characters each
    assert rendered._chars <= 10_000
    assert sum(len(html) for html in rendered._rendered.values()) == rendered._chars
    assert rendered.rendered(("menu", 49), lambda: "rendered again") == "0049" * 500  # the newest is kept
    rendered.forget_all()
    assert rendered._chars == 0
