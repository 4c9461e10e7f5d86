"""Excel templates of commitments and results, and importing them back.

Every workbook here is a real .xlsx written and read by openpyxl; uploads go through the
import views, so the user's preview, problem list and messages are what is checked.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from pledges import services
from pledges.models import Commitment, Result
from pledges.services import Cell
from tests.core.ods import workbook_to_ods
from tests.pledges.conftest import CAMPAIGN, MID_YEAR
from tests.pledges.helpers import element_text, messages_of, page, text_of

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUDGET = "Thu ngân sách nhà nước trên địa bàn"
ACCIDENTS = "Số vụ tai nạn giao thông"
NO_CHANGES = "Tệp trùng khớp với dữ liệu đã lưu: không có gì thay đổi."


def commitments_xlsx(pledge) -> str:
    return reverse("pledges:pledge-commitments-xlsx", args=[pledge.pk])


def commitments_import(pledge) -> str:
    return reverse("pledges:pledge-commitments-import", args=[pledge.pk])


def results_xlsx(period) -> str:
    return reverse("pledges:period-results-xlsx", args=[period.pk])


def results_import(period) -> str:
    return reverse("pledges:period-results-import", args=[period.pk])


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def as_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, url, content: bytes, name: str = "cam-ket.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type=XLSX)})


def problems(response) -> list[str]:
    listed = page(response).get_element_by_id("import-problems")
    return [" ".join(item.text_content().split()) for item in listed.xpath(".//li")]


def problem_heading(response) -> str:
    return text_of(page(response).get_element_by_id("import-problems").xpath(".//strong")[0])


def preview_rows(response, section="import-changes") -> list[list[str]]:
    table = page(response).get_element_by_id(section)
    return [[text_of(td) for td in row.xpath("./td")] for row in table.xpath(".//tbody/tr")]


def commitment_values() -> dict:
    return {
        (c.target.name, c.member.unit.short_name): (c.value, c.text)
        for c in Commitment.objects.select_related("target", "member__unit")
    }


# --- The templates --------------------------------------------------------------------------------


def test_the_commitments_template_lists_targets_by_members_with_stored_values(
    staff_client, pledge, targets, members, commitments
):
    workbook = download(staff_client, commitments_xlsx(pledge))
    assert workbook.sheetnames == ["Cam kết", "_meta"]
    assert workbook["_meta"].sheet_state == "hidden"
    meta = [(row[0], row[1]) for row in workbook["_meta"].iter_rows(values_only=True)]
    assert meta[:2] == [("kind", "commitments"), ("pledge", str(pledge.pk))]
    assert meta[2][0] == "made_at"
    made_at = datetime.datetime.fromisoformat(meta[2][1])
    assert abs((timezone.now() - made_at).total_seconds()) < 60
    sheet = workbook["Cam kết"]
    assert sheet["A1"].value == "CAM KẾT CHỈ TIÊU — GIAO ƯỚC THI ĐUA NĂM 2023"
    assert sheet["A2"].value == "Cụm thi đua các huyện, thành phố"
    assert [c.value for c in sheet[5]] == [
        "#", "STT", "Nhóm", "Chỉ tiêu", "Đơn vị tính", "Na Rì", "Pác Nặm", "Ba Bể",
    ]  # fmt: skip
    assert [c.value for c in sheet[6]] == [
        "#", None, None, None, None,
        f"M{members['Na Rì'].pk}", f"M{members['Pác Nặm'].pk}", f"M{members['Ba Bể'].pk}",
    ]  # fmt: skip
    assert sheet.column_dimensions["A"].hidden and sheet.row_dimensions[6].hidden
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]
    assert rows == [
        [f"T{targets['budget'].pk}", "1.1", "Kinh tế", BUDGET, "tỷ đồng", 1234.5, 45, 380],
        [f"T{targets['growth'].pk}", "1.2", "Kinh tế", "Tốc độ tăng giá trị sản xuất", "%",
         8.5, 8.8, 9],
        [f"T{targets['accidents'].pk}", "2.1", "Văn hóa - Xã hội", ACCIDENTS, "vụ", 6, 4, 5],
        [f"T{targets['recruitment'].pk}", "3.1", "Quốc phòng - An ninh",
         "Hoàn thành chỉ tiêu tuyển quân", None, "Có", "Không", "Có"],
        [f"T{targets['campaign'].pk}", "4.1", "Công tác thi đua, khen thưởng",
         "Phong trào thi đua theo chuyên đề được phát động", None, CAMPAIGN, CAMPAIGN, CAMPAIGN],
    ]  # fmt: skip
    assert sheet["F7"].protection.locked is False
    assert sheet["F7"].number_format == "#,##0.####"


def test_the_results_template_names_its_period_and_carries_stored_results(
    staff_client, mid_year, targets, members, mid_year_results
):
    response = staff_client.get(results_xlsx(mid_year))
    assert response["Content-Disposition"] == (
        f'attachment; filename="ket-qua-2023-{mid_year.pk}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Kết quả", "_meta"]
    meta = dict(workbook["_meta"].iter_rows(values_only=True))
    assert meta.pop("made_at")
    assert meta == {
        "kind": "results",
        "pledge": str(mid_year.pledge_id),
        "period": str(mid_year.pk),
    }
    sheet = workbook["Kết quả"]
    assert sheet["A1"].value == "KẾT QUẢ THỰC HIỆN — SƠ KẾT 6 THÁNG NĂM 2023"
    assert [c.value for c in sheet[5]][5:] == ["Na Rì", "Pác Nặm", "Ba Bể"]
    assert [c.value for c in sheet[7]][5:] == [1300, 40, 380]
    assert [c.value for c in sheet[8]][5:] == [8.5, 9, None]
    assert [c.value for c in sheet[10]][5:] == ["Có", "Có", "Không"]


# --- Round trip -----------------------------------------------------------------------------------


def test_an_unchanged_template_imports_as_no_changes_and_confirming_writes_nothing(
    staff_client, pledge, targets, members, commitments
):
    content = staff_client.get(commitments_xlsx(pledge)).content
    response = upload(staff_client, commitments_import(pledge), content)
    assert response.status_code == 200
    assert element_text(response, "import-no-changes") == NO_CHANGES
    before, history = commitment_values(), Commitment.history.count()
    confirmed = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert (confirmed.status_code, confirmed.url) == (
        302,
        reverse("pledges:pledge-commitments", args=[pledge.pk]),
    )
    assert messages_of(confirmed) == ["Đã nhập: 0 ô thay đổi."]
    assert commitment_values() == before
    assert Commitment.history.count() == history


def test_two_changed_cells_are_previewed_then_saved_on_confirmation(
    staff_client, pledge, targets, members, commitments
):
    workbook = download(staff_client, commitments_xlsx(pledge))
    sheet = workbook["Cam kết"]
    sheet["H7"] = 400  # Ba Bể, budget: 380 → 400
    sheet["G9"] = "3"  # Pác Nặm, accidents: 4 → 3, typed as text
    response = upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    card = page(response).get_element_by_id("import-changes")
    assert text_of(card.xpath("./div[@class='card-header']")[0]) == "2 ô sẽ thay đổi"
    assert preview_rows(response) == [
        ["Huyện Ba Bể", f"1.1 {BUDGET}", "380", "400"],
        ["Huyện Pác Nặm", f"2.1 {ACCIDENTS}", "4", "3"],
    ]
    assert commitment_values()[(BUDGET, "Ba Bể")] == (Decimal("380"), "")

    confirmed = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert messages_of(confirmed) == ["Đã nhập: 2 ô thay đổi."]
    values = commitment_values()
    assert values[(BUDGET, "Ba Bể")] == (Decimal("400"), "")
    assert values[(ACCIDENTS, "Pác Nặm")] == (Decimal("3"), "")
    assert values[(BUDGET, "Na Rì")] == (Decimal("1234.5"), "")
    assert len(values) == 15


def test_results_are_imported_into_their_period(
    secretary_client, mid_year, year_end, targets, members, commitments
):
    workbook = download(secretary_client, results_xlsx(mid_year))
    sheet = workbook["Kết quả"]
    sheet["F7"], sheet["G10"], sheet["H11"] = "1.300,5", "Không", "Đã tổ chức"
    response = upload(secretary_client, results_import(mid_year), as_bytes(workbook), "kq.xlsx")
    assert preview_rows(response) == [
        ["Huyện Na Rì", f"1.1 {BUDGET}", "—", "1.300,5"],
        ["Huyện Pác Nặm", "3.1 Hoàn thành chỉ tiêu tuyển quân", "—", "Không"],
        ["Huyện Ba Bể", "4.1 Phong trào thi đua theo chuyên đề được phát động", "—", "Đã tổ chức"],
    ]
    confirmed = secretary_client.post(results_import(mid_year), {"confirm": "1"})
    assert (confirmed.url, messages_of(confirmed)) == (
        reverse("pledges:period-results", args=[mid_year.pk]),
        ["Đã nhập: 3 ô thay đổi."],
    )
    assert {
        (r.target.name, r.member.unit.short_name): (r.value, r.text)
        for r in Result.objects.filter(period=mid_year).select_related("target", "member__unit")
    } == {
        (BUDGET, "Na Rì"): (Decimal("1300.5"), ""),
        ("Hoàn thành chỉ tiêu tuyển quân", "Pác Nặm"): (Decimal("0"), ""),
        ("Phong trào thi đua theo chuyên đề được phát động", "Ba Bể"): (None, "Đã tổ chức"),
    }
    assert not Result.objects.filter(period=year_end).exists()


def test_emptying_a_cell_in_excel_deletes_the_value(staff_client, pledge, targets, commitments):
    workbook = download(staff_client, commitments_xlsx(pledge))
    workbook["Cam kết"]["F7"] = None
    response = upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    assert preview_rows(response) == [["Huyện Na Rì", f"1.1 {BUDGET}", "1.234,5", "—"]]
    staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert (BUDGET, "Na Rì") not in commitment_values()


def test_a_sheet_without_its_hidden_keys_is_matched_by_names(
    staff_client, pledge, targets, commitments
):
    workbook = download(staff_client, commitments_xlsx(pledge))
    del workbook["_meta"]
    sheet = workbook["Cam kết"]
    for row in range(6, 12):
        sheet.cell(row=row, column=1).value = None
    for column in range(6, 9):
        sheet.cell(row=6, column=column).value = None
    sheet["H5"] = "huyen ba be"  # typed without diacritics
    sheet["H7"] = 401
    response = upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    assert preview_rows(response) == [["Huyện Ba Bể", f"1.1 {BUDGET}", "380", "401"]]


def test_a_template_downloaded_in_english_imports_in_vietnamese(
    staff_client, pledge, targets, commitments
):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    workbook = download(staff_client, commitments_xlsx(pledge))
    assert workbook.sheetnames == ["Commitments", "_meta"]
    workbook["Commitments"]["H7"] = 401
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    assert preview_rows(response) == [["Huyện Ba Bể", f"1.1 {BUDGET}", "380", "401"]]


def test_a_percentage_typed_in_excel_is_read_as_shown(staff_client, pledge, targets, commitments):
    # Typing "9,5%" in Excel stores 0.095 with a percentage format; the grid reads "9,5%"
    # as 9,5, and so must the import.
    workbook = download(staff_client, commitments_xlsx(pledge))
    sheet = workbook["Cam kết"]
    sheet["F8"], sheet["F8"].number_format = 0.095, "0.0%"
    sheet["G7"], sheet["G7"].number_format = 0.5, "0%"
    response = upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    assert preview_rows(response) == [
        ["Huyện Pác Nặm", f"1.1 {BUDGET}", "45", "50"],
        ["Huyện Na Rì", "1.2 Tốc độ tăng giá trị sản xuất", "8,5", "9,5"],
    ]


def test_a_confirmation_without_a_preview_saves_nothing(staff_client, pledge, commitments):
    history = Commitment.history.count()
    response = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert (response.status_code, response.url) == (302, commitments_import(pledge))
    assert messages_of(response) == ["Bản xem trước đã hết hạn; hãy tải tệp lên lại."]
    assert Commitment.history.count() == history


def test_a_preview_of_commitments_cannot_be_confirmed_as_results(
    staff_client, pledge, mid_year, targets, commitments
):
    workbook = download(staff_client, commitments_xlsx(pledge))
    workbook["Cam kết"]["F7"] = 2000
    upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    response = staff_client.post(results_import(mid_year), {"confirm": "1"})
    assert messages_of(response) == ["Bản xem trước đã hết hạn; hãy tải tệp lên lại."]
    assert not Result.objects.exists()
    assert commitment_values()[(BUDGET, "Na Rì")] == (Decimal("1234.5"), "")


# --- Bad uploads ----------------------------------------------------------------------------------


@pytest.fixture
def template(staff_client, pledge, targets, members, commitments):
    """The commitments workbook as downloaded, ready to be spoiled."""
    return download(staff_client, commitments_xlsx(pledge))


def assert_refused(staff_client, pledge, content, expected, name="cam-ket.xlsx"):
    before, history = commitment_values(), Commitment.history.count()
    response = upload(staff_client, commitments_import(pledge), content, name)
    assert response.status_code == 200
    assert problems(response) == expected
    count = len(expected)
    assert problem_heading(response) == f"Tệp có {count} lỗi; chưa lưu dữ liệu nào."
    assert "pledge-import" not in staff_client.session
    confirmed = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert messages_of(confirmed) == ["Bản xem trước đã hết hạn; hãy tải tệp lên lại."]
    assert commitment_values() == before
    assert Commitment.history.count() == history


NOT_A_WORKBOOK = "Tệp này không phải là bảng tính (.xlsx hoặc .ods)."


def test_a_pdf_renamed_xlsx_is_refused(staff_client, pledge, template):
    content = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    assert_refused(staff_client, pledge, content, [NOT_A_WORKBOOK])


def test_a_text_file_renamed_xlsx_is_refused(staff_client, pledge, template):
    content = "Đơn vị;Thu ngân sách\nNa Rì;400\n".encode()
    assert_refused(staff_client, pledge, content, [NOT_A_WORKBOOK])


def test_a_zip_that_is_not_a_workbook_is_refused(staff_client, pledge, template):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bao-cao.txt", "Không phải bảng tính")
    assert_refused(staff_client, pledge, buffer.getvalue(), [NOT_A_WORKBOOK])


def test_an_old_xls_file_is_refused(staff_client, pledge, template):
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        ["Không nhận tệp Excel cũ (.xls): hãy mở bằng Excel và lưu lại dạng .xlsx."],
        name="cam-ket.xls",
    )


def test_an_empty_file_is_refused(staff_client, pledge, template):
    response = upload(staff_client, commitments_import(pledge), b"")
    # Django's own form check comes first: an empty upload is "empty".
    assert response.context["form"].errors["file"] == ["Tập tin được gửi là rỗng."]


def test_a_file_over_the_limit_is_refused_with_its_size(
    staff_client, pledge, template, monkeypatch
):
    content = as_bytes(template)
    monkeypatch.setattr("core.spreadsheets.MAX_UPLOAD_BYTES", 1024)
    with translation.override("vi"):
        size, limit = (filesizeformat(n).replace("\xa0", " ") for n in (len(content), 1024))
    assert_refused(
        staff_client, pledge, content, [f"Tệp có dung lượng {size}, vượt giới hạn {limit}."]
    )


def test_a_file_over_five_megabytes_is_refused_before_it_is_opened(staff_client, pledge, template):
    content = as_bytes(template) + b"\0" * (5 * 1024 * 1024)
    response = upload(staff_client, commitments_import(pledge), content)
    assert response.context["form"].errors["file"] == ["Tệp lớn hơn 5 MB."]
    assert "import-preview" not in response.content.decode()


def test_a_formula_in_a_data_cell_is_refused(staff_client, pledge, template):
    template["Cam kết"]["G7"] = "=F7*2"
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        ["G7: Ô có công thức; hãy dán giá trị (Paste Values) thay cho công thức."],
    )


def test_merged_cells_in_the_data_area_are_refused(staff_client, pledge, template):
    template["Cam kết"].merge_cells("F8:G8")
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        ["F8:G8: Không được gộp ô trong vùng dữ liệu; hãy bỏ gộp ô."],
    )


def test_an_empty_sheet_is_refused(staff_client, pledge, template):
    workbook = Workbook()
    workbook.active.title = "Cam kết"
    workbook.active["A1"] = "Cam kết chỉ tiêu"
    assert_refused(staff_client, pledge, as_bytes(workbook), ["Trang tính trống."])


def test_a_results_template_uploaded_as_commitments_is_refused(
    staff_client, pledge, mid_year, template
):
    content = staff_client.get(results_xlsx(mid_year)).content
    assert_refused(
        staff_client,
        pledge,
        content,
        ["Bảng tính không có trang “Cam kết”: hãy dùng tệp mẫu tải về từ trang này."],
    )


def test_a_results_sheet_renamed_as_commitments_is_refused_by_its_kind(
    staff_client, pledge, mid_year, template
):
    workbook = download(staff_client, results_xlsx(mid_year))
    workbook["Kết quả"].title = "Cam kết"
    assert_refused(
        staff_client, pledge, as_bytes(workbook), ["Tệp này là mẫu của loại dữ liệu khác."]
    )


def test_a_template_of_another_pledge_is_refused(staff_client, pledge, template, neighbour_pledge):
    content = staff_client.get(commitments_xlsx(neighbour_pledge["pledge"])).content
    assert_refused(
        staff_client,
        pledge,
        content,
        ["Tệp này được tải về cho một giao ước hoặc kỳ báo cáo khác."],
    )


def test_a_template_of_another_period_is_refused(
    staff_client, mid_year, year_end, targets, commitments
):
    content = staff_client.get(results_xlsx(year_end)).content
    response = upload(staff_client, results_import(mid_year), content)
    assert problems(response) == ["Tệp này được tải về cho một giao ước hoặc kỳ báo cáo khác."]
    assert not Result.objects.exists()


def test_an_unknown_unit_column_is_refused(staff_client, pledge, template):
    sheet = template["Cam kết"]
    sheet["I5"], sheet["I7"] = "Huyện Chợ Đồn", 120
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        ["I5: “Huyện Chợ Đồn” không phải là đơn vị thành viên của năm này."],
    )


def test_a_unit_column_twice_is_refused(staff_client, pledge, members, template):
    sheet = template["Cam kết"]
    sheet["I5"], sheet["I6"] = "Na Rì", f"M{members['Na Rì'].pk}"
    assert_refused(
        staff_client, pledge, as_bytes(template), ["I5: “Huyện Na Rì” xuất hiện hai lần."]
    )


def test_text_in_a_number_cell_is_refused(staff_client, pledge, template):
    sheet = template["Cam kết"]
    sheet["F7"], sheet["G8"] = "khoảng 400", "tám phẩy tám"
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        ["F7: “khoảng 400” không phải là số.", "G8: “tám phẩy tám” không phải là số."],
    )


def test_a_yes_no_cell_with_another_answer_is_refused(staff_client, pledge, template):
    template["Cam kết"]["F10"] = "Ừ"
    assert_refused(staff_client, pledge, as_bytes(template), ["F10: “Ừ”: hãy ghi Có hoặc Không."])


def test_a_row_for_a_target_not_in_this_pledge_is_refused(staff_client, pledge, template):
    sheet = template["Cam kết"]
    sheet["D12"], sheet["F12"] = "Tỷ lệ hộ nghèo", 5
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        ["D12: “Tỷ lệ hộ nghèo” không phải là chỉ tiêu của giao ước này."],
    )


def test_a_row_keyed_to_a_target_of_another_pledge_is_refused(
    staff_client, pledge, template, neighbour_pledge
):
    sheet = template["Cam kết"]
    foreign = neighbour_pledge["target"]
    sheet["A12"], sheet["D12"], sheet["F12"] = f"T{foreign.pk}", None, 98
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        [f"D12: “T{foreign.pk}” không phải là chỉ tiêu của giao ước này."],
    )


def test_a_number_too_large_to_store_is_refused(staff_client, pledge, template):
    template["Cam kết"]["F7"] = 10**15
    assert_refused(staff_client, pledge, as_bytes(template), ["F7: Số quá lớn."])


def test_every_problem_of_the_sheet_is_listed_at_once(staff_client, pledge, template):
    sheet = template["Cam kết"]
    sheet["F7"], sheet["H9"], sheet["G10"] = "abc", "5 vụ", "có lẽ"
    assert_refused(
        staff_client,
        pledge,
        as_bytes(template),
        [
            "F7: “abc” không phải là số.",
            "H9: “5 vụ” không phải là số.",
            "G10: “có lẽ”: hãy ghi Có hoặc Không.",
        ],
    )


def test_a_value_for_a_target_removed_since_the_preview_saves_nothing(
    staff_client, pledge, targets, commitments
):
    workbook = download(staff_client, commitments_xlsx(pledge))
    workbook["Cam kết"]["F8"], workbook["Cam kết"]["F7"] = 9, 1300
    upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    # Meanwhile someone deletes the growth commitments and the target itself.
    Commitment.objects.filter(target=targets["growth"]).delete()
    services.targets_save(pledge=pledge, rows=[], delete=[targets["growth"]])
    response = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert messages_of(response) == ["Có giá trị gắn với chỉ tiêu không thuộc giao ước này."]
    assert commitment_values()[(BUDGET, "Na Rì")] == (Decimal("1234.5"), "")


def test_mid_year_results_fixture_matches_the_template(
    staff_client, mid_year, targets, members, mid_year_results
):
    # Results written by the service come back out of the template as they went in.
    workbook = download(staff_client, results_xlsx(mid_year))
    sheet = workbook["Kết quả"]
    columns = {"Na Rì": "F", "Pác Nặm": "G", "Ba Bể": "H"}
    rows = {"budget": 7, "growth": 8, "accidents": 9, "recruitment": 10, "campaign": 11}
    for (target, member), cell in MID_YEAR.items():
        value = sheet[f"{columns[member]}{rows[target]}"].value
        if target == "recruitment":
            assert value == ("Có" if cell.value else "Không")
        elif target == "campaign":
            assert value == cell.text
        else:
            assert Decimal(str(value)) == cell.value
    assert Cell() == Cell(None, "")


# --- Text that looks like a formula, huge numbers, LibreOffice, ambiguous dots --------------------


def test_a_target_named_like_a_formula_is_exported_as_text_and_imports_back_unchanged(
    staff_client, pledge, targets, members, commitments
):
    formula = '=HYPERLINK("http://x","y")'
    targets["budget"].name = formula
    targets["budget"].save()
    content = staff_client.get(commitments_xlsx(pledge)).content
    cell = load_workbook(io.BytesIO(content))["Cam kết"]["D7"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (formula, "s", True)
    response = upload(staff_client, commitments_import(pledge), content)
    assert element_text(response, "import-no-changes") == NO_CHANGES


def test_a_huge_number_in_a_results_import_is_a_cell_error_not_an_error_page(
    secretary_client, mid_year, targets, members, commitments
):
    workbook = download(secretary_client, results_xlsx(mid_year))
    workbook["Kết quả"]["F7"] = 1e300
    workbook["Kết quả"]["G8"] = "1e300"
    response = upload(secretary_client, results_import(mid_year), as_bytes(workbook), "kq.xlsx")
    assert response.status_code == 200
    assert problems(response) == ["F7: Số quá lớn.", "G8: “1e300” không phải là số."]
    assert not Result.objects.exists()


def test_a_template_saved_by_libreoffice_imports_like_excel(
    staff_client, pledge, targets, members, commitments
):
    workbook = download(staff_client, commitments_xlsx(pledge))
    workbook["Cam kết"]["H7"] = 400
    content = workbook_to_ods(workbook)
    response = upload(staff_client, commitments_import(pledge), content, "cam-ket.ods")
    assert preview_rows(response) == [["Huyện Ba Bể", f"1.1 {BUDGET}", "380", "400"]]
    confirmed = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert messages_of(confirmed) == ["Đã nhập: 1 ô thay đổi."]
    assert commitment_values()[(BUDGET, "Ba Bể")] == (Decimal("400"), "")


def test_a_formula_in_a_libreoffice_file_is_refused(staff_client, pledge, template):
    template["Cam kết"]["F7"] = "=1+1"
    content = workbook_to_ods(template)
    assert_refused(
        staff_client,
        pledge,
        content,
        ["F7: Ô có công thức; hãy dán giá trị (Paste Values) thay cho công thức."],
        name="cam-ket.ods",
    )


def test_a_number_with_one_dot_before_three_digits_is_flagged_in_the_preview(
    staff_client, pledge, template
):
    template["Cam kết"]["H7"] = "1.250"
    response = upload(staff_client, commitments_import(pledge), as_bytes(template))
    warnings = page(response).get_element_by_id("import-warnings")
    assert [" ".join(li.text_content().split()) for li in warnings.xpath(".//li")] == [
        "H7: “1.250” được đọc là 1.250: dấu chấm ngăn hàng nghìn. "
        "Nếu là số thập phân, hãy gõ 1,250."
    ]
    assert preview_rows(response) == [["Huyện Ba Bể", f"1.1 {BUDGET}", "380", "1.250"]]


def test_the_template_states_the_number_rule(staff_client, pledge, template):
    note = template["Cam kết"]["A3"].value
    assert "dấu phẩy (,) ngăn phần thập phân, dấu chấm (.) ngăn hàng nghìn: 1.234,5" in note
    assert "dấu chấm hoặc dấu phẩy" not in note.lower()


# --- Imports never revert newer data --------------------------------------------------------------


@pytest.fixture
def stale_template(staff_client, pledge, targets, members, commitments):
    """A template downloaded before someone else changed Na Rì's budget (1.234,5 → 1.500)."""
    workbook = download(staff_client, commitments_xlsx(pledge))
    services.commitments_save(
        pledge=pledge, cells={(targets["budget"].pk, members["Na Rì"].pk): Cell(Decimal(1500))}
    )
    workbook["Cam kết"]["H7"] = 400  # the importer's own change: Ba Bể's budget
    return workbook


