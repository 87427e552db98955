"""Essay cards stored in the database: a list page's essays in its one query, with no template rendering.

A list page of the reading site (全部文稿 and its filters, a topic page,
the home page's latest essays, every deep page) is mostly cards. Each card
shows nothing but its essay's row, so, like the essay page itself
(``articles.reading.renditions``), it is rendered once per version of the
essay and code and stored (:class:`articles.models.EssayCard`).

A list then asks the database for its page as
``(id, version, card html, card code version, card essay version)`` rows
(:func:`card_rows`: the page's own queryset, so *which* essays are listed
is still decided by ``Article.objects.published()`` on every request, and a
withdrawn essay is simply not asked for) and :func:`cards` turns the rows
into HTML: a stored card that matches the essay's version and the code is
used as it is; the others are rendered from the essays (one query for all
of them) and stored for the next reader. A topic renamed or an essay's
topics changed delete the cards concerned, as they do the stored pages
(``renditions.forget`` / ``renditions.forget_all``).

The 置顶 badge and the home page's large first card are left open in the
stored card: the page decides (全部文稿 shows the badge, a topic page does not).
"""

from __future__ import annotations

import hashlib
import logging

from django.db import DatabaseError, connections, router, transaction
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article, EssayCard
from articles.reading import renditions
from config import pagecache

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "includes/article_card.html"
PIN_SLOT = "pin"
PIN_BADGE = '<span class="badge">置顶</span>'
FEATURE_SLOT = "feature"
FEATURE_CLASS = " card--feature"
# Deep pages of a list start from the nearest of every ANCHOR_EVERY-th essay (PublishedCards._anchor).
ANCHOR_EVERY = 50


def card_rows(queryset):
    """``queryset`` (essays in the page's order) as the rows :func:`cards` reads; slice it for a page."""
    return queryset.values_list("pk", "version", "card__html", "card__code_version", "card__article_version")


def _column(connection, alias, model, field):
    """``alias."column"`` of ``model.field``, quoted for ``connection`` (the written-out queries below)."""
    return f"{alias}.{connection.ops.quote_name(model._meta.get_field(field).column)}"


