"""Import of historical award lists: template, preview with per-row errors, choices for
ambiguous names, all or nothing, and no duplicates when the same file comes again."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards import imports, services
from awards.models import Award, AwardStep, Decision, Occasion, RecipientKind
from clusters.models import Stage
from tests.core.ods import workbook_to_ods
from tests.factories import UnitFactory
from tests.factories.awards import DecisionFactory
from tests.factories.meetings import PersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("awards:award-import")
TEMPLATE_URL = reverse("awards:award-import-template")


def line(**values) -> dict:
    """One row of the list, by the template's column titles (defaults: a Bằng khen of
    the province to Huyện Na Rì for 2022)."""
    row = {
        "Năm": 2022,
        "Hình thức / Danh hiệu": "Bằng khen của UBND tỉnh",
        "Đối tượng": "Đơn vị",
        "Tên": "",
        "Chức vụ": "",
        "Đơn vị": "Huyện Na Rì",
        "Năm sinh": None,
        "Giới tính": "",
        "Số quyết định": "2021/QĐ-UBND",
        "Ngày quyết định": datetime.datetime(2022, 12, 15),
        "Cơ quan quyết định": "Chủ tịch UBND tỉnh Bắc Kạn",
        "Diện khen": "",
        "Thành tích": "",
    }
    row.update(values)
    return row


def workbook(body, rows):
    """The downloaded template filled with ``rows`` (an openpyxl workbook)."""
    book = load_workbook(io.BytesIO(imports.template_workbook(body=body)))
    sheet = book[imports.SHEET_TITLE]
    titles = [column.title for column in imports.COLUMNS]
    for offset, row in enumerate(rows, start=1):
        sheet.cell(row=imports.HEADER_ROW + offset, column=1, value=offset)
        for index, title in enumerate(titles, start=2):
            value = row.get(title)
            if value not in (None, ""):
                sheet.cell(row=imports.HEADER_ROW + offset, column=index, value=value)
    return book


def upload(body, rows, *, name="khen-thuong.xlsx"):
    buffer = io.BytesIO()
    workbook(body, rows).save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def check(client, body, rows, **kwargs):
    """Upload the list; return the preview's response."""
    response = client.post(URL, {"body": body.pk, "file": upload(body, rows, **kwargs)})
    assert response.status_code == 200
    return response


def confirm(client, response, **choices):
    return client.post(URL, {"token": response.context["token"], **choices})


def errors_by_row(response) -> dict:
    return {row.number: row.errors for row in response.context["result"].rows if row.errors}


@pytest.fixture
def cho_moi(body):
    return UnitFactory(body=body, name="Huyện Chợ Mới", short_name="Chợ Mới")


# --- The template ---------------------------------------------------------------------


def test_the_template_has_the_columns_and_the_catalogue(staff_client, body):
    response = staff_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[imports.SHEET_TITLE]
    headers = [cell.value for cell in sheet[imports.HEADER_ROW]]
    assert headers == [
        "STT",
        "Năm",
        "Hình thức / Danh hiệu",
        "Đối tượng",
        "Tên",
        "Chức vụ",
        "Đơn vị",
        "Năm sinh",
        "Giới tính",
        "Số quyết định",
        "Ngày quyết định",
        "Cơ quan quyết định",
        "Diện khen",
        "Thành tích",
    ]
    catalogue = [row[0] for row in book[imports.LISTS_TITLE].iter_rows(min_row=2, values_only=True)]
    assert "Bằng khen của UBND tỉnh" in catalogue
    assert "Cờ thi đua của Chính phủ" in catalogue


# --- Preview and import ------------------------------------------------------------------


