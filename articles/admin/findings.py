"""Proofreading findings on the essay's change page: the 校对 panel, and the
political findings that publishing (or changing a live essay) must confirm,
of the stored essay or of the essay as the change form submits it.

The panel applies fixes (:func:`apply_view`): the editor accepts or rejects
each finding, or every finding of a rule; the accepted fixes are made in the
stored essay in one save through the normal path (the ``version`` lock, one
revision with the fixes in its comment, the essay-changed event), rejected
findings are remembered (:class:`~articles.models.DismissedFinding`) and not
shown again. Essays that are live (published or scheduled) are refused: a
change of their text goes through the change form and its confirmation.
"""

from dataclasses import dataclass, field, replace

import reversion
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from articles import events
from articles.admin.common import refuse, visible_article
from articles.editing import revisions, workflow
from articles.editing import rules as proofreading
from articles.essay import Essay, EssayPoint, EssaySection
from articles.essay.proofreading import SEVERITIES
from articles.models import Article, DismissedFinding, ProofreadingRule, Section
from articles.text import html_to_text, replace_in_html

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
    for finding in panel_findings(article):
        if finding.section_id is not None:
            row = rows.get(finding.section_id)
            href = f"#{SECTIONS_PREFIX}-{row}" if row is not None else ""
            preview_href = f"{preview}#{finding.anchor}"
        else:
            href, preview_href = _FIELD_ANCHORS.get(finding.field, ""), preview
        items.append(replace(finding, href=href, preview_href=preview_href))
    rank = {key: n for n, key in enumerate(SEVERITIES)}
    return sorted(items, key=lambda item: rank.get(item.severity, 9))  # stable: reading order within


# --------------------------------------------------------------------------
# Applying the panel's decisions: accept or reject each finding, or a whole rule.

# What the panel offers per finding and per rule (form values → labels).
FINDING_CHOICES = (("", "暂不处理"), ("accept", "采纳"), ("reject", "忽略"))
RULE_CHOICES = (("", "逐条"), ("accept", "全部采纳"), ("reject", "全部忽略"))
_TOP_RICH = {"lead", "conclusion"}
_SECTION_RICH = {"body"}


def panel_form_context(model_admin, request, article, panel):
    """What the panel's accept/reject form needs: whether it is offered, where it posts, the rules present."""
    can_apply = model_admin.has_change_permission(request, article) and not workflow.is_live(article.status)
    rules = {}
    for item in panel:
        entry = rules.setdefault(item.rule, {"rule": item.rule, "label": item.category_label, "count": 0, "fixable": 0})
        entry["count"] += 1
        entry["fixable"] += item.fixable
    return {
        "proofreading_can_apply": can_apply and bool(panel),
        "proofreading_live": workflow.is_live(article.status),
        "proofreading_apply_url": reverse("admin:articles_article_proofreading_apply", args=[article.pk]),
        "proofreading_rules": sorted(rules.values(), key=lambda entry: -entry["count"]),
        "proofreading_finding_choices": FINDING_CHOICES,
        "proofreading_rule_choices": RULE_CHOICES,
        "proofreading_lock_version": article.version,
    }


def finding_key(finding):
    """What recognises a finding across saves: where, the rule, the change and a few characters around it."""
    where = f"s{finding.section_id}.{finding.field}" if finding.section_id else finding.field
    parts = (
        where,
        finding.rule,
        finding.original,
        finding.suggestion,
        finding.context_before[-8:],
        finding.context_after[:8],
    )
    return "|".join(parts)[:400]


def panel_findings(article):
    """The stored essay's findings less those an editor dismissed."""
    dismissed = set(article.dismissed_findings.values_list("key", flat=True)) if article.pk else set()
    return [finding for finding in proofreading.proofread_article(article) if finding_key(finding) not in dismissed]


@dataclass
class PanelOutcome:
    applied: list = field(default_factory=list)
    dismissed: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    article: object = None

    @property
    def summary(self):
        parts = []
        if self.applied:
            parts.append(f"采纳 {len(self.applied)} 处：" + "、".join(_change_label(f) for f in self.applied[:10]))
            if len(self.applied) > 10:
                parts[-1] += " 等"
        if self.dismissed:
            parts.append(f"忽略 {len(self.dismissed)} 处")
        if self.failed:
            parts.append(f"{len(self.failed)} 处无法自动修改，请手工修改")
        return "；".join(parts)


def _change_label(finding):
    if not finding.original:
        return f"补“{finding.suggestion}”"
    if not finding.suggestion:
        return f"删“{finding.original}”"
    return f"{finding.original}→{finding.suggestion}"


