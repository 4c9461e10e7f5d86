"""The one Word renderer: a ``Document`` as a ``.docx`` file (python-docx), in the layout
of Decree 30/2020/NĐ-CP, laid out like the PDF of ``core.documents.pdf``.

Both renderers print the same words in the same order (see ``core.documents.parity``);
the numbers here (margins, sizes, the signing space) are those of ``static/css/print.css``.
Word and LibreOffice honour column widths only when the table layout is fixed and every
grid column and cell carries its width, so tables set all three.
"""

from __future__ import annotations

import io
from functools import cache

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import ImageFont

from core.documents.model import (
    MOTTO,
    NATION,
    Block,
    Chart,
    Document,
    DocumentHeader,
    Heading,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Run,
    SignatureBlock,
    Table,
    recipient_lines,
    signature_rows,
)

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
NOTE_PT = 12
CAPTION_PT = 13
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
HEADER_SPLIT = 0.4  # share of the text width taken by the issuer's column
# About four lines to sign in, as .signature-space in print.css.
SIGNATURE_SPACE_CM = 2.8
# Word's "multiple" spacing is relative to the font's own line height (about 1.15 em
# for Times New Roman), so 1.15 here is close to the PDF's line-height of 1.3.
BODY_LINE_SPACING = 1.15
# Table cell padding as in print.css (2pt 4pt), in twentieths of a point; the
# borderless header and signature tables have none.
CELL_MARGINS_TWIPS = {"top": 40, "bottom": 40, "left": 80, "right": 80}
NO_MARGINS = {"top": 0, "bottom": 0, "left": 0, "right": 0}
# Files of the metric-compatible stand-ins for Times New Roman (fonts-croscore,
# fonts-liberation2), for measuring words: the same widths Word's font gives.
FONT_FILES = {
    False: ("Tinos-Regular.ttf", "LiberationSerif-Regular.ttf"),
    True: ("Tinos-Bold.ttf", "LiberationSerif-Bold.ttf"),
}
# Without either font, a generous average width of a letter, in ems.
FALLBACK_EM_PER_CHAR = 0.6
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def render_docx(document: Document) -> bytes:
    """The ``.docx`` of ``document``: same page set-up, layout and words as its PDF."""
    doc = new_document(landscape=document.landscape)
    add_header(doc, document.header)
    add_title(doc, document.title, document.subtitle)
    for block in document.blocks:
        add_block(doc, block)
        if isinstance(block, PageBreak) and block.repeat_heading:
            add_header(doc, document.header)
            add_title(doc, document.title, document.subtitle)
    # The closing words stay on the page of the first signers, as in the PDF.
    start = len(_content(doc))
    for block in document.closing:
        add_block(doc, block)
    if document.signatures:
        _keep_with_next(_content(doc)[start:])
    lines = recipient_lines(document.recipients)
    if document.signatures:
        add_signatures(doc, document.signatures, lines)
    elif lines:
        add_recipients(doc, lines, before_pt=12)
    return docx_bytes(doc)


def docx_bytes(doc: DocxDocument) -> bytes:
    """The ``.docx`` file's bytes, e.g. for an ``HttpResponse`` or a ``FileField``."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- Page


def new_document(*, landscape: bool = False) -> DocxDocument:
    """An empty Word document with the page set-up and fonts of an official document.

    A4 (landscape for wide tables), margins 20/20/30/15 mm, Times New Roman 14 pt named
    in every font slot of every style (theme fonts would win over it in Word), page
    numbers centred at the top from page 2.
    """
    doc = docx.Document()
    section = doc.sections[0]
    width, height = PAGE_MM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        _name_fonts(fonts)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _name_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    _add_page_number_header(section)
    return doc


def _name_fonts(fonts) -> None:
    """Name the font in every slot (ascii, hAnsi, East Asian, complex), no theme fonts."""
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


def _add_page_number_header(section) -> None:
    """Page numbers centred at the top, from page 2 (the first page's header is empty)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph.alignment = _ALIGN["center"]
    # A complex field: begin, the instruction, separate, a cached value, end.
    for part in ("begin", " PAGE ", "separate", "2", "end"):
        run = paragraph.add_run()
        run.font.size = Pt(13)
        if part in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            run._r.append(char)
        elif part == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = part
            run._r.append(instruction)
        else:
            run.text = part


def _text_width(doc: DocxDocument) -> Emu:
    section = doc.sections[-1]
    return Emu(section.page_width - section.left_margin - section.right_margin)


# --------------------------------------------------------------------------- Paragraphs


def _run(
    paragraph: DocxParagraph, text: str, *, bold=False, italic=False, size=None, underline=False
):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size:
        run.font.size = Pt(size)
    return run


def _paragraph(
    container,
    text: str = "",
    *,
    bold=False,
    italic=False,
    size=None,
    align="center",
    underline=False,
    before_pt: float = 0,
    after_pt: float = 0,
) -> DocxParagraph:
    """A paragraph in a document or a table cell; a fresh cell's empty paragraph is reused."""
    paragraphs = container.paragraphs if isinstance(container, _Cell) else []
    if len(paragraphs) == 1 and not paragraphs[0].runs and not paragraphs[0].text:
        paragraph = paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_before = Pt(before_pt)
    paragraph.paragraph_format.space_after = Pt(after_pt)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)
    return paragraph