def test_a_list_is_previewed_then_imported_at_once(
    staff_client, staff, body, units, cluster_year, cho_moi
):
    rows = [
        line(
            **{
                "Năm": 2023,
                "Hình thức / Danh hiệu": "Cờ thi đua của UBND tỉnh",
                "Tên": "Nhân dân và cán bộ huyện Na Rì",
                "Số quyết định": "125/QĐ-UBND",
                "Ngày quyết định": "20/01/2024",
            }
        ),
        line(**{"Đơn vị": "Huyện Chợ Mới", "Thành tích": "Hoàn thành xuất sắc nhiệm vụ năm 2022"}),
        line(
            **{
                "Đối tượng": "Cá nhân",
                "Tên": "Nông Văn Nguyên",
                "Chức vụ": "Chủ tịch UBND huyện",
                "Năm sinh": 1975,
                "Giới tính": "Nam",
                "Diện khen": "Đột xuất",
            }
        ),
        line(**{"Đối tượng": "Tập thể", "Tên": "Trường THCS Kim Lư", "Đơn vị": "Na Rì"}),
    ]
    response = check(staff_client, body, rows)
    result = response.context["result"]
    assert errors_by_row(response) == {}
    assert result.ok
    assert (len(result.new_rows), result.already_count) == (4, 0)
    assert not Award.objects.exists()
    html = response.content.decode()
    assert 'id="import-confirm"' in html

    response = confirm(staff_client, response)
    assert response.status_code == 302
    assert response.url == reverse("awards:award-list")
    awards = {award.recipient_name: award for award in Award.objects.select_related("decision")}
    assert set(awards) == {
        "Nhân dân và cán bộ huyện Na Rì",
        "Huyện Chợ Mới",
        "Nông Văn Nguyên",
        "Trường THCS Kim Lư",
    }
    flag = awards["Nhân dân và cán bộ huyện Na Rì"]
    assert (flag.year, flag.unit, flag.cluster_year, flag.recipient_kind) == (
        2023,
        units[0],
        cluster_year,
        RecipientKind.UNIT,
    )
    assert (flag.decision.number, flag.decision.signed_on) == (
        "125/QĐ-UBND",
        datetime.date(2024, 1, 20),
    )
    certificate = awards["Huyện Chợ Mới"]
    assert certificate.achievement == "Hoàn thành xuất sắc nhiệm vụ năm 2022"
    assert certificate.cluster_year is None  # not a member of a cluster in 2022
    person = awards["Nông Văn Nguyên"]
    assert person.person is None  # not in the register: the typed name is kept
    assert (person.recipient_position, person.birth_year, person.gender, person.occasion) == (
        "Chủ tịch UBND huyện",
        1975,
        "male",
        Occasion.AD_HOC,
    )
    school = awards["Trường THCS Kim Lư"]
    assert (school.recipient_kind, school.unit, school.recipient_unit_name) == (
        RecipientKind.COLLECTIVE,
        units[0],
        "Huyện Na Rì",
    )
    for award in awards.values():
        assert (award.status, award.stage, award.source, award.body) == (
            Award.Status.DECIDED,
            Stage.AUTHORITY,
            Award.Source.IMPORT,
            body,
        )
        assert award.created_by == staff
        assert len(award.import_key) == 64
    # One decision for the three rows that name it.
    decision = Decision.objects.get(number="2021/QĐ-UBND")
    assert decision.awards.count() == 3
    assert decision.authority == "Chủ tịch UBND tỉnh Bắc Kạn"


def test_names_match_without_diacritics(staff_client, body, units):
    nguyen = PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=units[0])
    rows = [
        line(**{"Hình thức / Danh hiệu": "bang khen cua ubnd tinh", "Đơn vị": "huyen na ri"}),
        line(
            **{
                "Hình thức / Danh hiệu": "BẰNG KHEN TỈNH",
                "Đối tượng": "ca nhan",
                "Tên": "Nong Van Nguyen",
                "Đơn vị": "",
            }
        ),
    ]
    response = check(staff_client, body, rows)
    assert errors_by_row(response) == {}
    assert confirm(staff_client, response).status_code == 302
    unit_award = Award.objects.get(recipient_kind=RecipientKind.UNIT)
    assert unit_award.unit == units[0]
    person_award = Award.objects.get(recipient_kind=RecipientKind.INDIVIDUAL)
    assert (person_award.person, person_award.unit) == (nguyen, units[0])
    # As typed on the list: the printed name is the decision's, not the register's.
    assert person_award.recipient_name == "Nong Van Nguyen"


