"""导入文稿: paste or upload an essay, review the proofreader's findings, create a draft.

Two steps on one admin URL (``ArticleAdmin.get_urls``):

1. **Source** — paste the text or upload a .txt (UTF-8 or GB18030) or .docx
   file. The text is parsed at once: an unreadable file, an empty or
   structureless text is a form error with the parser's Chinese message.
2. **Review** — the parsed structure with every finding marked in place,
   and the findings grouped by rule, each accepted or rejected. 生成草稿
   applies the accepted fixes and stores the essay as a draft through
   :func:`articles.editing.importing.import_essay` (one transaction: nothing is
   half-imported).

Stateless between the steps: the raw text travels in a hidden field and
parsing and proofreading are recomputed on submit (both are deterministic).
A fingerprint of the findings travels with it; when the findings differ on
submit (an editor changed the rules in between, or the text was altered),
the review is shown again instead of applying decisions to the wrong places.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.editing import importing
from articles.editing import rules as proofreading
from articles.editing.docx import MAX_DOCX_BYTES, docx_to_text
from articles.essay import EssayError, parse
from articles.essay.decoding import MAX_ESSAY_BYTES, decode_essay_bytes
from articles.essay.layout import essay_text, fix_essay
from articles.models import Article, ProofreadingRule, Section
from topics.admin import TREE_ORDERING, tree_label
from topics.models import Topic

MAX_UPLOAD_BYTES = min(MAX_ESSAY_BYTES, MAX_DOCX_BYTES)
# A long essay has a few tens of thousands of characters; far more is not
# one essay, and its review page would be unusable.
MAX_TEXT_CHARS = 200_000
# Findings below this confidence are proposed unticked.
ACCEPT_THRESHOLD = 0.7
# Each ticked box is one POST field and Django refuses more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1000); findings past this many get no box
# and follow their rule's choice (or their default).
MAX_CHOICES = 500

RULE_CHOICES = (("each", "逐条"), ("accept", "全部接受"), ("reject", "全部拒绝"))
SEVERITY_LABELS = {"political": "政治性", "high": "高", "medium": "中", "low": "低"}
CATEGORY_LABELS = dict(ProofreadingRule.Category.choices)
KIND_LABELS = dict(Section.Kind.choices)

SOURCE_TEMPLATE = "admin/articles/article/import_source.html"
REVIEW_TEMPLATE = "admin/articles/article/import_review.html"


def as_sentence(message) -> str:
    """A message from the essay layer as a sentence ending in 。."""
    message = str(message).strip()
    return message if message.endswith(("。", "！", "？")) else message + "。"


def _normalize(text: str) -> str:
    # Browsers submit line breaks as CRLF; the parser and the fingerprint see LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_long(length: int) -> str:
    return (
        f"文稿过长（约 {length // 10_000} 万字，上限 {MAX_TEXT_CHARS // 10_000} 万字）："
        "这不像是一篇文稿，请分篇导入。"
    )


# --- forms ----------------------------------------------------------------


class _ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "\uff1a")
        super().__init__(*args, **kwargs)


class ImportSourceForm(_ChineseForm):
    text = forms.CharField(
        label="粘贴全文", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "import-text", "spellcheck": "false"}),
        help_text="从文档或网页复制的全文，包括标题、导语、各部分和结语。",
    )
    upload = forms.FileField(
        label="或上传文件", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,text/plain"}),
        help_text=(
            f"纯文本 .txt（UTF-8 或 GB18030 编码）或 Word .docx，"
            f"不超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。"
        ),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件过大（{upload.size / (1024 * 1024):.1f} MB），"
                f"上限 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB：请删去图片后另存，或改传 .txt 文本。"
            )
        name = (upload.name or "").lower()
        data = upload.read()
        try:
            if name.endswith(".docx"):
                return docx_to_text(data)
            if name.endswith(".txt"):
                return decode_essay_bytes(data)
        except EssayError as error:
            raise forms.ValidationError(as_sentence(error)) from None
        if name.endswith(".doc"):
            raise forms.ValidationError("不支持旧版 Word（.doc）文件：请在 Word 中另存为 .docx 或纯文本 .txt 后再上传。")
        raise forms.ValidationError("只能上传纯文本 .txt 或 Word .docx 文件。")

    def clean(self):
        cleaned = super().clean()
        text = _normalize(cleaned.get("text") or "")
        uploaded = cleaned.get("upload")
        if self.errors:
            return cleaned
        if text.strip() and uploaded:
            raise forms.ValidationError("请只选一种方式：粘贴全文，或上传文件。")
        raw = uploaded if uploaded else text
        if not raw.strip():
            raise forms.ValidationError("请粘贴文稿全文，或选择要上传的 .txt / .docx 文件。")
        if len(raw) > MAX_TEXT_CHARS:
            raise forms.ValidationError(_too_long(len(raw)))
        try:
            cleaned["essay"] = parse(raw)
        except EssayError as error:
            raise forms.ValidationError("无法导入：" + as_sentence(error)) from None
        cleaned["raw_text"] = raw
        return cleaned


class TopicsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic):
        return tree_label(topic)


class ImportReviewForm(_ChineseForm):
    """The hidden raw text and fingerprint, and what the draft is filed under.

    The per-finding checkboxes (``accept``) and per-rule choices
    (``rule:<rule id>``) are rendered from the review and read by
    :func:`_decide`, not declared here: their names depend on the findings.
    """

    raw_text = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=MAX_TEXT_CHARS)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    topics = TopicsField(
        label="专题", required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Topic.objects.select_related("parent").order_by(*TREE_ORDERING),
    )
    source = forms.CharField(
        label="来源", required=False, max_length=Article._meta.get_field("source").max_length,
        help_text="留空则取作者单位。",
    )

    def clean_raw_text(self):
        return _normalize(self.cleaned_data["raw_text"])


# --- the review -----------------------------------------------------------


@dataclass
class ReviewItem:
    """One finding as the review page shows it, with the editor's decision."""

    finding: object  # articles.essay.layout.EssayFinding
    index: int
    place: str
    fixable: bool
    has_checkbox: bool
    accepted: bool = False

    @property
    def id(self):
        return self.finding.id

    @property
    def dom_id(self):
        return f"finding-{self.index}"

    @property
    def default_accept(self):
        return self.fixable and self.finding.confidence >= ACCEPT_THRESHOLD

    @property
    def severity(self):
        return self.finding.severity

    @property
    def severity_label(self):
        return SEVERITY_LABELS.get(self.finding.severity, self.finding.severity)

    @property
    def confidence_percent(self):
        return round(self.finding.confidence * 100)

    @property
    def is_insertion(self):
        return not self.finding.original

    @property
    def is_deletion(self):
        return self.fixable and not self.finding.suggestion


