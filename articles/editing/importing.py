"""Importing an essay: a parsed :class:`articles.essay.Essay` becomes an Article with its sections."""

import reversion
from django.db import transaction

from articles import events
from articles.copies import index as copy_index
from articles.editing import revisions, workflow
from articles.models import Article, Section
from articles.richtext import paragraphs_to_html


def _fit(model, field_name, value):
    """Cut ``value`` to the column's length (parsed titles can run long)."""
    return value[: model._meta.get_field(field_name).max_length]


def import_essay(essay, *, topics=(), publish_now=False, user=None, source=""):
    """Store a parsed :class:`articles.essay.Essay` as an Article with its sections.

    All or nothing: the article and every section are written in one
    transaction, and become the essay's first revision (inside an enclosing
    ``reversion.create_revision()`` they join that one). The essay's
    plain-text paragraphs become ``<p>`` paragraphs; points take the kind of
    their section.
    """
    with transaction.atomic(), events.changes(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment("导入文稿")
        article = Article(
            title=_fit(Article, "title", essay.title),
            subtitle=_fit(Article, "subtitle", essay.subtitle),
            author_org=_fit(Article, "author_org", essay.author_org),
            source=_fit(Article, "source", source or essay.author_org),
            lead=paragraphs_to_html(essay.lead),
            conclusion=paragraphs_to_html(essay.conclusion),
            created_by=user,
            updated_by=user,
        )
        article.save()
        if topics:
            article.topics.set(topics)
        rows = []
        for part in essay.sections:
            rows.append(_section_row(article, len(rows), Section.Level.SECTION, part, part.kind))
            for point in part.points:  # points take the kind of their part
                rows.append(_section_row(article, len(rows), Section.Level.POINT, point, part.kind))
        Section.objects.bulk_create(rows)
        events.essays_changed([article.pk])  # bulk_create sends no signal
        if publish_now:
            workflow.publish(article, user, confirm_secrecy=True)
        revisions.add_essay(article)
        # Into the copy index at once, not only when the task worker gets to
        # it: the next import of the same text (a second click, the next file
        # of a batch) must find this one.
        copy_index.index_article(article.pk)
    return article


def _section_row(article, position, level, item, kind):
    """The Section row of a parsed part or point, its plain-text paragraphs as ``<p>``."""
    return Section(
        article=article,
        position=position,
        level=level,
        number=item.number,
        heading=_fit(Section, "heading", item.heading),
        kind=kind,
        body=paragraphs_to_html(item.body),
    )
