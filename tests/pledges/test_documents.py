"""The pledge printed for signing: the document built once (its blocks, rows and
signatures), then a real WeasyPrint PDF read back with pdftotext and a real Word file
read back with python-docx."""

import io
import subprocess
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from django.utils import translation

from clusters.models import ClusterMember
from core.documents.model import Heading, ListBlock, Paragraph, Table
from core.documents.parity import assert_same_words
from pledges import services
from pledges.documents import (
    attainment_table_blocks,
    pledge_document,
    render_pledge_docx,
    render_pledge_pdf,
    target_table_blocks,
)
from pledges.services import Cell
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.pledges import MovementFactory
from tests.pledges.conftest import MID_YEAR, THEME, keyed

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
    "CHỦ TỊCH UBND HUYỆN",
    "Nông Văn Nguyên",
]

# Twelve districts and towns of Nam Định and Thái Bình, as their registers name them.
TWELVE = [
    ("Thành phố Nam Định", "TP Nam Định"),
    ("Huyện Nghĩa Hưng", "Nghĩa Hưng"),
    ("Huyện Xuân Trường", "Xuân Trường"),
    ("Huyện Giao Thủy", "Giao Thủy"),
    ("Huyện Hải Hậu", "Hải Hậu"),
    ("Huyện Mỹ Lộc", "Mỹ Lộc"),
    ("Huyện Nam Trực", "Nam Trực"),
    ("Huyện Trực Ninh", "Trực Ninh"),
    ("Huyện Vụ Bản", "Vụ Bản"),
    ("Huyện Ý Yên", "Ý Yên"),
    ("Huyện Kiến Xương", ""),  # no short name in the register: the prefix is dropped
    ("Huyện Tiền Hải", "Tiền Hải"),
]
TWELVE_HEADS = [short or name.removeprefix("Huyện ") for name, short in TWELVE]


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


def member_pledge(body, names, *, cluster="Cụm thi đua các huyện, thành phố Nam Định"):
    """A pledge of a year with ``names`` [(name, short name)] as members, head first,
    and one target every member committed 1.234,5 to."""
    cluster_year = ClusterYearFactory(cluster=ClusterFactory(body=body, name=cluster), year=2023)
    for index, (name, short_name) in enumerate(names):
        ClusterMemberFactory(
            cluster_year=cluster_year,
            unit=UnitFactory(body=body, name=name, short_name=short_name),
            role=ClusterMember.Role.HEAD if index == 0 else ClusterMember.Role.MEMBER,
        )
    pledge = services.pledge_create(cluster_year=cluster_year, theme="Thi đua yêu nước")
    (target,) = services.targets_save(
        pledge=pledge,
        rows=[
            {"name": "Thu ngân sách nhà nước", "measure": "number", "unit_of_measure": "tỷ đồng"}
        ],
    )
    services.commitments_save(
        pledge=pledge,
        cells={(target.pk, m.pk): Cell(Decimal("1234.5")) for m in cluster_year.members.all()},
    )
    return pledge


def pdf_text(pdf: bytes, tmp_path, *, layout: bool = True) -> str:
    """The PDF's text as pdftotext reads it, with runs of spaces collapsed."""
    path = tmp_path / "giao-uoc.pdf"
    path.write_bytes(pdf)
    options = ["-layout"] if layout else []
    text = subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
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


# --- The document ---------------------------------------------------------------------------


def test_the_pledge_is_its_text_movements_and_target_table_in_that_order(
    pledge, targets, commitments
):
    document = pledge_document(pledge=pledge)

    assert document.title == "Bản giao ước thi đua năm 2023"
    assert document.subtitle == THEME
    assert document.header.issuer == "Cụm thi đua các huyện, thành phố"
    assert document.header.date_line == "Bắc Kạn, ngày 07 tháng 02 năm 2023"
    assert [type(block) for block in document.blocks] == [
        Paragraph, Paragraph, ListBlock, Heading, ListBlock, Heading, Table,
    ]  # fmt: skip
    assert document.blocks[2].items == ["Đẩy mạnh các phong trào thi đua yêu nước."]
    assert document.blocks[4].items == [
        "Phong trào “Cả nước chung sức xây dựng nông thôn mới” (Thủ tướng Chính phủ phát động)."
    ]
    assert document.landscape is False
    assert document.filename == f"giao-uoc-2023-{pledge.pk}"


