"""Excel templates for commitments and results, and their import.

The template is a targets × members sheet: one row per target (key in hidden column A),
one column per member (key in hidden row 6), plus a hidden ``_meta`` sheet naming the
pledge and period it belongs to. The import reports every problem with its cell before
anything is saved; applying it goes through the same services as the grid, so an
unchanged export imports as "no changes".
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.spreadsheets import (
    NUMBER_RULE,
    CellProblem,
    CellValueError,
    SheetWriter,
    SpreadsheetError,
    is_ambiguous_number,
    open_workbook,
    read_number,
    sheet_problems,
    workbook_bytes,
)
from core.text import fold, format_decimal
from pledges.models import Target
from pledges.selectors import Grid
from pledges.services import Cell

COMMITMENTS, RESULTS = "commitments", "results"
META_SHEET = "_meta"
HEADER_ROW, KEY_ROW, FIRST_DATA_ROW = 5, 6, 7
FIRST_MEMBER_COLUMN = 6  # F
MADE_AT = "made_at"
YES_WORDS = {"co", "x", "1", "yes", "true", "dat", "da"}
NO_WORDS = {"khong", "0", "no", "false", "chua"}


def sheet_title(kind: str) -> str:
    return _("Commitments") if kind == COMMITMENTS else _("Results")


def build_workbook(
    *, grid: Grid, kind: str, title: str, subtitle: str, meta: dict, made_at=None
) -> bytes:
    """The pre-filled template: what is stored now, ready to edit and upload back.

    The hidden ``_meta`` sheet records what the template is for and when it was made,
    so an import can tell which cells others changed since (see ``parse_workbook``).
    """
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    made_at = made_at or timezone.now()
    writer = SheetWriter.new(sheet_title(kind))
    sheet = writer.sheet
    writer.heading(1, title)
    writer.write(2, 1, subtitle)
    writer.note(
        3,
        _(
            "Type values in the white cells. Do not change column A or row 6 (hidden keys). "
            "“Có”/“Không” for yes/no targets."
        )
        + " "
        + NUMBER_RULE,
    )
    headers = ["#", _("No."), _("Group"), _("Target"), _("Unit of measure")]
    headers += [member.unit.display_name for member in grid.members]
    writer.header(HEADER_ROW, headers)
    writer.write(KEY_ROW, 1, "#")
    for offset, member in enumerate(grid.members):
        writer.write(KEY_ROW, FIRST_MEMBER_COLUMN + offset, f"M{member.pk}")
    yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    row_number = FIRST_DATA_ROW
    for group in grid.groups:
        for target in group.targets:
            fixed = [f"T{target.pk}", target.number, group.name, target.name, target.unit_label]
            for column, value in enumerate(fixed, start=1):
                writer.tint(writer.write(row_number, column, value))
            for offset, member in enumerate(grid.members):
                cell = writer.write(
                    row_number,
                    FIRST_MEMBER_COLUMN + offset,
                    _excel_value(target, grid.cell(target.pk, member.pk)),
                )
                cell.protection = Protection(locked=False)
                if target.measure == Target.Measure.BOOLEAN:
                    yes_no.add(cell)
                elif target.is_numeric:
                    cell.number_format = "#,##0.####"
            row_number += 1
    sheet.column_dimensions["A"].hidden = True
    sheet.row_dimensions[KEY_ROW].hidden = True
    writer.widths({2: 6, 3: 22, 4: 48, 5: 12})
    writer.widths({FIRST_MEMBER_COLUMN + offset: 14 for offset in range(len(grid.members))})
    writer.freeze(FIRST_DATA_ROW, FIRST_MEMBER_COLUMN)
    meta_sheet = writer.add_sheet(META_SHEET)
    rows = {"kind": kind, **meta, MADE_AT: made_at.isoformat()}
    for index, (key, value) in enumerate(rows.items(), start=1):
        meta_sheet.write(index, 1, key)
        meta_sheet.write(index, 2, str(value))
    meta_sheet.sheet.sheet_state = "hidden"
    return workbook_bytes(writer)


def _excel_value(target: Target, row):
    if row is None:
        return None
    if target.measure == Target.Measure.TEXT:
        return row.text or None
    if row.value is None:
        return None
    if target.measure == Target.Measure.BOOLEAN:
        return "Có" if row.value else "Không"
    return row.value.normalize()


@dataclass
class Change:
    target: Target
    member: object
    old: str
    new: str

    @property
    def key(self) -> str:
        """The cell's key in a confirmation form: ``<target id>-<member id>``."""
        return f"{self.target.pk}-{self.member.pk}"


