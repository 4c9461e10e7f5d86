"""The two renderers: real WeasyPrint PDFs read back with poppler, real Word files read back
with python-docx, and the parity of their words.

No test here touches the database: pytest-django blocks it, so rendering a document
would fail if the renderers or their templates queried.
"""

import datetime
import io
import re
import socketserver
import subprocess
import threading

import docx
import pytest
from django.contrib.staticfiles import finders
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from core.documents.docx import render_docx
from core.documents.model import (
    Chart,
    Column,
    Document,
    DocumentHeader,
    Heading,
    ListBlock,
    Note,
    Paragraph,
    Row,
    Run,
    SignatureBlock,
    Table,
    format_document_number,
)
from core.documents.parity import assert_same_words, document_words, pdf_only_words
from core.documents.pdf import document_html, local_url_fetcher, render_pdf, write_pdf

MEMBERS = [
    "Nghĩa Hưng",
    "Xuân Trường",
    "Hải Hậu",
    "Giao Thủy",
    "Trực Ninh",
    "Nam Trực",
    "Vụ Bản",
    "Ý Yên",
    "Mỹ Lộc",
    "TP Nam Định",
]
FILLER = (
    "Các đơn vị thành viên đã bám sát nhiệm vụ chính trị được giao, tổ chức nhiều phong "
    "trào thi đua thiết thực, công tác khen thưởng bảo đảm kịp thời, đúng đối tượng."
)
CLOSING = "Trên đây là báo cáo tổng kết công tác thi đua năm 2023 của Cụm./."
CHART_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160" viewBox="0 0 400 160"'
    ' onload="alert(1)"><script>alert(1)</script>'
    '<rect x="40" y="20" width="60" height="110" fill="#333"/>'
    '<rect x="160" y="60" width="60" height="70" fill="#888"/>'
    '<text x="70" y="150" text-anchor="middle" font-size="12">Hải Hậu</text>'
    '<text x="190" y="150" text-anchor="middle" font-size="12">Ý Yên</text></svg>'
)
MM_IN_PT = 72 / 25.4
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _header() -> DocumentHeader:
    return DocumentHeader(
        parent_body="UBND tỉnh Nam Định",
        issuer="Cụm thi đua các huyện, thành phố",
        number=format_document_number(5, "BC", "CTĐ"),
        place="Nam Định",
        date=datetime.date(2023, 2, 7),
    )


def _signatures() -> list[SignatureBlock]:
    return [
        SignatureBlock(title="Thư ký", name="Nông Thị Hà"),
        SignatureBlock(
            capacity="TM. Cụm thi đua",
            title="Cụm trưởng",
            unit="Chủ tịch UBND huyện Hải Hậu",
            name="Dương Hữu Bường",
        ),
    ]


def _targets_table(rows: int = 6) -> Table:
    members = MEMBERS[:4]
    return Table(
        columns=[
            Column("STT", 0.6, "center"),
            Column("Chỉ tiêu", 3),
            Column("ĐVT", 0.8, "center"),
            *[Column(member, 1, "right") for member in members],
        ],
        header_groups=[("", 1), ("", 1), ("", 1), ("Đơn vị thành viên", len(members))],
        rows=[
            Row(["I. Kinh tế"], kind="group"),
            *[
                Row([str(n), f"Chỉ tiêu số {n} về phát triển", "%", "1.234,5", "98,5", "100", "7"])
                for n in range(1, rows + 1)
            ],
            Row(["", "Tổng cộng", "", "9.999", "1", "2", "3"], kind="total"),
        ],
        caption="Bảng 1. Kết quả thực hiện chỉ tiêu",
    )


def every_block(*, rows: int = 6) -> Document:
    """A report with every kind of block, the closing words and two signers."""
    document = Document(
        header=_header(),
        title="Báo cáo tổng kết công tác thi đua",
        subtitle="Năm 2023 của Cụm thi đua các huyện, thành phố",
    )
    document.add(
        Heading("I. KẾT QUẢ THỰC HIỆN"),
        Paragraph(FILLER),
        Paragraph(runs=[Run("Thời gian: ", bold=True), Run("08 giờ 00 phút, ngày 07/02/2023.")]),
        ListBlock(["Tổ chức Hội nghị ký kết giao ước", "Kiểm tra chéo giữa các đơn vị"]),
        ListBlock(["Bình xét thi đua", "Đề nghị khen thưởng"], ordered=True),
        Heading("1. Kết quả chấm điểm", level=2),
        _targets_table(rows),
        Note("Ghi chú: số liệu tính đến ngày 31 tháng 12 năm 2023."),
        Heading("2. Biểu đồ", level=3),
        Chart("Biểu đồ 1. Tổng điểm của các đơn vị", CHART_SVG),
    )
    document.closing = [Paragraph(CLOSING)]
    document.signatures = _signatures()
    document.recipients = ["Các đơn vị thành viên Cụm", "Ban Thi đua - Khen thưởng tỉnh", "Lưu: VT"]
    return document


