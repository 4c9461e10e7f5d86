"""Reading what a report prints, in the PDF and in the Word file."""

from core.documents import render_docx, render_pdf
from core.documents.parity import docx_words, pdf_pages_text


def pdf_text(document) -> str:
    """The PDF's text with whitespace collapsed (lines joined), for phrase checks."""
    return " ".join(" ".join(pdf_pages_text(render_pdf(document))).split())


def docx_text(document) -> str:
    return " ".join(docx_words(render_docx(document)))
