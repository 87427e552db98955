"""View counts: counted from a beacon in the cache, written to the database in
batches, shown as stored + pending, feeding the home page's 热门 list."""

import datetime as dt
import types

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.reading import viewcounts
from articles.tests.factories import make_article, make_draft
from config import ratelimit

pytestmark = pytest.mark.django_db


def beacon(client, article, agent="阅读器甲"):
    return client.post(reverse("articles:count_view", args=[article.pk]), HTTP_USER_AGENT=agent)


def stored(article):
    return Article.all_objects.get(pk=article.pk).view_count


def test_a_beacon_counts_a_view_in_the_cache_not_the_database(client, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 100
    article = make_article()
    response = beacon(client, article)
    assert response.status_code == 204
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert viewcounts.pending(article.pk) == 1
    assert stored(article) == 0


def test_the_beacon_needs_no_csrf_token(settings):
    from django.test import Client

    article = make_article()
    assert beacon(Client(enforce_csrf_checks=True), article).status_code == 204


def test_the_same_client_counts_once_per_essay_and_others_count_too(client):
    article = make_article()
    for _ in range(3):
        assert beacon(client, article, "阅读器甲").status_code == 204
    beacon(client, article, "阅读器乙")
    assert viewcounts.pending(article.pk) == 2


def test_a_client_sending_too_many_beacons_gets_429(client, settings, monkeypatch):
    settings.VIEW_COUNT_RATE_LIMIT = 3
    # The limit counts per clock minute: pin the clock so the test cannot
    # straddle a minute boundary and see a fresh window.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))
    articles = [make_article() for _ in range(4)]
    codes = [beacon(client, article).status_code for article in articles]
    assert codes == [204, 204, 204, 429]
    assert "频繁" in beacon(client, articles[0]).content.decode()


@pytest.mark.parametrize("make", [make_draft, lambda: make_article(published_at=None)])
def test_only_published_essays_are_counted(client, make):
    article = make()
    assert beacon(client, article).status_code == 404
    assert client.post("/articles/999999/view/").status_code == 404


def test_a_beacon_must_be_a_post(client):
    article = make_article()
    assert client.get(reverse("articles:count_view", args=[article.pk])).status_code == 405


def test_pending_views_are_written_when_enough_have_gathered(client, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 3
    first, second = make_article(), make_article()
    beacon(client, first, "甲")
    beacon(client, second, "甲")
    assert (stored(first), stored(second)) == (0, 0)
    beacon(client, first, "乙")  # the third pending view triggers the batch
    assert (stored(first), stored(second)) == (2, 1)
    assert viewcounts.pending(first.pk) == viewcounts.pending(second.pk) == 0


def test_pending_views_are_written_when_the_oldest_is_old_enough(client, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 1000
    settings.VIEW_COUNT_FLUSH_SECONDS = 300
    article = make_article()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False) as clock:
        beacon(client, article, "甲")
        clock.shift(dt.timedelta(seconds=299))
        beacon(client, article, "乙")
        assert stored(article) == 0
        clock.shift(dt.timedelta(seconds=2))
        beacon(client, article, "丙")
    assert stored(article) == 3


def test_only_one_worker_flushes_at_a_time(client, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 1000
    article = make_article()
    beacon(client, article)
    from django.core.cache import cache

    cache.add(viewcounts.LOCK, 1, 60)  # another worker is flushing
    assert viewcounts.flush() == 0
    assert stored(article) == 0
    cache.delete(viewcounts.LOCK)
    assert viewcounts.flush() == 1
    assert stored(article) == 1


def test_the_command_flushes_pending_views(client, settings, capsys):
    settings.VIEW_COUNT_FLUSH_EVERY = 1000
    article = make_article(view_count=40)
    beacon(client, article, "甲")
    beacon(client, article, "乙")
    call_command("flush_view_counts")
    assert stored(article) == 42
    assert "已写入 2 次浏览" in capsys.readouterr().out
    call_command("flush_view_counts")
    assert stored(article) == 42


def test_the_essay_page_shows_stored_plus_pending_views(client, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 1000
    article = make_article(view_count=10)
    beacon(client, article, "甲")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '浏览次数：<span class="essay__views">11</span>' in html
    assert stored(article) == 10  # rendering the page wrote nothing


def test_rendering_the_essay_page_does_not_count(client):
    article = make_article()
    client.get(article.get_absolute_url())
    assert viewcounts.pending(article.pk) == 0
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-view-url="/articles/{article.pk}/view/"' in html


def test_the_preview_sends_no_beacon(admin_client):
    article = make_draft()
    html = admin_client.get(article.get_preview_url()).content.decode()
    assert "data-view-url" not in html


def test_home_lists_the_most_read_essays(client):
    quiet = make_article("无人问津的文稿")
    popular = make_article("读者最多的文稿", view_count=500)
    second = make_article("读者较多的文稿", view_count=80)
    draft = make_draft("草稿文稿", view_count=9999)
    html = client.get("/").content.decode()
    block = html.split('id="popular-heading"')[1].split("</section>")[0].replace("<wbr>", "")  # word breaks
    assert block.index(popular.title) < block.index(second.title)
    assert "500 次阅读" in block
    assert quiet.title not in block and draft.title not in block


@pytest.mark.parametrize("pk", ["99999999999999999999999", "9223372036854775808", "0"])
def test_an_impossible_essay_number_is_404(client, pk):
    assert client.post(f"/articles/{pk}/view/").status_code == 404


# ---------------------------------------------------------------- behind nginx, from distinct addresses
# Every beacon reaches Django from nginx; the client is the address nginx
# saw (config.client_address), here distinct loopback addresses.

COMMON_BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def beacon_from(request_from, source, article, agent=COMMON_BROWSER, forwarded_for=None):
    headers = {"User-Agent": agent}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    status, _, _ = request_from(source, "POST", reverse("articles:count_view", args=[article.pk]), headers=headers)
    return status


def views(article):
    return viewcounts.displayed_count(Article.all_objects.get(pk=article.pk))


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_readers_at_different_addresses_with_the_same_browser_each_count(request_from, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 1000
    article = make_article()
    readers = [f"127.0.0.{n}" for n in range(10, 50)]
    statuses = [beacon_from(request_from, reader, article) for reader in readers]
    assert statuses == [204] * len(readers)
    assert views(article) == len(readers)


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_rotating_browsers_from_one_address_cannot_inflate_the_count(request_from, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 1000
    settings.VIEW_COUNT_PER_ADDRESS = 5
    article = make_article()
    for n in range(40):
        beacon_from(request_from, "127.0.0.5", article, agent=f"Mozilla/5.0 Bot/{n}", forwarded_for=f"203.0.113.{n}")
    assert views(article) == 5


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_colleagues_behind_one_office_address_still_count(request_from, settings):
    settings.VIEW_COUNT_FLUSH_EVERY = 1000
    article = make_article()
    colleagues = ["Chrome/120.0", "Firefox/121.0", "Edg/120.0", "QQBrowser/12.1"]
    for agent in colleagues:
        assert beacon_from(request_from, "127.0.0.7", article, agent=f"Mozilla/5.0 {agent}") == 204
    beacon_from(request_from, "127.0.0.7", article, agent="Mozilla/5.0 Chrome/120.0")  # a reload
    assert views(article) == len(colleagues)


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_the_rate_limit_is_per_address(request_from, settings, monkeypatch):
    settings.VIEW_COUNT_RATE_LIMIT = 3
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))
    articles = [make_article() for _ in range(4)]
    busy = [
        beacon_from(request_from, "127.0.0.8", article, agent=f"Mozilla/5.0 Bot/{n}")
        for n, article in enumerate(articles)
    ]
    assert busy == [204, 204, 204, 429]
    assert beacon_from(request_from, "127.0.0.9", articles[0]) == 204  # another reader is not held up
