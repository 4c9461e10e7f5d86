"""The official-document layer: real WeasyPrint PDFs read back with poppler, real DOCX files.

No test here touches the database: pytest-django blocks it, so rendering a document
would fail if a template queried.
"""

import datetime
import io
import os
import socketserver
import subprocess
import sys
import threading

import docx
import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.utils import translation
from docx.shared import Mm

from core.documents import (
    DocumentHeader,
    SignatureBlock,
    add_heading_line,
    add_paragraph,
    add_signatures,
    add_table,
    docx_bytes,
    format_document_number,
    local_url_fetcher,
    new_docx,
    render_pdf,
    sample_context,
    signature_rows,
)

MEMBER_UNITS = [
    "Thành phố Bắc Kạn",
    "Huyện Ba Bể",
    "Huyện Bạch Thông",
    "Huyện Chợ Đồn",
    "Huyện Chợ Mới",
    "Huyện Na Rì",
    "Huyện Ngân Sơn",
    "Huyện Pác Nặm",
]
KEY_STRINGS = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 05/BB-CTĐ",
    "Bắc Kạn, ngày 07 tháng 02 năm 2023",
    "Dương Hữu Bường",
    "Nông Văn Nguyên",
    "18.568",
    "Nơi nhận:",
]
MM = 36_000  # EMU


def _write_pdf(directory, name: str, pdf: bytes):
    path = directory / name
    path.write_bytes(pdf)
    return path


