"""The grids and pages with the keyboard alone: the arrow keys move through every kind of
cell without changing a value, Ctrl+S saves, and a skip link leads past the menu."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from pledges.models import Result
from tests.browser.helpers import (
    ACCIDENTS,
    BUDGET,
    MEMBERS,
    RECRUITS,
    log_in,
    small_cluster_mid_year,
)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def mid_year(transactional_db):
    return small_cluster_mid_year()


@pytest.fixture
def signed_in(page: Page, live_server, mid_year) -> Page:
    log_in(page, live_server.url)
    return page


def cell(page: Page, target: str, member: str):
    return page.get_by_role("combobox", name=f"{target} — {member}").or_(
        page.get_by_role("textbox", name=f"{target} — {member}")
    )


def test_arrow_keys_move_from_a_yes_no_cell_without_changing_it(signed_in, live_server, mid_year):
    page = signed_in
    page.goto(f"{live_server.url}/periods/{mid_year.pk}/results/")
    recruits = cell(page, RECRUITS, MEMBERS[0])
    expect(recruits).to_have_value("1")
    recruits.focus()

    page.keyboard.press("ArrowDown")
    expect(cell(page, ACCIDENTS, MEMBERS[0])).to_be_focused()
    expect(recruits).to_have_value("1")

    page.keyboard.press("ArrowUp")
    expect(recruits).to_be_focused()
    expect(recruits).to_have_value("1")

    page.keyboard.press("ArrowRight")
    expect(cell(page, RECRUITS, MEMBERS[1])).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    expect(cell(page, BUDGET, MEMBERS[0])).to_be_focused()
    assert [select.input_value() for select in page.locator("#grid select").all()] == ["1"] * 5


def test_arrow_keys_move_from_a_checkbox_without_ticking_it(signed_in, live_server, mid_year):
    page = signed_in
    page.goto(f"{live_server.url}/pledges/{mid_year.pledge_id}/signatures/")
    signed = page.get_by_role("checkbox", name=f"{MEMBERS[0]} — Đã ký kết")
    signed.focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("checkbox", name=f"{MEMBERS[1]} — Đã ký kết")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("textbox", name=f"{MEMBERS[1]} — Người đại diện")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#grid input[type=checkbox]:checked")).to_have_count(0)
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=f"{MEMBERS[1]} — Đã ký kết")).to_be_checked()
    expect(page.locator("#grid input[type=checkbox]:checked")).to_have_count(1)


def test_ctrl_s_saves_the_grid(signed_in, live_server, mid_year):
    page = signed_in
    page.goto(f"{live_server.url}/periods/{mid_year.pk}/results/")
    budget = cell(page, BUDGET, MEMBERS[2])
    budget.focus()
    page.keyboard.type("45,5")
    page.keyboard.press("Control+s")

    expect(page.locator(".alert-success")).to_contain_text("Đã lưu: 1 ô thay đổi.")
    stored = Result.objects.get(period=mid_year, target__name=BUDGET)
    assert (stored.member.unit.name, stored.value) == (MEMBERS[2], Decimal("45.5"))


def test_the_skip_link_is_the_first_tab_stop_and_leads_to_the_main_content(
    signed_in, live_server, mid_year
):
    page = signed_in
    page.goto(f"{live_server.url}/periods/{mid_year.pk}/results/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_have_attribute("href", "#main")

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is the first link of the page itself (the breadcrumb), not the menu.
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_a_searchable_list_left_right_after_typing_keeps_its_hands_off_the_focus(
    signed_in, live_server, mid_year
):
    """Typing in one searchable list, then going straight to the next one: the first list
    must not reopen a moment later and take the focus (and the next keystrokes) back."""
    page = signed_in
    cluster = mid_year.pledge.cluster_year.cluster
    page.goto(f"{live_server.url}/clusters/{cluster.pk}/years/new/")
    members = page.locator("#id_members-ts-control")
    deputy = page.locator("#id_deputy-ts-control")
    page.locator("#id_members + .ts-wrapper .ts-control").click()
    members.press_sequentially("Bạch")
    # The list is filtered as the letters arrive, not after a pause: read at once, without
    # the retrying of ``expect``.
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('#id_members-ts-dropdown .option'),"
        " option => option.textContent)"
    )
    assert shown == ["Huyện Bạch Thông"]
    page.locator("#id_deputy + .ts-wrapper .ts-control").click()
    expect(deputy).to_be_focused()
    page.wait_for_timeout(600)  # longer than any delay a list could still be waiting on
    expect(deputy).to_be_focused()
    expect(page.locator("#id_members-ts-dropdown")).to_be_hidden()
    deputy.press_sequentially("Ba Bể")
    expect(page.locator("#id_deputy-ts-dropdown .option")).to_have_text(["Huyện Ba Bể"])
