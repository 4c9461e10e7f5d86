"""The Excel renderer: every table of a document as a sheet of one workbook.

The third renderer of the document model, for readers who want to sort, sum or reuse
the figures. It lays out only the tables (the words around them are in the PDF and the
Word file): one sheet per table, in document order, named after the table's caption,
else the heading it follows, else the document's title. Each sheet repeats the
document's title and subtitle and the table's caption, then the header rows (spans
merged, bold, tinted), then the body (group rows merged across, bold on the group tint;
total rows bold), frozen under the header. Every cell goes through the core's one
spreadsheet writer (``core.spreadsheets.SheetWriter``), so a name typed as
``=HYPERLINK(…)`` stays text.

Table cells come formatted for print ("18.568", "92,25", "55,2%"). A cell becomes a
number only when the whole text is one number written the Vietnamese way, with a number
format that shows it exactly as printed (in a Vietnamese locale "#,##0" shows 18568
as 18.568 and "#,##0.00" shows 92.25 as 92,25); anything else (a code "01" or "1.2",
a dash, a name) stays text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.documents.model import Document, Heading, Row, Table
from core.spreadsheets import SheetWriter, safe_sheet_title, workbook_bytes
from core.text import parse_decimal

NO_TABLE = "Văn bản không có bảng số liệu."
SHEET_TITLE_LIMIT = 31

# The whole text is one number as the documents print them: an optional minus, an integer
# part without a leading zero, grouped by dots in threes (or not grouped at all), an
# optional decimal comma, an optional percent sign. "01", "1.2", "1.2.3", "+5" are not.
_NUMBER = re.compile(
    r"^-?(?P<int>0|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)"
    r"(?:,(?P<frac>\d+))?(?P<percent>%)?$"
)
# Excel keeps 15 significant digits: longer figures stay text rather than change.
_MAX_DIGITS = 15

# Widths in Excel's character units shared among the columns of a table.
PORTRAIT_WIDTH = 100
LANDSCAPE_WIDTH = 150
MIN_COLUMN_WIDTH = 5
# The height of a line of 11 pt text in a spreadsheet row, in points.
LINE_HEIGHT_PT = 15
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "left"}


def render_xlsx(document: Document) -> bytes:
    """The workbook of ``document``'s tables, one sheet per table, as bytes.

    A document without a table gives one sheet with its title and a sentence saying so.
    """
    tables = document_tables(document)
    writer = None
    used: set[str] = set()
    for number, (table, heading) in enumerate(tables, start=1):
        name = table.caption or heading or document.title or f"Bảng {number}"
        title = unique_sheet_title(name, used)
        writer = SheetWriter.new(title) if writer is None else writer.add_sheet(title)
        _write_table(writer, document, table, heading)
    if writer is None:
        writer = SheetWriter.new(document.title or "Văn bản")
        row = _write_titles(writer, document)
        writer.write(row, 1, NO_TABLE)
    return workbook_bytes(writer)


def document_tables(document: Document) -> list[tuple[Table, str]]:
    """Each table of the document, in order, with the text of the heading it follows."""
    tables = []
    heading = ""
    for block in [*document.blocks, *document.closing]:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Table):
            tables.append((block, heading))
    return tables


def unique_sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts and not yet in ``used`` (compared as Excel does,
    ignoring case): "Kết quả", "Kết quả (2)", … each at most 31 characters, a long
    title cut at a word boundary."""
    text = " ".join(str(title).split())
    base = " ".join(safe_sheet_title(_cut_at_word(text, SHEET_TITLE_LIMIT)).split())
    candidate = base
    count = 1
    while candidate.casefold() in used:
        count += 1
        suffix = f" ({count})"
        candidate = _cut_at_word(base, SHEET_TITLE_LIMIT - len(suffix)) + suffix
    used.add(candidate.casefold())
    return candidate


