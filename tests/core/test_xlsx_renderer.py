"""The Excel renderer: a document's tables read back with openpyxl, one sheet per table.

No test here touches the database: rendering a document never queries.
"""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.documents import render_xlsx
from core.documents.model import (
    Column,
    Document,
    DocumentHeader,
    Heading,
    Paragraph,
    Row,
    Table,
)
from core.documents.xlsx import NO_TABLE, cell_value, unique_sheet_title, wrapped_lines
from core.spreadsheets import SheetWriter

HEADER_FILL = "00" + SheetWriter.HEADER_FILL
GROUP_FILL = "00" + SheetWriter.GROUP_FILL


def _header() -> DocumentHeader:
    return DocumentHeader(
        parent_body="UBND tỉnh Bắc Kạn",
        issuer="Cụm thi đua các huyện, thành phố",
        number="05/BC-CTĐ",
        place="Bắc Kạn",
        date=datetime.date(2023, 2, 7),
    )


def _targets() -> Table:
    """Two header rows (members grouped), a group row, data, a total."""
    return Table(
        columns=[
            Column("STT", 0.5, "center"),
            Column("Chỉ tiêu", 3),
            Column("ĐVT", 1, "center"),
            Column("Na Rì", 1, "right"),
            Column("Ba Bể", 1, "right"),
            Column("Tỷ lệ", 1, "right"),
        ],
        header_groups=[("", 1), ("", 1), ("", 1), ("Đơn vị thành viên", 2)],
        rows=[
            Row(["I. Kinh tế"], kind="group"),
            Row(["1", "Lượt cá nhân đăng ký", "lượt", "18.568", "1.524", "55,2%"]),
            Row(["01", "Mã 1.2.3", "—", "92,25", "1.2.3", "0,5%"]),
            Row(["2", '=HYPERLINK("http://x","y")', "", "-3,5", "2023"]),
            Row(["", "Tổng cộng", "", "18.656,75", "3.547", ""], kind="total"),
        ],
        caption="Bảng 1. Kết quả thực hiện chỉ tiêu",
    )


def _ranking() -> Table:
    return Table(
        columns=[Column("Xếp hạng", 1, "center"), Column("Đơn vị", 3)],
        rows=[Row(["1", "Huyện Na Rì"]), Row(["2", "Huyện Ba Bể"])],
    )


def report() -> Document:
    document = Document(
        header=_header(),
        title="Báo cáo",
        subtitle="Tổng kết công tác thi đua, khen thưởng năm 2022",
    )
    document.add(
        Heading("I. CHỈ TIÊU GIAO ƯỚC"),
        Paragraph("Các đơn vị đã hoàn thành chỉ tiêu."),
        _targets(),
        Heading("II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA CỦA CÁC ĐƠN VỊ"),
        _ranking(),
        _ranking(),
    )
    document.closing = [Table(columns=[Column("Ghi chú")], rows=[Row(["Hết."])])]
    return document


def workbook_of(document: Document):
    return load_workbook(io.BytesIO(render_xlsx(document)))


def values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def test_each_table_is_a_sheet_named_after_its_caption_or_heading_in_order():
    workbook = workbook_of(report())
    assert workbook.sheetnames == [
        "Bảng 1. Kết quả thực hiện chỉ",
        "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
        "II. KẾT QUẢ CHẤM ĐIỂM, XẾP (2)",
        "II. KẾT QUẢ CHẤM ĐIỂM, XẾP (3)",
    ]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_each_sheet_starts_with_the_title_subtitle_and_caption_in_bold():
    workbook = workbook_of(report())
    targets, ranking = workbook.worksheets[0], workbook.worksheets[1]
    assert [targets.cell(row, 1).value for row in (1, 2, 3)] == [
        "BÁO CÁO",
        "Tổng kết công tác thi đua, khen thưởng năm 2022",
        "Bảng 1. Kết quả thực hiện chỉ tiêu",
    ]
    assert all(targets.cell(row, 1).font.b for row in (1, 2, 3))
    # A table without a caption is introduced by the heading it follows.
    assert ranking["A3"].value == "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA CỦA CÁC ĐƠN VỊ"
    assert ranking["A3"].font.b
    assert values(ranking, 5) == ["Xếp hạng", "Đơn vị"]