def _body_paragraph(
    doc, runs: list[Run], *, align: str = "justify", indent: bool = True, size=None
) -> DocxParagraph:
    """Justified, first line indented 1 cm, 6 pt after (Decree 30)."""
    paragraph = _paragraph(doc, align=align, after_pt=6)
    paragraph.paragraph_format.line_spacing = BODY_LINE_SPACING
    paragraph.paragraph_format.widow_control = True
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    for run in runs:
        _run(paragraph, run.text, bold=run.bold, italic=run.italic, size=size)
    return paragraph


# --------------------------------------------------------------------------- Header, title


def add_header(doc: DocxDocument, header: DocumentHeader) -> DocxTable:
    """The two-column borderless header: issuing bodies | nation and motto; number | date."""
    text_width = _text_width(doc).cm
    left_width = round(text_width * HEADER_SPLIT, 2)
    widths = [Cm(left_width), Cm(text_width - left_width)]

    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _remove_borders(table)
    _set_widths(table, widths)
    _set_cell_margins(table, NO_MARGINS)
    left, right = table.rows[0].cells
    if header.parent_body:
        _paragraph(left, header.parent_body.upper(), size=13)
    _paragraph(left, header.issuer.upper(), bold=True, size=13)
    _short_rule(left, share=0.35, width_cm=left_width)
    _paragraph(right, NATION, bold=True, size=12.5)
    _paragraph(right, MOTTO, bold=True, size=13.5, underline=True)
    number, date = table.rows[1].cells
    _paragraph(number, header.number_line, size=13, before_pt=8)
    _paragraph(date, header.date_line, italic=True, before_pt=8)
    return table


def add_title(doc: DocxDocument, title: str, subtitle: str = "") -> None:
    """The title in bold capitals and the bold subject line, kept with what follows."""
    paragraph = _paragraph(doc, title.upper(), bold=True, before_pt=24)
    paragraph.paragraph_format.keep_with_next = True
    if subtitle:
        paragraph = _paragraph(doc, subtitle, bold=True)
        paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_after = Pt(12)


