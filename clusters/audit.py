"""The audit trail as staff read it: every audited model, and how each record leads to
the organizing body whose staff may read its history.

django-simple-history keeps a history table beside every audited model (and the
request's user on each row, through its middleware). This module finds them all and,
for each, the chain of foreign keys from the record to its body (a score → its
criterion → sheet → cluster year → cluster → body), so a new audited model is in the
audit log without anyone listing it.
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from clusters.models import OrganizingBody, SearchableModel
from core.sql import CompiledCache, from_json_row, json_row, planned_once
from core.text import format_decimal

MAX_DEPTH = 6


@dataclass(frozen=True)
class Audited:
    model: type[Model]  # the audited model
    history: type[Model]  # its history model
    body_path: str | None  # lookup from a history row to the body; None: superusers only

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)


def _body_path(model: type[Model]) -> str | None:
    """The shortest chain of required foreign keys from ``model`` to OrganizingBody (an
    optional link such as a meeting's host unit only when there is no other way; users
    and accounts are never a way to a body)."""
    if model is OrganizingBody:
        return "id"
    return _shortest_path(model, required=True) or _shortest_path(model, required=False)


def _shortest_path(model: type[Model], *, required: bool) -> str | None:
    user_label = settings.AUTH_USER_MODEL.lower()
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if path.count("__") >= MAX_DEPTH:
            continue
        for field in current._meta.fields:
            if not (field.many_to_one or field.one_to_one) or (required and field.null):
                continue
            target = field.related_model
            if target._meta.label_lower == user_label or target in seen:
                continue
            step = f"{path}__{field.name}" if path else field.name
            if target is OrganizingBody:
                return step
            seen.add(target)
            queue.append((target, step))
    return None


@cache
def audited_models() -> tuple[Audited, ...]:
    """Every audited model with its history model, in the order of their names."""
    found = []
    for history in apps.get_models():
        model = getattr(history, "instance_type", None)
        if model is None or history._meta.pk.column != "history_id":
            continue
        found.append(Audited(model, history, _body_path(model)))
    return tuple(sorted(found, key=lambda a: a.label))


def audited(label: str) -> Audited | None:
    return next((a for a in audited_models() if a.label == label), None)


def body_filter(entry: Audited, body_ids: set[int] | None) -> Q | None:
    """Rows of ``entry``'s history the reader may see: all for ``None`` (a superuser),
    those under ``body_ids`` otherwise; ``None`` when none at all."""
    if body_ids is None:
        return Q()
    if entry.body_path is None:
        return None
    return Q(**{f"{entry.body_path}__in": body_ids})


# --- Reading the trail ---------------------------------------------------------------

# Columns derived for search and order (every one ``SearchableModel`` keeps) and for
# bookkeeping: nobody changed them by hand, so the trail does not show them.
HIDDEN_FIELDS = {
    *SearchableModel.text_key_fields,
    "name_key",
    "created_at",
    "updated_at",
    "fingerprint",
}
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One line of the audit trail: who did what to which record, when, and the
    values that changed (old → new; all values for a creation)."""

    audited: Audited
    row: Model  # the history row
    changes: list[FieldChange]
    who: str = ""  # the user's name (full, or else the login); empty: the system

    @property
    def kind(self) -> str:
        return KINDS.get(self.row.history_type, "changed")

    @property
    def record_id(self):
        return self.row.id

    def history_url(self, pages: dict[str, str]) -> str:
        """The record's own history page, if its kind has one (``pages``: label → URL
        name)."""
        from django.urls import reverse

        name = pages.get(self.audited.label)
        return reverse(name, args=[self.row.id]) if name else ""


def _shown(field, value, names) -> str:
    if value is None or value == "":
        return "—"
    if field.many_to_one:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _fields(model: type[Model]):
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in HIDDEN_FIELDS
    ]


def _names(rows: list[tuple[Audited, Model]]) -> dict[tuple[type[Model], object], str]:
    """Names of the records the rows point to (a body, a unit, a person…), in one query
    for every kind of record that has a name (a ``UNION ALL``); others show their
    number."""
    user_model = get_user_model()
    wanted: dict[type[Model], set] = {}
    for audited_model, row in rows:
        for field in _fields(audited_model.model):
            value = getattr(row, field.attname, None)
            if field.many_to_one and value is not None:
                wanted.setdefault(field.related_model, set()).add(value)
        if row.history_user_id is not None:
            wanted.setdefault(user_model, set()).add(row.history_user_id)
    quote = connection.ops.quote_name
    models, branches, params = [], [], []
    for model, ids in wanted.items():
        name = _user_name(model) if model is user_model else _name_column(model)
        if name is None:
            continue
        pk = quote(model._meta.pk.column)
        marks = ", ".join(["%s"] * len(ids))
        branches.append(
            f"SELECT {len(models)}, {pk}, {name} FROM {quote(model._meta.db_table)}"
            f" WHERE {pk} IN ({marks})"
        )
        params += sorted(ids)
        models.append(model)
    if not branches:
        return {}
    # Written as SQL: the ORM took some 3 ms a page to compile the union of querysets.
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        # A blank name (a letter sent without its number) leaves the record's key shown.
        return {(models[kind], pk): name for kind, pk, name in cursor.fetchall() if name}