def wide_table() -> Document:
    """Twelve columns: ten members with long short names, on a portrait page."""
    document = Document(header=_header(), title="Bảng tổng hợp chỉ tiêu")
    document.add(
        Table(
            columns=[
                Column("STT", 0.5, "center"),
                Column("Chỉ tiêu", 2.5),
                *[Column(member, 1, "right") for member in MEMBERS],
            ],
            rows=[Row([str(n), "Tỷ lệ hộ nghèo giảm", *["12,5"] * 10]) for n in range(1, 4)],
        )
    )
    return document


def _write(directory, name: str, content: bytes):
    path = directory / name
    path.write_bytes(content)
    return path


def _pdftotext(path, page: int | None = None, *, layout: bool = True) -> str:
    options = ["-layout"] if layout else []
    if page:
        options += ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _words(text: str) -> str:
    """Text with runs of spaces collapsed: justified lines come out widely spaced."""
    return " ".join(text.split())


def _pdfinfo(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


def _page_count(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _pdfinfo(path), re.M).group(1))


def _page_of(path, text: str) -> int:
    for page in range(1, _page_count(path) + 1):
        if text in _words(_pdftotext(path, page)):
            return page
    raise AssertionError(f"{text!r} is on no page")


def _word_boxes(path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of every word on a page, in points from the top left."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(*map(float, match[:4]), match[4]) for match in re.findall(pattern, html)]


@pytest.fixture(scope="module")
def every_pdf(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("pdf"), "every.pdf", render_pdf(every_block()))


@pytest.fixture(scope="module")
def long_files():
    """(PDF, DOCX) of a report whose table runs over three pages."""
    document = every_block(rows=45)
    return render_pdf(document), render_docx(document)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory, long_files):
    return _write(tmp_path_factory.mktemp("pdf"), "long.pdf", long_files[0])


@pytest.fixture(scope="module")
def wide_pdf(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("pdf"), "wide.pdf", render_pdf(wide_table()))


@pytest.fixture(scope="module")
def every_docx():
    return docx.Document(io.BytesIO(render_docx(every_block())))


# --------------------------------------------------------------------------- PDF: page


def test_pdf_prints_the_header_title_body_and_recipients_with_their_diacritics(every_pdf):
    text = _words(_pdftotext(every_pdf))
    for expected in [
        "UBND TỈNH NAM ĐỊNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/BC-CTĐ",
        "Nam Định, ngày 07 tháng 02 năm 2023",
        "BÁO CÁO TỔNG KẾT CÔNG TÁC THI ĐUA",
        "Năm 2023 của Cụm thi đua các huyện, thành phố",
        "I. KẾT QUẢ THỰC HIỆN",
        "Thời gian: 08 giờ 00 phút, ngày 07/02/2023.",
        "- Tổ chức Hội nghị ký kết giao ước",
        "2. Đề nghị khen thưởng",
        "Bảng 1. Kết quả thực hiện chỉ tiêu",
        "Ghi chú: số liệu tính đến ngày 31 tháng 12 năm 2023.",
        "Biểu đồ 1. Tổng điểm của các đơn vị",
        CLOSING,
        "TM. CỤM THI ĐUA",
        "Dương Hữu Bường",
        "Nơi nhận:",
        "- Các đơn vị thành viên Cụm;",
        "- Lưu: VT.",
    ]:
        assert expected in text, expected


def test_pdf_prints_the_two_header_columns_side_by_side(every_pdf):
    lines = _pdftotext(every_pdf, page=1).splitlines()
    first = next(line for line in lines if line.strip())
    assert _words(first) == "UBND TỈNH NAM ĐỊNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    number_line = next(line for line in lines if "Số: 05/BC-CTĐ" in line)
    assert "Nam Định, ngày 07 tháng 02 năm 2023" in _words(number_line)


