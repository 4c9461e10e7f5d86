"""Reads of criteria sheets and scores, scoped through ``clusters.selectors``.

A grid, a ranking or a change list is loaded in a fixed number of queries whatever the
number of members and criteria; totals and ranks are computed in ``scoring.ranking``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator

from clusters.models import ClusterYear
from clusters.selectors import member_list, preload_member_lists, visible_clusters_q
from core.text import format_decimal
from meetings.models import Meeting
from pledges.models import Period
from pledges.selectors import MemberSummary, member_summaries
from scoring.models import CriteriaSheet, Criterion, Level, Score
from scoring.ranking import Ranking, Section, build_sections, compute_ranking, level_totals

# --- Scoped querysets ------------------------------------------------------------------------


def sheets_for_user(user) -> QuerySet[CriteriaSheet]:
    """Criteria sheets of the cluster years the user may see."""
    return CriteriaSheet.objects.filter(
        visible_clusters_q(user, "cluster_year__cluster")
    ).select_related(
        "cluster_year",
        "cluster_year__cluster",
        "cluster_year__cluster__body",
        "approved_meeting",
    )


def copy_sources_for(user, cluster_year: ClusterYear) -> QuerySet[CriteriaSheet]:
    """Sheets the user may copy from: any visible sheet of an earlier year with criteria."""
    return (
        sheets_for_user(user)
        .filter(cluster_year__year__lt=cluster_year.year)
        .annotate(criterion_count=Count("criteria"))
        .filter(criterion_count__gt=0)
        .order_by("-cluster_year__year", "cluster_year__cluster__sort_key", "pk")
    )


def approval_meetings(sheet: CriteriaSheet) -> QuerySet[Meeting]:
    """Year-end meetings of the sheet's year that took place (held or minutes approved)."""
    return Meeting.objects.filter(
        cluster_year_id=sheet.cluster_year_id,
        kind=Meeting.Kind.YEAR_END,
        status__in=[Meeting.Status.HELD, Meeting.Status.APPROVED],
    ).order_by("-starts_at", "pk")


def criteria_of(sheet: CriteriaSheet) -> list[Criterion]:
    cached = getattr(sheet, "_criteria", None)
    if cached is not None:
        return cached
    return list(Criterion.objects.filter(sheet=sheet).order_by("order", "pk"))


# --- Grids -------------------------------------------------------------------------------------


@dataclass
class ScoreGrid:
    """Criteria (rows, in sections) × members (columns) with each member's Score row."""

    sheet: CriteriaSheet
    sections: list[Section]
    criteria: list[Criterion]
    members: list
    scores: dict  # {(criterion id, member id): Score}

    def score(self, criterion_id: int, member_id: int) -> Score | None:
        return self.scores.get((criterion_id, member_id))

    def totals(self, level: Level) -> dict[int, Decimal]:
        """{member id: total at ``level``} for the grid's footer."""
        return level_totals(self.sheet, self.sections, self.members, self.scores, level)


def score_grid(sheet: CriteriaSheet) -> ScoreGrid:
    """The sheet's criteria, the year's members and every score (three queries)."""
    criteria = criteria_of(sheet)
    members = member_list(sheet.cluster_year)
    scores = {
        (score.criterion_id, score.member_id): score
        for score in Score.objects.filter(criterion__sheet=sheet)
    }
    return ScoreGrid(sheet, build_sections(criteria), criteria, members, scores)


def ranking_of(sheet: CriteriaSheet, grid: ScoreGrid | None = None) -> Ranking:
    """Totals, ranks and notes (three queries, none if ``grid`` is given)."""
    if grid is None:
        scores = {
            (criterion_id, member_id): score
            for criterion_id, member_id, score in counted_scores(
                Score.objects.filter(criterion__sheet=sheet)
            )
        }
        return compute_ranking(sheet, criteria_of(sheet), member_list(sheet.cluster_year), scores)
    return compute_ranking(sheet, grid.criteria, grid.members, grid.scores)


@dataclass(frozen=True, slots=True)
class CountedScore:
    """A score as a ranking reads it: the value that counts (the board's, else the
    cluster's, else the self-score, as ``Score.counted``)."""

    counted: Decimal | None


