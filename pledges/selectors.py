"""Reads of the pledge, scoped through ``clusters.selectors``.

The grid and table builders load a whole pledge in a fixed number of queries (targets,
members, values), whatever the number of members and targets.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from clusters.models import AwardType, ClusterMember
from clusters.selectors import member_list, user_scope, visible_clusters_q
from pledges.attainment import (
    HUNDRED,
    Attainment,
    Status,
    attainment,
    default_share,
    expected_value,
)
from pledges.models import (
    Commitment,
    Movement,
    Period,
    Pledge,
    PledgeMovement,
    Registration,
    Result,
    Signature,
    Target,
    TargetExpectation,
)

# --- Scoped querysets --------------------------------------------------------------------


def pledges_for_user(user) -> QuerySet[Pledge]:
    return Pledge.objects.filter(visible_clusters_q(user, "cluster_year__cluster")).select_related(
        "cluster_year", "cluster_year__cluster", "cluster_year__cluster__body"
    )


def periods_for_user(user) -> QuerySet[Period]:
    return Period.objects.filter(
        visible_clusters_q(user, "pledge__cluster_year__cluster")
    ).select_related(
        "pledge",
        "pledge__cluster_year",
        "pledge__cluster_year__cluster",
        "pledge__cluster_year__cluster__body",
    )


def results_for_user(user) -> QuerySet[Result]:
    return Result.objects.filter(
        visible_clusters_q(user, "period__pledge__cluster_year__cluster")
    ).select_related("period", "period__pledge__cluster_year__cluster", "member__unit", "target")


def movements_for_user(user) -> QuerySet[Movement]:
    """National movements and those of the bodies whose register the user reads."""
    scope = user_scope(user)
    queryset = Movement.objects.select_related("body")
    if scope.is_superuser:
        return queryset
    return queryset.filter(Q(body__isnull=True) | Q(body_id__in=scope.register_body_ids))


def copy_sources_for(user, pledge: Pledge) -> QuerySet[Pledge]:
    """Pledges the user may copy targets from: any other visible pledge with targets."""
    return (
        pledges_for_user(user)
        .exclude(pk=pledge.pk)
        .annotate(target_count=Count("targets"))
        .filter(target_count__gt=0)
        .order_by("-cluster_year__year", "cluster_year__cluster__sort_key")
    )


def movements_in_order() -> Prefetch:
    """Prefetch a pledge's ``movements`` in the order they were chosen."""
    return Prefetch(
        "movements",
        queryset=Movement.objects.order_by("pledgemovement__order", "pledgemovement__pk"),
    )


def movement_ids_in_order(pledge) -> list[int]:
    """The ids of the pledge's movements in the order they were chosen."""
    return list(
        PledgeMovement.objects.filter(pledge=pledge)
        .order_by("order", "pk")
        .values_list("movement_id", flat=True)
    )


def registrable_titles(*, body_id: int | None) -> QuerySet[AwardType]:
    """Emulation titles a member unit (a collective) can register for in a pledge of
    ``body_id``'s clusters: the national list (first) plus that body's own titles, in use."""
    return AwardType.objects.filter(
        Q(body__isnull=True) | Q(body_id=body_id),
        category=AwardType.Category.TITLE,
        recipient__in=[AwardType.Recipient.COLLECTIVE, AwardType.Recipient.BOTH],
        is_active=True,
    ).order_by(F("body").asc(nulls_first=True), "order", "sort_key")


# --- Targets in groups ---------------------------------------------------------------------


@dataclass
class TargetGroup:
    name: str
    numeral: str
    targets: list = field(default_factory=list)


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def grouped(targets: list[Target]) -> list[TargetGroup]:
    """Targets in order, grouped by their group name in order of first appearance.

    Each target gets ``number`` like "2.3" (group 2, third target) for tables.
    """
    groups: OrderedDict[str, TargetGroup] = OrderedDict()
    for target in targets:
        group = groups.get(target.group)
        if group is None:
            index = len(groups)
            numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
            group = groups[target.group] = TargetGroup(target.group, numeral)
        group.targets.append(target)
    for group_index, group in enumerate(groups.values(), start=1):
        for index, target in enumerate(group.targets, start=1):
            target.number = f"{group_index}.{index}" if len(groups) > 1 else str(index)
    return list(groups.values())


