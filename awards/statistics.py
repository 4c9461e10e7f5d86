"""Award statistics: how many awards were granted, by year, award type, level, recipient,
cluster and unit, with the counts members reported beside them.

What is counted
---------------

- An award counts once it is granted: status decided or presented (``GRANTED``), in the
  year of the work it rewards (``Award.year``).
- Recipients are counted in "lượt" as the provinces report them: **lượt tập thể** are
  the awards to member units and to collectives (``COLLECTIVE_KINDS``); **lượt cá nhân**
  the awards to individuals; awards to households (hộ gia đình) are neither and are
  counted apart.
- The counts members reported without listing each award (``ReportedCount``) are never
  mixed into the awards recorded one by one: every row carries both, side by side
  ("ghi nhận từng khen thưởng" and "đơn vị báo cáo số lượng"), and the reported ones
  keep their own kinds (collectives, individuals, or both together when a member gave
  one figure for both). A member reports per period of its cluster year: the whole
  year's figure covers the first six months, so for a year the whole-year figure is
  taken where there is one and the six-month figure otherwise (never both).
- A unit is the recipient unit, or the unit of the collective, household or person; a
  cluster is the cluster of the award's cluster year (awards entered from history
  without a cluster year are counted under "no cluster").

Speed: everything is aggregated in the database (GROUP BY), each query returning totals
(a few hundred rows at a province's scale). The granted awards are not counted one by
one at each reading: the database keeps their number as they change, by body, year,
cluster year, recipient kind and award type, and by the same with the unit instead of
the type (``GrantedByType``, ``GrantedByPlace``: ``awards.tally``); ``granted_counts``
adds those rows up by year, type and recipient and by unit, cluster year and recipient,
in one query. Then the reported counts by cluster year and level and by unit, in one;
and the names of the award types, units and clusters that appear.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum, Value

from awards.models import Award, GrantedByPlace, GrantedByType, RecipientKind, ReportedCount
from awards.selectors import award_scope, awards_for_user
from awards.tally import GRANTED
from clusters.models import AwardType, ClusterYear, OrganizingBody, Unit
from clusters.selectors import user_scope
from core.charts import bar_chart, drawn

# The statistics' recipient groups of the awards recorded one by one.
COLLECTIVE = "collective"
INDIVIDUAL = "individual"
HOUSEHOLD = "household"
GROUP_OF = {
    RecipientKind.UNIT: COLLECTIVE,
    RecipientKind.COLLECTIVE: COLLECTIVE,
    RecipientKind.INDIVIDUAL: INDIVIDUAL,
    RecipientKind.HOUSEHOLD: HOUSEHOLD,
}
# The kinds of reported counts (``ReportedCount.Kind``): collective, individual, mixed.
REPORTED_KINDS = tuple(ReportedCount.Kind.values)
LEVELS = tuple(AwardType.Level.values)

# The chart names this many award types and puts the rest together.
CHART_TYPES = 6


@dataclass
class Tally:
    """The figures of one row: recorded one by one, and reported as counts."""

    collective: int = 0
    individual: int = 0
    household: int = 0
    reported_collective: int = 0
    reported_individual: int = 0
    reported_mixed: int = 0

    def add_recorded(self, group: str, count: int) -> None:
        setattr(self, group, getattr(self, group) + count)

    def add_reported(self, kind: str, count: int) -> None:
        name = f"reported_{kind}"
        setattr(self, name, getattr(self, name) + count)

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recorded(self) -> int:
        return self.collective + self.individual + self.household

    @property
    def reported(self) -> int:
        return self.reported_collective + self.reported_individual + self.reported_mixed

    @property
    def total(self) -> int:
        return self.recorded + self.reported

    @property
    def recorded_figures(self) -> list[int]:
        return [self.collective, self.individual, self.household, self.recorded]

    @property
    def reported_figures(self) -> list[int]:
        return [
            self.reported_collective,
            self.reported_individual,
            self.reported_mixed,
            self.reported,
        ]

    @property
    def figures(self) -> list[int]:
        return [*self.recorded_figures, *self.reported_figures, self.total]


@dataclass
class TypeRow:
    """One award type: its recorded awards by recipient group and by year."""

    award_type: AwardType
    tally: Tally = field(default_factory=Tally)
    by_year: dict[int, int] = field(default_factory=dict)
    # The counts in the order of the statistics' years (filled once they are known).
    year_values: list[int] = field(default_factory=list)


@dataclass
class NamedRow:
    name: str
    tally: Tally = field(default_factory=Tally)
    sort: str = ""


@dataclass
class AwardStatistics:
    body: OrganizingBody
    year_from: int | None
    year_to: int | None
    years: list[int]
    by_year: dict[int, Tally]
    by_type: list[TypeRow]
    by_level: list[tuple[str, str, Tally]]
    by_cluster: list[NamedRow]
    by_unit: list[NamedRow]
    total: Tally

    @property
    def is_empty(self) -> bool:
        return not self.total.total

    @property
    def year_rows(self) -> list[tuple[int, Tally]]:
        return [(year, self.by_year[year]) for year in self.years]


# --- Scope ------------------------------------------------------------------------------


def statistics_bodies(user) -> QuerySet[OrganizingBody]:
    """The bodies whose awards ``user`` may count, by name."""
    scope = user_scope(user)
    bodies = OrganizingBody.objects.order_by("name", "pk")
    if scope.is_superuser:
        return bodies
    ids = (
        scope.reading_body_ids
        | scope.council_body_ids
        | scope.office_body_ids
        | scope.secretary_body_ids
    )
    return bodies.filter(pk__in=ids)


def reported_counts_for_user(user) -> QuerySet[ReportedCount]:
    """The reported counts ``user`` may read: those of the bodies they read (staff,
    viewers, the council and the office), and a secretary's own cluster years."""
    scope = user_scope(user)
    if scope.is_superuser:
        return ReportedCount.objects.all()
    bodies = scope.reading_body_ids | scope.council_body_ids | scope.office_body_ids
    return ReportedCount.objects.filter(
        Q(cluster_year__cluster__body_id__in=bodies)
        | Q(cluster_year_id__in=scope.secretary_year_ids)
    )