def test_bad_rows_are_named_and_nothing_is_saved(staff_client, body, units):
    rows = [
        line(),
        line(**{"Hình thức / Danh hiệu": "Huy chương Vàng"}),
        line(**{"Ngày quyết định": "31/02/2022"}),
        line(**{"Đơn vị": "Huyện Bạch Thông"}),
        line(**{"Đối tượng": "Cơ quan"}),
        line(**{"Đối tượng": "Cá nhân", "Tên": ""}),
        line(**{"Năm": "hai nghìn"}),
        line(**{"Hình thức / Danh hiệu": "Chiến sĩ thi đua cơ sở"}),
        line(**{"Giới tính": "X", "Đối tượng": "Cá nhân", "Tên": "Hà Thị Liễu"}),
        line(),
    ]
    response = check(staff_client, body, rows)
    errors = errors_by_row(response)
    assert sorted(errors) == [6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert all(len(messages) == 1 for messages in errors.values())
    assert "Huy chương Vàng" in errors[6][0]
    assert "31/02/2022" in errors[7][0]
    assert "Huyện Bạch Thông" in errors[8][0]
    assert "Cơ quan" in errors[9][0]
    assert "hai nghìn" in errors[11][0]
    assert "Chiến sĩ thi đua cơ sở" in errors[12][0]
    assert any("X" in message for message in errors[13])
    assert "5" in errors[14][0]  # the same award as row 5
    html = response.content.decode()
    assert 'id="import-confirm"' not in html
    assert 'id="import-error-count"' in html
    # Posting the confirmation anyway records nothing.
    response = confirm(staff_client, response)
    assert response.status_code == 200
    assert not Award.objects.exists()
    assert not Decision.objects.exists()


def test_a_file_that_is_no_list_is_refused_whole(staff_client, body):
    response = staff_client.post(
        URL, {"body": body.pk, "file": SimpleUploadedFile("danh-sach.xlsx", b"not a workbook")}
    )
    assert response.status_code == 200
    assert response.context["result"].problems
    assert response.context["token"] == ""


def test_a_sheet_without_the_columns_is_refused_whole(staff_client, body):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["STT", "Năm", "Tên", "Ghi chú"])
    book.active.append([1, 2022, "Huyện Na Rì", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    response = staff_client.post(
        URL, {"body": body.pk, "file": SimpleUploadedFile("ds.xlsx", buffer.getvalue())}
    )
    problems = response.context["result"].problems
    assert len(problems) == 1
    assert "Hình thức / Danh hiệu" in problems[0].message


def test_the_service_records_all_or_nothing(staff, body, units, other_body):
    stranger = UnitFactory(body=other_body, name="Huyện Bắc Hà")
    good = line()
    result_rows = []
    for index, unit in enumerate([units[0], stranger], start=5):
        result_rows.append(
            {
                "row": index,
                "import_key": f"key-{index}",
                "decision": {
                    "number": "2021/QĐ-UBND",
                    "signed_on": datetime.date(2022, 12, 15),
                    "authority": good["Cơ quan quyết định"],
                },
                "year": 2022,
                "award_type": Award._meta.get_field("award_type").related_model.objects.get(
                    name="Bằng khen của UBND tỉnh", body=None
                ),
                "recipient_kind": RecipientKind.UNIT,
                "unit": unit,
                "person": None,
                "recipient_name": "",
            }
        )
    with pytest.raises(ValidationError) as error:
        services.awards_import(body=body, by=staff, rows=result_rows)
    assert "6" in error.value.messages[0]
    assert not Award.objects.exists()
    assert not Decision.objects.exists()


# --- Ambiguous names ----------------------------------------------------------------------


def test_an_ambiguous_unit_waits_for_the_users_choice(staff_client, body, units):
    board = UnitFactory(
        body=body, kind="agency", name="Phòng Nội vụ huyện Na Rì", short_name="Na Rì"
    )
    response = check(staff_client, body, [line(**{"Đơn vị": "Na Ri"})])
    row = response.context["result"].rows[0]
    # In the register's order, never guessed.
    assert row.unit_choices == [units[0], board]
    assert row.unit is None
    assert not response.context["result"].ok
    html = response.content.decode()
    assert 'name="unit-5"' in html
    # Confirmed without a choice: asked again, nothing saved.
    again = confirm(staff_client, response)
    assert again.status_code == 200
    assert again.context["result"].rows[0].unit_choices
    assert not Award.objects.exists()
    # Confirmed with a choice: recorded for the unit chosen.
    done = confirm(staff_client, again, **{"unit-5": str(board.pk)})
    assert done.status_code == 302
    assert Award.objects.get().unit == board


def test_an_ambiguous_person_is_chosen_or_left_out_of_the_register(staff_client, body, units):
    first = PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=units[0])
    PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=units[1])
    rows = [
        line(**{"Đối tượng": "Cá nhân", "Tên": "Nông Văn Nguyên", "Đơn vị": ""}),
        line(
            **{
                "Đối tượng": "Cá nhân",
                "Tên": "Nông Văn Nguyên",
                "Đơn vị": "",
                "Số quyết định": "99/QĐ-UBND",
            }
        ),
    ]
    response = check(staff_client, body, rows)
    assert [len(row.person_choices) for row in response.context["result"].rows] == [2, 2]
    done = confirm(
        staff_client,
        response,
        **{"person-5": str(first.pk), "person-6": imports.NOT_IN_REGISTER},
    )
    assert done.status_code == 302
    linked = Award.objects.get(decision__number="2021/QĐ-UBND")
    unlinked = Award.objects.get(decision__number="99/QĐ-UBND")
    assert (linked.person, linked.unit) == (first, units[0])
    assert (unlinked.person, unlinked.recipient_name) == (None, "Nông Văn Nguyên")