def decisions(findings, data):
    """(accepted, rejected) findings from the submitted panel: a rule's choice wins over its findings' own."""
    accepted, rejected = [], []
    for finding in findings:
        choice = data.get(f"rule:{finding.rule}") or data.get(f"finding:{finding.id}") or ""
        if choice == "accept" and finding.fixable:
            accepted.append(finding)
        elif choice == "reject":
            rejected.append(finding)
    return accepted, rejected


class PanelConflict(Exception):
    """The essay changed since the panel was shown: nothing was applied."""


def apply_panel(article, user, data, lock_version):
    """Apply the accepted fixes to the stored essay in one save, and remember the rejected findings.

    The save is the normal one: the essay's ``version`` moves on (optimistic
    locking: ``lock_version`` must be the version the panel was shown for,
    else :class:`PanelConflict`), the essay and its sections form one
    revision whose comment lists the fixes, and the essay-changed event
    follows. Only the fields a fix touches change.
    """
    outcome = PanelOutcome()
    with transaction.atomic(), events.changes(), reversion.create_revision():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.version != lock_version:
            raise PanelConflict(current.version)
        findings = panel_findings(current)
        accepted, rejected = decisions(findings, data)
        sections = {section.pk: section for section in current.sections.all()}
        by_place = {}
        for finding in accepted:
            by_place.setdefault((finding.section_id, finding.field), []).append(finding)
        changed_sections = set()
        changed_fields = set()
        for (section_id, name), items in by_place.items():
            holder = current if section_id is None else sections.get(section_id)
            if holder is None:
                outcome.failed.extend(items)
                continue
            rich = name in (_TOP_RICH if section_id is None else _SECTION_RICH)
            value = getattr(holder, name) or ""
            limit = None
            for finding in sorted(items, key=lambda f: (f.start, f.end), reverse=True):
                if limit is not None and finding.end > limit:
                    outcome.failed.append(finding)  # overlaps a fix already made
                    continue
                new = _fix(value, finding, rich)
                if new is None:
                    outcome.failed.append(finding)
                    continue
                value, limit = new, finding.start
                outcome.applied.append(finding)
            if value != (getattr(holder, name) or ""):
                setattr(holder, name, value)
                if section_id is None:
                    changed_fields.add(name)
                else:
                    changed_sections.add(section_id)
        outcome.applied.reverse()
        for section_id in changed_sections:
            sections[section_id].save()
        if outcome.applied:
            current.updated_by = user
            current.save()
            reversion.set_user(user)
            reversion.set_comment("校对：" + outcome.summary)
            revisions.add_essay(current)
        DismissedFinding.objects.bulk_create(
            [
                DismissedFinding(
                    article=current,
                    key=finding_key(finding),
                    rule=finding.rule,
                    original=finding.original[:200],
                    suggestion=finding.suggestion[:200],
                    dismissed_by=user,
                )
                for finding in rejected
            ],
            ignore_conflicts=True,
        )
        outcome.dismissed = rejected
        outcome.article = current
    return outcome


def _fix(value, finding, rich):
    if rich:
        return replace_in_html(value, finding.start, finding.end, finding.original, finding.suggestion)
    if value[finding.start : finding.end] != finding.original:
        return None
    return value[: finding.start] + finding.suggestion + value[finding.end :]


def apply_view(model_admin, request, pk):
    """POST of the 校对 panel: apply the accepted fixes, remember the rejections, back to the change page."""
    article = visible_article(model_admin, request, pk)
    if not model_admin.has_change_permission(request, article):
        return refuse(model_admin, request, "您没有修改这篇文稿的权限，不能采纳校对建议。", 403)
    if workflow.is_live(article.status):
        return refuse(
            model_admin,
            request,
            "已发布或定时发布的文稿不能在校对面板中直接修改：请在编辑页中修改并按提示确认，或撤回为草稿后再采纳校对建议。",
            409,
        )
    try:
        lock_version = int(request.POST.get("lock_version", ""))
    except ValueError:
        return refuse(model_admin, request, "提交的内容不完整（缺少文稿版次），请刷新页面后重试。", 400)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    try:
        outcome = apply_panel(article, request.user, request.POST, lock_version)
    except PanelConflict as conflict:
        model_admin.message_user(
            request,
            f"文稿在您打开后已被保存（现为第 {conflict.args[0]} 版），校对建议未处理。请查看最新内容后重新选择。",
            messages.WARNING,
        )
        return HttpResponseRedirect(change_url + "#proofreading")
    if not (outcome.applied or outcome.dismissed or outcome.failed):
        model_admin.message_user(request, "没有选择要采纳或忽略的校对建议。", messages.INFO)
    else:
        level = messages.WARNING if outcome.failed else messages.SUCCESS
        saved = "已保存为新的版本，" if outcome.applied else ""
        model_admin.message_user(request, f"{saved}校对：{outcome.summary}。", level)
    return HttpResponseRedirect(change_url + "#proofreading")
