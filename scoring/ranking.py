"""Totals and ranks of a criteria sheet: pure functions, no database.

Rules (documented here because the results page and the printed summary both rely on
them):

- A score counts at the highest level present: the board's (Ban TĐKT), else the
  cluster's, else the member's self-score. A criterion without any score counts as 0
  and is reported as missing.
- Total = the points of every criterion + min(bonus points, bonus cap)
  − min(deduction points, deduction cap).
- Members are ordered by total, highest first. Equal totals are ordered by the sheet's
  tie rule (``models.TieRule``); members still equal share the rank and the next rank is
  skipped (1, 1, 3).
- Veto criteria: a member whose counted score on a veto criterion is below that
  criterion's maximum (a missing score included) cannot rank first. First place goes to
  the best member without such a failure; every other member keeps its order after it.
  If every member failed a veto criterion, nobody is ranked first and ranks start at 2.
- Every tie broken, every shared rank and every veto that changed the order is
  explained by a ``RankNote`` on the member placed higher.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils import formats
from django.utils.translation import gettext as _

from scoring.models import Criterion, Level, TieRule

ZERO = Decimal(0)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def points(value) -> str:
    """Points with two decimals in the active language: 95,50."""
    if value is None:
        return ""
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


# --- The sheet in sections ---------------------------------------------------------------


@dataclass
class Section:
    """A numbered group of criteria, or the bonus items, or the deduction items."""

    kind: str
    name: str
    numeral: str = ""
    criteria: list = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), ZERO)

    @property
    def is_group(self) -> bool:
        return self.kind == Criterion.Kind.CRITERION

    @property
    def title(self) -> str:
        """“I. Thực hiện nhiệm vụ chính trị”, “Bonus points”, “Deductions”."""
        if self.kind == Criterion.Kind.BONUS:
            return _("Bonus points")
        if self.kind == Criterion.Kind.DEDUCTION:
            return _("Deductions")
        return f"{self.numeral}. {self.name}" if self.name else self.numeral


def build_sections(criteria: list[Criterion]) -> list[Section]:
    """Criteria grouped by group name (in order of first appearance), then bonus, then
    deductions. Each criterion gets ``number``: “2.3” (group 2, third criterion) when
    there are several groups, else “3”; bonus and deduction items are numbered in their
    own section."""
    groups: OrderedDict[str, Section] = OrderedDict()
    bonus = Section(Criterion.Kind.BONUS, "")
    deductions = Section(Criterion.Kind.DEDUCTION, "")
    for criterion in criteria:
        if criterion.kind == Criterion.Kind.BONUS:
            bonus.criteria.append(criterion)
        elif criterion.kind == Criterion.Kind.DEDUCTION:
            deductions.criteria.append(criterion)
        else:
            section = groups.get(criterion.group)
            if section is None:
                index = len(groups)
                numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
                section = groups[criterion.group] = Section(
                    Criterion.Kind.CRITERION, criterion.group, numeral
                )
            section.criteria.append(criterion)
    for group_index, section in enumerate(groups.values(), start=1):
        for index, criterion in enumerate(section.criteria, start=1):
            criterion.number = f"{group_index}.{index}" if len(groups) > 1 else str(index)
    for section in (bonus, deductions):
        for index, criterion in enumerate(section.criteria, start=1):
            criterion.number = str(index)
    return [*groups.values(), *(s for s in (bonus, deductions) if s.criteria)]


# --- Notes ---------------------------------------------------------------------------------


class NoteKind(StrEnum):
    GROUP = "group"  # placed above ``others`` by more points in ``group``
    DEDUCTIONS = "deductions"  # placed above ``others`` by fewer deductions
    VETO = "veto"  # placed above ``others``, who failed a veto criterion
    SHARED = "shared"  # still tied with ``others``: shares ``rank``


@dataclass
class RankNote:
    """Why a member is placed where it is relative to a member with the same total."""

    kind: NoteKind
    others: list[str]
    group: Section | None = None
    mine: Decimal | None = None
    theirs: Decimal | None = None
    rank: int | None = None

    @property
    def text(self) -> str:
        names = ", ".join(self.others)
        if self.kind == NoteKind.GROUP:
            return _(
                "Ranked above %(unit)s: more points in group %(group)s (%(mine)s against "
                "%(theirs)s)."
            ) % {
                "unit": names,
                "group": self.group.numeral,
                "mine": points(self.mine),
                "theirs": points(self.theirs),
            }
        if self.kind == NoteKind.DEDUCTIONS:
            return _("Ranked above %(unit)s: fewer deductions (%(mine)s against %(theirs)s).") % {
                "unit": names,
                "mine": points(self.mine),
                "theirs": points(self.theirs),
            }
        if self.kind == NoteKind.VETO:
            return _("Ranked above %(unit)s, which failed a veto criterion.") % {"unit": names}
        return _("Tied with %(units)s under the tie rule: shares rank %(rank)s.") % {
            "units": names,
            "rank": self.rank,
        }


@dataclass
class VetoFailure:
    criterion: Criterion
    counted: Decimal | None

    @property
    def text(self) -> str:
        return _(
            "Cannot rank first: %(score)s of %(max)s points on the veto criterion “%(criterion)s”."
        ) % {
            "score": points(self.counted or ZERO),
            "max": points(self.criterion.max_points),
            "criterion": self.criterion.name,
        }


# --- Standings -------------------------------------------------------------------------------


@dataclass
class Standing:
    """One member's totals, rank and notes."""

    member: object  # ClusterMember with its unit
    group_points: list[Decimal]
    bonus_raw: Decimal
    bonus: Decimal
    deductions_raw: Decimal
    deductions: Decimal
    total: Decimal
    missing: int
    veto_failures: list[VetoFailure]
    rank: int | None = None
    gap: Decimal | None = None
    notes: list[RankNote] = field(default_factory=list)
    attainment: object | None = None  # pledges.selectors.MemberSummary

    @property
    def unit(self):
        return self.member.unit

    @property
    def eligible_first(self) -> bool:
        return not self.veto_failures

    @property
    def bonus_capped(self) -> bool:
        return self.bonus_raw > self.bonus

    @property
    def deductions_capped(self) -> bool:
        return self.deductions_raw > self.deductions