def test_the_closing_commitment_is_kept_with_the_signatures(pledge, targets, commitments):
    document = pledge_document(pledge=pledge)

    assert [block.plain for block in document.closing] == [
        "Các đơn vị thành viên cam kết thực hiện tốt các nội dung giao ước trên./."
    ]
    assert all("cam kết thực hiện tốt" not in getattr(b, "plain", "") for b in document.blocks)


def test_the_target_table_has_a_row_per_target_and_a_column_per_member(
    pledge, targets, commitments
):
    heading, table = target_table_blocks(pledge)

    assert heading.text == "CHỈ TIÊU GIAO ƯỚC THI ĐUA"
    assert [c.header for c in table.columns] == [
        "STT", "Chỉ tiêu", "ĐVT", "Na Rì", "Pác Nặm", "Ba Bể",
    ]  # fmt: skip
    assert [(row.kind, row.cells) for row in table.rows] == [
        ("group", ["I. Kinh tế"]),
        ("data", ["1.1", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "1.234,5", "45", "380"]),
        ("data", ["1.2", "Tốc độ tăng giá trị sản xuất", "%", "8,5", "8,8", "9"]),
        ("group", ["II. Văn hóa - Xã hội"]),
        ("data", ["2.1", "Số vụ tai nạn giao thông", "vụ", "6", "4", "5"]),
        ("group", ["III. Quốc phòng - An ninh"]),
        ("data", ["3.1", "Hoàn thành chỉ tiêu tuyển quân", "", "Có", "Không", "Có"]),
        ("group", ["IV. Công tác thi đua, khen thưởng"]),
        ("data", ["4.1", "Phong trào thi đua theo chuyên đề được phát động", "",
                  "Thi đua chuyên đề chuyển đổi số", "Thi đua chuyên đề chuyển đổi số",
                  "Thi đua chuyên đề chuyển đổi số"]),
    ]  # fmt: skip
    assert [type(block) for block in target_table_blocks(pledge, heading="")] == [Table]


def test_targets_print_in_the_order_entered_not_alphabetically(pledge):
    services.targets_save(
        pledge=pledge,
        rows=[
            {"order": 10, "name": "Thu ngân sách", "measure": "number"},
            {"order": 20, "name": "Giảm tỷ lệ hộ nghèo", "measure": "percent"},
            {"order": 30, "name": "Đào tạo nghề", "measure": "number"},
        ],
    )
    (table,) = target_table_blocks(pledge, heading="")

    assert [row.cells[1] for row in table.rows] == [
        "Thu ngân sách", "Giảm tỷ lệ hộ nghèo", "Đào tạo nghề",
    ]  # fmt: skip


def test_movements_print_in_the_order_they_were_added_to_the_pledge(pledge):
    # Created in one order, added in another, neither alphabetical.
    day = MovementFactory(name="Dạy tốt, học tốt", launched_by="Bộ Giáo dục và Đào tạo")
    poor = MovementFactory(
        name="Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
        launched_by="Thủ tướng Chính phủ",
    )
    grateful = MovementFactory(
        name="Đền ơn đáp nghĩa - Uống nước nhớ nguồn", launched_by="UBND tỉnh"
    )
    chosen = []
    for movement in (grateful, poor, day):
        chosen.append(movement)
        services.pledge_update(pledge=pledge, theme=pledge.theme, movements=chosen)

    blocks = pledge_document(pledge=pledge).blocks
    movements = blocks[blocks.index(Heading("CÁC PHONG TRÀO THI ĐUA")) + 1]
    assert movements.items == [
        "Phong trào “Đền ơn đáp nghĩa - Uống nước nhớ nguồn” (UBND tỉnh phát động).",
        "Phong trào “Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau” "
        "(Thủ tướng Chính phủ phát động).",
        "Phong trào “Dạy tốt, học tốt” (Bộ Giáo dục và Đào tạo phát động).",
    ]


