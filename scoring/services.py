"""Writes and workflows of scoring.

Callers (views, the demo, commands) check permissions; these functions keep the data
consistent and enforce the workflow whoever calls them:

- the sheet's criteria change only while it is a draft; the first score saved locks it;
- a score is between 0 and its criterion's maximum; a grid is saved whole or not at all,
  and only changed values are written (each with a history row);
- every save that changes something increments the sheet's revision under a row lock, and
  a save made from a form loaded at an older revision is refused with what changed since;
- after the year-end meeting approved the ranking, a score changes only with a reason,
  kept in the history row with the old value, who and when.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from clusters.models import ClusterMember, ClusterYear
from core.forms import ReasonForm
from core.history import bulk_update_with_history
from meetings.models import Meeting
from scoring.models import POINT_DECIMALS, CriteriaSheet, Criterion, Level, Score, TieRule
from scoring.ranking import points
from scoring.selectors import ScoreChange, changes_since

# --- Errors ----------------------------------------------------------------------------------


def locked_message() -> str:
    return _(
        "The criteria sheet is locked because scoring has started: its criteria, maxima, "
        "caps and tie rule can no longer change."
    )


class StaleScores(ValidationError):
    """Someone saved scores of this sheet after the form was loaded; nothing was saved."""

    def __init__(self, *, changes: list[ScoreChange], revision: int):
        self.changes = changes
        self.revision = revision
        super().__init__(
            _(
                "Someone else saved scores of this sheet after you opened the page, so "
                "nothing was saved. Your entries are kept below: check them against the "
                "changes listed and save again."
            ),
            code="stale",
        )


# --- The sheet -------------------------------------------------------------------------------

SHEET_FIELDS = ("name", "bonus_cap", "deduction_cap", "tie_rule", "note")
CRITERION_FIELDS = ("kind", "group", "order", "name", "max_points", "is_veto", "guidance")


def default_sheet_name(year: int) -> str:
    # Data, not interface: the sheet's name is printed on Vietnamese documents.
    return f"Bảng chấm điểm thi đua năm {year}"


def _check_unlocked(sheet: CriteriaSheet) -> None:
    if sheet.is_locked:
        raise ValidationError(locked_message(), code="locked")


def _lock_sheet(sheet: CriteriaSheet) -> CriteriaSheet:
    """The stored row, locked until the end of the transaction (PostgreSQL)."""
    return CriteriaSheet.objects.select_for_update().get(pk=sheet.pk)


@transaction.atomic
def sheet_create(
    *,
    cluster_year: ClusterYear,
    name: str = "",
    bonus_cap: Decimal = Decimal(0),
    deduction_cap: Decimal = Decimal(0),
    tie_rule: str = TieRule.FIRST_GROUP_THEN_DEDUCTIONS,
    note: str = "",
) -> CriteriaSheet:
    """Open the (empty, draft) criteria sheet of a cluster year."""
    if CriteriaSheet.objects.filter(cluster_year=cluster_year).exists():
        raise ValidationError(_("This year already has a criteria sheet."))
    sheet = CriteriaSheet(
        cluster_year=cluster_year,
        name=name or default_sheet_name(cluster_year.year),
        bonus_cap=bonus_cap if bonus_cap is not None else Decimal(0),
        deduction_cap=deduction_cap if deduction_cap is not None else Decimal(0),
        tie_rule=tie_rule or TieRule.FIRST_GROUP_THEN_DEDUCTIONS,
        note=note or "",
    )
    sheet.full_clean()
    try:
        with transaction.atomic():
            sheet.save()
    except IntegrityError:
        raise ValidationError(_("This year already has a criteria sheet.")) from None
    return sheet


@transaction.atomic
def sheet_save(
    *,
    sheet: CriteriaSheet,
    settings: Mapping | None = None,
    rows: list[dict] = (),
    delete: Iterable[Criterion] = (),
) -> CriteriaSheet:
    """Change the sheet's settings and criteria in one go; refused once it is locked.

    ``rows`` carry ``criterion`` (an existing Criterion) for changed rows and none for
    new ones. Bonus and deduction items have no group and cannot veto.
    """
    sheet = _lock_sheet(sheet)
    _check_unlocked(sheet)
    for name in SHEET_FIELDS:
        if settings and name in settings:
            value = settings[name]
            setattr(sheet, name, "" if value is None and name in ("name", "note") else value)
    sheet.full_clean()
    sheet.save()
    existing = {c.pk: c for c in Criterion.objects.filter(sheet=sheet)}
    for criterion in delete:
        if criterion.pk not in existing:
            raise ValidationError(_("This criterion belongs to another sheet."))
        existing.pop(criterion.pk).delete()
    for row in rows:
        given = row.get("criterion")
        if given is not None and given.pk is not None and given.pk not in existing:
            raise ValidationError(_("This criterion belongs to another sheet."))
        # Work on the stored row: a bound form may already have changed the instance.
        criterion = existing[given.pk] if given is not None and given.pk else Criterion(sheet=sheet)
        for name in CRITERION_FIELDS:
            if name in row:
                value = row[name]
                if value is None and name in ("group", "guidance"):
                    value = ""
                setattr(criterion, name, value)
        if criterion.kind != Criterion.Kind.CRITERION:
            criterion.group, criterion.is_veto = "", False
        criterion.full_clean()
        criterion.save()
        existing[criterion.pk] = criterion
    _check_caps(sheet, existing.values())
    return sheet


def _check_caps(sheet: CriteriaSheet, criteria) -> None:
    kinds = {c.kind for c in criteria}
    if Criterion.Kind.BONUS in kinds and sheet.bonus_cap <= 0:
        raise ValidationError(
            {"bonus_cap": _("The sheet has bonus items: set the cap on bonus points.")}
        )
    if Criterion.Kind.DEDUCTION in kinds and sheet.deduction_cap <= 0:
        raise ValidationError(
            {"deduction_cap": _("The sheet has deduction items: set the cap on deductions.")}
        )


def copied_name(source: CriteriaSheet, year: int) -> str:
    """The source's name with its year replaced: “… năm 2022” copied to 2023 → “… năm 2023”."""
    old = str(source.cluster_year.year)
    if old in source.name:
        return source.name.replace(old, str(year))
    return default_sheet_name(year)


