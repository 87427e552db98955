"""Revisions of essays (django-reversion): recording, reading, comparing, restoring.

An essay, its sections and its topic links are one revision: ``Article`` is
registered following ``sections`` (``articles/models.py``), and the topic
links are the essay's many-to-many field, serialized with it. django-reversion
rather than django-simple-history because simple-history keeps one history
table per model with no notion of "these rows were saved together", so an
essay and its twenty sections could not be shown, compared or restored as
the one document an editor saved.

The comparison is by character (``difflib.SequenceMatcher``): Chinese has no
spaces, so a word diff would mark whole paragraphs as changed.
"""

import difflib
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version

from articles import events
from articles.editing import rules as proofreading
from articles.editing import workflow, working_copy
from articles.editing.sections import normalize_sections
from articles.models import Article, ArticleTransition, Section
from articles.text import html_to_text

# Fields that belong to the workflow, not to the text: restoring an old
# revision brings back what was written, never an old status or lock.
WORKFLOW_FIELDS = (
    "status",
    "review_stage",
    "published_at",
    "deleted_at",
    "deleted_by_id",
    "view_count",
    "political_findings_confirmed_by_id",
    "political_findings_confirmed_at",
    "created_at",
    "created_by_id",
    "version",
    "is_pinned",
)


LIVE_RESTORE_REFUSAL = (
    "已发布（含定时发布）的文稿不能直接恢复历史版本：修改已发布文稿须经审核。"
    "请点击“修改（送审后生效）”，在修改稿中修改后送审；紧急情况请先撤回。"
)


def add_essay(article):
    """Put ``article`` and all its current sections in the open revision.

    Needed after ``bulk_create``/``bulk_update`` (no signals) and after
    ``normalize_sections``: reversion serializes an object when it is added,
    so sections saved before renumbering would be stored with old positions.
    """
    if not reversion.is_active():
        return
    reversion.add_to_revision(article)
    for section in Section.objects.filter(article=article):
        reversion.add_to_revision(section)


def versions_of(article):
    """The essay's revisions, newest first (``reversion.models.Version`` rows)."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def version_for_lock(article, lock_version):
    """The revision saved with the essay's ``version`` counter at ``lock_version``, if any."""
    for version in versions_of(article)[:50]:
        if version.field_dict.get("version") == lock_version:
            return version
    return None


@dataclass
class Snapshot:
    """An essay as a revision stored it, as plain text for comparing."""

    fields: dict
    # [(number, heading, body, label)]: label is the section's number as the essay shows it,
    # a point's with its part's ("二、（三）"), "" when the section has no number.
    sections: list = field(default_factory=list)

    @classmethod
    def from_version(cls, version):
        data = version.field_dict
        topic_ids = data.get("topics") or []
        from topics.models import Topic

        names = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "name"))
        fields = {
            "标题": data.get("title", ""),
            "副标题": data.get("subtitle", ""),
            "作者": data.get("author", ""),
            "作者单位": data.get("author_org", ""),
            "来源": data.get("source", ""),
            "摘要": data.get("summary", ""),
            "导语": html_to_text(data.get("lead", "")),
            "结语": html_to_text(data.get("conclusion", "")),
            "专题": "、".join(names.get(int(pk), f"（已删除的专题 {pk}）") for pk in topic_ids),
        }
        rows = []
        section_type = ContentType.objects.get_for_model(Section)
        for other in version.revision.version_set.filter(content_type=section_type):
            section = other.field_dict
            if str(section.get("article_id")) != str(version.object_id):
                continue  # a revision saved with another essay
            rows.append((section.get("position", 0), int(other.object_id), section))
        sections = []
        part_number = ""
        for _, _, section in sorted(rows, key=lambda row: row[:2]):
            number = section.get("number", "") or ""
            if section.get("level", Section.Level.SECTION) == Section.Level.SECTION:
                part_number = number
                label = number
            else:
                label = part_number + number if number else ""
            sections.append((number, section.get("heading", ""), html_to_text(section.get("body", "")), label))
        return cls(fields, sections)


def _article_fields(article):
    """An essay's fields as :meth:`Snapshot.from_version` names them, from the row itself."""
    return {
        "标题": article.title,
        "副标题": article.subtitle,
        "作者": article.author,
        "作者单位": article.author_org,
        "来源": article.source,
        "摘要": article.summary,
        "导语": html_to_text(article.lead),
        "结语": html_to_text(article.conclusion),
        "专题": "、".join(topic.name for topic in article.topics.order_by("id")),
    }


def _labelled_sections(sections):
    """``[(section, label)]``: a point's label carries its part's number ("二、（三）")."""
    part_number, labelled = "", []
    for section in sections:
        number = section.number or ""
        if section.level == Section.Level.SECTION:
            part_number = number
            labelled.append((section, number))
        else:
            labelled.append((section, part_number + number if number else ""))
    return labelled


@dataclass
class DiffRow:
    label: str
    old_html: str
    new_html: str
    changed: bool


def char_diff(old, new):
    """Two HTML fragments marking, character by character, what was removed and added."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(format_html("{}", old[i1:i2]))
            right.append(format_html("{}", new[j1:j2]))
            continue
        if i2 > i1:
            left.append(format_html("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            right.append(format_html("<ins>{}</ins>", new[j1:j2]))
    join = lambda parts: format_html_join("", "{}", ((part,) for part in parts))  # noqa: E731
    return join(left), join(right)


def section_label(old_label, new_label, index):
    """A section row's name: its number as the essay shows it ("二、（三）"), the new
    revision's, the old one's when the new one has none or differs ("二、（三）→ 二、（四）"),
    the row's place ("第 8 条") when neither revision numbers it."""
    if old_label and new_label and old_label != new_label:
        return f"{old_label}→{new_label}"
    return new_label or old_label or f"第 {index + 1} 条"


