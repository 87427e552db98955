"""Keeping the index current: an essay in, its search document and passages out.

Everything here is idempotent: indexing an essay twice gives the same rows,
and indexing an essay that no longer exists removes its rows.
"""

from __future__ import annotations

from django.db import transaction

from articles.models import Article
from articles.search.backends import get_backend
from articles.search.impacts import impacts as impacts_of
from articles.search.models import SearchDocument, SearchImpact, SearchPassage
from articles.search.segmentation import Segmenter, get_segmenter, index_tokens_of
from articles.text import html_to_text


def _join(*parts):
    return "\n".join(part for part in parts if part)


def title_prefix(title: str, subtitle: str) -> str:
    """How a document's text starts: the title lines (left out of snippets)."""
    return _join(title, subtitle) + "\n"


def build(article, sections, topic_names, segmenter: Segmenter | None = None):
    """``(SearchDocument, [SearchPassage], [(article_id, term, impact)])`` for ``article``, unsaved.

    The impacts are plain rows (an essay has dozens): the backend writes them
    (``Backend.write_impacts``) without a model instance for each.

    ``sections`` in order; ``topic_names`` the names of its topics, indexed
    with the headings (an essay tagged 党风廉政建设 is found by that name).
    """
    summary = article.summary or ""
    lead = html_to_text(article.lead)
    conclusion = html_to_text(article.conclusion)
    headings = [f"{section.number}{section.heading}" for section in sections]
    bodies = [html_to_text(section.body) for section in sections]
    n = len(sections)
    # One call into the segmenter for the whole essay, sliced back below.
    tokens = index_tokens_of(
        [
            *(section.heading for section in sections),
            *bodies,
            article.title,
            article.subtitle,
            *topic_names,
            summary,
            lead,
            conclusion,
            article.author,
            article.author_org,
        ],
        segmenter,
    )
    section_heading_tokens, section_body_tokens = tokens[:n], tokens[n : 2 * n]
    title_tokens = tokens[2 * n] + tokens[2 * n + 1]
    topic_tokens = [token for part in tokens[2 * n + 2 : 2 * n + 2 + len(topic_names)] for token in part]
    lead_tokens = [token for part in tokens[2 * n + 2 + len(topic_names) :] for token in part]

    by_kind = {}  # kind -> (texts, tokens)
    for index, section in enumerate(sections):
        texts, kind_tokens = by_kind.setdefault(section.kind, ([], []))
        texts.append(_join(headings[index], bodies[index]))
        kind_tokens += section_heading_tokens[index] + section_body_tokens[index]

    heading_tokens = [t for part in section_heading_tokens for t in part] + topic_tokens
    body_tokens = [t for part in section_body_tokens for t in part]
    document = SearchDocument(
        article_id=article.pk,
        status=article.status,
        published_at=article.published_at,
        title_tokens=" ".join(title_tokens),
        heading_tokens=" ".join(heading_tokens),
        lead_tokens=" ".join(lead_tokens),
        body_tokens=" ".join(body_tokens),
        text=title_prefix(article.title, article.subtitle)
        + _join(
            summary,
            lead,
            *(_join(h, b) for h, b in zip(headings, bodies, strict=True)),
            conclusion,
        ),
    )
    passages = [
        SearchPassage(article_id=article.pk, kind=kind, tokens=" ".join(kind_tokens), text=_join(*texts))
        for kind, (texts, kind_tokens) in by_kind.items()
    ]
    impacts = [
        (article.pk, term, impact)
        for term, impact in impacts_of(title_tokens, heading_tokens, lead_tokens, body_tokens)
    ]
    return document, passages, impacts


def _with_relations(queryset):
    return queryset.prefetch_related("sections", "topics")


def index_article(article_or_id) -> SearchDocument | None:
    """Rebuild the search rows of one essay (given as an Article or its id); returns the document.

    Reads the essay afresh, so it sees sections and topics saved after the
    instance it was given. An essay that no longer exists loses its rows.
    """
    article_id = getattr(article_or_id, "pk", article_or_id)
    article = _with_relations(Article.objects.filter(pk=article_id)).first()
    if article is None:
        remove_article(article_id)
        return None
    document, passages, impacts = build(
        article, list(article.sections.all()), [topic.name for topic in article.topics.all()]
    )
    with transaction.atomic():
        document.save()
        SearchPassage.objects.filter(article_id=article_id).delete()
        SearchPassage.objects.bulk_create(passages)
        SearchImpact.objects.filter(article_id=article_id).delete()
        backend = get_backend()
        if backend.uses_impacts:
            backend.write_impacts(impacts)
    return document


def remove_article(article_id) -> None:
    """Drop an essay's search rows (nothing happens if there are none)."""
    SearchImpact.objects.filter(article_id=article_id).delete()
    SearchPassage.objects.filter(article_id=article_id).delete()
    SearchDocument.objects.filter(article_id=article_id).delete()


def rebuild(batch_size: int = 500, progress=None) -> int:
    """Index every essay again, ``batch_size`` at a time; returns how many were indexed.

    ``progress(n)`` is called after each batch with the number just done.
    Each batch is its own transaction: the index stays usable while a
    rebuild runs, and an interrupted rebuild can simply be run again.
    """
    segmenter = get_segmenter()
    SearchDocument.objects.exclude(article__in=Article.objects.all()).delete()
    SearchImpact.objects.exclude(article__in=Article.objects.all()).delete()
    backend = get_backend()
    if SearchDocument.objects.exists() or SearchPassage.objects.exists():
        return _rebuild(segmenter, batch_size, progress, backend)
    # An empty index (a new database, a benchmark): nobody is searching yet,
    # so let the database build its full-text index once, at the end.
    with backend.bulk_load():
        return _rebuild(segmenter, batch_size, progress, backend)


def _rebuild(segmenter, batch_size, progress, backend):
    done = 0
    last_id = 0
    while True:
        batch = list(_with_relations(Article.objects.filter(pk__gt=last_id).order_by("pk"))[:batch_size])
        if not batch:
            break
        documents, passages, impacts = [], [], []
        for article in batch:
            document, article_passages, article_impacts = build(
                article, list(article.sections.all()), [t.name for t in article.topics.all()], segmenter
            )
            documents.append(document)
            passages.extend(article_passages)
            impacts.extend(article_impacts)
        ids = [article.pk for article in batch]
        with transaction.atomic():
            SearchImpact.objects.filter(article_id__in=ids).delete()
            SearchPassage.objects.filter(article_id__in=ids).delete()
            SearchDocument.objects.filter(article_id__in=ids).delete()
            SearchDocument.objects.bulk_create(documents)
            SearchPassage.objects.bulk_create(passages)
            if backend.uses_impacts:
                backend.write_impacts(impacts)
        done += len(batch)
        last_id = batch[-1].pk
        if progress is not None:
            progress(len(batch))
    return done