def test_the_confirmation_loads_only_the_person_chosen_among_namesakes(body, units):
    """Checked again with the user's choices, a row reads its namesakes' ids only and
    loads the one chosen; a choice that is not one of them is refused."""
    first = PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=units[0])
    second = PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=units[1])
    stranger = PersonFactory(body=body, full_name="Hà Thị Lan", unit=units[0])
    row = line(**{"Đối tượng": "Cá nhân", "Tên": "Nông Văn Nguyên", "Đơn vị": ""})
    cells = imports.read_cells(upload(body, [row]))

    with CaptureQueriesContext(connection) as queries:
        result = imports.check_cells(cells, body=body, choices={(5, "person"): str(first.pk)})
    assert (result.rows[0].person, result.rows[0].errors) == (first, [])
    loaded = [q["sql"] for q in queries if "clusters_unit" in q["sql"] and "full_name" in q["sql"]]
    assert len(loaded) == 1, loaded
    assert re.findall(r"\d+", loaded[0].rsplit(" IN ", 1)[1]) == [str(first.pk)], loaded
    assert second.pk != first.pk

    refused = imports.check_cells(cells, body=body, choices={(5, "person"): str(stranger.pk)})
    assert refused.rows[0].person is None
    assert refused.rows[0].errors == [
        "Người được chọn không nằm trong số những người có tên “Nông Văn Nguyên”."
    ]


def test_a_name_is_narrowed_to_the_rows_unit_when_namesakes_work_elsewhere(body, units):
    """Several people of the name: those of the row's unit if any work there (one: taken
    without asking), else all of them to choose from; a name borne by one person only is
    that person, whatever the unit written."""
    na_ri, ba_be, pac_nam = units
    here = PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=na_ri)
    elsewhere = [
        PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=unit)
        for unit in (ba_be, ba_be, None)
    ]
    alone = PersonFactory(body=body, full_name="Hà Thị Lan", unit=ba_be)
    PersonFactory(body=UnitFactory().body, full_name="Nông Văn Nguyên")  # another register
    rows = [
        line(**{"Đối tượng": "Cá nhân", "Tên": "Nong Van Nguyen", "Đơn vị": "Huyện Na Rì"}),
        line(**{"Đối tượng": "Cá nhân", "Tên": "Nông Văn Nguyên", "Đơn vị": "Huyện Ba Bể"}),
        line(**{"Đối tượng": "Cá nhân", "Tên": "Nông Văn Nguyên", "Đơn vị": "Huyện Pác Nặm"}),
        line(**{"Đối tượng": "Cá nhân", "Tên": "Nông Văn Nguyên", "Đơn vị": ""}),
        line(**{"Đối tượng": "Cá nhân", "Tên": "Hà Thị Lan", "Đơn vị": "Huyện Pác Nặm"}),
    ]
    result = imports.check_cells(imports.read_cells(upload(body, rows)), body=body)
    found = [(row.person, sorted(p.pk for p in row.person_choices or [])) for row in result.rows]
    everyone = sorted([here.pk, *(p.pk for p in elsewhere)])
    assert found == [
        (here, []),
        (None, sorted(p.pk for p in elsewhere[:2])),
        (None, everyone),
        (None, everyone),
        (alone, []),
    ]
    assert pac_nam.pk not in {p.unit_id for p in elsewhere}


