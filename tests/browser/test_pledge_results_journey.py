"""The secretary's mid-year evening: results typed into the grid with the keyboard only,
saved, and judged in the period's heat table."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from clusters.models import ClusterMember, Role
from pledges import services
from pledges.models import Period, Result, Target
from pledges.services import Cell
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    OrganizingBodyFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "Giao-uoc-2023"
BUDGET, GROWTH, ACCIDENTS = (
    "Thu ngân sách nhà nước trên địa bàn",
    "Tốc độ tăng giá trị sản xuất",
    "Số vụ tai nạn giao thông",
)
# Columns in the grid's order: the head, the deputy, then the other members.
MEMBERS = ["Na Rì", "Pác Nặm", "Ba Bể"]
COMMITTED = {
    BUDGET: ["1234.5", "45", "380"],
    GROWTH: ["8.5", "8.8", "9"],
    ACCIDENTS: ["6", "4", "5"],
}
# The results typed below as judged on 30/6: half of each count or amount expected (and
# allowed, for accidents), the growth rate in full.
MID_YEAR_HEAT = {
    BUDGET: ["exceeded", "met", "met"],
    GROWTH: ["met", "exceeded", "not_met"],
    ACCIDENTS: ["not_met", "not_met", "not_met"],
}


@pytest.fixture
def mid_year(transactional_db) -> Period:
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn")
    user = UserFactory(username="sonoivu.backan", first_name="Nguyễn Thị Hương")
    user.set_password(PASSWORD)
    user.save()
    RoleFactory(user=user, body=body, kind=Role.Kind.STAFF)
    cluster_year = ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố"), year=2023
    )
    roles = [ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY, ClusterMember.Role.MEMBER]
    members = [
        ClusterMemberFactory(
            cluster_year=cluster_year,
            unit=UnitFactory(body=body, name=f"Huyện {short}", short_name=short),
            role=role,
        )
        for short, role in zip(MEMBERS, roles, strict=True)
    ]
    pledge = services.pledge_create(
        cluster_year=cluster_year,
        theme="Đoàn kết, sáng tạo, thi đua hoàn thành thắng lợi nhiệm vụ năm 2023",
        signed_on=datetime.date(2023, 2, 7),
    )
    targets = services.targets_save(
        pledge=pledge,
        rows=[
            {"group": "Kinh tế", "order": 10, "name": BUDGET, "unit_of_measure": "tỷ đồng"},
            {"group": "Kinh tế", "order": 20, "name": GROWTH, "measure": Target.Measure.PERCENT},
            {"group": "Văn hóa - Xã hội", "order": 30, "name": ACCIDENTS,
             "unit_of_measure": "vụ", "direction": Target.Direction.LOWER},
        ],
    )  # fmt: skip
    services.commitments_save(
        pledge=pledge,
        cells={
            (target.pk, member.pk): Cell(Decimal(value))
            for target in targets
            for member, value in zip(members, COMMITTED[target.name], strict=True)
        },
    )
    services.pledge_sign(pledge=pledge, signed_on=datetime.date(2023, 2, 7))
    return pledge.periods.get(kind=Period.Kind.MID_YEAR)


def heat_statuses(page: Page) -> dict[str, list[str]]:
    rows = page.locator("#heat-table tbody tr:has(td[data-status])")
    statuses = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        name = row.locator("th").inner_text()
        for target in COMMITTED:
            if target in name:
                statuses[target] = [
                    cell.get_attribute("data-status")
                    for cell in row.locator("td[data-status]").all()
                ]
    return statuses


def test_staff_type_mid_year_results_with_the_keyboard_and_see_them_judged(
    page: Page, live_server, mid_year
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sonoivu.backan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    detail = f"{live_server.url}{mid_year.get_absolute_url()}"
    page.goto(detail)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert heat_statuses(page) == {target: ["not_reported"] * 3 for target in COMMITTED}

    page.goto(f"{live_server.url}/periods/{mid_year.pk}/results/")
    expect(page.locator("h1")).to_have_text("Kết quả — Sơ kết 6 tháng năm 2023")
    first = page.locator("#grid tbody tr:not(.group-row) input.grid-input").first
    first.focus()
    keyboard = page.keyboard
    # Na Rì's column downwards with Enter, Tab to Pác Nặm, up its column with Shift+Enter,
    # Tab to Ba Bể and down again.
    for value, key in [
        ("1.300", "Enter"), ("8,5", "Enter"), ("7", "Tab"),
        ("3", "Shift+Enter"), ("9,2", "Shift+Enter"), ("40", "Tab"),
        ("380", "Enter"), ("8", "Enter"), ("5", None),
    ]:  # fmt: skip
        keyboard.type(value)
        if key:
            keyboard.press(key)
    page.locator("#grid-save").click()

    page.wait_for_url(f"**/periods/{mid_year.pk}/results/")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu: 9 ô thay đổi.")
    stored = {
        (r.target.name, r.member.unit.short_name): r.value
        for r in Result.objects.filter(period=mid_year).select_related("target", "member__unit")
    }
    assert stored == {
        (BUDGET, "Na Rì"): Decimal("1300"),
        (BUDGET, "Pác Nặm"): Decimal("40"),
        (BUDGET, "Ba Bể"): Decimal("380"),
        (GROWTH, "Na Rì"): Decimal("8.5"),
        (GROWTH, "Pác Nặm"): Decimal("9.2"),
        (GROWTH, "Ba Bể"): Decimal("8"),
        (ACCIDENTS, "Na Rì"): Decimal("7"),
        (ACCIDENTS, "Pác Nặm"): Decimal("3"),
        (ACCIDENTS, "Ba Bể"): Decimal("5"),
    }

    page.goto(detail)
    table = page.locator("#heat-table")
    expect(table.locator("thead th")).to_have_text(["Chỉ tiêu", *MEMBERS, "Toàn cụm"])
    assert heat_statuses(page) == MID_YEAR_HEAT
    # Against half of each count by 30/6 (a rate in full): 40 of the 22,5 expected is
    # 177,8 %, shown rounded, not cut; 3 accidents of the 2 allowed so far is 66,7 %.
    expect(table.locator(".heat-ratio")).to_have_text(
        ["211%", "178%", "200%", "100%", "105%", "89%", "43%", "67%", "50%"]
    )
    expect(table.locator("tfoot th")).to_have_text(
        ["Số chỉ tiêu đạt, vượt", "2/3", "2/3", "1/3", ""]
    )
    expect(page.locator("#progress-counts")).to_contain_text("Vượt: 2 · Đạt: 3 · Không đạt: 4")
    expect(page.locator("#heat-yardstick")).to_contain_text(
        "So với 50% cam kết cả năm (tính theo tỷ lệ thời gian đến 30/06/2023)"
    )
    page.screenshot(path=str(ARTIFACTS / "pledge-heat-table.png"), full_page=True)


def test_a_block_copied_from_excel_is_pasted_across_the_grid(page: Page, live_server, mid_year):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sonoivu.backan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/periods/{mid_year.pk}/results/")
    first = page.locator("#grid tbody tr:not(.group-row) input.grid-input").first
    first.focus()
    # What Excel puts on the clipboard for three rows of three cells.
    first.evaluate(
        """(cell, text) => {
            const data = new DataTransfer();
            data.setData("text", text);
            cell.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }""",
        "1.300\t40\t380\r\n8,5\t9,2\t8\r\n7\t3\t5\r\n",
    )
    inputs = page.locator("#grid tbody input.grid-input")
    assert [cell.input_value() for cell in inputs.all()] == [
        "1.300", "40", "380", "8,5", "9,2", "8", "7", "3", "5",
    ]  # fmt: skip
    page.locator("#grid-save").click()
    page.wait_for_url(f"**/periods/{mid_year.pk}/results/")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu: 9 ô thay đổi.")

    page.goto(f"{live_server.url}{mid_year.get_absolute_url()}")
    assert heat_statuses(page) == MID_YEAR_HEAT
