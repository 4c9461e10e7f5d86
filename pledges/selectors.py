"""Reads of the pledge, scoped through ``clusters.selectors``.

The grid and table builders load a whole pledge in a fixed number of queries (targets,
members, values), whatever the number of members and targets.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from awards.models import AwardType
from clusters.models import ClusterMember
from clusters.selectors import cluster_years_for_user, members_of, user_scope
from pledges.attainment import Attainment, Status, attainment
from pledges.models import Commitment, Movement, Period, Pledge, Registration, Result, Target

# --- Scoped querysets --------------------------------------------------------------------


def pledges_for_user(user) -> QuerySet[Pledge]:
    return Pledge.objects.filter(cluster_year__in=cluster_years_for_user(user)).select_related(
        "cluster_year", "cluster_year__cluster", "cluster_year__cluster__body"
    )


def periods_for_user(user) -> QuerySet[Period]:
    return Period.objects.filter(
        pledge__cluster_year__in=cluster_years_for_user(user)
    ).select_related(
        "pledge",
        "pledge__cluster_year",
        "pledge__cluster_year__cluster",
        "pledge__cluster_year__cluster__body",
    )


def results_for_user(user) -> QuerySet[Result]:
    return Result.objects.filter(
        period__pledge__cluster_year__in=cluster_years_for_user(user)
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


def registrable_titles() -> QuerySet[AwardType]:
    """Emulation titles a member unit (a collective) can register for."""
    return AwardType.objects.filter(
        category=AwardType.Category.TITLE,
        recipient__in=[AwardType.Recipient.COLLECTIVE, AwardType.Recipient.BOTH],
        is_active=True,
    ).order_by("order", "sort_key")


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


def commitment_grid(pledge: Pledge) -> Grid:
    targets = targets_of(pledge)
    values = {
        (row.target_id, row.member_id): row
        for row in Commitment.objects.filter(target__pledge=pledge).only(
            "target_id", "member_id", "value", "text"
        )
    }
    return Grid(grouped(targets), targets, list(members_of(pledge.cluster_year)), values)


def result_grid(period: Period) -> Grid:
    targets = targets_of(period.pledge)
    values = {
        (row.target_id, row.member_id): row
        for row in Result.objects.filter(period=period).only(
            "target_id", "member_id", "value", "text", "evidence", "attachment", "attachment_name"
        )
    }
    return Grid(grouped(targets), targets, list(members_of(period.pledge.cluster_year)), values)


# --- Progress (heat table) -------------------------------------------------------------------


@dataclass
class ProgressCell:
    member: ClusterMember
    commitment: Commitment | None
    result: Result | None
    attainment: Attainment


@dataclass
class ProgressRow:
    target: Target
    cells: list[ProgressCell]


@dataclass
class MemberSummary:
    member: ClusterMember
    judged: int = 0
    successes: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.successes / self.judged) if self.judged else None


@dataclass
class ProgressTable:
    period: Period
    groups: list[TargetGroup]
    rows: list[ProgressRow]
    members: list[ClusterMember]
    summaries: list[MemberSummary]
    counts: dict


JUDGED = {Status.EXCEEDED, Status.MET, Status.NOT_MET}


def progress_table(period: Period) -> ProgressTable:
    """Each member's attainment of each target in ``period`` (four queries)."""
    pledge = period.pledge
    commitments = commitment_grid(pledge)
    results = {(row.target_id, row.member_id): row for row in Result.objects.filter(period=period)}
    summaries = {m.pk: MemberSummary(m) for m in commitments.members}
    counts = dict.fromkeys(Status, 0)
    rows = []
    for target in commitments.targets:
        cells = []
        for member in commitments.members:
            commitment = commitments.cell(target.pk, member.pk)
            result = results.get((target.pk, member.pk))
            reached = attainment(
                measure=target.measure,
                direction=target.direction,
                committed=commitment.value if commitment else None,
                committed_text=commitment.text if commitment else "",
                actual=result.value if result else None,
                actual_text=result.text if result else "",
            )
            counts[reached.status] += 1
            if reached.status in JUDGED:
                summaries[member.pk].judged += 1
                summaries[member.pk].successes += reached.is_success
            cells.append(ProgressCell(member, commitment, result, reached))
        rows.append(ProgressRow(target, cells))
    return ProgressTable(
        period=period,
        groups=commitments.groups,
        rows=rows,
        members=commitments.members,
        summaries=list(summaries.values()),
        counts=counts,
    )


def latest_period(pledge: Pledge) -> Period | None:
    """The latest period with results, else the first period."""
    periods = list(Period.objects.filter(pledge=pledge).annotate(result_count=Count("results")))
    with_results = [p for p in periods if p.result_count]
    if with_results:
        return max(with_results, key=lambda p: (p.ends_on, p.pk))
    return min(periods, key=lambda p: (p.ends_on, p.pk)) if periods else None


# --- Summary for the cluster year page --------------------------------------------------------


@dataclass
class TitleCount:
    title: AwardType
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


def pledge_summary(pledge: Pledge) -> PledgeSummary:
    """Signatures and registrations of a pledge, counted (four queries)."""
    member_count = ClusterMember.objects.filter(cluster_year_id=pledge.cluster_year_id).count()
    signed_count = pledge.signatures.count()
    registrations = list(Registration.objects.filter(pledge=pledge).prefetch_related("titles"))
    per_title: dict[int, TitleCount] = {}
    for registration in registrations:
        for title in registration.titles.all():
            per_title.setdefault(title.pk, TitleCount(title, 0)).members += 1
    title_counts = sorted(per_title.values(), key=lambda tc: (tc.title.order, tc.title.sort_key))
    return PledgeSummary(
        pledge=pledge,
        member_count=member_count,
        signed_count=signed_count,
        registered_count=len(registrations),
        title_counts=title_counts,
        collectives=sum(r.collectives or 0 for r in registrations),
        individuals=sum(r.individuals or 0 for r in registrations),
    )