def test_cells_changed_since_the_template_was_made_are_set_apart_and_kept(
    staff_client, pledge, stale_template
):
    response = upload(staff_client, commitments_import(pledge), as_bytes(stale_template))
    assert preview_rows(response, "import-conflicts") == [
        ["", "Huyện Na Rì", f"1.1 {BUDGET}", "1.500", "1.234,5"]
    ]
    assert preview_rows(response) == [["Huyện Ba Bể", f"1.1 {BUDGET}", "380", "400"]]
    confirmed = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert messages_of(confirmed) == ["Đã nhập: 1 ô thay đổi."]
    values = commitment_values()
    assert values[(BUDGET, "Na Rì")] == (Decimal("1500"), "")
    assert values[(BUDGET, "Ba Bể")] == (Decimal("400"), "")


def test_a_ticked_conflict_takes_the_value_in_the_file(
    staff_client, pledge, targets, members, stale_template
):
    upload(staff_client, commitments_import(pledge), as_bytes(stale_template))
    key = f"{targets['budget'].pk}-{members['Na Rì'].pk}"
    confirmed = staff_client.post(commitments_import(pledge), {"confirm": "1", "accept": key})
    assert messages_of(confirmed) == ["Đã nhập: 2 ô thay đổi."]
    assert commitment_values()[(BUDGET, "Na Rì")] == (Decimal("1234.5"), "")


def test_a_save_between_preview_and_confirmation_saves_nothing(
    staff_client, pledge, targets, members, commitments
):
    workbook = download(staff_client, commitments_xlsx(pledge))
    workbook["Cam kết"]["H7"] = 400
    upload(staff_client, commitments_import(pledge), as_bytes(workbook))
    services.commitments_save(
        pledge=pledge, cells={(targets["budget"].pk, members["Ba Bể"].pk): Cell(Decimal(390))}
    )
    confirmed = staff_client.post(commitments_import(pledge), {"confirm": "1"})
    assert messages_of(confirmed) == [
        "1 ô đã được người khác sửa sau khi xem trước nên chưa lưu gì: hãy tải tệp lên lại "
        "để xem giá trị mới."
    ]
    assert commitment_values()[(BUDGET, "Ba Bể")] == (Decimal("390"), "")
