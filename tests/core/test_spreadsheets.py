"""The one spreadsheet writer and reader: text never becomes a formula, numbers follow
one rule, LibreOffice files read like Excel's."""

import io
import math
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.spreadsheets import (
    CellValueError,
    SheetWriter,
    SpreadsheetError,
    is_ambiguous_number,
    open_workbook,
    read_number,
    safe_sheet_title,
    sheet_problems,
    workbook_bytes,
)
from tests.core.ods import workbook_to_ods

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1"]


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_written_as_text_never_as_a_formula(text):
    writer = SheetWriter.new("Chỉ tiêu")
    writer.write(1, 1, text)
    sheet = load_workbook(io.BytesIO(workbook_bytes(writer))).active
    assert sheet["A1"].value == text
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].quotePrefix is True


def test_plain_text_and_numbers_keep_their_types():
    writer = SheetWriter.new()
    writer.write(1, 1, "Thu ngân sách")
    writer.write(1, 2, Decimal("1234.5"), number_format="#,##0.##")
    writer.write(1, 3, 18568)
    sheet = load_workbook(io.BytesIO(workbook_bytes(writer))).active
    assert [c.value for c in sheet[1]] == ["Thu ngân sách", 1234.5, 18568]
    assert sheet["A1"].quotePrefix is False
    assert sheet["B1"].number_format == "#,##0.##"


def test_a_text_that_looks_like_a_formula_imports_back_as_text():
    writer = SheetWriter.new()
    writer.write(1, 1, '=HYPERLINK("http://x","y")')
    workbook = open_workbook(upload(workbook_bytes(writer), "x.xlsx"))
    assert sheet_problems(workbook.active, first_row=1) == []
    assert workbook.active["A1"].value == '=HYPERLINK("http://x","y")'


def test_a_real_formula_is_refused():
    workbook = Workbook()
    workbook.active["A1"] = "=1+1"
    problems = sheet_problems(
        open_workbook(upload(workbook_bytes(workbook), "x.xlsx")).active, first_row=1
    )
    assert [(p.ref, p.message) for p in problems] == [
        ("A1", "Ô có công thức; hãy dán giá trị (Paste Values) thay cho công thức.")
    ]


@pytest.mark.parametrize("title", ["Kết quả: 6/2023 [nháp]", "x" * 40, "''"])
def test_sheet_titles_are_what_excel_accepts(title):
    cleaned = safe_sheet_title(title)
    assert len(cleaned) <= 31 and cleaned
    assert not set("[]:*?/\\") & set(cleaned)
    Workbook().create_sheet(cleaned)


# --- Numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("18.568", Decimal("18568")),
        ("8,5", Decimal("8.5")),
        (42, Decimal("42")),
        (55.2, Decimal("55.2")),
        (Decimal("0.00005"), Decimal("0.0001")),
    ],
)
def test_numbers_follow_one_vietnamese_rule(value, expected):
    assert read_number(value) == expected


def test_a_percent_cell_is_read_as_the_number_typed():
    assert read_number(0.095, percent_format=True) == Decimal("9.5")


@pytest.mark.parametrize(
    "value",
    [1e300, -1e300, math.inf, math.nan, "1e300", Decimal("1e20"), 10**15, "99999999999999999"],
)
def test_numbers_out_of_range_are_too_large_not_an_error_page(value):
    with pytest.raises(CellValueError) as excinfo:
        read_number(value)
    assert str(excinfo.value) in ("Số quá lớn.", f"“{value}” không phải là số.")


def test_words_and_booleans_are_not_numbers():
    for value in ["mười", True]:
        with pytest.raises(CellValueError) as excinfo:
            read_number(value)
        assert str(excinfo.value) == f"“{value}” không phải là số."


@pytest.mark.parametrize(
    ("value", "ambiguous"),
    [("1.234", True), ("12.500", True), ("-1.234", True), ("0.125", False), ("1.234.567", False),
     ("1,234", False), ("1.23", False), ("1234", False), (1.234, False)],
)  # fmt: skip
def test_a_single_dot_before_three_digits_is_ambiguous(value, ambiguous):
    assert is_ambiguous_number(value) is ambiguous


# --- LibreOffice ----------------------------------------------------------------------------


def _sample_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả"
    sheet["A1"] = "Huyện Na Rì"
    sheet["B1"] = 55.2
    sheet["C1"] = True
    sheet["D1"] = 0.5
    sheet["D1"].number_format = "0%"
    meta = workbook.create_sheet("_meta")
    meta["A1"], meta["B1"] = "kind", "results"
    return workbook


def test_a_libreoffice_spreadsheet_reads_like_an_excel_one():
    content = workbook_to_ods(_sample_workbook())
    workbook = open_workbook(upload(content, "ket-qua.ods"))
    assert workbook.sheetnames == ["Kết quả", "_meta"]
    sheet = workbook["Kết quả"]
    assert [c.value for c in sheet[1]] == ["Huyện Na Rì", 55.2, True, 0.5]
    assert "%" in sheet["D1"].number_format
    assert workbook["_meta"]["B1"].value == "results"


def test_formulas_and_merged_cells_in_a_libreoffice_file_are_refused_too():
    source = _sample_workbook()
    source.active["E1"] = "=1+1"
    source.active["A3"] = "gộp"
    source.active.merge_cells("A3:B3")
    sheet = open_workbook(upload(workbook_to_ods(source), "x.ods")).active
    assert [(p.ref, p.message) for p in sheet_problems(sheet, first_row=1)] == [
        ("A3:B3", "Không được gộp ô trong vùng dữ liệu; hãy bỏ gộp ô."),
        ("E1", "Ô có công thức; hãy dán giá trị (Paste Values) thay cho công thức."),
    ]


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.4 not a sheet", "x.ods"), (b"PK\x03\x04broken", "x.ods")],
)
def test_what_is_not_a_spreadsheet_is_refused(content, name):
    with pytest.raises(SpreadsheetError) as excinfo:
        open_workbook(upload(content, name))
    assert str(excinfo.value) == "Tệp này không phải là bảng tính (.xlsx hoặc .ods)."


def test_a_zip_that_is_neither_excel_nor_libreoffice_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(SpreadsheetError):
        open_workbook(upload(buffer.getvalue(), "x.ods"))


def test_a_file_saved_by_libreoffice_calc_itself_is_read_with_the_same_checks():
    # Exported by SheetWriter, opened and saved as .ods by LibreOffice Calc 7.
    path = Path(__file__).parent / "fixtures" / "saved-by-libreoffice.ods"
    workbook = open_workbook(upload(path.read_bytes(), "cam-ket.ods"))
    assert workbook.sheetnames == ["Cam kết", "_meta"]
    sheet = workbook["Cam kết"]
    assert [sheet[ref].value for ref in ("A1", "D5", "F5", "D7", "F7", "G7")] == [
        "CAM KẾT",
        "Chỉ tiêu",
        "Na Rì",
        '=HYPERLINK("x")',
        1234.5,
        "1.250",
    ]
    assert [(p.ref, p.message) for p in sheet_problems(sheet, first_row=5)] == [
        ("A10:B10", "Không được gộp ô trong vùng dữ liệu; hãy bỏ gộp ô."),
        ("H7", "Ô có công thức; hãy dán giá trị (Paste Values) thay cho công thức."),
    ]
    assert workbook["_meta"]["B1"].value == "commitments"
