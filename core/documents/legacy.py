"""The official-document layer: PDF (WeasyPrint) and DOCX (python-docx) in the layout of
Decree 30/2020/NĐ-CP, Appendix I.

Every printed document of the product builds on this module: a ``DocumentHeader`` and a
list of ``SignatureBlock`` go into ``templates/documents/base.html`` (rendered by
``render_pdf``) or into the ``new_docx`` / ``add_*`` helpers, so PDF and Word versions share
one layout. Nothing here queries the database or writes files; WeasyPrint and python-docx
are imported inside the functions that need them, so importing this module stays cheap.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from core.templatetags.thidua import vn_long_date

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

PRINT_CSS = "css/print.css"

# Type codes of Decree 30 used by the product (the part before the issuer's code).
TYPE_CODES = {
    "QĐ": "Quyết định",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
}

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# What an official writes the number and the date into by hand.
BLANK_NUMBER = "   "
BLANK_NUMBER_LINE = "Số:      /"
BLANK = "......"


def format_document_number(number: int | None, type_code: str, issuer_code: str) -> str:
    """``05/BB-CTĐ``: numbers below 10 take a leading zero; ``None`` leaves a blank."""
    prefix = BLANK_NUMBER if number is None else f"{number:02d}"
    return f"{prefix}/{type_code}-{issuer_code}"


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

    @classmethod
    def for_cluster(
        cls, cluster, *, number: str = "", date: datetime.date | None = None
    ) -> DocumentHeader:
        """The header of a document a cluster issues under its organizing body.

        Reads ``cluster.body``: select it with the cluster to avoid a query.
        """
        return cls(
            parent_body=cluster.body.name,
            issuer=cluster.name,
            number=number,
            place=cluster.body.place,
            date=date,
        )

    @property
    def number_line(self) -> str:
        """``Số: 05/BB-CTĐ``, or ``Số:      /`` to be numbered by hand."""
        return f"Số: {self.number}" if self.number else BLANK_NUMBER_LINE

    @property
    def date_line(self) -> str:
        """``Bắc Kạn, ngày 07 tháng 02 năm 2023`` (dots where nothing is known yet)."""
        if self.date:
            when = vn_long_date(self.date)
            return f"{self.place}, {when}" if self.place else when
        return f"{self.place or BLANK}, ngày {BLANK} tháng {BLANK} năm {BLANK}"


@dataclass
class SignatureBlock:
    """One signer: ``TM. CỤM THI ĐUA`` / ``CỤM TRƯỞNG`` / (signature) / the name."""

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

    With an even number of signers the recipients get a row of their own. The PDF and
    the DOCX signature tables are both laid out from this.
    """
    cells = [SignatureCell(block=block) for block in blocks]
    if len(cells) % 2:
        cells.insert(len(cells) - 1, SignatureCell(recipients=recipients or None))
    elif recipients:
        cells += [SignatureCell(recipients=recipients), SignatureCell()]
    return [SignatureRow(cells[index], cells[index + 1]) for index in range(0, len(cells), 2)]


# --------------------------------------------------------------------------- PDF


def _allowed_roots() -> list[Path]:
    """Folders a document may embed files from: static files and uploaded media."""
    roots = [settings.STATIC_ROOT, settings.MEDIA_ROOT]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(entry[1] if isinstance(entry, tuple | list) else entry)
    return [Path(root).resolve() for root in roots if root]


def local_url_fetcher():
    """A WeasyPrint URL fetcher that never opens a network connection.

    Only ``data:`` URLs and ``file:`` URLs inside the static and media folders are
    fetched; anything else (http, https, ftp, ``file:///etc/…``) raises ``ValueError``,
    which WeasyPrint reports as a warning and skips, so a URL a user typed into a
    document can neither make the server send a request nor embed a server file.
    """
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    roots = _allowed_roots()

    class LocalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                resolved = Path(url2pathname(urlsplit(url).path)).resolve()
                if not any(resolved.is_relative_to(root) for root in roots):
                    raise ValueError(f"Refusing to read a file outside static/media: {url}")
            elif scheme != "data":
                raise ValueError(f"Refusing to fetch a non-local URL: {url}")
            return super().fetch(url, headers)

    return LocalURLFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a document template (usually extending ``documents/base.html``) to PDF.

    Needs no request, so it runs in views, tests and Celery tasks alike. The template is
    rendered in Vietnamese whatever language is active: official documents are. Adds
    ``signature_rows`` (from ``signatures`` and ``recipients``) to the context for
    ``documents/_signatures.html``. Reads the template and ``static/css/print.css`` from
    disk; fetches nothing over a network.
    """
    from weasyprint import CSS, HTML

    rows = signature_rows(context.get("signatures") or [], context.get("recipients"))
    with translation.override("vi"):
        html = render_to_string(template_name, {"signature_rows": rows, **context})
    fetcher = local_url_fetcher()
    stylesheet = CSS(filename=finders.find(PRINT_CSS), url_fetcher=fetcher)
    document = HTML(string=html, base_url=f"{settings.BASE_DIR}/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


# --------------------------------------------------------------------------- DOCX

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
HEADER_SPLIT = 0.4  # share of the text width taken by the issuer's column
SIGNATURE_SPACE_CM = 2.5
_ALIGN = {"left": "LEFT", "center": "CENTER", "right": "RIGHT", "justify": "JUSTIFY"}


def _set_fonts(rpr_parent, name: str = FONT) -> None:
    """Name the font in every slot (ascii, hAnsi, East Asian, complex) of a run or style.

    The theme attributes are removed too: Word lets them win over the named font.
    """
    _name_fonts(rpr_parent.get_or_add_rPr().get_or_add_rFonts(), name)


def _name_fonts(fonts, name: str = FONT) -> None:
    from docx.oxml.ns import qn

    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), name)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


def _run(paragraph: Paragraph, text: str, *, bold=False, italic=False, size=None, underline=False):
    from docx.shared import Pt

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
    after_pt: float = 0,
    reuse_first: bool = True,
) -> Paragraph:
    """A paragraph in a document or a table cell; a fresh cell's empty paragraph is reused."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraphs = getattr(container, "paragraphs", [])
    if (
        reuse_first
        and hasattr(container, "_tc")
        and len(paragraphs) == 1
        and not paragraphs[0].text
        and not paragraphs[0].runs
    ):
        paragraph = paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, _ALIGN[align])
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after_pt)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)
    return paragraph


