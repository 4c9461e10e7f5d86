"""What the keyboard and phone tests share: a small cluster's mid-year, and logging in."""

import datetime
from decimal import Decimal

from playwright.sync_api import Page, expect

from clusters.models import ClusterMember, Role
from pledges import services
from pledges.models import Period, Target
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
from tests.factories.meetings import AttendanceFactory, MeetingFactory

USERNAME, PASSWORD = "sonoivu.backan", "Giao-uoc-2023"
BUDGET, RECRUITS, ACCIDENTS = (
    "Thu ngân sách nhà nước trên địa bàn",
    "Hoàn thành chỉ tiêu tuyển quân",
    "Số vụ tai nạn giao thông",
)
# Columns in the grids' order: the head, the deputy, then the other members.
MEMBERS = ["Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể", "Huyện Bạch Thông", "Huyện Chợ Đồn"]


def small_cluster_mid_year() -> Period:
    """Bắc Kạn's district cluster in 2023: five members, a signed pledge of three targets
    (a number, a yes/no, a number), every member's yes/no result already "Có", and the
    year-end meeting of 2022 with everyone present. Logs in as USERNAME (staff)."""
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn", place="Bắc Kạn")
    user = UserFactory(username=USERNAME, first_name="Nguyễn Thị Hương")
    user.set_password(PASSWORD)
    user.save()
    RoleFactory(user=user, body=body, kind=Role.Kind.STAFF)
    cluster = ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")
    cluster_year = ClusterYearFactory(cluster=cluster, year=2023)
    roles = [ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY] + [ClusterMember.Role.MEMBER] * 3
    members = [
        ClusterMemberFactory(
            cluster_year=cluster_year,
            unit=UnitFactory(body=body, name=name, short_name=name.removeprefix("Huyện ")),
            role=role,
        )
        for name, role in zip(MEMBERS, roles, strict=True)
    ]
    pledge = services.pledge_create(
        cluster_year=cluster_year,
        theme="Đoàn kết, sáng tạo, thi đua hoàn thành thắng lợi nhiệm vụ năm 2023",
        signed_on=datetime.date(2023, 2, 7),
    )
    budget, recruits, accidents = services.targets_save(
        pledge=pledge,
        rows=[
            {"group": "Kinh tế", "order": 10, "name": BUDGET, "unit_of_measure": "tỷ đồng"},
            {"group": "Kinh tế", "order": 20, "name": RECRUITS, "measure": Target.Measure.BOOLEAN},
            {"group": "Văn hóa - Xã hội", "order": 30, "name": ACCIDENTS,
             "unit_of_measure": "vụ", "direction": Target.Direction.LOWER},
        ],
    )  # fmt: skip
    services.commitments_save(
        pledge=pledge,
        cells={
            **{(budget.pk, m.pk): Cell(Decimal(40 + i)) for i, m in enumerate(members)},
            **{(recruits.pk, m.pk): Cell(Decimal(1)) for m in members},
            **{(accidents.pk, m.pk): Cell(Decimal(5)) for m in members},
        },
    )
    services.pledge_sign(pledge=pledge, signed_on=datetime.date(2023, 2, 7))
    period = pledge.periods.get(kind=Period.Kind.MID_YEAR)
    services.results_save(
        period=period, cells={(recruits.pk, m.pk): Cell(Decimal(1)) for m in members}
    )
    meeting = MeetingFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022),
        title="Tổng kết công tác thi đua, khen thưởng năm 2022, triển khai nhiệm vụ năm 2023",
        place="Thành phố Bắc Kạn",
    )
    for member in members:
        AttendanceFactory(
            meeting=meeting,
            member=ClusterMemberFactory(cluster_year=meeting.cluster_year, unit=member.unit),
            representative="Nông Văn Nguyên",
            representative_position=f"Chủ tịch Ủy ban nhân dân {member.unit.name}",
        )
    return period


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


def choose(page: Page, select_id: str, typed: str, expected: str) -> None:
    """Pick ``expected`` in the Tom Select that replaced ``<select id=select_id>``: open
    it, type to search, click the option found, as a user would, waiting at each step for
    the list to be where the user would see it."""
    control = page.locator(f"#{select_id} + .ts-wrapper .ts-control")
    dropdown = page.locator(f"#{select_id}-ts-dropdown")
    search = page.locator(f"#{select_id}-ts-control")
    control.click()
    expect(search).to_be_focused()
    expect(dropdown).to_be_visible()
    search.press_sequentially(typed)
    option = dropdown.locator(".option", has_text=expected)
    expect(option.first).to_be_visible()
    option.first.click()
    search.press("Escape")
    expect(dropdown).to_be_hidden()
    chosen = page.locator(f"#{select_id} + .ts-wrapper .item", has_text=expected)
    expect(chosen).to_have_count(1)
