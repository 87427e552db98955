"""The copy index's bands as one key per row, the lookup index being the primary key (key, text).

The rows are derived again from each indexed text's stored compared form
(``CopyText.chars``), so the index stays complete without a rebuild.
"""

import django.db.models.deletion
from django.db import migrations, models


def derive_keys(apps, schema_editor):
    from articles.essay import copies

    CopyText = apps.get_model("articles", "CopyText")
    CopyBand = apps.get_model("articles", "CopyBand")
    cut = None
    batch = []
    for pk, chars in CopyText.objects.values_list("pk", "chars").iterator(chunk_size=500):
        if cut is None:
            from articles.search.segmentation import get_segmenter

            cut = get_segmenter().cut
        words = tuple(cut(chars)) if chars else ()
        normalised = copies.Normalised(chars, chars, (), (), frozenset(), words)
        batch += [CopyBand(key=key, text_id=pk) for key in copies.band_keys(normalised)]
        if len(batch) >= 10_000:
            CopyBand.objects.bulk_create(batch)
            batch = []
    CopyBand.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0034_i26_search_drop_head_vector"),
    ]

    operations = [
        migrations.DeleteModel(name="CopyBand"),
        migrations.CreateModel(
            name="CopyBand",
            fields=[
                ("pk", models.CompositePrimaryKey("key", "text", blank=True, editable=False, serialize=False)),
                ("key", models.BigIntegerField()),
                (
                    "text",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="bands", to="articles.copytext"
                    ),
                ),
            ],
        ),
        migrations.RunPython(derive_keys, migrations.RunPython.noop),
    ]
