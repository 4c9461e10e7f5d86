"""An electronic vote from the hall: the secretary opens it and prints the code slips, two
voters cast their ballots on their phones (no JavaScript), a third tries a code already
used, and the secretary closes the vote and sees the result, on the vote page and on the
hall screen.

Bắc Kạn's cluster in 2022 has three members, all present at the year-end meeting of
7/2/2023: three codes, two ballots returned (the quorum of two thirds of three is met),
both for Na Rì, who is elected with 2 of 2 valid votes.
"""

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusters.models import ClusterMember, Role, VoteRule
from meetings import services as meeting_services
from meetings.models import Attendance, Meeting
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
from tests.votes.helpers import TELLERS
from votes import services
from votes.models import BallotCode, ElectronicBallot, Vote

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
USERNAME, PASSWORD = "thuky2022", "Bo-phieu-2023"
TITLE = "Bầu Cụm trưởng năm 2023"


@pytest.fixture
def head_vote(transactional_db, default_vote_rules) -> Vote:
    """A draft electronic vote for next year's head, its secretary able to log in."""
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn", place="Bắc Kạn")
    cluster = ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")
    year = ClusterYearFactory(cluster=cluster, year=2022)
    roles = [ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY, ClusterMember.Role.MEMBER]
    members = {}
    for name, role in zip(["Thành phố Bắc Kạn", "Na Rì", "Pác Nặm"], roles, strict=True):
        full_name = name if name.startswith("Thành phố") else f"Huyện {name}"
        unit = UnitFactory(body=body, name=full_name, short_name=name)
        members[name] = ClusterMemberFactory(cluster_year=year, unit=unit, role=role)
    meeting = meeting_services.meeting_create(
        cluster_year=year,
        kind=Meeting.Kind.YEAR_END,
        title="Hội nghị tổng kết công tác thi đua, khen thưởng năm 2022",
        starts_at=at(2023, 2, 7),
    )
    for member in members.values():
        Attendance.objects.create(meeting=meeting, member=member, present=True)
    secretary = UserFactory(username=USERNAME, first_name="Hoàng Thị Hà")
    secretary.set_password(PASSWORD)
    secretary.save()
    RoleFactory(user=secretary, body=body, kind=Role.Kind.SECRETARY)
    year.secretaries.add(secretary)
    vote = services.vote_create(
        meeting=meeting, purpose=VoteRule.Purpose.HEAD, title=TITLE, electronic=True
    )
    services.vote_set_candidates(vote=vote, members=[members["Na Rì"], members["Pác Nặm"]])
    services.vote_set_tellers(vote=vote, tellers=TELLERS)
    return vote


def new_phone(browser: Browser, locale: str = "vi-VN") -> BrowserContext:
    """A fresh phone of its own (no cookies shared), with JavaScript off."""
    return browser.new_context(
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
        locale=locale,
    )


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def text(page: Page) -> str:
    return re.sub(r"\s+", " ", page.locator("body").inner_text())


def check_phone_ballot(page: Page) -> None:
    """The ballot fits the phone's width and every choice is a large touch target."""
    expect(page.locator("h1")).to_have_text(TITLE)
    assert page_width(page) <= PHONE["width"]
    labels = page.locator("label.ballot-choice")
    expect(labels).to_have_count(2)
    for index in range(2):
        assert labels.nth(index).bounding_box()["height"] >= 44
    button = page.get_by_role("button", name="Gửi phiếu bầu")
    assert button.bounding_box()["height"] >= 44
    assert button.bounding_box()["width"] <= PHONE["width"]
    assert page.locator("script").count() == 0


def cast_for(page: Page, candidate: str) -> None:
    page.locator("label.ballot-choice", has_text=candidate).tap()
    expect(page.get_by_role("checkbox", name=candidate)).to_be_checked()
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.get_by_role("button", name="Gửi phiếu bầu").tap()
    # The form goes with its own origin (a "no-referrer" policy once made it "null",
    # which the CSRF check refused).
    assert sent.value.request.header_value("origin") != "null"
    expect(page).to_have_url(re.compile(r"/phieu/xong/$"))
    expect(page.locator("h1")).to_have_text("Phiếu bầu của bạn đã được ghi nhận. Xin cảm ơn.")
    assert page_width(page) <= PHONE["width"]