def granted_awards(user, *, body, year_from=None, year_to=None) -> QuerySet[Award]:
    awards = awards_for_user(user).filter(body=body, status__in=GRANTED)
    if year_from:
        awards = awards.filter(year__gte=year_from)
    if year_to:
        awards = awards.filter(year__lte=year_to)
    return awards


def granted_tallies(
    user, *, body, year_from=None, year_to=None
) -> tuple[QuerySet[GrantedByType], QuerySet[GrantedByPlace]]:
    """The rows of the granted awards' tallies (by type, by place) that count ``body``'s
    awards ``user`` may read (the scope of ``awards_for_user``), for the years given."""
    scope = award_scope(user)

    def rows(tally):
        tallies = tally.objects.filter(body_id=body.pk)
        if scope is not None:
            tallies = tallies.filter(scope)
        if year_from:
            tallies = tallies.filter(year__gte=year_from)
        if year_to:
            tallies = tallies.filter(year__lte=year_to)
        return tallies

    return rows(GrantedByType), rows(GrantedByPlace)


def reported_of(user, *, body, year_from=None, year_to=None) -> QuerySet[ReportedCount]:
    counts = reported_counts_for_user(user).filter(cluster_year__cluster__body=body)
    if year_from:
        counts = counts.filter(cluster_year__year__gte=year_from)
    if year_to:
        counts = counts.filter(cluster_year__year__lte=year_to)
    return counts


def year_counts(rows) -> list[dict]:
    """The reported counts of whole years: per cluster year, member, level and kind, the
    whole year's figure where there is one, else the first six months' (it covers them).

    ``rows`` are dicts with cluster_year_id, unit_id, period, level, kind, count (and
    whatever else the caller wants carried along)."""
    chosen: dict[tuple, dict] = {}
    for row in rows:
        key = (row["cluster_year_id"], row["unit_id"], row["level"], row["kind"])
        kept = chosen.get(key)
        if kept is None or row["period"] == ReportedCount.Period.YEAR:
            chosen[key] = row
    return list(chosen.values())


# --- The statistics ---------------------------------------------------------------------


def award_statistics(user, *, body, year_from=None, year_to=None) -> AwardStatistics:
    """The statistics of ``body``'s awards that ``user`` may read, for the years
    ``year_from``–``year_to`` (either may be None: no bound). Five queries."""
    return statistics_of(
        granted_tallies(user, body=body, year_from=year_from, year_to=year_to),
        reported_of(user, body=body, year_from=year_from, year_to=year_to),
        body=body,
        year_from=year_from,
        year_to=year_to,
    )