def test_a_unit_in_force_in_the_awards_year_is_taken_without_asking(staff_client, body):
    old = UnitFactory(body=body, name="Huyện Bạch Thông", active_to=datetime.date(2024, 12, 31))
    UnitFactory(body=body, name="Huyện Bạch Thông", active_from=datetime.date(2025, 1, 1))
    response = check(staff_client, body, [line(**{"Đơn vị": "Huyện Bạch Thông"})])
    assert response.context["result"].rows[0].unit == old


# --- Again and again --------------------------------------------------------------------


def test_importing_the_same_file_again_adds_nothing(staff_client, body, units, cho_moi):
    rows = [line(), line(**{"Đơn vị": "Huyện Chợ Mới"}), line(**{"Đơn vị": "Huyện Pác Nặm"})]
    confirm(staff_client, check(staff_client, body, rows))
    assert Award.objects.count() == 3

    response = check(staff_client, body, rows)
    result = response.context["result"]
    assert (len(result.new_rows), result.already_count) == (0, 3)
    assert confirm(staff_client, response).status_code == 302
    assert Award.objects.count() == 3
    assert Decision.objects.count() == 1

    # One row more: only it is added.
    response = check(staff_client, body, [*rows, line(**{"Đơn vị": "Huyện Ba Bể"})])
    assert (len(response.context["result"].new_rows), response.context["result"].already_count) == (
        1,
        3,
    )
    confirm(staff_client, response)
    assert Award.objects.count() == 4


def test_an_existing_decision_is_found_by_its_number_without_diacritics(staff_client, body, units):
    decision = DecisionFactory(
        body=body, number="2021/QĐ-UBND", signed_on=datetime.date(2022, 12, 15)
    )
    response = check(staff_client, body, [line(**{"Số quyết định": "2021/QD-UBND"})])
    assert response.context["result"].rows[0].decision == decision
    confirm(staff_client, response)
    assert Award.objects.get().decision == decision
    assert Decision.objects.count() == 1


def test_an_existing_decision_with_another_date_is_an_error(staff_client, body, units):
    DecisionFactory(body=body, number="2021/QĐ-UBND", signed_on=datetime.date(2022, 12, 20))
    response = check(staff_client, body, [line()])
    assert list(errors_by_row(response)) == [5]


def test_a_libreoffice_file_imports_the_same(staff_client, body, units):
    book = workbook(body, [line(**{"Ngày quyết định": "15/12/2022"}), line(**{"Đơn vị": "Ba Bể"})])
    file = SimpleUploadedFile("khen-thuong.ods", workbook_to_ods(book))
    response = staff_client.post(URL, {"body": body.pk, "file": file})
    assert errors_by_row(response) == {}
    assert response.context["result"].ok
    assert confirm(staff_client, response).status_code == 302
    assert sorted(Award.objects.values_list("unit__name", flat=True)) == [
        "Huyện Ba Bể",
        "Huyện Na Rì",
    ]


# --- Who may ------------------------------------------------------------------------------


def test_only_staff_import(viewer_client, secretary_client):
    assert viewer_client.get(URL).status_code == 403
    assert secretary_client.get(URL).status_code == 403
    assert viewer_client.get(TEMPLATE_URL).status_code == 403


def test_an_outsider_cannot_import_into_another_body(outsider_client, body, units):
    response = outsider_client.post(URL, {"body": body.pk, "file": upload(body, [line()])})
    assert response.status_code == 404
    assert outsider_client.get(TEMPLATE_URL + f"?body={body.pk}").status_code == 404
    assert not Award.objects.exists()


def test_an_outsider_cannot_confirm_someone_elses_check(staff_client, outsider_client, body, units):
    response = check(staff_client, body, [line()])
    answer = confirm(outsider_client, response)
    assert answer.status_code == 302
    assert not Award.objects.exists()


def test_a_forged_token_records_nothing(staff_client, body, units):
    answer = staff_client.post(URL, {"token": "forged:token"})
    assert answer.status_code == 302
    assert not Award.objects.exists()