def targets_of(pledge: Pledge) -> list[Target]:
    return list(Target.objects.filter(pledge=pledge).order_by("order", "pk"))


# --- Grids ---------------------------------------------------------------------------------


@dataclass
class Grid:
    """Targets (rows, grouped) × members (columns) with one value per cell."""

    groups: list[TargetGroup]
    targets: list[Target]
    members: list[ClusterMember]
    values: dict  # {(target id, member id): row with .value/.text}

    def cell(self, target_id: int, member_id: int):
        return self.values.get((target_id, member_id))


def _commitments(pledge: Pledge) -> dict:
    return {
        (row.target_id, row.member_id): row
        for row in Commitment.objects.filter(target__pledge=pledge).only(
            "target_id", "member_id", "value", "text"
        )
    }


def commitment_grid(pledge: Pledge) -> Grid:
    targets = targets_of(pledge)
    return Grid(grouped(targets), targets, member_list(pledge.cluster_year), _commitments(pledge))


def result_grid(period: Period) -> Grid:
    targets = targets_of(period.pledge)
    values = {
        (row.target_id, row.member_id): row
        for row in Result.objects.filter(period=period).only(
            "target_id", "member_id", "value", "text", "evidence", "attachment", "attachment_name"
        )
    }
    return Grid(grouped(targets), targets, member_list(period.pledge.cluster_year), values)


# --- Progress (heat table) -------------------------------------------------------------------


def targets_with_shares(period: Period) -> list[Target]:
    """The pledge's targets, each with ``share`` (the percent of its full-year commitment
    expected by the end of ``period``), ``calendar_share`` (the share by the calendar)
    and ``share_is_set`` (the cluster chose it rather than the calendar). One query;
    reads ``period.pledge.cluster_year``."""
    stored = TargetExpectation.objects.filter(target=OuterRef("pk"), period=period)
    targets = list(
        Target.objects.filter(pledge_id=period.pledge_id)
        .annotate(stored_share=Subquery(stored.values("share_percent")[:1]))
        .order_by("order", "pk")
    )
    year = period.pledge.cluster_year.year
    for target in targets:
        target.calendar_share = default_share(target.measure, period.ends_on, year=year)
        target.share_is_set = target.stored_share is not None
        target.share = target.stored_share if target.share_is_set else target.calendar_share
    return targets


@dataclass(frozen=True, slots=True)
class Entry:
    """A member's commitment or result of a target, as a table shows it: read as values,
    not as a model (a table of 20 targets × 12 members built 480 of them)."""

    value: Decimal | None
    text: str


def _entries(rows) -> dict[tuple[int, int], Entry]:
    """The commitments or results of ``rows`` by (target, member)."""
    return {
        (target, member): Entry(value, text)
        for target, member, value, text in rows.values_list(
            "target_id", "member_id", "value", "text"
        )
    }


@dataclass
class ProgressCell:
    member: ClusterMember
    commitment: Entry | None
    result: Entry | None
    attainment: Attainment
    expected: Decimal | None = None  # committed × share, for numbers


@dataclass
class RowTotal:
    """The cluster as a whole on one target: ``value`` is the sum of the results (counts,
    amounts) or their mean (percentages); ``yes`` of ``answered`` members said "yes"
    (yes/no); ``attained`` of ``committed`` members met or exceeded it."""

    value: Decimal | None = None
    yes: int = 0
    answered: int = 0
    attained: int = 0
    committed: int = 0


@dataclass
class ProgressRow:
    target: Target
    cells: list[ProgressCell]
    total: RowTotal = field(default_factory=RowTotal)

    @property
    def share(self) -> Decimal:
        return self.target.share


@dataclass
class MemberSummary:
    member: ClusterMember
    judged: int = 0
    successes: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.successes / self.judged) if self.judged else None

    def count(self, reached: Attainment) -> None:
        if reached.status in JUDGED:
            self.judged += 1
            self.successes += reached.is_success


@dataclass
class ProgressTable:
    period: Period
    groups: list[TargetGroup]
    rows: list[ProgressRow]
    members: list[ClusterMember]
    summaries: list[MemberSummary]
    counts: dict
    share: Decimal = HUNDRED  # the calendar's share for counts and amounts at this period

    @property
    def is_partial(self) -> bool:
        """Whether the period is judged against less than the full-year commitment."""
        return self.share < HUNDRED

    @property
    def set_shares(self) -> list[ProgressRow]:
        """Rows whose share the cluster set rather than the calendar."""
        return [row for row in self.rows if row.target.share_is_set]


