"""The document model: what an official document says, before it is laid out.

Every printed document of the product is built once as a ``Document`` — a header, a
title, a list of blocks, signatures and recipients — by a ``<doc>_document(*, obj)``
function in the app that owns it. The one PDF renderer (``core.documents.pdf``) and the
one Word renderer (``core.documents.docx``) turn it into files; the Decree 30/2020/NĐ-CP
layout lives in those two renderers only. Nothing here queries the database.

Text is plain text: renderers escape it. Numbers are formatted before they get here
(Vietnamese "1.234,5", whatever language the reader chose).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right", "justify"]

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK_NUMBER = "   "
BLANK_NUMBER_LINE = "Số:      /"
BLANK = "......"

# Type codes of Decree 30 used by the product (the part before the issuer's code).
TYPE_CODES = {
    "QĐ": "Quyết định",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
}


def format_document_number(number: int | None, type_code: str, issuer_code: str) -> str:
    """``05/BB-CTĐ``: numbers below 10 take a leading zero; ``None`` leaves a blank."""
    prefix = BLANK_NUMBER if number is None else f"{number:02d}"
    return f"{prefix}/{type_code}-{issuer_code}"


def vn_long_date(value: datetime.date | None) -> str:
    """'ngày 07 tháng 02 năm 2023', as official documents write dates.

    Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero.
    """
    if not value:
        return ""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@dataclass
class DocumentHeader:
    """The two-column header: issuing bodies and nation on top, number and date below.

    ``parent_body`` and ``issuer`` are printed in capitals whatever case they are given
    in. An empty ``number`` or a ``None`` date prints blanks to be filled in by hand.
    """

    parent_body: str
    issuer: str
    number: str = ""
    place: str = ""
    date: datetime.date | None = None
    # A form (a ballot paper) is no numbered document: no "Số:" line at all.
    numbered: bool = True

    @property
    def number_line(self) -> str:
        """``Số: 05/BB-CTĐ``, ``Số:      /`` to be numbered by hand, or "" for a form."""
        if not self.numbered:
            return ""
        return f"Số: {self.number}" if self.number else BLANK_NUMBER_LINE

    @property
    def date_line(self) -> str:
        """``Bắc Kạn, ngày 07 tháng 02 năm 2023`` (dots where nothing is known yet)."""
        if self.date:
            when = vn_long_date(self.date)
            return f"{self.place}, {when}" if self.place else when
        return f"{self.place or BLANK}, ngày {BLANK} tháng {BLANK} năm {BLANK}"


# --------------------------------------------------------------------------- Blocks


@dataclass
class Heading:
    """A section heading such as ``I. THÀNH PHẦN THAM DỰ``; kept with what follows.

    ``level`` 1 is a bold section heading, 2 a bold sub-heading, 3 bold italic.
    """

    text: str
    level: int = 1


@dataclass
class Run:
    """A piece of a paragraph with its own emphasis (e.g. a bold label)."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    """A body paragraph: justified, first line indented, 6 pt after (Decree 30).

    Give ``text``, or ``runs`` when parts need their own emphasis.
    """

    text: str = ""
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True
    runs: list[Run] = field(default_factory=list)

    @property
    def parts(self) -> list[Run]:
        return self.runs or [Run(self.text, bold=self.bold, italic=self.italic)]

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.parts)

    @property
    def indented(self) -> bool:
        """Whether the first line is indented: never for a centred or right-aligned line."""
        return self.indent and self.align in ("justify", "left")


@dataclass
class ListBlock:
    """Items printed one per line after a marker: ``- …`` (or ``1.`` … when ordered).

    The marker is part of the document's words: PDF and Word print the same marker.
    """

    items: list[str]
    ordered: bool = False
    marker: str = "-"

    def marker_of(self, index: int) -> str:
        return f"{index + 1}." if self.ordered else self.marker


@dataclass
class Column:
    """A table column: its header, a relative width, its alignment.

    ``width`` is a share of the table's width (the renderers scale all columns to fit).
    Text only ever wraps between words, never inside one.
    """

    header: str
    width: float = 1.0
    align: Align = "left"


@dataclass
class Row:
    """A table row. ``kind`` "group" is a bold row merged across the table (e.g.
    ``I. Kinh tế``; only its first cell is printed); "total" is a bold summary row."""

    cells: list[str]
    kind: Literal["data", "group", "total"] = "data"


@dataclass
class HeadCell:
    """A cell of a table's header rows, spanning ``colspan`` columns and ``rowspan`` rows."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    """A bordered table whose header row repeats on every page and whose rows never
    split across pages. ``header_groups`` optionally adds a first header row of
    (label, span) pairs above the columns (e.g. "Đơn vị thành viên" over the members);
    a pair of span 1 labelled "" (or with the column's own header) makes that column's
    header span both rows, as do columns after the last group. ``caption`` prints bold
    above the table."""

    columns: list[Column]
    rows: list[Row]
    header_groups: list[tuple[str, int]] = field(default_factory=list)
    caption: str = ""

    def shares(self) -> list[float]:
        """Each column's share of the table's width (they add up to 1)."""
        total = sum(column.width for column in self.columns)
        if total <= 0:
            return [1 / len(self.columns)] * len(self.columns)
        return [column.width / total for column in self.columns]

    def head_rows(self) -> list[list[HeadCell]]:
        """The header rows as both renderers print them, spans included."""
        if not self.header_groups:
            return [[HeadCell(column.header) for column in self.columns]]
        if sum(span for _label, span in self.header_groups) > len(self.columns):
            raise ValueError("The header groups span more columns than the table has.")
        top: list[HeadCell] = []
        bottom: list[HeadCell] = []
        start = 0
        for label, span in self.header_groups:
            columns = self.columns[start : start + span]
            if span == 1 and label in ("", columns[0].header):
                top.append(HeadCell(columns[0].header, rowspan=2))
            else:
                top.append(HeadCell(label, colspan=span))
                bottom.extend(HeadCell(column.header) for column in columns)
            start += span
        top.extend(HeadCell(column.header, rowspan=2) for column in self.columns[start:])
        if not bottom:
            return [[HeadCell(column.header) for column in self.columns]]
        return [top, bottom]

    def placed_head(self) -> list[tuple[int, int, HeadCell]]:
        """The header cells with the (row, column) of their top-left corner, from 0, as
        the Word and Excel renderers lay out merged header cells."""
        taken: set[tuple[int, int]] = set()
        placed = []
        for row, cells in enumerate(self.head_rows()):
            column = 0
            for cell in cells:
                while (row, column) in taken:
                    column += 1
                placed.append((row, column, cell))
                taken.update(
                    (row + down, column + across)
                    for down in range(1, cell.rowspan)
                    for across in range(cell.colspan)
                )
                column += cell.colspan
        return placed

    def cells_of(self, row: Row) -> list[str]:
        """A data or total row's cells, padded with empty cells to the table's width."""
        if len(row.cells) > len(self.columns):
            raise ValueError(
                f"A row has {len(row.cells)} cells for {len(self.columns)} columns: {row.cells}"
            )
        return [*row.cells, *[""] * (len(self.columns) - len(row.cells))]


@dataclass
class Note:
    """A small italic note (legend, source, "dự thảo")."""

    text: str


@dataclass
class Chart:
    """A chart given as SVG markup (rendered on the server), with a text title.

    The PDF draws the SVG (cleaned of scripts and outside links) with the title as its
    caption; the Word file prints the title alone, since the server has no rasteriser
    to turn SVG into a picture Word shows. The labels inside the chart are drawing, not
    words of the document: the parity check leaves them out.
    """

    title: str
    svg: str


@dataclass
class PageBreak:
    """What follows starts a new page. With ``repeat_heading`` the new page opens with
    the document's header and title again, as a form printed in copies (ballot papers,
    one a page) does. It carries no words."""

    repeat_heading: bool = False


Block = Heading | Paragraph | ListBlock | Table | Note | Chart | PageBreak


# --------------------------------------------------------------------------- Signatures


@dataclass
class SignatureBlock:
    """One signer: ``TM. CỤM THI ĐUA`` / ``CỤM TRƯỞNG`` / (space to sign) / the name.

    ``capacity`` (TM., KT., Q. …) and ``title`` print in capitals; ``unit`` under the
    title; ``name`` in bold under the signing space (about four lines in both files).
    """

    capacity: str = ""
    title: str = ""
    name: str = ""
    unit: str = ""


@dataclass
class SignatureCell:
    """One cell of the signature table: a signer, the recipients, or nothing."""

    block: SignatureBlock | None = None
    recipients: list[str] | None = None


@dataclass
class SignatureRow:
    left: SignatureCell
    right: SignatureCell

    @property
    def cells(self) -> list[SignatureCell]:
        return [self.left, self.right]

    @property
    def signed(self) -> bool:
        """Whether a signer is in this row (else it holds only the recipients)."""
        return bool(self.left.block or self.right.block)


def signature_rows(
    blocks: list[SignatureBlock], recipients: list[str] | None = None
) -> list[SignatureRow]:
    """Signers two per row; a lone last signer goes right with the recipients left of it.

    With an even number of signers the recipients get a row of their own. Both
    renderers lay out the signature table from this.
    """
    cells = [SignatureCell(block=block) for block in blocks]
    if len(cells) % 2:
        cells.insert(len(cells) - 1, SignatureCell(recipients=recipients or None))
    elif recipients:
        cells += [SignatureCell(recipients=recipients), SignatureCell()]
    return [SignatureRow(cells[index], cells[index + 1]) for index in range(0, len(cells), 2)]


def recipient_lines(recipients: list[str]) -> list[str]:
    """``- …;`` lines, the last ending with a full stop, as both files print them."""
    lines = []
    for index, line in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        lines.append(f"- {line.rstrip(' ;.')}{end}")
    return lines


# --------------------------------------------------------------------------- Document


@dataclass
class Document:
    """A whole official document.

    ``closing`` blocks (usually the last paragraph, "…/.") are kept on the page with
    the signatures, so a signature never stands alone on a page. ``filename`` is the
    stem of the downloaded file, without extension and without diacritics.
    """

    header: DocumentHeader
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    closing: list[Block] = field(default_factory=list)
    signatures: list[SignatureBlock] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    landscape: bool = False
    filename: str = "van-ban"

    def add(self, *blocks: Block | None) -> Document:
        """Append blocks, skipping ``None`` (so a section with nothing to say adds nothing)."""
        self.blocks.extend(block for block in blocks if block is not None)
        return self

    def extend(self, blocks) -> Document:
        return self.add(*blocks)
