"""Migration operations that only apply on PostgreSQL.

SQLite (the embedded default) has no trigram indexes; there the folded search column
is searched by a plain scan, which is fine at laptop scale.
"""

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(table: str, column: str = "search_text") -> PostgresOnlySQL:
    """A GIN trigram index so ``column LIKE '%word%'`` does not scan the table."""
    name = f"{table}_{column}_trgm"
    return PostgresOnlySQL(
        sql=f'CREATE INDEX "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops);',
        reverse_sql=f'DROP INDEX IF EXISTS "{name}";',
    )


def refresh_search_columns(
    app_label: str, model_name: str, *, search, names, related=()
) -> migrations.RunPython:
    """Fill the search columns of every row again, as ``SearchableModel`` does on save:
    ``search(row)`` and ``names(row)`` (the name, then the short name if any) give the
    texts, on the migration's historical model (which has none of the model's methods)."""
    fields = ["search_text", "name_text", "name_fold", "short_fold"]

    def forwards(apps, schema_editor):
        from core.text import search_column, search_words

        model = apps.get_model(app_label, model_name)
        rows = model.objects.using(schema_editor.connection.alias).select_related(*related)
        batch = []
        for row in rows.order_by("pk").iterator(chunk_size=2000):
            row.search_text = search_column(search(row))
            row.name_text = search_column(names(row))
            row.name_fold, row.short_fold = (
                " ".join(search_words(text or ""))[:800] for text in [*names(row), ""][:2]
            )
            batch.append(row)
            if len(batch) >= 1000:
                rows.bulk_update(batch, fields)
                batch = []
        if batch:
            rows.bulk_update(batch, fields)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