@transaction.atomic
def sheet_copy(*, cluster_year: ClusterYear, source: CriteriaSheet) -> CriteriaSheet:
    """Copy the criteria, caps and tie rule of an earlier year's sheet.

    Creates the year's sheet, or fills its sheet if that is still a draft without
    criteria. Scores are never copied.
    """
    if source.cluster_year.year >= cluster_year.year:
        raise ValidationError(_("Copy from an earlier year's sheet."))
    sheet = CriteriaSheet.objects.filter(cluster_year=cluster_year).first()
    if sheet is None:
        sheet = sheet_create(
            cluster_year=cluster_year,
            name=copied_name(source, cluster_year.year),
            bonus_cap=source.bonus_cap,
            deduction_cap=source.deduction_cap,
            tie_rule=source.tie_rule,
        )
    else:
        sheet = _lock_sheet(sheet)
        _check_unlocked(sheet)
        if sheet.criteria.exists():
            raise ValidationError(
                _("This sheet already has criteria; delete them before copying another sheet.")
            )
        sheet.bonus_cap, sheet.deduction_cap = source.bonus_cap, source.deduction_cap
        sheet.tie_rule = source.tie_rule
        sheet.full_clean()
        sheet.save()
    copies = [
        Criterion(sheet=sheet, **{name: getattr(c, name) for name in CRITERION_FIELDS})
        for c in Criterion.objects.filter(sheet=source).order_by("order", "pk")
    ]
    if not copies:
        raise ValidationError(_("The chosen sheet has no criteria."))
    bulk_create_with_history(copies, Criterion)
    return sheet