JUDGED = {Status.EXCEEDED, Status.MET, Status.NOT_MET}
MEAN_PLACES = Decimal("0.01")


def row_total(target: Target, cells: list[ProgressCell]) -> RowTotal:
    """The cluster's total of one row of the heat table."""
    total = RowTotal()
    values = []
    for cell in cells:
        if cell.attainment.status not in (Status.NO_COMMITMENT, Status.REPORTED) and (
            target.measure != Target.Measure.TEXT
        ):
            total.committed += 1
            total.attained += cell.attainment.is_success
        if cell.result is not None and cell.result.value is not None:
            values.append(cell.result.value)
    if target.measure == Target.Measure.BOOLEAN:
        total.answered = len(values)
        total.yes = sum(1 for value in values if value != 0)
    elif values and target.measure == Target.Measure.NUMBER:
        total.value = sum(values, Decimal(0))
    elif values and target.measure == Target.Measure.PERCENT:
        total.value = (sum(values, Decimal(0)) / len(values)).quantize(MEAN_PLACES)
    return total


def _reached(target: Target, commitment, result) -> Attainment:
    """How a member's ``result`` of ``target`` compares with its ``commitment`` (either
    may be ``None``; each has ``value`` and ``text``) at the target's ``share``."""
    return attainment(
        measure=target.measure,
        direction=target.direction,
        committed=commitment.value if commitment else None,
        committed_text=commitment.text if commitment else "",
        actual=result.value if result else None,
        actual_text=result.text if result else "",
        share=target.share,
    )


def member_summaries(period: Period) -> list[MemberSummary]:
    """``progress_table(period).summaries`` (each member's targets met of those judged)
    without the table: the commitments and results read as values, not models, and no
    cell, expectation or total built (four queries; reads ``period.pledge.cluster_year``).
    The ranking shows these beside each member, for a pledge of 100 targets."""
    pledge = period.pledge
    targets = targets_with_shares(period)
    commitments = _entries(Commitment.objects.filter(target__pledge=pledge))
    results = _entries(Result.objects.filter(period=period))
    members = member_list(pledge.cluster_year)
    summaries = [MemberSummary(member) for member in members]
    for target in targets:
        for summary in summaries:
            key = (target.pk, summary.member.pk)
            summary.count(_reached(target, commitments.get(key), results.get(key)))
    return summaries


def progress_table(period: Period) -> ProgressTable:
    """Each member's attainment of each target in ``period``, against the share of the
    commitment expected by its end, with the cluster's total per target (four queries).

    Reads ``period.pledge.cluster_year``: select them.
    """
    pledge = period.pledge
    targets = targets_with_shares(period)
    commitments = _entries(Commitment.objects.filter(target__pledge=pledge))
    members = member_list(pledge.cluster_year)
    results = _entries(Result.objects.filter(period=period))
    summaries = {m.pk: MemberSummary(m) for m in members}
    counts = dict.fromkeys(Status, 0)
    rows = []
    for target in targets:
        cells = []
        for member in members:
            commitment = commitments.get((target.pk, member.pk))
            result = results.get((target.pk, member.pk))
            committed = commitment.value if commitment else None
            reached = _reached(target, commitment, result)
            counts[reached.status] += 1
            summaries[member.pk].count(reached)
            expected = (
                expected_value(committed, target.share)
                if target.is_numeric and committed is not None
                else None
            )
            cells.append(ProgressCell(member, commitment, result, reached, expected))
        rows.append(ProgressRow(target, cells, row_total(target, cells)))
    return ProgressTable(
        period=period,
        groups=grouped(targets),
        rows=rows,
        members=members,
        summaries=list(summaries.values()),
        counts=counts,
        share=default_share(Target.Measure.NUMBER, period.ends_on, year=pledge.cluster_year.year),
    )


# --- Summary for the cluster year page --------------------------------------------------------


@dataclass(frozen=True)
class TitleRef:
    pk: int
    name: str
    order: int
    sort_key: str


