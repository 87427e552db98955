"""Keeping the copy index: which texts are indexed and their bands.

Per essay: its current text and every text it had while it was published
(kept when the essay changes, so a copy of last year's published version is
still found); essays in the recycle bin stay indexed; a purged essay's rows
go with it. :func:`index_article` is idempotent (a task run twice writes the
same rows); :func:`rebuild` re-reads everything (``manage.py build_copy_index``),
needed after the segmenter's dictionary or the swap tables change.
"""

from __future__ import annotations

import io
import multiprocessing
from collections import deque
from dataclasses import dataclass

from django.db import connection, transaction

from articles.copies.models import CopyBand, CopyText
from articles.editing.rules import article_text
from articles.essay import copies
from articles.models import Article
from articles.search.segmentation import get_segmenter


def compared_form(text: str) -> copies.Normalised:
    """What is stored of a text (no formulations: those only matter for the essay being checked)."""
    return copies.normalise(text)


@dataclass(frozen=True)
class Form:
    """What the index stores of a text: its compared form, the form's digest and its band keys."""

    chars: str
    digest: str
    keys: list[int]


def form_of(text: str) -> Form:
    normalised = compared_form(text)
    return Form(normalised.chars, normalised.digest, copies.band_keys(normalised))


def _forms_of(texts: list[str]) -> list[Form]:
    return [form_of(text) for text in texts]


def write_bands(rows) -> None:
    """Store the band keys of ``rows``: (CopyText id, Form) pairs whose bands are not stored yet.

    On PostgreSQL one ``COPY`` for the lot (a text has 64 rows); elsewhere a bulk insert.
    """
    pairs = [(pk, key) for pk, form in rows for key in form.keys]
    if not pairs:
        return
    if connection.vendor == "postgresql":
        data = io.StringIO("".join(f"{key}\t{pk}\n" for pk, key in pairs))
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {CopyBand._meta.db_table} (key, text_id) FROM STDIN", data)
        return
    CopyBand.objects.bulk_create([CopyBand(key=key, text_id=pk) for pk, key in pairs], batch_size=5000)


def drop_texts(text_ids) -> None:
    """Delete these texts and their bands in two statements.

    Not ``QuerySet.delete()``: a ``post_delete`` receiver for every model (the
    audit log's) keeps Django's collector from deleting in bulk, and it would
    read and delete each text's 64 band rows one by one.
    """
    ids = list(text_ids)
    if ids:
        CopyBand.objects.filter(text_id__in=ids)._raw_delete(CopyBand.objects.db)
        CopyText.objects.filter(pk__in=ids)._raw_delete(CopyText.objects.db)


def clear() -> None:
    """Empty the index (every text and band)."""
    _empty_bands()
    CopyText.objects.all()._raw_delete(CopyText.objects.db)


def index_article(article_id) -> None:
    """Index the essay's current text (or drop its rows when it no longer exists)."""
    articles = list(Article.all_objects.prefetch_related("sections").filter(pk=article_id))
    if not articles:
        drop_texts(CopyText.objects.filter(article_id=article_id).values_list("pk", flat=True))
        return
    index_articles(articles)


def index_articles(articles, all_bands: bool = False, forms=None) -> set[int]:
    """Index these essays' current texts (sections prefetched), in a few queries for the lot.

    ``all_bands`` (a rebuild, the band table emptied): the bands of the
    current texts already stored are written too. ``forms``: the essays'
    (text, :class:`Form`) by id, when already computed. Returns the ids of
    the texts whose bands were written.
    """
    computed = {}
    for article in articles:
        if forms is not None and article.pk in forms:
            text, form = forms[article.pk]
        else:
            text = article_text(article)
            form = form_of(text)
        computed[article.pk] = (article, text, form)
    with transaction.atomic():
        rows = {}
        for row in CopyText.objects.select_for_update().filter(article_id__in=computed):
            rows[(row.article_id, row.digest)] = row
        new, current_ids, changed, kept = [], [], [], []
        for article, text, form in computed.values():
            published = article.status == Article.Status.PUBLISHED
            row = rows.pop((article.pk, form.digest), None)
            if row is None:
                row = CopyText(
                    article=article,
                    is_current=True,
                    was_published=published,
                    label=article.title,
                    text=text,
                    chars=form.chars,
                    digest=form.digest,
                )
                new.append((row, form))
                continue
            current_ids.append(row.pk)
            kept.append((row.pk, form))
            if not row.is_current or (published and not row.was_published) or row.label != article.title:
                row.is_current, row.was_published, row.label = True, row.was_published or published, article.title
                changed.append(row)
        CopyText.objects.bulk_create([row for row, _ in new])
        written = [(row.pk, form) for row, form in new] + (kept if all_bands else [])
        write_bands(written)
        CopyText.objects.bulk_update(changed, ["is_current", "was_published", "label"])
        # The essays' other texts: a text once published is kept, the others go.
        drop_texts(row.pk for row in rows.values() if not row.was_published)
        CopyText.objects.filter(pk__in=[row.pk for row in rows.values() if row.is_current]).update(is_current=False)
    return {pk for pk, _ in written}


