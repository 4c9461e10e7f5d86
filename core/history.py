"""What the audit trail (django-simple-history) can tell the rest of the product.

``data_version`` changes whenever any audited row is created, changed or deleted: a
generated file built at one version can be handed out again while the version holds.
``bulk_update_with_history`` and ``bulk_delete_with_history`` write many changed or
deleted rows and their history rows at once.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model


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


# PostgreSQL takes at most 65,535 parameters in one statement.
_MAX_PARAMETERS = 65535


def bulk_update_with_history(objs, model, fields, *, default_user=None, default_change_reason=None):
    """Write ``fields`` of many rows of ``model`` (as set on ``objs``) and their history.

    What django-simple-history's ``bulk_update_with_history`` does, much faster: its
    ``bulk_update`` builds a ``CASE WHEN`` per row and field (seconds of Python for a few
    thousand cells), while one ``UPDATE … FROM (VALUES …)`` per 65,535 parameters takes
    a fraction of that on PostgreSQL. Other databases use Django's ``bulk_update``. The
    history rows are those the library writes ("~", the user and reason given, every
    tracked field's new value), in one insert. Sends no signals (neither does the
    library); returns the number of rows updated. Values must be plain values, not
    expressions.
    """
    objs = list(objs)
    if not objs:
        return 0
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            updated = _update_from_values(model, objs, fields)
        else:
            updated = model._default_manager.bulk_update(objs, fields)
        get_history_manager_for_model(model).bulk_history_create(
            objs,
            update=True,
            default_user=default_user,
            default_change_reason=default_change_reason,
        )
    return updated


def _update_from_values(model, objs, fields) -> int:
    """``UPDATE <table> SET … FROM (VALUES (pk, …), …)``: one statement per batch, the
    values cast to each column's type (a NULL or a literal alone has none)."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    names = [f"c{index}" for index in range(len(columns))]
    assignments = ", ".join(
        f"{quote(column.column)} = v.{name}::{column.cast_db_type(connection)}"
        for column, name in zip(columns, names, strict=True)
    )
    table, pk = quote(meta.db_table), meta.pk
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    batch = _MAX_PARAMETERS // (len(columns) + 1)
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            params = []
            for obj in chunk:
                params.append(pk.get_db_prep_value(obj.pk, connection))
                for column in columns:
                    value = getattr(obj, column.attname)
                    if hasattr(value, "resolve_expression"):
                        raise TypeError(f"{column.name}: expressions are not supported here")
                    params.append(column.get_db_prep_save(value, connection))
            cursor.execute(
                f"UPDATE {table} SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v(pk, {', '.join(names)}) "
                f"WHERE {table}.{quote(pk.column)} = v.pk::{pk.cast_db_type(connection)}",
                params,
            )
            updated += cursor.rowcount
    return updated


def bulk_delete_with_history(objs, model) -> int:
    """Delete many loaded rows of ``model`` and record each deletion in its history.

    What ``obj.delete()`` one by one does (a "-" history row holding the row's last
    values, its user taken as a single delete takes it: the row's ``_history_user``, or
    the request's), in two queries instead of two per row. Only for a model nothing
    else refers to and with no many-to-many fields (nothing to cascade); any other model
    is deleted row by row. Sends no delete signals; returns the number deleted.
    """
    objs = list(objs)
    if not objs:
        return 0
    meta = model._meta
    if meta.related_objects or meta.many_to_many:
        for obj in objs:
            obj.delete()
        return len(objs)
    with transaction.atomic(savepoint=False):
        history = get_history_manager_for_model(model).model
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history.objects.bulk_create(
                [
                    history(
                        history_date=getattr(obj, "_history_date", timezone.now()),
                        history_type="-",
                        history_user=history.get_default_history_user(obj),
                        history_change_reason=get_change_reason_from_object(obj),
                        **{
                            field.attname: getattr(obj, field.attname)
                            for field in history.tracked_fields
                        },
                    )
                    for obj in objs
                ]
            )
        # A raw delete: the signals ``delete()`` sends would write the history again.
        deleted = model._base_manager.filter(pk__in=[obj.pk for obj in objs])._raw_delete(
            connection.alias
        )
    return deleted
