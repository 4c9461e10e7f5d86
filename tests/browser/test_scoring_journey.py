"""Staff type board-verified scores into the grid with the keyboard and read the ranking."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from clusters.models import ClusterMember, Role
from scoring.models import Score
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
PASSWORD = "Cham-diem-2023"


@pytest.fixture
def province(transactional_db):
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn")
    user = UserFactory(username="sonoivu.backan", first_name="Nguyễn Thị Hương")
    user.set_password(PASSWORD)
    user.save()
    RoleFactory(user=user, body=body, kind=Role.Kind.STAFF)
    cluster = ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")
    year = ClusterYearFactory(cluster=cluster, year=2023)
    roles = [
        ("Huyện Na Rì", "Na Rì", ClusterMember.Role.HEAD),
        ("Huyện Pác Nặm", "Pác Nặm", ClusterMember.Role.DEPUTY),
        ("Huyện Ba Bể", "Ba Bể", ClusterMember.Role.MEMBER),
    ]
    for name, short_name, role in roles:
        unit = UnitFactory(body=body, name=name, short_name=short_name)
        ClusterMemberFactory(cluster_year=year, unit=unit, role=role)
    sheet = CriteriaSheetFactory(cluster_year=year, name="Bảng chấm điểm thi đua năm 2023")
    CriterionFactory(
        sheet=sheet, group="Thực hiện nhiệm vụ chính trị", name="Kinh tế", max_points=60
    )
    CriterionFactory(
        sheet=sheet, group="Công tác thi đua, khen thưởng", name="Phong trào", max_points=40
    )
    return sheet


def test_staff_type_scores_in_the_grid_and_see_the_ranking(page: Page, live_server, province):
    ARTIFACTS.mkdir(exist_ok=True)
    sheet = province

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sonoivu.backan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/criteria-sheets/{sheet.pk}/scores/board/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    headers = page.locator("#grid thead th[data-member]")
    expect(headers).to_have_text(["Na Rì", "Pác Nặm", "Ba Bể"])

    first_cell = page.locator("#grid tbody input.grid-input").first
    first_cell.click()
    page.keyboard.type("55")
    page.keyboard.press("Enter")  # down: Na Rì, Phong trào
    page.keyboard.type("38,5")
    page.keyboard.press("ArrowRight")  # right: Pác Nặm, Phong trào
    page.keyboard.type("39")
    page.keyboard.press("ArrowUp")  # up: Pác Nặm, Kinh tế
    page.keyboard.type("58")
    page.keyboard.press("ArrowRight")  # right: Ba Bể, Kinh tế
    page.keyboard.type("50")
    page.keyboard.press("Enter")  # down: Ba Bể, Phong trào
    page.keyboard.type("30")
    page.screenshot(path=str(ARTIFACTS / "scoring-grid.png"), full_page=True)
    page.locator("#grid-save").click()

    page.wait_for_url(f"**/criteria-sheets/{sheet.pk}/scores/board/")
    expect(page.locator(".messages .alert-success")).to_be_visible()
    assert {
        (s.member.unit.short_name, s.criterion.name): s.board_score
        for s in Score.objects.select_related("member__unit", "criterion")
    } == {
        ("Na Rì", "Kinh tế"): Decimal(55),
        ("Na Rì", "Phong trào"): Decimal("38.5"),
        ("Pác Nặm", "Kinh tế"): Decimal(58),
        ("Pác Nặm", "Phong trào"): Decimal(39),
        ("Ba Bể", "Kinh tế"): Decimal(50),
        ("Ba Bể", "Phong trào"): Decimal(30),
    }

    page.goto(f"{live_server.url}/criteria-sheets/{sheet.pk}/results/")
    rows = page.locator("#ranking-table tbody tr")
    expect(rows.locator(".unit-name")).to_have_text(["Huyện Pác Nặm", "Huyện Na Rì", "Huyện Ba Bể"])
    expect(rows.locator(".total")).to_have_text(["97,00", "93,50", "80,00"])
    expect(rows.first.locator(".rank-badge")).to_have_text("1")
    # The chart is SVG drawn on the server: the bars' names from the top down, in rank
    # order, each total printed beside its bar; no chart library on the page.
    chart = page.locator("#totals-chart svg")
    expect(chart).to_have_attribute("role", "img")
    labels = chart.locator("g.axis.y text")
    names = sorted(
        zip(
            labels.evaluate_all("texts => texts.map(t => t.getBBox().y)"),
            labels.all_text_contents(),
            strict=True,
        )
    )
    assert [name for _y, name in names] == ["Huyện Pác Nặm", "Huyện Na Rì", "Huyện Ba Bể"]
    values = chart.locator(".text-overlay text.value").all_text_contents()
    assert sorted(values) == ["80,00", "93,50", "97,00"]
    assert page.evaluate("() => typeof window.Chart") == "undefined"
    page.screenshot(path=str(ARTIFACTS / "scoring-results.png"), full_page=True)
