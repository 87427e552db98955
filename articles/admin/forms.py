"""The forms of the essay's change page: the essay itself (confirmation of
political findings, optimistic locking, alternative text of images), its
sections, and the comment box of the 三审 buttons."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from articles import richtext
from articles.admin.findings import CONFIRM_POLITICAL_LABEL, POLITICAL, submitted_essay
from articles.admin.history import revision_urls
from articles.editing import images, revisions, workflow
from articles.editing import rules as proofreading
from articles.editing.rules import ArticleFinding
from articles.models import Article
from topics.admin import tree_label


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic):
        return tree_label(topic)


class ArticleAdminForm(forms.ModelForm):
    confirm_political = forms.BooleanField(
        label=CONFIRM_POLITICAL_LABEL,
        required=False,
        help_text="发布文稿时，以及修改已发布（含定时发布）文稿的内容时需要；确认人和时间会记录在文稿上。",
    )

    # Why a live essay is withdrawn or archived from its page (publishers only:
    # ArticleAdmin.get_fieldsets): immediate, recorded in 流转记录.
    status_reason = forms.CharField(
        label="撤回或归档原因",
        required=False,
        max_length=workflow.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="把已发布的文稿改为草稿或已归档时必填，记入流转记录。",
    )

    # 保密审查: whoever saves an essay as published states the review was done.
    confirm_secrecy = forms.BooleanField(label=workflow.SECRECY_STATEMENT, required=False)

    # Optimistic locking: the essay's version when the page was opened.
    lock_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = "__all__"

    # Set by clean() when the essay changed since the page was opened:
    # {"current": version, "by": user name, "compare_url": ...}.
    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored status: the form's own may be read-only, or changed by this save.
        self.status_before = self.instance.status if self.instance.pk else None
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.version
        if "status" in self.fields:
            # Review stages are entered through 送审 and the review buttons,
            # not by picking a status (articles.editing.workflow).
            direct = {Article.Status.DRAFT, Article.Status.PUBLISHED, Article.Status.ARCHIVED, self.instance.status}
            self.fields["status"].choices = [choice for choice in self.fields["status"].choices if choice[0] in direct]
        if "urgency" in self.fields:
            # A form posted without it (a script, an older page) keeps the essay's 紧急程度.
            self.fields["urgency"].required = False

    def clean_urgency(self):
        return self.cleaned_data.get("urgency") or self.instance.urgency or Article.Urgency.ORDINARY

    # The political findings of the essay as submitted: a list when the save
    # needs the confirmation (workflow.political_confirmation_applies: it
    # publishes the essay or changes a live one's text), None otherwise.
    political_findings = None

    def clean_lead(self):
        return _require_alt_text(self.cleaned_data.get("lead"))

    def clean_conclusion(self):
        return _require_alt_text(self.cleaned_data.get("conclusion"))

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        # Only a new upload is checked; the stored cover (a FieldFile) or the
        # "clear" checkbox (False) pass through unchanged.
        if isinstance(cover, UploadedFile):
            return images.clean_upload(cover)
        return cover

    # Set (on a subclass, by ArticleAdmin.get_form) when the save of this
    # very POST failed for lack of space: the form is shown again with it.
    storage_error = None

    def clean(self):
        cleaned = super().clean()
        if self.storage_error:
            self.add_error("cover" if "cover" in self.fields else None, self.storage_error)
        self._check_lock(cleaned.get("lock_version"))
        if cleaned.get("cover") and not (cleaned.get("cover_alt") or "").strip() and "cover_alt" in self.fields:
            self.add_error("cover_alt", "请填写封面图说明：用一句话写明图片内容，供视障读者的读屏软件朗读。")
        self._check_political_findings(cleaned)
        self._check_status_reason(cleaned)
        self._check_secrecy_review(cleaned)
        return cleaned

    def _check_status_reason(self, cleaned):
        if "status" not in self.fields or not workflow.is_live(self.status_before):
            return
        if workflow.is_live(cleaned.get("status")) or (cleaned.get("status_reason") or "").strip():
            return
        self.add_error("status_reason", "撤回或归档已发布的文稿须填写原因，原因记入流转记录。")

    def publishes(self, cleaned=None):
        """Whether this save makes the essay published (scheduled included)."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        status_after = cleaned.get("status") if "status" in self.fields else self.status_before
        return workflow.is_live(status_after) and not workflow.is_live(self.status_before)

    def _check_secrecy_review(self, cleaned):
        if self.publishes(cleaned) and not cleaned.get("confirm_secrecy"):
            self.add_error("confirm_secrecy", f"保存为已发布前须完成保密审查：请勾选“{workflow.SECRECY_STATEMENT}”。")

    def _check_political_findings(self, cleaned):
        status_after = cleaned.get("status") if "status" in self.fields else self.status_before
        if not workflow.is_live(status_after) or workflow.is_live(self.status_before):
            # A live essay's text does not change on its own page (it is read-only
            # there): its working copy's final approval checks the findings.
            return
        essay = submitted_essay(self)
        # clean() runs before the instance takes the submitted values: it is still the stored essay.
        text_changed = not self.instance.pk or proofreading.essay_text(essay) != proofreading.article_text(
            self.instance
        )
        if not workflow.political_confirmation_applies(self.status_before, status_after, text_changed):
            return
        self.political_findings = [
            ArticleFinding.in_essay(finding, essay)
            for finding in proofreading.proofread_with_site_rules(essay)
            if finding.severity == POLITICAL
        ]
        if not self.political_findings or cleaned.get("confirm_political"):
            return
        count = len(self.political_findings)
        if workflow.is_live(self.status_before):
            message = (
                f"本文仍有 {count} 处政治性问题，而本文已发布（或定时发布），保存后修改内容将直接面向读者：请先修改，"
                f"或勾选“{CONFIRM_POLITICAL_LABEL}”后再保存。"
            )
        else:
            message = f"本文仍有 {count} 处政治性问题：请先修改，或勾选“{CONFIRM_POLITICAL_LABEL}”后再保存为已发布。"
        self.add_error("confirm_political", message)

    def _check_lock(self, opened):
        """Refuse to overwrite an essay saved by someone else since this page was opened.

        The row is read under a lock (the admin saves in one transaction), so
        two saves of the same version cannot both pass. The form comes back
        with the editor's text and the current version in its hidden field:
        after merging, saving again is a deliberate overwrite. A form posted
        without the field (API-style clients, old tests) is not checked.
        """
        if not self.instance.pk or opened is None:
            return
        current = (
            Article.all_objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", "updated_by_id", "updated_at")
            .first()
        )
        if current is None or current[0] == opened:
            return
        version, by_id, at = current
        by_user = get_user_model().objects.filter(pk=by_id).first() if by_id else None
        by = by_user.get_username() if by_user else ""
        opened_revision = revisions.version_for_lock(self.instance, opened)
        latest = revisions.versions_of(self.instance).first()
        compare_url = revision_urls(self.instance)["history"]
        if opened_revision is not None and latest is not None and opened_revision.pk != latest.pk:
            compare_url = f"{revision_urls(self.instance)['compare']}?a={opened_revision.pk}&b={latest.pk}"
        self.conflict = {"by": by or "其他人", "at": at, "compare_url": compare_url}
        data = self.data.copy()
        data[self.add_prefix("lock_version")] = str(version)
        self.data = data
        raise ValidationError(
            f"保存失败：您打开本页之后，{by or '其他人'} 已修改并保存了这篇文稿。"
            "为免覆盖对方的修改，本次没有保存；您填写的内容仍在下方，"
            "请对照当前版本合并后再次保存（再次保存将以您的内容为准）。",
            code="stale",
        )


class ReviewForm(forms.Form):
    """The comment box of 审核通过 / 退回修改 / 送审."""

    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=workflow.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    confirm_political = forms.BooleanField(label=CONFIRM_POLITICAL_LABEL, required=False)
    confirm_secrecy = forms.BooleanField(label=workflow.SECRECY_STATEMENT, required=False)
    confirm_copies = forms.BooleanField(label="我已查看查重报告，确认发布", required=False)


def _require_alt_text(html):
    """Rich text whose every image has alternative text, or a ValidationError in Chinese."""
    missing = richtext.images_without_alt(html or "")
    if missing:
        raise ValidationError(richtext.MISSING_ALT_MESSAGE.format(count=missing), code="missing_alt")
    return html


class SectionForm(forms.ModelForm):
    def clean_body(self):
        return _require_alt_text(self.cleaned_data.get("body"))