def whole_years(reported_counts: QuerySet[ReportedCount]) -> QuerySet[ReportedCount]:
    """``reported_counts`` without the six months' figures a whole year's figure covers:
    the rule of ``year_counts``, applied in the database."""
    covering = ReportedCount.objects.filter(
        cluster_year=OuterRef("cluster_year"),
        unit=OuterRef("unit"),
        level=OuterRef("level"),
        kind=OuterRef("kind"),
        period=ReportedCount.Period.YEAR,
    )
    return reported_counts.filter(Q(period=ReportedCount.Period.YEAR) | ~Exists(covering))


def granted_counts(tallies: tuple[QuerySet[GrantedByType], QuerySet[GrantedByPlace]]):
    """The number of granted awards in ``tallies`` (``granted_tallies``) by year, type
    and recipient kind, and by unit, cluster year and recipient kind: lists of (year,
    award_type_id, recipient_kind, n) and of (unit_id, cluster_year_id, recipient_kind,
    n), ``None`` for an award without a unit or cluster year. One query of two parts,
    over the tallies' few rows per type or unit and year, not the awards."""
    # A key's rows are added up, those taking awards back (−n) with the rest, and only
    # the groups that count something kept (HAVING).
    by_type_tally, by_place_tally = (t.order_by() for t in tallies)
    by_type_part = (
        by_type_tally.values("year", "award_type_id", "recipient_kind")
        .annotate(n=Sum("count"), by_place=Value(False))
        .filter(n__gt=0)
        .values_list("by_place", "year", "award_type_id", "recipient_kind", "n")
    )
    by_place_part = (
        by_place_tally.values("unit_id", "cluster_year_id", "recipient_kind")
        .annotate(n=Sum("count"), by_place=Value(True))
        .filter(n__gt=0)
        .values_list("by_place", "unit_id", "cluster_year_id", "recipient_kind", "n")
    )
    by_type, by_place = [], []
    try:
        rows = list(by_type_part.union(by_place_part, all=True))
    except EmptyResultSet:  # a scope that can match nothing
        return [], []
    for place_row, first, second, kind, n in rows:
        if place_row:
            by_place.append((first or None, second or None, kind, n))
        else:
            by_type.append((first, second, kind, n))
    return by_type, by_place


