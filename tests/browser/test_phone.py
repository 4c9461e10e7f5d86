"""A secretary on a phone (390 × 844): results typed into the grid with the decimal keypad,
the focused cell never hidden under the sticky target column, and no page that scrolls
sideways."""

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from meetings.models import Meeting
from pledges.models import Result
from tests.browser.helpers import BUDGET, MEMBERS, log_in, small_cluster_mid_year

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def mid_year(transactional_db):
    return small_cluster_mid_year()


@pytest.fixture
def phone(browser: Browser, live_server, mid_year) -> Page:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    log_in(page, live_server.url)
    yield page
    context.close()


def page_width(page: Page) -> int:
    # A phone widens its layout viewport to fit wide content (and zooms out), so the page
    # is measured against the screen's width, not against innerWidth.
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_result_typed_on_a_phone_stays_in_view_and_is_saved(phone, live_server, mid_year):
    page = phone
    page.goto(f"{live_server.url}/periods/{mid_year.pk}/results/")
    assert page_width(page) <= PHONE["width"]
    row = page.locator("#grid tbody tr", has_text=BUDGET)
    sticky = row.locator("th.sticky-col")
    assert sticky.bounding_box()["width"] <= 0.4 * PHONE["width"] + 1

    # The grid scrolled to its last member, then back to the first one's cell with the
    # keyboard's "previous" key: the cell comes out from under the sticky column.
    last = page.get_by_role("textbox", name=f"{BUDGET} — {MEMBERS[-1]}")
    last.tap()
    page.locator(".grid-wrapper").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    first = page.get_by_role("textbox", name=f"{BUDGET} — {MEMBERS[0]}")
    expect(first).to_have_attribute("inputmode", "decimal")
    first.focus()
    page.keyboard.type("1.300,5")
    cell, column = first.bounding_box(), sticky.bounding_box()
    assert cell["x"] >= column["x"] + column["width"] - 1
    assert cell["x"] + cell["width"] <= PHONE["width"] + 1
    assert float(first.evaluate("input => getComputedStyle(input).fontSize")[:-2]) >= 16

    save = page.locator("#grid-save")
    box = save.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    save.tap()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu: 1 ô thay đổi.")
    stored = Result.objects.get(period=mid_year, target__name=BUDGET)
    assert (stored.member.unit.name, stored.value) == (MEMBERS[0], Decimal("1300.5"))


@pytest.mark.parametrize("where", ["results grid", "heat table", "meeting", "attendance"])
def test_no_page_scrolls_sideways_on_a_phone(phone, live_server, mid_year, where):
    meeting = Meeting.objects.get()
    url = {
        "results grid": f"/periods/{mid_year.pk}/results/",
        "heat table": mid_year.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "attendance": f"/meetings/{meeting.pk}/attendance/",
    }[where]
    phone.goto(f"{live_server.url}{url}")
    assert page_width(phone) <= PHONE["width"]
