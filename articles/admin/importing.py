"""导入文稿: paste or upload an essay, check the proofreader's findings, create a draft.

Two steps on one admin URL (``ArticleAdmin.get_urls``):

1. **Source** — paste the text or upload a .txt (UTF-8 or GB18030) or .docx
   file. The text is parsed at once: an unreadable file, an empty or
   structureless text is a form error with the parser's Chinese message.
2. **Check** (核对) — the parsed structure (:mod:`articles.admin.import_check`) with every finding marked in place,
   and the findings grouped by rule, each accepted or rejected. 生成草稿
   applies the accepted fixes and stores the essay as a draft through
   :func:`articles.editing.importing.import_essay` (one transaction: nothing is
   half-imported).

Stateless between the steps: the raw text travels in a hidden field and
parsing and proofreading are recomputed on submit (both are deterministic).
A fingerprint of the findings travels with it; when the findings differ on
submit (an editor changed the rules in between, or the text was altered),
the check is shown again instead of applying decisions to the wrong places.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.admin.import_check import ACCEPT_THRESHOLD, MAX_CHOICES, build_check, decide, repair_groups
from articles.copies.check import check_text
from articles.editing import importing
from articles.editing.docx import MAX_DOCX_BYTES, docx_to_text
from articles.essay import EssayError, parse
from articles.essay.decoding import MAX_ESSAY_BYTES, decode_essay_bytes
from articles.essay.layout import essay_text, fix_essay
from articles.essay.parsing import repaired_text
from articles.essay.splitting import split_essays
from articles.models import Article
from topics.admin import TREE_ORDERING, tree_label
from topics.models import Topic

MAX_UPLOAD_BYTES = min(MAX_ESSAY_BYTES, MAX_DOCX_BYTES)
# A long essay has a few tens of thousands of characters; far more is not
# one essay, and its check page would be unusable.
MAX_TEXT_CHARS = 200_000


SOURCE_TEMPLATE = "admin/articles/article/import_source.html"
CHECK_TEMPLATE = "admin/articles/article/import_check.html"


def as_sentence(message) -> str:
    """A message from the essay layer as a sentence ending in 。."""
    message = str(message).strip()
    return message if message.endswith(("。", "！", "？")) else message + "。"


def _normalize(text: str) -> str:
    # Browsers submit line breaks as CRLF; the parser and the fingerprint see LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_long(length: int) -> str:
    return (
        f"文稿过长（约 {length // 10_000} 万字，上限 {MAX_TEXT_CHARS // 10_000} 万字）：这不像是一篇文稿，请分篇导入。"
    )


# --- forms ----------------------------------------------------------------


class _ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "\uff1a")
        super().__init__(*args, **kwargs)


class ImportSourceForm(_ChineseForm):
    text = forms.CharField(
        label="粘贴全文",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "import-text", "spellcheck": "false"}),
        help_text="从文档或网页复制的全文，包括标题、导语、各部分和结语。",
    )
    upload = forms.FileField(
        label="或上传文件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,text/plain"}),
        help_text=(
            f"纯文本 .txt（UTF-8 或 GB18030 编码）或 Word .docx，不超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。"
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
            raise forms.ValidationError(
                "不支持旧版 Word（.doc）文件：请在 Word 中另存为 .docx 或纯文本 .txt 后再上传。"
            )
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


class ImportCheckForm(_ChineseForm):
    """The hidden raw text and fingerprint, and what the draft is filed under.

    The per-finding checkboxes (``accept``) and per-rule choices
    (``rule:<rule id>``) are rendered from the check and read by
    :func:`articles.admin.import_check.decide`, not declared here: their names depend on the findings.
    """

    raw_text = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=MAX_TEXT_CHARS)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The repairs that were left undone (保留原文) when the page was drawn, comma-separated ids.
    kept_shown = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_TEXT_CHARS)
    topics = TopicsField(
        label="专题",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Topic.objects.select_related("parent").order_by(*TREE_ORDERING),
    )
    source = forms.CharField(
        label="来源",
        required=False,
        max_length=Article._meta.get_field("source").max_length,
        help_text="留空则取作者单位。",
    )

    def clean_raw_text(self):
        return _normalize(self.cleaned_data["raw_text"])


# --- the view -------------------------------------------------------------


def import_view(model_admin, request):
    """The 导入文稿 page (both steps); needs the add permission on essays."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return _render_source(model_admin, request, ImportSourceForm())
    if request.POST.get("step") == "check":
        if "back" in request.POST:
            text = _normalize(request.POST.get("raw_text", ""))
            return _render_source(model_admin, request, ImportSourceForm(initial={"text": text}))
        return _check_submitted(model_admin, request)
    form = ImportSourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_source(model_admin, request, form)
    check = build_check(form.cleaned_data["essay"])
    check_form = ImportCheckForm(
        initial={"raw_text": form.cleaned_data["raw_text"], "fingerprint": check.fingerprint, "kept_shown": ""}
    )
    return _render_check(model_admin, request, check_form, check)


