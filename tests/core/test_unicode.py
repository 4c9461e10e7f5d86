"""One Unicode form for every text that comes in: forms, spreadsheets, model saves."""

import io
import unicodedata

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clusters.models import Person
from clusters.services import person_save
from core.spreadsheets import open_workbook
from core.text import name_key, normalize_text
from pledges.models import Result
from tests.core.ods import workbook_to_ods

# Fixtures of the pledge tests, for an import through the real pages.
from tests.pledges.conftest import (  # noqa: F401 (pytest fixtures, used by name)
    commitments,
    members,
    mid_year,
    movement,
    pledge,
    targets,
)

NA_RI = "Huyện Na Rì"
NA_RI_NFD = unicodedata.normalize("NFD", NA_RI)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_the_decomposed_form_differs_until_normalised():
    # The premise: equal-looking, unequal strings.
    assert NA_RI_NFD != NA_RI
    assert len(NA_RI_NFD) == len(NA_RI) + 3  # ệ and ì carry their marks apart
    assert normalize_text(NA_RI_NFD) == NA_RI


def test_normalising_removes_invisible_characters_and_keeps_the_rest():
    assert normalize_text("Huyện\u200b Na\u00ad Rì\ufeff") == NA_RI
    assert normalize_text("  Đồng  Hới\n") == "  Đồng  Hới\n"


def test_capitals_decomposed_forms_and_spacing_give_one_name_key():
    keys = {
        name_key(NA_RI),
        name_key("HUYỆN NA RÌ"),
        name_key(NA_RI_NFD),
        name_key(nfd("HUYỆN NA RÌ")),
        name_key("  huyện\u200b  na\trì "),
    }
    assert keys == {"huyện na rì"}


def test_diacritics_still_tell_names_apart():
    assert name_key("Huyện Na Ri") != name_key(NA_RI)
    assert name_key("Xã Đồng Tâm") == "xã đồng tâm"
    assert name_key("XÃ ĐỒNG TÂM") == "xã đồng tâm"


# --- Forms --------------------------------------------------------------------------


class AnyForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False, widget=forms.Textarea)
    code = forms.RegexField(regex=r"^\w+$", required=False)
    password = forms.CharField(widget=forms.PasswordInput, strip=False, required=False)