def test_pdf_embeds_only_fonts_that_cover_vietnamese(every_pdf):
    output = subprocess.run(
        ["pdffonts", str(every_pdf)], check=True, capture_output=True, text=True
    ).stdout
    names = [line.split()[0] for line in output.splitlines()[2:] if line.strip()]
    assert names
    for name in names:
        assert "Tinos" in name or "LiberationSerif" in name, name


def test_pdf_pages_are_a4_portrait(long_pdf):
    assert "595.276 x 841.89 pts (A4)" in _pdfinfo(long_pdf)


def test_pdf_text_keeps_the_decree_margins(every_pdf, long_pdf):
    # Page 1: justified lines run from the left to the right margin, the header on top.
    boxes = _word_boxes(every_pdf, page=1)
    assert min(box[0] for box in boxes) == pytest.approx(30 * MM_IN_PT, abs=1)
    assert max(box[2] for box in boxes) == pytest.approx(595.276 - 15 * MM_IN_PT, abs=1)
    assert min(box[1] for box in boxes) == pytest.approx(20 * MM_IN_PT, abs=6)
    # A page full of table rows stops at the bottom margin.
    boxes = _word_boxes(long_pdf, page=2)
    bottom = max(box[3] for box in boxes)
    assert 841.89 - 20 * MM_IN_PT - 30 < bottom <= 841.89 - 20 * MM_IN_PT


def test_landscape_documents_use_a4_landscape_pages(tmp_path):
    document = wide_table()
    document.landscape = True
    path = _write(tmp_path, "wide.pdf", render_pdf(document))
    assert "841.89 x 595.276 pts (A4)" in _pdfinfo(path)


def test_pdf_pages_are_numbered_at_the_top_from_page_two(long_pdf):
    assert _page_count(long_pdf) >= 3
    first_page = [line.strip() for line in _pdftotext(long_pdf, page=1).splitlines()]
    assert not any(line.isdigit() for line in first_page if line)
    for page in (2, 3):
        lines = [line.strip() for line in _pdftotext(long_pdf, page=page).splitlines()]
        assert next(line for line in lines if line) == str(page)
        number = next(box for box in _word_boxes(long_pdf, page) if box[4] == str(page))
        assert number[3] < 20 * MM_IN_PT  # in the top margin
        assert (number[0] + number[2]) / 2 == pytest.approx((30 + 195) / 2 * MM_IN_PT, abs=3)


def test_documents_are_printed_the_same_whatever_language_is_active(every_pdf, tmp_path):
    with translation.override("en"):
        path = _write(tmp_path, "en.pdf", render_pdf(every_block()))
    assert _pdftotext(path) == _pdftotext(every_pdf)


def test_pdf_escapes_the_text_it_is_given(tmp_path):
    document = Document(header=_header(), title="Thông báo <b>")
    document.add(Paragraph("Điểm <script>alert(1)</script> & <i>không</i> in nghiêng"))
    html = document_html(document)
    assert "<script>" not in html
    assert "&lt;i&gt;không&lt;/i&gt;" in html
    text = _words(_pdftotext(_write(tmp_path, "escaped.pdf", render_pdf(document))))
    assert "THÔNG BÁO <B>" in text
    assert "Điểm <script>alert(1)</script> & <i>không</i> in nghiêng" in text


# --------------------------------------------------------------------------- PDF: tables


def test_pdf_table_never_breaks_a_word_even_with_twelve_narrow_columns(wide_pdf):
    words = set(_pdftotext(wide_pdf).split())
    for header in ["STT", "Chỉ tiêu", *MEMBERS]:
        for word in header.split():
            assert word in words, word
    for fragment in ["Nghĩ", "Trườ", "Hư", "Thủ"]:
        assert fragment not in words, fragment


def test_pdf_table_columns_take_their_share_of_the_width(tmp_path):
    document = Document(header=_header(), title="Bảng")
    document.add(
        Table(
            columns=[Column("Một", 1), Column("Hai", 2), Column("Ba", 1)],
            rows=[Row(["a", "b", "c"])],
        )
    )
    path = _write(tmp_path, "shares.pdf", render_pdf(document))
    centres = {
        box[4]: (box[0] + box[2]) / 2 for box in _word_boxes(path, 1) if box[4] in "Một Hai Ba"
    }
    left, width = 30 * MM_IN_PT, (210 - 45) * MM_IN_PT
    assert centres["Một"] == pytest.approx(left + width / 8, abs=4)
    assert centres["Hai"] == pytest.approx(left + width / 2, abs=4)
    assert centres["Ba"] == pytest.approx(left + width * 7 / 8, abs=4)