def compare(old_version, new_version):
    """Side-by-side rows for two revisions of one essay: every field, then section by section."""
    old, new = Snapshot.from_version(old_version), Snapshot.from_version(new_version)
    rows = []

    def add(label, a, b):
        left, right = char_diff(a, b)
        rows.append(DiffRow(label, left, right, a != b))

    for label in old.fields:
        if label == "结语":
            continue
        add(label, old.fields[label], new.fields.get(label, ""))
    for index in range(max(len(old.sections), len(new.sections))):
        a = old.sections[index] if index < len(old.sections) else ("", "", "", "")
        b = new.sections[index] if index < len(new.sections) else ("", "", "", "")
        label = section_label(a[3], b[3], index)
        add(f"{label} 标题", a[0] + a[1], b[0] + b[1])
        add(f"{label} 正文", a[2], b[2])
    add("结语", old.fields["结语"], new.fields["结语"])
    return rows


def compare_with_live(live, copy):
    """What a working copy (修改稿) changes in its live essay: every field, then
    section by section, character by character. Sections are matched by the
    copy's ``origin`` (the live section each was copied from), not by place:
    a section added in between shows as added, not as every later one changed.
    Rows come in the copy's order, removed live sections where they stood."""
    old, new = _article_fields(live), _article_fields(copy)
    rows = []

    def add(label, a, b):
        left, right = char_diff(a, b)
        rows.append(DiffRow(label, left, right, a != b))

    for label in old:
        if label != "结语":
            add(label, old[label], new[label])
    live_sections = _labelled_sections(live.sections.order_by("position", "id"))
    copy_sections = _labelled_sections(copy.sections.order_by("position", "id"))
    used = {section.origin_id for section, _ in copy_sections if section.origin_id}
    by_id = {section.pk: (section, label) for section, label in live_sections}
    removed = [(section, label) for section, label in live_sections if section.pk not in used]
    for index, (section, label) in enumerate(copy_sections):
        # A live section removed before this one's origin: shown here, in its old place.
        origin = by_id.get(section.origin_id)
        while removed and origin is not None and removed[0][0].position < origin[0].position:
            gone, gone_label = removed.pop(0)
            add(f"{section_label(gone_label, '', index)} 标题（删除）", gone.number + gone.heading, "")
            add(f"{section_label(gone_label, '', index)} 正文（删除）", html_to_text(gone.body), "")
        if origin is None:
            name = f"{section_label('', label, index)}（新增）"
            add(f"{name} 标题", "", section.number + section.heading)
            add(f"{name} 正文", "", html_to_text(section.body))
            continue
        live_section, live_label = origin
        name = section_label(live_label, label, index)
        add(f"{name} 标题", live_section.number + live_section.heading, section.number + section.heading)
        add(f"{name} 正文", html_to_text(live_section.body), html_to_text(section.body))
    for gone, gone_label in removed:
        add(f"{section_label(gone_label, '', len(rows))} 标题（删除）", gone.number + gone.heading, "")
        add(f"{section_label(gone_label, '', len(rows))} 正文（删除）", html_to_text(gone.body), "")
    add("结语", old["结语"], new["结语"])
    return rows


class ConfirmationNeeded(workflow.WorkflowError):
    """Restoring would put political-term findings into a live essay: ask first."""

    def __init__(self, findings):
        super().__init__(
            f"恢复后本文仍有 {len(findings)} 处政治性问题，而本文已发布（或定时发布），恢复的内容将直接面向读者。",
            409,
        )
        self.findings = findings


def restore(article, version, user, *, confirm_political=False):
    """Bring the essay's text back to ``version``: fields, sections and topic links.

    The workflow state (status, publish time, recycle bin, lock counter…) stays
    as it is now; the restored text is saved as a new revision, sections are
    renumbered, and the step is recorded as 恢复版本. Restoring changes the
    text, so a live essay needs the same confirmation as any other change of
    its text when political-term findings remain
    (``workflow.political_confirmation_applies``): without it, nothing is
    restored and :class:`ConfirmationNeeded` lists the findings.
    """
    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise ValueError("该版本不属于这篇文稿。")
    with transaction.atomic(), events.changes(), reversion.create_revision():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if working_copy.needs_copy(current):
            # A live essay changes only through review: restore into its working copy instead.
            raise workflow.WorkflowError(LIVE_RESTORE_REFUSAL, 409)
        kept = {name: getattr(current, name) for name in WORKFLOW_FIELDS}
        text_before = proofreading.article_text(current)
        version.revision.revert(delete=True)
        Article.all_objects.filter(pk=article.pk).update(**kept)
        restored = Article.all_objects.get(pk=article.pk)
        restored.updated_by = user
        findings = None
        text_changed = proofreading.article_text(restored) != text_before
        if workflow.political_confirmation_applies(current.status, restored.status, text_changed):
            findings = proofreading.political_findings(restored)
            if findings and not confirm_political:
                raise ConfirmationNeeded(findings)  # rolls the revert back
            workflow.record_political_confirmation(restored, user, confirmed=bool(findings))
        restored.save()
        normalize_sections(restored)
        comment = f"恢复到 {timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M} 的版本"
        if findings:
            comment += f"。仍有 {len(findings)} 处政治性问题，由恢复人确认发布"
        reversion.set_user(user)
        reversion.set_comment(comment)
        add_essay(restored)
        workflow.record_transition(
            restored,
            user,
            ArticleTransition.Action.RESTORE_REVISION,
            restored.status,
            restored.review_stage,
            comment=comment,
        )
    return restored