def test_movements_chosen_at_once_print_in_the_order_chosen_and_survive_a_reorder(pledge):
    day = MovementFactory(name="Dạy tốt, học tốt", launched_by="Bộ Giáo dục và Đào tạo")
    grateful = MovementFactory(
        name="Đền ơn đáp nghĩa - Uống nước nhớ nguồn", launched_by="UBND tỉnh"
    )
    office = MovementFactory(
        name="Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        launched_by="Thủ tướng Chính phủ",
    )

    def printed():
        blocks = pledge_document(pledge=pledge).blocks
        items = blocks[blocks.index(Heading("CÁC PHONG TRÀO THI ĐUA")) + 1].items
        return [item.split("“")[1].split("”")[0] for item in items]

    services.pledge_update(pledge=pledge, theme=pledge.theme, movements=[grateful, office, day])
    assert printed() == [grateful.name, office.name, day.name]
    services.pledge_update(pledge=pledge, theme=pledge.theme, movements=[day, grateful])
    assert printed() == [day.name, grateful.name]


def test_each_member_signs_through_its_representative_with_title_and_name(
    pledge, targets, commitments, signed_members
):
    signatures = pledge_document(pledge=pledge).signatures

    assert [(s.capacity, s.title, s.name) for s in signatures] == [
        ("Đại diện Huyện Na Rì", "Chủ tịch UBND huyện", "Nông Văn Nguyên"),
        ("Đại diện Huyện Pác Nặm", "", ""),
        ("Đại diện Huyện Ba Bể", "", ""),
    ]


def test_twelve_members_are_headed_by_short_names_in_equal_columns_on_a_landscape_page(body):
    pledge = member_pledge(body, TWELVE)

    document = pledge_document(pledge=pledge)

    (table,) = [block for block in document.blocks if isinstance(block, Table)]
    stt, target, unit, *members = table.columns
    assert members[0].header == "TP Nam Định"  # the head first, then in Vietnamese order
    assert sorted(column.header for column in members) == sorted(TWELVE_HEADS)
    assert len({column.width for column in members}) == 1
    assert stt.width < unit.width <= members[0].width < target.width
    assert target.width > 3 * members[0].width
    assert document.landscape is True


def test_five_members_fit_a_portrait_page_and_six_need_a_landscape_one(body):
    assert pledge_document(pledge=member_pledge(body, TWELVE[:5])).landscape is False
    six = member_pledge(body, TWELVE[5:11], cluster="Cụm thi đua số 2")
    assert pledge_document(pledge=six).landscape is True


def test_the_attainment_table_puts_each_result_against_its_commitment(mid_year, mid_year_results):
    heading, table, note = attainment_table_blocks(mid_year, heading="KẾT QUẢ 6 THÁNG")

    assert heading.text == "KẾT QUẢ 6 THÁNG"
    assert table.caption == mid_year.name
    assert [c.header for c in table.columns] == [
        "STT", "Chỉ tiêu", "ĐVT", "Na Rì", "Pác Nặm", "Ba Bể", "Toàn cụm", "Số đơn vị đạt",
    ]  # fmt: skip
    rows = {row.cells[1]: row.cells[3:] for row in table.rows if row.kind == "data"}
    # By 30/6 half of each count or amount is expected: 40 of the 22,5 expected.
    assert rows["Thu ngân sách nhà nước trên địa bàn"] == [
        "1.300 (210,6%)", "40 (177,8%)", "380 (200%)", "1.720", "3/3",
    ]  # fmt: skip
    assert rows["Tốc độ tăng giá trị sản xuất"] == [
        "8,5 (100%)", "9 (102,3%)", "", "8,75%", "2/3",
    ]  # fmt: skip
    assert rows["Số vụ tai nạn giao thông"] == [
        "7 (42,9%)", "3 (66,7%)", "5 (50%)", "15", "0/3",
    ]  # fmt: skip
    assert rows["Hoàn thành chỉ tiêu tuyển quân"] == ["Có", "Có", "Không", "2/3 có", "2/3"]
    assert rows["Phong trào thi đua theo chuyên đề được phát động"] == [
        "Đã phát động, tổ chức sơ kết", "Đã phát động, tổ chức sơ kết", "", "", "",
    ]  # fmt: skip
    assert (table.rows[-1].kind, table.rows[-1].cells) == (
        "total", ["", "Số chỉ tiêu đạt và vượt", "", "3/4", "3/4", "1/2", "", ""],
    )  # fmt: skip
    assert note.text.startswith("Mỗi ô ghi kết quả thực hiện")
    assert note.text.endswith(
        "Đánh giá so với 50% mức cam kết cả năm (tính theo tỷ lệ thời gian đến 30/06/2023); "
        "chỉ tiêu tỷ lệ (%) so với mức cam kết."
    )