@dataclass
class TitleCount:
    title: TitleRef
    members: int


@dataclass
class PledgeSummary:
    pledge: Pledge
    member_count: int
    signed_count: int
    registered_count: int
    title_counts: list[TitleCount]
    collectives: int
    individuals: int


def _per_pledge(model, aggregate, outer: str = "pk"):
    """A correlated subquery: ``aggregate`` over ``model`` rows of the outer pledge."""
    return Coalesce(
        Subquery(
            model.objects.filter(pledge=OuterRef(outer))
            .order_by()
            .values("pledge")
            .annotate(result=aggregate)
            .values("result"),
            output_field=IntegerField(),
        ),
        0,
    )


FIGURES = {
    "signed_count": (Signature, Count("pk")),
    "registered_count": (Registration, Count("pk")),
    "collectives_total": (Registration, Sum("collectives")),
    "individuals_total": (Registration, Sum("individuals")),
}


def with_figures(queryset: QuerySet, outer: str = "pk") -> QuerySet:
    """Annotate signature and registration figures of the pledge at ``outer``."""
    return queryset.annotate(
        **{
            name: _per_pledge(model, aggregate, outer)
            for name, (model, aggregate) in FIGURES.items()
        }
    )


def year_pledge(cluster_year) -> Pledge | None:
    """The pledge of a year with its figures (one query), bound to ``cluster_year``."""
    pledge = with_figures(Pledge.objects.filter(cluster_year=cluster_year)).first()
    if pledge is not None:
        pledge.cluster_year = cluster_year
    return pledge


def year_pledge_and_period(cluster_year) -> tuple[Pledge | None, Period | None]:
    """The year's pledge with its figures and its latest period, in one query.

    For the cluster year page; the pledge is bound to ``cluster_year``. Whether a period
    has results is an ``EXISTS``: counting them by a join made PostgreSQL run the four
    figures' subqueries once per result (480 times, 12 ms) before grouping.
    """
    periods = list(
        with_figures(
            Period.objects.filter(pledge__cluster_year=cluster_year).select_related("pledge"),
            outer="pledge",
        ).annotate(has_results=Exists(Result.objects.filter(period=OuterRef("pk"))))
    )
    if not periods:
        return year_pledge(cluster_year), None
    pledge = periods[0].pledge
    pledge.cluster_year = cluster_year
    for name in FIGURES:
        setattr(pledge, name, getattr(periods[0], name))
    for period in periods:
        period.pledge = pledge
    with_results = [p for p in periods if p.has_results]
    if with_results:
        return pledge, max(with_results, key=lambda p: (p.ends_on, p.pk))
    return pledge, min(periods, key=lambda p: (p.ends_on, p.pk))


def pledge_summary(pledge: Pledge) -> PledgeSummary:
    """Signatures and registrations of a pledge, counted.

    One query for the titles registered (plus one for the figures if ``pledge`` was not
    loaded through ``with_figures``; the members come from ``member_list``).
    """
    if not hasattr(pledge, "signed_count"):
        figures = with_figures(Pledge.objects.filter(pk=pledge.pk)).values(*FIGURES).get()
        for name, value in figures.items():
            setattr(pledge, name, value)
    rows = (
        Registration.titles.through.objects.filter(registration__pledge=pledge)
        .values("awardtype_id", "awardtype__name", "awardtype__order", "awardtype__sort_key")
        .annotate(members=Count("registration_id"))
    )
    title_counts = sorted(
        (
            TitleCount(
                TitleRef(
                    row["awardtype_id"],
                    row["awardtype__name"],
                    row["awardtype__order"],
                    row["awardtype__sort_key"],
                ),
                row["members"],
            )
            for row in rows
        ),
        key=lambda tc: (tc.title.order, tc.title.sort_key),
    )
    return PledgeSummary(
        pledge=pledge,
        member_count=len(member_list(pledge.cluster_year)),
        signed_count=pledge.signed_count,
        registered_count=pledge.registered_count,
        title_counts=title_counts,
        collectives=pledge.collectives_total,
        individuals=pledge.individuals_total,
    )


def reopenings_of(pledge: Pledge, limit: int = 5) -> list:
    """When the signed pledge was reopened, by whom and why (latest first, one query)."""
    return list(
        pledge.history.filter(history_change_reason__isnull=False)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