@transaction.atomic
def sheet_unlock(*, sheet: CriteriaSheet) -> CriteriaSheet:
    """Return a locked sheet to draft, allowed only while no score holds a value."""
    sheet = _lock_sheet(sheet)
    if sheet.status != CriteriaSheet.Status.SCORING:
        raise ValidationError(_("Only a sheet being scored (not approved) can be unlocked."))
    entered = Score.objects.filter(criterion__sheet=sheet).filter(
        Q(self_score__isnull=False)
        | Q(cluster_score__isnull=False)
        | Q(board_score__isnull=False)
        | ~Q(evidence="")
    )
    if entered.exists():
        raise ValidationError(
            _("Scores have been entered: clear every score before unlocking the sheet.")
        )
    sheet.status, sheet.locked_at = CriteriaSheet.Status.DRAFT, None
    sheet.save()
    return sheet


# --- Scores ------------------------------------------------------------------------------------


def check_score(criterion: Criterion, value: Decimal | None) -> None:
    """A score is empty or between 0 and the criterion's maximum."""
    if value is None:
        return
    exponent = value.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent < -POINT_DECIMALS
        and value != value.quantize(Decimal(1).scaleb(-POINT_DECIMALS))
    ):
        raise ValidationError(
            _("At most %(places)s digits after the decimal comma.") % {"places": POINT_DECIMALS},
            code="decimal_places",
        )
    if value < 0:
        raise ValidationError(_("Scores cannot be negative."), code="min_value")
    if value > criterion.max_points:
        raise ValidationError(
            _("Above the maximum of %(max)s points for “%(criterion)s”.")
            % {"max": points(criterion.max_points), "criterion": criterion.name},
            code="max_value",
        )


def _criteria_and_members(sheet: CriteriaSheet, keys) -> tuple[dict, dict]:
    criteria = {c.pk: c for c in Criterion.objects.filter(sheet=sheet)}
    members = {
        m.pk: m
        for m in ClusterMember.objects.filter(cluster_year_id=sheet.cluster_year_id).select_related(
            "unit"
        )
    }
    for criterion_id, member_id in keys:
        if criterion_id not in criteria:
            raise ValidationError(_("A score refers to a criterion that is not on this sheet."))
        if member_id not in members:
            raise ValidationError(_("A score refers to a unit that is not a member this year."))
    return criteria, members


