"""Full-text search of needs.

`search_text` holds the folded words of a need (written by volunteering.services.needs). On PostgreSQL a
stored, generated `search_vector` column (German configuration) is derived from it and carries a GIN index,
so that a full-text search is an index scan and no row's vector is computed at query time. The column is
unknown to the Django model on purpose: SQLite (the embedded default) has no tsvector, and the search there
falls back to matching `search_text` (see volunteering/selectors/needs.py).

Changing the type of `search_text` later on PostgreSQL needs the generated column dropped first.
"""

from django.db import migrations, models

ADD_SEARCH_VECTOR = [
    """
    ALTER TABLE volunteering_need ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('german'::regconfig, search_text)) STORED
    """,
    "CREATE INDEX need_search_vector ON volunteering_need USING gin (search_vector)",
    # Detailed word statistics let the planner see that a rare word matches few rows, so that it takes
    # the GIN index instead of walking the newest-first index and filtering (benchmarks/search.py).
    "ALTER TABLE volunteering_need ALTER COLUMN search_vector SET STATISTICS 5000",
]
DROP_SEARCH_VECTOR = [
    "DROP INDEX IF EXISTS need_search_vector",
    "ALTER TABLE volunteering_need DROP COLUMN IF EXISTS search_vector",
]


def _run_on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0004_needs_applications"),
    ]

    operations = [
        migrations.AddField(
            model_name="need",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AlterField(
            model_name="need",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Entwurf"),
                    ("published", "veröffentlicht"),
                    ("paused", "pausiert"),
                    ("filled", "besetzt"),
                    ("closed", "beendet"),
                    ("expired", "abgelaufen"),
                ],
                default="draft",
                max_length=10,
                verbose_name="Status",
            ),
        ),
        migrations.AddIndex(
            model_name="need",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-published_at"],
                name="need_published_newest",
            ),
        ),
        migrations.RunPython(
            _run_on_postgres(ADD_SEARCH_VECTOR), _run_on_postgres(DROP_SEARCH_VECTOR), elidable=False
        ),
    ]
