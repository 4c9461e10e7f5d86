"""The ranks of a year's members over the cluster's earlier years: a scoped read.

The cluster year comes from a scoped selector; every row read here belongs to its
cluster. Rankings are computed from the scores as ``scoring.ranking`` does for one year,
for every year at once, in a fixed number of queries.
"""

from dataclasses import dataclass

from clusters.models import ClusterMember, ClusterYear
from clusters.selectors import member_list
from scoring.models import CriteriaSheet, Criterion, Score
from scoring.ranking import Ranking, compute_ranking
from scoring.selectors import counted_scores


@dataclass
class RankLine:
    """One member unit's rank in each year of a ``RankHistory`` (None: not ranked then)."""

    unit: object
    ranks: list[int | None]


@dataclass
class RankHistory:
    """The ranks of this year's members in the cluster's approved rankings, year by year."""

    years: list[int]
    lines: list[RankLine]

    @property
    def is_enough(self) -> bool:
        """A line needs two years to say anything."""
        return len(self.years) >= 2


def rank_history(cluster_year: ClusterYear, ranking: Ranking | None = None) -> RankHistory:
    """The ranks of ``cluster_year``'s members in every approved ranking of its cluster
    from the earliest year up to this one, one line per member unit, in this year's rank
    order (or the members' order when this year has no approved ranking).

    ``ranking`` is this year's ranking, already computed by the caller; it counts once
    its sheet is approved. Earlier years take three queries (criteria with their sheets,
    members, scores) however many years and members; plus the members of this year
    unless ``member_list`` already loaded them.
    """
    earlier = list(
        Criterion.objects.filter(
            sheet__cluster_year__cluster_id=cluster_year.cluster_id,
            sheet__cluster_year__year__lt=cluster_year.year,
            sheet__status=CriteriaSheet.Status.APPROVED,
        )
        .select_related("sheet", "sheet__cluster_year")
        .order_by("sheet__cluster_year__year", "order", "pk")
    )
    sheets: dict[int, CriteriaSheet] = {}
    criteria: dict[int, list[Criterion]] = {}
    for criterion in earlier:
        sheet = sheets.setdefault(criterion.sheet_id, criterion.sheet)
        criterion.sheet = sheet
        criteria.setdefault(sheet.pk, []).append(criterion)
    ranks_by_year: dict[int, dict[int, int | None]] = {}
    if sheets:
        members: dict[int, list] = {}
        for member in ClusterMember.objects.filter(
            cluster_year_id__in=[sheet.cluster_year_id for sheet in sheets.values()]
        ).select_related("unit"):
            members.setdefault(member.cluster_year_id, []).append(member)
        scores: dict[int, dict] = {}
        for criterion_id, member_id, score in counted_scores(
            Score.objects.filter(criterion__sheet_id__in=list(sheets))
        ):
            scores.setdefault(criterion_id, {})[criterion_id, member_id] = score
        for sheet in sheets.values():
            sheet_scores = {}
            for criterion in criteria[sheet.pk]:
                sheet_scores.update(scores.get(criterion.pk, {}))
            past = compute_ranking(
                sheet, criteria[sheet.pk], members.get(sheet.cluster_year_id, []), sheet_scores
            )
            if past.standings:
                ranks_by_year[sheet.cluster_year.year] = {
                    standing.unit.pk: standing.rank for standing in past.standings
                }
    current = member_list(cluster_year)
    if ranking is not None and ranking.sheet.is_approved and ranking.standings:
        ranks_by_year[cluster_year.year] = {s.unit.pk: s.rank for s in ranking.standings}
        by_unit = {member.unit.pk: member for member in current}
        units = [s.unit for s in ranking.standings if s.unit.pk in by_unit]
    else:
        units = [member.unit for member in current]
    years = sorted(ranks_by_year)
    lines = [RankLine(unit, [ranks_by_year[year].get(unit.pk) for year in years]) for unit in units]
    return RankHistory(years, lines)