def _kept(data) -> frozenset:
    return frozenset(value for value in data.getlist("keep") if value)


def _shown(form) -> frozenset:
    return frozenset(value for value in (form.cleaned_data.get("kept_shown") or "").split(",") if value)


def _check_submitted(model_admin, request):
    form = ImportCheckForm(request.POST)
    form.is_valid()
    raw = form.cleaned_data.get("raw_text")
    if raw is None:
        source = ImportSourceForm(initial={"text": _normalize(request.POST.get("raw_text", ""))[:MAX_TEXT_CHARS]})
        messages.error(request, "导入的文本丢失或过长，请重新粘贴或上传。")
        return _render_source(model_admin, request, source)
    keep = _kept(request.POST)
    try:
        essay = parse(raw, keep=keep)
    except EssayError as error:
        source = ImportSourceForm({"text": raw})
        source.is_valid()
        messages.error(request, "无法导入：" + as_sentence(error))
        return _render_source(model_admin, request, source)
    keep = essay.kept_repairs
    check = build_check(essay)
    split = request.POST.get("split_mode", "split") != "one"
    changed_repairs = keep != _shown(form)
    if changed_repairs or form.cleaned_data.get("fingerprint") != check.fingerprint:
        if changed_repairs:
            messages.info(request, "已按“保留原文”的选择重新整理全文：请核对结构和校对结果后再生成草稿。")
        else:
            messages.warning(
                request,
                "校对结果已变化（校对规则可能刚被修改），之前的选择无法对应到新的结果：请重新核对后再生成草稿。",
            )
        fresh = ImportCheckForm(
            initial={
                "raw_text": raw,
                "fingerprint": check.fingerprint,
                "kept_shown": ",".join(sorted(keep)),
                "topics": form.cleaned_data.get("topics", []),
                "source": form.cleaned_data.get("source", ""),
            }
        )
        return _render_check(model_admin, request, fresh, check, split=split)
    decide(check, request.POST)
    anyway = "create_anyway" in request.POST
    if not form.is_valid() or not ("create" in request.POST or anyway):
        return _render_check(model_admin, request, form, check, split=split)
    copies = copy_report(check.essay)
    if copies.identical is not None and not anyway:
        # The same essay is in the portal already: the editor decides (open it,
        # import anyway as a new essay, or cancel) -- never a silent second draft.
        messages.warning(request, f"{copies.summary()}请选择：打开已有文稿、仍作为新文稿导入，或取消。")
        return _render_check(model_admin, request, form, check, split=split, copies=copies)
    pieces = split_essays(repaired_text(raw, keep)) if split else []
    if len(pieces) > 1:
        return _create_drafts(model_admin, request, form, check, pieces)

    accepted = [item.finding for item in check.items if item.accepted]
    rejected = sum(1 for item in check.items if item.fixable and not item.accepted)
    advisory = sum(1 for item in check.items if not item.fixable)
    try:
        fixed = fix_essay(essay, accepted)
    except ValueError:
        # Cannot happen with recomputed findings; never store a wrong fix.
        messages.error(request, "修改无法应用到当前文本，请重新核对。")
        return _render_check(model_admin, request, form, check)
    with transaction.atomic():  # the draft and its history entry, or neither
        article = importing.import_essay(
            fixed,
            topics=form.cleaned_data["topics"],
            user=request.user,
            source=form.cleaned_data["source"],
        )
        model_admin.log_addition(request, article, [{"added": {}}])
    parts = [f"已导入草稿“{article.title}”：采纳 {len(accepted)} 处修改，拒绝 {rejected} 处"]
    if advisory:
        parts.append(f"另有 {advisory} 处仅提示，请在正文中人工核对")
    messages.success(request, "；".join(parts) + "。发布前请再通读一遍。")
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


