"""The pledge printed for signing: a real WeasyPrint PDF read back with pdftotext, and a
real Word file read back with python-docx."""

import io
import subprocess

import docx
import pytest
from django.urls import reverse
from django.utils import translation

from pledges import services
from pledges.documents import render_pledge_docx, render_pledge_pdf
from tests.pledges.conftest import THEME

pytestmark = pytest.mark.django_db

KEY_STRINGS = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "UBND TỈNH BẮC KẠN",
    "CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ",
    "Bắc Kạn, ngày 07 tháng 02 năm 2023",
    "BẢN GIAO ƯỚC THI ĐUA NĂM 2023",
    THEME,
    "CHỈ TIÊU GIAO ƯỚC THI ĐUA",
    "Phong trào “Cả nước chung sức xây dựng nông thôn mới” (Thủ tướng Chính phủ phát động).",
    "Tốc độ tăng giá trị sản xuất",
    "1.234,5",
    "HUYỆN NA RÌ",
    "HUYỆN PÁC NẶM",
    "HUYỆN BA BỂ",
    "Nông Văn Nguyên",
]


@pytest.fixture
def signed_members(pledge, members):
    services.signatures_save(
        pledge=pledge,
        rows={
            members["Na Rì"].pk: {
                "signed": True,
                "signer_name": "Nông Văn Nguyên",
                "signer_position": "Chủ tịch UBND huyện",
            }
        },
    )


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext reads it, with runs of spaces collapsed."""
    path = tmp_path / "giao-uoc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())


def docx_texts(content: bytes) -> list[str]:
    """Every paragraph of the Word file, in the body and in table cells."""
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def test_the_pdf_prints_the_pledge_in_the_official_layout(
    pledge, targets, commitments, signed_members, tmp_path
):
    pdf = render_pledge_pdf(pledge=pledge)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    for expected in KEY_STRINGS:
        # The issuer's name wraps in its narrow header column.
        expected = expected.replace("CÁC HUYỆN, THÀNH PHỐ", "CÁC HUYỆN,")
        assert expected in text, expected
    # Table rows as laid out: narrow columns must not break "STT", "1.1" or "tỷ đồng".
    for row in [
        "STT Chỉ tiêu ĐVT Na Rì Pác Nặm Ba Bể",
        "1.1 tỷ đồng 1.234,5 45 380",
        "1.2 Tốc độ tăng giá trị sản xuất % 8,5 8,8 9",
        "2.1 Số vụ tai nạn giao thông vụ 6 4 5",
    ]:
        assert row in text, row
    # Numbers the Vietnamese way, yes/no and text commitments as words.
    assert "3.1 Có Không Có" in text
    assert "chuyển đổi số chuyển đổi số chuyển đổi số" in text
    assert "1,234.5" not in text


def test_the_word_file_carries_the_same_content(pledge, targets, commitments, signed_members):
    texts = docx_texts(render_pledge_docx(pledge=pledge))
    joined = "\n".join(texts)
    for expected in KEY_STRINGS:
        assert expected in joined, expected
    assert "8,8" in texts
    assert "Không" in texts


def test_the_word_tables_header_names_the_members_in_order(pledge, targets, commitments):
    document = docx.Document(io.BytesIO(render_pledge_docx(pledge=pledge)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells] == ["STT", "Chỉ tiêu", "ĐVT", "Na Rì",
                                                     "Pác Nặm", "Ba Bể"]  # fmt: skip
    assert [c.text for c in table.rows[1].cells][:1] == ["I. Kinh tế"]
    assert [c.text for c in table.rows[2].cells] == [
        "1.1", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "1.234,5", "45", "380",
    ]  # fmt: skip


def test_documents_are_vietnamese_even_for_a_user_reading_in_english(
    pledge, targets, commitments, tmp_path
):
    with translation.override("en"):
        pdf = render_pledge_pdf(pledge=pledge)
        word = docx_texts(render_pledge_docx(pledge=pledge))
    text = pdf_text(pdf, tmp_path)
    assert "1.234,5" in text and "8,8" in text
    assert "1,234.5" not in text
    assert "1.234,5" in word and "8,8" in word


def test_the_pdf_view_serves_the_document_inline(viewer_client, pledge, targets, commitments):
    response = viewer_client.get(reverse("pledges:pledge-pdf", args=[pledge.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'inline; filename="giao-uoc-2023-{pledge.pk}.pdf"')
    assert response.content.startswith(b"%PDF-")


def test_the_word_view_serves_a_download(staff_client, pledge, targets, commitments):
    response = staff_client.get(reverse("pledges:pledge-docx", args=[pledge.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="giao-uoc-2023-{pledge.pk}.docx"'
    )
    assert "BẢN GIAO ƯỚC THI ĐUA NĂM 2023" in docx_texts(response.content)


def test_the_pdf_takes_as_many_queries_for_three_members_as_for_one(
    staff_client, growing, assert_same_queries
):
    url = reverse("pledges:pledge-pdf", args=[growing.pledge.pk])
    _, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert large.content.startswith(b"%PDF-")


def test_the_word_file_takes_as_many_queries_for_three_members_as_for_one(
    staff_client, growing, assert_same_queries
):
    url = reverse("pledges:pledge-docx", args=[growing.pledge.pk])
    _, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert {"HUYỆN CHỢ ĐỒN", "HUYỆN CHỢ MỚI", "HUYỆN NGÂN SƠN"} <= set(docx_texts(large.content))