@dataclass
class Ranking:
    sheet: object
    sections: list[Section]
    standings: list[Standing]  # in rank order
    missing: int = 0
    nobody_first: bool = False

    @property
    def groups(self) -> list[Section]:
        return [s for s in self.sections if s.is_group]

    @property
    def has_bonus(self) -> bool:
        return any(s.kind == Criterion.Kind.BONUS for s in self.sections)

    @property
    def has_deductions(self) -> bool:
        return any(s.kind == Criterion.Kind.DEDUCTION for s in self.sections)

    @property
    def max_total(self) -> Decimal:
        return sum((s.max_points for s in self.groups), ZERO)

    @property
    def top(self) -> list[Standing]:
        return self.standings[:3]

    @property
    def is_complete(self) -> bool:
        return self.missing == 0


def standing_for(sheet, sections: list[Section], member, scores: dict, level=None) -> Standing:
    """Totals of one member from ``scores`` {(criterion id, member id): Score}.

    With ``level`` the totals use only that level's values (a grid's column footer);
    otherwise the counted value of each score.
    """

    def value(criterion):
        score = scores.get((criterion.pk, member.pk))
        if score is None:
            return None
        return score.value(level) if level else score.counted

    group_points, missing, failures = [], 0, []
    bonus_raw = deductions_raw = ZERO
    for section in sections:
        section_points = ZERO
        for criterion in section.criteria:
            got = value(criterion)
            section_points += got or ZERO
            if section.is_group:
                missing += got is None
                if criterion.is_veto and (got is None or got < criterion.max_points):
                    failures.append(VetoFailure(criterion, got))
        if section.kind == Criterion.Kind.BONUS:
            bonus_raw = section_points
        elif section.kind == Criterion.Kind.DEDUCTION:
            deductions_raw = section_points
        else:
            group_points.append(section_points)
    bonus = min(bonus_raw, sheet.bonus_cap)
    deductions = min(deductions_raw, sheet.deduction_cap)
    return Standing(
        member=member,
        group_points=group_points,
        bonus_raw=bonus_raw,
        bonus=bonus,
        deductions_raw=deductions_raw,
        deductions=deductions,
        total=sum(group_points, ZERO) + bonus - deductions,
        missing=missing,
        veto_failures=failures,
    )


