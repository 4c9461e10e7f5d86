"""Excel templates for commitments and results, and their import.

The template is a targets × members sheet: one row per target (key in hidden column A),
one column per member (key in hidden row 6), plus a hidden ``_meta`` sheet naming the
pledge and period it belongs to. The import reports every problem with its cell before
anything is saved; applying it goes through the same services as the grid, so an
unchanged export imports as "no changes".
"""

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.spreadsheets import CellProblem, SpreadsheetError, open_workbook, sheet_problems
from core.text import fold, format_decimal, parse_decimal
from pledges.models import Target
from pledges.selectors import Grid
from pledges.services import Cell

COMMITMENTS, RESULTS = "commitments", "results"
META_SHEET = "_meta"
HEADER_ROW, KEY_ROW, FIRST_DATA_ROW = 5, 6, 7
FIRST_MEMBER_COLUMN = 6  # F
FIXED_HEADERS = 5  # key, number, group, target, unit
QUANTUM = Decimal("0.0001")
YES_WORDS = {"co", "x", "1", "yes", "true", "dat", "da"}
NO_WORDS = {"khong", "0", "no", "false", "chua"}


def sheet_title(kind: str) -> str:
    return _("Commitments") if kind == COMMITMENTS else _("Results")


def build_workbook(*, grid: Grid, kind: str, title: str, subtitle: str, meta: dict) -> bytes:
    """The pre-filled template: what is stored now, ready to edit and upload back."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(kind)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    group_fill = PatternFill("solid", fgColor="F1F3F5")
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = subtitle
    sheet["A3"] = _(
        "Type values in the white cells. Do not change column A or row 6 (hidden keys). "
        "Decimals with a comma or a dot; “Có”/“Không” for yes/no targets."
    )
    sheet["A3"].font = Font(italic=True, size=9)
    headers = ["#", _("No."), _("Group"), _("Target"), _("Unit of measure")]
    headers += [member.unit.display_name for member in grid.members]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=text)
        cell.font, cell.fill = bold, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.cell(row=KEY_ROW, column=1, value="#")
    for offset, member in enumerate(grid.members):
        sheet.cell(row=KEY_ROW, column=FIRST_MEMBER_COLUMN + offset, value=f"M{member.pk}")
    yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    row_number = FIRST_DATA_ROW
    for group in grid.groups:
        for target in group.targets:
            fixed = [f"T{target.pk}", target.number, group.name, target.name, target.unit_label]
            for column, value in enumerate(fixed, start=1):
                cell = sheet.cell(row=row_number, column=column, value=value)
                cell.fill = group_fill
            for offset, member in enumerate(grid.members):
                column = FIRST_MEMBER_COLUMN + offset
                cell = sheet.cell(row=row_number, column=column)
                cell.value = _excel_value(target, grid.cell(target.pk, member.pk))
                cell.protection = Protection(locked=False)
                if target.measure == Target.Measure.BOOLEAN:
                    yes_no.add(cell)
                elif target.is_numeric:
                    cell.number_format = "#,##0.####"
            row_number += 1
    sheet.column_dimensions["A"].hidden = True
    sheet.row_dimensions[KEY_ROW].hidden = True
    widths = {"B": 6, "C": 22, "D": 48, "E": 12}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    for offset in range(len(grid.members)):
        sheet.column_dimensions[get_column_letter(FIRST_MEMBER_COLUMN + offset)].width = 14
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=FIRST_MEMBER_COLUMN)
    meta_sheet = workbook.create_sheet(META_SHEET)
    for index, (key, value) in enumerate({"kind": kind, **meta}.items(), start=1):
        meta_sheet.cell(row=index, column=1, value=key)
        meta_sheet.cell(row=index, column=2, value=str(value))
    meta_sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


@dataclass
class ImportResult:
    cells: dict = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

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
    if not result.problems:
        result.changes = _changes(grid, result.cells)
    return result


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
    if isinstance(value, bool):
        problems.append(
            CellProblem(coordinate, _("“%(value)s” is not a number.") % {"value": value})
        )
        return None
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if percent_format:
            # "9,5%" typed in Excel is stored as 0.095; the user means 9,5 (as in the grid).
            number *= 100
        number = number.quantize(QUANTUM, rounding=ROUND_HALF_UP).normalize()
    else:
        try:
            number = parse_decimal(str(value))
        except ValueError:
            problems.append(
                CellProblem(coordinate, _("“%(value)s” is not a number.") % {"value": value})
            )
            return None
    if abs(number) >= Decimal(10) ** 14:
        problems.append(CellProblem(coordinate, _("The number is too large.")))
        return None
    return Cell(value=number.quantize(QUANTUM, rounding=ROUND_HALF_UP))


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
        same = (
            old.value == cell.value if old.value is not None or cell.value is not None else True
        ) and old.text == cell.text
        if not same:
            target = targets[target_id]
            changes.append(
                Change(target, members[member_id], _display(target, old), _display(target, cell))
            )
    return changes
