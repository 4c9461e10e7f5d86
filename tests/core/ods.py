"""Writing real LibreOffice spreadsheets (.ods) in tests, with odfpy.

``workbook_to_ods`` turns an openpyxl workbook into the .ods LibreOffice would save:
numbers, booleans and text with their value types, formulas as ``of:=…``, merged cells
as spans, hidden sheets kept.
"""

import io
from decimal import Decimal


def workbook_to_ods(workbook) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for sheet in workbook.worksheets:
        table = Table(name=sheet.title)
        spans = {}
        covered = set()
        for merged in sheet.merged_cells.ranges:
            spans[(merged.min_row, merged.min_col)] = (
                merged.max_row - merged.min_row + 1,
                merged.max_col - merged.min_col + 1,
            )
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    if (row, column) != (merged.min_row, merged.min_col):
                        covered.add((row, column))
        for row_number in range(1, sheet.max_row + 1):
            row = TableRow()
            for column in range(1, sheet.max_column + 1):
                if (row_number, column) in covered:
                    row.addElement(CoveredTableCell())
                    continue
                cell = sheet.cell(row=row_number, column=column)
                value = cell.value
                attributes = {}
                if (row_number, column) in spans:
                    rows, columns = spans[(row_number, column)]
                    attributes.update(numberrowsspanned=rows, numbercolumnsspanned=columns)
                if value is None:
                    row.addElement(TableCell(**attributes))
                    continue
                if cell.data_type == "f":
                    odf_cell = TableCell(formula="of:" + str(value), **attributes)
                elif isinstance(value, bool):
                    odf_cell = TableCell(
                        valuetype="boolean", booleanvalue=str(value).lower(), **attributes
                    )
                elif isinstance(value, int | float | Decimal):
                    kind = "percentage" if "%" in (cell.number_format or "") else "float"
                    odf_cell = TableCell(valuetype=kind, value=str(value), **attributes)
                else:
                    odf_cell = TableCell(valuetype="string", **attributes)
                odf_cell.addElement(P(text=str(value)))
                row.addElement(odf_cell)
            table.addElement(row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
