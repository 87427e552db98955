"""The problem and countermeasure library (问题库 / 对策库).

A :class:`LibraryItem` is one point of a problems, causes or countermeasures
section, or one 一是/二是 part of such a point; its key (section id and
ordinal) is stable while the section exists, so its permalink is too.
Items are grouped into :class:`Theme` s by ``library.regrouping``; editors
may rename, merge and split themes and move items (``library.services``),
and those choices survive regrouping. A :class:`CountermeasureLink` ties a
countermeasure to a problem of the same essay.
"""

from django.db import models
from django.urls import reverse

from articles.models import Article, Section
from articles.text import section_anchor


class Kind(models.TextChoices):
    PROBLEMS = "problems", "存在问题"
    CAUSES = "causes", "原因分析"
    COUNTERMEASURES = "countermeasures", "对策建议"


# Which library a kind belongs to: problems and causes are 问题库.
PROBLEM_KINDS = (Kind.PROBLEMS, Kind.CAUSES)
COUNTERMEASURE_KINDS = (Kind.COUNTERMEASURES,)


class Library(models.TextChoices):
    PROBLEMS = "problems", "问题库"
    COUNTERMEASURES = "countermeasures", "对策库"


def library_of(kind):
    return Library.COUNTERMEASURES if kind == Kind.COUNTERMEASURES else Library.PROBLEMS


class ItemQuerySet(models.QuerySet):
    def public(self):
        """Items of essays a reader may see (``Article.objects.published()``)."""
        return self.filter(article__in=Article.objects.published().values("pk"))

    def of_library(self, library):
        kinds = COUNTERMEASURE_KINDS if library == Library.COUNTERMEASURES else PROBLEM_KINDS
        return self.filter(kind__in=kinds)