def _text_width_cm(doc: DocxDocument) -> float:
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def _set_widths(table: Table, widths_cm: list[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _remove_borders(table: Table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _short_rule(cell: _Cell, share: float, width_cm: float) -> None:
    """A centred horizontal rule ``share`` of the cell wide: a bottom-bordered paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph = _paragraph(cell, reuse_first=False)
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


def _add_page_number_header(section) -> None:
    """Page numbers centred at the top, from page 2 (the first page's header is empty)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    _paragraph_align(paragraph, "center")
    # A complex field: begin, the instruction, separate, a cached value, end.
    for part in ("begin", " PAGE ", "separate", "2", "end"):
        run = paragraph.add_run()
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


def _paragraph_align(paragraph: Paragraph, align: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, _ALIGN[align])


def new_docx(
    *, header: DocumentHeader, title: str, subtitle: str = "", landscape: bool = False
) -> DocxDocument:
    """A Word document with the page set-up, styles and header of an official document.

    A4 (landscape for wide tables), margins 20/20/30/15 mm, Times New Roman 14 pt, the
    two-column header, the number and date line, then the title and subtitle. Add the
    body with ``add_heading_line``, ``add_paragraph`` and ``add_table``, finish with
    ``add_signatures`` and serialize with ``docx_bytes``.
    """
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

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

    # Defaults for everything, then the Normal style: no theme fonts, no spacing.
    default_fonts = doc.styles.element.find(
        "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:rFonts"))
    )
    if default_fonts is not None:
        _name_fonts(default_fonts)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    text_width = _text_width_cm(doc)
    left_width = round(text_width * HEADER_SPLIT, 2)
    widths = [left_width, round(text_width - left_width, 2)]

    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _remove_borders(table)
    _set_widths(table, widths)
    left, right = table.rows[0].cells
    if header.parent_body:
        _paragraph(left, header.parent_body.upper(), size=13)
    _paragraph(left, header.issuer.upper(), bold=True, size=13)
    _short_rule(left, share=0.35, width_cm=widths[0])
    _paragraph(right, NATION, bold=True, size=12.5)
    _paragraph(right, MOTTO, bold=True, size=13.5, underline=True)
    number, date = table.rows[1].cells
    _paragraph(number, header.number_line, size=13).paragraph_format.space_before = Pt(6)
    _paragraph(date, header.date_line, italic=True).paragraph_format.space_before = Pt(6)

    title_paragraph = _paragraph(doc, title.upper(), bold=True)
    title_paragraph.paragraph_format.space_before = Pt(18)
    title_paragraph.paragraph_format.keep_with_next = True
    if subtitle:
        _paragraph(doc, subtitle, bold=True).paragraph_format.keep_with_next = True
    _paragraph(doc, after_pt=6)

    _add_page_number_header(section)
    return doc


def add_heading_line(doc: DocxDocument, text: str) -> Paragraph:
    """A bold section heading such as ``I. THÀNH PHẦN THAM DỰ``, kept with what follows."""
    paragraph = add_paragraph(doc, text, bold=True)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_paragraph(
    doc: DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "justify",
    indent_first_line: bool = True,
) -> Paragraph:
    """A body paragraph: justified, first line indented 1 cm, 6 pt after."""
    from docx.shared import Cm

    paragraph = _paragraph(doc, text, bold=bold, italic=italic, align=align, after_pt=6)
    paragraph.paragraph_format.line_spacing = 1.15
    if indent_first_line:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def add_table(
    doc: DocxDocument,
    headers: list[str],
    rows: list[list[str]],
    *,
    widths_cm: list[float] | None = None,
    numeric_columns: set[int] = frozenset(),
) -> Table:
    """A bordered 12 pt table; its bold, centred header row repeats on every page.

    Cells take the strings as given (format numbers first, e.g. with the ``number``
    filter's ``formats.number_format``); ``numeric_columns`` are right-aligned.
    """
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths_cm:
        _set_widths(table, widths_cm)
    for index, row in enumerate(table.rows):
        row_pr = row._tr.get_or_add_trPr()
        row_pr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            row_pr.append(repeat)
        texts = headers if index == 0 else rows[index - 1]
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=False)):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if index == 0:
                align = "center"
            elif column in numeric_columns:
                align = "right"
            else:
                align = "left"
            _paragraph(cell, str(text), bold=index == 0, size=TABLE_PT, align=align)
    _paragraph(doc, after_pt=6)
    return table