def test_the_year_end_attainment_table_judges_against_the_whole_year(
    year_end, targets, members, commitments
):
    services.results_save(period=year_end, cells=keyed(MID_YEAR, targets, members))
    _table, note = attainment_table_blocks(year_end)[-2:]
    rows = {row.cells[1]: row.cells[3:] for row in _table.rows if row.kind == "data"}

    assert rows["Thu ngân sách nhà nước trên địa bàn"] == [
        "1.300 (105,3%)", "40 (88,9%)", "380 (100%)", "1.720", "2/3",
    ]  # fmt: skip
    assert _table.rows[-1].cells[3:6] == ["3/4", "3/4", "2/3"]
    assert note.text.endswith("Đánh giá so với mức cam kết cả năm.")


def test_the_attainment_table_names_the_shares_set_for_the_period(
    mid_year, mid_year_results, targets
):
    services.expectations_save(period=mid_year, shares={targets["recruitment"].pk: Decimal(100)})
    _table, note = attainment_table_blocks(mid_year)[-2:]

    rows = {row.cells[1]: row.cells[3:] for row in _table.rows if row.kind == "data"}
    assert rows["Hoàn thành chỉ tiêu tuyển quân"][-1] == "2/3"
    assert note.text.endswith("Mức đặt riêng cho kỳ này: 3.1: 100%.")


def test_the_document_reads_the_same_in_english(pledge, targets, commitments):
    with translation.override("en"):
        document = pledge_document(pledge=pledge)

    (table,) = [block for block in document.blocks if isinstance(block, Table)]
    assert table.rows[1].cells[3:] == ["1.234,5", "45", "380"]


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
    # Table rows as laid out: the target's column is wide enough for its name, and the
    # narrow columns do not break "STT", "1.1" or "tỷ đồng".
    for row in [
        "STT Chỉ tiêu ĐVT Na Rì Pác Nặm Ba Bể",
        "1.1 Thu ngân sách nhà nước trên địa bàn tỷ đồng 1.234,5 45 380",
        "1.2 Tốc độ tăng giá trị sản xuất % 8,5 8,8 9",
        "2.1 Số vụ tai nạn giao thông vụ 6 4 5",
        # Numbers the Vietnamese way, yes/no and text commitments as words.
        "3.1 Hoàn thành chỉ tiêu tuyển quân Có Không Có",
        "chuyển chuyển chuyển đổi số đổi số đổi số",
    ]:
        assert row in text, row
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
    assert {
        "ĐẠI DIỆN HUYỆN CHỢ ĐỒN",
        "ĐẠI DIỆN HUYỆN CHỢ MỚI",
        "ĐẠI DIỆN HUYỆN NGÂN SƠN",
    } <= set(docx_texts(large.content))


def test_the_pdf_and_the_word_file_print_the_same_words(
    pledge, targets, commitments, signed_members
):
    assert_same_words(pledge_document(pledge=pledge))


def test_twelve_members_heads_print_each_word_whole(body, tmp_path):
    pledge = member_pledge(body, TWELVE)

    pdf, word = assert_same_words(pledge_document(pledge=pledge))

    for layout in (True, False):
        words = pdf_text(pdf, tmp_path, layout=layout).split()
        broken = [w for head in TWELVE_HEADS for w in head.split() if w not in words]
        assert not broken, broken
    head = next(
        t for t in docx.Document(io.BytesIO(word)).tables if t.rows[0].cells[0].text == "STT"
    )
    assert [cell.text for cell in head.rows[0].cells][3:4] == ["TP Nam Định"]