def test_pdf_table_merges_group_rows_and_aligns_columns():
    html = document_html(every_block())
    assert '<tr class="row-group"><td class="align-left" colspan="7">I. Kinh tế</td></tr>' in html
    assert '<tr class="row-total">' in html
    assert '<th rowspan="2">STT</th>' in html
    assert '<th colspan="4">Đơn vị thành viên</th>' in html
    assert '<td class="align-right">1.234,5</td>' in html
    assert '<col width="7.143%">' in html  # 0.6 of 8.4


def test_the_print_stylesheet_never_lets_a_table_cut_a_word():
    with open(finders.find("css/print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert not re.search(r"overflow-wrap:\s*(anywhere|break-word)", css)
    assert not re.search(r"word-break:\s*break-all", css)
    assert "hyphens: manual" in css


def test_pdf_table_header_rows_repeat_on_every_page_of_the_table(long_pdf):
    pages = range(1, _page_count(long_pdf) + 1)
    table_pages = [page for page in pages if "Chỉ tiêu số" in _pdftotext(long_pdf, page)]
    assert len(table_pages) >= 2
    for page in table_pages:
        text = _pdftotext(long_pdf, page)
        assert text.count("STT") == 1, page
        assert "Đơn vị thành viên" in text, page
    second = _pdftotext(long_pdf, table_pages[1])
    assert second.index("STT") < second.index("Chỉ tiêu số")


def test_pdf_keeps_the_signatures_on_the_page_of_the_closing_words(tmp_path):
    def report(*, closing: bool) -> Document:
        document = Document(header=_header(), title="Báo cáo")
        document.add(*[Paragraph(FILLER) for _ in range(9)])
        if closing:
            document.closing = [Paragraph(CLOSING)]
        else:
            document.add(Paragraph(CLOSING))
        document.signatures = _signatures()[1:]
        document.recipients = ["Lưu: VT"]
        return document

    # Laid out as ordinary paragraphs, the closing words end page 1 and the signature
    # stands alone on page 2: the case the closing blocks are there for.
    loose = _write(tmp_path, "loose.pdf", render_pdf(report(closing=False)))
    assert _page_of(loose, "Trên đây là báo cáo") == 1
    assert _page_of(loose, "Dương Hữu Bường") == 2

    kept = _write(tmp_path, "kept.pdf", render_pdf(report(closing=True)))
    assert _page_of(kept, "Trên đây là báo cáo") == _page_of(kept, "Dương Hữu Bường") == 2
    assert _page_of(kept, "CỤM TRƯỞNG") == 2


def _representatives(count: int) -> Document:
    document = Document(header=_header(), title="Bản giao ước thi đua", landscape=True)
    document.add(Paragraph(FILLER))
    document.closing = [Paragraph(CLOSING)]
    document.signatures = [
        SignatureBlock(capacity=f"Đại diện đơn vị {letter}", name=f"Người ký {letter}")
        for letter in "ABCDEFGHIJ"[:count]
    ]
    return document


def test_pdf_runs_a_long_list_of_signers_on_a_row_of_signers_at_a_time(tmp_path):
    path = _write(tmp_path, "signers.pdf", render_pdf(_representatives(10)))
    assert _page_of(path, "Trên đây là báo cáo") == _page_of(path, "ĐẠI DIỆN ĐƠN VỊ A")
    for letter in "ABCDEFGHIJ":
        assert _page_of(path, f"ĐẠI DIỆN ĐƠN VỊ {letter}") == _page_of(path, f"Người ký {letter}")
    last = _pdftotext(path, _page_count(path))
    assert "Người ký J" in last  # no page left with nothing but its number


def test_pdf_leaves_about_four_lines_to_sign_in(every_pdf):
    boxes = _word_boxes(every_pdf, _page_of(every_pdf, "Dương Hữu Bường"))
    unit = max(box[3] for box in boxes if box[4] == "Hậu")
    name = min(box[1] for box in boxes if box[4] == "Bường")
    assert 2.5 <= (name - unit) / 72 * 2.54 <= 3.3  # cm


# --------------------------------------------------------------------------- PDF: charts


def test_a_chart_loses_its_handlers_and_outside_links_and_is_cleaned_once():
    from core.documents.pdf import clean_svg

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' xmlns:ev="http://www.w3.org/2001/xml-events" ONCLICK="a()" ev:onfocusin="b()">'
        '<a xlink:href="https://example.org/x"><text>Na Rì</text></a>'
        '<use xlink:href="#dot"/><a href=" javascript:c()">Ba Bể</a><a href="#legend">·</a></svg>'
    )
    cleaned = str(clean_svg(svg))
    assert "ONCLICK" not in cleaned and "onfocusin" not in cleaned
    assert "example.org" not in cleaned and "javascript" not in cleaned
    assert 'xlink:href="#dot"' in cleaned and 'href="#legend"' in cleaned
    assert clean_svg(svg) is clean_svg(svg)


def test_pdf_chart_draws_the_cleaned_svg_with_its_title_below():
    html = document_html(every_block())
    assert "<script" not in html
    assert "onload" not in html
    assert '<text x="70" y="150" text-anchor="middle" font-size="12">Hải Hậu</text>' in html
    assert "<figcaption>Biểu đồ 1. Tổng điểm của các đơn vị</figcaption>" in html


def test_a_chart_that_is_not_svg_is_refused():
    document = Document(header=_header(), title="Biểu đồ")
    document.add(Chart("Biểu đồ", "<div>not a chart</div>"))
    with pytest.raises(ValueError):
        render_pdf(document)


# --------------------------------------------------------------------------- PDF: no network


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


def test_a_chart_cannot_make_the_server_fetch_a_url(tmp_path, listening_server):
    port = listening_server.server_address[1]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="100" height="50">'
        f'<image href="http://127.0.0.1:{port}/a.png" width="10" height="10"/>'
        f'<image xlink:href="https://127.0.0.1:{port}/b.png" width="10" height="10"/>'
        "<text x='5' y='40'>Nhãn</text></svg>"
    )
    document = Document(header=_header(), title="Biểu đồ")
    document.add(Chart("Biểu đồ kết quả", svg))
    pdf = render_pdf(document)
    assert listening_server.connections == 0
    assert "Biểu đồ kết quả" in _words(_pdftotext(_write(tmp_path, "chart.pdf", pdf)))


