"""The printed score summary: the document built once (its table, legend, signatures),
then the PDF read back with poppler and the Word file read back with python-docx."""

import io
import subprocess

import docx
import pytest
from django.urls import reverse
from django.utils import translation

from core.documents.model import Note, Paragraph, Table
from core.documents.parity import assert_same_words
from meetings.models import Attendance
from scoring import services
from scoring.documents import ranking_table_blocks, render_results_pdf, results_document
from scoring.models import CriteriaSheet

pytestmark = pytest.mark.django_db

LEGEND = [
    "Nhóm I: Thực hiện nhiệm vụ chính trị (tối đa 60 điểm); "
    "Nhóm II: Công tác thi đua, khen thưởng (tối đa 40 điểm).",
    "Điểm thưởng tính tối đa 3 điểm; điểm trừ tính tối đa 6 điểm.",
    "Trường hợp bằng điểm: đơn vị có tổng điểm nhóm tiêu chí thứ nhất cao hơn được xếp "
    "trên; nếu vẫn bằng nhau, đơn vị bị trừ ít điểm hơn được xếp trên; nếu vẫn bằng "
    "nhau thì đồng hạng.",
]


@pytest.fixture(autouse=True)
def _english(settings):
    """The reader works in English: the document stays Vietnamese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "results.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def loaded(sheet) -> CriteriaSheet:
    """The sheet as the views load it (with its year, cluster, body and meeting)."""
    return CriteriaSheet.objects.select_related(
        "cluster_year__cluster__body", "approved_meeting"
    ).get(pk=sheet.pk)


def table_of(document) -> Table:
    (table,) = [block for block in document.blocks if isinstance(block, Table)]
    return table


# --- The document ---------------------------------------------------------------------------


def test_the_ranking_table_has_a_row_per_member_in_rank_order(scored):
    table, *notes = ranking_table_blocks(scored)

    assert [column.header for column in table.columns] == [
        "STT", "Đơn vị", "Nhóm I (60)", "Nhóm II (40)", "Điểm thưởng", "Điểm trừ",
        "Tổng điểm", "Xếp hạng", "Ghi chú",
    ]  # fmt: skip
    assert [row.cells[:8] for row in table.rows] == [
        ["1", "Huyện Na Rì", "57,50", "38,00", "2,00", "2,00", "95,50", "1"],
        ["2", "Huyện Pác Nặm", "54,00", "37,00", "1,00", "0,00", "92,00", "2"],
        ["3", "Huyện Ba Bể", "53,00", "37,00", "0,00", "1,00", "89,00", "3"],
    ]
    assert table.rows[2].cells[8] == (
        "Không được xếp thứ nhất: đạt 9,00/10,00 điểm tiêu chí “Kỷ luật”."
    )
    assert [note.text for note in notes] == LEGEND
    assert all(isinstance(note, Note) for note in notes)


def test_a_wide_summary_is_printed_landscape(scored):
    document = results_document(sheet=scored)

    # STT, unit, two groups, bonus, deductions, total, rank, notes: nine columns.
    assert len(table_of(document).columns) == 9
    assert document.landscape is True


def test_the_columns_are_narrow_for_points_and_wide_for_names_and_notes(scored):
    stt, unit, *points, rank, notes = table_of(results_document(sheet=scored)).columns

    assert stt.width < points[0].width < unit.width < notes.width
    assert rank.width <= points[0].width


def test_a_draft_says_so_and_an_incomplete_one_says_what_is_missing(sheet, criteria, members):
    document = results_document(sheet=sheet)

    assert document.subtitle == "(Dự thảo, chưa được Hội nghị thông qua)"
    assert document.blocks[-1] == Paragraph(
        "Còn tiêu chí chưa được chấm điểm; điểm còn thiếu tính bằng 0."
    )


def test_the_head_unit_signs_for_the_cluster_through_its_representative(
    scored, year_end_meeting, members
):
    Attendance.objects.create(
        meeting=year_end_meeting,
        member=members["Na Rì"],
        representative="Nông Văn Nguyên",
        representative_position="Chủ tịch UBND huyện",
    )
    services.ranking_approve(sheet=scored, meeting=year_end_meeting)

    document = results_document(sheet=loaded(scored))

    compiler, cluster = document.signatures
    assert compiler.title == "Người lập biểu"
    assert (cluster.capacity, cluster.title, cluster.unit, cluster.name) == (
        "TM. Cụm thi đua",
        "Cụm trưởng",
        "Huyện Na Rì",
        "Nông Văn Nguyên",
    )
    assert document.subtitle == "(Đã được Hội nghị tổng kết ngày 20/01/2024 thông qua)"
    assert document.recipients == ["Các đơn vị thành viên", "Ban Thi đua - Khen thưởng", "Lưu: VT"]


def test_before_approval_the_cluster_signature_names_the_head_unit_only(scored):
    cluster = results_document(sheet=scored).signatures[1]

    assert (cluster.unit, cluster.name) == ("Huyện Na Rì", "")


def test_totals_stay_vietnamese_whatever_the_interface_language(scored):
    rows = table_of(results_document(sheet=scored)).rows

    assert [(row.cells[1], row.cells[6]) for row in rows] == [
        ("Huyện Na Rì", "95,50"),
        ("Huyện Pác Nặm", "92,00"),
        ("Huyện Ba Bể", "89,00"),
    ]


def test_the_document_takes_three_queries_however_many_members(
    sheet, criteria, members, full_marks, add_member, django_assert_num_queries
):
    full_marks()
    one = loaded(sheet)
    with django_assert_num_queries(3):  # criteria, members, scores
        results_document(sheet=one)
    add_member("Huyện Chợ Đồn")
    add_member("Huyện Chợ Mới")
    three = loaded(sheet)
    with django_assert_num_queries(3):
        document = results_document(sheet=three)
    assert len(table_of(document).rows) == 5


# --- The files -------------------------------------------------------------------------------


def test_the_pdf_and_the_word_file_print_the_same_words(scored, year_end_meeting):
    services.ranking_approve(sheet=scored, meeting=year_end_meeting)

    assert_same_words(results_document(sheet=loaded(scored)))


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


def test_the_pdf_needs_no_request(scored, tmp_path):
    assert "Huyện Na Rì" in _pdf_text(render_results_pdf(sheet=scored), tmp_path)


def test_the_word_summary_has_the_same_table(viewer_client, scored):
    response = viewer_client.get(reverse("scoring:criteriasheet-results-docx", args=[scored.pk]))

    document = docx.Document(io.BytesIO(response.content))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
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


def test_the_demo_score_summary_keeps_its_signers_and_recipients_together(db):
    """Eight members on a landscape page with two charts: the charts are drawn small
    enough that the signers do not stand apart from the recipients on a page of their own."""
    from django.core.management import call_command

    from core.documents.parity import pdf_pages_text

    call_command("seed_demo", stdout=io.StringIO())
    sheet = CriteriaSheet.objects.get(
        status=CriteriaSheet.Status.APPROVED, cluster_year__cluster__body__short_name="Bắc Kạn"
    )
    pages = pdf_pages_text(render_results_pdf(sheet=sheet))
    last = " ".join(pages[-1].split())
    assert "Dương Hữu Bường" in last and "Nơi nhận:" in last
    assert "Điểm theo từng nhóm tiêu chí năm 2022" in " ".join(" ".join(pages).split())
    assert len(pages) == 3
