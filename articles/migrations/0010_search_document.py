"""The search index: documents and passages, plus each database's own index over them.

PostgreSQL gets generated ``tsvector`` columns (``simple`` configuration,
weights A–D) with GIN indexes; SQLite gets FTS5 tables (external content)
kept in step by triggers. Neither is a model field: see
``articles/search/models.py``.

Note for later migrations: on PostgreSQL a column used by a generated column
cannot change type, and on SQLite Django rebuilds a table it alters, which
drops its triggers. A migration that alters these two tables must drop and
re-create the objects below (``SEARCH_SQL`` holds them).

After migrating an existing database, run ``manage.py rebuild_search_index``.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_FORWARD = [
    """
    ALTER TABLE articles_searchdocument
      ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
        || setweight(to_tsvector('simple'::regconfig, heading_tokens), 'B')
        || setweight(to_tsvector('simple'::regconfig, lead_tokens), 'C')
        || setweight(to_tsvector('simple'::regconfig, body_tokens), 'D')
      ) STORED,
      ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
        || setweight(to_tsvector('simple'::regconfig, heading_tokens), 'B')
      ) STORED
    """,
    # The title-and-headings vector is read row by row while walking the
    # newest essays: keep it in the row rather than in the TOAST table.
    "ALTER TABLE articles_searchdocument ALTER COLUMN head_vector SET STORAGE MAIN",
    "CREATE INDEX search_doc_vector_gin ON articles_searchdocument USING gin (vector)",
    "CREATE INDEX search_doc_head_gin ON articles_searchdocument USING gin (head_vector)",
    # Passages are only matched, never ranked: their vector needs no
    # positions, and building it from the token list directly is five times
    # faster than running the text parser again (the tokens are already
    # words of the simple configuration: see articles.search.segmentation).
    """
    ALTER TABLE articles_searchpassage
      ADD COLUMN vector tsvector GENERATED ALWAYS AS (array_to_tsvector(array_remove(string_to_array(tokens, ' '), ''))) STORED
    """,
    "CREATE INDEX search_passage_vector_gin ON articles_searchpassage USING gin (vector)",
    # The matching essays (passages) by their GIN index. The planner cannot
    # see that testing a row means reading its vector back from TOAST and
    # would sometimes scan the table instead; these functions run their one
    # query with sequential scans off (see articles.search.backends).
    """
    CREATE FUNCTION articles_search_matches(query tsquery) RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off
    AS $$ SELECT article_id FROM articles_searchdocument WHERE vector @@ query $$
    """,
    """
    CREATE FUNCTION articles_search_passage_matches(query tsquery, passage_kind varchar) RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off
    AS $$ SELECT id FROM articles_searchpassage WHERE vector @@ query AND kind = passage_kind $$
    """,
]
POSTGRES_BACKWARD = [
    "DROP FUNCTION IF EXISTS articles_search_passage_matches(tsquery, varchar)",
    "DROP FUNCTION IF EXISTS articles_search_matches(tsquery)",
    "DROP INDEX IF EXISTS search_passage_vector_gin",
    "ALTER TABLE articles_searchpassage DROP COLUMN IF EXISTS vector",
    "DROP INDEX IF EXISTS search_doc_head_gin",
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "ALTER TABLE articles_searchdocument DROP COLUMN IF EXISTS head_vector, DROP COLUMN IF EXISTS vector",
]

_DOC_COLUMNS = "title_tokens, heading_tokens, lead_tokens, body_tokens"
_OLD_DOC = "old.title_tokens, old.heading_tokens, old.lead_tokens, old.body_tokens"
_NEW_DOC = "new.title_tokens, new.heading_tokens, new.lead_tokens, new.body_tokens"
SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE articles_search_fts USING fts5(
      {_DOC_COLUMNS},
      content='articles_searchdocument', content_rowid='article_id',
      tokenize='unicode61 remove_diacritics 0'
    )
    """,
    f"""
    CREATE TRIGGER articles_search_fts_insert AFTER INSERT ON articles_searchdocument BEGIN
      INSERT INTO articles_search_fts(rowid, {_DOC_COLUMNS}) VALUES (new.article_id, {_NEW_DOC});
    END
    """,
    f"""
    CREATE TRIGGER articles_search_fts_delete AFTER DELETE ON articles_searchdocument BEGIN
      INSERT INTO articles_search_fts(articles_search_fts, rowid, {_DOC_COLUMNS})
        VALUES ('delete', old.article_id, {_OLD_DOC});
    END
    """,
    f"""
    CREATE TRIGGER articles_search_fts_update AFTER UPDATE ON articles_searchdocument BEGIN
      INSERT INTO articles_search_fts(articles_search_fts, rowid, {_DOC_COLUMNS})
        VALUES ('delete', old.article_id, {_OLD_DOC});
      INSERT INTO articles_search_fts(rowid, {_DOC_COLUMNS}) VALUES (new.article_id, {_NEW_DOC});
    END
    """,
    """
    CREATE VIRTUAL TABLE articles_search_passage_fts USING fts5(
      tokens, content='articles_searchpassage', content_rowid='id',
      tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER articles_search_passage_fts_insert AFTER INSERT ON articles_searchpassage BEGIN
      INSERT INTO articles_search_passage_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END
    """,
    """
    CREATE TRIGGER articles_search_passage_fts_delete AFTER DELETE ON articles_searchpassage BEGIN
      INSERT INTO articles_search_passage_fts(articles_search_passage_fts, rowid, tokens)
        VALUES ('delete', old.id, old.tokens);
    END
    """,
    """
    CREATE TRIGGER articles_search_passage_fts_update AFTER UPDATE ON articles_searchpassage BEGIN
      INSERT INTO articles_search_passage_fts(articles_search_passage_fts, rowid, tokens)
        VALUES ('delete', old.id, old.tokens);
      INSERT INTO articles_search_passage_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_search_passage_fts_update",
    "DROP TRIGGER IF EXISTS articles_search_passage_fts_delete",
    "DROP TRIGGER IF EXISTS articles_search_passage_fts_insert",
    "DROP TABLE IF EXISTS articles_search_passage_fts",
    "DROP TRIGGER IF EXISTS articles_search_fts_update",
    "DROP TRIGGER IF EXISTS articles_search_fts_delete",
    "DROP TRIGGER IF EXISTS articles_search_fts_insert",
    "DROP TABLE IF EXISTS articles_search_fts",
]
SEARCH_SQL = {
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(statements_for):
    def run(apps, schema_editor):
        statements = SEARCH_SQL.get(schema_editor.connection.vendor)
        if statements is None:
            return  # no search index on other databases (see articles.search.backends)
        for statement in statements_for(statements):
            schema_editor.execute(statement)

    return run


create_search_index = _run(lambda pair: pair[0])
drop_search_index = _run(lambda pair: pair[1])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_proofreading"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                        verbose_name="文稿",
                    ),
                ),
                ("status", models.CharField(max_length=20, verbose_name="状态")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布时间")),
                ("title_tokens", models.TextField(blank=True, verbose_name="标题分词")),
                ("heading_tokens", models.TextField(blank=True, verbose_name="小标题分词")),
                ("lead_tokens", models.TextField(blank=True, verbose_name="摘要导语结语分词")),
                ("body_tokens", models.TextField(blank=True, verbose_name="正文分词")),
                ("text", models.TextField(blank=True, verbose_name="正文文本")),
                ("indexed_at", models.DateTimeField(auto_now=True, verbose_name="索引时间")),
            ],
            options={
                "verbose_name": "搜索文档",
                "verbose_name_plural": "搜索文档",
                "indexes": [models.Index(fields=["published_at", "article"], name="search_doc_published_idx")],
            },
        ),
        migrations.CreateModel(
            name="SearchPassage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20, verbose_name="类型")),
                ("tokens", models.TextField(blank=True, verbose_name="分词")),
                ("text", models.TextField(blank=True, verbose_name="文本")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_passages",
                        to="articles.article",
                        verbose_name="文稿",
                    ),
                ),
            ],
            options={
                "verbose_name": "搜索段落",
                "verbose_name_plural": "搜索段落",
                "indexes": [models.Index(fields=["kind", "article"], name="search_passage_kind_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("article", "kind"), name="search_passage_article_kind_uniq")
                ],
            },
        ),
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