@dataclass
class ImportResult:
    """What an uploaded template would change.

    ``cells`` are the values to save; ``changes`` lists those that differ from what is
    stored. ``conflicts`` are cells someone changed in the product after the template
    was made, where the file holds another value: they are left out of ``cells`` and
    saved only if the user confirms each (``with_confirmed``). ``warnings`` are values
    read one way that could have been meant another ("1.234").
    """

    cells: dict = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    conflict_cells: dict = field(default_factory=dict)
    warnings: list[CellProblem] = field(default_factory=list)
    made_at: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_workbook(*, upload, grid: Grid, kind: str, meta: dict) -> ImportResult:
    """Read an uploaded template into grid cells, listing every problem found."""
    result = ImportResult()
    try:
        workbook = open_workbook(upload)
    except SpreadsheetError as error:
        result.problems.append(CellProblem("", str(error)))
        return result
    sheet = _data_sheet(workbook, kind)
    if sheet is None:
        result.problems.append(
            CellProblem(
                "",
                _(
                    "The workbook has no sheet “%(sheet)s”: use the template downloaded from "
                    "this page."
                )
                % {"sheet": sheet_title(kind)},
            )
        )
        return result
    problem = _check_meta(workbook, kind, meta)
    if problem:
        result.problems.append(problem)
        return result
    result.made_at = _made_at(workbook)
    if sheet.max_row < FIRST_DATA_ROW or sheet.max_column < FIRST_MEMBER_COLUMN:
        result.problems.append(CellProblem("", _("The sheet is empty.")))
        return result
    result.problems.extend(sheet_problems(sheet, first_row=HEADER_ROW))
    if result.problems:
        return result
    columns = _member_columns(sheet, grid, result.problems)
    rows = _target_rows(sheet, grid, result.problems, columns)
    for row_number, target in rows.items():
        for column, member in columns.items():
            cell = sheet.cell(row=row_number, column=column)
            parsed = _parse_cell(
                target,
                cell.value,
                cell.coordinate,
                result.problems,
                percent_format="%" in (cell.number_format or ""),
            )
            if parsed is not None:
                result.cells[(target.pk, member.pk)] = parsed
                if target.is_numeric and is_ambiguous_number(cell.value):
                    result.warnings.append(
                        CellProblem(
                            cell.coordinate,
                            _(
                                "“%(value)s” was read as %(number)s: a dot separates "
                                "thousands. For a decimal, type %(decimal)s."
                            )
                            % {
                                "value": cell.value,
                                "number": format_decimal(parsed.value),
                                "decimal": str(cell.value).strip().replace(".", ","),
                            },
                        )
                    )
    if not result.problems:
        _set_aside_conflicts(grid, result)
        result.changes = _changes(grid, result.cells)
    return result


def _made_at(workbook) -> datetime.datetime | None:
    if META_SHEET not in workbook.sheetnames:
        return None
    for key, value in workbook[META_SHEET].iter_rows(max_col=2, values_only=True):
        if key == MADE_AT and value:
            try:
                return datetime.datetime.fromisoformat(str(value))
            except ValueError:
                return None
    return None


def _set_aside_conflicts(grid: Grid, result: ImportResult) -> None:
    """Cells changed in the product after the template was made, which the file would
    overwrite with another value, move from ``cells`` to ``conflict_cells``."""
    if result.made_at is None:
        return
    entered_at = _entered_at(grid, result.cells)
    for key, cell in list(result.cells.items()):
        row = grid.cell(*key)
        if row is None or entered_at[key] <= result.made_at:
            continue
        if _same(Cell(row.value, row.text), cell):
            continue
        result.conflict_cells[key] = result.cells.pop(key)
    result.conflicts = _changes(grid, result.conflict_cells)


def _entered_at(grid: Grid, keys) -> dict:
    """{key: when the stored row was last entered} for the stored rows among ``keys``.

    A grid loads only what it shows (``updated_at`` deferred): reading the field of each
    row would cost one query per cell, so the missing ones are read in one query.
    """
    rows = {key: row for key in keys if (row := grid.cell(*key)) is not None}
    missing = [row.pk for row in rows.values() if "updated_at" not in row.__dict__]
    stored = {}
    if missing:
        model = type(next(iter(rows.values())))
        stored = dict(model._default_manager.filter(pk__in=missing).values_list("pk", "updated_at"))
    return {
        key: row.__dict__["updated_at"] if row.pk not in stored else stored[row.pk]
        for key, row in rows.items()
    }


def _same(old: Cell, new: Cell) -> bool:
    values_same = old.value == new.value if old.value is not None or new.value is not None else True
    return values_same and old.text == new.text