def test_two_phones_vote_a_used_code_is_refused_and_the_secretary_sees_the_result(
    browser: Browser, live_server, head_vote
):
    base = live_server.url
    vote_url = f"{base}/votes/{head_vote.pk}/"

    # The secretary opens the vote from its page and gets the code slips.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    secretary = desk.new_page()
    secretary.goto(f"{base}/accounts/login/")
    secretary.fill("#id_username", USERNAME)
    secretary.fill("#id_password", PASSWORD)
    secretary.locator("main button[type=submit]").click()
    secretary.wait_for_url(f"{base}/")
    secretary.goto(vote_url)
    secretary.get_by_role("button", name="Bắt đầu bỏ phiếu").click()
    slips = secretary.locator(".code-slip-code")
    expect(slips).to_have_count(3)
    expect(secretary.locator(".code-slip-qr svg, .code-slip-qr img")).to_have_count(3)
    codes = [code.strip() for code in slips.all_inner_texts()]
    assert all(re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code) for code in codes)
    assert Vote.objects.get(pk=head_vote.pk).status == Vote.Status.OPEN

    # Voter 1 arrives from the QR code, the code already in the address.
    first = new_phone(browser)
    phone = first.new_page()
    phone.goto(f"{base}/phieu/?code={codes[0].replace('-', '')}")
    check_phone_ballot(phone)
    cast_for(phone, "Huyện Na Rì")

    # Voter 2, on a phone set to English (the page is Vietnamese all the same), types
    # the code: lower case, with its dash, forgiven.
    second = new_phone(browser, locale="en-US")
    phone = second.new_page()
    phone.goto(f"{base}/phieu/")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(phone.locator("h1")).to_have_text("Phiếu bầu điện tử")
    assert page_width(phone) <= PHONE["width"]
    phone.get_by_label("Mã bỏ phiếu").fill(codes[1].lower())
    phone.get_by_role("button", name="Mở phiếu bầu").tap()
    check_phone_ballot(phone)
    cast_for(phone, "Huyện Na Rì")

    # A third phone tries voter 1's code again.
    third = new_phone(browser)
    phone = third.new_page()
    response = phone.goto(f"{base}/phieu/?code={codes[0]}")
    assert response.status == 200
    expect(phone.locator(".ballot-error")).to_have_text(
        "Mã này đã được dùng: mỗi mã chỉ bỏ được một phiếu. "
        "Nếu bạn chưa dùng mã này, hãy báo ban kiểm phiếu."
    )
    assert phone.locator("label.ballot-choice").count() == 0
    assert page_width(phone) <= PHONE["width"]
    # Sent as a form, it is refused too.
    phone.get_by_label("Mã bỏ phiếu").fill(codes[0])
    with phone.expect_response(lambda r: r.url.endswith("/phieu/")) as sent:
        phone.get_by_role("button", name="Mở phiếu bầu").tap()
    assert sent.value.status == 200
    expect(phone.locator(".ballot-error")).to_contain_text("Mã này đã được dùng")
    assert ElectronicBallot.objects.filter(vote=head_vote).count() == 2
    assert BallotCode.objects.filter(vote=head_vote, used=True).count() == 2

    # The secretary closes the vote: no paper counts, so the electronic ballots count.
    secretary.goto(vote_url)
    expect(secretary.locator("#electronic")).to_contain_text("Số mã đã sử dụng: 2.")
    secretary.get_by_role("button", name="Kết thúc và kiểm phiếu").click()
    expect(secretary.locator(".alert-success")).to_contain_text(
        "Cuộc bỏ phiếu đã kết thúc và đã kiểm phiếu."
    )
    rows = secretary.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    assert [re.sub(r"\s+", " ", row).strip() for row in rows.all_inner_texts()] == [
        "Huyện Na Rì 2 100,00 đạt trúng cử",
        "Huyện Pác Nặm 0 0,00 không đạt",
    ]
    results = Vote.objects.get(pk=head_vote.pk).results
    assert (results["issued"], results["returned"], results["valid"]) == (3, 2, 2)
    assert results["quorum_met"] is True
    na_ri = head_vote.candidates.get(member__unit__short_name="Na Rì").pk
    assert results["winners"] == [na_ri]

    # The hall screen shows the chart, the winner marked.
    secretary.goto(f"{vote_url}screen/")
    expect(secretary.locator(".hall-counts")).to_contain_text(
        "2 trên 3 phiếu thu về, 2 phiếu hợp lệ."
    )
    winner = secretary.locator("g.hall-row.is-winner")
    expect(winner).to_have_count(1)
    expect(winner.locator(".hall-label")).to_have_text("✔ Huyện Na Rì")
    expect(winner.locator(".hall-value")).to_contain_text("trúng cử")
    expect(secretary.locator("g.hall-row:not(.is-winner) .hall-label")).to_have_text(
        "Huyện Pác Nặm"
    )
    expect(secretary.locator(".hall-threshold")).to_have_count(1)

    for context in (first, second, third, desk):
        context.close()