def published_versions(article_ids) -> dict[int, list[str]]:
    """The texts of every revision (django-reversion) saved while the essay was published, per essay.

    For essays published before the index existed, or changed while no task
    worker ran: ``rebuild`` adds them, so last year's published wording is a
    source even after the essay was rewritten.
    """
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Version

    from articles.editing.revisions import Snapshot

    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=[str(pk) for pk in article_ids]
    ).select_related("revision")
    found: dict[int, list[str]] = {}
    for version in versions:
        if version.field_dict.get("status") != Article.Status.PUBLISHED:
            continue
        snapshot = Snapshot.from_version(version)
        lines = [snapshot.fields["标题"], snapshot.fields["副标题"], snapshot.fields["导语"]]
        for number, heading, body, _label in snapshot.sections:
            lines += [number + heading, body]
        lines += [snapshot.fields["结语"], snapshot.fields["作者单位"]]
        found.setdefault(int(version.object_id), []).append("\n".join(line for line in lines if line))
    return found


def _index_history(article_ids) -> set[int]:
    """Add the texts the essays had while published (from their revisions); returns the new rows' ids."""
    texts = published_versions(article_ids)
    if not texts:
        return set()
    known = set(CopyText.objects.filter(article_id__in=texts).values_list("article_id", "digest"))
    titles = dict(Article.all_objects.filter(pk__in=texts).values_list("pk", "title"))
    new = []
    for article_id, versions in texts.items():
        for text in versions:
            form = form_of(text)
            if (article_id, form.digest) in known:
                continue
            known.add((article_id, form.digest))
            row = CopyText(
                article_id=article_id,
                was_published=True,
                label=titles.get(article_id, ""),
                text=text,
                chars=form.chars,
                digest=form.digest,
            )
            new.append((row, form))
    with transaction.atomic():
        CopyText.objects.bulk_create([row for row, _ in new])
        write_bands([(row.pk, form) for row, form in new])
    return {row.pk for row, _ in new}


def save_reference(text: str, label: str, user) -> CopyText:
    """A private reference text (保存为私有参考文本), checked against from now on."""
    form = form_of(text)
    with transaction.atomic():
        row = CopyText.objects.create(
            kind=CopyText.Kind.REFERENCE,
            label=label[: CopyText._meta.get_field("label").max_length],
            text=text,
            chars=form.chars,
            digest=form.digest,
            created_by=user,
        )
        write_bands([(row.pk, form)])
    return row


def _empty_bands() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {CopyBand._meta.db_table}")
    else:
        CopyBand.objects.all()._raw_delete(CopyBand.objects.db)


def rebuild(batch_size: int = 200, progress=None, processes: int = 1) -> int:
    """Index every essay again (with the texts of its revisions saved while published),
    and derive every stored text's compared form and bands again.

    The band table is emptied first and every text's bands written once
    (each text form once): while it runs, checks find fewer candidates
    (an identical text is still found by its digest). With ``processes`` > 1
    the texts are form in that many worker processes (pure text work,
    no database), while this one reads the next essays and writes the rows.
    """
    _empty_bands()
    ids = list(Article.all_objects.order_by("pk").values_list("pk", flat=True))
    done, written = 0, set()
    get_segmenter()  # loaded once, before the workers are forked
    pool = multiprocessing.get_context("fork").Pool(processes) if processes > 1 else None
    pending = deque()

    def finish(chunk, articles, texts, result):
        nonlocal done, written
        forms = result.get() if pool is not None else _forms_of(texts)
        by_id = {article.pk: (text, form) for article, text, form in zip(articles, texts, forms, strict=True)}
        written |= index_articles(articles, all_bands=True, forms=by_id)
        written |= _index_history(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))

    try:
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            articles = list(Article.all_objects.prefetch_related("sections").filter(pk__in=chunk))
            texts = [article_text(article) for article in articles]
            result = pool.apply_async(_forms_of, (texts,)) if pool is not None else None
            pending.append((chunk, articles, texts, result))
            if len(pending) > processes:
                finish(*pending.popleft())
        while pending:
            finish(*pending.popleft())
    finally:
        if pool is not None:
            pool.terminate()
    # The other stored texts: essays' earlier published texts and private references.
    rest = sorted(set(CopyText.objects.values_list("pk", flat=True)) - written)
    for start in range(0, len(rest), batch_size):
        with transaction.atomic():
            rows = list(CopyText.objects.filter(pk__in=rest[start : start + batch_size]))
            derived = []
            for row in rows:
                form = form_of(row.text)
                if (row.chars, row.digest) != (form.chars, form.digest):
                    row.chars, row.digest = form.chars, form.digest
                    row.save(update_fields=["chars", "digest"])
                derived.append((row.pk, form))
            write_bands(derived)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics for the planner, and the visibility map set so
        # that a check's lookups are index-only scans.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {CopyBand._meta.db_table}, {CopyText._meta.db_table}")
    return done
