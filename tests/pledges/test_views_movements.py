"""Emulation movements: national ones for everyone, a province's own for its staff."""

import datetime

import pytest
from django.urls import reverse

from pledges.models import Movement
from tests.factories import UserFactory
from tests.factories.pledges import MovementFactory
from tests.pledges.conftest import logged_in
from tests.pledges.helpers import messages_of, page, text_of

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    rows = page(response).xpath("//table[@id='movement-table']/tbody/tr[count(td) > 1]")
    return [text_of(row.xpath("./td")[1]) for row in rows]


@pytest.fixture
def movements(body, other_body):
    return {
        "national": MovementFactory(name="Cả nước chung sức xây dựng nông thôn mới"),
        "own": MovementFactory(name="Bắc Kạn chung tay vì người nghèo", body=body),
        "foreign": MovementFactory(name="Lào Cai thi đua làm du lịch", body=other_body),
    }


def test_staff_see_national_movements_and_their_provinces(staff_client, movements):
    response = staff_client.get(reverse("pledges:movement-list"))
    assert listed(response) == [
        "Bắc Kạn chung tay vì người nghèo",
        "Cả nước chung sức xây dựng nông thôn mới",
    ]


def test_the_list_is_searched_without_diacritics(staff_client, movements):
    response = staff_client.get(reverse("pledges:movement-list"), {"q": "nong thon"})
    assert listed(response) == ["Cả nước chung sức xây dựng nông thôn mới"]


def test_the_list_is_filtered_to_the_provinces_own(staff_client, movements):
    response = staff_client.get(reverse("pledges:movement-list"), {"scope": "own"})
    assert listed(response) == ["Bắc Kạn chung tay vì người nghèo"]


def test_staff_add_a_movement_of_their_province(staff_client, body):
    response = staff_client.post(
        reverse("pledges:movement-create"),
        {
            "name": "Bắc Kạn thi đua chuyển đổi số",
            "launched_by": "UBND tỉnh Bắc Kạn",
            "start_date": "01/03/2023",
            "body": body.pk,
        },
    )
    assert (response.status_code, response.url) == (302, reverse("pledges:movement-list"))
    assert messages_of(response) == ["Đã lưu phong trào “Bắc Kạn thi đua chuyển đổi số”."]
    movement = Movement.objects.get()
    assert (movement.body, movement.start_date) == (body, datetime.date(2023, 3, 1))


def test_staff_cannot_file_a_movement_under_another_province(staff_client, other_body):
    response = staff_client.post(
        reverse("pledges:movement-create"),
        {"name": "Giả mạo", "launched_by": "UBND tỉnh Lào Cai", "body": other_body.pk},
    )
    assert response.status_code == 404
    assert not Movement.objects.exists()


def test_staff_edit_their_provinces_movement(staff_client, movements):
    own = movements["own"]
    response = staff_client.post(
        reverse("pledges:movement-update", args=[own.pk]),
        {"name": "Bắc Kạn chung tay giảm nghèo", "launched_by": "UBND tỉnh", "body": own.body_id},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Bắc Kạn chung tay giảm nghèo"


def test_only_a_superuser_edits_a_national_movement(staff_client, movements):
    superuser_client = logged_in(UserFactory(username="root", is_superuser=True))
    url = reverse("pledges:movement-update", args=[movements["national"].pk])
    assert staff_client.get(url).status_code == 403
    response = superuser_client.post(
        url, {"name": "Cả nước chung sức xây dựng nông thôn mới giai đoạn 2021-2025",
              "launched_by": "Thủ tướng Chính phủ", "body": ""},
    )  # fmt: skip
    assert response.status_code == 302
    national = Movement.objects.get(pk=movements["national"].pk)
    assert (national.name, national.body) == (
        "Cả nước chung sức xây dựng nông thôn mới giai đoạn 2021-2025",
        None,
    )


def test_a_movement_ending_before_it_starts_is_refused(staff_client, body):
    response = staff_client.post(
        reverse("pledges:movement-create"),
        {
            "name": "Dạy tốt, học tốt",
            "launched_by": "UBND tỉnh",
            "start_date": "01/01/2024",
            "end_date": "31/12/2023",
            "body": body.pk,
        },
    )
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert not Movement.objects.exists()
