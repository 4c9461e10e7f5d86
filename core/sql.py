"""Compiled SQL kept for reuse, with holes for the parts that change.

A scoped queryset compiled by the ORM costs milliseconds of Python every time, even
when only a search's words differ from one request to the next. ``CompiledCache``
compiles it once per key (e.g. a kind of record and the user's scope) with markers
(``hole``) where the changing SQL goes, and ``splice`` fills the holes with that SQL
and its parameters, each at its place in the parameter list.

``planned_once`` runs a query of fixed text as a prepared statement, planned once per
connection: for the few whose planning costs more than running them.

``json_row`` and ``from_json_row`` carry whole rows of different tables through one
``UNION ALL`` (each row as one JSON text), so reading the rows of many models costs one
query instead of one per model.
"""

import contextlib
import datetime
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from decimal import Decimal
from functools import cache

from django.db import connections
from django.db.models import BooleanField, Field, IntegerField, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.dateparse import parse_date, parse_datetime, parse_time

# A placeholder (``%s``) or an escaped percent sign (``%%``), in compiled SQL.
_PERCENT = re.compile(r"%%|%s")


def hole(name: str, output_field: Field | None = None) -> RawSQL:
    """An expression that compiles to a marker, filled later by ``splice``: a condition
    by default (for ``filter``), or a value of ``output_field`` (for ``annotate``)."""
    if not name.isidentifier():
        raise ValueError(f"a hole's name is an identifier: {name!r}")
    return RawSQL(_marker(name), (), output_field=output_field or BooleanField())


def integer_hole(name: str) -> RawSQL:
    return hole(name, IntegerField())


def _marker(name: str) -> str:
    return f"/*hole:{name}*/"


def splice(sql: str, params, parts: dict[str, tuple[str, list]]) -> tuple[str, list]:
    """``sql`` with each hole ``name`` replaced by ``parts[name]``'s SQL, and that part's
    parameters put where its placeholders now stand among ``params``."""
    params = list(params)
    for name, (part_sql, part_params) in parts.items():
        marker = _marker(name)
        at = sql.find(marker)
        if at < 0 or sql.find(marker, at + 1) >= 0:
            raise ValueError(f"the hole {name!r} is not in the SQL exactly once")
        before = sum(1 for found in _PERCENT.findall(sql, 0, at) if found == "%s")
        sql = sql[:at] + part_sql + sql[at + len(marker) :]
        params[before:before] = list(part_params)
    return sql, params


class CompiledCache:
    """``(sql, params)`` of querysets by key, the least recently used forgotten first."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], QuerySet]) -> tuple[str, tuple]:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        found = build().query.sql_with_params()
        with self._lock:
            self._items[key] = found
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# --- Statements planned once per connection -------------------------------------------


@contextlib.contextmanager
def planned_once(using: str = "default"):
    """A cursor whose statements PostgreSQL plans once per connection and keeps (psycopg
    prepares each the first time and reuses it by its text), seen by Django's query log
    and execute wrappers like any other. For a query of fixed text run on many requests
    whose planning costs more than running it: the audit log's newest moment of each of
    45 history tables took 3.4 ms planned each time, 0.3 ms prepared.

    Only these statements are prepared: the connection's threshold (the database's
    ``prepare_threshold`` option in ``config.settings``) is set beyond reach, so the
    product's other queries, bound on the client, never are. A pooler between the
    product and PostgreSQL must then keep prepared statements (PgBouncer 1.21 or newer
    with ``max_prepared_statements``). Elsewhere, or with the option unset, a plain
    cursor."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    # What ``connection.cursor()`` does first: a kept connection checked, then opened.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = _prepared_cursor()(connection.connection)
    with connection._prepare_cursor(raw) as cursor:  # Django's wrapper: logged, wrapped
        yield cursor


@cache
def _prepared_cursor():
    """The class of ``planned_once``'s cursors (its base exists where psycopg 3 does)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        """Binds its parameters on the server and asks for every statement to be
        prepared (psycopg does, unless the connection's threshold is ``None``)."""

        def execute(self, query, params=None, **kwargs):
            kwargs.setdefault("prepare", True)
            super().execute(query, params, **kwargs)
            if self._query is None:
                # Running a prepared statement leaves no query behind (psycopg keeps the
                # one it sends as text), and Django's query log reads it there.
                self._query = self._convert_query(query, params)
            return self

    return PreparedCursor


# --- Whole rows as JSON ----------------------------------------------------------------

# Kinds of column whose JSON value is the ORM's value already.
_AS_THEY_ARE = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}

# Pairs per JSON-building call: PostgreSQL takes at most 100 arguments, SQLite 127.
_PAIRS_PER_CALL = 40


def json_row(model: type[Model], alias: str, using: str = "default") -> str:
    """SQL of one text holding the JSON object of the row ``alias`` of ``model``'s table:
    every concrete column by its name (``from_json_row`` makes the instance again)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    pairs = []
    for field in _columns(model):
        column = f"{alias}.{quote(field.column)}"
        if field.get_internal_type() == "JSONField" and connection.vendor == "postgresql":
            column += "::text"  # its own JSON, read by its field's decoder
        pairs.append(f"'{field.column}', {column}")
    calls = [
        ", ".join(pairs[start : start + _PAIRS_PER_CALL])
        for start in range(0, len(pairs), _PAIRS_PER_CALL)
    ]
    if connection.vendor == "postgresql":
        return "(" + " || ".join(f"jsonb_build_object({call})" for call in calls) + ")::text"
    if connection.vendor == "sqlite":
        objects = [f"json_object({call})" for call in calls]
        merged = objects[0]
        for other in objects[1:]:
            merged = f"json_patch({merged}, {other})"
        return merged
    raise NotImplementedError(f"json_row: no JSON object builder for {connection.vendor}")


def from_json_row(model: type[Model], text: str, using: str = "default") -> Model:
    """The instance of ``model`` whose row ``json_row`` wrote as ``text``, its values of
    the types the ORM reads (exact decimals to the field's places, aware moments)."""
    data = json.loads(text, parse_float=Decimal)
    columns, attnames, decoders = _decoders(model)
    values = [
        value if decode is None or value is None else decode(value)
        for value, decode in zip(map(data.get, columns), decoders, strict=True)
    ]
    return model.from_db(using, attnames, values)


@cache
def _decoders(model: type[Model]) -> tuple[list[str], list[str], list[Callable | None]]:
    """The column names of ``model``, their attribute names and, for each, what makes
    its JSON value the ORM's (``None``: the value as it is: text, numbers, keys). A page
    of the audit log reads a hundred rows of some fifteen columns."""
    fields = _columns(model)
    return (
        [field.column for field in fields],
        [field.attname for field in fields],
        [_decoder(field) for field in fields],
    )


def _columns(model: type[Model]) -> list[Field]:
    return list(model._meta.concrete_fields)


def _moment(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        moment = parse_datetime(value)
    if moment.tzinfo is None:  # SQLite keeps UTC without its offset
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _decoder(field: Field) -> Callable | None:
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _moment
    if kind == "DateField":
        return parse_date
    if kind == "TimeField":
        return parse_time
    if kind == "DecimalField":
        places = Decimal(1).scaleb(-field.decimal_places)
        return lambda value: Decimal(str(value)).quantize(places)
    if kind == "BooleanField":
        return bool
    if kind == "JSONField":  # the column's own JSON, as text
        return lambda value: json.loads(value, cls=field.decoder)
    if kind in _AS_THEY_ARE:
        return None
    return field.to_python