def _components(rule: str, standing: Standing) -> list[tuple[NoteKind, int | None, Decimal]]:
    """The tie-break values of ``rule``, each “higher is better”: (kind, group, value)."""
    groups = standing.group_points
    first_group = [(NoteKind.GROUP, 0, groups[0])] if groups else []
    fewer_deductions = [(NoteKind.DEDUCTIONS, None, -standing.deductions)]
    if rule == TieRule.DEDUCTIONS_THEN_FIRST_GROUP:
        return fewer_deductions + first_group
    if rule == TieRule.GROUPS_IN_ORDER:
        return [(NoteKind.GROUP, index, value) for index, value in enumerate(groups)]
    return first_group + fewer_deductions


def _key(rule: str, standing: Standing) -> tuple:
    """Total then the tie-break values, all higher-is-better: compare with > and ==."""
    return (standing.total, *(value for _kind, _group, value in _components(rule, standing)))


def rank(sheet, sections: list[Section], standings: list[Standing]) -> Ranking:
    """Order ``standings``, give ranks, gaps and notes (see the module docstring)."""
    rule = sheet.tie_rule
    ordered = sorted(
        standings,
        key=lambda s: (
            tuple(-value for value in _key(rule, s)),
            s.unit.sort_key,
            s.member.pk,
        ),
    )
    eligible = [s for s in ordered if s.eligible_first]
    if eligible:
        best = _key(rule, eligible[0])
        first = [s for s in eligible if _key(rule, s) == best]
        # Members the veto kept from first place although they were level or ahead.
        displaced = [s for s in ordered if not s.eligible_first and _key(rule, s) >= best]
        offset = len(first)
    else:
        first, displaced, offset = [], [], 1
    for standing in first:
        standing.rank = 1
        if displaced:
            standing.notes.append(RankNote(NoteKind.VETO, [s.unit.name for s in displaced]))
    rest = [s for s in ordered if not any(s is f for f in first)]
    previous = None
    for index, standing in enumerate(rest):
        if previous is not None and _key(rule, standing) == _key(rule, previous):
            standing.rank = previous.rank
        else:
            standing.rank = offset + index + 1
        previous = standing
    final = first + rest
    for upper, lower in zip(final, final[1:], strict=False):
        upper.gap = upper.total - lower.total
        if upper.total != lower.total or upper.rank == lower.rank:
            continue
        if any(lower is d for d in displaced):
            continue
        upper.notes.append(_tie_note(rule, sections, upper, lower))
    _shared_notes(final)
    return Ranking(
        sheet=sheet,
        sections=sections,
        standings=final,
        missing=sum(s.missing for s in final),
        nobody_first=bool(final) and not eligible,
    )


def _tie_note(rule: str, sections: list[Section], upper: Standing, lower: Standing) -> RankNote:
    groups = [s for s in sections if s.is_group]
    for (kind, group, mine), (_kind, _group, theirs) in zip(
        _components(rule, upper), _components(rule, lower), strict=True
    ):
        if mine == theirs:
            continue
        if kind == NoteKind.GROUP:
            return RankNote(kind, [lower.unit.name], group=groups[group], mine=mine, theirs=theirs)
        return RankNote(kind, [lower.unit.name], mine=-mine, theirs=-theirs)
    # Same total and same tie-break values, different ranks: only a veto does that.
    return RankNote(NoteKind.VETO, [lower.unit.name])


def _shared_notes(final: list[Standing]) -> None:
    by_rank: OrderedDict[int, list[Standing]] = OrderedDict()
    for standing in final:
        by_rank.setdefault(standing.rank, []).append(standing)
    for rank_number, tied in by_rank.items():
        if len(tied) < 2:
            continue
        for standing in tied:
            others = [s.unit.name for s in tied if s is not standing]
            standing.notes.append(RankNote(NoteKind.SHARED, others, rank=rank_number))


def compute_ranking(sheet, criteria: list[Criterion], members: list, scores: dict) -> Ranking:
    """The whole ranking from loaded rows (no queries)."""
    sections = build_sections(criteria)
    standings = [standing_for(sheet, sections, member, scores) for member in members]
    return rank(sheet, sections, standings)


def level_totals(sheet, sections: list[Section], members: list, scores: dict, level: Level):
    """{member id: total using only ``level``'s values} for a grid's footer."""
    return {
        member.pk: standing_for(sheet, sections, member, scores, level=level).total
        for member in members
    }