@dataclass
class RuleGroup:
    rule: str
    explanation: str
    severity: str
    category: str
    items: list = field(default_factory=list)
    choice: str = "each"

    @property
    def severity_label(self):
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def category_label(self):
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def fixable_count(self):
        return sum(item.fixable for item in self.items)

    @property
    def choice_name(self):
        return f"rule:{self.rule}"

    @property
    def choices(self):
        return RULE_CHOICES


@dataclass
class Segment:
    text: str = ""
    item: ReviewItem | None = None


@dataclass
class MarkedText:
    """A field's text cut at its findings, for marking them in place."""

    text: str
    segments: list

    def __bool__(self):
        return bool(self.text)


def _mark(text: str, items: list) -> MarkedText:
    segments, position = [], 0
    for item in sorted(items, key=lambda item: (item.finding.location.start, item.finding.location.end)):
        location = item.finding.location
        if location.start < position:
            continue  # the engine removes overlaps; never render one twice
        if location.start > position:
            segments.append(Segment(text[position:location.start]))
        segments.append(Segment(item=item))
        position = location.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return MarkedText(text, segments)


def place_label(essay, path: str) -> str:
    """A Chinese name for the field at ``path`` (“二、（一）正文”)."""
    top = {"title": "标题", "subtitle": "副标题", "lead": "导语", "conclusion": "结语", "author_org": "作者单位"}
    if path in top:
        return top[path]
    names = {"number": "序号", "heading": "标题", "body": "正文"}
    parts = path.replace("]", "").split(".")
    try:
        section = essay.sections[int(parts[0].split("[")[1])]
        if parts[1].startswith("points["):
            point = section.points[int(parts[1].split("[")[1])]
            return f"{section.number}{point.number}{names.get(parts[2], parts[2])}"
        return f"{section.number}{'引言' if parts[1] == 'body' else names.get(parts[1], parts[1])}"
    except (IndexError, ValueError):
        return path


