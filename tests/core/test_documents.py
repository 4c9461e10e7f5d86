"""The document model and the package's entry points.

No test here touches the database: pytest-django blocks it, so building or rendering a
document would fail if anything queried.
"""

import datetime
import io
import os
import subprocess
import sys

import docx
import pytest
from django.conf import settings as django_settings

from core.documents import (
    Column,
    Document,
    DocumentHeader,
    HeadCell,
    Paragraph,
    Row,
    SignatureBlock,
    Table,
    format_document_number,
    recipient_lines,
    render_docx,
    render_pdf,
    signature_rows,
    vn_long_date,
)

# --------------------------------------------------------------------------- numbers, dates


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


def test_recipient_lines_end_with_semicolons_and_the_last_with_a_full_stop():
    assert recipient_lines(["Các đơn vị thành viên Cụm;", "Lưu: VT."]) == [
        "- Các đơn vị thành viên Cụm;",
        "- Lưu: VT.",
    ]
    assert recipient_lines([]) == []


def test_vn_long_date_is_empty_without_a_date():
    assert vn_long_date(None) == ""
    assert vn_long_date(datetime.date(2024, 11, 3)) == "ngày 03 tháng 11 năm 2024"


def test_only_justified_and_left_aligned_paragraphs_indent_their_first_line():
    assert Paragraph("Nội dung").indented
    assert Paragraph("Nội dung", align="left").indented
    assert not Paragraph("Nội dung", indent=False).indented
    assert not Paragraph("Kính gửi: Ban Thi đua - Khen thưởng tỉnh", align="center").indented
    assert not Paragraph("Người lập biểu", align="right").indented


# --------------------------------------------------------------------------- tables


def _members_table(groups) -> Table:
    columns = [Column("STT", 0.5), Column("Chỉ tiêu", 3), Column("Na Rì", 1), Column("Ba Bể", 1)]
    return Table(columns=columns, rows=[], header_groups=groups)


def test_a_table_without_groups_has_one_header_row():
    table = _members_table([])
    assert table.head_rows() == [
        [HeadCell("STT"), HeadCell("Chỉ tiêu"), HeadCell("Na Rì"), HeadCell("Ba Bể")]
    ]


def test_header_groups_span_their_columns_and_lone_columns_span_both_rows():
    table = _members_table([("", 1), ("Chỉ tiêu", 1), ("Đơn vị thành viên", 2)])
    assert table.head_rows() == [
        [
            HeadCell("STT", rowspan=2),
            HeadCell("Chỉ tiêu", rowspan=2),
            HeadCell("Đơn vị thành viên", colspan=2),
        ],
        [HeadCell("Na Rì"), HeadCell("Ba Bể")],
    ]


def test_columns_after_the_last_group_span_both_header_rows():
    table = _members_table([("Đơn vị", 2)])
    assert table.head_rows() == [
        [HeadCell("Đơn vị", colspan=2), HeadCell("Na Rì", rowspan=2), HeadCell("Ba Bể", rowspan=2)],
        [HeadCell("STT"), HeadCell("Chỉ tiêu")],
    ]


def test_header_groups_wider_than_the_table_are_refused():
    with pytest.raises(ValueError):
        _members_table([("Đơn vị", 5)]).head_rows()


def test_column_shares_add_up_to_one():
    assert _members_table([]).shares() == pytest.approx([0.5 / 5.5, 3 / 5.5, 1 / 5.5, 1 / 5.5])
    zero = Table(columns=[Column("A", 0), Column("B", 0)], rows=[])
    assert zero.shares() == [0.5, 0.5]


def test_short_rows_are_padded_and_long_rows_refused():
    table = _members_table([])
    assert table.cells_of(Row(["1", "Thu ngân sách"])) == ["1", "Thu ngân sách", "", ""]
    with pytest.raises(ValueError):
        table.cells_of(Row(["1", "2", "3", "4", "5"]))


# --------------------------------------------------------------------------- the package


def _memo() -> Document:
    document = Document(
        header=DocumentHeader("UBND tỉnh Bắc Kạn", "Cụm thi đua", place="Bắc Kạn"),
        title="Thông báo",
    )
    document.add(None, Paragraph("Kính gửi các đơn vị thành viên."), None)
    return document


def test_add_skips_the_sections_that_have_nothing_to_say():
    assert [block.text for block in _memo().blocks] == ["Kính gửi các đơn vị thành viên."]


def test_the_package_renders_a_document_both_ways():
    pdf = render_pdf(_memo())
    assert pdf.startswith(b"%PDF")
    word = docx.Document(io.BytesIO(render_docx(_memo())))
    assert "Kính gửi các đơn vị thành viên." in [p.text for p in word.paragraphs]


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
