"""Official documents: one model, three renderers.

Build a ``Document`` (``core.documents.model``) once and print it with ``render_pdf``
(WeasyPrint, ``core.documents.pdf``) or ``render_docx`` (python-docx,
``core.documents.docx``), and give its tables as a workbook with ``render_xlsx``
(one sheet per table, ``core.documents.xlsx``). The renderers load on first use, so
importing this package stays cheap for every module that only builds documents.
"""

from core.documents.model import (  # noqa: F401 (the package's public names)
    BLANK,
    BLANK_NUMBER,
    BLANK_NUMBER_LINE,
    MOTTO,
    NATION,
    TYPE_CODES,
    Align,
    Block,
    Chart,
    Column,
    Document,
    DocumentHeader,
    HeadCell,
    Heading,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Row,
    Run,
    SignatureBlock,
    SignatureCell,
    SignatureRow,
    Table,
    format_document_number,
    recipient_lines,
    signature_rows,
    vn_long_date,
)


def render_pdf(document: Document) -> bytes:
    """The PDF of ``document`` (see ``core.documents.pdf.render_pdf``)."""
    from core.documents.pdf import render_pdf as render

    return render(document)


def render_docx(document: Document) -> bytes:
    """The Word file of ``document`` (see ``core.documents.docx.render_docx``)."""
    from core.documents.docx import render_docx as render

    return render(document)


def render_xlsx(document: Document) -> bytes:
    """The workbook of the document's tables (see ``core.documents.xlsx.render_xlsx``)."""
    from core.documents.xlsx import render_xlsx as render

    return render(document)