def counted_scores(scores: QuerySet[Score]) -> list[tuple[int, int, CountedScore]]:
    """(criterion id, member id, ``CountedScore``) of each of ``scores`` (one query).

    A ranking reads one value per score: the evidence, stamps and revision are for the
    grids, and building full model rows was most of a ranking's time (9,000 of them in
    the province summary).
    """
    counted = Coalesce("board_score", "cluster_score", "self_score")
    return [
        (criterion_id, member_id, CountedScore(value))
        for criterion_id, member_id, value in scores.order_by().values_list(
            "criterion_id", "member_id", counted
        )
    ]


def sheet_with_criteria(sheets: QuerySet[CriteriaSheet], pk) -> CriteriaSheet:
    """The sheet ``pk`` among ``sheets`` (a scoped queryset, whose ``select_related``
    it keeps) with its criteria loaded for ``criteria_of``: one query when the sheet has
    criteria, two when it has none; ``Http404`` when it is not among ``sheets``."""
    criteria = list(
        Criterion.objects.filter(sheet__in=sheets.filter(pk=pk).values("pk"))
        .select_related("sheet", *_related_paths(sheets.query.select_related, "sheet"))
        .order_by("order", "pk")
    )
    if not criteria:
        sheet = get_object_or_404(sheets, pk=pk)
    else:
        sheet = criteria[0].sheet
        for criterion in criteria:
            criterion.sheet = sheet
    sheet._criteria = criteria
    return sheet


def _related_paths(tree, prefix: str) -> list[str]:
    """``select_related``'s nested dict as lookup paths under ``prefix``."""
    if not isinstance(tree, dict):
        return []
    paths = []
    for name, below in tree.items():
        path = f"{prefix}__{name}"
        paths.append(path)
        paths += _related_paths(below, path)
    return paths


# --- Pledge attainment -------------------------------------------------------------------------


def pledge_attainment(cluster_year: ClusterYear) -> dict[int, MemberSummary]:
    """{member id: targets met / judged} from the pledge's year-end report (four queries,
    five unless ``member_list`` already loaded the year's members).

    Empty when the year has no pledge or its pledge has no year-end period. The pledge
    is bound to ``cluster_year`` itself, so that the members the caller loaded serve.
    """
    period = (
        Period.objects.filter(pledge__cluster_year=cluster_year, kind=Period.Kind.YEAR_END)
        .select_related("pledge")
        .first()
    )
    if period is None:
        return {}
    period.pledge.cluster_year = cluster_year
    return {summary.member.pk: summary for summary in member_summaries(period)}


def attach_attainment(ranking: Ranking, attainment: dict[int, MemberSummary]) -> Ranking:
    for standing in ranking.standings:
        standing.attainment = attainment.get(standing.member.pk)
    return ranking


# --- What changed --------------------------------------------------------------------------------

CHANGE_FIELDS = {
    "self_score": Level.SELF,
    "cluster_score": Level.CLUSTER,
    "board_score": Level.BOARD,
    "evidence": None,
}


@dataclass
class ScoreChange:
    """One value of one score changed by one save: who, when, old → new, why."""

    member: object
    criterion: Criterion
    field: str
    old: object
    new: object
    user: object
    when: object
    reason: str = ""
    revision: int = 0

    @property
    def level(self) -> Level | None:
        return CHANGE_FIELDS[self.field]

    @property
    def what(self) -> str:
        if self.level is None:
            return str(Score._meta.get_field("evidence").verbose_name)
        return str(self.level.label)

    @property
    def old_text(self) -> str:
        return _value_text(self.old)

    @property
    def new_text(self) -> str:
        return _value_text(self.new)

    @property
    def who(self) -> str:
        if self.user is None:
            return ""
        return self.user.get_full_name() or self.user.get_username()


def _value_text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format_decimal(value)
    return Truncator(value).chars(80)


def _changes(history_rows, criteria: dict, members: dict, keep) -> list[ScoreChange]:
    """Diff each history row with the previous row of the same score."""
    previous: dict[int, object] = {}
    changes = []
    for row in history_rows:
        before = previous.get(row.id)
        previous[row.id] = row
        if not keep(row):
            continue
        criterion, member = criteria.get(row.criterion_id), members.get(row.member_id)
        if criterion is None or member is None:
            continue
        for name in CHANGE_FIELDS:
            if before is not None:
                old = getattr(before, name)
            else:
                old = "" if name == "evidence" else None
            new = getattr(row, name)
            if old != new:
                changes.append(
                    ScoreChange(
                        member=member,
                        criterion=criterion,
                        field=name,
                        old=old,
                        new=new,
                        user=row.history_user,
                        when=row.history_date,
                        reason=row.history_change_reason or "",
                        revision=row.revision,
                    )
                )
    return changes


