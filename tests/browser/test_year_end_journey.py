"""The year-end conference in a real browser, as a cluster's staff records it: the meeting
with its attendance and conclusions, then the scores, then the ranking approved at it."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from clusters.models import ClusterMember, Role
from meetings.models import Meeting
from scoring.models import CriteriaSheet, Score
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    OrganizingBodyFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory

pytestmark = [pytest.mark.browser]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "Tong-ket-nam-2022"
TITLE = "Tổng kết công tác thi đua, khen thưởng năm 2022"


@pytest.fixture
def year(transactional_db):
    """2022 of the Bắc Kạn cluster: three members and a two-criterion sheet."""
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn", place="Bắc Kạn")
    user = UserFactory(username="sonoivu.backan", first_name="Nguyễn Thị Hương")
    user.set_password(PASSWORD)
    user.save()
    RoleFactory(user=user, body=body, kind=Role.Kind.STAFF)
    year = ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố"), year=2022
    )
    for name, short_name, role in [
        ("Thành phố Bắc Kạn", "TP Bắc Kạn", ClusterMember.Role.HEAD),
        ("Huyện Na Rì", "Na Rì", ClusterMember.Role.DEPUTY),
        ("Huyện Pác Nặm", "Pác Nặm", ClusterMember.Role.MEMBER),
    ]:
        unit = UnitFactory(body=body, name=name, short_name=short_name)
        ClusterMemberFactory(cluster_year=year, unit=unit, role=role)
    sheet = CriteriaSheetFactory(cluster_year=year, name="Bảng chấm điểm thi đua năm 2022")
    CriterionFactory(sheet=sheet, group="Nhiệm vụ chính trị", name="Kinh tế", max_points=60)
    CriterionFactory(sheet=sheet, group="Thi đua, khen thưởng", name="Phong trào", max_points=40)
    return year


def type_date(page: Page, field: str, value: str) -> None:
    """Type into a day-first date field and close its calendar popup."""
    date = page.locator(field)
    date.click()
    date.press_sequentially(value)
    page.locator("main h1").click()
    expect(date).to_have_value(value)


def test_staff_record_the_year_end_meeting_enter_scores_and_approve_the_ranking(
    page: Page, live_server, year
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sonoivu.backan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    # The meeting, from the year's page.
    page.goto(f"{live_server.url}{year.get_absolute_url()}")
    page.locator("#meetings-section .card-header a").click()
    page.fill("#id_title", TITLE)
    type_date(page, "#id_starts_at", "07/02/2023 14:00")
    page.fill("#id_place", "Thành phố Bắc Kạn")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/meetings/*/")
    meeting = Meeting.objects.get()

    # Attendance: every member came.
    page.locator("#attendance .card-header a").click()
    for select in page.locator("#grid tbody select").all():
        select.select_option(label="Có mặt")
    page.locator("#grid-save").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")

    # Co-chairs, typed in as new people of the register.
    page.locator("#participants .card-header a").click()
    for row, (name, position) in enumerate(
        [
            ("Dương Hữu Bường", "Chủ tịch UBND Thành phố Bắc Kạn, Cụm trưởng"),
            ("Nông Văn Nguyên", "Chủ tịch UBND huyện Na Rì, Cụm phó"),
        ]
    ):
        page.locator(f"#id_form-{row}-role").select_option(label="Chủ trì")
        page.fill(f"#id_form-{row}-new_name", name)
        page.fill(f"#id_form-{row}-position", position)
    page.locator("#section-save").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")

    # The conclusions: the vote and the election.
    page.locator("#conclusions .card-header a").click()
    page.fill("#id_form-0-text", "Suy tôn huyện Na Rì nhận Cờ thi đua của UBND tỉnh.")
    page.fill("#id_form-1-text", "Bầu huyện Na Rì làm Cụm trưởng, huyện Pác Nặm làm Cụm phó.")
    page.locator("#section-save").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    page.locator("#mark-held").click()
    expect(page.locator("h1 .meeting-status")).to_have_text("Đã tổ chức")
    expect(page.locator("#attendance .card-header .badge")).to_have_text("3/3")
    expect(page.locator("#chairs li")).to_have_count(2)

    # The board-verified scores, typed with the keyboard: Na Rì comes first.
    sheet = CriteriaSheet.objects.get()
    page.goto(f"{live_server.url}/criteria-sheets/{sheet.pk}/scores/board/")
    page.locator("#grid tbody input.grid-input").first.click()
    for value, key in [
        ("52", "ArrowRight"),  # TP Bắc Kạn, Kinh tế → Na Rì
        ("58,5", "ArrowRight"),  # Na Rì → Pác Nặm
        ("55", "Enter"),  # Pác Nặm, Kinh tế → Phong trào
        ("36", "ArrowLeft"),  # Pác Nặm, Phong trào → Na Rì
        ("38", "ArrowLeft"),  # Na Rì → TP Bắc Kạn
        ("35", None),
    ]:
        page.keyboard.type(value)
        if key:
            page.keyboard.press(key)
    page.locator("#grid-save").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    assert {
        (score.member.unit.short_name, score.criterion.name): score.board_score
        for score in Score.objects.select_related("member__unit", "criterion")
    } == {
        ("TP Bắc Kạn", "Kinh tế"): Decimal(52),
        ("TP Bắc Kạn", "Phong trào"): Decimal(35),
        ("Na Rì", "Kinh tế"): Decimal("58.5"),
        ("Na Rì", "Phong trào"): Decimal(38),
        ("Pác Nặm", "Kinh tế"): Decimal(55),
        ("Pác Nặm", "Phong trào"): Decimal(36),
    }

    # The ranking, approved at the meeting just recorded.
    page.goto(f"{live_server.url}/criteria-sheets/{sheet.pk}/results/")
    rows = page.locator("#ranking-table tbody tr")
    expect(rows.locator(".unit-name")).to_have_text(
        ["Huyện Na Rì", "Huyện Pác Nặm", "Thành phố Bắc Kạn"]
    )
    expect(rows.locator(".total")).to_have_text(["96,50", "91,00", "87,00"])
    page.locator("#approve-form select").select_option(str(meeting.pk))
    page.locator("#approve-form button").click()
    expect(page.locator("main")).to_contain_text(f"Đã thông qua tại “{TITLE}” (07/02/2023).")
    page.screenshot(path=str(ARTIFACTS / "year-end-results.png"), full_page=True)

    sheet.refresh_from_db()
    assert (sheet.status, sheet.approved_meeting) == (CriteriaSheet.Status.APPROVED, meeting)
