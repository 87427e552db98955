"""Checking a text against the copy index: candidates by shared bands, then exact alignment.

:func:`check_text` is what every screen and command calls. Candidates are the
texts sharing the most MinHash bands with the text (one indexed SQL lookup),
at most :data:`CANDIDATES` sharing :data:`MIN_SHARED` or more; only they are aligned
(:func:`articles.essay.copies.score`). Texts whose compared form is equal to
the text's (an identical essay, whatever its punctuation and numbering) are
always candidates, found by their digest. Several texts of one essay (its
current text, the versions it had while published) count as one source, by
the text that covers most.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from articles.copies.models import CopyBand, CopyText
from articles.editing.formulations import active_lexicon
from articles.editing.rules import article_text
from articles.essay import copies
from articles.models import Article

CANDIDATES = 8
# A band key more texts have than this is a set phrase's (see candidates()).
COMMON_KEY = 1000
# A text sharing a single band of 64 is chance (a common shingle); a copied
# paragraph of a tenth of an essay already shares about three.
MIN_SHARED = 2
# The top source covering this share of the essay is the same essay (the
# import page then asks what to do instead of creating a draft).
IDENTICAL_PERCENT = 95.0


def confirm_percent() -> float:
    """From this score on the final approval needs the approver's confirmation (settings)."""
    return float(getattr(settings, "COPY_CHECK_CONFIRM_PERCENT", 30))


@dataclass
class Source:
    row: CopyText
    match: copies.SourceMatch

    @property
    def article(self) -> Article | None:
        return self.row.article

    @property
    def percent(self) -> float:
        return self.match.percent

    @property
    def longest(self) -> int:
        return self.match.longest

    @property
    def title(self) -> str:
        return self.article.title if self.article is not None else self.row.label

    @property
    def status_label(self) -> str:
        if self.article is None:
            return "私有参考文本"
        if self.article.deleted_at is not None:
            return "回收站"
        if not self.row.is_current:
            return "曾发布的版本"
        return self.article.get_status_display()


@dataclass
class Report:
    normalised: copies.Normalised
    score: copies.Score
    sources: list[Source] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return self.score.percent

    @property
    def longest(self) -> int:
        return self.score.longest

    @property
    def top(self) -> Source | None:
        return self.sources[0] if self.sources else None

    @property
    def identical(self) -> Source | None:
        top = self.top
        return top if top is not None and top.percent >= IDENTICAL_PERCENT else None

    @property
    def others(self) -> list[Source]:
        return self.sources[1:]

    @property
    def needs_confirmation(self) -> bool:
        return self.percent >= confirm_percent()

    def summary(self) -> str:
        """与《…》（已发布，作者单位…）重复 87%，另有 3 篇部分重复 — or that nothing was found."""
        top = self.top
        if top is None:
            return "未发现与库中文稿或参考文本重复的段落。"
        where = [top.status_label]
        if top.article is not None and top.article.author_org:
            where.append(f"作者单位{top.article.author_org}")
        text = f"与《{top.title}》（{'，'.join(where)}）重复 {top.percent:g}%"
        if self.others:
            text += f"，另有 {len(self.others)} 篇部分重复"
        return text + f"；全文重复率 {self.percent:g}%。"

    def as_dict(self) -> dict:
        return {
            "percent": self.percent,
            "countable_characters": self.score.countable,
            "copied_characters": self.score.covered,
            "longest_passage": self.longest,
            "sources": [
                {
                    "article_id": source.row.article_id,
                    "reference_id": None if source.row.article_id else source.row.pk,
                    "title": source.title,
                    "status": source.status_label,
                    "percent": source.percent,
                    "longest_passage": source.longest,
                    "passages": len(source.match.passages),
                }
                for source in self.sources
            ],
        }


def _ids(exclude_article):
    """``exclude_article`` (an essay's id, or several) as a set of ids."""
    if exclude_article is None:
        return set()
    if isinstance(exclude_article, int):
        return {exclude_article}
    return {pk for pk in exclude_article if pk is not None}