@dataclass
class Review:
    essay: object
    items: list
    groups: list
    fingerprint: str

    @property
    def fixable_count(self):
        return sum(item.fixable for item in self.items)

    @property
    def point_count(self):
        return sum(len(section.points) for section in self.essay.sections)

    @property
    def capped(self):
        return len(self.items) > MAX_CHOICES

    @property
    def severity_counts(self):
        counts = {}
        for item in self.items:
            counts[item.severity] = counts.get(item.severity, 0) + 1
        return [(key, SEVERITY_LABELS[key], counts[key]) for key in SEVERITY_LABELS if key in counts]

    def marked(self):
        """The essay's fields, each cut at its findings, in reading order."""
        by_path = {}
        for item in self.items:
            by_path.setdefault(item.finding.location.path, []).append(item)

        def mark(path, text):
            return _mark(text, by_path.get(path, []))

        essay = self.essay
        sections = []
        for i, section in enumerate(essay.sections):
            prefix = f"sections[{i}]"
            sections.append({
                "number": mark(f"{prefix}.number", section.number),
                "heading": mark(f"{prefix}.heading", section.heading),
                "kind": section.kind,
                "kind_label": KIND_LABELS.get(section.kind, section.kind),
                "body": mark(f"{prefix}.body", section.body),
                "points": [
                    {
                        "number": mark(f"{prefix}.points[{j}].number", point.number),
                        "heading": mark(f"{prefix}.points[{j}].heading", point.heading),
                        "body": mark(f"{prefix}.points[{j}].body", point.body),
                    }
                    for j, point in enumerate(section.points)
                ],
            })
        return {
            "title": mark("title", essay.title),
            "subtitle": mark("subtitle", essay.subtitle),
            "lead": mark("lead", essay.lead),
            "sections": sections,
            "conclusion": mark("conclusion", essay.conclusion),
            "author_org": mark("author_org", essay.author_org),
        }


