"""Compiled SQL kept for reuse, with holes for the parts that change.

A scoped queryset compiled by the ORM costs milliseconds of Python every time, even
when only a search's words differ from one request to the next. ``CompiledCache``
compiles it once per key (e.g. a kind of record and the user's scope) with markers
(``hole``) where the changing SQL goes, and ``splice`` fills the holes with that SQL
and its parameters, each at its place in the parameter list.
"""

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.db.models import BooleanField, Field, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

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
