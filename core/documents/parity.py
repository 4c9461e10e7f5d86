"""Parity of the two renderers: the same words, in the same order, in the PDF and the DOCX.

For tests: every document has one, usually ``assert_same_words(some_document(obj=…))``.
The PDF is read with poppler's ``pdftotext -raw`` (content order, which is the order
WeasyPrint lays the HTML out in, table cells row by row like the Word file); the Word
file's paragraphs and table cells are read in body order. Whitespace, the page numbers
and a word split at a hyphen at the end of a line do not count; what the PDF alone
carries — table headers repeated on a new page, the labels inside a chart — is passed
as ``pdf_only`` and skipped where the Word file does not have it.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from core.documents.model import Chart, Document, Table


def pdf_pages_text(pdf_bytes: bytes) -> list[str]:
    """The text of each page of a PDF, in content order (``pdftotext -raw``)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(pdf_bytes)
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def pdf_words(pdf_bytes: bytes) -> list[str]:
    """The PDF's words, without the page numbers (the last line of pages 2 onwards)."""
    words: list[str] = []
    for number, page in enumerate(pdf_pages_text(pdf_bytes), start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        if number > 1 and lines and lines[-1].strip() == str(number):
            lines.pop()
        words.extend(normalise("\n".join(lines)))
    return _join_hyphenated(words)


def docx_words(docx_bytes: bytes) -> list[str]:
    """The Word file's words: body paragraphs and table cells, in order (not the header)."""
    body = docx.Document(io.BytesIO(docx_bytes)).element.body
    texts = [DocxParagraph(paragraph, None).text for paragraph in body.iter(qn("w:p"))]
    return _join_hyphenated(normalise("\n".join(texts)))


def normalise(text: str) -> list[str]:
    """Words split on whitespace, in NFKC (ligatures and composed diacritics alike)."""
    return unicodedata.normalize("NFKC", text).split()


def _join_hyphenated(words: list[str]) -> list[str]:
    """``đua-`` ``Khen`` → ``đua-Khen``: a line may break after a hyphen in one file only."""
    joined: list[str] = []
    for word in words:
        if joined and len(joined[-1]) > 1 and joined[-1].endswith("-"):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def document_words(
    pdf_bytes: bytes, docx_bytes: bytes, *, pdf_only: Iterable[list[str]] = ()
) -> tuple[list[str], list[str]]:
    """(PDF words, Word words), normalised, ready to compare.

    Each sequence in ``pdf_only`` is dropped from the PDF's words wherever it occurs and
    the Word file does not have it at the same point.
    """
    extras = [list(sequence) for sequence in pdf_only if sequence]
    in_pdf, in_docx = pdf_words(pdf_bytes), docx_words(docx_bytes)
    kept: list[str] = []
    index = position = 0
    while index < len(in_pdf):
        for extra in extras:
            end = index + len(extra)
            if in_pdf[index:end] == extra and in_docx[position : position + len(extra)] != extra:
                index = end
                break
        else:
            kept.append(in_pdf[index])
            if position < len(in_docx) and in_docx[position] == in_pdf[index]:
                position += 1
            index += 1
    return kept, in_docx


def pdf_only_words(document: Document) -> list[list[str]]:
    """What the PDF of ``document`` may print that its Word file does not."""
    extras = []
    for block in [*document.blocks, *document.closing]:
        if isinstance(block, Table):
            head = " ".join(cell.text for row in block.head_rows() for cell in row)
            extras.append(normalise(head))
        elif isinstance(block, Chart):
            extras.append(chart_words(block.svg))
    return extras


def chart_words(svg: str) -> list[str]:
    """The words drawn inside a chart (its labels), in the order they are drawn: the text
    of its ``<text>`` elements, not its stylesheet, ``<title>`` or ``<desc>``."""
    from core.documents.pdf import clean_svg

    root = etree.fromstring(str(clean_svg(svg)).encode())
    drawn = root.iter("{http://www.w3.org/2000/svg}text", "text")
    return normalise(" ".join(" ".join(element.itertext()) for element in drawn))


def assert_same_words(document: Document) -> tuple[bytes, bytes]:
    """Render ``document`` both ways and fail, showing where, unless the words match.

    Returns the (PDF, DOCX) bytes for further checks.
    """
    from core.documents.docx import render_docx
    from core.documents.pdf import render_pdf

    pdf_bytes, docx_bytes = render_pdf(document), render_docx(document)
    in_pdf, in_docx = document_words(pdf_bytes, docx_bytes, pdf_only=pdf_only_words(document))
    if in_pdf != in_docx:
        raise AssertionError(_difference(in_pdf, in_docx))
    return pdf_bytes, docx_bytes


def _difference(in_pdf: list[str], in_docx: list[str]) -> str:
    index = next(
        (i for i, (a, b) in enumerate(zip(in_pdf, in_docx, strict=False)) if a != b),
        min(len(in_pdf), len(in_docx)),
    )
    start = max(0, index - 8)
    return (
        f"The PDF and the Word file differ at word {index} "
        f"({len(in_pdf)} words in the PDF, {len(in_docx)} in the Word file):\n"
        f"  PDF:  … {' '.join(in_pdf[start : index + 12])}\n"
        f"  DOCX: … {' '.join(in_docx[start : index + 12])}"
    )