class Theme(models.Model):
    library = models.CharField("所属库", max_length=20, choices=Library.choices, db_index=True)
    auto_label = models.CharField("自动名称", max_length=200, blank=True, editable=False)
    top_words = models.CharField("关键词", max_length=200, blank=True, editable=False)
    custom_label = models.CharField(
        "编辑命名",
        max_length=200,
        blank=True,
        help_text="填写后代替自动名称显示；重新归类时保留。",
    )
    pinned = models.BooleanField(
        "由编辑维护",
        default=False,
        help_text="编辑改名、合并或拆分过的主题：重新归类时保留其条目，不与其他主题合并。",
    )
    central_item = models.ForeignKey(
        "LibraryItem",
        verbose_name="代表条目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Denormalised by regrouping (public items only), for sorting the index.
    item_count = models.PositiveIntegerField("条目数", default=0, db_index=True)
    essay_count = models.PositiveIntegerField("文稿数", default=0)
    unit_count = models.PositiveIntegerField("单位数", default=0)
    latest_at = models.DateTimeField("最近提出", null=True, blank=True)
    misc = models.BooleanField(
        "其他", default=False, editable=False, help_text="一个库里只有一条、不成主题的条目都归入“其他”。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "主题"
        verbose_name_plural = "主题"
        ordering = ["-item_count", "id"]
        indexes = [models.Index(fields=["library", "-essay_count"], name="theme_library_count_idx")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.misc:
            return "其他"
        return self.custom_label or self.auto_label or f"主题{self.pk}"

    @property
    def words(self):
        if self.misc:
            return []
        return [word for word in self.top_words.split() if word]

    def get_absolute_url(self):
        name = "library:countermeasure_theme" if self.library == Library.COUNTERMEASURES else "library:problem_theme"
        return reverse(name, kwargs={"pk": self.pk})


class LibraryItem(models.Model):
    article = models.ForeignKey(Article, verbose_name="文稿", on_delete=models.CASCADE, related_name="library_items")
    section = models.ForeignKey(Section, verbose_name="要点", on_delete=models.CASCADE, related_name="library_items")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField("顺序", default=0)
    ordinal = models.PositiveSmallIntegerField(
        "要点内序号", default=0, help_text="0 为整个要点；1、2…为“一是、二是…”。"
    )
    heading = models.CharField("标题", max_length=300)
    text = models.TextField("内容", blank=True)
    theme = models.ForeignKey(
        Theme, verbose_name="主题", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    locked_by_editor = models.BooleanField(
        "编辑指定主题", default=False, help_text="编辑移动过的条目：重新归类时留在所指定的主题中。"
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "条目"
        verbose_name_plural = "条目"
        ordering = ["article", "position", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["section", "ordinal"], name="library_item_section_ordinal")]
        # No index on kind alone: half the items share each kind, and with one
        # the database would scan it rather than look up the filtered essays.
        indexes = [models.Index(fields=["article", "kind"], name="library_item_article_kind_idx")]

    def __str__(self):
        return self.heading

    @property
    def key(self):
        """The stable key of the permalink: ``<section id>-<ordinal>``."""
        return f"{self.section_id}-{self.ordinal}"

    @property
    def ordinal_label(self):
        return f"{'一二三四五六七八九十'[self.ordinal - 1]}是" if 1 <= self.ordinal <= 10 else ""

    def get_absolute_url(self):
        return reverse("library:item", kwargs={"key": self.key})

    def essay_url(self):
        return f"{self.article.get_absolute_url()}#{section_anchor(self.section_id)}"


class CountermeasureLink(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", "系统建议"
        CONFIRMED = "confirmed", "编辑确认"
        REJECTED = "rejected", "编辑否决"

    problem = models.ForeignKey(LibraryItem, verbose_name="问题", on_delete=models.CASCADE, related_name="answers")
    countermeasure = models.ForeignKey(
        LibraryItem, verbose_name="对策", on_delete=models.CASCADE, related_name="answered"
    )
    score = models.FloatField("相似度", default=0.0)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUGGESTED, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "问题与对策关联"
        verbose_name_plural = "问题与对策关联"
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["problem", "countermeasure"], name="library_link_unique")]

    def __str__(self):
        return f"{self.countermeasure.heading} → {self.problem.heading}"


class RegroupState(models.Model):
    """One row (id 1): the library's regrouping.

    ``library.regrouping.regroup`` writes this row first, inside the
    transaction of the whole regroup: the row lock (the database's write lock
    on SQLite) serialises regroups, and dies with the connection of a killed
    worker -- no lock to expire, none left behind.
    """

    ROW = 1

    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题库归类状态"

    def __str__(self):
        return f"归类 {self.started_at or '-'}"


class Concept(models.Model):
    """A concept of the genre and its wordings (``library/concepts.txt``, extended by editors).

    Items naming any wording count as naming the concept when they are
    grouped (``library.concepts``); the concept's name is a keyword, and a
    theme most of whose items share it takes the concept's theme name. The
    shipped file is copied in after every migrate (``library.lexicon``):
    new concepts added, concepts no longer shipped switched off once, and
    editors' rows and on/off choices never touched.
    """

    class Origin(models.TextChoices):
        SHIPPED = "shipped", "随系统发布"
        EDITOR = "editor", "编辑添加"

    name = models.CharField(
        "概念", max_length=20, unique=True, help_text="2 到 20 个汉字，作为关键词显示，例如“考核评价”。"
    )
    problem_label = models.CharField(
        "问题库主题名",
        max_length=60,
        blank=True,
        help_text="以这一概念为主的问题主题的名称，例如“考核评价机制不健全”。",
    )
    countermeasure_label = models.CharField(
        "对策库主题名", max_length=60, blank=True, help_text="以这一概念为主的对策主题的名称，例如“完善考核评价机制”。"
    )
    wordings = models.TextField(
        "说法", blank=True, help_text="文稿中表达这一概念的词或短语，用空格或逗号分开，每个 2 到 20 个汉字。"
    )
    enabled = models.BooleanField("启用", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.EDITOR, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "概念词"
        verbose_name_plural = "概念词"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from library.concepts import MAX_WORDINGS, is_wording, parse_wordings

        self.name = (self.name or "").strip()
        if not is_wording(self.name):
            raise ValidationError({"name": "概念须是 2 到 20 个汉字，不含标点、空格和字母。"})
        words = parse_wordings(self.wordings)
        bad = [word for word in words if not is_wording(word)]
        if bad:
            raise ValidationError({"wordings": f"说法“{bad[0][:30]}”不合要求：每个说法须是 2 到 20 个汉字。"})
        if len(words) > MAX_WORDINGS:
            raise ValidationError({"wordings": f"说法最多 {MAX_WORDINGS} 个。"})
        self.wordings = " ".join(words)