def test_the_pdf_writer_never_fetches_a_url_in_its_html(tmp_path, listening_server):
    port = listening_server.server_address[1]
    html = (
        f'<p>Ảnh:</p><img src="http://127.0.0.1:{port}/logo.png" alt="">'
        f'<img src="https://127.0.0.1:{port}/logo.png" alt=""><p>Hết.</p>'
    )
    pdf = write_pdf(html)
    assert listening_server.connections == 0
    assert "Hết." in _pdftotext(_write(tmp_path, "image.pdf", pdf))


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


# --------------------------------------------------------------------------- DOCX: page


def test_docx_page_is_a4_with_the_decree_margins(every_docx):
    section = every_docx.sections[0]
    expected = {
        "page_width": Mm(210),
        "page_height": Mm(297),
        "top_margin": Mm(20),
        "bottom_margin": Mm(20),
        "left_margin": Mm(30),
        "right_margin": Mm(15),
    }
    for attribute, value in expected.items():
        assert abs(getattr(section, attribute) - value) <= Mm(0.1), attribute


def test_docx_landscape_documents_turn_the_page():
    document = wide_table()
    document.landscape = True
    section = docx.Document(io.BytesIO(render_docx(document))).sections[0]
    assert section.orientation == 1  # LANDSCAPE
    assert abs(section.page_width - Mm(297)) <= Mm(0.1)
    assert abs(section.page_height - Mm(210)) <= Mm(0.1)


def test_docx_names_times_new_roman_in_every_font_slot_and_no_theme_font(every_docx):
    normal = every_docx.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    parts = [every_docx.styles.element, every_docx.element]
    fonts = [element for part in parts for element in part.iter(qn("w:rFonts"))]
    assert fonts
    for element in fonts:
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert element.get(qn(f"w:{slot}")) == "Times New Roman", slot
        assert not any("Theme" in key or "theme" in key for key in element.attrib)


