"""Drawing up the criteria sheet: create, copy, edit criteria, the lock, unlock."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from scoring.models import CriteriaSheet, Criterion, Level, TieRule
from tests.factories import ClusterYearFactory
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_a_secretary_creates_the_sheet_and_goes_on_to_its_criteria(secretary_client, cluster_year):
    url = reverse("scoring:criteriasheet-create", args=[cluster_year.pk])
    page = secretary_client.get(url)
    assert page.context["form"]["name"].value() == "Bảng chấm điểm thi đua năm 2023"

    response = secretary_client.post(
        url,
        {
            "name": "Bảng chấm điểm thi đua năm 2023",
            "bonus_cap": "5",
            "deduction_cap": "10,5",
            "tie_rule": TieRule.DEDUCTIONS_THEN_FIRST_GROUP,
            "note": "",
        },
    )

    sheet = CriteriaSheet.objects.get(cluster_year=cluster_year)
    assert response.status_code == 302
    assert response.url == reverse("scoring:criteriasheet-edit", args=[sheet.pk])
    assert (sheet.bonus_cap, sheet.deduction_cap, sheet.tie_rule) == (
        Decimal(5),
        Decimal("10.5"),
        TieRule.DEDUCTIONS_THEN_FIRST_GROUP,
    )


def test_opening_a_second_sheet_goes_to_the_existing_one(staff_client, sheet, cluster_year):
    response = staff_client.get(reverse("scoring:criteriasheet-create", args=[cluster_year.pk]))

    assert response.status_code == 302
    assert response.url == sheet.get_absolute_url()


def test_the_criteria_are_edited_in_one_table(staff_client, sheet, criteria):
    url = reverse("scoring:criteriasheet-edit", args=[sheet.pk])
    page = staff_client.get(url)
    formset = page.context["formset"]
    data = {
        "sheet-name": "Bảng chấm điểm",
        "sheet-bonus_cap": "3",
        "sheet-deduction_cap": "6",
        "sheet-tie_rule": TieRule.FIRST_GROUP_THEN_DEDUCTIONS,
        "sheet-note": "",
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset.forms):
        for name in form.fields:
            value = form[name].value()
            if name == "is_veto":
                if value:
                    data[f"form-{index}-{name}"] = "on"
                continue
            data[f"form-{index}-{name}"] = "" if value is None else value
    last = len(formset.forms) - 3
    data[f"form-{last}-name"] = "Chuyển đổi số"
    data[f"form-{last}-group"] = "Xây dựng tổ chức"
    data[f"form-{last}-max_points"] = "7,5"
    data[f"form-{last}-kind"] = "criterion"
    veto_row = next(
        i for i, f in enumerate(formset.forms) if f.instance.pk == criteria["Kỷ luật"].pk
    )
    data[f"form-{veto_row}-DELETE"] = "on"

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["formset"].errors
    rows = list(sheet.criteria.order_by("order").values_list("name", "group", "max_points"))
    assert ("Chuyển đổi số", "Xây dựng tổ chức", Decimal("7.5")) in rows
    assert "Kỷ luật" not in [name for name, *_rest in rows]
    sheet.refresh_from_db()
    assert sheet.name == "Bảng chấm điểm"


def test_a_locked_sheet_cannot_be_edited_and_says_why(
    staff_client, sheet, criteria, members, enter
):
    enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Na Rì"]): 30})
    url = reverse("scoring:criteriasheet-edit", args=[sheet.pk])

    response = staff_client.post(url, {"sheet-name": "Đổi tên"}, follow=True)

    assert response.redirect_chain == [(sheet.get_absolute_url(), 302)]
    assert _messages(response) == [
        "The criteria sheet is locked because scoring has started: its criteria, maxima, caps "
        "and tie rule can no longer change."
    ]
    sheet.refresh_from_db()
    assert sheet.name == "Bảng chấm điểm thi đua năm 2023"
    assert "Edit the sheet" not in response.content.decode()


def test_staff_unlock_a_sheet_whose_scores_were_all_cleared(
    staff_client, secretary_client, sheet, criteria, members, enter
):
    key = (criteria["Kinh tế"], members["Na Rì"])
    enter(sheet, Level.SELF, {key: 30})
    url = reverse("scoring:criteriasheet-unlock", args=[sheet.pk])

    assert secretary_client.post(url).status_code == 403
    refused = staff_client.post(url, follow=True)
    assert _messages(refused) == [
        "Scores have been entered: clear every score before unlocking the sheet."
    ]
    enter(sheet, Level.SELF, {key: None})
    staff_client.post(url)

    sheet.refresh_from_db()
    assert sheet.status == CriteriaSheet.Status.DRAFT


def test_copying_an_earlier_sheet_from_the_new_sheet_page(staff_client, sheet, cluster):
    year_2024 = ClusterYearFactory(cluster=cluster, year=2024)
    page = staff_client.get(reverse("scoring:criteriasheet-create", args=[year_2024.pk]))
    assert list(page.context["copy_form"].fields["source"].queryset) == [sheet]

    response = staff_client.post(
        reverse("scoring:criteriasheet-copy", args=[year_2024.pk]), {"source": sheet.pk}
    )

    copy = CriteriaSheet.objects.get(cluster_year=year_2024)
    assert response.url == reverse("scoring:criteriasheet-edit", args=[copy.pk])
    assert copy.criteria.count() == 7
    assert copy.name == "Bảng chấm điểm thi đua năm 2024"


def test_copying_into_a_sheet_that_has_criteria_says_why_and_copies_nothing(
    staff_client, sheet, cluster
):
    year_2024 = ClusterYearFactory(cluster=cluster, year=2024)
    existing = CriteriaSheetFactory(cluster_year=year_2024)
    CriterionFactory(sheet=existing)

    response = staff_client.post(
        reverse("scoring:criteriasheet-copy", args=[year_2024.pk]),
        {"source": sheet.pk},
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("scoring:criteriasheet-create", args=[year_2024.pk]), 302),
        (existing.get_absolute_url(), 302),
    ]
    assert _messages(response) == [
        "This sheet already has criteria; delete them before copying another sheet."
    ]
    assert existing.criteria.count() == 1


def test_another_provinces_sheet_cannot_be_copied(staff_client, cluster, other_cluster):
    foreign = CriteriaSheetFactory(
        cluster_year=ClusterYearFactory(cluster=other_cluster, year=2020)
    )
    CriterionFactory(sheet=foreign)
    year_2024 = ClusterYearFactory(cluster=cluster, year=2024)

    response = staff_client.post(
        reverse("scoring:criteriasheet-copy", args=[year_2024.pk]), {"source": foreign.pk}
    )

    assert response.status_code == 404
    assert not CriteriaSheet.objects.filter(cluster_year=year_2024).exists()


def test_the_sheet_page_lists_criteria_rules_and_the_grids_the_user_may_enter(
    secretary_client, sheet
):
    response = secretary_client.get(sheet.get_absolute_url())

    html = response.content.decode()
    assert [s.title for s in response.context["sections"]] == [
        "I. Thực hiện nhiệm vụ chính trị",
        "II. Công tác thi đua, khen thưởng",
        "Bonus points",
        "Deductions",
    ]
    assert response.context["max_total"] == Decimal(100)
    assert response.context["levels"] == [Level.SELF, Level.CLUSTER]
    assert "100-point sheet" in html
    assert "Higher score in the first group, then fewer deductions" in html
    assert Criterion.objects.filter(sheet=sheet, is_veto=True).count() == 1


def test_the_criteria_page_takes_as_many_queries_for_one_criterion_as_for_three(
    staff_client, cluster_year, assert_constant_queries
):
    sheet = CriteriaSheetFactory(cluster_year=cluster_year)
    CriterionFactory(sheet=sheet, order=10, name="Kinh tế")

    def two_more():
        CriterionFactory(sheet=sheet, order=20, name="Văn hóa - Xã hội")
        CriterionFactory(sheet=sheet, order=30, name="Quốc phòng - An ninh")

    first, second = assert_constant_queries(
        staff_client, reverse("scoring:criteriasheet-edit", args=[sheet.pk]), add_two_more=two_more
    )
    assert "Quốc phòng - An ninh" in second.content.decode()