def add_recipients(doc, lines: list[str]) -> None:
    """``Nơi nhận:`` and its ``- …;`` lines (the last ends with a full stop).

    ``doc`` is a document or a table cell; ``add_signatures(…, recipients=…)`` puts them
    in the bottom-left cell of the signature table, where Decree 30 wants them.
    """
    _paragraph(doc, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    for index, line in enumerate(lines):
        end = "." if index == len(lines) - 1 else ";"
        _paragraph(doc, f"- {line.rstrip(' ;.')}{end}", size=11, align="left")


def add_signatures(
    doc: DocxDocument, blocks: list[SignatureBlock], *, recipients: list[str] | None = None
) -> Table:
    """Signature blocks two per row in a borderless table, recipients bottom left.

    Each pair takes two table rows, capacity and title above, space and name below, so
    the names line up even when one signer has more title lines. With an odd number of
    blocks the recipients sit left of the last signer; otherwise in a row of their own.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    layout = signature_rows(blocks, recipients)
    table = doc.add_table(rows=sum(2 if row.signed else 1 for row in layout), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _remove_borders(table)
    half = _text_width_cm(doc) / 2
    _set_widths(table, [half, half])
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
                _paragraph(cell, block.title.upper(), bold=True)
                if block.unit:
                    _paragraph(cell, block.unit, bold=True)
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
                names = table.cell(index + 1, column)
                _paragraph(names).paragraph_format.space_after = Cm(SIGNATURE_SPACE_CM)
                _paragraph(names, block.name, bold=True, after_pt=12)
            else:
                if row.signed:
                    cell = cell.merge(table.cell(index + 1, column))
                if content.recipients:
                    add_recipients(cell, content.recipients)
        index += 2 if row.signed else 1
    return table


def docx_bytes(doc: DocxDocument) -> bytes:
    """The ``.docx`` file's bytes, e.g. for an ``HttpResponse`` or a ``FileField``."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- Sample

SAMPLE_UNITS = [
    ("Thành phố Bắc Kạn", 18568, Decimal("952.50"), Decimal("948.00")),
    ("Huyện Ba Bể", 12340, Decimal("941.00"), Decimal("936.25")),
    ("Huyện Bạch Thông", 9875, Decimal("938.75"), Decimal("935.50")),
    ("Huyện Chợ Đồn", 14102, Decimal("945.25"), Decimal("940.00")),
    ("Huyện Chợ Mới", 10233, Decimal("936.00"), Decimal("931.75")),
    ("Huyện Na Rì", 11987, Decimal("949.50"), Decimal("946.50")),
    ("Huyện Ngân Sơn", 8456, Decimal("930.25"), Decimal("927.00")),
    ("Huyện Pác Nặm", 7312, Decimal("928.00"), Decimal("925.25")),
]


@dataclass
class _SampleRow:
    index: int
    unit: str
    participants: int
    self_score: Decimal
    cluster_score: Decimal


def sample_context(rows: int = 8) -> dict:
    """Context of ``documents/sample.html``: minutes of a cluster's annual conference.

    ``rows`` table rows cycle through the eight member units, so a test can make the
    document as long as it needs (about 36 rows fill a page).
    """
    table = [
        _SampleRow(index + 1, *SAMPLE_UNITS[index % len(SAMPLE_UNITS)]) for index in range(rows)
    ]
    return {
        "header": DocumentHeader(
            parent_body="UBND tỉnh Bắc Kạn",
            issuer="Cụm thi đua các huyện, thành phố",
            number=format_document_number(5, "BB", "CTĐ"),
            place="Bắc Kạn",
            date=datetime.date(2023, 2, 7),
        ),
        "rows": table,
        "signatures": [
            SignatureBlock(title="Thư ký", name="Nông Thị Hà"),
            SignatureBlock(capacity="TM. Cụm thi đua", title="Cụm trưởng", name="Dương Hữu Bường"),
        ],
        "recipients": [
            "Các đơn vị thành viên Cụm",
            "Ban Thi đua - Khen thưởng tỉnh",
            "Lưu: VT",
        ],
    }
