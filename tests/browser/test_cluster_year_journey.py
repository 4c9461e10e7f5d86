"""A staff member opens a cluster's year in a real browser and sees it on the dashboard."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from clusters.models import ClusterMember, ClusterYear, Role
from tests.browser.helpers import choose
from tests.factories import (
    ClusterFactory,
    OrganizingBodyFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "Cum-thi-dua-2023"


@pytest.fixture
def province(transactional_db):
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn")
    user = UserFactory(username="sonoivu.backan", first_name="Nguyễn Thị Hương")
    user.set_password(PASSWORD)
    user.save()
    RoleFactory(user=user, body=body, kind=Role.Kind.STAFF)
    cluster = ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")
    units = {
        name: UnitFactory(body=body, name=name)
        for name in ("Thành phố Bắc Kạn", "Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể")
    }
    return {"cluster": cluster, "units": units}


def test_staff_open_a_year_and_see_it_on_the_dashboard(page: Page, live_server, province):
    ARTIFACTS.mkdir(exist_ok=True)
    cluster = province["cluster"]

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sonoivu.backan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.goto(f"{live_server.url}{cluster.get_absolute_url()}")
    page.locator(f'main a[href="/clusters/{cluster.pk}/years/new/"]').click()
    page.wait_for_url(f"**/clusters/{cluster.pk}/years/new/")
    page.fill("#id_year", "2023")
    choose(page, "id_members", "Na Rì", "Huyện Na Rì")
    choose(page, "id_members", "Pác Nặm", "Huyện Pác Nặm")
    choose(page, "id_members", "Bắc Kạn", "Thành phố Bắc Kạn")
    choose(page, "id_head", "Na Rì", "Huyện Na Rì")
    choose(page, "id_deputy", "Pác Nặm", "Huyện Pác Nặm")
    expect(page.locator("#id_members + .ts-wrapper .item")).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "cluster-year-form.png"), full_page=True)
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/years/*/")
    cluster_year = ClusterYear.objects.get(cluster=cluster, year=2023)
    assert page.url == f"{live_server.url}{cluster_year.get_absolute_url()}"
    expect(page.locator("#head")).to_have_text("Huyện Na Rì")
    expect(page.locator("#deputy")).to_have_text("Huyện Pác Nặm")
    member_links = page.locator("#member-table tbody a")
    expect(member_links).to_have_text(["Huyện Na Rì", "Huyện Pác Nặm", "Thành phố Bắc Kạn"])
    assert {
        row.unit.name: row.role for row in ClusterMember.objects.filter(cluster_year=cluster_year)
    } == {"Huyện Na Rì": "head", "Huyện Pác Nặm": "deputy", "Thành phố Bắc Kạn": "member"}

    page.goto(f"{live_server.url}/?year=2023")
    cards = page.locator("#dashboard-clusters")
    expect(cards).to_contain_text("Cụm thi đua các huyện, thành phố")
    expect(cards).to_contain_text("Huyện Na Rì")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