def candidates(keys, exclude_article=None, limit=CANDIDATES) -> list[int]:
    """Ids of the texts sharing the most band keys with ``keys`` (the essay's own texts left out).

    A key that more than :data:`COMMON_KEY` texts have is left out: it is
    the MinHash of a set phrase of the genre (one of the sentences every
    essay repeats), says nothing about copying, and would cost a count over
    thousands of rows. Then the texts sharing :data:`MIN_SHARED` or more of
    the other keys, most first, at most ``limit``. On PostgreSQL one query:
    each key looked up in the primary key's index, at most ``COMMON_KEY`` + 1
    rows read per key.
    """
    if not keys:
        return []
    own = []
    if exclude_article is not None:
        own = list(CopyText.objects.filter(article_id__in=_ids(exclude_article)).values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        table = CopyBand._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH hits AS (
                    SELECT wanted.key, found.text_id
                    FROM unnest(%s::bigint[]) AS wanted(key)
                    CROSS JOIN LATERAL (
                        SELECT text_id FROM {table} WHERE {table}.key = wanted.key LIMIT %s
                    ) AS found
                ),
                common AS (SELECT key FROM hits GROUP BY key HAVING count(*) > %s)
                SELECT text_id FROM hits
                WHERE key NOT IN (SELECT key FROM common) AND NOT (text_id = ANY(%s::bigint[]))
                GROUP BY text_id HAVING count(*) >= %s
                ORDER BY count(*) DESC, text_id LIMIT %s
                """,
                [list(keys), COMMON_KEY + 1, COMMON_KEY, own, MIN_SHARED, limit],
            )
            return [row[0] for row in cursor.fetchall()]
    hits = list(CopyBand.objects.filter(key__in=keys).values_list("key", "text_id"))
    per_key = Counter(key for key, _ in hits)
    own_ids = set(own)
    shared = Counter(text for key, text in hits if per_key[key] <= COMMON_KEY and text not in own_ids)
    ranked = sorted((-count, text) for text, count in shared.items() if count >= MIN_SHARED)
    return [text for _, text in ranked[:limit]]


def check_text(text: str, *, exclude_article=None, extra_sources=()) -> Report:
    """How much of ``text`` is found in the index (and in ``extra_sources``: (label, text) pairs not stored)."""
    normalised = copies.normalise(text, formulations=active_lexicon().formulations)
    ids = candidates(copies.band_keys(normalised), exclude_article)
    identical = CopyText.objects.filter(digest=normalised.digest)
    if exclude_article is not None:
        identical = identical.exclude(article_id__in=_ids(exclude_article))
    ids = list(dict.fromkeys([*identical.values_list("pk", flat=True)[:5], *ids]))
    rows = {row.pk: row for row in CopyText.objects.filter(pk__in=ids).select_related("article").defer("text")}
    pairs = [(rows[pk], rows[pk].chars) for pk in ids if pk in rows]
    for label, extra in extra_sources:
        pairs.append((CopyText(kind=CopyText.Kind.REFERENCE, label=label, text=extra), copies.normalise(extra).chars))
    result = copies.score(normalised, pairs)
    sources, seen = [], set()
    for match in result.sources:  # largest first: an essay's best text stands for it
        row = match.key
        key = ("article", row.article_id) if row.article_id else ("row", id(row))
        if key not in seen:
            seen.add(key)
            sources.append(Source(row, match))
    return Report(normalised, result, sources)


def essay_family(article) -> set[int]:
    """The essay's own ids: itself, the live essay it is a working copy (修改稿) of, and its own
    working copies. A change to a live essay is not a copy of that essay."""
    family = {article.pk, getattr(article, "live_original_id", None)}
    family |= set(Article.all_objects.filter(live_original_id=article.pk).values_list("pk", flat=True))
    if article.live_original_id:
        family |= set(
            Article.all_objects.filter(live_original_id=article.live_original_id).values_list("pk", flat=True)
        )
    return {pk for pk in family if pk is not None}


def check_article(article) -> Report:
    """The stored essay's current text against everything else in the index (its family left out)."""
    return check_text(article_text(article), exclude_article=essay_family(article))