@transaction.atomic
def scores_save(
    *,
    sheet: CriteriaSheet,
    level: Level,
    cells: Mapping[tuple[int, int], Decimal | None],
    revision: int,
    evidence: Mapping[tuple[int, int], str] | None = None,
    user=None,
    reason: str = "",
) -> int:
    """Save one level's scores {(criterion id, member id): points or None}; all or nothing.

    ``evidence`` (self-scores only) sets the evidence notes of the same keys. ``revision``
    is the sheet revision the form was loaded at: if another save happened since, raises
    ``StaleScores`` listing the changes. After approval ``reason`` is required. Returns the
    number of scores changed; a save that changes something locks the sheet and increments
    its revision.
    """
    level = Level(level)
    evidence = evidence or {}
    reason = (reason or "").strip()
    if evidence and level != Level.SELF:
        raise ValidationError(_("Evidence notes go with self-scores."))
    sheet = _lock_sheet(sheet)
    if sheet.is_approved:
        raise ValidationError(
            _("The ranking is approved and its scores can no longer change: reopen it first.")
        )
    criteria, members = _criteria_and_members(sheet, [*cells, *evidence])
    errors = []
    for (criterion_id, member_id), value in cells.items():
        try:
            check_score(criteria[criterion_id], value)
        except ValidationError as error:
            errors.append(f"{members[member_id].unit.display_name}: {error.messages[0]}")
    if errors:
        raise ValidationError(errors)
    if sheet.revision != revision:
        raise StaleScores(
            changes=changes_since(sheet, revision, criteria, members), revision=sheet.revision
        )
    field = level.field_name
    # The sheet's row lock already serializes saves; lock only the score rows here.
    rows = {
        (s.criterion_id, s.member_id): s
        for s in Score.objects.filter(criterion__sheet=sheet).select_for_update(of=("self",))
    }
    new_revision = sheet.revision + 1
    creates, updates = [], []
    for key in sorted({*cells, *evidence}):
        row = rows.get(key)
        value = cells.get(key, row.value(level) if row else None)
        note = evidence.get(key, row.evidence if row else "").strip()
        if row is None:
            if value is None and not note:
                continue
            row = Score(criterion_id=key[0], member_id=key[1], evidence=note)
            setattr(row, field, value)
            creates.append(row)
        elif row.value(level) != value or row.evidence != note:
            setattr(row, field, value)
            row.evidence = note
            updates.append(row)
        else:
            continue
        row.revision, row.updated_by, row.updated_at = new_revision, user, timezone.now()
    if not creates and not updates:
        return 0
    history = {"default_user": user, "default_change_reason": reason or None}
    if creates:
        bulk_create_with_history(creates, Score, **history)
    if updates:
        bulk_update_with_history(
            updates,
            Score,
            [field, "evidence", "revision", "updated_by", "updated_at"],
            **history,
        )
    # Bypass the sheet's history: the revision is a counter, the scores keep the story.
    CriteriaSheet.objects.filter(pk=sheet.pk).update(revision=F("revision") + 1)
    if sheet.status == CriteriaSheet.Status.DRAFT:
        sheet.status, sheet.locked_at = CriteriaSheet.Status.SCORING, timezone.now()
        sheet.save(update_fields=["status", "locked_at", "updated_at"])
    return len(creates) + len(updates)


# --- Approval --------------------------------------------------------------------------------


@transaction.atomic
def ranking_approve(*, sheet: CriteriaSheet, meeting: Meeting, user=None) -> CriteriaSheet:
    """Record that ``meeting`` (the year's year-end meeting, held) approved the ranking.

    From then on scores change only with a reason (see ``scores_save``).
    """
    sheet = _lock_sheet(sheet)
    if sheet.is_approved:
        raise ValidationError(_("The ranking is already approved."))
    if sheet.status != CriteriaSheet.Status.SCORING:
        raise ValidationError(_("Nothing to approve yet: no score has been entered."))
    if meeting.cluster_year_id != sheet.cluster_year_id:
        raise ValidationError(_("The meeting belongs to another cluster year."))
    if meeting.kind != Meeting.Kind.YEAR_END:
        raise ValidationError(_("Only the year-end review meeting approves the ranking."))
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.APPROVED):
        raise ValidationError(_("The meeting has not been held yet."))
    sheet.status = CriteriaSheet.Status.APPROVED
    sheet.approved_meeting, sheet.approved_at, sheet.approved_by = meeting, timezone.now(), user
    sheet.full_clean()
    sheet.save()
    return sheet


@transaction.atomic
def ranking_reopen(*, sheet: CriteriaSheet, reason: str, user=None) -> CriteriaSheet:
    """Withdraw the approval so that scores can be corrected, for the reason given (kept
    in the sheet's history with who reopened it); the ranking must be approved again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason for reopening the approved ranking."))
    if len(reason) > ReasonForm.MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(max)s characters.") % {"max": ReasonForm.MAX_LENGTH}
        )
    sheet = _lock_sheet(sheet)
    if not sheet.is_approved:
        raise ValidationError(_("The ranking is not approved."))
    sheet.status = CriteriaSheet.Status.SCORING
    sheet.approved_meeting, sheet.approved_at, sheet.approved_by = None, None, None
    sheet._change_reason = _("Reopened: %(reason)s") % {"reason": reason}
    if user is not None:
        sheet._history_user = user
    sheet.save()
    return sheet