def test_every_form_text_field_gives_nfc_without_invisible_characters():
    form = AnyForm(
        data={
            "name": "\u200b " + NA_RI_NFD + " ",
            "note": nfd("Ghi chú: Pác Nặm"),
            "code": nfd("Ự1"),
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == NA_RI
    assert form.cleaned_data["note"] == "Ghi chú: Pác Nặm"
    assert form.cleaned_data["code"] == "Ự1"
    assert all(
        unicodedata.is_normalized("NFC", form.cleaned_data[name]) for name in ("name", "note")
    )


def test_a_password_is_kept_exactly_as_typed():
    typed = nfd(" Mật khẩu ")
    form = AnyForm(data={"name": "x", "password": typed})
    assert form.is_valid()
    assert form.cleaned_data["password"] == typed


def test_formset_rows_are_normalised_too():
    formset = forms.formset_factory(AnyForm, extra=0)(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-name": NA_RI_NFD,
            "form-1-name": nfd("Huyện Pác Nặm"),
        }
    )
    assert formset.is_valid()
    assert [row["name"] for row in formset.cleaned_data] == [NA_RI, "Huyện Pác Nặm"]


# --- Models -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_saved_without_a_form_is_stored_in_nfc(body):
    person = Person.objects.create(body=body, full_name=nfd("Nông Văn Nguyên"), position="x\u200b")
    stored = Person.objects.values_list("full_name", "position").get(pk=person.pk)
    assert stored == ("Nông Văn Nguyên", "x")
    assert unicodedata.is_normalized("NFC", stored[0])


@pytest.mark.django_db
def test_a_service_stores_nfc_text(body):
    person = person_save(body=body, full_name=nfd("Dương Hữu Bường"), position=nfd("Chủ tịch"))
    person.refresh_from_db()
    assert (person.full_name, person.position) == ("Dương Hữu Bường", "Chủ tịch")


# --- Spreadsheets -------------------------------------------------------------------


def _workbook_with_texts() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet["A1"] = NA_RI_NFD
    sheet["B1"] = nfd("Đã tổ chức") + "\u200b"
    sheet["C1"] = 12.5
    sheet["D1"] = "=SUM(C1:C1)"
    sheet["A2"] = nfd("=Tên có dấu bằng")
    sheet["A2"].data_type = "s"
    return workbook


def _xlsx(workbook) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("du-lieu.xlsx", buffer.getvalue(), content_type=XLSX)


def _read_back(workbook) -> dict:
    sheet = workbook["Dữ liệu"]
    return {ref: (sheet[ref].value, sheet[ref].data_type) for ref in ("A1", "B1", "C1", "D1", "A2")}


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_every_text_cell_read_is_nfc_and_other_cells_are_untouched(kind):
    source = _workbook_with_texts()
    if kind == "xlsx":
        upload = _xlsx(source)
    else:
        upload = SimpleUploadedFile("du-lieu.ods", workbook_to_ods(source))
    read = _read_back(open_workbook(upload))
    assert read["A1"] == (NA_RI, "s")
    assert read["B1"] == ("Đã tổ chức", "s")
    assert read["C1"][0] == 12.5
    assert read["D1"] == ("=SUM(C1:C1)", "f")
    # Text that starts like a formula stays text.
    assert read["A2"] == ("=Tên có dấu bằng", "s")


def test_a_lone_cell_far_down_the_sheet_does_not_fill_the_sheet_with_cells():
    workbook = Workbook()
    workbook.active["A1"] = NA_RI_NFD
    workbook.active["Z5000"] = nfd("Ở cuối")
    read = open_workbook(_xlsx(workbook)).active
    assert len(read._cells) == 2
    assert (read["A1"].value, read["Z5000"].value) == (NA_RI, "Ở cuối")


@pytest.mark.django_db
def test_a_text_result_imported_from_a_spreadsheet_is_stored_in_nfc(secretary_client, request):
    period = request.getfixturevalue("mid_year")
    request.getfixturevalue("commitments")
    url = reverse("pledges:period-results-xlsx", args=[period.pk])
    workbook = load_workbook(io.BytesIO(secretary_client.get(url).content))
    workbook["Kết quả"]["H11"] = nfd("Đã tổ chức")
    import_url = reverse("pledges:period-results-import", args=[period.pk])
    preview = secretary_client.post(import_url, {"file": _xlsx(workbook)})
    assert preview.status_code == 200
    confirmed = secretary_client.post(import_url, {"confirm": "1"})
    assert confirmed.status_code == 302
    texts = list(Result.objects.filter(period=period).values_list("text", flat=True))
    assert texts == ["Đã tổ chức"]
    assert unicodedata.is_normalized("NFC", texts[0])


def test_every_model_saved_by_any_means_stores_nfc(cluster_year):
    """Not only the base registers: a meeting, a pledge, a report text saved directly."""
    from meetings.models import Meeting
    from pledges.models import Pledge
    from reports.models import ReportText
    from tests.factories.meetings import at

    decomposed = unicodedata.normalize("NFD", "Hội nghị tổng kết\u200b năm 2023")
    meeting = Meeting.objects.create(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title=decomposed,
        starts_at=at(2024, 1, 18, 8),
    )
    made = Pledge.objects.create(cluster_year=cluster_year, theme=decomposed)
    text = ReportText.objects.create(
        cluster_year=cluster_year, kind="year-end", assessment=decomposed
    )
    expected = "Hội nghị tổng kết năm 2023"
    assert Meeting.objects.get(pk=meeting.pk).title == expected
    assert Pledge.objects.get(pk=made.pk).theme == expected
    assert ReportText.objects.get(pk=text.pk).assessment == expected
    assert unicodedata.is_normalized("NFC", Meeting.objects.get(pk=meeting.pk).title)
