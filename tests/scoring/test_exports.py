"""The ranking exported: Excel read back with openpyxl, the PDF read back with poppler,
the Word file read back with python-docx."""

import io
import subprocess

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from scoring import services
from scoring.documents import results_document_data


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "results.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_excel_export_reads_back_as_the_ranking(viewer_client, scored):
    response = viewer_client.get(reverse("scoring:criteriasheet-results-xlsx", args=[scored.pk]))

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="ket-qua-cham-diem-2023-{scored.pk}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert sheet["A1"].value == "Bảng chấm điểm thi đua năm 2023"
    assert rows[0] == (
        "Rank", "Unit", "Group I", "Group II", "Bonus", "Deductions", "Total",
        "Gap to the next", "Pledge targets met", "Notes",
    )  # fmt: skip
    assert [row[:8] for row in rows[1:]] == [
        (1, "Huyện Na Rì", 57.5, 38, 2, 2, 95.5, 3.5),
        (2, "Huyện Pác Nặm", 54, 37, 1, 0, 92, 3),
        (3, "Huyện Ba Bể", 53, 37, 0, 1, 89, None),
    ]
    assert rows[3][9] == "Cannot rank first: 9.00 of 10.00 points on the veto criterion “Kỷ luật”."
    assert sheet["G5"].number_format == "#,##0.00"


def test_the_pdf_summary_has_the_title_every_member_and_vietnamese_totals(
    viewer_client, scored, tmp_path, year_end_meeting
):
    services.ranking_approve(sheet=scored, meeting=year_end_meeting)

    response = viewer_client.get(reverse("scoring:criteriasheet-results-pdf", args=[scored.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    words = " ".join(text.split())
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2023" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ" in text
    assert "Bắc Kạn, ngày 20 tháng 01 năm 2024" in text
    for name in ("Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể"):
        assert name in text
    assert "95,50" in text and "92,00" in text and "89,00" in text
    assert "Không được xếp thứ nhất" in text  # the notes column wraps: words only
    assert "NGƯỜI LẬP BIỂU" in text
    assert "TM. CỤM THI ĐUA" in text and "CỤM TRƯỞNG" in text
    assert "(Đã được Hội nghị tổng kết ngày 20/01/2024 thông qua)" in words
    lines = [line for line in text.splitlines() if "Huyện Na Rì" in line]
    assert lines and "95,50" in lines[0] and lines[0].rstrip().endswith("1")


def test_a_wide_summary_is_printed_landscape(scored):
    data = results_document_data(scored)

    # STT, unit, two groups, bonus, deductions, total, rank, notes: nine columns.
    assert data["landscape"] is True
    assert data["legend"] == [
        "Nhóm I: Thực hiện nhiệm vụ chính trị (tối đa 60 điểm); "
        "Nhóm II: Công tác thi đua, khen thưởng (tối đa 40 điểm).",
        "Điểm thưởng tính tối đa 3 điểm; điểm trừ tính tối đa 6 điểm.",
        "Trường hợp bằng điểm: đơn vị có tổng điểm nhóm tiêu chí thứ nhất cao hơn được xếp "
        "trên; nếu vẫn bằng nhau, đơn vị bị trừ ít điểm hơn được xếp trên; nếu vẫn bằng "
        "nhau thì đồng hạng.",
    ]


def test_the_word_summary_has_the_same_table(viewer_client, scored):
    response = viewer_client.get(reverse("scoring:criteriasheet-results-docx", args=[scored.pk]))

    document = docx.Document(io.BytesIO(response.content))
    table = document.tables[1]
    assert [cell.text for cell in table.rows[0].cells] == [
        "STT", "Đơn vị", "Nhóm I (60)", "Nhóm II (40)", "Điểm thưởng", "Điểm trừ",
        "Tổng điểm", "Xếp hạng", "Ghi chú",
    ]  # fmt: skip
    assert [cell.text for cell in table.rows[1].cells][:8] == [
        "1", "Huyện Na Rì", "57,50", "38,00", "2,00", "2,00", "95,50", "1",
    ]  # fmt: skip
    paragraphs = [p.text for p in document.paragraphs]
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2023" in paragraphs
    assert "(Dự thảo, chưa được Hội nghị thông qua)" in paragraphs
    assert document.sections[0].page_width > document.sections[0].page_height


def test_totals_in_documents_stay_vietnamese_whatever_the_interface_language(scored):
    with translation.override("en"):
        rows = results_document_data(scored)["rows"]

    assert [(row.unit, row.total) for row in rows] == [
        ("Huyện Na Rì", "95,50"),
        ("Huyện Pác Nặm", "92,00"),
        ("Huyện Ba Bể", "89,00"),
    ]
    assert rows[0].groups == ["57,50", "38,00"]
    assert rows[2].notes == ["Không được xếp thứ nhất: đạt 9,00/10,00 điểm tiêu chí “Kỷ luật”."]
