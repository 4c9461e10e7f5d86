"""The pledge's own pages: create, read, edit, sign, reopen, targets, copy, periods."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from pledges import services
from pledges.models import Period, Pledge, Target
from tests.factories import ClusterYearFactory
from tests.factories.pledges import MovementFactory
from tests.pledges.conftest import THEME, target_rows
from tests.pledges.helpers import element_text, form_data, messages_of, page, text_of

pytestmark = pytest.mark.django_db


def detail(pledge) -> str:
    return reverse("pledges:pledge-detail", args=[pledge.pk])


# --- Create ---------------------------------------------------------------------------------------


def test_staff_draw_up_the_pledge_of_a_year(staff_client, cluster, movement):
    year = ClusterYearFactory(cluster=cluster, year=2024)
    url = reverse("pledges:pledge-create", args=[year.pk])
    form = staff_client.get(url)
    assert form.status_code == 200
    assert page(form).get_element_by_id("id_signed_place").get("value") == "Bắc Kạn"
    response = staff_client.post(
        url,
        {
            "theme": "Đoàn kết, đổi mới, sáng tạo",
            "body": "Các đơn vị thống nhất.",
            "movements": [movement.pk],
            "signed_on": "15/02/2024",
            "signed_place": "Huyện Na Rì",
        },
    )
    pledge = Pledge.objects.get(cluster_year=year)
    assert (response.status_code, response.url) == (302, pledge.get_absolute_url())
    assert messages_of(response) == ["Đã lập giao ước cùng hai kỳ báo cáo sơ kết và tổng kết."]
    assert (pledge.theme, pledge.signed_on, pledge.signed_place) == (
        "Đoàn kết, đổi mới, sáng tạo",
        datetime.date(2024, 2, 15),
        "Huyện Na Rì",
    )
    assert list(pledge.movements.all()) == [movement]
    assert sorted(pledge.periods.values_list("name", flat=True)) == [
        "Sơ kết 6 tháng năm 2024",
        "Tổng kết năm 2024",
    ]


def test_a_pledge_without_a_theme_is_not_created(staff_client, cluster):
    year = ClusterYearFactory(cluster=cluster, year=2024)
    response = staff_client.post(reverse("pledges:pledge-create", args=[year.pk]), {"theme": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["theme"] == ["Trường này là bắt buộc."]
    assert not Pledge.objects.exists()


# --- Detail ---------------------------------------------------------------------------------------


def test_the_pledge_page_shows_theme_targets_periods_and_signing(
    staff_client, pledge, targets, commitments, members
):
    services.signatures_save(pledge=pledge, rows={members["Na Rì"].pk: {"signed": True}})
    response = staff_client.get(detail(pledge))
    assert response.status_code == 200
    assert element_text(response, "pledge-theme") == THEME
    assert element_text(response, "pledge-status") == "Dự thảo"
    assert element_text(response, "pledge-movements") == (
        "Cả nước chung sức xây dựng nông thôn mới (Thủ tướng Chính phủ)"
    )
    rows = [text_of(row) for row in page(response).xpath("//table[@id='target-table']/tbody/tr")]
    assert rows == [
        "I. Kinh tế",
        "1.1 Thu ngân sách nhà nước trên địa bàn Số (tỷ đồng) Càng cao càng tốt 15",
        "1.2 Tốc độ tăng giá trị sản xuất Tỷ lệ phần trăm Càng cao càng tốt 10",
        "II. Văn hóa - Xã hội",
        "2.1 Số vụ tai nạn giao thông Số (vụ) Càng thấp càng tốt 5",
        "III. Quốc phòng - An ninh",
        "3.1 Hoàn thành chỉ tiêu tuyển quân Có / không Càng cao càng tốt 10",
        "IV. Công tác thi đua, khen thưởng",
        "4.1 Phong trào thi đua theo chuyên đề được phát động Văn bản Càng cao càng tốt",
    ]
    assert element_text(response, "pledge-summary").startswith("1/3 đơn vị đã ký")
    assert element_text(response, "period-list") == (
        "Sơ kết 6 tháng năm 2023 · đến ngày 30/06/2023 0 Nhập kết quả "
        "Tổng kết năm 2023 · đến ngày 31/12/2023 0 Nhập kết quả"
    )


def test_a_viewer_sees_the_pledge_without_edit_buttons(viewer_client, pledge, targets):
    response = viewer_client.get(detail(pledge))
    html = response.content.decode()
    assert element_text(response, "pledge-theme") == THEME
    assert reverse("pledges:pledge-update", args=[pledge.pk]) not in html
    assert reverse("pledges:pledge-commitments", args=[pledge.pk]) not in html
    assert 'id="sign-form"' not in html


# --- Update ---------------------------------------------------------------------------------------


def test_staff_edit_the_theme(staff_client, pledge):
    url = reverse("pledges:pledge-update", args=[pledge.pk])
    response = staff_client.post(
        url, {"theme": "Chủ đề đã sửa", "signed_on": "07/02/2023", "signed_place": "Bắc Kạn"}
    )
    assert (response.status_code, response.url) == (302, detail(pledge))
    assert messages_of(response) == ["Đã lưu giao ước."]
    pledge.refresh_from_db()
    assert (pledge.theme, list(pledge.movements.all())) == ("Chủ đề đã sửa", [])


def test_not_even_staff_edit_a_signed_pledge_without_reopening_it(staff_client, signed_pledge):
    url = reverse("pledges:pledge-update", args=[signed_pledge.pk])
    theme = signed_pledge.theme
    response = staff_client.post(url, {"theme": "Sửa sau khi ký", "signed_on": ""})
    assert response.status_code == 403
    assert "Hãy mở lại giao ước, ghi rõ lý do" in response.content.decode()
    signed_pledge.refresh_from_db()
    assert (signed_pledge.theme, signed_pledge.status, signed_pledge.signed_on) == (
        theme,
        "signed",
        datetime.date(2023, 2, 7),
    )


# --- Sign and reopen ------------------------------------------------------------------------------


def test_the_secretary_marks_the_pledge_signed(secretary_client, pledge, targets):
    response = secretary_client.post(
        reverse("pledges:pledge-sign", args=[pledge.pk]),
        {"signed_on": "08/02/2023", "signed_place": "Huyện Na Rì"},
    )
    assert (response.status_code, response.url) == (302, detail(pledge))
    assert messages_of(response) == ["Đã ghi nhận giao ước được ký kết."]
    pledge.refresh_from_db()
    assert (pledge.status, pledge.signed_on, pledge.signed_place) == (
        "signed",
        datetime.date(2023, 2, 8),
        "Huyện Na Rì",
    )


def test_signing_a_pledge_without_targets_says_why_it_is_refused(staff_client, pledge):
    response = staff_client.post(
        reverse("pledges:pledge-sign", args=[pledge.pk]), {"signed_on": "08/02/2023"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Hãy nhập chỉ tiêu trước khi ghi nhận ký kết giao ước."]
    pledge.refresh_from_db()
    assert pledge.status == "draft"


def test_signing_without_a_date_is_refused(staff_client, pledge, targets):
    response = staff_client.post(reverse("pledges:pledge-sign", args=[pledge.pk]), {})
    assert messages_of(response) == ["Trường này là bắt buộc."]
    pledge.refresh_from_db()
    assert pledge.status == "draft"


def test_signing_a_signed_pledge_is_forbidden(staff_client, signed_pledge):
    response = staff_client.post(
        reverse("pledges:pledge-sign", args=[signed_pledge.pk]), {"signed_on": "09/02/2023"}
    )
    assert response.status_code == 403


def test_staff_return_a_signed_pledge_to_draft_with_a_reason(staff_client, signed_pledge):
    url = reverse("pledges:pledge-reopen", args=[signed_pledge.pk])
    response = staff_client.post(url)
    assert messages_of(response) == ["Hãy ghi lý do mở lại giao ước."]
    signed_pledge.refresh_from_db()
    assert signed_pledge.status == "signed"
    staff_client.get(detail(signed_pledge))  # the message is read

    response = staff_client.post(url, {"reason": "Nhập nhầm chỉ tiêu 1.2"})
    assert (response.status_code, response.url) == (302, detail(signed_pledge))
    assert messages_of(response) == [
        "Giao ước đã trở lại trạng thái dự thảo: hãy sửa rồi đánh dấu đã ký lại."
    ]
    signed_pledge.refresh_from_db()
    assert signed_pledge.status == "draft"
    page = staff_client.get(detail(signed_pledge)).content.decode()
    assert "Mở lại: Nhập nhầm chỉ tiêu 1.2" in page
    assert 'id="pledge-frozen"' not in page


def test_a_signed_pledge_page_says_it_is_frozen_and_offers_to_reopen(
    staff_client, secretary_client, signed_pledge
):
    page = staff_client.get(detail(signed_pledge)).content.decode()
    assert 'id="pledge-frozen"' in page and 'id="pledge-reopen"' in page
    assert reverse("pledges:pledge-update", args=[signed_pledge.pk]) not in page
    page = secretary_client.get(detail(signed_pledge)).content.decode()
    assert 'id="pledge-frozen"' in page and 'id="pledge-reopen"' not in page


def test_sign_and_reopen_take_only_post(staff_client, pledge):
    assert staff_client.get(reverse("pledges:pledge-sign", args=[pledge.pk])).status_code == 405
    assert staff_client.get(reverse("pledges:pledge-reopen", args=[pledge.pk])).status_code == 405


# --- Targets --------------------------------------------------------------------------------------


def targets_url(pledge) -> str:
    return reverse("pledges:pledge-targets", args=[pledge.pk])


def test_the_targets_page_lists_every_target_and_three_empty_rows(staff_client, pledge, targets):
    response = staff_client.get(targets_url(pledge))
    names = [
        element.get("value")
        for element in page(response).xpath("//table[@id='targets-table']//input")
        if element.get("name", "").endswith("-name")
    ]
    assert names == [row["name"] for row in target_rows()] + [None, None, None]
    orders = [
        element.get("value")
        for element in page(response).xpath("//table[@id='targets-table']//input")
        if element.get("name", "").endswith("-order")
    ]
    assert orders[-3:] == ["60", "70", "80"]


def test_staff_add_a_target_in_an_empty_row(staff_client, pledge, targets):
    data = form_data(staff_client.get(targets_url(pledge)))
    data.update(
        {
            "form-5-group": "Văn hóa - Xã hội",
            "form-5-name": "Tỷ lệ hộ nghèo",
            "form-5-measure": "percent",
            "form-5-direction": "lower",
            "form-5-weight": "7,5",
        }
    )
    response = staff_client.post(targets_url(pledge), data)
    assert (response.status_code, response.url) == (302, targets_url(pledge))
    assert messages_of(response) == ["Đã lưu danh sách chỉ tiêu."]
    added = pledge.targets.get(name="Tỷ lệ hộ nghèo")
    assert (added.order, added.measure, added.direction, added.weight) == (
        60,
        "percent",
        "lower",
        Decimal("7.5"),
    )
    assert pledge.targets.count() == 6


def test_deleting_a_target_with_values_saves_nothing_and_says_why(
    staff_client, pledge, targets, commitments
):
    data = form_data(staff_client.get(targets_url(pledge)))
    data["form-0-DELETE"] = "on"
    data["form-1-name"] = "Tốc độ tăng trưởng"
    response = staff_client.post(targets_url(pledge), data)
    assert response.status_code == 200
    alert = text_of(page(response).xpath("//div[contains(@class, 'alert-danger')]")[0])
    assert alert == (
        "Chưa lưu dữ liệu nào. "
        "“Thu ngân sách nhà nước trên địa bàn” đã có số liệu nên không thể xóa."
    )
    assert pledge.targets.count() == 5
    assert targets["growth"].name == Target.objects.get(pk=targets["growth"].pk).name


def test_a_bad_weight_is_marked_in_its_cell_and_nothing_is_saved(staff_client, pledge, targets):
    data = form_data(staff_client.get(targets_url(pledge)))
    data["form-0-weight"] = "-2"
    data["form-1-name"] = "Tốc độ tăng trưởng"
    response = staff_client.post(targets_url(pledge), data)
    assert response.status_code == 200
    alert = text_of(page(response).xpath("//div[contains(@class, 'alert-danger')]")[0])
    assert alert == (
        "Chưa lưu dữ liệu nào. "
        "Hãy sửa các ô được đánh dấu đỏ; mọi số liệu bạn đã nhập vẫn được giữ."
    )
    cell = page(response).xpath("//input[@name='form-0-weight']")[0]
    assert cell.getparent().xpath("./div[contains(@class, 'invalid-feedback')]")[0].text == (
        "Phải từ 0 trở lên."
    )
    assert cell.get("value") == "-2"
    assert Target.objects.get(pk=targets["growth"].pk).name == "Tốc độ tăng giá trị sản xuất"


def test_a_target_without_values_is_deleted(staff_client, pledge, targets):
    data = form_data(staff_client.get(targets_url(pledge)))
    data["form-4-DELETE"] = "on"
    response = staff_client.post(targets_url(pledge), data)
    assert response.status_code == 302
    assert not Target.objects.filter(pk=targets["campaign"].pk).exists()


def test_a_target_of_another_pledge_cannot_be_slipped_into_the_form(
    staff_client, pledge, targets, neighbour_pledge
):
    data = form_data(staff_client.get(targets_url(pledge)))
    data["form-0-id"] = str(neighbour_pledge["target"].pk)
    data["form-0-name"] = "Bị sửa"
    staff_client.post(targets_url(pledge), data)
    assert list(neighbour_pledge["pledge"].targets.values_list("name", flat=True)) == [
        "Tỷ lệ hồ sơ giải quyết đúng hạn"
    ]


# --- Copy targets ---------------------------------------------------------------------------------


@pytest.fixture
def pledge_2022(cluster):
    earlier = services.pledge_create(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022), theme="Năm 2022"
    )
    services.targets_save(pledge=earlier, rows=target_rows())
    return earlier


def test_staff_copy_last_years_targets(staff_client, pledge, pledge_2022):
    page_before = staff_client.get(detail(pledge))
    options = [text_of(o) for o in page(page_before).xpath("//select[@name='source']/option")]
    assert options[1:] == ["2022 — Cụm thi đua các huyện, thành phố (5 chỉ tiêu)"]
    response = staff_client.post(
        reverse("pledges:pledge-copy-targets", args=[pledge.pk]), {"source": pledge_2022.pk}
    )
    assert (response.status_code, response.url) == (302, targets_url(pledge))
    assert messages_of(response) == ["Đã sao chép 5 chỉ tiêu."]
    assert list(pledge.targets.order_by("order").values_list("name", flat=True)) == [
        row["name"] for row in target_rows()
    ]


def test_targets_of_another_province_cannot_be_copied(staff_client, pledge, foreign_pledge):
    response = staff_client.post(
        reverse("pledges:pledge-copy-targets", args=[pledge.pk]),
        {"source": foreign_pledge["pledge"].pk},
    )
    assert response.status_code == 404
    assert not pledge.targets.exists()


def test_copying_without_choosing_a_pledge_says_what_to_do(staff_client, pledge, pledge_2022):
    response = staff_client.post(
        reverse("pledges:pledge-copy-targets", args=[pledge.pk]), {"source": ""}
    )
    assert (response.status_code, response.url) == (302, detail(pledge))
    assert messages_of(response) == ["Hãy chọn giao ước để sao chép."]
    assert not pledge.targets.exists()


def test_copying_over_existing_targets_says_why_it_is_refused(
    staff_client, pledge, targets, pledge_2022
):
    response = staff_client.post(
        reverse("pledges:pledge-copy-targets", args=[pledge.pk]), {"source": pledge_2022.pk}
    )
    assert messages_of(response) == [
        "Giao ước này đã có chỉ tiêu; hãy xóa trước khi sao chép danh sách khác."
    ]
    assert pledge.targets.count() == 5


# --- Periods --------------------------------------------------------------------------------------


def test_the_secretary_adds_a_quarterly_period(secretary_client, pledge):
    response = secretary_client.post(
        reverse("pledges:period-create", args=[pledge.pk]),
        {"name": "Quý III/2023", "ends_on": "30/09/2023"},
    )
    period = pledge.periods.get(name="Quý III/2023")
    assert (response.status_code, response.url) == (302, period.get_absolute_url())
    assert messages_of(response) == ["Đã thêm kỳ báo cáo “Quý III/2023”."]
    assert (period.kind, period.ends_on) == (Period.Kind.CUSTOM, datetime.date(2023, 9, 30))


def test_a_period_with_the_name_of_another_is_refused(staff_client, pledge):
    response = staff_client.post(
        reverse("pledges:period-create", args=[pledge.pk]),
        {"name": "Tổng kết năm 2023", "ends_on": "31/12/2023"},
    )
    assert response.status_code == 200
    assert "Giao ước đã có kỳ báo cáo cùng tên." in response.context["form"].non_field_errors()
    assert pledge.periods.count() == 2


def test_the_pledge_page_lists_movements_in_the_order_chosen(staff_client, pledge, movement):
    grateful = MovementFactory(
        name="Đền ơn đáp nghĩa - Uống nước nhớ nguồn", launched_by="UBND tỉnh"
    )
    services.pledge_update(pledge=pledge, theme=pledge.theme, movements=[grateful, movement])
    response = staff_client.get(detail(pledge))
    items = page(response).xpath("//ul[@id='pledge-movements']/li")
    assert [text_of(item) for item in items] == [
        "Đền ơn đáp nghĩa - Uống nước nhớ nguồn (UBND tỉnh)",
        "Cả nước chung sức xây dựng nông thôn mới (Thủ tướng Chính phủ)",
    ]


def test_a_reopening_by_no_one_in_particular_reads_as_a_dash(staff_client, signed_pledge):
    """Reopened by a command or a script: the history has no user."""
    from pledges import services

    services.pledge_reopen(pledge=signed_pledge, reason="Sửa theo văn bản của Ban")
    page = staff_client.get(detail(signed_pledge)).content.decode()
    assert " · — · Mở lại: Sửa theo văn bản của Ban" in page


def test_the_targets_page_takes_as_many_queries_for_one_target_as_for_three(
    staff_client, cluster_year, assert_constant_queries
):
    from tests.factories.pledges import PledgeFactory, TargetFactory

    pledge = PledgeFactory(cluster_year=cluster_year)
    TargetFactory(pledge=pledge, order=10, name="Thu ngân sách")

    def two_more():
        TargetFactory(pledge=pledge, order=20, name="Tỷ lệ hộ nghèo")
        TargetFactory(pledge=pledge, order=30, name="Số xã nông thôn mới")

    first, second = assert_constant_queries(
        staff_client, reverse("pledges:pledge-targets", args=[pledge.pk]), add_two_more=two_more
    )
    assert "Số xã nông thôn mới" in second.content.decode()
