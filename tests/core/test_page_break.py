"""A page break in a document: the PDF starts a new page, the Word file too, both
printing the header and title again when asked (a form printed once per voter), with
the same words in the same order; a form's header has no number line."""

import datetime
import io

import docx
from docx.oxml.ns import qn

from core.documents.docx import render_docx
from core.documents.model import Document, DocumentHeader, PageBreak, Paragraph
from core.documents.parity import assert_same_words, pdf_pages_text
from core.documents.pdf import render_pdf


def form(*, repeat_heading: bool, numbered: bool = True) -> Document:
    header = DocumentHeader(
        parent_body="UBND tỉnh Bắc Kạn",
        issuer="Cụm thi đua các huyện, thành phố",
        place="Bắc Kạn",
        date=datetime.date(2023, 2, 7),
        numbered=numbered,
    )
    document = Document(header=header, title="Phiếu bầu", subtitle="Suy tôn đơn vị")
    for copy in range(1, 4):
        if copy > 1:
            document.add(PageBreak(repeat_heading=repeat_heading))
        document.add(Paragraph(f"Bản số {copy}: đánh dấu vào ô đồng ý."))
    return document


def test_the_pdf_starts_a_page_at_each_break_and_repeats_the_heading_when_asked():
    pages = pdf_pages_text(render_pdf(form(repeat_heading=True, numbered=False)))
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
        assert "PHIẾU BẦU" in lines
        assert f"Bản số {number}: đánh dấu vào ô đồng ý." in lines
        assert not any(line.startswith("Số:") for line in lines)


def test_a_plain_break_starts_a_page_without_the_heading():
    pages = pdf_pages_text(render_pdf(form(repeat_heading=False)))
    assert len(pages) == 3
    assert "PHIẾU BẦU" in pages[0]
    assert "Số: /" in " ".join(pages[0].split())
    assert "PHIẾU BẦU" not in pages[1] + pages[2]
    assert "Bản số 2" in pages[1] and "Bản số 3" in pages[2]


def test_the_word_file_breaks_the_page_before_each_copy_and_repeats_the_header_table():
    document = docx.Document(io.BytesIO(render_docx(form(repeat_heading=True))))
    body = document.element.body
    page_break = f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}"
    breaks = [p for p in body.iter(qn("w:p")) if p.find(page_break) is not None]
    assert len(breaks) == 2
    assert len(document.tables) == 3  # the header, once per page
    titles = [p.text for p in document.paragraphs if p.text == "PHIẾU BẦU"]
    assert len(titles) == 3


def test_both_files_say_the_same_words_across_breaks():
    assert_same_words(form(repeat_heading=True))
    assert_same_words(form(repeat_heading=False, numbered=False))
