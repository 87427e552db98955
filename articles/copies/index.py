"""Keeping the copy index: which texts are indexed and their bands.

Per essay: its current text and every text it had while it was published
(kept when the essay changes, so a copy of last year's published version is
still found); essays in the recycle bin stay indexed; a purged essay's rows
go with it. :func:`index_article` is idempotent (a task run twice writes the
same rows); :func:`rebuild` re-reads everything (``manage.py build_copy_index``),
needed after the segmenter's dictionary or the swap tables change.
"""

from __future__ import annotations

from django.db import transaction

from articles.copies.models import CopyBand, CopyText
from articles.editing.rules import article_text
from articles.essay import copies
from articles.models import Article


def compared_form(text: str) -> copies.Normalised:
    """What is stored of a text (no formulations: those only matter for the essay being checked)."""
    return copies.normalise(text)


def _bands(row, normalised) -> list[CopyBand]:
    return [CopyBand(text=row, band=i, value=value) for i, value in enumerate(copies.signature(normalised))]


def index_article(article_id) -> None:
    """Index the essay's current text (or drop its rows when it no longer exists)."""
    articles = list(Article.all_objects.prefetch_related("sections").filter(pk=article_id))
    if not articles:
        CopyText.objects.filter(article_id=article_id).delete()
        return
    index_articles(articles)


def index_articles(articles) -> None:
    """Index these essays' current texts (sections prefetched), in a few queries for the lot."""
    computed = {}
    for article in articles:
        text = article_text(article)
        computed[article.pk] = (article, text, compared_form(text))
    with transaction.atomic():
        rows = {}
        for row in CopyText.objects.select_for_update().filter(article_id__in=computed):
            rows[(row.article_id, row.digest)] = row
        new, current_ids, changed = [], [], []
        for article, text, normalised in computed.values():
            published = article.status == Article.Status.PUBLISHED
            row = rows.pop((article.pk, normalised.digest), None)
            if row is None:
                row = CopyText(
                    article=article,
                    is_current=True,
                    was_published=published,
                    label=article.title,
                    text=text,
                    chars=normalised.chars,
                    digest=normalised.digest,
                )
                new.append((row, normalised))
                continue
            current_ids.append(row.pk)
            if not row.is_current or (published and not row.was_published) or row.label != article.title:
                row.is_current, row.was_published, row.label = True, row.was_published or published, article.title
                changed.append(row)
        CopyText.objects.bulk_create([row for row, _ in new])
        CopyBand.objects.bulk_create([band for row, normalised in new for band in _bands(row, normalised)])
        CopyText.objects.bulk_update(changed, ["is_current", "was_published", "label"])
        # The essays' other texts: a text once published is kept, the others go.
        others = [row.pk for row in rows.values()]
        CopyText.objects.filter(pk__in=others, was_published=False).delete()
        CopyText.objects.filter(pk__in=others, is_current=True).update(is_current=False)


def save_reference(text: str, label: str, user) -> CopyText:
    """A private reference text (保存为私有参考文本), checked against from now on."""
    normalised = compared_form(text)
    with transaction.atomic():
        row = CopyText.objects.create(
            kind=CopyText.Kind.REFERENCE,
            label=label[: CopyText._meta.get_field("label").max_length],
            text=text,
            chars=normalised.chars,
            digest=normalised.digest,
            created_by=user,
        )
        CopyBand.objects.bulk_create(_bands(row, normalised))
    return row


def rebuild(batch_size: int = 200, progress=None) -> int:
    """Index every essay again, after re-deriving the stored texts' compared forms and bands."""
    with transaction.atomic():
        for row in CopyText.objects.iterator():
            normalised = compared_form(row.text)
            if (row.chars, row.digest) != (normalised.chars, normalised.digest):
                row.chars, row.digest = normalised.chars, normalised.digest
                row.save(update_fields=["chars", "digest"])
                CopyBand.objects.filter(text=row).delete()
                CopyBand.objects.bulk_create(_bands(row, normalised))
    ids = list(Article.all_objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        index_articles(list(Article.all_objects.prefetch_related("sections").filter(pk__in=chunk)))
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    return done