class PublishedCards:
    """What :func:`card_rows` gives for ``Article.objects.published()`` in reading order, written out.

    The busiest lists -- 全部文稿, a topic's page, the home page's 置顶 and
    最新 -- ask for these page after page, and Django spends more time
    building such a query (0.6–1.2 ms) than the database takes to answer it.
    So, like the essay page's own query (``renditions.published_essay_row``),
    it is written out here. Its conditions are those of
    ``Article.objects.published()``, which remains the one definition of what
    readers may see: the tests check that both agree on every kind of essay.
    A ``Paginator`` slices it like a list; each slice is one query.

    ``topic_ids``: only essays tagged with one of them (a topic and its
    children); ``pinned``: only 置顶 essays; ``exclude``: not these ids.
    """

    def __init__(self, *, topic_ids=None, family_of=None, pinned=False, exclude=()):
        self.topic_ids = list(topic_ids) if topic_ids is not None else None
        self.family_of = family_of
        self.pinned = pinned
        self.exclude = list(exclude)

    @staticmethod
    def _connection():
        return connections[router.db_for_read(Article)]

    def _from_where(self, connection):
        """``(" FROM … WHERE …", params)`` of the essays, the table aliased ``a``."""
        quote = connection.ops.quote_name
        through = Article.topics.through._meta

        def a(name):
            return _column(connection, "a", Article, name)

        conditions = [f"{a('status')} = %s", f"{a('published_at')} <= %s", f"{a('deleted_at')} IS NULL"]
        params = [Article.Status.PUBLISHED.value, connection.ops.adapt_datetimefield_value(timezone.now())]
        if self.pinned:
            conditions.append(f"{a('is_pinned')} = %s")
            params.append(True)
        if self.exclude:
            conditions.append(f"{a('id')} NOT IN ({', '.join(['%s'] * len(self.exclude))})")
            params.extend(self.exclude)
        if self.topic_ids is not None:
            marks = ", ".join(["%s"] * len(self.topic_ids)) or "NULL"
            conditions.append(
                f"{a('id')} IN (SELECT t.{quote(through.get_field('article').column)} FROM {quote(through.db_table)} t"
                f" WHERE t.{quote(through.get_field('topic').column)} IN ({marks}))"
            )
            params.extend(self.topic_ids)
        if self.family_of is not None:
            topics = Article.topics.field.related_model._meta
            conditions.append(
                f"{a('id')} IN (SELECT t.{quote(through.get_field('article').column)} FROM {quote(through.db_table)} t"
                f" WHERE t.{quote(through.get_field('topic').column)} IN (SELECT f.{quote(topics.pk.column)}"
                f" FROM {quote(topics.db_table)} f WHERE f.{quote(topics.pk.column)} = %s"
                f" OR f.{quote(topics.get_field('parent').column)} = %s))"
            )
            params.extend([self.family_of, self.family_of])
        return f" FROM {quote(Article._meta.db_table)} a WHERE " + " AND ".join(conditions), params

    def newest_sql(self, connection, limit):
        """``(sql, params)``: ``essay, moment`` (id, publish time) of the first ``limit`` essays in reading order."""
        published_at, pk = (_column(connection, "a", Article, name) for name in ("published_at", "id"))
        from_where, params = self._from_where(connection)
        sql = f"SELECT {pk} AS essay, {published_at} AS moment{from_where} ORDER BY {published_at} DESC, {pk} DESC LIMIT %s"
        return sql, [*params, limit]

    @staticmethod
    def _fetch(connection, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self):
        connection = self._connection()
        from_where, params = self._from_where(connection)
        return PublishedCards._fetch(connection, "SELECT COUNT(*)" + from_where, params)[0][0]

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1) or (item.start or 0) < 0:
            raise TypeError("PublishedCards is read by slices from the start")
        start = item.start or 0
        connection = self._connection()
        quote = connection.ops.quote_name

        def a(name):
            return _column(connection, "a", Article, name)

        def c(name):
            return "c." + quote(EssayCard._meta.get_field(name).column)

        from_where, params = self._from_where(connection)
        from_, where = from_where.split(" WHERE ", 1)
        # A deep page starts from the nearest anchor at or before it: the index is entered
        # there instead of walking (and discarding) every essay before the page.
        anchored, anchor = self._anchor(start, connection, from_where, params)
        if anchor is not None:
            where += f" AND ({a('published_at')}, {a('id')}) <= (%s, %s)"  # a row value: an index range
            params += [anchor[0], anchor[1]]
            start, stop = start - anchored, (None if item.stop is None else item.stop - anchored)
            item = slice(start, stop)
        sql = (
            f"SELECT {a('id')}, {a('version')}, {c('html')}, {c('code_version')}, {c('article_version')}{from_}"
            f" LEFT JOIN {quote(EssayCard._meta.db_table)} c ON {c('article')} = {a('id')}"
            f" WHERE {where} ORDER BY {a('published_at')} DESC, {a('id')} DESC"
        )
        if item.stop is not None:
            sql += " LIMIT %s"
            params.append(max(item.stop - start, 0))
        elif start:
            sql += " LIMIT -1" if connection.vendor == "sqlite" else " LIMIT ALL"
        if start:
            sql += " OFFSET %s"
            params.append(start)
        return PublishedCards._fetch(connection, sql, params)

    def _anchor(self, start, connection, from_where, params):
        """``(position, (published_at, id))`` of the last anchor at or before ``start``, or ``(0, None)``.

        The anchors -- every :data:`ANCHOR_EVERY`-th essay of the list in
        reading order -- are read in one pass and kept for the cache
        generation (any change of an essay, and the arrival of a scheduled
        one, starts a new generation, so they always match the list).
        """
        index = start // ANCHOR_EVERY
        if index == 0:
            return 0, None
        published_at, pk = (_column(connection, "a", Article, name) for name in ("published_at", "id"))
        key = (
            ANCHOR_EVERY,
            self.pinned,
            tuple(self.topic_ids or ()) if self.topic_ids is not None else None,
            self.family_of,
            tuple(self.exclude),
        )
        digest = hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest()

        def anchors():
            sql = (
                f"SELECT p, i FROM (SELECT {published_at} AS p, {pk} AS i, ROW_NUMBER() OVER"
                f" (ORDER BY {published_at} DESC, {pk} DESC) AS n{from_where}) ranked"
                " WHERE n %% %s = 1 ORDER BY n"
            )
            return [tuple(row) for row in PublishedCards._fetch(connection, sql, [*params, ANCHOR_EVERY])]

        found = pagecache.memoize("card_anchors", anchors, digest)
        if index >= len(found):
            index = len(found) - 1
        if index <= 0:
            return 0, None
        return index * ANCHOR_EVERY, found[index]


