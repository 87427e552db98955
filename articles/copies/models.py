"""What the copy index stores: each indexed text with its compared form, and its MinHash bands.

A text is an essay's current text, a text an essay had while it was
published (kept after the essay changes), or a private reference an editor
saved. Candidates for a check are the texts sharing the most bands with it
(``(band, value)`` is indexed); only those are aligned exactly.
"""

from django.conf import settings
from django.db import models


class CopyText(models.Model):
    class Kind(models.TextChoices):
        ESSAY = "essay", "文稿"
        REFERENCE = "reference", "私有参考文本"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.ESSAY)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="文稿",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="copy_texts",
    )
    is_current = models.BooleanField("当前文本", default=False)
    was_published = models.BooleanField("曾经发布", default=False)
    label = models.CharField("名称", max_length=200, blank=True)
    text = models.TextField("原文")
    chars = models.TextField("比对文本")
    digest = models.CharField("比对文本摘要", max_length=40, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "查重文本"
        verbose_name_plural = "查重文本"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "digest"], condition=models.Q(article__isnull=False), name="copytext_one_per_text"
            )
        ]

    def __str__(self):
        return self.label or f"文稿 {self.article_id}"


class CopyBand(models.Model):
    """One MinHash value of a text, as one key: the band (which permutation) in the high 32 bits,
    the value in the low 32 (:func:`articles.essay.copies.band_keys`).

    The primary key ``(key, text)`` is the lookup index (a check asks for 64
    keys and counts the texts); ``text`` has its own index for deletes.
    """

    pk = models.CompositePrimaryKey("key", "text")
    key = models.BigIntegerField()
    text = models.ForeignKey(CopyText, on_delete=models.CASCADE, related_name="bands")

    def __str__(self):
        return f"{self.text_id}:{self.key >> 32}={self.key & 0xFFFFFFFF}"