def _pdftotext(path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _words(text: str) -> str:
    """Text with runs of spaces collapsed: justified lines come out widely spaced."""
    return " ".join(text.split())


def _page_count(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    pdf = render_pdf("documents/sample.html", sample_context())
    return _write_pdf(tmp_path_factory.mktemp("documents"), "sample.pdf", pdf)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    pdf = render_pdf("documents/sample.html", sample_context(rows=90))
    return _write_pdf(tmp_path_factory.mktemp("documents"), "long.pdf", pdf)


# --------------------------------------------------------------------------- numbers, dates


def test_importing_the_module_loads_neither_weasyprint_nor_python_docx():
    code = (
        "import sys, django; django.setup(); import core.documents; "
        "print(sorted({'weasyprint', 'docx'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=django_settings.BASE_DIR,
    )
    assert result.stdout.strip() == "[]"


def test_document_number_below_ten_gets_a_leading_zero():
    assert format_document_number(5, "BB", "CTĐ") == "05/BB-CTĐ"


def test_document_number_of_ten_or_more_is_printed_as_is():
    assert format_document_number(12, "BB", "CTĐ") == "12/BB-CTĐ"
    assert format_document_number(125, "QĐ", "UBND") == "125/QĐ-UBND"


def test_document_number_none_leaves_a_blank_to_fill_by_hand():
    assert format_document_number(None, "BB", "CTĐ") == "   /BB-CTĐ"


def test_number_line_prefixes_so_or_leaves_a_blank():
    assert DocumentHeader("", "CỤM", number="05/BB-CTĐ").number_line == "Số: 05/BB-CTĐ"
    assert DocumentHeader("", "CỤM").number_line == "Số:      /"


def test_date_line_pads_the_day_but_not_months_from_march():
    header = DocumentHeader("", "CỤM", place="Bắc Kạn", date=datetime.date(2023, 3, 5))
    assert header.date_line == "Bắc Kạn, ngày 05 tháng 3 năm 2023"


def test_date_line_pads_january_and_february():
    header = DocumentHeader("", "CỤM", place="Bắc Kạn", date=datetime.date(2023, 1, 20))
    assert header.date_line == "Bắc Kạn, ngày 20 tháng 01 năm 2023"
    header.date = datetime.date(2023, 2, 7)
    assert header.date_line == "Bắc Kạn, ngày 07 tháng 02 năm 2023"
    header.date = datetime.date(2023, 12, 31)
    assert header.date_line == "Bắc Kạn, ngày 31 tháng 12 năm 2023"


def test_date_line_without_a_date_leaves_blanks_after_the_place():
    header = DocumentHeader("", "CỤM", place="Bắc Kạn")
    assert header.date_line == "Bắc Kạn, ngày ...... tháng ...... năm ......"
    assert DocumentHeader("", "CỤM").date_line == "......, ngày ...... tháng ...... năm ......"


# --------------------------------------------------------------------------- signature layout


def test_a_lone_last_signer_goes_right_with_the_recipients_on_its_left():
    chair = SignatureBlock(capacity="TM. Cụm thi đua", title="Cụm trưởng", name="A")
    rows = signature_rows([chair], ["Lưu: VT"])
    assert len(rows) == 1
    assert rows[0].left.recipients == ["Lưu: VT"]
    assert rows[0].right.block is chair

    first, second, third = (SignatureBlock(title=f"T{i}") for i in range(3))
    rows = signature_rows([first, second, third], ["Lưu: VT"])
    assert [(row.left.block, row.right.block) for row in rows] == [
        (first, second),
        (None, third),
    ]
    assert rows[1].left.recipients == ["Lưu: VT"]


def test_recipients_get_a_row_of_their_own_after_an_even_number_of_signers():
    secretary, chair = SignatureBlock(title="Thư ký"), SignatureBlock(title="Cụm trưởng")
    rows = signature_rows([secretary, chair], ["Lưu: VT"])
    assert [(row.left.block, row.right.block) for row in rows] == [
        (secretary, chair),
        (None, None),
    ]
    assert rows[1].left.recipients == ["Lưu: VT"]
    assert [row.signed for row in rows] == [True, False]
    assert len(signature_rows([secretary, chair])) == 1


# --------------------------------------------------------------------------- PDF


def test_sample_pdf_prints_the_official_header_body_table_and_recipients(sample_pdf):
    text = _words(_pdftotext(sample_pdf))
    for expected in [*KEY_STRINGS, *MEMBER_UNITS, "UBND TỈNH BẮC KẠN", "952,50"]:
        assert expected in text, expected
    assert "BIÊN BẢN HỘI NGHỊ" in text
    assert "- Lưu: VT." in text
    assert "- Các đơn vị thành viên Cụm;" in text


def test_sample_pdf_prints_the_two_header_columns_side_by_side(sample_pdf):
    lines = _pdftotext(sample_pdf, page=1).splitlines()
    first = next(line for line in lines if line.strip())
    assert _words(first) == "UBND TỈNH BẮC KẠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    number_line = next(line for line in lines if "Số: 05/BB-CTĐ" in line)
    assert "Bắc Kạn, ngày 07 tháng 02 năm 2023" in _words(number_line)


def test_sample_pdf_embeds_only_fonts_that_cover_vietnamese(sample_pdf):
    output = subprocess.run(
        ["pdffonts", str(sample_pdf)], check=True, capture_output=True, text=True
    ).stdout
    names = [line.split()[0] for line in output.splitlines()[2:] if line.strip()]
    assert names
    for name in names:
        assert "Tinos" in name or "LiberationSerif" in name, name
        assert "DejaVu" not in name, name


def test_pages_are_numbered_at_the_top_from_page_two(long_pdf):
    assert _page_count(long_pdf) >= 3
    first_page = [line.strip() for line in _pdftotext(long_pdf, page=1).splitlines()]
    assert not any(line.isdigit() for line in first_page if line)
    assert next(line for line in first_page if line).startswith("UBND TỈNH BẮC KẠN")
    for page in (2, 3):
        lines = [line.strip() for line in _pdftotext(long_pdf, page=page).splitlines()]
        assert next(line for line in lines if line) == str(page)


def test_the_table_header_row_repeats_on_every_page_of_the_table(long_pdf):
    for page in (1, 2, 3):
        text = _pdftotext(long_pdf, page=page)
        assert text.count("STT") == 1, page
        assert "Điểm tự chấm" in text, page
    second_page = _pdftotext(long_pdf, page=2)
    assert second_page.index("STT") < second_page.index("Huyện")


def test_documents_are_printed_in_vietnamese_whatever_language_is_active(tmp_path):
    with translation.override("en"):
        pdf = render_pdf("documents/sample.html", sample_context())
    text = _words(_pdftotext(_write_pdf(tmp_path, "en.pdf", pdf)))
    assert "18.568" in text
    assert "952,50" in text


def test_landscape_documents_use_a4_landscape_pages(tmp_path):
    context = {**sample_context(), "landscape": True}
    path = _write_pdf(tmp_path, "wide.pdf", render_pdf("documents/sample.html", context))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert "841.89 x 595.276 pts (A4)" in info.stdout


class _CountingServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.connections = 0

        class Handler(socketserver.BaseRequestHandler):
            def handle(handler):
                self.connections += 1

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def listening_server():
    """A local server that only counts the connections it receives."""
    server = _CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_render_pdf_never_fetches_a_url_a_user_typed_into_a_document(
    tmp_path, settings, listening_server
):
    (tmp_path / "documents_test").mkdir()
    (tmp_path / "documents_test" / "image.html").write_text(
        '{% extends "documents/base.html" %}{% block title %}Thông báo{% endblock %}'
        '{% block body %}<p>Ảnh:</p>{% for url in urls %}<img src="{{ url }}" alt="">'
        "{% endfor %}<p>Hết.</p>{% endblock %}",
        encoding="utf-8",
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    port = listening_server.server_address[1]
    context = {
        "header": DocumentHeader("UBND tỉnh Bắc Kạn", "Cụm thi đua", place="Bắc Kạn"),
        "urls": [f"http://127.0.0.1:{port}/logo.png", f"https://127.0.0.1:{port}/logo.png"],
    }

    pdf = render_pdf("documents_test/image.html", context)

    assert listening_server.connections == 0
    text = _words(_pdftotext(_write_pdf(tmp_path, "image.pdf", pdf)))
    assert "THÔNG BÁO" in text
    assert "Hết." in text


def test_the_url_fetcher_reads_static_files_but_nothing_else(tmp_path):
    fetcher = local_url_fetcher()
    stylesheet = finders.find("css/print.css")
    response = fetcher.fetch(f"file://{stylesheet}")
    assert b"@page" in response.read()
    response.close()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in [
        f"file://{outside}",
        "file:///etc/passwd",
        f"file://{stylesheet}/../../../../../etc/passwd",
        "http://example.invalid/a.png",
        "https://example.invalid/a.png",
        "ftp://example.invalid/a.png",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --------------------------------------------------------------------------- DOCX


@pytest.fixture(scope="module")
def sample_docx_file():
    context = sample_context()
    doc = new_docx(
        header=context["header"],
        title="Biên bản hội nghị",
        subtitle="Tổng kết công tác thi đua, khen thưởng năm 2022",
    )
    add_heading_line(doc, "I. THÀNH PHẦN THAM DỰ")
    add_paragraph(doc, "Đồng chí Dương Hữu Bường, Cụm trưởng; Đồng chí Nông Văn Nguyên, Cụm phó.")
    add_table(
        doc,
        ["STT", "Đơn vị", "Số người tham gia", "Điểm tự chấm"],
        [[str(row.index), row.unit, "18.568", "952,50"] for row in context["rows"]],
        widths_cm=[1.5, 7, 4, 4],
        numeric_columns={2, 3},
    )
    add_signatures(doc, context["signatures"], recipients=context["recipients"])
    return docx.Document(io.BytesIO(docx_bytes(doc)))


def _all_docx_text(document) -> str:
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.append(cell.text)
    return "\n".join(texts)


def test_docx_contains_the_header_body_table_signatures_and_recipients(sample_docx_file):
    text = _all_docx_text(sample_docx_file)
    for expected in [*KEY_STRINGS, *MEMBER_UNITS, "UBND TỈNH BẮC KẠN", "BIÊN BẢN HỘI NGHỊ"]:
        assert expected in text, expected
    assert "CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ" in text
    assert "TM. CỤM THI ĐUA" in text
    assert "Nông Thị Hà" in text
    assert "- Lưu: VT." in text


def test_docx_page_is_a4_with_the_decree_margins(sample_docx_file):
    section = sample_docx_file.sections[0]
    expected = {
        "page_width": Mm(210),
        "page_height": Mm(297),
        "top_margin": Mm(20),
        "bottom_margin": Mm(20),
        "left_margin": Mm(30),
        "right_margin": Mm(15),
    }
    for attribute, value in expected.items():
        assert abs(getattr(section, attribute) - value) <= MM, attribute


def test_docx_body_is_times_new_roman_14pt_in_every_font_slot(sample_docx_file):
    normal = sample_docx_file.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert fonts.get(f"{namespace}eastAsia") == "Times New Roman"
    assert fonts.get(f"{namespace}hAnsi") == "Times New Roman"


def test_docx_header_table_underlines_the_motto_in_the_right_column(sample_docx_file):
    header = sample_docx_file.tables[0]
    left, right = header.rows[0].cells
    assert left.paragraphs[1].runs[0].bold
    assert left.paragraphs[1].text == "CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ"
    nation, motto = right.paragraphs[:2]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert nation.runs[0].bold
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.runs[0].bold and motto.runs[0].underline
    date = header.rows[1].cells[1].paragraphs[0]
    assert date.text == "Bắc Kạn, ngày 07 tháng 02 năm 2023"
    assert date.runs[0].italic


def test_docx_table_repeats_its_bold_header_row_and_right_aligns_numbers(sample_docx_file):
    table = sample_docx_file.tables[1]
    header_row = table.rows[0]
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert header_row._tr.trPr.find(f"{namespace}tblHeader") is not None
    assert all(cell.paragraphs[0].runs[0].bold for cell in header_row.cells)
    first = table.rows[1].cells
    assert first[1].text == "Thành phố Bắc Kạn"
    assert first[2].paragraphs[0].alignment == 2  # RIGHT
    assert first[1].paragraphs[0].alignment == 0  # LEFT


def test_docx_numbers_pages_at_the_top_from_page_two(sample_docx_file):
    section = sample_docx_file.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_docx_signatures_line_up_names_and_put_recipients_bottom_left(sample_docx_file):
    signatures = sample_docx_file.tables[-1]
    heads, names, recipients = signatures.rows
    assert [cell.text for cell in heads.cells] == ["THƯ KÝ", "TM. CỤM THI ĐUA\nCỤM TRƯỞNG"]
    assert [cell.text.strip() for cell in names.cells] == ["Nông Thị Hà", "Dương Hữu Bường"]
    assert recipients.cells[0].paragraphs[0].text == "Nơi nhận:"
    assert recipients.cells[0].paragraphs[0].runs[0].italic
    assert [p.text for p in recipients.cells[0].paragraphs[1:]] == [
        "- Các đơn vị thành viên Cụm;",
        "- Ban Thi đua - Khen thưởng tỉnh;",
        "- Lưu: VT.",
    ]