def test_docx_numbers_pages_at_the_top_from_page_two(every_docx):
    section = every_docx.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_docx_header_table_underlines_the_motto_in_the_right_column(every_docx):
    header = every_docx.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs[:2]] == [
        "UBND TỈNH NAM ĐỊNH",
        "CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ",
    ]
    assert left.paragraphs[1].runs[0].bold
    nation, motto = right.paragraphs[:2]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert nation.runs[0].bold
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.runs[0].bold and motto.runs[0].underline
    number, date = (cell.paragraphs[0] for cell in header.rows[1].cells)
    assert number.text == "Số: 05/BC-CTĐ"
    assert date.text == "Nam Định, ngày 07 tháng 02 năm 2023"
    assert date.runs[0].italic
    assert header._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"


# --------------------------------------------------------------------------- DOCX: blocks


def _body_paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def test_docx_title_is_bold_capitals_over_a_bold_subtitle(every_docx):
    title = _body_paragraph(every_docx, "BÁO CÁO TỔNG KẾT CÔNG TÁC THI ĐUA")
    subtitle = _body_paragraph(every_docx, "Năm 2023 của Cụm thi đua các huyện, thành phố")
    assert title.runs[0].bold and subtitle.runs[0].bold
    assert title.alignment == subtitle.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.paragraph_format.keep_with_next


def test_docx_headings_are_bold_and_kept_with_what_follows(every_docx):
    section = _body_paragraph(every_docx, "I. KẾT QUẢ THỰC HIỆN")
    minor = _body_paragraph(every_docx, "2. Biểu đồ")
    assert section.runs[0].bold and not section.runs[0].italic
    assert minor.runs[0].bold and minor.runs[0].italic
    assert section.paragraph_format.keep_with_next and minor.paragraph_format.keep_with_next


def test_docx_paragraphs_are_justified_indented_one_cm_with_six_points_after(every_docx):
    paragraph = _body_paragraph(every_docx, FILLER)
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(paragraph.paragraph_format.first_line_indent - Cm(1)) < Mm(0.1)
    assert paragraph.paragraph_format.space_after == Pt(6)
    label = _body_paragraph(every_docx, "Thời gian: 08 giờ 00 phút, ngày 07/02/2023.")
    assert [(run.text, bool(run.bold)) for run in label.runs] == [
        ("Thời gian: ", True),
        ("08 giờ 00 phút, ngày 07/02/2023.", False),
    ]


def test_docx_list_items_start_with_the_marker_the_pdf_prints(every_docx):
    texts = [p.text for p in every_docx.paragraphs]
    assert "- Tổ chức Hội nghị ký kết giao ước" in texts
    assert "1. Bình xét thi đua" in texts
    assert "2. Đề nghị khen thưởng" in texts


def test_docx_notes_are_small_and_italic(every_docx):
    note = _body_paragraph(every_docx, "Ghi chú: số liệu tính đến ngày 31 tháng 12 năm 2023.")
    assert note.runs[0].italic
    assert note.runs[0].font.size == Pt(12)


def test_docx_prints_the_chart_title_where_the_pdf_draws_the_chart(every_docx):
    texts = [p.text for p in every_docx.paragraphs]
    title = texts.index("Biểu đồ 1. Tổng điểm của các đơn vị")
    assert texts[title - 1] == "2. Biểu đồ"


# --------------------------------------------------------------------------- DOCX: tables