def statistics_of(tallies, reported_counts, *, body, year_from=None, year_to=None):
    """The statistics of the granted awards counted in ``tallies`` (``granted_tallies``)
    and the ``reported_counts`` given (querysets the caller scoped and filtered). Five
    queries."""
    by_type_rows, by_place_rows = granted_counts(tallies)
    # The reported counts by cluster year and level, and by unit: one query of two parts.
    chosen = whole_years(reported_counts).order_by()
    by_year_part = (
        chosen.values("cluster_year_id", "level", "kind")
        .annotate(n=Sum("count"), by_unit=Value(False))
        .values_list("by_unit", "cluster_year_id", "level", "kind", "n")
    )
    by_unit_part = (
        chosen.values("unit_id", "kind")
        .annotate(n=Sum("count"), by_unit=Value(True), no_level=Value(""))
        .values_list("by_unit", "unit_id", "no_level", "kind", "n")
    )
    reported_by_year, reported_by_unit = [], []
    for by_unit_row, key, level, kind, n in by_year_part.union(by_unit_part, all=True):
        if by_unit_row:
            reported_by_unit.append((key, kind, n))
        else:
            reported_by_year.append((key, level, kind, n))
    types = {
        t.pk: t
        for t in AwardType.objects.filter(pk__in={row[1] for row in by_type_rows}).order_by(
            "category", "order", "sort_key", "pk"
        )
    }
    unit_ids = {row[0] for row in by_place_rows} | {row[0] for row in reported_by_unit}
    units = {
        pk: (name, key)
        for pk, name, key in Unit.objects.filter(pk__in=unit_ids - {None}).values_list(
            "pk", "name", "sort_key"
        )
    }
    year_ids = {row[1] for row in by_place_rows} | {row[0] for row in reported_by_year}
    cluster_years = {
        pk: (year, cluster_id, name, key)
        for pk, year, cluster_id, name, key in ClusterYear.objects.filter(
            pk__in=year_ids - {None}
        ).values_list("pk", "year", "cluster_id", "cluster__name", "cluster__sort_key")
    }

    by_year: dict[int, Tally] = defaultdict(Tally)
    by_level: dict[str, Tally] = {level: Tally() for level in LEVELS}
    type_rows: dict[int, TypeRow] = {pk: TypeRow(t) for pk, t in types.items()}
    total = Tally()
    for year, type_id, kind, n in by_type_rows:
        group = GROUP_OF[kind]
        by_year[year].add_recorded(group, n)
        by_level[types[type_id].level].add_recorded(group, n)
        row = type_rows[type_id]
        row.tally.add_recorded(group, n)
        row.by_year[year] = row.by_year.get(year, 0) + n
        total.add_recorded(group, n)

    by_cluster: dict[object, NamedRow] = {}
    by_unit: dict[object, NamedRow] = {}

    def cluster_row(cluster_year_id) -> NamedRow:
        if cluster_year_id is None:
            return by_cluster.setdefault(None, NamedRow("", sort="\uffff"))
        _year, cluster_id, name, key = cluster_years[cluster_year_id]
        row = by_cluster.get(cluster_id)
        if row is None:
            row = by_cluster[cluster_id] = NamedRow(name, sort=key)
        return row

    def unit_row(unit_id) -> NamedRow:
        if unit_id is None:
            return by_unit.setdefault(None, NamedRow("", sort="\uffff"))
        row = by_unit.get(unit_id)
        if row is None:
            name, key = units[unit_id]
            row = by_unit[unit_id] = NamedRow(name, sort=key)
        return row

    for unit_id, cluster_year_id, kind, n in by_place_rows:
        group = GROUP_OF[kind]
        cluster_row(cluster_year_id).tally.add_recorded(group, n)
        unit_row(unit_id).tally.add_recorded(group, n)

    for cluster_year_id, level, kind, n in reported_by_year:
        by_year[cluster_years[cluster_year_id][0]].add_reported(kind, n)
        by_level[level].add_reported(kind, n)
        cluster_row(cluster_year_id).tally.add_reported(kind, n)
        total.add_reported(kind, n)
    for unit_id, kind, n in reported_by_unit:
        unit_row(unit_id).tally.add_reported(kind, n)

    years = sorted(by_year)
    for row in type_rows.values():
        row.year_values = [row.by_year.get(year, 0) for year in years]
    levels = dict(AwardType.Level.choices)
    return AwardStatistics(
        body=body,
        year_from=year_from,
        year_to=year_to,
        years=years,
        by_year=dict(by_year),
        by_type=[type_rows[pk] for pk in types],
        by_level=[(level, str(levels[level]), by_level[level]) for level in LEVELS],
        by_cluster=sorted(by_cluster.values(), key=lambda r: r.sort),
        by_unit=sorted(by_unit.values(), key=lambda r: r.sort),
        total=total,
    )


# --- The chart --------------------------------------------------------------------------


def chart_series(
    by_type: list[TypeRow], years: list[int], *, others: str
) -> list[tuple[str, list[int]]]:
    """One series per award type (the ``CHART_TYPES`` most given), the rest summed as
    ``others``; one value per year."""
    ranked = sorted(by_type, key=lambda row: -row.tally.recorded)
    shown = [row for row in ranked if row.tally.recorded][:CHART_TYPES]
    rest = [row for row in ranked if row.tally.recorded and row not in shown]
    series = [
        (row.award_type.name, [row.by_year.get(year, 0) for year in years])
        for row in sorted(shown, key=lambda row: by_type.index(row))
    ]
    if rest:
        series.append((others, [sum(row.by_year.get(year, 0) for row in rest) for year in years]))
    return series


def awards_chart(by_type: list[TypeRow], years: list[int], *, description: str, others: str) -> str:
    """Stacked columns, one per year, a segment per award type: the chart the statistics
    page, the province summary and its PDF show. ``""`` when nothing was recorded.
    Kept in the cache under the digest of what it is drawn from (the same data draws the
    same SVG)."""
    series = chart_series(by_type, years, others=others)
    if not series:
        return ""
    content = {
        "categories": [str(year) for year in years],
        "series": series,
        "horizontal": False,
        "stacked": True,
        "decimals": 0,
        "description": description,
    }
    return drawn(bar_chart, **content)