def _cut_at_word(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its words that fit (or, for one
    long word, its first ``limit`` characters), without a dangling comma or dash."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head.strip() else text[:limit]
    return cut.rstrip(" ,;:.-–") or text[:limit]


def cell_value(text: str) -> tuple[str | int | Decimal, str]:
    """``(value, number format)`` of a printed cell: a number with a format that shows
    it as printed, or the text itself with no format.

    "18.568" → (18568, "#,##0"); "92,25" → (92.25, "#,##0.00"); "55,2%" → (0.552,
    "#,##0.0%"); "2023" → (2023, "0"); "01", "1.2.3", "—" → the text.
    """
    match = _NUMBER.match(text)
    if not match:
        return text, ""
    digits = match["int"].replace(".", "") + (match["frac"] or "")
    if len(digits.lstrip("0")) > _MAX_DIGITS:
        return text, ""
    try:
        value = parse_decimal(text)
    except ValueError:
        return text, ""
    places = len(match["frac"] or "")
    ungrouped = "." not in match["int"] and len(match["int"]) > 3
    number_format = ("0" if ungrouped else "#,##0") + ("." + "0" * places if places else "")
    if match["percent"]:
        return value / 100, number_format + "%"
    return (int(value) if not places else value), number_format


# --------------------------------------------------------------------------- Sheets


def _write_titles(writer: SheetWriter, document: Document, *lines: str) -> int:
    """The title (in capitals, as printed), the subtitle and ``lines`` in bold from the
    first row; returns the next free row."""
    row = 1
    for text, size in [(document.title.upper(), 13), (document.subtitle, 12)]:
        if text:
            writer.heading(row, text, size=size)
            row += 1
    for text in lines:
        if text:
            writer.heading(row, text, size=12)
            row += 1
    return row


def _write_table(writer: SheetWriter, document: Document, table: Table, heading: str) -> None:
    from openpyxl.styles import Alignment, Border, Side

    width = len(table.columns)
    first = _write_titles(writer, document, table.caption or heading) + 1
    row = first
    for offset, column, cell in table.placed_head():
        target = writer.write(row + offset, column + 1, cell.text, bold=True)
        target.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        writer.tint(target, SheetWriter.HEADER_FILL)
        if cell.rowspan > 1 or cell.colspan > 1:
            writer.sheet.merge_cells(
                start_row=row + offset,
                start_column=column + 1,
                end_row=row + offset + cell.rowspan - 1,
                end_column=column + cell.colspan,
            )
    row += len(table.head_rows())
    body = row
    for table_row in table.rows:
        _write_row(writer, table, table_row, row)
        row += 1

    # Borders as in print, on every cell of the grid (a merged range shows the borders
    # of the cells it covers).
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cells in writer.sheet.iter_rows(min_row=first, max_row=row - 1, max_col=width):
        for cell in cells:
            cell.border = border

    total = LANDSCAPE_WIDTH if document.landscape else PORTRAIT_WIDTH
    widths = [max(MIN_COLUMN_WIDTH, round(share * total, 1)) for share in table.shares()]
    writer.widths(widths)
    _fit_rows(writer, table, widths, head=first, body=body)
    writer.freeze(body, 1)
    sheet = writer.sheet
    sheet.print_title_rows = f"{first}:{body - 1}"
    sheet.page_setup.orientation = "landscape" if document.landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write_row(writer: SheetWriter, table: Table, row: Row, number: int) -> None:
    from openpyxl.styles import Alignment

    if row.kind == "group":
        cell = writer.write(number, 1, row.cells[0] if row.cells else "", bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if len(table.columns) > 1:
            writer.sheet.merge_cells(
                start_row=number, start_column=1, end_row=number, end_column=len(table.columns)
            )
        for column in range(1, len(table.columns) + 1):
            writer.tint(writer.sheet.cell(row=number, column=column))
        return
    for index, (text, spec) in enumerate(zip(table.cells_of(row), table.columns, strict=True)):
        value, number_format = cell_value(text)
        cell = writer.write(
            number, index + 1, value, number_format=number_format, bold=row.kind == "total"
        )
        cell.alignment = Alignment(
            wrap_text=True, vertical="center", horizontal=_ALIGN.get(spec.align, "left")
        )


def _fit_rows(writer: SheetWriter, table: Table, widths: list[float], *, head: int, body: int):
    """Rows tall enough for their wrapped text.

    Neither Excel nor LibreOffice grows a row to fit wrapped text when opening a file,
    so a long name would show one clipped line: estimate the lines of every cell from
    its column's width.
    """
    lines: dict[int, int] = {}

    def need(row: int, count: int) -> None:
        lines[row] = max(lines.get(row, 1), count)

    for offset, column, cell in table.placed_head():
        span = sum(widths[column : column + cell.colspan])
        count = wrapped_lines(cell.text, span, bold=True)
        for down in range(cell.rowspan):
            need(head + offset + down, -(-count // cell.rowspan))
    for offset, row in enumerate(table.rows):
        if row.kind == "group":
            need(body + offset, wrapped_lines(row.cells[0] if row.cells else "", sum(widths)))
            continue
        for text, width in zip(table.cells_of(row), widths, strict=True):
            need(body + offset, wrapped_lines(text, width, bold=row.kind == "total"))
    for row, count in lines.items():
        if count > 1:
            writer.sheet.row_dimensions[row].height = count * LINE_HEIGHT_PT


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide, wrapped at
    spaces as spreadsheets wrap (an estimate: capitals and bold are wider)."""
    room = max(width - 1, 1)
    count = 0
    for paragraph in str(text).split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split():
            size = sum(_char_width(char) for char in word) * (1.1 if bold else 1.0)
            if used and used + 0.5 + size > room:
                count += 1
                used = 0.0
            used += (0.5 if used else 0.0) + size
            while used > room:  # a word wider than the column shows on its own lines
                count += 1
                used -= room
    return count


def _char_width(char: str) -> float:
    if char.isupper():
        return 1.3
    if char in ".,;:!|'()[]-–":
        return 0.5
    return 1.0
