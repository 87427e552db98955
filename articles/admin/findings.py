"""Proofreading findings on the essay's change page: the 校对 panel, and the
political findings that publishing (or changing a live essay) must confirm,
of the stored essay or of the essay as the change form submits it."""

from dataclasses import replace

from articles.editing import rules as proofreading
from articles.essay import Essay, EssayPoint, EssaySection
from articles.essay.proofreading import SEVERITIES
from articles.models import ProofreadingRule, Section
from articles.text import html_to_text

POLITICAL = ProofreadingRule.Severity.POLITICAL
CONFIRM_POLITICAL_LABEL = "我已知悉本文仍有政治性问题，确认发布"
# The admin's form prefix for the sections inline: the reverse accessor.
SECTIONS_PREFIX = Section._meta.get_field("article").remote_field.get_accessor_name()


def submitted_essay(form):
    """The essay as the change form submits it, for proofreading before saving.

    The sections come from the inline's rows in the same POST (deleted and
    empty rows left out, in the order ``normalize_sections`` will
    give them); without inline data, from the stored article.
    """
    cleaned = form.cleaned_data
    essay = Essay(
        title=cleaned.get("title") or "",
        subtitle=cleaned.get("subtitle") or "",
        author_org=cleaned.get("author_org") or "",
        lead=html_to_text(cleaned.get("lead") or ""),
        conclusion=html_to_text(cleaned.get("conclusion") or ""),
    )
    for level, number, heading, body in _submitted_sections(form):
        if level == Section.Level.SECTION:
            essay.sections.append(EssaySection(number, heading, body=html_to_text(body)))
            continue
        if not essay.sections:
            essay.sections.append(EssaySection("", ""))  # points before any section
        essay.sections[-1].points.append(EssayPoint(number, heading, html_to_text(body)))
    return essay


def _submitted_sections(form):
    data, prefix = form.data, SECTIONS_PREFIX
    try:
        total = min(int(data[f"{prefix}-TOTAL_FORMS"]), 1000)
    except (KeyError, TypeError, ValueError):
        stored = form.instance.sections.all() if form.instance.pk else []
        return [(row.level, row.number, row.heading, row.body) for row in stored]
    rows = []
    for index in range(total):
        row = {
            name: data.get(f"{prefix}-{index}-{name}", "")
            for name in ("heading", "body", "number", "level", "position", "DELETE")
        }
        heading, body = row["heading"].strip(), row["body"]
        if row["DELETE"] or not (heading or html_to_text(body)):
            continue
        try:
            position = int(row["position"] or 0)
        except ValueError:
            position = 0
        level = Section.Level.POINT if row["level"] == str(Section.Level.POINT) else Section.Level.SECTION
        rows.append((position, index, level, row["number"], heading, body))
    # Ties keep the form's order, as normalize_sections' (position, id) does.
    return [row[2:] for row in sorted(rows)]


# Where a finding outside the sections is edited on the change page
# (ids of the change form's inputs, and wrappers in change_form.html).
_FIELD_ANCHORS = {
    "title": "#id_title",
    "subtitle": "#id_subtitle",
    "author_org": "#id_author_org",
    "lead": "#essay-lead",
    "conclusion": "#essay-conclusion",
}


def proofreading_panel(article, inline_admin_formsets):
    """The stored essay's findings, linked to the inline row or field they are in."""
    rows = {}
    for inline in inline_admin_formsets:
        if inline.formset.prefix == SECTIONS_PREFIX:
            # The rendered rows' order: Django gives row i the id "sections-i".
            rows = {form.instance.pk: i for i, form in enumerate(inline.formset.forms) if form.instance.pk}
    preview = article.get_preview_url()
    items = []
    for finding in proofreading.proofread_article(article):
        if finding.section_id is not None:
            row = rows.get(finding.section_id)
            href = f"#{SECTIONS_PREFIX}-{row}" if row is not None else ""
            preview_href = f"{preview}#{finding.anchor}"
        else:
            href, preview_href = _FIELD_ANCHORS.get(finding.field, ""), preview
        items.append(replace(finding, href=href, preview_href=preview_href))
    rank = {key: n for n, key in enumerate(SEVERITIES)}
    return sorted(items, key=lambda item: rank.get(item.severity, 9))  # stable: reading order within