def _remove_borders(table: DocxTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _short_rule(cell: _Cell, share: float, width_cm: float) -> None:
    """A centred horizontal rule ``share`` of the cell wide: a bottom-bordered paragraph."""
    paragraph = cell.add_paragraph()
    side = Cm(width_cm * (1 - share) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.line_spacing = Pt(3)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": "6", "space": "1", "color": "000000"}.items():
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(
        border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"
    )


# --------------------------------------------------------------------------- Blocks


def add_block(doc: DocxDocument, block: Block) -> None:
    if isinstance(block, Heading):
        paragraph = _body_paragraph(doc, [Run(block.text, bold=True, italic=block.level >= 3)])
        paragraph.paragraph_format.keep_with_next = True
    elif isinstance(block, Paragraph):
        _body_paragraph(doc, block.parts, align=block.align, indent=block.indented)
    elif isinstance(block, ListBlock):
        for index, item in enumerate(block.items):
            _body_paragraph(doc, [Run(f"{block.marker_of(index)} {item}")])
    elif isinstance(block, Table):
        add_table(doc, block)
    elif isinstance(block, Note):
        _body_paragraph(doc, [Run(block.text, italic=True)], indent=False, size=NOTE_PT)
    elif isinstance(block, Chart):
        add_chart(doc, block)
    elif isinstance(block, PageBreak):
        add_page_break(doc)
    else:
        raise TypeError(f"Not a document block: {block!r}")


def add_page_break(doc: DocxDocument) -> None:
    """An empty paragraph of no height that starts a new page: nothing is left to show
    at the top of the new page, as with the PDF's ``break-before: page``."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.page_break_before = True
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.space_after = Pt(0)


def add_chart(doc: DocxDocument, chart: Chart) -> None:
    """The chart's title, as the PDF's caption; the drawing itself is in the PDF only.

    Turning SVG into a picture Word shows needs a rasteriser the server does not have.
    """
    _paragraph(doc, chart.title, italic=True, size=CAPTION_PT, before_pt=6, after_pt=10)


# --------------------------------------------------------------------------- Tables


def add_table(doc: DocxDocument, table: Table) -> DocxTable:
    """A bordered 12 pt table laid out like the PDF's.

    Column widths are the columns' shares of the text width; the header rows are bold,
    centred and repeated on every page; no row splits across pages; group rows are
    merged across the table and bold, total rows bold; cells aligned per column.
    """
    if table.caption:
        caption = _paragraph(doc, table.caption, bold=True, before_pt=6)
        caption.paragraph_format.keep_with_next = True
    head = table.head_rows()
    grid = doc.add_table(rows=len(head), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(grid, column_widths(table, _text_width(doc)))
    _set_cell_margins(grid)

    for row in grid.rows:
        _mark_row(row, header=True)
    for index, column, cell in table.placed_head():
        target = grid.cell(index, column)
        last = grid.cell(index + cell.rowspan - 1, column + cell.colspan - 1)
        if last._tc is not target._tc:
            target = target.merge(last)
        _cell_text(target, cell.text, bold=True, align="center", keep=True)

    # Rows are added one by one (each takes the grid's widths): looking cells up by
    # position in a finished table costs a walk of the whole table per cell.
    for row in table.rows:
        added = grid.add_row()
        _mark_row(added)
        cells = added.cells
        if row.kind == "group":
            merged = cells[0].merge(cells[-1])
            _cell_text(merged, row.cells[0] if row.cells else "", bold=True, keep=True)
            continue
        for cell, text, spec in zip(cells, table.cells_of(row), table.columns, strict=True):
            _cell_text(cell, text, bold=row.kind == "total", align=spec.align)

    # Word joins adjacent tables; a small paragraph keeps them apart and gives the
    # table the space below it the PDF gives.
    _paragraph(doc, size=6, after_pt=4)
    return grid


def column_widths(table: Table, text_width: int) -> list[Emu]:
    """The columns' shares of ``text_width``, each at least as wide as its longest word.

    Word cuts a word that does not fit a fixed-width column; the PDF's automatic table
    layout widens the column instead. So do we: a column too narrow for its longest word
    gets that word's width, and the others share what is left in their proportions.
    """
    shares = table.shares()
    padding = Pt((CELL_MARGINS_TWIPS["left"] + CELL_MARGINS_TWIPS["right"]) / 20 + 3)
    minimum = [Pt(width) + padding for width in _longest_words(table)]
    fixed: dict[int, float] = {}
    while True:
        free = [index for index in range(len(shares)) if index not in fixed]
        left = text_width - sum(fixed.values())
        total = sum(shares[index] for index in free)
        proposed = {index: left * shares[index] / total if total else 0 for index in free}
        narrow = [index for index in free if proposed[index] < minimum[index]]
        if not narrow:
            widths = [fixed.get(index, proposed.get(index)) for index in range(len(shares))]
            break
        if len(narrow) == len(free):
            # Not even the words fit: the table gets wider than the page, as in the PDF.
            widths = minimum
            break
        fixed.update((index, minimum[index]) for index in narrow)
    return [Emu(int(width)) for width in widths]


def _longest_words(table: Table) -> list[float]:
    """Per column, the width in points of its widest word (headers bold, 12 pt)."""
    widest = [0.0] * len(table.columns)
    for _row, column, cell in table.placed_head():
        if cell.colspan == 1:
            widest[column] = max(widest[column], _widest_word(cell.text, bold=True))
    for row in table.rows:
        if row.kind == "group":
            continue
        for column, text in enumerate(table.cells_of(row)):
            widest[column] = max(widest[column], _widest_word(text, bold=row.kind == "total"))
    return widest


def _widest_word(text: str, *, bold: bool) -> float:
    return max((_word_width(word, bold) for word in text.split()), default=0.0) * TABLE_PT


@cache
def _word_width(word: str, bold: bool) -> float:
    """A word's width in ems of the table font."""
    font = _measuring_font(bold)
    if font is None:
        return len(word) * FALLBACK_EM_PER_CHAR
    return font.getlength(word) / 1000


@cache
def _measuring_font(bold: bool):
    for name in FONT_FILES[bold]:
        try:
            return ImageFont.truetype(name, 1000)
        except OSError:
            continue
    return None


def _cell_text(cell: _Cell, text: str, *, bold=False, align="left", keep=False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = _paragraph(cell, text, bold=bold, size=TABLE_PT, align=align)
    paragraph.paragraph_format.keep_with_next = keep or None


def _mark_row(row, *, header: bool = False) -> None:
    """Rows never split across pages; header rows repeat on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _set_widths(table: DocxTable, widths) -> None:
    """Fixed layout, the table's width, every grid column's and every cell's width."""
    table.autofit = False
    properties = table._tbl.tblPr
    total = properties.find(qn("w:tblW"))
    if total is None:
        total = OxmlElement("w:tblW")
        properties.insert_element_before(
            total, "w:jc", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar"
        )
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(sum(Emu(width).twips for width in widths)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _set_cell_margins(table: DocxTable, margins_twips: dict[str, int] = CELL_MARGINS_TWIPS) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, twips in margins_twips.items():
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")


# --------------------------------------------------------------------------- Signatures


def add_signatures(
    doc: DocxDocument, blocks: list[SignatureBlock], recipients: list[str] | None = None
) -> DocxTable:
    """Signature blocks two per row in a borderless table, recipients bottom left.

    Each pair takes two table rows, capacity and title above, space and name below, so
    the names line up even when one signer has more title lines; the titles are kept
    with the names, and no row splits. ``recipients`` are the lines of
    ``recipient_lines``; the layout is ``signature_rows``, as in the PDF.
    """
    layout = signature_rows(blocks, recipients)
    table = doc.add_table(rows=sum(2 if row.signed else 1 for row in layout), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _remove_borders(table)
    half = Emu(int(_text_width(doc) / 2))
    _set_widths(table, [half, half])
    _set_cell_margins(table, NO_MARGINS)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    index = 0
    for row in layout:
        for column, content in enumerate(row.cells):
            cell = table.cell(index, column)
            if content.block:
                block = content.block
                if block.capacity:
                    _paragraph(cell, block.capacity.upper(), bold=True)
                if block.title:
                    _paragraph(cell, block.title.upper(), bold=True)
                if block.unit:
                    _paragraph(cell, block.unit, bold=True)
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
                name = _paragraph(table.cell(index + 1, column), block.name, bold=True)
                name.paragraph_format.space_before = Cm(SIGNATURE_SPACE_CM)
                name.paragraph_format.space_after = Pt(12)
            else:
                if row.signed:
                    cell = cell.merge(table.cell(index + 1, column))
                if content.recipients:
                    add_recipients(cell, content.recipients)
        index += 2 if row.signed else 1
    return table


def add_recipients(container, lines: list[str], *, before_pt: float = 0) -> None:
    """``Nơi nhận:`` (small, bold italic) and its lines, in a cell or the document."""
    _paragraph(
        container, "Nơi nhận:", bold=True, italic=True, size=12, align="left", before_pt=before_pt
    )
    for line in lines:
        _paragraph(container, line, size=11, align="left")


def _keep_with_next(elements) -> None:
    """Keep every paragraph among ``elements`` (tables row by row) with what follows."""
    for element in elements:
        for paragraph in element.iter(qn("w:p")):
            DocxParagraph(paragraph, None).paragraph_format.keep_with_next = True


def _content(doc: DocxDocument) -> list:
    """The body's paragraphs and tables (not the section properties at its end)."""
    return [element for element in doc.element.body if element.tag != qn("w:sectPr")]
