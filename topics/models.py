"""Topics tag essays: two levels, 栏目 (column) and 专题 (special topic)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from topics.slugs import unique_slug


class TopicQuerySet(models.QuerySet):
    def in_navigation(self):
        return self.filter(show_in_nav=True, parent__isnull=True)

    def columns(self):
        """Top-level topics (栏目)."""
        return self.filter(parent__isnull=True)


class Topic(models.Model):
    name = models.CharField("名称", max_length=50, unique=True)
    slug = models.SlugField(
        "网址标识",
        max_length=60,
        unique=True,
        blank=True,
        help_text="留空则按名称拼音自动生成，只能包含字母、数字和连字符。",
    )
    description = models.TextField("简介", blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级栏目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="留空表示栏目；选择上级栏目则为其下的专题。",
    )
    position = models.PositiveIntegerField("排序", default=0, help_text="数字越小越靠前。")
    show_in_nav = models.BooleanField("显示在导航中", default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "不能把专题设为自己的上级。"})
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": "专题只有两级：上级必须是栏目。"})
        if self.pk and self.children.exists():
            raise ValidationError({"parent": "该栏目下已有专题，不能再设上级。"})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Topic, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("topics:detail", kwargs={"slug": self.slug})
