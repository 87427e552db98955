"""PostgreSQL: drop the title-and-headings ``tsvector`` column and its GIN index.

No query has read them since the champion lists (migration 0022) replaced
the walk over the newest essays' headings; they cost every essay a second
``to_tsvector`` when indexed and about 4 % of the index's size.
"""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS search_doc_head_gin",
    "ALTER TABLE articles_searchdocument DROP COLUMN IF EXISTS head_vector",
]
BACKWARD = [
    """
    ALTER TABLE articles_searchdocument
      ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')
        || setweight(to_tsvector('simple'::regconfig, heading_tokens), 'B')
      ) STORED
    """,
    "ALTER TABLE articles_searchdocument ALTER COLUMN head_vector SET STORAGE MAIN",
    "CREATE INDEX search_doc_head_gin ON articles_searchdocument USING gin (head_vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0033_essay_cards")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
