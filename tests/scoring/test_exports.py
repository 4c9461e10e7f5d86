"""The ranking exported to Excel, read back with openpyxl (the printed summary is tested
in ``test_documents.py``)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


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
