"""Official documents: one model, two renderers.

Build a ``Document`` (``core.documents.model``) once and print it with ``render_pdf``
(WeasyPrint, ``core.documents.pdf``) or ``render_docx`` (python-docx,
``core.documents.docx``). The renderers load on first use, so importing this package
stays cheap for every module that only builds documents.
"""

from core.documents.legacy import (  # noqa: F401 (transitional re-export, goes with legacy)
    DocumentHeader,
    add_heading_line,
    add_paragraph,
    add_recipients,
    add_signatures,
    add_table,
    docx_bytes,
    new_docx,
    render_pdf_template,
    sample_context,
)
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
    HeadCell,
    Heading,
    ListBlock,
    Note,
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


def render_pdf(document, context: dict | None = None) -> bytes:
    """The PDF of a ``Document`` (see ``core.documents.pdf.render_pdf``).

    Transitional: ``render_pdf(template_name, context)`` still renders a legacy template;
    that form goes away with ``core.documents.legacy``.
    """
    if isinstance(document, str):
        return render_pdf_template(document, context or {})
    from core.documents.pdf import render_pdf as render

    return render(document)


def render_docx(document) -> bytes:
    """The Word file of a ``Document`` (see ``core.documents.docx.render_docx``)."""
    from core.documents.docx import render_docx as render

    return render(document)
