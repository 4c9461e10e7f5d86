"""Keyset pagination: every page of a list costs the same, the last one included.

A page is "the rows after (or before) this row, in the list's order": the query filters
on the ordering key — which an index holds in exactly that order — and stops after one
page, instead of counting and skipping every row before it as ``OFFSET`` does. The
total is counted up to ``COUNT_CAP`` only ("more than 1.000"), never over the whole
table.

A list may be split in **tiers** (a search's exact matches first, then the rest, see
``clusters.search.tiers``): one condition per tier, tried in order, a row belonging to
the first tier it meets; within a tier the list's own order holds. The first tiers are
read in one query — on PostgreSQL each tier its own ordered, limited part of a ``UNION
ALL``, so a broad search still reads one page per tier from the index; SQLite cannot
limit the parts of a compound query, and there the tier is a ``CASE`` the rows are
sorted by — and a later tier only when the page is not full yet (see ``_groups``).

When the rows are known to be few (counted up to ``COUNT_CAP``, as every page counts
them anyway), the order's index is not walked: a selective search would otherwise make
PostgreSQL, which cannot estimate substring matches, read the register in order and
filter most of it (42 ms for 22 people of 100,000); read through the search's own
indexes and sorted, those rows take a few milliseconds. Many rows keep the index walk,
which then stops after one page.

A search (tiers) whose total is not known yet starts with one query that reads up to
``COUNT_CAP + 1`` matches' keys and ranks them (``_ranked_keys``): with few matches that
list is the whole answer — the total, the page and the exact position of any cursor —
and one more query reads the page's rows by their keys. Counting, finding the cursor's
row and reading each tier used to read the same matches three times or more (a
selective award search: 18 ms of SQL to 9).

The cursor in the address is the primary key of the row the page starts after (or
ends before); its key values are read again from the (scoped) queryset, so a key the
user may not see, or a row deleted since, leads back to the first page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Case, CharField, F, Func, IntegerField, Q, QuerySet, Value, When

# Totals above this are shown as "more than …": counting further reads the whole table.
COUNT_CAP = 1000
# Tiers read together in one query; each later tier is read only if the page needs it.
EAGER_TIERS = 2
# The parameters of the address that choose a page.
PAGE_PARAMETERS = ("after", "before", "last", "from", "page")


def count_up_to(queryset: QuerySet, cap: int | None = None) -> int:
    """The rows of ``queryset``, counted up to ``cap + 1`` (``COUNT_CAP`` unless given):
    more than the cap means "many"."""
    cap = COUNT_CAP if cap is None else cap
    return queryset.order_by().values("pk")[: cap + 1].count()


@dataclass
class KeysetPage:
    rows: list
    has_next: bool
    has_previous: bool
    # 1-based position of the first row, when known (always on the first page; carried
    # along the links; on the last page when the total is exact).
    start: int | None
    total: int  # exact up to COUNT_CAP; COUNT_CAP + 1 means "more"
    per_page: int
    next_query: str = ""  # "after=…&from=…"
    previous_query: str = ""

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def total_is_exact(self) -> bool:
        return self.total <= COUNT_CAP

    @property
    def count_cap(self) -> int:
        return COUNT_CAP

    @property
    def start_index(self) -> int | None:
        return self.start

    @property
    def end_index(self) -> int | None:
        return None if self.start is None else self.start + len(self.rows) - 1

    @property
    def is_paginated(self) -> bool:
        return self.has_next or self.has_previous


class KeysetPaginator:
    """Pages of ``queryset`` in ``ordering`` — field names, ``-`` for descending, the last
    one unique (``pk``), none of them nullable — optionally in ``tiers`` (``Q`` objects,
    best first; the last one usually ``Q()``, everything else)."""

    def __init__(
        self,
        queryset: QuerySet,
        ordering,
        per_page: int,
        tiers=(),
        eager: int = EAGER_TIERS,
        total: int | None = None,
        unfiltered: QuerySet | None = None,
    ):
        self.queryset = queryset.order_by()
        # ``queryset`` before a list's filters (the same scope, columns and relations):
        # the rows of a page whose keys are known are read from it by key, without
        # compiling a search's conditions again.
        self.unfiltered = (queryset if unfiltered is None else unfiltered).order_by()
        self.ordering = list(ordering)
        self.keys = [(name.lstrip("-"), name.startswith("-")) for name in self.ordering]
        self.per_page = per_page
        self.tiers = list(tiers) or [Q()]
        # How many tiers one query reads (all of them, for a table small enough that
        # scanning it for a nearly empty tier costs less than one more query).
        self.eager = eager
        # The rows counted up to COUNT_CAP, when known (see the module's docstring).
        self.total = total

    # --- The page asked for ------------------------------------------------------------

    def page_from(self, params) -> KeysetPage:
        """The page a request's parameters (``after``, ``before``, ``last``, ``from``) ask for."""
        if self.total is None and len(self.tiers) > 1:
            ranked = self._ranked_keys()
            if ranked is not None:
                return self._page_among(ranked, params)
        start = _positive(params.get("from"))
        if params.get("after"):
            boundary = self._boundary(params.get("after"))
            if boundary is not None:
                return self._page(boundary, forward=True, start=start)
        elif params.get("before"):
            boundary = self._boundary(params.get("before"))
            if boundary is not None:
                return self._page(boundary, forward=False, start=start)
        elif params.get("last") or params.get("page") == "last":
            return self._page(None, forward=False, start=None)
        return self._page(None, forward=True, start=1)

    def first_rows(self) -> tuple[list, bool]:
        """The first page's rows and whether more follow (no count, no cursor)."""
        rows = self._fetch(None, forward=True)
        return rows[: self.per_page], len(rows) > self.per_page

    def first_queryset(self) -> QuerySet:
        """The query of the first page (one row more than a page), e.g. to explain it."""
        return self._queryset(None, forward=True)

    def tier_queryset(self, index: int) -> QuerySet:
        """The query reading tier ``index`` alone from its start (e.g. to explain it)."""
        return self._group_queryset([index], None, forward=True, limit=self.per_page + 1)

    # --- Building it -------------------------------------------------------------------

    def _page(self, boundary, *, forward: bool, start: int | None) -> KeysetPage:
        if self.total is None:
            self.total = count_up_to(self.queryset)
        total = self.total
        rows = self._fetch(boundary, forward=forward)
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if forward:
            has_next, has_previous = more, boundary is not None
        else:
            rows.reverse()
            has_next, has_previous = boundary is not None, more
        if not has_previous:
            start = 1
        elif boundary is None and total <= COUNT_CAP:  # the last page of a known total
            start = total - len(rows) + 1
        return self._paged(rows, has_next, has_previous, start, total)

    def _paged(self, rows, has_next, has_previous, start, total) -> KeysetPage:
        page = KeysetPage(
            rows=rows,
            has_next=has_next,
            has_previous=has_previous,
            start=start,
            total=total,
            per_page=self.per_page,
        )
        if rows and has_next:
            page.next_query = _query("after", rows[-1].pk, start and start + len(rows))
        if rows and has_previous:
            before = start - self.per_page if start and start > self.per_page else None
            page.previous_query = _query("before", rows[0].pk, before)
        return page

    # --- A search with few matches: every match ranked at once ------------------------

    def _ranked_keys(self) -> list[int] | None:
        """The keys of every row in the list's order (tiers first), when there are at
        most ``COUNT_CAP``; ``None`` (and ``total`` set to "more") when there are more.

        One query reads up to ``COUNT_CAP + 1`` matches by the search's own indexes —
        the scan a count would make — and sorts only those: the page, the total and the
        position of any cursor all follow from it, where counting, finding the cursor's
        row and reading each tier would read the same matches three times or more.
        """
        sql, params = self.ranked_keys_query()
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            keys = [row[0] for row in cursor.fetchall()]
        if len(keys) > COUNT_CAP:
            self.total = COUNT_CAP + 1
            return None
        self.total = len(keys)
        return keys

    def ranked_keys_query(self) -> tuple[str, list]:
        """The SQL of ``_ranked_keys`` (e.g. to explain it): the first ``COUNT_CAP + 1``
        matches in no order, then those sorted by tier and the list's order."""
        aliases = {f"_k{index}": F(name) for index, (name, _) in enumerate(self.keys)}
        capped = (
            self._with_tier(self.queryset)
            .annotate(_row=F("pk"), **aliases)
            .values("_row", "_tier", *aliases)[: COUNT_CAP + 1]
        )
        inner, params = capped.query.sql_with_params()
        quote = connections[self.queryset.db].ops.quote_name
        order = ", ".join(
            [f"{quote('_tier')} ASC"]
            + [
                f"{quote(alias)} {'DESC' if descending else 'ASC'}"
                for alias, (_, descending) in zip(aliases, self.keys, strict=True)
            ]
        )
        sql = f"SELECT {quote('_row')} FROM ({inner}) {quote('_capped')} ORDER BY {order}"
        return sql, list(params)

    def _page_among(self, ranked: list[int], params) -> KeysetPage:
        """The page ``params`` ask for among ``ranked`` (every row's key, in order)."""
        position = {pk: index for index, pk in enumerate(ranked)}
        size, total = self.per_page, len(ranked)
        after, before = _positive(params.get("after")), _positive(params.get("before"))
        if after in position:
            begin = position[after] + 1
            end = begin + size
        elif before in position:
            end = position[before]
            begin = max(end - size, 0)
        elif not (after or before) and (params.get("last") or params.get("page") == "last"):
            begin, end = max(total - size, 0), total
        else:  # the first page, also for a cursor on a row not found
            begin, end = 0, size
        end = min(end, total)
        keys = ranked[begin:end]
        found = self.unfiltered.filter(pk__in=keys).in_bulk() if keys else {}
        rows = [found[pk] for pk in keys if pk in found]
        return self._paged(rows, end < total, begin > 0, begin + 1, total)

    def _boundary(self, raw) -> dict | None:
        """The key values (and tier) of the row a cursor names, if the user may see it."""
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            return None
        names = [name for name, _ in self.keys]
        return self._with_tier(self.queryset.filter(pk=pk)).values(*names, "_tier").first()

    def _with_tier(self, queryset: QuerySet) -> QuerySet:
        if len(self.tiers) == 1:
            return queryset.annotate(_tier=Value(0, IntegerField()))
        whens = [When(tier, then=Value(index)) for index, tier in enumerate(self.tiers[:-1])]
        last = Value(len(self.tiers) - 1)
        return queryset.annotate(_tier=Case(*whens, default=last, output_field=IntegerField()))

    def _beyond(self, values: dict, *, forward: bool, keys=None) -> Q:
        """Rows after (or before) the row with these key values, in the list's order (of
        ``keys``, all of the list's by default)."""
        keys = self.keys if keys is None else keys
        alternatives, equal = [], Q()
        for name, descending in keys:
            lookup = "gt" if forward != descending else "lt"
            alternatives.append(equal & Q(**{f"{name}__{lookup}": values[name]}))
            equal &= Q(**{name: values[name]})
        # The same bound on the first key alone, redundant but plain: the index range
        # starts there (an OR of the keys is no range to the planner, which then read
        # the index from its start).
        first, descending = keys[0]
        start = Q(**{f"{first}__{'gte' if forward != descending else 'lte'}": values[first]})
        return start & reduce(or_, alternatives)

    def _split_beyond(self, values: dict, *, forward: bool) -> tuple[Q, Q]:
        """``_beyond`` as two ranges of the order's index: the rows with the boundary's
        first key (beyond it on the other keys), then the rows past that first key.

        With keys in mixed directions (newest year first, then names A to Z) no row
        comparison holds the order, and the single condition is a range on the first
        key only: a page deep in a year read, and dropped, every row of that year
        before it (20,000 of them halfway down 200,000 awards)."""
        first, descending = self.keys[0]
        same = Q(**{first: values[first]}) & self._beyond(
            values, forward=forward, keys=self.keys[1:]
        )
        past = Q(**{f"{first}__{'gt' if forward != descending else 'lt'}": values[first]})
        return same, past

    def _order(self, names, *, forward: bool) -> list[str]:
        return [
            f"-{alias}" if descending == forward else alias
            for alias, (_, descending) in zip(names, self.keys, strict=True)
        ]

    def _fetch(self, boundary, *, forward: bool) -> list:
        """Up to a page and one row, tier group by tier group in the order asked for,
        stopping as soon as the page is full."""
        limit = self.per_page + 1
        groups = self._groups(boundary, forward=forward)
        if self.few and len(self.tiers) > 1:
            # Few rows: every tier in one query that reads them by the search's own
            # index and sorts them by their tier (one scan, not one per tier).
            tiers = [index for group in groups for index in group]
            return list(self._ranked(tiers, boundary, forward=forward, limit=limit))
        rows: list = []
        for group in groups:
            rows += self._group_queryset(group, boundary, forward=forward, limit=limit - len(rows))
            if len(rows) >= limit:
                break
        return rows

    def _groups(self, boundary, *, forward: bool) -> list[list[int]]:
        """The tiers to read, in reading order, in groups read by one query each.

        The first tiers (``EAGER_TIERS``: an exact name, then names holding every word)
        are read together: both are small or read from the order's index, and the
        planner estimates them well. Each later tier ("the rest") is read only when the
        page is not full yet: it is usually nearly empty while the planner, unable to
        tell, may scan the whole order's index looking for it.
        """
        count = len(self.tiers)
        eager = min(self.eager, count)
        groups = [list(range(eager))] + [[index] for index in range(eager, count)]
        if boundary is not None:
            tier = boundary["_tier"]
            keep = (lambda index: index >= tier) if forward else (lambda index: index <= tier)
            groups = [[index for index in group if keep(index)] for group in groups]
        if not forward:
            groups = [list(reversed(group)) for group in reversed(groups)]
        return [group for group in groups if group]

    def _queryset(self, boundary, *, forward: bool) -> QuerySet:
        """The query of the first tier group read (e.g. to explain it)."""
        group = self._groups(boundary, forward=forward)[0]
        return self._group_queryset(group, boundary, forward=forward, limit=self.per_page + 1)

    def _tier_condition(self, index: int) -> Q:
        """The rows of tier ``index``: its condition, and none of the tiers before it."""
        earlier = self.tiers[:index]
        if not earlier:
            return self.tiers[index]
        return self.tiers[index] & ~reduce(or_, earlier)

    def _part(self, index: int, boundary, *, forward: bool) -> QuerySet:
        """Tier ``index``'s rows beyond the boundary (all of them past its tier)."""
        condition = self._tier_condition(index) if len(self.tiers) > 1 else Q()
        if boundary is not None and index == boundary["_tier"]:
            condition &= self._beyond(boundary, forward=forward)
        return self.queryset.filter(condition)

    @property
    def few(self) -> bool:
        """Whether the rows are known to be few enough to sort rather than walk the
        order's index for."""
        return self.total is not None and self.total <= COUNT_CAP

    def _key_expressions(self, aliases) -> dict:
        """The ordering keys under ``aliases``; with few rows, the first key as an
        expression no index holds, so the planner reads the rows by their filters and
        sorts them (the same values in the same order)."""
        keys = {alias: F(name) for alias, (name, _) in zip(aliases, self.keys, strict=True)}
        first_alias, (first, _descending) = aliases[0], self.keys[0]
        if self.few and isinstance(_field(self.queryset.model, first), CharField):
            keys[first_alias] = Func(
                F(first), template="(%(expressions)s || '')", output_field=CharField()
            )
        return keys

    def _group_queryset(self, group, boundary, *, forward: bool, limit: int) -> QuerySet:
        names = [name for name, _ in self.keys]
        if len(group) == 1:
            postgresql = connections[self.queryset.db].vendor == "postgresql"
            if (
                postgresql
                and not self.few
                and boundary is not None
                and boundary["_tier"] == group[0]
                and len(self.keys) > 1
            ):
                return self._two_ranges(group[0], boundary, forward=forward, limit=limit)
            part = self._part(group[0], boundary, forward=forward)
            if self.few and connections[self.queryset.db].vendor == "postgresql":
                aliases = [f"_k{index}" for index in range(len(self.keys))]
                part = part.annotate(**self._key_expressions(aliases))
                return part.order_by(*self._order(aliases, forward=forward))[:limit]
            return part.order_by(*self._order(names, forward=forward))[:limit]
        if connections[self.queryset.db].features.supports_slicing_ordering_in_compound:
            return self._union(group, boundary, forward=forward, limit=limit)
        return self._ranked(group, boundary, forward=forward, limit=limit)

    def _two_ranges(self, index: int, boundary, *, forward: bool, limit: int) -> QuerySet:
        """PostgreSQL: tier ``index`` past the boundary as the two index ranges of
        ``_split_beyond``, each ordered and limited, in one ``UNION ALL``."""
        aliases = [f"_k{position}" for position in range(len(self.keys))]
        keys = self._key_expressions(aliases)
        order = self._order(aliases, forward=forward)
        condition = self._tier_condition(index) if len(self.tiers) > 1 else Q()
        parts = [
            self.queryset.filter(condition & rows)
            .annotate(_range=Value(position, IntegerField()), **keys)
            .order_by(*order)[:limit]
            for position, rows in enumerate(self._split_beyond(boundary, forward=forward))
        ]
        return parts[0].union(parts[1], all=True).order_by("_range", *order)[:limit]

    def _union(self, group, boundary, *, forward: bool, limit: int) -> QuerySet:
        """PostgreSQL: each tier its own ordered, limited query, in one ``UNION ALL``."""
        aliases = [f"_k{index}" for index in range(len(self.keys))]
        keys = self._key_expressions(aliases)
        order = self._order(aliases, forward=forward)
        parts = [
            self._part(index, boundary, forward=forward)
            .annotate(_tier=Value(index, IntegerField()), **keys)
            .order_by(*order)[:limit]
            for index in group
        ]
        combined = parts[0].union(*parts[1:], all=True)
        return combined.order_by("_tier" if forward else "-_tier", *order)[:limit]

    def _ranked(self, group, boundary, *, forward: bool, limit: int) -> QuerySet:
        """SQLite (no limit inside a compound query): the tier as a ``CASE`` to sort by."""
        queryset = self._with_tier(self.queryset).filter(_tier__in=group)
        if boundary is not None:
            tier = boundary["_tier"]
            later = Q(_tier__gt=tier) if forward else Q(_tier__lt=tier)
            queryset = queryset.filter(
                later | (Q(_tier=tier) & self._beyond(boundary, forward=forward))
            )
        names = [name for name, _ in self.keys]
        order = ["_tier" if forward else "-_tier", *self._order(names, forward=forward)]
        return queryset.order_by(*order)[:limit]


def _field(model, path: str):
    """The field at the end of ``path`` (``body__name``)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _positive(raw) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value >= 1 else None


def _query(cursor: str, pk, start: int | None) -> str:
    return f"{cursor}={pk}" + (f"&from={start}" if start else "")
