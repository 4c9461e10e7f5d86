"""Spreadsheets for every export and import of the product: one writer, one reader.

The writer (``SheetWriter``) gives every exported table the same look (title, bold
header row on a tint, column widths, number formats, frozen header) and writes every
user-supplied string as text: a target named ``=HYPERLINK(…)`` shows exactly that and is
never evaluated, in Excel or LibreOffice (OWASP's CSV-injection guidance).

The reader (``open_workbook``) accepts Excel (.xlsx) and LibreOffice (.ods) files and
refuses what should never be parsed: empty or huge files, other formats (an old .xls, a
renamed PDF), zip bombs; every text cell it gives is in the product's one Unicode form
(NFC, ``core.text.normalize_text``). ``sheet_problems`` lists what would make an import ambiguous
(formulas, merged cells) and ``read_number`` reads a number cell by one Vietnamese rule.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.text import normalize_text, parse_decimal

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 20000
# Stored numbers have at most 14 digits before the decimal comma.
MAX_NUMBER = Decimal(10) ** 14
QUANTUM = Decimal("0.0001")

XLSX = "xlsx"
ODS = "ods"
ACCEPTED = ".xlsx,.ods"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# What spreadsheet programs read as the start of a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The rule stated on every template, and applied by ``read_number``.
NUMBER_RULE = "Số: dấu phẩy (,) ngăn phần thập phân, dấu chấm (.) ngăn hàng nghìn: 1.234,5."


class SpreadsheetError(Exception):
    """A problem with the whole file; the message is for the user."""


@dataclass(frozen=True)
class CellProblem:
    ref: str  # e.g. "F7", or "" for a whole-sheet problem
    message: str

    def __str__(self):
        return f"{self.ref}: {self.message}" if self.ref else self.message


class CellValueError(ValueError):
    """A cell that cannot be read; the message is for the user."""


# --------------------------------------------------------------------------- Writing


class SheetWriter:
    """One sheet of an exported workbook, in the product's one style.

    ``write(row, column, value)`` writes numbers as numbers and strings as text, never
    as formulas; ``header`` writes a bold, centred, tinted header row; ``widths`` and
    ``freeze`` finish the sheet. ``workbook_bytes`` serialises the whole workbook.
    """

    HEADER_FILL = "DDE3EA"
    GROUP_FILL = "F1F3F5"

    def __init__(self, workbook, sheet=None, *, title: str = ""):
        self.workbook = workbook
        self.sheet = sheet if sheet is not None else workbook.active
        if title:
            self.sheet.title = safe_sheet_title(title)

    @classmethod
    def new(cls, title: str = "") -> SheetWriter:
        from openpyxl import Workbook

        return cls(Workbook(), title=title)

    def add_sheet(self, title: str) -> SheetWriter:
        return SheetWriter(self.workbook, self.workbook.create_sheet(safe_sheet_title(title)))

    def write(self, row: int, column: int, value, *, number_format: str = "", bold=False):
        cell = self.sheet.cell(row=row, column=column)
        set_value(cell, value)
        if number_format and isinstance(value, int | float | Decimal):
            cell.number_format = number_format
        if bold:
            from openpyxl.styles import Font

            cell.font = Font(bold=True)
        return cell

    def heading(self, row: int, text: str, *, size: int = 13, italic=False, bold=True):
        from openpyxl.styles import Font

        cell = self.write(row, 1, text)
        cell.font = Font(bold=bold, italic=italic, size=size)
        return cell

    def note(self, row: int, text: str):
        return self.heading(row, text, size=9, italic=True, bold=False)

    def header(self, row: int, headers: list[str], *, first_column: int = 1):
        from openpyxl.styles import Alignment, Font, PatternFill

        fill = PatternFill("solid", fgColor=self.HEADER_FILL)
        for offset, text in enumerate(headers):
            cell = self.write(row, first_column + offset, text)
            cell.font, cell.fill = Font(bold=True), fill
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def tint(self, cell, color: str = GROUP_FILL):
        from openpyxl.styles import PatternFill

        cell.fill = PatternFill("solid", fgColor=color)

    def widths(self, widths: dict[int, float] | list[float]):
        from openpyxl.utils import get_column_letter

        items = widths.items() if isinstance(widths, dict) else enumerate(widths, start=1)
        for column, width in items:
            self.sheet.column_dimensions[get_column_letter(column)].width = width

    def freeze(self, row: int, column: int):
        self.sheet.freeze_panes = self.sheet.cell(row=row, column=column)


def safe_sheet_title(title: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, not empty."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip().strip("'")
    return (cleaned or "Sheet")[:31]


def set_value(cell, value) -> None:
    """Write ``value`` into an openpyxl cell; strings always as text, never as formulas.

    openpyxl stores a string starting with "=" as a formula; this stores it as a string
    and marks the cell with Excel's quote prefix, so editing the cell later does not
    turn it into a formula either. Decimals are written as numbers.
    """
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        return
    cell.value = value


def workbook_bytes(writer_or_workbook) -> bytes:
    workbook = getattr(writer_or_workbook, "workbook", writer_or_workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- Reading


def open_workbook(upload):
    """Return an openpyxl workbook of an uploaded .xlsx or .ods (formulas kept, so they
    can be refused). Raises ``SpreadsheetError`` with a message for the user."""
    size = upload.size
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    name = (upload.name or "").lower()
    if name.endswith(".xls"):
        raise SpreadsheetError(
            _("Old Excel files (.xls) are not accepted: open it in Excel and save as .xlsx.")
        )
    upload.seek(0)
    data = upload.read()
    kind = _container_kind(data)
    if kind == ODS:
        return _normalized(_ods_as_workbook(data))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise SpreadsheetError(_("The workbook is damaged and cannot be read.")) from None
    return _normalized(workbook)


def _normalized(workbook):
    """Every text cell in the one stored form (``core.text.normalize_text``): a name typed
    on a Mac or pasted from a PDF arrives decomposed (NFD) and must match, and be stored
    as, the same name typed in the product. Formulas are left for ``sheet_problems``."""
    for sheet in workbook.worksheets:
        # The cells that exist, not the whole rectangle up to the last one: a single
        # cell far down the sheet must not make millions of empty ones.
        for cell in list(sheet._cells.values()):
            value = cell.value
            if isinstance(value, str) and cell.data_type != "f":
                normalized = normalize_text(value)
                if normalized != value:
                    set_value(cell, normalized)
    return workbook


def _container_kind(data: bytes) -> str:
    not_a_workbook = _("This file is not a spreadsheet (.xlsx or .ods).")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(not_a_workbook)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise SpreadsheetError(_("The workbook is too large once unpacked."))
        if "xl/workbook.xml" in names:
            return XLSX
        if {"content.xml", "mimetype"} <= names and (
            archive.read("mimetype").strip() == ODS_MIMETYPE
        ):
            return ODS
    raise SpreadsheetError(not_a_workbook)


def _ods_as_workbook(data: bytes):
    """A LibreOffice spreadsheet read by odfpy into an openpyxl workbook, so every import
    reads one kind of object. Values keep their types (numbers, dates, booleans, text);
    a formula becomes a formula cell and merged cells stay merged, so the same checks
    refuse them; percentages keep their "%" format."""
    from odf import opendocument
    from odf.namespaces import TABLENS
    from odf.table import Table, TableRow
    from openpyxl import Workbook

    try:
        document = opendocument.load(io.BytesIO(data))
    except Exception:  # odfpy raises XML and zip errors of many kinds on damaged files
        raise SpreadsheetError(_("The workbook is damaged and cannot be read.")) from None
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in document.spreadsheet.getElementsByType(Table):
        sheet = workbook.create_sheet(safe_sheet_title(_attr(table, "name") or "Sheet"))
        row_number = 0
        for row in table.getElementsByType(TableRow):
            repeat_rows = int(_attr(row, "number-rows-repeated") or 1)
            cells = [
                node
                for node in row.childNodes
                if node.qname == (TABLENS, "table-cell")
                or node.qname == (TABLENS, "covered-table-cell")
            ]
            # Trailing empty repeated rows fill the sheet to a million rows: skip them.
            if not any(_ods_has_content(cell) for cell in cells):
                row_number += repeat_rows
                continue
            for _repeat in range(min(repeat_rows, MAX_ROWS)):
                row_number += 1
                if row_number > MAX_ROWS + 1:
                    raise SpreadsheetError(
                        _("The sheet has more than %(rows)s rows.") % {"rows": MAX_ROWS}
                    )
                column = 0
                for cell in cells:
                    repeat_columns = int(_attr(cell, "number-columns-repeated") or 1)
                    if not _ods_has_content(cell):
                        column += repeat_columns
                        continue
                    for _c in range(min(repeat_columns, 1024)):
                        column += 1
                        if cell.qname == (TABLENS, "table-cell"):
                            _ods_copy_cell(cell, sheet.cell(row=row_number, column=column))
                            rows_span = int(_attr(cell, "number-rows-spanned") or 1)
                            cols_span = int(_attr(cell, "number-columns-spanned") or 1)
                            if rows_span > 1 or cols_span > 1:
                                sheet.merge_cells(
                                    start_row=row_number,
                                    start_column=column,
                                    end_row=row_number + rows_span - 1,
                                    end_column=column + cols_span - 1,
                                )
    if not workbook.sheetnames:
        raise SpreadsheetError(_("The workbook is damaged and cannot be read."))
    return workbook


def _attr(node, name: str) -> str | None:
    """An attribute of an ODF element: table attributes, except ``value-type`` (office)."""
    from odf.namespaces import OFFICENS, TABLENS

    namespace = (
        OFFICENS if name in ("value-type", "value", "boolean-value", "date-value") else TABLENS
    )
    return node.attributes.get((namespace, name))


def _ods_has_content(cell) -> bool:
    return bool(
        _attr(cell, "value-type")
        or _attr(cell, "formula")
        or _attr(cell, "number-columns-spanned")
        or _attr(cell, "number-rows-spanned")
        or _ods_text(cell)
    )


def _ods_text(cell) -> str:
    from odf.text import P

    return "\n".join(str(p) for p in cell.getElementsByType(P))


def _ods_copy_cell(source, target) -> None:
    formula = _attr(source, "formula")
    kind = _attr(source, "value-type")
    if formula:
        target.value = "=" + formula.split(":", 1)[-1].lstrip("=")
        return
    if kind in ("float", "percentage", "currency"):
        text = _attr(source, "value")
        try:
            number = Decimal(text)
        except (InvalidOperation, TypeError):
            target.value = _ods_text(source)
            target.data_type = "s"
            return
        target.value = float(number) if number.is_finite() else text
        if kind == "percentage":
            target.number_format = "0.00%"
    elif kind == "boolean":
        target.value = _attr(source, "boolean-value") == "true"
    elif kind == "date":
        text = _attr(source, "date-value") or ""
        try:
            target.value = datetime.datetime.fromisoformat(text)
        except ValueError:
            target.value = text
    else:
        set_value(target, _ods_text(source))


def sheet_problems(sheet, *, first_row: int) -> list[CellProblem]:
    """Formulas and merged cells from ``first_row`` down, and an oversized sheet.

    Only real formulas are refused: a text cell that starts with "=" (as the product
    exports a name typed that way) is text and imports unchanged.
    """
    problems = []
    if sheet.max_row > MAX_ROWS:
        problems.append(
            CellProblem("", _("The sheet has more than %(rows)s rows.") % {"rows": MAX_ROWS})
        )
        return problems
    for merged in sheet.merged_cells.ranges:
        if merged.max_row >= first_row:
            problems.append(
                CellProblem(
                    merged.coord,
                    _("Merged cells are not allowed in the data area; unmerge them."),
                )
            )
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if cell.data_type == "f":
                problems.append(
                    CellProblem(
                        cell.coordinate,
                        _("The cell holds a formula; paste the values instead."),
                    )
                )
    return problems


# Text numbers: a single dot followed by exactly three digits ("1.234") is a thousands
# separator by the Vietnamese rule, but could be a decimal point typed the English way.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}%?$")


def is_ambiguous_number(value) -> bool:
    """Whether a text number could be read two ways ("1.234": 1234 or 1,234)."""
    return isinstance(value, str) and bool(_AMBIGUOUS.match(value.strip().replace(" ", "")))


def read_number(value, *, percent_format: bool = False) -> Decimal:
    """A number cell as a Decimal rounded to four places, by one Vietnamese rule.

    Numbers stored as numbers are taken as they are ("9,5%" typed in a percent cell is
    stored as 0.095 and read as 9,5, as in the grid); text follows ``NUMBER_RULE``.
    Anything not finite or beyond 14 digits is "too large", never an error page.
    Raises ``CellValueError`` with a message for the user.
    """
    if isinstance(value, bool):
        raise CellValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellValueError(_("The number is too large."))
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise CellValueError(_("The number is too large.")) from None
        if percent_format:
            number *= 100
    else:
        try:
            number = parse_decimal(str(value))
        except ValueError:
            raise CellValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise CellValueError(_("The number is too large."))
    return number.quantize(QUANTUM, rounding=ROUND_HALF_UP)
