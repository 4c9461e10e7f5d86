"""What the audit trail (django-simple-history) can tell the rest of the product.

``data_version`` changes whenever any audited row is created, changed or deleted: a
generated file built at one version can be handed out again while the version holds.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection


def _audited_label(history) -> str:
    """The label of the model a history model records ("reports.export")."""
    recorded = getattr(history, "instance_type", None)
    return recorded._meta.label_lower if recorded is not None else ""


def _history_tables(ignore: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(table, primary key column) of every history model, many-to-many ones included,
    except those recording a model labelled in ``ignore``."""
    return sorted(
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_models()
        if model._meta.pk.column in ("history_id", "m2m_history_id")
        and _audited_label(model) not in ignore
    )


def data_version(ignore: frozenset[str] = frozenset()) -> str:
    """A short fingerprint of the latest audited change of every audited model (one
    query: the highest history id of each history table, read from its primary key).

    ``ignore``: labels of models whose changes do not count (say, the generated files
    themselves, whose every new row would otherwise change the version)."""
    tables = _history_tables(frozenset(ignore))
    if not tables:
        return ""
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    text = ";".join(f"{table}={value}" for (table, _pk), value in zip(tables, row, strict=True))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