def newest_in_families(topic_ids, limit):
    """``{topic id: [essay ids, newest first]}``: the ``limit`` latest published essays tagged with
    each topic or one of its children, in one query: a short index walk per topic, ``UNION ALL``."""
    if not topic_ids:
        return {}
    connection = PublishedCards._connection()
    parts, params = [], []
    for n, topic_id in enumerate(topic_ids):
        sql, part_params = PublishedCards(family_of=topic_id).newest_sql(connection, limit)
        parts.append(f"SELECT %s AS family, essay, moment FROM ({sql}) part{n}")
        params += [topic_id, *part_params]
    rows = PublishedCards._fetch(connection, " UNION ALL ".join(parts), params)
    found = {topic_id: [] for topic_id in topic_ids}
    for family, essay, _moment in sorted(rows, key=lambda row: (row[2], row[1]), reverse=True):
        found[family].append(essay)
    return found


def render_card(article):
    """The card of ``article`` (a row of ``for_cards()``) to store: the 置顶 badge and the feature class as slots."""
    return get_template(CARD_TEMPLATE).render(
        {
            "article": article,
            "pin_slot": mark_safe(renditions.marker(PIN_SLOT)),
            "feature_slot": mark_safe(renditions.marker(FEATURE_SLOT)),
        }
    )


def cards(rows, *, show_pin=False, feature_first=False):
    """The HTML of each essay of ``rows`` (from :func:`card_rows` or :class:`PublishedCards`), in their order.

    ``show_pin``: the 置顶 badge on pinned essays; ``feature_first``: the first card large (the home page's 置顶).
    """
    rows = list(rows)
    current = renditions.code_version()
    html = {
        pk: stored
        for pk, version, stored, code, stored_version in rows
        if code == current and stored_version == version
    }
    missing = [pk for pk, *_ in rows if pk not in html]
    if missing:
        html.update(_render_and_store(missing, current))
    pin, feature = renditions.marker(PIN_SLOT), renditions.marker(FEATURE_SLOT)
    badge = PIN_BADGE if show_pin else ""
    shown = []
    for pk, *_ in rows:
        if pk in html:
            first = feature_first and not shown
            shown.append(mark_safe(html[pk].replace(pin, badge, 1).replace(feature, FEATURE_CLASS if first else "", 1)))
    return shown


def _render_and_store(ids, code_version):
    """``{id: card}`` for the published essays ``ids``, rendered now and stored (insert or replace)."""
    rendered = {}
    stored = []
    for article in Article.objects.published().filter(pk__in=ids).for_cards():
        rendered[article.pk] = render_card(article)
        stored.append(
            EssayCard(
                article_id=article.pk,
                html=rendered[article.pk],
                code_version=code_version,
                article_version=article.version,
            )
        )
    try:
        with transaction.atomic(using=router.db_for_write(EssayCard)):
            EssayCard.objects.bulk_create(
                stored,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["html", "code_version", "article_version"],
            )
    except DatabaseError:
        # A full disk or a read-only database costs the next reader a render, not this one a 500.
        logger.warning("essay cards not stored", exc_info=True)
    return rendered