def test_two_header_rows_become_merged_bold_tinted_cells():
    sheet = workbook_of(report()).worksheets[0]
    assert values(sheet, 5) == ["STT", "Chỉ tiêu", "ĐVT", "Đơn vị thành viên", None, "Tỷ lệ"]
    assert values(sheet, 6) == [None, None, None, "Na Rì", "Ba Bể", None]
    merged = sorted(str(cells) for cells in sheet.merged_cells.ranges)
    assert merged == ["A5:A6", "A7:F7", "B5:B6", "C5:C6", "D5:E5", "F5:F6"]
    for ref in ("A5", "D5", "D6", "E6", "F5"):
        assert sheet[ref].font.b, ref
        assert sheet[ref].fill.fgColor.rgb == HEADER_FILL, ref
        assert sheet[ref].alignment.horizontal == "center", ref


def test_a_group_row_is_merged_across_bold_on_the_group_tint_and_a_total_is_bold():
    sheet = workbook_of(report()).worksheets[0]
    assert values(sheet, 7) == ["I. Kinh tế", None, None, None, None, None]
    assert sheet["A7"].font.b
    assert sheet["A7"].fill.fgColor.rgb == GROUP_FILL
    assert values(sheet, 11) == [None, "Tổng cộng", None, Decimal("18656.75"), 3547, None]
    assert all(sheet.cell(11, column).font.b for column in range(1, 7))
    assert not sheet["B8"].font.b


def test_numbers_written_the_vietnamese_way_are_numbers_shown_as_printed():
    sheet = load_workbook(io.BytesIO(render_xlsx(report())), data_only=True).worksheets[0]
    row = sheet[8]
    assert [cell.value for cell in row] == [1, "Lượt cá nhân đăng ký", "lượt", 18568, 1524, 0.552]
    assert [cell.data_type for cell in row] == ["n", "s", "s", "n", "n", "n"]
    assert [cell.number_format for cell in (row[0], row[3], row[5])] == [
        "#,##0",
        "#,##0",
        "#,##0.0%",
    ]
    assert sheet["D9"].value == 92.25
    assert sheet["D9"].number_format == "#,##0.00"
    assert sheet["F9"].value == 0.005
    assert sheet["D10"].value == -3.5
    # A year is a number shown without a thousands dot, as printed.
    assert (sheet["E10"].value, sheet["E10"].number_format) == (2023, "0")


def test_codes_dashes_and_names_stay_text():
    sheet = workbook_of(report()).worksheets[0]
    assert values(sheet, 9)[:3] == ["01", "Mã 1.2.3", "—"]
    assert sheet["E9"].value == "1.2.3"
    assert {sheet[ref].data_type for ref in ("A9", "C9", "E9")} == {"s"}


def test_a_name_that_looks_like_a_formula_stays_a_string():
    sheet = workbook_of(report()).worksheets[0]
    assert sheet["B10"].value == '=HYPERLINK("http://x","y")'
    assert sheet["B10"].data_type == "s"
    assert sheet["B10"].quotePrefix is True


def test_the_sheet_is_frozen_under_the_header_with_widths_from_the_columns():
    workbook = workbook_of(report())
    targets, ranking = workbook.worksheets[0], workbook.worksheets[1]
    assert targets.freeze_panes == "A7"
    assert ranking.freeze_panes == "A6"
    widths = [targets.column_dimensions[letter].width for letter in "ABCDEF"]
    # Shares 0.5 : 3 : 1 : 1 : 1 : 1 of a portrait page's 100 characters (at least 5).
    assert widths == [6.7, 40.0, 13.3, 13.3, 13.3, 13.3]
    assert targets.print_title_rows == "$5:$6"