def _history_of_scores(score_ids_query) -> QuerySet:
    return (
        Score.history.filter(id__in=score_ids_query)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def changes_since(sheet: CriteriaSheet, revision: int, criteria: dict, members: dict):
    """Every score value changed by saves after ``revision``, oldest first (one query).

    ``criteria`` and ``members`` map ids to the objects already loaded. The revision is
    exact where a load time would not be: a save committed just after a page was loaded
    may carry a history time just before it.
    """
    touched = Score.history.filter(criterion__sheet=sheet, revision__gt=revision).values("id")
    return _changes(
        _history_of_scores(touched), criteria, members, keep=lambda row: row.revision > revision
    )


def correction_log(sheet: CriteriaSheet, criteria: dict, members: dict, limit: int = 100):
    """Score changes saved with a reason (corrections after approval), newest first
    (one query)."""
    corrected = Score.history.filter(
        Q(criterion__sheet=sheet), ~Q(history_change_reason=""), history_change_reason__isnull=False
    ).values("id")
    changes = _changes(
        _history_of_scores(corrected),
        criteria,
        members,
        keep=lambda row: bool(row.history_change_reason),
    )
    return list(reversed(changes))[:limit]


# --- The cluster year page ---------------------------------------------------------------------


def sheet_of_year(cluster_year: ClusterYear) -> CriteriaSheet | None:
    """The year's sheet with its criteria loaded (one query when it has criteria)."""
    criteria = list(
        Criterion.objects.filter(sheet__cluster_year=cluster_year)
        .select_related("sheet")
        .order_by("order", "pk")
    )
    if criteria:
        sheet = criteria[0].sheet
        for criterion in criteria:
            criterion.sheet = sheet
    else:
        sheet = CriteriaSheet.objects.filter(cluster_year=cluster_year).first()
    if sheet is not None:
        sheet.cluster_year = cluster_year
        sheet._criteria = criteria
    return sheet


# --- The dashboard ---------------------------------------------------------------------------


def ranking_leaders(cluster_years) -> dict[int, list]:
    """{cluster year pk: the members ranked 1st to 3rd (``Standing``s, ties included)}
    for the years among ``cluster_years`` whose ranking is approved.

    ``cluster_years`` come from a scoped selector. Three queries however many years
    (the approved sheets with their criteria, the members unless ``member_list`` has
    them already, the scores); none without years.
    """
    by_pk = {cluster_year.pk: cluster_year for cluster_year in cluster_years}
    if not by_pk:
        return {}
    criteria = (
        Criterion.objects.filter(
            sheet__cluster_year__in=list(by_pk), sheet__status=CriteriaSheet.Status.APPROVED
        )
        .select_related("sheet")
        .order_by("order", "pk")
    )
    sheets: dict[int, CriteriaSheet] = {}
    criteria_of_sheet: dict[int, list[Criterion]] = {}
    for criterion in criteria:
        sheet = sheets.setdefault(criterion.sheet_id, criterion.sheet)
        sheet.cluster_year = by_pk[sheet.cluster_year_id]
        criterion.sheet = sheet
        criteria_of_sheet.setdefault(sheet.pk, []).append(criterion)
    if not sheets:
        return {}
    # The members of the years loaded already (the dashboard's rows) cost no query.
    ranked_years = [sheet.cluster_year for sheet in sheets.values()]
    preload_member_lists(ranked_years)
    members = {cluster_year.pk: member_list(cluster_year) for cluster_year in ranked_years}
    scores: dict[int, dict] = {}
    sheet_of_criterion = {c.pk: sheet_id for sheet_id, cs in criteria_of_sheet.items() for c in cs}
    for criterion_id, member_id, score in counted_scores(
        Score.objects.filter(criterion__sheet__in=list(sheets))
    ):
        sheet_id = sheet_of_criterion[criterion_id]
        scores.setdefault(sheet_id, {})[(criterion_id, member_id)] = score
    leaders = {}
    for sheet in sheets.values():
        ranking = compute_ranking(
            sheet,
            criteria_of_sheet[sheet.pk],
            members.get(sheet.cluster_year_id, []),
            scores.get(sheet.pk, {}),
        )
        leaders[sheet.cluster_year_id] = [
            standing
            for standing in ranking.standings
            if standing.rank is not None and standing.rank <= 3
        ]
    return leaders