@dataclass
class Piece:
    """One essay of a multi-essay page on the review page, with its own 查重 line."""

    number: int  # from 1, in the page's order
    essay: object
    report: object  # articles.copies.check.Report
    choice: str = ""  # for a piece the portal holds: "skip" or "import", "" while not chosen

    @property
    def choice_name(self) -> str:
        return f"duplicate_{self.number}"


DUPLICATE_CHOICES = ("skip", "import")


def split_pieces(essays, data=None) -> list[Piece]:
    """The pieces of a multi-essay page, each checked against the index (``data``: the submitted choices)."""
    pieces = []
    for number, essay in enumerate(essays, start=1):
        piece = Piece(number, essay, copy_report(essay))
        if piece.report.identical is not None and data is not None:
            choice = data.get(piece.choice_name, "")
            piece.choice = choice if choice in DUPLICATE_CHOICES else ""
        pieces.append(piece)
    return pieces


def _create_drafts(model_admin, request, form, check, pieces):
    """One draft per essay of a multi-essay page (its site text already removed as the editor chose).

    A piece the portal already holds (:attr:`Report.identical`) is not created
    silently: the editor chooses for it, as on the single import, to skip it
    or import it anyway (or opens the existing essay, or cancels).
    """
    try:
        essays = [parse(piece, repair=False) for piece in pieces]
    except EssayError as error:
        messages.error(request, f"无法分篇导入：{as_sentence(error)}请选择“作为一篇导入”。")
        return _render_check(model_admin, request, form, check, split=True)
    checked = split_pieces(essays, request.POST)
    pending = [piece for piece in checked if piece.report.identical is not None and not piece.choice]
    if pending:
        named = "；".join(f"第 {piece.number} 篇{piece.report.summary().rstrip('。')}" for piece in pending)
        messages.warning(request, f"{named}。请为这些文稿选择：跳过、仍作为新文稿导入，或打开已有文稿；或取消。")
        return _render_check(model_admin, request, form, check, split=True, pieces=checked)
    chosen = [piece for piece in checked if piece.choice != "skip"]
    skipped = len(checked) - len(chosen)
    if not chosen:
        messages.info(request, f"{skipped} 篇文稿库中均已有，都已跳过，没有导入任何文稿。")
        return redirect(reverse("admin:articles_article_changelist"))
    with transaction.atomic():  # every draft, or none
        articles = []
        for piece in chosen:
            article = importing.import_essay(
                piece.essay, topics=form.cleaned_data["topics"], user=request.user, source=form.cleaned_data["source"]
            )
            model_admin.log_addition(request, article, [{"added": {}}])
            articles.append(article)
    titles = "、".join(f"“{article.title}”" for article in articles)
    skipped_text = f"跳过 {skipped} 篇库中已有的文稿；" if skipped else ""
    messages.success(
        request,
        f"已分篇导入 {len(articles)} 篇草稿：{titles}。{skipped_text}"
        "校对建议未自动采纳，请在各篇编辑页的“校对”面板逐条处理。",
    )
    return redirect(reverse("admin:articles_article_changelist") + "?status__exact=draft")


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


def copy_report(essay):
    """文稿查重 of a parsed essay against the index, before any draft exists."""
    return check_text(essay_text(essay))


def _render_check(model_admin, request, form, check, split=True, copies=None, pieces=None):
    request.current_app = model_admin.admin_site.name
    if copies is None:
        copies = copy_report(check.essay)
    if pieces is None:
        raw = form["raw_text"].value() or ""
        try:
            texts = split_essays(repaired_text(raw, check.essay.kept_repairs))
            essays = [parse(text, repair=False) for text in texts] if len(texts) > 1 else []
        except EssayError:
            essays = []
        pieces = split_pieces(essays, request.POST if request.method == "POST" else None)
    essays = [piece.essay for piece in pieces]
    context = _context(
        model_admin,
        request,
        form=form,
        check=check,
        repair_groups=repair_groups(check.essay),
        split_essays=essays,
        split_pieces=pieces,
        split_mode="split" if split else "one",
        marked=check.marked(),
        warnings=[as_sentence(warning) for warning in check.essay.warnings],
        max_choices=MAX_CHOICES,
        accept_threshold_percent=round(ACCEPT_THRESHOLD * 100),
        copies=copies,
    )
    return TemplateResponse(request, CHECK_TEMPLATE, context)