def _name_column(model: type[Model]) -> str | None:
    """The column a record is known by: its name, a person's full name, a decision's or
    a letter's number."""
    found = next((n for n in ("name", "full_name", "number") if _has_field(model, n)), None)
    return connection.ops.quote_name(model._meta.get_field(found).column) if found else None


def _user_name(user_model: type[Model]) -> str:
    """A user's name as ``get_full_name() or get_username()`` gives it, in SQL."""
    quote = connection.ops.quote_name
    login = quote(user_model._meta.get_field(user_model.USERNAME_FIELD).column)
    if not (_has_field(user_model, "first_name") and _has_field(user_model, "last_name")):
        return login
    full = f"TRIM({quote('first_name')} || ' ' || {quote('last_name')})"
    return f"COALESCE(NULLIF({full}, ''), {login})"


def _has_field(model: type[Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def entries(
    rows: list[tuple[Audited, Model]], earlier: dict[Audited, list[Model]] | None = None
) -> list[Entry]:
    """The audit entries of history ``rows`` with what each changed, reading the earlier
    rows of the same records in one query per model (not one per row) unless ``earlier``
    holds them already ({model: its history rows of those records, any order}), and the
    names of the records they point to and of the users who changed them in one query."""
    names, user_model = _names(rows), get_user_model()
    by_model: dict[Audited, list[Model]] = {}
    for audited_model, row in rows:
        by_model.setdefault(audited_model, []).append(row)
    previous: dict[tuple[str, int], Model] = {}
    for audited_model, history_rows in by_model.items():
        if earlier is not None:
            read = sorted(earlier.get(audited_model, []), key=lambda row: row.history_id)
        else:
            ids = {row.id for row in history_rows}
            newest = max(row.history_id for row in history_rows)
            read = audited_model.history.objects.filter(id__in=ids, history_id__lt=newest).order_by(
                "history_id"
            )
        chains: dict[int, list[Model]] = {}
        for row in read:
            chains.setdefault(row.id, []).append(row)
        for row in history_rows:
            before = [r for r in chains.get(row.id, []) if r.history_id < row.history_id]
            if before:
                previous[(audited_model.label, row.history_id)] = before[-1]
    result = []
    for audited_model, row in rows:
        fields = _fields(audited_model.model)
        prior = previous.get((audited_model.label, row.history_id))
        changes = []
        for field in fields:
            new = getattr(row, field.attname, None)
            old = getattr(prior, field.attname, None) if prior is not None else None
            if row.history_type == "-" or (prior is not None and old == new):
                continue
            if prior is None and new in (None, ""):
                continue
            changes.append(
                FieldChange(
                    str(field.verbose_name),
                    _shown(field, old, names) if prior is not None else "",
                    _shown(field, new, names),
                )
            )
        who = names.get((user_model, row.history_user_id), "")
        result.append(Entry(audited_model, row, changes, who))
    return result


# --- A page of the whole trail ---------------------------------------------------------


# The kinds of record whose rows the first try reads (those changed most recently).
FIRST_KINDS = 8

# A kind of record's history rows that a reader may see: a queryset, or a callable that
# builds it (only the kinds read are built); and, optionally, a key naming that queryset
# (its kind and the reader's scope, say) under which its query is compiled once.
Trail = (
    tuple[Audited, QuerySet | Callable[[], QuerySet]]
    | tuple[Audited, QuerySet | Callable[[], QuerySet], Hashable]
)

# The newest-rows queries of trails with a key (``_newest_keys``): the ORM took about a
# millisecond a page to build and compile the eight of a first page.
_TRAIL_QUERIES = CompiledCache()


def newest_rows(
    trails: list[Trail], *, limit: int, below: datetime.datetime | None = None
) -> tuple[list[tuple[Audited, Model]], dict[Audited, list[Model]]]:
    """The ``limit`` newest rows among the history querysets ``trails`` (each already
    filtered, none with a row at or after ``below`` if given), newest first (ties: in
    the order of ``trails``, then newest row first); and, for ``entries``, those rows
    with the row before each of the same record.

    One query reads the newest moment of each history table (its ``history_date``
    index, no join): an upper bound of what its trail can hold. The rows are then picked
    by a ``UNION ALL`` of each trail's newest ``limit`` (each read backwards along its
    ``history_date`` index), first over the ``FIRST_KINDS`` tables changed last, then
    over twice as many, until the rows found are all newer than any table left out can
    hold. A union's planning grows with its branches and their joins to the body (43
    tables: 10–20 ms), while a page's rows usually come from a few kinds of record.
    Then one query reads the page's rows and the row before each, of every kind of
    record on the page (each row as JSON: ``core.sql.json_row``): a page costs the
    same however long the trail grows and however many kinds it shows.
    """
    if not trails:
        return [], {}
    newest = _newest_moments(trails, below)
    order = sorted(
        (index for index in range(len(trails)) if newest[index] is not None),
        key=lambda index: (newest[index], -index),
        reverse=True,
    )
    taken = FIRST_KINDS
    while True:
        keys = _newest_keys(trails, sorted(order[:taken]), limit)
        if taken >= len(order):
            break
        if len(keys) >= limit and keys[-1][2] > newest[order[taken]]:
            break  # every table left out holds only older rows
        taken *= 2
    keys = [(kind, history_id) for kind, history_id, _moment in keys]
    wanted: dict[int, list[int]] = {}
    for kind, history_id in keys:
        wanted.setdefault(kind, []).append(history_id)
    found: dict[tuple[int, int], Model] = {}
    earlier: dict[Audited, list[Model]] = {}
    for kind, row in _rows_and_earlier(trails, wanted):
        audited_model = trails[kind][0]
        earlier.setdefault(audited_model, []).append(row)
        found[(kind, row.history_id)] = row
    rows = [(trails[kind][0], found[(kind, history_id)]) for kind, history_id in keys]
    return rows, earlier


def _rows_and_earlier(trails: list[Trail], wanted: dict[int, list[int]]) -> list[tuple[int, Model]]:
    """``(trail index, history row)`` of the rows ``wanted`` ({trail index: history
    ids}) and of the row before each (of the same record), in one query for every kind
    of record: each row travels as JSON through a ``UNION ALL`` (``core.sql.json_row``).
    A record changed a hundred times costs no more than one changed twice."""
    if not wanted:
        return []
    quote = connection.ops.quote_name
    branches, params = [], []
    for kind, history_ids in wanted.items():
        history = trails[kind][0].history
        table = quote(history._meta.db_table)
        marks = ", ".join(["%s"] * len(history_ids))
        # Each page row by its key, with the row before it of the same record (what it
        # changed is read against it), found through the record's own rows.
        before = (
            f"SELECT {json_row(history, 'p')} FROM {table} p WHERE p.history_id = ("
            f"SELECT MAX(e.history_id) FROM {table} e WHERE e.id = h.id"
            " AND e.history_id < h.history_id)"
        )
        branches.append(
            f"SELECT {int(kind)} AS kind, {json_row(history, 'h')} AS row, ({before}) AS before"
            f" FROM {table} h WHERE h.history_id IN ({marks})"
        )
        params += history_ids
    found: dict[tuple[int, int], Model] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        for kind, text, before_text in cursor.fetchall():
            model = trails[kind][0].history
            for row in filter(None, (text, before_text)):
                instance = from_json_row(model, row, connection.alias)
                found.setdefault((kind, instance.history_id), instance)
    return [(kind, row) for (kind, _history_id), row in found.items()]


def _newest_moments(
    trails: list[Trail], below: datetime.datetime | None
) -> list[datetime.datetime | None]:
    """The newest ``history_date`` of each trail's table (before ``below``), ``None``
    for an empty one; in one query."""
    quote = connection.ops.quote_name
    parts, params = [], []
    for index, (audited_model, *_trail) in enumerate(trails):
        table = quote(audited_model.history._meta.db_table)
        where = ""
        if below is not None:
            where = " WHERE history_date < %s"
            params.append(below)
        parts.append(f"SELECT {index}, MAX(history_date) FROM {table}{where}")
    # The same text on every request (one of two): PostgreSQL planned the 45 branches in
    # 3 ms each time, and runs them in 0.3.
    with planned_once() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = dict(cursor.fetchall())
    return [_aware(found.get(index)) for index in range(len(trails))]


def _aware(value) -> datetime.datetime | None:
    """A moment read by a raw query: SQLite gives its stored UTC, as text or (from a
    column, not an aggregate) as a naive moment."""
    if value is None:
        return None
    moment = (
        value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)
    )
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


def _newest_keys(
    trails: list[Trail], indexes: list[int], limit: int
) -> list[tuple[int, int, datetime.datetime]]:
    """``(trail index, history_id, history_date)`` of the ``limit`` newest rows among
    the trails of ``indexes``."""
    if not indexes:
        return []
    branches, params = [], []
    for index in indexes:
        _audited, history, *key = trails[index]

        def newest(history=history) -> QuerySet:
            return (
                (history if isinstance(history, QuerySet) else history())
                .order_by("-history_date", "-history_id")
                .values_list("history_id", "history_date")[:limit]
            )

        if key:
            sql, branch_params = _TRAIL_QUERIES.get((connection.alias, key[0], limit), newest)
        else:
            sql, branch_params = newest().query.sql_with_params()
        branches.append(f"SELECT {index} AS kind, b.* FROM ({sql}) b")
        params += branch_params
    union = " UNION ALL ".join(branches)
    # The same text while the same kinds of record changed last, for the same scope.
    with planned_once() as cursor:
        cursor.execute(
            f"SELECT kind, history_id, history_date FROM ({union}) u "
            f"ORDER BY history_date DESC, kind, history_id DESC LIMIT {int(limit)}",
            params,
        )
        return [(kind, history_id, _aware(moment)) for kind, history_id, moment in cursor]
