"""Opening uploaded Excel workbooks safely, for every import of the product.

Refuses what openpyxl should never be handed: empty or huge files, files that are not
.xlsx workbooks (an old .xls, a renamed PDF, a zip bomb). Checks cell-level problems
(formulas, merged cells) that would make an import ambiguous.
"""

import io
import zipfile
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 20000


class SpreadsheetError(Exception):
    """A problem with the whole file; the message is for the user."""


@dataclass(frozen=True)
class CellProblem:
    ref: str  # e.g. "F7", or "" for a whole-sheet problem
    message: str

    def __str__(self):
        return f"{self.ref}: {self.message}" if self.ref else self.message


def open_workbook(upload):
    """Return an openpyxl workbook (formulas kept, so they can be refused)."""
    from openpyxl import load_workbook

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
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("This file is not an Excel workbook (.xlsx)."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise SpreadsheetError(_("This file is not an Excel workbook (.xlsx)."))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise SpreadsheetError(_("The workbook is too large once unpacked."))
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise SpreadsheetError(_("The workbook is damaged and cannot be read.")) from None


def sheet_problems(sheet, *, first_row: int) -> list[CellProblem]:
    """Formulas and merged cells from ``first_row`` down, and an oversized sheet."""
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
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value[:1] == "="):
                problems.append(
                    CellProblem(
                        cell.coordinate,
                        _("The cell holds a formula; paste the values instead."),
                    )
                )
    return problems