def test_the_preview_costs_the_same_queries_with_1_and_3_rows(staff_client, body, units, cho_moi):
    from django.test.utils import CaptureQueriesContext

    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            check(staff_client, body, rows)
        return len(captured)

    queries([line()])
    one = queries([line(**{"Đối tượng": "Cá nhân", "Tên": "Hà Thị Liễu"})])
    three = queries(
        [
            line(),
            line(**{"Đơn vị": "Huyện Chợ Mới"}),
            line(**{"Đối tượng": "Cá nhân", "Tên": "Hà Thị Liễu", "Đơn vị": "Pác Nặm"}),
        ]
    )
    assert one == three


def test_the_checked_file_is_kept_until_confirmed_then_deleted(staff_client, body, units, settings):
    import os
    import time

    folder = settings.MEDIA_ROOT / "imports" / "awards"
    response = check(staff_client, body, [line()])
    assert len(os.listdir(folder)) == 1
    confirm(staff_client, response)
    assert os.listdir(folder) == []
    # A file checked long ago and never confirmed goes when the next one is checked.
    check(staff_client, body, [line()])
    (old,) = os.listdir(folder)
    day_ago = time.time() - 24 * 3600
    os.utime(folder / old, (day_ago, day_ago))
    check(staff_client, body, [line()])
    assert old not in os.listdir(folder)
    assert len(os.listdir(folder)) == 1


def test_the_confirmation_records_the_checked_cells_without_reading_the_workbook_again(
    staff_client, body, units, cho_moi, monkeypatch
):
    rows = [
        line(**{"Ngày quyết định": "20/01/2024", "Số quyết định": "125/QĐ-UBND"}),
        line(**{"Đơn vị": "Huyện Chợ Mới", "Năm sinh": None}),
        line(**{"Đối tượng": "Cá nhân", "Tên": "Nông Văn Nguyên", "Năm sinh": 1975.0}),
    ]
    response = check(staff_client, body, rows)
    assert response.context["result"].ok

    def unreadable(upload):
        raise AssertionError("the workbook was read again")

    monkeypatch.setattr(imports, "open_workbook", unreadable)
    assert confirm(staff_client, response).status_code == 302
    awards = Award.objects.select_related("decision").order_by("recipient_name")
    assert [(a.recipient_name, a.decision.number, a.decision.signed_on) for a in awards] == [
        ("Huyện Chợ Mới", "2021/QĐ-UBND", datetime.date(2022, 12, 15)),
        ("Huyện Na Rì", "125/QĐ-UBND", datetime.date(2024, 1, 20)),
        ("Nông Văn Nguyên", "2021/QĐ-UBND", datetime.date(2022, 12, 15)),
    ]
    assert Award.objects.get(recipient_name="Nông Văn Nguyên").birth_year == 1975


def test_the_kept_cells_read_back_as_they_were_read():
    cells = imports.SheetCells(
        rows=[
            (
                5,
                {
                    "year": 2022,
                    "birth_year": 1975.0,
                    "decision_date": datetime.datetime(2022, 12, 15, 0, 0),
                    "name": "Trường THCS “Kim Lư”",
                    "gender": None,
                },
            ),
            (6, {"year": "2023", "decision_date": datetime.date(2024, 1, 20), "ok": True}),
        ]
    )

    again = imports.SheetCells.from_json(cells.as_json())

    assert again.rows == [
        (
            5,
            {
                "year": 2022,
                "birth_year": 1975.0,
                "decision_date": datetime.date(2022, 12, 15),
                "name": "Trường THCS “Kim Lư”",
                "gender": None,
            },
        ),
        (6, {"year": "2023", "decision_date": datetime.date(2024, 1, 20), "ok": True}),
    ]


def test_a_token_of_a_workbook_kept_before_the_cells_is_expired(staff_client, staff, body, units):
    from django.core import signing
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from awards.record_views import STASH_FOLDER, STASH_SALT

    name = default_storage.save(f"{STASH_FOLDER}/old.xlsx", ContentFile(b"PK old"))
    token = signing.dumps(
        {"user": staff.pk, "body": body.pk, "file": name, "name": "x.xlsx"}, salt=STASH_SALT
    )

    answer = staff_client.post(URL, {"token": token}, follow=True)

    assert "Tệp đã kiểm tra đã hết hạn; hãy tải lên lại." in answer.content.decode()
    assert not Award.objects.exists()