def test_rows_grow_to_show_every_line_of_their_wrapped_text():
    note = "Xếp trên Huyện Chợ Đồn nhờ điểm nhóm I cao hơn (47,00 so với 44,00)."
    document = Document(header=_header(), title="Bảng tổng hợp")
    document.add(
        Table(
            columns=[Column("STT", 1), Column("Ghi chú", 3)],
            rows=[Row(["1", "Không"]), Row(["2", f"{note} {note}"]), Row(["3", f"{note}\n{note}"])],
        )
    )
    sheet = workbook_of(document).active
    # Columns of 25 and 75 characters: one line, two lines, two paragraphs of one line.
    assert [sheet.column_dimensions[letter].width for letter in "AB"] == [25, 75]
    assert [sheet.row_dimensions[row].height for row in (3, 4, 5, 6)] == [None, None, 30, 30]


@pytest.mark.parametrize(
    ("text", "width", "bold", "lines"),
    [
        ("Huyện Na Rì", 28.4, False, 1),
        ("Nhóm II (30)", 11.1, True, 2),
        ("Đã phát động, tổ chức sơ kết", 10, False, 4),
        ("", 10, False, 1),
        ("Có\nKhông", 10, False, 2),
        ("x" * 25, 10, False, 3),
    ],
)
def test_wrapped_lines_are_counted_as_a_spreadsheet_wraps_at_spaces(text, width, bold, lines):
    assert wrapped_lines(text, width, bold=bold) == lines


def test_a_table_after_the_last_heading_in_the_closing_gets_a_sheet_too():
    sheet = workbook_of(report()).worksheets[3]
    assert values(sheet, 3) == ["II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA CỦA CÁC ĐƠN VỊ"]
    assert [values(sheet, row) for row in (5, 6)] == [["Ghi chú"], ["Hết."]]


def test_a_document_without_a_table_says_so_on_its_one_sheet():
    document = Document(header=_header(), title="Biên bản hội nghị", subtitle="Tổng kết năm 2022")
    document.add(Heading("I. THÀNH PHẦN THAM DỰ"), Paragraph("Đại biểu các đơn vị."))
    workbook = workbook_of(document)
    assert workbook.sheetnames == ["Biên bản hội nghị"]
    sheet = workbook.active
    assert [sheet.cell(row, 1).value for row in (1, 2, 3, 4)] == [
        "BIÊN BẢN HỘI NGHỊ",
        "Tổng kết năm 2022",
        NO_TABLE,
        None,
    ]
    assert NO_TABLE == "Văn bản không có bảng số liệu."
    assert sheet.max_column == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18.568", (18568, "#,##0")),
        ("92,25", (Decimal("92.25"), "#,##0.00")),
        ("55,2%", (Decimal("0.552"), "#,##0.0%")),
        ("1.234.567,5", (Decimal("1234567.5"), "#,##0.0")),
        ("0,125", (Decimal("0.125"), "#,##0.000")),
        ("1", (1, "#,##0")),
        ("2023", (2023, "0")),
        ("01", ("01", "")),
        ("1.2", ("1.2", "")),
        ("1.2.3", ("1.2.3", "")),
        ("8,54 (97%)", ("8,54 (97%)", "")),
        ("+5", ("+5", "")),
        ("—", ("—", "")),
        ("", ("", "")),
        ("1234567890123456", ("1234567890123456", "")),
    ],
)
def test_a_cell_is_a_number_only_when_the_whole_text_is_one_vietnamese_number(text, expected):
    assert cell_value(text) == expected


def test_sheet_titles_are_unique_ignoring_case_and_cut_at_a_word():
    used: set[str] = set()
    names = [
        unique_sheet_title(title, used)
        for title in ["Kết quả", "KẾT QUẢ", "Bảng: tổng hợp [1]", "x" * 40, "x" * 40]
    ]
    assert names == ["Kết quả", "KẾT QUẢ (2)", "Bảng tổng hợp 1", "x" * 31, "x" * 27 + " (2)"]
