"""From the nomination to the unit's history: seed 000's year-end meeting of 7/2/2023
put Na Rì forward for the provincial flag and Chợ Mới and Pác Nặm for the Bằng khen.
Staff of the Ban TĐKT turn the confirmed nominations into proposals on the cluster year
page, send them up as one batch, accept them at each level, record one decision for all
three and find each award on the unit's page."""

import datetime

import pytest
from playwright.sync_api import Browser, expect

from clusters.models import AwardType, ClusterMember, Role, VoteRule
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
from tests.factories.awards import AwardRuleFactory, RuleSetFactory
from tests.factories.meetings import at
from tests.votes.helpers import ballots, closed, open_vote
from votes import services as vote_services

pytestmark = [pytest.mark.browser]

USERNAME, PASSWORD = "bantdkt", "Khen-thuong-2023"
NAMES = ["Thành phố Bắc Kạn", "Na Rì", "Chợ Mới", "Pác Nặm"]


def catalogue(name, **fields):
    # A browser test's database is emptied between tests: the seeded catalogue with it.
    award_type, _created = AwardType.objects.get_or_create(name=name, body=None, defaults=fields)
    return award_type


@pytest.fixture
def year_2022(transactional_db, default_vote_rules):
    body = OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn", place="Bắc Kạn")
    cluster = ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")
    year = ClusterYearFactory(cluster=cluster, year=2022)
    members = {}
    for name in NAMES:
        unit = UnitFactory(
            body=body,
            name=name if name.startswith("Thành phố") else f"Huyện {name}",
            short_name=name,
            kind="district",
        )
        members[name] = ClusterMemberFactory(
            cluster_year=year,
            unit=unit,
            role=ClusterMember.Role.HEAD if name == "Na Rì" else ClusterMember.Role.MEMBER,
        )
    meeting = meeting_services.meeting_create(
        cluster_year=year,
        kind=Meeting.Kind.YEAR_END,
        title="Hội nghị tổng kết công tác thi đua, khen thưởng năm 2022",
        starts_at=at(2023, 2, 7),
    )
    for member in members.values():
        Attendance.objects.create(meeting=meeting, member=member, present=True)
    flag = catalogue(
        "Cờ thi đua của UBND tỉnh", category="title", recipient="collective", level="province"
    )
    certificate = catalogue(
        "Bằng khen của UBND tỉnh", category="commendation", recipient="both", level="province"
    )
    rules = RuleSetFactory(body=body, effective_from=datetime.date(2000, 1, 1))
    AwardRuleFactory(rule_set=rules, award_type=flag, quota_per_cluster=1, requires_vote=True)
    AwardRuleFactory(rule_set=rules, award_type=certificate, quota_per_cluster=2)
    flag_vote = open_vote(
        meeting, purpose=VoteRule.Purpose.NOMINATION, award_type=flag,
        candidates=[members["Na Rì"], members["Chợ Mới"]], title="Suy tôn Cờ thi đua",
    )  # fmt: skip
    vote_services.vote_confirm(
        vote=closed(flag_vote, votes={"Na Rì": 4, "Chợ Mới": 0}, **ballots(4, 4, 4))
    )
    certificate_vote = open_vote(
        meeting, purpose=VoteRule.Purpose.NOMINATION, award_type=certificate, seats=2,
        candidates=[members["Chợ Mới"], members["Pác Nặm"]], title="Suy tôn Bằng khen",
    )  # fmt: skip
    vote_services.vote_confirm(
        vote=closed(certificate_vote, votes={"Chợ Mới": 4, "Pác Nặm": 4}, **ballots(4, 4, 4))
    )
    staff = UserFactory(username=USERNAME, first_name="Ban TĐKT")
    staff.set_password(PASSWORD)
    staff.save()
    RoleFactory(user=staff, body=body, kind=Role.Kind.STAFF)
    return year, members


def tick_all_and(page, action: str) -> None:
    """The box in the table's head ticks every award of the page (and clearing one
    row clears it), then the action."""
    boxes = page.locator("table.award-table tbody input[name=awards]")
    every = page.locator("table.award-table thead input[data-check-all]")
    every.check()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()
    boxes.first.uncheck()
    expect(every).not_to_be_checked()
    boxes.first.check()
    expect(every).to_be_checked()
    page.locator(f"#bulk button[value={action}]").click()


def test_nominations_become_proposals_climb_the_chain_and_show_in_the_units_history(
    browser: Browser, live_server, year_2022
):
    year, members = year_2022
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")

    # The cluster year page loads its awards block; the nominations become proposals.
    page.goto(f"{base}/years/{year.pk}/")
    block = page.locator("#year-awards")
    expect(block.locator("form[action$='/awards/from-votes/'] button")).to_be_visible()
    block.locator("form[action$='/awards/from-votes/'] button").click()
    page.goto(f"{base}/years/{year.pk}/awards/")
    rows = page.locator("table.award-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.award-table")).to_contain_text("Nhân dân và cán bộ huyện Na Rì")

    # Sent up as one batch, accepted by the Ban TĐKT and the council.
    tick_all_and(page, "submit")
    expect(page.locator(".alert-success")).to_contain_text("3")
    for stage in ("board", "council"):
        page.goto(f"{base}/awards/inbox/?stage={stage}")
        expect(page.locator("table.award-table tbody tr")).to_have_count(3)
        tick_all_and(page, "accept")
        expect(page.locator(".alert-success")).to_be_visible()

    # One decision for all three.
    page.goto(f"{base}/awards/inbox/?stage=authority")
    tick_all_and(page, "decide")
    page.fill("#id_number", "345/QĐ-UBND")
    page.fill("#id_signed_on", "10/03/2023")
    page.keyboard.press("Escape")
    page.fill("#id_authority", "Chủ tịch UBND tỉnh Bắc Kạn")
    page.locator("form button.btn-success[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("345/QĐ-UBND")
    expect(page.locator("table.award-table tbody tr")).to_have_count(3)

    # Each award on its unit's page.
    expected = {
        "Na Rì": "Cờ thi đua của UBND tỉnh",
        "Chợ Mới": "Bằng khen của UBND tỉnh",
        "Pác Nặm": "Bằng khen của UBND tỉnh",
    }
    for name, award in expected.items():
        page.goto(f"{base}/units/{members[name].unit_id}/")
        history = page.locator("#awards")
        expect(history).to_contain_text(award)
        expect(history).to_contain_text("345/QĐ-UBND")
        expect(history).to_contain_text("10/03/2023")