def _grid_widths(table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_docx_table_widths_follow_the_column_widths():
    document = Document(header=_header(), title="Bảng")
    document.add(
        Table(
            columns=[Column("Một", 1), Column("Hai", 2.5), Column("Ba", 1.5)],
            rows=[Row(["a", "b", "c"]), Row(["Tổng"], kind="group")],
        )
    )
    table = docx.Document(io.BytesIO(render_docx(document))).tables[1]
    widths = _grid_widths(table)
    text_width = Mm(165).twips
    assert widths == pytest.approx([text_width / 5, text_width / 2, text_width * 3 / 10], abs=2)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [cell.width.twips for cell in table.rows[1].cells] == pytest.approx(widths, abs=2)
    assert table.rows[2].cells[0].width.twips == pytest.approx(sum(widths), abs=3)


def test_docx_columns_never_get_narrower_than_their_longest_word():
    from core.documents.docx import _word_width

    table = docx.Document(io.BytesIO(render_docx(wide_table()))).tables[1]
    widths = _grid_widths(table)
    assert sum(widths) == pytest.approx(Mm(165).twips, abs=12)
    for width, header in zip(widths, ["STT", "Chỉ tiêu", *MEMBERS], strict=True):
        longest = max(_word_width(word, True) for word in header.split()) * 12 * 20
        assert width >= longest + 8 * 20, header  # the word and the cell's padding
    assert widths[1] > widths[2]  # "Chỉ tiêu" keeps the larger share


def test_docx_header_rows_are_bold_centred_repeated_and_merged_like_the_pdf(every_docx):
    table = every_docx.tables[1]
    top, bottom = table.rows[0], table.rows[1]
    for row in (top, bottom):
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    cells = top._tr.findall(qn("w:tc"))
    assert [tc.tcPr.find(qn("w:gridSpan")) is not None for tc in cells] == [False] * 3 + [True]
    assert cells[3].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "4"
    assert [cell.text for cell in bottom.cells] == ["STT", "Chỉ tiêu", "ĐVT", *MEMBERS[:4]]
    for cell in [*top.cells, *bottom.cells]:
        paragraph = cell.paragraphs[0]
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert paragraph.runs[0].bold
        assert paragraph.paragraph_format.keep_with_next


def test_docx_rows_never_split_across_pages(every_docx):
    for row in every_docx.tables[1].rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_docx_group_rows_span_the_table_in_bold_and_total_rows_are_bold(every_docx):
    table = every_docx.tables[1]
    group = table.rows[2]
    cells = group._tr.findall(qn("w:tc"))
    assert len(cells) == 1
    assert cells[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "7"
    assert group.cells[0].text == "I. Kinh tế"
    assert group.cells[0].paragraphs[0].runs[0].bold
    total = table.rows[-1]
    assert all(run.bold for cell in total.cells for p in cell.paragraphs for run in p.runs)
    assert not table.rows[3].cells[1].paragraphs[0].runs[0].bold


def test_docx_cells_align_as_their_columns(every_docx):
    row = every_docx.tables[1].rows[3].cells
    assert [cell.paragraphs[0].alignment for cell in row[:5]] == [
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.RIGHT,
    ]


# --------------------------------------------------------------------------- DOCX: signatures


def test_docx_signatures_line_up_names_and_put_recipients_bottom_left(every_docx):
    signatures = every_docx.tables[-1]
    heads, names, recipients = signatures.rows
    assert [cell.text for cell in heads.cells] == [
        "THƯ KÝ",
        "TM. CỤM THI ĐUA\nCỤM TRƯỞNG\nChủ tịch UBND huyện Hải Hậu",
    ]
    assert [cell.text for cell in names.cells] == ["Nông Thị Hà", "Dương Hữu Bường"]
    assert all(cell.paragraphs[0].runs[0].bold for cell in names.cells)
    label, *lines = recipients.cells[0].paragraphs
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic
    assert [p.text for p in lines] == [
        "- Các đơn vị thành viên Cụm;",
        "- Ban Thi đua - Khen thưởng tỉnh;",
        "- Lưu: VT.",
    ]
    borders = signatures._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"


def test_docx_leaves_the_same_signing_space_as_the_pdf(every_docx):
    names = every_docx.tables[-1].rows[1]
    for cell in names.cells:
        assert cell.paragraphs[0].paragraph_format.space_before >= Cm(2.5)


def test_docx_keeps_the_closing_words_with_the_first_signers(every_docx):
    closing = _body_paragraph(every_docx, CLOSING)
    assert closing.paragraph_format.keep_with_next
    heads, names, _recipients = every_docx.tables[-1].rows
    for cell in heads.cells:
        assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs)
    for row in (heads, names):
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None


# --------------------------------------------------------------------------- parity


def test_every_block_kind_prints_the_same_words_in_the_pdf_and_the_docx():
    assert_same_words(every_block())


def test_a_long_table_prints_the_same_words_despite_its_repeated_header(long_files):
    in_pdf, in_docx = document_words(*long_files, pdf_only=pdf_only_words(every_block(rows=45)))
    assert in_pdf == in_docx
    # Without knowing the header repeats, the PDF has more words: the test can fail.
    assert len(document_words(*long_files)[0]) > len(in_docx)


def test_parity_reports_where_the_files_differ():
    changed = every_block()
    changed.closing = [Paragraph("Trên đây là dự thảo./.")]
    pdf, word = render_pdf(every_block()), render_docx(changed)
    in_pdf, in_docx = document_words(pdf, word)
    assert in_pdf != in_docx
    assert in_pdf[in_pdf.index("Trên") + 2] == "là"
    assert in_docx[in_docx.index("Trên") + 3] == "dự"
