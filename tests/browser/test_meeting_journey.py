"""A staff member records a year-end meeting in a real browser, from creation to approval."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from clusters.models import ClusterMember, Role
from meetings.models import Meeting
from tests.browser.helpers import choose
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    OrganizingBodyFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.meetings import at

pytestmark = [pytest.mark.browser]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "Hoi-nghi-tong-ket-2023"
TITLE = "Tổng kết công tác thi đua, khen thưởng năm 2022"
FIRST = "Thực hiện hiệu quả các phong trào thi đua yêu nước năm 2023."
TASK = "Hoàn thiện hồ sơ đề nghị tặng Cờ thi đua của UBND tỉnh."


@pytest.fixture
def cluster_year(transactional_db):
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn", place="Bắc Kạn")
    user = UserFactory(username="sonoivu.backan", first_name="Nguyễn Thị Hương")
    user.set_password(PASSWORD)
    user.save()
    RoleFactory(user=user, body=body, kind=Role.Kind.STAFF)
    cluster_year = ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố"), year=2023
    )
    for name, role in [
        ("Huyện Na Rì", ClusterMember.Role.HEAD),
        ("Huyện Ba Bể", ClusterMember.Role.MEMBER),
        ("Huyện Pác Nặm", ClusterMember.Role.DEPUTY),
    ]:
        ClusterMemberFactory(
            cluster_year=cluster_year, unit=UnitFactory(body=body, name=name), role=role
        )
    return cluster_year


def close_date_picker(page: Page) -> None:
    """Escape leaves flatpickr open while the typed input has focus (``allowInput``), so
    click outside it, as a user would; flatpickr then reads the typed value."""
    page.locator("main h1").click()
    expect(page.locator(".flatpickr-calendar.open")).to_have_count(0)


def open_section(page: Page, card_id: str) -> None:
    page.locator(f"#{card_id} .card-header a").click()
    page.wait_for_load_state()


def test_staff_record_a_year_end_meeting_and_approve_the_minutes(
    page: Page, live_server, cluster_year
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sonoivu.backan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    # A new meeting, from the cluster year's page.
    page.goto(f"{live_server.url}{cluster_year.get_absolute_url()}")
    page.locator("#meetings-section .card-header a").click()
    page.wait_for_url(f"**/years/{cluster_year.pk}/meetings/new/")
    expect(page.locator("#id_kind")).to_have_value("year_end")
    expect(page.locator("#id_host + .ts-wrapper .item")).to_have_text("Huyện Na Rì")
    page.fill("#id_title", TITLE)
    starts = page.locator("#id_starts_at")
    starts.click()
    expect(page.locator(".flatpickr-calendar.open")).to_be_visible()
    starts.press_sequentially("07/02/2023 14:00")
    starts.press("Escape")
    close_date_picker(page)
    expect(starts).to_have_value("07/02/2023 14:00")
    page.fill("#id_place", "Hội trường UBND huyện Na Rì")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/meetings/*/")
    meeting = Meeting.objects.get()
    assert page.url == f"{live_server.url}{meeting.get_absolute_url()}"
    assert (meeting.title, meeting.starts_at, meeting.host.name) == (
        TITLE,
        at(2023, 2, 7, 14),
        "Huyện Na Rì",
    )

    # Attendance: two of the three members came.
    open_section(page, "attendance")
    rows = page.locator("#grid tbody tr")
    for unit, choice in [
        ("Huyện Na Rì", "Có mặt"),
        ("Huyện Pác Nặm", "Có mặt"),
        ("Huyện Ba Bể", "Vắng mặt"),
    ]:
        rows.filter(has_text=unit).locator("select").select_option(label=choice)
    rows.filter(has_text="Huyện Na Rì").locator("input").first.fill("Nông Văn Nguyên")
    page.locator("#grid-save").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")

    # The chair, a new person typed in the "or a new person" column.
    open_section(page, "participants")
    page.locator("#id_form-0-role").select_option(label="Chủ trì")
    page.fill("#id_form-0-new_name", "Dương Hữu Bường")
    page.fill("#id_form-0-position", "Chủ tịch UBND Thành phố Bắc Kạn")
    page.locator("#section-save").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")

    # Two conclusions, the second a follow-up task owned by Na Rì.
    open_section(page, "conclusions")
    page.fill("#id_form-0-text", FIRST)
    page.fill("#id_form-1-text", TASK)
    page.check("#id_form-1-is_task")
    choose(page, "id_form-1-owner", "Na Rì", "Huyện Na Rì")
    due = page.locator("#id_form-1-due_on")
    due.click()
    due.press_sequentially("28/02/2023")
    due.press("Escape")
    close_date_picker(page)
    expect(due).to_have_value("28/02/2023")
    page.screenshot(path=str(ARTIFACTS / "meeting-conclusions.png"), full_page=True)
    page.locator("#section-save").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")

    page.locator("#mark-held").click()
    expect(page.locator("main")).to_contain_text("Đã ghi nhận hội nghị được tổ chức.")
    page.locator("#approve-minutes").click()
    expect(page.locator("main")).to_contain_text("Biên bản đã được thông qua.")

    expect(page.locator("h1 .meeting-status")).to_have_text("Đã thông qua biên bản")
    expect(page.locator("#chairs")).to_have_text(
        "Dương Hữu Bường — Chủ tịch UBND Thành phố Bắc Kạn"
    )
    expect(page.locator("#attendance .card-header .badge")).to_have_text("2/3")
    expect(page.locator("#conclusion-list > li")).to_have_count(2)
    expect(page.locator("#conclusion-list > li").first).to_contain_text(FIRST)
    expect(page.locator("#conclusion-list > li").nth(1)).to_contain_text(TASK)
    expect(page.locator("#conclusion-list > li").nth(1)).to_contain_text("Huyện Na Rì")
    expect(page.locator("#conclusion-list > li").nth(1)).to_contain_text("28/02/2023")
    expect(page.locator("#mark-held, #approve-minutes")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "meeting-detail.png"), full_page=True)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVED
    assert [
        (a.member.unit.name, a.present, a.representative)
        for a in meeting.attendances.select_related("member__unit").order_by("member__unit__name")
    ] == [
        ("Huyện Ba Bể", False, ""),
        ("Huyện Na Rì", True, "Nông Văn Nguyên"),
        ("Huyện Pác Nặm", True, ""),
    ]
    task = meeting.conclusions.get(is_task=True)
    assert (task.text, task.owner.name, f"{task.due_on:%d/%m/%Y}") == (
        TASK,
        "Huyện Na Rì",
        "28/02/2023",
    )