def _data_sheet(workbook, kind: str):
    """The data sheet, named in whichever language the template was downloaded in."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            title = sheet_title(kind)
        if title in workbook.sheetnames:
            return workbook[title]
    return None


def _check_meta(workbook, kind: str, meta: dict) -> CellProblem | None:
    if META_SHEET not in workbook.sheetnames:
        return None  # a hand-made copy of the sheet: rely on the keys
    stored = {
        str(row[0].value): str(row[1].value or "")
        for row in workbook[META_SHEET].iter_rows(max_col=2)
        if row[0].value
    }
    if stored.get("kind") != kind:
        return CellProblem("", _("This file is a template of another kind."))
    for key, value in meta.items():
        if stored.get(key, str(value)) != str(value):
            return CellProblem("", _("This file was downloaded for another pledge or period."))
    return None


def _member_columns(sheet, grid: Grid, problems) -> dict:
    by_key = {f"M{member.pk}": member for member in grid.members}
    by_name = {}
    for member in grid.members:
        for name in (member.unit.name, member.unit.short_name):
            if name:
                by_name[fold(name)] = member
    columns, seen = {}, set()
    for column in range(FIRST_MEMBER_COLUMN, sheet.max_column + 1):
        key = sheet.cell(row=KEY_ROW, column=column).value
        header = sheet.cell(row=HEADER_ROW, column=column).value
        if key in (None, "") and header in (None, ""):
            continue
        member = by_key.get(str(key).strip()) if key else None
        if member is None and header:
            member = by_name.get(fold(str(header)))
        coordinate = sheet.cell(row=HEADER_ROW, column=column).coordinate
        if member is None:
            problems.append(
                CellProblem(
                    coordinate,
                    _("“%(unit)s” is not a member unit of this year.") % {"unit": header or key},
                )
            )
            continue
        if member.pk in seen:
            problems.append(
                CellProblem(coordinate, _("“%(unit)s” appears twice.") % {"unit": member.unit.name})
            )
            continue
        seen.add(member.pk)
        columns[column] = member
    return columns


def _target_rows(sheet, grid: Grid, problems, columns) -> dict:
    by_key = {f"T{target.pk}": target for target in grid.targets}
    by_name = {fold(target.name): target for target in grid.targets}
    rows, seen = {}, set()
    for row_number in range(FIRST_DATA_ROW, sheet.max_row + 1):
        key = sheet.cell(row=row_number, column=1).value
        name = sheet.cell(row=row_number, column=4).value
        has_values = any(
            sheet.cell(row=row_number, column=column).value not in (None, "") for column in columns
        )
        if not has_values and not key and not name:
            continue
        target = by_key.get(str(key).strip()) if key else None
        if target is None and name:
            target = by_name.get(fold(str(name)))
        if target is None:
            if has_values:
                problems.append(
                    CellProblem(
                        f"D{row_number}",
                        _("“%(target)s” is not a target of this pledge.") % {"target": name or key},
                    )
                )
            continue
        if target.pk in seen:
            problems.append(
                CellProblem(
                    f"D{row_number}",
                    _("The target “%(target)s” appears twice.") % {"target": target.name},
                )
            )
            continue
        seen.add(target.pk)
        rows[row_number] = target
    return rows


def _parse_cell(
    target: Target, value, coordinate: str, problems, percent_format: bool = False
) -> Cell | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Cell()
    if target.measure == Target.Measure.TEXT:
        return Cell(text=str(value).strip()[:500])
    if target.measure == Target.Measure.BOOLEAN:
        word = fold(str(value))
        if isinstance(value, bool):
            return Cell(value=Decimal(int(value)))
        if word in YES_WORDS:
            return Cell(value=Decimal(1))
        if word in NO_WORDS:
            return Cell(value=Decimal(0))
        problems.append(
            CellProblem(coordinate, _("“%(value)s”: answer Có or Không.") % {"value": value})
        )
        return None
    try:
        number = read_number(value, percent_format=percent_format)
    except CellValueError as error:
        problems.append(CellProblem(coordinate, str(error)))
        return None
    return Cell(value=number)


def _display(target: Target, cell: Cell | None) -> str:
    if cell is None or cell.is_empty:
        return ""
    if target.measure == Target.Measure.TEXT:
        return cell.text
    if target.measure == Target.Measure.BOOLEAN:
        return _("Yes") if cell.value else _("No")
    return format_decimal(cell.value)


def _changes(grid: Grid, cells: dict) -> list[Change]:
    targets = {target.pk: target for target in grid.targets}
    members = {member.pk: member for member in grid.members}
    changes = []
    for (target_id, member_id), cell in cells.items():
        row = grid.cell(target_id, member_id)
        old = Cell(row.value, row.text) if row is not None else Cell()
        if not _same(old, cell):
            target = targets[target_id]
            changes.append(
                Change(target, members[member_id], _display(target, old), _display(target, cell))
            )
    return changes
