"""What the search index stores: one document per essay, one passage per section kind.

Python writes only these ordinary columns (segmented tokens, the original
plain text, the publication state); each database derives its own index
from the token columns, so the index can never disagree with them:

- **PostgreSQL**: generated ``tsvector`` columns (``simple`` configuration,
  weights A title, B headings, C summary/lead/conclusion, D bodies) with GIN
  indexes, added by migration ``0010_search_document`` with vendor-specific
  SQL. They are not model fields: a field that exists on one database only
  would be selected (and fail) on the other, and no code but the PostgreSQL
  backend ever reads them.
- **SQLite**: FTS5 tables over the same columns (external content), kept in
  step by triggers created in the same migration.

The models are imported by ``articles.models`` so that Django's app registry
and migrations see them.
"""

from django.db import models


class SearchDocument(models.Model):
    """An essay as the search engine sees it (rebuilt by ``articles.search.indexing.index_article``)."""

    article = models.OneToOneField(
        "articles.Article",
        verbose_name="文稿",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # Copies of the essay's publication state, so that the public search can
    # keep to published essays without reading the essay table first. They
    # are rewritten whenever the essay is saved; results are checked against
    # Article.objects.published() once more before they are shown.
    status = models.CharField("状态", max_length=20)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # Segmented text, one space-separated token list per weight class.
    title_tokens = models.TextField("标题分词", blank=True)
    heading_tokens = models.TextField("小标题分词", blank=True)
    lead_tokens = models.TextField("摘要导语结语分词", blank=True)
    body_tokens = models.TextField("正文分词", blank=True)
    # The original text without markup: snippets are cut from it and quoted
    # phrases are checked against it.
    text = models.TextField("正文文本", blank=True)
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "搜索文档"
        verbose_name_plural = "搜索文档"
        # Walked newest first by the PostgreSQL backend (see its docstring).
        indexes = [models.Index(fields=["published_at", "article"], name="search_doc_published_idx")]

    def __str__(self):
        return f"搜索文档 {self.article_id}"


class SearchPassage(models.Model):
    """The sections of one kind in one essay (只看对策: search within countermeasures)."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="文稿",
        on_delete=models.CASCADE,
        related_name="search_passages",
    )
    kind = models.CharField("类型", max_length=20)
    tokens = models.TextField("分词", blank=True)
    text = models.TextField("文本", blank=True)

    class Meta:
        verbose_name = "搜索段落"
        verbose_name_plural = "搜索段落"
        constraints = [
            models.UniqueConstraint(fields=["article", "kind"], name="search_passage_article_kind_uniq"),
        ]
        indexes = [models.Index(fields=["kind", "article"], name="search_passage_kind_idx")]

    def __str__(self):
        return f"搜索段落 {self.article_id}/{self.kind}"


class SearchImpact(models.Model):
    """One of the words an essay is most about, with its impact (see ``articles.search.impacts``).

    Written on PostgreSQL only, where it lets a search for a very common word
    find the essays that lead its list by one index walk.
    """

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="文稿",
        on_delete=models.CASCADE,
        related_name="search_impacts",
    )
    term = models.CharField("词", max_length=32)
    impact = models.FloatField("权重")

    class Meta:
        verbose_name = "搜索词权重"
        verbose_name_plural = "搜索词权重"
        indexes = [models.Index(fields=["term", "-impact"], name="search_impact_term_idx")]

    def __str__(self):
        return f"{self.term} {self.impact} ({self.article_id})"
