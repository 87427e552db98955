"""文稿查重 in the admin: the 查重 panel of the change page, the 查重报告 page, the reference check.

Staff only, like the rest of the admin: the report page needs the view or
change permission on the essay (:func:`articles.admin.common.visible_article`);
nothing of it is on the reading site. The report is computed on each request
from the index (:mod:`articles.copies.check`), never stored as a file.

The reference check (对照参考文本) takes a pasted text or a .txt/.docx upload
and compares the essay with it alone. Nothing of the reference is stored
unless the editor ticks 保存为私有参考文本, which needs the add permission
on essays; it is then checked against on every later check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.admin.common import visible_article
from articles.copies import index
from articles.copies.check import check_article, confirm_percent
from articles.editing.docx import MAX_DOCX_BYTES, docx_to_text
from articles.editing.formulations import active_lexicon
from articles.editing.rules import article_text
from articles.essay import EssayError, copies
from articles.essay.decoding import MAX_ESSAY_BYTES, decode_essay_bytes

MAX_REFERENCE_BYTES = min(MAX_ESSAY_BYTES, MAX_DOCX_BYTES)
MAX_REFERENCE_CHARS = 200_000
TEMPLATE = "admin/articles/article/copy_report.html"


def report_url(article) -> str:
    return reverse("admin:articles_article_copies", args=[article.pk])


def copy_panel_context(article) -> dict:
    """The change page's 查重 panel (and the approval's confirmation box): the stored essay's report."""
    return {"copy_report": check_article(article), "copy_report_url": report_url(article)}


# ---------------------------------------------------------------- side by side


def _marked(pieces) -> str:
    return format_html_join("", "{}", ((format_html("<mark>{}</mark>", p) if c else p,) for p, c in pieces))


@dataclass
class Comparison:
    """One source of the report: its share, and both texts with the shared passages marked."""

    source: object  # articles.copies.check.Source, or a reference checked without storing it
    title: str
    status_label: str
    percent: float
    longest: int
    essay_html: str
    source_html: str
    url: str = ""


def _compare(essay: copies.Normalised, source_text: str, title, status_label, url="") -> Comparison | None:
    # Aligned again against the source's fresh compared form, so the marks fall
    # on its characters even when its stored form predates a dictionary change.
    source = copies.normalise(source_text)
    passages = copies.align(essay.chars, source.chars)
    if not passages:
        return None
    result = copies.score(essay, [(title, source.chars)])
    match = result.sources[0]
    essay_pieces = copies.highlighted(essay, [(p.start, p.end) for p in passages])
    source_pieces = copies.highlighted(source, [(p.source_start, p.source_start + p.length) for p in passages])
    return Comparison(
        None, title, status_label, match.percent, match.longest, _marked(essay_pieces), _marked(source_pieces), url
    )


def comparisons(report) -> list[Comparison]:
    found = []
    for source in report.sources:
        url = reverse("admin:articles_article_change", args=[source.article.pk]) if source.article else ""
        item = _compare(report.normalised, source.row.text, source.title, source.status_label, url)
        if item is not None:
            item.source = source
            found.append(item)
    return found


# ---------------------------------------------------------------- the reference check


class ReferenceForm(forms.Form):
    text = forms.CharField(
        label="粘贴参考文本",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="不在门户中的文本（其他单位的材料、往年的稿件等）。",
    )
    upload = forms.FileField(
        label="或上传文件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,text/plain"}),
        help_text=f"纯文本 .txt（UTF-8 或 GB18030）或 Word .docx，不超过 {MAX_REFERENCE_BYTES // (1024 * 1024)} MB。",
    )
    label = forms.CharField(label="参考文本名称", required=False, max_length=200)
    keep = forms.BooleanField(
        label="保存为私有参考文本",
        required=False,
        help_text="不勾选则只做这一次比对，参考文本不会保存；勾选后以后每次查重都会与它比对。",
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if upload.size > MAX_REFERENCE_BYTES:
            raise forms.ValidationError(
                f"文件过大（{upload.size / (1024 * 1024):.1f} MB），上限 {MAX_REFERENCE_BYTES // (1024 * 1024)} MB。"
            )
        name = (upload.name or "").lower()
        data = upload.read()
        try:
            if name.endswith(".docx"):
                return docx_to_text(data)
            if name.endswith(".txt"):
                return decode_essay_bytes(data)
        except EssayError as error:
            raise forms.ValidationError(f"无法读取文件：{error}") from None
        raise forms.ValidationError("只能上传纯文本 .txt 或 Word .docx 文件。")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, uploaded = (cleaned.get("text") or ""), cleaned.get("upload")
        if text.strip() and uploaded:
            raise forms.ValidationError("请只选一种方式：粘贴参考文本，或上传文件。")
        reference = (uploaded or text).replace("\x00", "")
        if not reference.strip():
            raise forms.ValidationError("请粘贴参考文本，或选择要上传的 .txt / .docx 文件。")
        if len(reference) > MAX_REFERENCE_CHARS:
            raise forms.ValidationError(f"参考文本过长（上限 {MAX_REFERENCE_CHARS // 10_000} 万字）。")
        cleaned["reference"] = reference
        cleaned["label"] = (cleaned.get("label") or "").strip() or "参考文本"
        return cleaned


# ---------------------------------------------------------------- the page


def report_view(model_admin, request, pk):
    """查重报告 (GET), and the check against a reference text (POST)."""
    article = visible_article(model_admin, request, pk)
    may_keep = model_admin.has_add_permission(request)
    form = ReferenceForm(request.POST or None, request.FILES or None)
    reference, status = None, 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            essay = copies.normalise(article_text(article), formulations=active_lexicon().formulations)
            reference = _compare(essay, data["reference"], data["label"], "参考文本") or False
            if data["keep"]:
                if not may_keep:
                    form.add_error("keep", "您没有保存参考文本的权限。")
                    status = 403
                else:
                    index.save_reference(data["reference"], data["label"], request.user)
                    messages.success(request, f"已保存为私有参考文本“{data['label']}”，以后每次查重都会与它比对。")
    report = check_article(article)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"查重报告：{article.title}",
        "article": article,
        "report": report,
        "comparisons": comparisons(report),
        "confirm_percent": confirm_percent(),
        "min_passage": copies.MIN_PASSAGE,
        "form": form,
        "reference": reference,
        "may_keep": may_keep,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, TEMPLATE, context, status=status)