def fingerprint(essay, findings) -> str:
    """Changes whenever the findings (or the text they point into) change."""
    payload = json.dumps(
        [essay_text(essay), [
            [f.id, f.location.path, f.location.start, f.location.end, f.original, f.suggestion,
             f.severity, f.confidence, f.is_fixable]
            for f in findings
        ]],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def build_review(essay) -> Review:
    findings = proofreading.proofread_with_site_rules(essay)
    items, groups = [], {}
    for index, finding in enumerate(findings):
        item = ReviewItem(
            finding=finding, index=index, place=place_label(essay, finding.location.path),
            fixable=finding.is_fixable, has_checkbox=finding.is_fixable and index < MAX_CHOICES,
        )
        item.accepted = item.default_accept
        items.append(item)
        group = groups.get(finding.rule)
        if group is None:
            group = groups[finding.rule] = RuleGroup(
                finding.rule, finding.explanation, finding.severity, finding.category,
            )
        group.items.append(item)
    # Political first, then by how often the rule fired.
    rank = {key: n for n, key in enumerate(SEVERITY_LABELS)}
    ordered = sorted(groups.values(), key=lambda g: (rank.get(g.severity, 9), -len(g.items), g.rule))
    return Review(essay, items, ordered, fingerprint(essay, findings))


def _decide(review: Review, data) -> None:
    """Set each item's ``accepted`` from the submitted checkboxes and rule choices."""
    ticked = set(data.getlist("accept"))
    for group in review.groups:
        choice = data.get(group.choice_name, "each")
        group.choice = choice if choice in dict(RULE_CHOICES) else "each"
        for item in group.items:
            if not item.fixable:
                item.accepted = False
            elif group.choice == "accept":
                item.accepted = True
            elif group.choice == "reject":
                item.accepted = False
            elif item.has_checkbox:
                item.accepted = item.id in ticked
            else:
                item.accepted = item.default_accept


# --- the view -------------------------------------------------------------


def import_view(model_admin, request):
    """The 导入文稿 page (both steps); needs the add permission on essays."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return _render_source(model_admin, request, ImportSourceForm())
    if request.POST.get("step") == "review":
        if "back" in request.POST:
            text = _normalize(request.POST.get("raw_text", ""))
            return _render_source(model_admin, request, ImportSourceForm(initial={"text": text}))
        return _review_submitted(model_admin, request)
    form = ImportSourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_source(model_admin, request, form)
    review = build_review(form.cleaned_data["essay"])
    review_form = ImportReviewForm(
        initial={"raw_text": form.cleaned_data["raw_text"], "fingerprint": review.fingerprint}
    )
    return _render_review(model_admin, request, review_form, review)


def _review_submitted(model_admin, request):
    form = ImportReviewForm(request.POST)
    form.is_valid()
    raw = form.cleaned_data.get("raw_text")
    if raw is None:
        source = ImportSourceForm(initial={"text": _normalize(request.POST.get("raw_text", ""))[:MAX_TEXT_CHARS]})
        messages.error(request, "导入的文本丢失或过长，请重新粘贴或上传。")
        return _render_source(model_admin, request, source)
    try:
        essay = parse(raw)
    except EssayError as error:
        source = ImportSourceForm({"text": raw})
        source.is_valid()
        messages.error(request, "无法导入：" + as_sentence(error))
        return _render_source(model_admin, request, source)
    review = build_review(essay)
    if form.cleaned_data.get("fingerprint") != review.fingerprint:
        messages.warning(
            request,
            "校对结果已变化（校对规则可能刚被修改），之前的选择无法对应到新的结果：请重新核对后再生成草稿。",
        )
        fresh = ImportReviewForm(initial={
            "raw_text": raw, "fingerprint": review.fingerprint,
            "topics": form.cleaned_data.get("topics", []), "source": form.cleaned_data.get("source", ""),
        })
        return _render_review(model_admin, request, fresh, review)
    _decide(review, request.POST)
    if not form.is_valid() or "create" not in request.POST:
        return _render_review(model_admin, request, form, review)

    accepted = [item.finding for item in review.items if item.accepted]
    rejected = sum(1 for item in review.items if item.fixable and not item.accepted)
    advisory = sum(1 for item in review.items if not item.fixable)
    try:
        fixed = fix_essay(essay, accepted)
    except ValueError:
        # Cannot happen with recomputed findings; never store a wrong fix.
        messages.error(request, "修改无法应用到当前文本，请重新核对。")
        return _render_review(model_admin, request, form, review)
    with transaction.atomic():  # the draft and its history entry, or neither
        article = importing.import_essay(
            fixed, topics=form.cleaned_data["topics"], user=request.user, source=form.cleaned_data["source"],
        )
        model_admin.log_addition(request, article, [{"added": {}}])
    parts = [f"已导入草稿“{article.title}”：采纳 {len(accepted)} 处修改，拒绝 {rejected} 处"]
    if advisory:
        parts.append(f"另有 {advisory} 处仅提示，请在正文中人工核对")
    messages.success(request, "；".join(parts) + "。发布前请再通读一遍。")
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def _context(model_admin, request, **extra):
    opts = model_admin.model._meta
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "title": "导入文稿",
        "has_view_permission": model_admin.has_view_permission(request),
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        **extra,
    }


def _render_source(model_admin, request, form):
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, SOURCE_TEMPLATE, _context(model_admin, request, form=form))


def _render_review(model_admin, request, form, review):
    request.current_app = model_admin.admin_site.name
    context = _context(
        model_admin, request, form=form, review=review, marked=review.marked(),
        warnings=[as_sentence(warning) for warning in review.essay.warnings], max_choices=MAX_CHOICES,
        accept_threshold_percent=round(ACCEPT_THRESHOLD * 100),
    )
    return TemplateResponse(request, REVIEW_TEMPLATE, context)