def test_one_new_decision_with_two_dates_in_the_list_is_an_error(staff_client, body, units):
    rows = [
        line(
            **{
                "Hình thức / Danh hiệu": "Giấy khen",
                "Đối tượng": "Hộ gia đình",
                "Tên": "Hộ ông Lương Văn Hoà",
            }
        ),
        line(**{"Ngày quyết định": "16/12/2022"}),
    ]
    response = check(staff_client, body, rows)
    errors = errors_by_row(response)
    assert list(errors) == [6]
    assert "5" in errors[6][0]


# --- What an imported award is made of -----------------------------------------------------


def _granted_fields(award) -> dict:
    """What ``award_record_granted`` decides of an award: all but its identity."""
    from django.forms.models import model_to_dict

    skipped = {"id", "import_key", "created_at", "updated_at"}
    fields = [f.name for f in Award._meta.concrete_fields if f.name not in skipped]
    return {name: getattr(award, name if not Award._meta.get_field(name).is_relation else
                          Award._meta.get_field(name).attname) for name in fields} | {
        "step": model_to_dict(award.steps.get(), exclude=["id", "award", "at"]),
    }  # fmt: skip


def test_an_imported_award_is_what_recording_it_one_by_one_makes(
    staff_client, staff, body, units, cluster_year, rule_set, flag_rule
):
    from awards import compliance

    register = PersonFactory(
        body=body, full_name="Hà Thị Liễu", position="Phó Chủ tịch UBND huyện", unit=units[2]
    )
    rows = [
        line(**{"Năm": 2023, "Hình thức / Danh hiệu": "Cờ thi đua của UBND tỉnh"}),
        line(**{"Đối tượng": "Cá nhân", "Tên": "Ha Thi Lieu", "Đơn vị": ""}),
        line(**{"Đối tượng": "Tập thể", "Tên": "Trường THCS Kim Lư", "Đơn vị": "Ba Bể"}),
    ]
    response = check(staff_client, body, rows)
    service_rows = [row.service_row() for row in response.context["result"].rows]
    assert confirm(staff_client, response).status_code == 302

    imported = list(Award.objects.order_by("pk"))
    assert [award.recipient_name for award in imported] == [
        "Nhân dân và cán bộ huyện Na Rì",  # a flag to a district: its people and officials
        "Ha Thi Lieu",
        "Trường THCS Kim Lư",
    ]
    flag, person, school = imported
    assert flag.cluster_year == cluster_year
    assert flag.rule == flag_rule
    # The register fills what the list left empty: the position, the unit and its name.
    assert (person.person, person.recipient_position, person.unit) == (
        register,
        "Phó Chủ tịch UBND huyện",
        units[2],
    )
    assert (person.recipient_unit_name, school.recipient_unit_name) == (
        "Huyện Pác Nặm",
        "Huyện Ba Bể",
    )
    for award in imported:
        assert award.rule == compliance.rule_for(award, award.decision.signed_on)
        (history,) = award.history.all()
        assert (history.history_type, history.history_user, history.recipient_name) == (
            "+",
            staff,
            award.recipient_name,
        )
        assert history.import_key == award.import_key
        assert award.created_at is not None and award.updated_at == award.created_at
    # The same rows recorded one by one (as the demo and the history do) are the same.
    for row, award in zip(service_rows, imported, strict=True):
        fields = {k: v for k, v in row.items() if k not in ("row", "import_key", "decision")}
        if award.cluster_year_id:
            fields["cluster_year"] = award.cluster_year
        alone = services.award_record_granted(
            by=staff, decision=award.decision, body=body, source=Award.Source.IMPORT, **fields
        )
        assert _granted_fields(alone) == _granted_fields(award)
        assert (award.steps.get().by, award.steps.get().reason) == (
            staff,
            award.decision.label,
        )


