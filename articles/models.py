"""Essays: an Article and its flat, ordered list of Sections.

A section of level 1 is a numbered part of the essay (一、); a section of
level 2 is a point inside it ((一)). The flat list edits well in one admin
inline and rebuilds into a tree in one query (see ``Article.outline``).
"""

from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from articles.editing.rule_checks import validate_rule_row
from articles.richtext import RichTextField
from articles.text import group_sections, lead_excerpt, section_anchor
from topics.slugs import unique_slug


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Essays a reader may see: published, with a publish time already past.

        A scheduled essay (publish time in the future) appears by itself when
        its time comes: the filter compares with ``now`` on every query.
        An essay in the recycle bin is never published, whatever the manager.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now(), deleted_at__isnull=True)

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        """The recycle bin (回收站)."""
        return self.filter(deleted_at__isnull=False)

    def in_review(self):
        return self.filter(status=Article.Status.IN_REVIEW)

    def in_topic(self, topic):
        """Essays tagged with ``topic`` or one of its children.

        A subquery rather than a join, so an essay tagged with both a column
        and one of its special topics is counted and listed once.
        """
        tagged = Article.topics.through.objects.filter(models.Q(topic=topic) | models.Q(topic__parent=topic))
        return self.filter(pk__in=tagged.values("article_id"))

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def for_cards(self):
        """Just what a list card shows, with topics in one extra query.

        The lead is not loaded, only its first :data:`LEAD_START_CHARS`
        characters (``lead_start``), for the card's summary when 摘要 is
        empty (``Article.card_summary``): enough for 120 characters of text,
        however long the lead, in the same query.
        """
        return (
            self.defer("lead", "conclusion")
            .annotate(lead_start=Substr("lead", 1, LEAD_START_CHARS))
            .prefetch_related(models.Prefetch("topics", queryset=_topic_model().objects.only("id", "name", "slug")))
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    """The default manager: essays in the recycle bin are left out everywhere.

    ``Article.all_objects`` sees them (the recycle bin, revisions); related
    lookups (``section.article``) use Django's plain base manager.
    """

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


# How much of a lead's stored HTML a list card reads for a summary of 120 characters.
LEAD_START_CHARS = 1000


def _topic_model():
    from topics.models import Topic

    return Topic


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "review", "审核中"
        APPROVED = "approved", "已通过审核"
        PUBLISHED = "published", "已发布"
        ARCHIVED = "archived", "已归档"

    class Urgency(models.TextChoices):
        ORDINARY = "ordinary", "普通"
        URGENT = "urgent", "紧急"

    title = models.CharField("标题", max_length=200)
    subtitle = models.CharField("副标题", max_length=200, blank=True)
    slug = models.SlugField(
        "网址标识",
        max_length=80,
        unique=True,
        blank=True,
        help_text="留空则按标题拼音自动生成。",
    )
    author = models.CharField("作者", max_length=100, blank=True)
    author_org = models.CharField("作者单位", max_length=200, blank=True, db_index=True)
    source = models.CharField("来源", max_length=200, blank=True)
    responsible_editor = models.CharField("责任编辑", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True, help_text="列表和分享时显示；留空则取导语开头。")
    lead = RichTextField("导语", blank=True)
    conclusion = RichTextField("结语", blank=True)
    cover = models.ImageField("封面图", upload_to="covers/%Y/%m/", blank=True)
    cover_thumbnail = models.ImageField(upload_to="covers/renditions/", blank=True, editable=False)
    cover_banner = models.ImageField(upload_to="covers/renditions/", blank=True, editable=False)
    cover_alt = models.CharField("封面图说明", max_length=200, blank=True, help_text="供读屏软件朗读的图片文字说明。")
    topics = models.ManyToManyField("topics.Topic", verbose_name="专题", related_name="articles", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "发布时间",
        null=True,
        blank=True,
        help_text="可设为将来的时间：到时自动在网站上出现。",
    )
    is_pinned = models.BooleanField("置顶", default=False)
    # How long each review stage may take (articles.editing.deadlines): set by whoever submits.
    urgency = models.CharField(
        "紧急程度",
        max_length=10,
        choices=Urgency.choices,
        default=Urgency.ORDINARY,
        help_text="决定每个审核环节的办理时限（按工作日计算，紧急稿件的时限较短）。",
    )
    view_count = models.PositiveIntegerField("浏览次数", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Who knowingly published the essay while the proofreader still reported
    # political-term findings in it, and when (see articles.editing.rules).
    political_findings_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="政治性问题确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    political_findings_confirmed_at = models.DateTimeField("政治性问题确认时间", null=True, blank=True, editable=False)
    # 三审三校: the stage (1..REVIEW_STAGES) an essay in review waits at; 0 otherwise.
    review_stage = models.PositiveSmallIntegerField("审核环节", default=0, editable=False)
    # Optimistic locking: bumped by every save (see save()); the change form
    # carries the value it was opened with (articles.admin.forms.ArticleAdminForm).
    version = models.PositiveIntegerField("修改版次", default=1, editable=False)
    # The recycle bin (回收站): a deleted essay is only marked.
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # A working copy (修改稿): the hidden draft through which a published or
    # scheduled essay is changed (articles.editing.working_copy). It is never
    # published itself; its final approval applies it to this live essay.
    # A working copy sent to review as a small correction (小修改): it passes
    # settings.LIVE_CORRECTION_STAGES stages (workflow.stages_for).
    minor_change = models.BooleanField("小修改", default=False, editable=False)
    live_original = models.ForeignKey(
        "self",
        verbose_name="修改的已发布文稿",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_changes",
        editable=False,
    )

    objects = ArticleManager()
    all_objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "文稿"
        verbose_name_plural = "文稿"
        ordering = ["-published_at", "-id"]
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        permissions = [
            ("edit_any_article", "可以修改任何人的文稿"),
            ("submit_article", "可以提交文稿送审"),
            ("review_article", "可以审核文稿（通过或退回）"),
            ("publish_article", "可以直接发布、撤回和归档文稿"),
            ("restore_article", "可以恢复文稿的历史版本和回收站中的文稿"),
            ("view_recycle_bin", "可以查看回收站"),
        ]
        constraints = [
            # At most one open working copy per live essay.
            models.UniqueConstraint(
                fields=["live_original"],
                condition=models.Q(live_original__isnull=False, deleted_at__isnull=True),
                name="article_one_open_working_copy",
            ),
            # A working copy is never published nor archived: it is applied to its live essay.
            models.CheckConstraint(
                condition=models.Q(live_original__isnull=True) | models.Q(status__in=["draft", "review", "approved"]),
                name="article_working_copy_never_published",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(fields=["-is_pinned", "-published_at"], name="article_pinned_pub_idx"),
            # The public pages' orderings over published essays only (partial
            # indexes: drafts and the recycle bin take no room): the reading
            # order of every list, feed, sitemap and the previous/next walk;
            # 置顶 on the home page; 热门 by view count.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="article_public_order_idx",
                condition=models.Q(status="published", deleted_at__isnull=True),
            ),
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="article_public_pinned_idx",
                condition=models.Q(status="published", deleted_at__isnull=True, is_pinned=True),
            ),
            models.Index(
                F("view_count").desc(),
                F("published_at").desc(),
                F("id").desc(),
                name="article_public_popular_idx",
                condition=models.Q(status="published", deleted_at__isnull=True, view_count__gt=0),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, max_length=80, exclude_pk=self.pk)
        if self.pk is None or self._state.adding:
            super().save(*args, **kwargs)
            return
        # Every save of a stored essay is a new version (optimistic locking),
        # counted from the stored row, locked until the transaction ends, not
        # from this copy: two saves of copies read at the same time get two
        # versions. (Not F("version") + 1: signal receivers such as
        # django-reversion serialize the instance during the save.)
        using = kwargs.get("using") or router.db_for_write(Article, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            stored = (
                Article._base_manager.using(using)
                .select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.version = ((self.version or 0) if stored is None else stored) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
            super().save(*args, **kwargs)

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_working_copy(self):
        """A 修改稿 of a live essay (``live_original``), never published itself."""
        return self.live_original_id is not None

    @property
    def card_summary(self):
        """摘要, or when it is empty the beginning of the lead (plain text, at most 120 characters).

        On an essay from ``for_cards()`` the lead is not loaded: its first
        characters (``lead_start``) are read instead, without another query.
        """
        if self.summary:
            return self.summary
        if "lead" in self.get_deferred_fields():
            return lead_excerpt(getattr(self, "lead_start", None) or "")
        return lead_excerpt(self.lead)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("articles:preview", kwargs={"pk": self.pk})

    def get_site_url(self):
        """Where “在站点上查看” takes staff: the public page while readers can see
        the essay, else the staff preview (drafts, review, scheduled, archived,
        the recycle bin), which never shows anything to anonymous visitors.

        The one place that decides it: the essay admin's button and every
        section's link (``Section.get_absolute_url``, followed by the admin's
        ``admin:view_on_site`` shortcut) go through it. Public pages
        keep ``get_absolute_url``: they list public essays only.
        """
        if self.is_public and not self.is_deleted and self.slug:
            return self.get_absolute_url()
        return self.get_preview_url()

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def outline(self):
        """The sections as a tree: a list of :class:`OutlineEntry`.

        Uses ``self.sections.all()``, so a prefetch makes it query-free.
        Points that come before any level-1 section hang on a headless entry.
        """
        groups = group_sections(self.sections.all(), attrgetter("is_part"))
        return [OutlineEntry(part, points) for part, points in groups]


class StoredRender(models.Model):
    """HTML of an essay kept in the database, valid while the essay and the code are those it was rendered from."""

    # The templates, code and settings it was rendered with (articles.reading.renditions.code_version).
    code_version = models.CharField("程序版本", max_length=32)
    # Article.version when rendered: any later save of the essay makes it stale.
    article_version = models.PositiveIntegerField("文稿版次")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.article_id} v{self.article_version}"


class EssayCard(StoredRender):
    """An essay's card in the reading site's lists, as rendered HTML, stored once per version of the essay.

    A list page (全部文稿, a topic, a filter, any deep page, the home page's
    latest essays) reads its page of cards in its one query: which essays it
    lists is that query's decision on every request, the cards' HTML was
    rendered when the essay last changed (``articles.reading.cards``). Kept
    and forgotten exactly like :class:`EssayRendition`.
    """

    article = models.OneToOneField(
        Article,
        verbose_name="文稿",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="card",
    )
    html = models.TextField("卡片")

    class Meta:
        verbose_name = "文稿卡片"
        verbose_name_plural = "文稿卡片"


class EssayRendition(StoredRender):
    """An essay's public page as rendered HTML, stored once per version of the essay.

    The "published static page" of Chinese government CMSs, kept dynamic:
    the parts that depend on other essays or on the request (navigation,
    footer, previous/next, related essays, view count, the site's address)
    are placeholders filled on every request (see ``articles.reading.renditions``).
    """

    article = models.OneToOneField(
        Article,
        verbose_name="文稿",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="rendition",
    )
    html = models.TextField("页面")
    rendered_at = models.DateTimeField("生成时间", auto_now=True)

    class Meta:
        verbose_name = "文稿页面"
        verbose_name_plural = "文稿页面"


@dataclass
class OutlineEntry:
    section: "Section | None"
    points: list = field(default_factory=list)


class Section(models.Model):
    class Level(models.IntegerChoices):
        SECTION = 1, "部分（一、）"
        POINT = 2, "要点（（一））"

    class Kind(models.TextChoices):
        SIGNIFICANCE = "significance", "重要意义"
        SITUATION = "situation", "现状成效"
        PROBLEMS = "problems", "存在问题"
        CAUSES = "causes", "原因分析"
        COUNTERMEASURES = "countermeasures", "对策建议"
        OTHER = "other", "其他"

    article = models.ForeignKey(Article, verbose_name="文稿", on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField("顺序", default=0)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices, default=Level.SECTION)
    number = models.CharField("序号", max_length=20, blank=True, help_text="照原文，如“一、”或“（一）”。")
    heading = models.CharField("标题", max_length=300)
    kind = models.CharField(
        "类型",
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        db_index=True,
        help_text="在“部分”上设置；其下要点随之继承。",
    )
    body = RichTextField("正文", blank=True)
    # On a working copy's section: the live essay's section it was copied
    # from, so that applying the copy keeps that section's id (and anchor).
    origin = models.ForeignKey(
        "self",
        verbose_name="原文部分",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "部分或要点"
        verbose_name_plural = "部分与要点"
        ordering = ["article", "position", "id"]
        indexes = [models.Index(fields=["article", "position"], name="section_article_pos_idx")]

    def __str__(self):
        return f"{self.number}{self.heading}"

    @property
    def is_part(self):
        """A part (一、) rather than a point ((一)) of its essay."""
        return self.level == Section.Level.SECTION

    @property
    def anchor(self):
        """A fragment id stable across edits of other sections."""
        return section_anchor(self.pk)

    def get_absolute_url(self):
        """The section's place in its essay, public or preview (``Article.get_site_url``).

        Only the admin asks for it (the inline's “在站点上查看”); public pages
        build their anchors from the essay's public URL.
        """
        return f"{self.article.get_site_url()}#{self.anchor}"


class ArticleTransition(models.Model):
    """One step of an essay through the workflow (articles.editing.workflow): who, when, from, to, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "送审"
        APPROVE = "approve", "审核通过"
        REJECT = "reject", "退回修改"
        PUBLISH = "publish", "发布"
        UNPUBLISH = "unpublish", "撤回"
        ARCHIVE = "archive", "归档"
        RESTORE_REVISION = "restore_revision", "恢复版本"
        # A save of a published or scheduled essay (articles.editing.workflow.record_live_edit):
        # no longer made since live essays change through a working copy; kept for old records.
        EDIT_LIVE = "edit_live", "修改已发布文稿"
        # Working copies (articles.editing.working_copy).
        OPEN_COPY = "open_copy", "创建修改稿"
        APPLY_COPY = "apply_copy", "修改稿通过终审并生效"
        DELETE = "delete", "移入回收站"
        UNDELETE = "undelete", "从回收站恢复"

    article = models.ForeignKey(Article, verbose_name="文稿", on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("操作", max_length=30, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Article.Status.choices)
    to_status = models.CharField("新状态", max_length=20, choices=Article.Status.choices)
    from_stage = models.PositiveSmallIntegerField("原审核环节", default=0)
    to_stage = models.PositiveSmallIntegerField("新审核环节", default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.article_id}: {self.from_status} → {self.to_status}"


class SectionComment(models.Model):
    """A reviewer's comment on one section or point of an essay in review (or on the whole essay).

    Never public. Shown to the author and to every later stage, on the change
    page next to its section and listed with the essay; the author or an
    editor marks it resolved (who, when). The rules are in
    ``articles.editing.comments``, the permissions in ``accounts.roles``.
    """

    article = models.ForeignKey(Article, verbose_name="文稿", on_delete=models.CASCADE, related_name="section_comments")
    # None: a comment on the whole essay. A section deleted later leaves the
    # comment on the essay, with the heading it was made on (section_label).
    section = models.ForeignKey(
        Section,
        verbose_name="部分或要点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    section_label = models.CharField("所评部分", max_length=330, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("意见")
    stage = models.PositiveSmallIntegerField("审核环节", default=0)
    created_at = models.DateTimeField("提出时间", default=timezone.now, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="解决人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["created_at", "id"]
        permissions = [("resolve_sectioncomment", "可以将审核意见标为已解决")]

    def __str__(self):
        return f"{self.section_label or '全文'}：{self.text[:30]}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None


class ProofreadingRule(models.Model):
    """A proofreading rule editors can switch off, adjust or add.

    Rules shipped with the project (``articles/essay/rules/proofreading.json``)
    are copied in by ``manage.py sync_proofreading_rules`` (run after every
    migrate); the engine reads the enabled rows (``articles.editing.rules``).
    """

    class Category(models.TextChoices):
        BACK_TRANSLATION = "back_translation", "回译错词"
        POLITICAL_TERM = "political_term", "政治术语"
        PUNCTUATION = "punctuation", "标点符号"
        STRUCTURE = "structure", "结构编号"

    class Severity(models.TextChoices):
        POLITICAL = "political", "政治性错误"
        HIGH = "high", "高"
        MEDIUM = "medium", "中"
        LOW = "low", "低"

    class Origin(models.TextChoices):
        SHIPPED = "shipped", "随系统发布"
        EDITOR = "editor", "编辑添加"

    rule_id = models.CharField("规则编号", max_length=100, unique=True)
    # Context regexes list many alternatives (a shipped not_after is ~370
    # characters): room to grow without another migration.
    pattern = models.CharField("错误写法（正则表达式）", max_length=1000)
    suggestion = models.CharField("建议改为", max_length=200, blank=True)
    context_before = models.CharField("前文须匹配", max_length=1000, blank=True)
    context_after = models.CharField("后文须匹配", max_length=1000, blank=True)
    not_before = models.CharField("前文不得匹配", max_length=1000, blank=True)
    not_after = models.CharField("后文不得匹配", max_length=1000, blank=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)
    confidence = models.FloatField("把握程度", default=0.9, help_text="0 到 1 之间。")
    explanation = models.CharField("说明", max_length=300)
    enabled = models.BooleanField("启用", default=True)
    note = models.TextField("备注", blank=True)
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.EDITOR, editable=False)
    shipped_version = models.CharField("规则文件版本", max_length=40, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "校对规则"
        verbose_name_plural = "校对规则"
        ordering = ["category", "rule_id"]

    def __str__(self):
        return self.rule_id

    def clean(self):
        # The engine's own checks, with Chinese messages keyed by field.
        validate_rule_row(self)


class Formulation(models.Model):
    """A formulation (提法) or fixed collocation of the genre, for the spinner-swap detector.

    A word is flagged when a thesaurus neighbour in its place completes one of
    the enabled formulations and the word itself completes none
    (``articles/essay/spinner.py``). The shipped list
    (``articles/essay/rules/formulations.txt`` and ``collocations.txt``) is
    copied in after every migrate; editors add their own entries or switch
    entries off (an entry switched off still protects nothing and restores
    nothing).
    """

    class Origin(models.TextChoices):
        SHIPPED = "shipped", "随系统发布"
        EDITOR = "editor", "编辑添加"

    text = models.CharField(
        "提法", max_length=20, unique=True, help_text="2 到 20 个汉字，例如“党群服务中心”“服务群众”。"
    )
    enabled = models.BooleanField("启用", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.EDITOR, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "常见提法"
        verbose_name_plural = "常见提法"
        ordering = ["text"]

    def __str__(self):
        return self.text

    def clean(self):
        from django.core.exceptions import ValidationError

        from articles.essay.spinner import is_formulation

        self.text = (self.text or "").strip()
        if not is_formulation(self.text):
            raise ValidationError({"text": "提法须是 2 到 20 个汉字，不含标点、空格和字母。"})


class DismissedFinding(models.Model):
    """A proofreading finding an editor rejected on an essay's 校对 panel: not shown again.

    A finding is recognised by its rule, the words it would change and a few
    characters around them (``key``), not by its offsets, so it stays
    dismissed when text elsewhere in the essay changes.
    """

    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="dismissed_findings", verbose_name="文稿"
    )
    key = models.CharField("标识", max_length=400)
    rule = models.CharField("规则编号", max_length=100)
    original = models.CharField("原文", max_length=200, blank=True)
    suggestion = models.CharField("建议改为", max_length=200, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    dismissed_at = models.DateTimeField("忽略时间", auto_now_add=True)

    class Meta:
        verbose_name = "已忽略的校对提示"
        verbose_name_plural = "已忽略的校对提示"
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="dismissed_finding_once")]

    def __str__(self):
        return f"{self.rule}：{self.original}"


class Compilation(models.Model):
    """A 汇编: chosen essays in one .docx and .pdf (cover, contents, each essay on a new page),
    built by a background task (``articles.export.tasks.build_compilation``).

    The files live in ``ESSAY_EXPORT_DIR`` (outside ``MEDIA_ROOT``); only
    staff with ``view_compilation`` download them, through the admin.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    title = models.CharField("汇编标题", max_length=200)
    subtitle = models.CharField("副标题", max_length=200, blank=True, help_text="印在封面标题下，如“2026年”。")
    issuer = models.CharField("编印单位", max_length=200, blank=True, help_text="印在封面下方。")
    # The essays in print order (Article pks): a list, because a many-to-many has no order.
    article_ids = models.JSONField("文稿", default=list, editable=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED, editable=False)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0, editable=False)
    error = models.TextField("失败原因", blank=True, editable=False)
    # File names inside ESSAY_EXPORT_DIR (never a path a request chooses).
    docx_file = models.CharField("Word 文件", max_length=200, blank=True, editable=False)
    pdf_file = models.CharField("PDF 文件", max_length=200, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "文稿汇编"
        verbose_name_plural = "文稿汇编"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


# The search index's models live with the search code; imported here so that
# The search index's and the copy index's models live with their code; imported here so that
# the app registry and migrations see them.
# Revisions (django-reversion): an essay is stored with its sections as one
# revision; its topic links travel in the essay's own serialized data (a
# many-to-many field), so topics themselves are not followed and restoring an
# essay never renames a topic. See articles/revisions.py.
import reversion  # noqa: E402

from articles.copies.models import CopyBand, CopyText  # noqa: E402, F401
from articles.search.models import SearchDocument, SearchImpact, SearchPassage  # noqa: E402, F401

reversion.register(Section)
reversion.register(Article, follow=["sections"])


class SensitiveTerm(models.Model):
    """An entry of the sensitive-word and names lists (保密审查), checked on import, save and approval.

    Sensitive words carry a suggested replacement; names of officials removed
    from office are flagged wherever they appear; leaders' names carry their
    current title, and a different title written before the name is flagged
    (``articles/essay/sensitive.py``, ``articles/editing/sensitive.py``).
    """

    class Kind(models.TextChoices):
        SENSITIVE = "sensitive", "敏感词"
        REMOVED = "removed", "已免职人员"
        LEADER = "leader", "领导姓名与职务"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.SENSITIVE)
    text = models.CharField("词语或姓名", max_length=50)
    replacement = models.CharField("建议改为", max_length=50, blank=True, help_text="仅敏感词：建议替换成的说法。")
    title = models.CharField("现任职务", max_length=50, blank=True, help_text="仅领导姓名：如“省委书记”。")
    note = models.CharField("备注", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "敏感词与人名"
        verbose_name_plural = "敏感词与人名"
        ordering = ["kind", "text"]
        constraints = [models.UniqueConstraint(fields=["kind", "text"], name="sensitive_term_unique_per_kind")]

    def __str__(self):
        return self.text

    def clean(self):
        from django.core.exceptions import ValidationError

        self.text = (self.text or "").strip()
        self.replacement = (self.replacement or "").strip()
        self.title = (self.title or "").strip()
        if not self.text:
            raise ValidationError({"text": "请填写词语或姓名。"})
        if any(ch.isspace() for ch in self.text):
            raise ValidationError({"text": "词语或姓名中不能有空格或换行。"})
        if self.kind == self.Kind.LEADER and not self.title:
            raise ValidationError({"title": "领导姓名须填写现任职务。"})
        if self.kind != self.Kind.SENSITIVE and self.replacement:
            raise ValidationError({"replacement": "只有敏感词填写“建议改为”。"})
        if self.kind != self.Kind.LEADER and self.title:
            raise ValidationError({"title": "只有领导姓名填写现任职务。"})
