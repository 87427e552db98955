"""Essay cards stored in the database (articles.reading.cards): lists read them in their page query.

A stored card must never show what the essay no longer says, and never
bring an essay the page's own query did not list. Each test changes one
thing a card shows, the way editors change it, and reads the lists again.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EssayCard
from articles.reading import cards, renditions
from articles.reading.cards import PublishedCards
from articles.tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

LISTS = (reverse("articles:home"), reverse("articles:list"))


def text_of(client, url):
    return client.get(url).content.decode().replace("<wbr>", "")


def test_a_list_stores_the_cards_it_shows(client):
    essay = make_article("储存卡片的文稿")
    assert not EssayCard.objects.exists()
    assert "储存卡片的文稿" in text_of(client, reverse("articles:list"))
    card = EssayCard.objects.get(article=essay)
    assert card.article_version == essay.version
    assert card.code_version == renditions.code_version()
    assert "储存卡片的文稿" in card.html.replace("<wbr>", "")


def test_a_stored_card_is_what_the_page_shows(client, settings):
    """Same version and code: the stored card is used as it is, not rendered again."""
    settings.PAGE_CACHE_SECONDS = 0
    essay = make_article("原来的卡片")
    client.get(reverse("articles:list"))
    EssayCard.objects.filter(article=essay).update(html='<article class="card">库里的卡片</article>')
    assert "库里的卡片" in text_of(client, reverse("articles:list"))


def test_a_new_code_version_renders_the_cards_again(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    essay = make_article("换代码以后的卡片")
    client.get(reverse("articles:list"))
    EssayCard.objects.filter(article=essay).update(html='<article class="card">旧代码的卡片</article>')
    with mock.patch.object(renditions, "code_version", return_value="a-new-deploy"):
        page = text_of(client, reverse("articles:list"))
    assert "旧代码的卡片" not in page and "换代码以后的卡片" in page
    assert EssayCard.objects.get(article=essay).code_version == "a-new-deploy"


def test_topics_added_and_removed_show_on_the_cards_at_once(client):
    kept = make_topic("基层治理")
    essay = make_article("换了专题的文稿", topics=[kept])
    client.get(reverse("articles:list"))
    added = make_topic("乡村振兴")
    added.articles.add(essay)  # from the topic's side: the essay itself is not saved
    for url in LISTS:
        assert f'class="tag" href="{added.get_absolute_url()}">乡村振兴<' in text_of(client, url)
    essay.topics.remove(kept)
    for url in LISTS:
        page = text_of(client, url)
        assert f'class="tag" href="{added.get_absolute_url()}">乡村振兴<' in page
        assert f'class="tag" href="{kept.get_absolute_url()}">' not in page


def test_a_withdrawn_essay_leaves_the_lists_though_its_card_is_stored(client):
    essay = make_article("要撤回的文稿")
    for url in LISTS:
        assert "要撤回的文稿" in text_of(client, url)
    assert EssayCard.objects.filter(article=essay).exists()
    essay.status = essay.Status.DRAFT
    essay.save()
    for url in (*LISTS, reverse("topics:index")):
        assert "要撤回的文稿" not in text_of(client, url)


def test_an_essay_withdrawn_between_the_page_query_and_its_card_is_left_out():
    """cards() renders missing cards from ``published()`` again: an essay that left it meanwhile is dropped."""
    listed = make_article("列出的文稿")
    gone = make_article("刚被撤回的文稿")
    rows = list(cards.card_rows(type(listed).objects.published()))
    gone.status = gone.Status.DRAFT
    gone.save()
    shown = "".join(cards.cards(rows)).replace("<wbr>", "")
    assert "列出的文稿" in shown and "刚被撤回的文稿" not in shown


def test_the_pinned_badge_is_the_page_s_choice(client):
    topic = make_topic("党建研究")
    make_article("置顶的文稿", is_pinned=True, topics=[topic])
    badge = '<span class="badge">置顶</span>'
    assert badge in client.get(reverse("articles:list")).content.decode()
    assert badge not in client.get(topic.get_absolute_url()).content.decode()
    assert badge in client.get(reverse("articles:list")).content.decode()  # the same stored card


def test_the_written_out_query_agrees_with_published():
    """PublishedCards is Article.objects.published() in reading order: same essays, same order, same count."""
    now = timezone.now()
    topic, child, other = make_topic("栏目"), None, make_topic("别的栏目")
    child = make_topic("专题", parent=topic)
    times = {"past": now - timedelta(minutes=5), "future": now + timedelta(minutes=5), "none": None}
    n = 0
    for status in Article.Status.values:
        for when, published_at in times.items():
            for deleted in (False, True):
                for pinned in (False, True):
                    n += 1
                    make_article(
                        f"{status}-{when}-{deleted}-{pinned}",
                        status=status,
                        published_at=published_at,
                        deleted_at=now if deleted else None,
                        is_pinned=pinned,
                        topics=[(topic, child, other)[n % 3]],
                    )
    for n in range(6):  # same publish time: the id decides
        make_article(f"同时发布{n}", published_at=now - timedelta(hours=2), topics=[child])
    published = Article.objects.published()
    variants = [
        (PublishedCards(), published),
        (PublishedCards(pinned=True), published.filter(is_pinned=True)),
        (PublishedCards(topic_ids=[topic.pk, child.pk]), published.in_topic(topic)),
        (PublishedCards(topic_ids=[]), published.none()),
        (PublishedCards(exclude=list(published.values_list("pk", flat=True)[:2])), published[2:]),
    ]
    for written, orm in variants:
        expected = list(orm.values_list("pk", flat=True))
        assert [row[0] for row in written[:100]] == expected
        assert [row[0] for row in written[2:5]] == expected[2:5]
        assert [row[0] for row in written[3:]] == expected[3:]
        assert written.count() == len(expected)
        # Deep pages start from an anchor (every third essay here): the same essays.
        with mock.patch.object(cards, "ANCHOR_EVERY", 3):
            for start in range(len(expected) + 2):
                assert [row[0] for row in written[start : start + 2]] == expected[start : start + 2], start
                assert [row[0] for row in written[start:]] == expected[start:], start
    assert published.count() == 8  # the two published in the past, not pinned and pinned; the six


def test_the_newest_essays_of_each_topic_family_agree_with_in_topic():
    """newest_in_families (the home page's topic blocks) lists what published().in_topic() lists first."""
    columns = [make_topic(f"栏目{n}") for n in range(3)]
    children = [make_topic(f"专题{n}", parent=columns[n % 2]) for n in range(4)]
    now = timezone.now()
    for n in range(30):
        tags = [columns[n % 3]] + ([children[n % 4]] if n % 2 else [])
        make_article(f"文稿{n}", topics=tags, published_at=now - timedelta(minutes=n % 7))
    make_article("草稿", topics=[columns[0]], status=Article.Status.DRAFT)
    make_article("定时", topics=[columns[0]], published_at=now + timedelta(hours=1))
    found = cards.newest_in_families([column.pk for column in columns], 5)
    for column in columns:
        expected = list(Article.objects.published().in_topic(column).values_list("pk", flat=True)[:5])
        assert found[column.pk] == expected
    assert cards.newest_in_families([], 5) == {}


def test_a_card_that_cannot_be_stored_is_still_shown(client, settings):
    """A full disk or a read-only database: the list is served, the card rendered again next time."""
    settings.PAGE_CACHE_SECONDS = 0
    make_article("存不进去的卡片")
    with mock.patch.object(EssayCard.objects, "bulk_create", side_effect=DatabaseError("disk full")):
        response = client.get(reverse("articles:list"))
    assert response.status_code == 200
    assert "存不进去的卡片" in response.content.decode().replace("<wbr>", "")
    assert not EssayCard.objects.exists()
    client.get(reverse("articles:list"))
    assert EssayCard.objects.exists()
