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