def test_the_service_names_every_refused_row_at_once(staff, body, units, other_body):
    stranger = UnitFactory(body=other_body, name="Huyện Bắc Hà")
    certificate = Award._meta.get_field("award_type").related_model.objects.get(
        name="Bằng khen của UBND tỉnh", body=None
    )

    def row(number, unit, key, **fields):
        return {
            "row": number,
            "import_key": key,
            "decision": {
                "number": "2021/QĐ-UBND",
                "signed_on": datetime.date(2022, 12, 15),
                "authority": "Chủ tịch UBND tỉnh Bắc Kạn",
            },
            "year": 2022,
            "award_type": certificate,
            "recipient_kind": RecipientKind.COLLECTIVE,
            "unit": unit,
            "person": None,
            "recipient_name": "Trường Tiểu học Côn Minh",
            **fields,
        }

    rows = [
        row(5, stranger, "a"),
        row(6, units[0], "b", recipient_name=""),
        row(7, units[0], "c", recipient_name="x" * 501),
        row(8, units[0], "c"),
        row(9, units[0], "d"),
    ]
    with pytest.raises(ValidationError) as error:
        services.awards_import(body=body, by=staff, rows=rows)
    assert error.value.messages == [
        "Dòng 5: đơn vị hoặc cá nhân thuộc danh mục khác.",
        "Dòng 8: Trùng khen thưởng với dòng 7.",
    ]
    with pytest.raises(ValidationError) as error:
        services.awards_import(body=body, by=staff, rows=[rows[1], rows[2], rows[4]])
    assert error.value.messages == [
        "Dòng 6: Nhập tên tập thể hoặc hộ gia đình.",
        "Dòng 7: Giá trị này chỉ có tối đa 500 kí tự (hiện có 501)",
    ]
    assert not Award.objects.exists()
    assert not Decision.objects.exists()


def test_the_service_costs_the_same_queries_for_1_and_3_rows(
    staff, body, units, cluster_year, django_assert_num_queries
):
    """A lock, the keys imported before, the decisions (found, created, their history),
    the cluster years, the rules, then the awards, their history and their steps."""
    people = [
        PersonFactory(body=body, full_name=name, unit=units[1])
        for name in ("Hà Thị Liễu", "Nông Văn Nguyên")
    ]

    def rows(count):
        lines = [
            line(**{"Năm": 2023, "Số quyết định": f"{count}/QĐ-UBND"}),
            line(**{"Đối tượng": "Cá nhân", "Tên": people[0].full_name, "Đơn vị": ""}),
            line(**{"Đối tượng": "Cá nhân", "Tên": people[1].full_name, "Đơn vị": ""}),
        ][:count]
        result = imports.read_awards(upload=upload(body, lines), body=body)
        assert result.ok
        return [row.service_row() for row in result.rows]

    one, three = rows(1), rows(3)
    # PostgreSQL writes the awards by COPY, which Django does not count.
    queries = 12 if connection.vendor == "postgresql" else 13
    with django_assert_num_queries(queries):
        assert services.awards_import(body=body, by=staff, rows=one) == (1, 0)
    with django_assert_num_queries(queries):
        assert services.awards_import(body=body, by=staff, rows=three) == (3, 0)
    assert Award.objects.count() == 4
    assert AwardStep.objects.count() == 4
    # Again: every row is found imported before, and nothing is written.
    with django_assert_num_queries(4):
        assert services.awards_import(body=body, by=staff, rows=three) == (0, 3)


def test_the_rules_of_many_awards_are_found_as_one_by_one(body, rule_set, certificate_rule):
    """The rule in force on each decision's date: the body's own sets before the
    national ones, the latest in force first — as ``award_rule_in_force`` picks it."""
    from clusters.models import AwardType
    from clusters.selectors import award_rule_in_force
    from tests.factories.awards import AwardRuleFactory, RuleSetFactory

    rule_set.effective_from = datetime.date(2020, 1, 1)
    rule_set.save()
    later = RuleSetFactory(body=body, name="Quy chế 2024", effective_from=datetime.date(2024, 7, 1))
    later_rule = AwardRuleFactory(rule_set=later, award_type=certificate_rule.award_type)
    national = RuleSetFactory(body=None, name="Luật", effective_from=datetime.date(2010, 1, 1))
    types = list(AwardType.objects.filter(body=None).order_by("pk")[:3])
    for award_type in [*types, certificate_rule.award_type]:
        AwardRuleFactory(rule_set=national, award_type=award_type)
    days = [datetime.date(2015, 5, 1), datetime.date(2022, 12, 15), datetime.date(2024, 12, 1)]
    pairs = {
        (award_type.pk, day) for award_type in [*types, certificate_rule.award_type] for day in days
    }

    found = services._import_rules(body, pairs)

    assert found == {
        (type_id, day): award_rule_in_force(body_id=body.pk, on=day, award_type_id=type_id)
        for type_id, day in pairs
    }
    certificate = certificate_rule.award_type.pk
    assert found[(certificate, days[1])] == certificate_rule
    assert found[(certificate, days[2])] == later_rule
