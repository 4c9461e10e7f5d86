"""What each cluster still lacks on the dashboard, and its ranking leaders."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from clusters.dashboard import Lack, Lacks, lacks
from clusters.models import AwardType, ClusterMember, ClusterYear, VoteRule
from meetings.models import Meeting
from pledges.models import Period
from reports.views import dashboard as dashboard_view
from scoring.models import CriteriaSheet, Score
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.meetings import MeetingFactory, at
from tests.factories.pledges import (
    CommitmentFactory,
    PeriodFactory,
    PledgeFactory,
    ResultFactory,
    TargetFactory,
)
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory, ScoreFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db

D = datetime.date
NOTHING_MISSING = "Đã hoàn thành mọi việc đến hạn."


@pytest.fixture(autouse=True)
def _without_the_awards_checks():
    """These years' steps end at the confirmed votes; what the awards still lack after
    them is tested with the awards (tests/awards/test_lacks.py)."""
    from awards.lacks import award_lacks

    lacks.unregister("awards")
    yield
    lacks.register("awards", order=80, check=award_lacks)


@pytest.fixture
def today(monkeypatch):
    """The dashboard's "today", 1/3/2024 unless a test sets another."""

    def set_today(day: datetime.date):
        monkeypatch.setattr(dashboard_view, "localdate", lambda: day)

    set_today(D(2024, 3, 1))
    return set_today


def complete_year(cluster_year) -> dict:
    """Everything a year's cycle asks for: a pledge with a target, both periods, every
    member's commitment and results, both review meetings held, an approved ranking
    (the members in the order they were added score 90, 89, 88 …), and at the year-end
    meeting a confirmed nomination and next year's head and deputy elected (the first
    two members)."""
    year = cluster_year.year
    members = list(ClusterMember.objects.filter(cluster_year=cluster_year).order_by("pk"))
    pledge = PledgeFactory(cluster_year=cluster_year)
    target = TargetFactory(pledge=pledge, name="Thu ngân sách nhà nước")
    periods = [
        PeriodFactory(pledge=pledge, kind=kind, name=name, ends_on=ends_on)
        for kind, name, ends_on in (
            (Period.Kind.MID_YEAR, f"Sơ kết 6 tháng năm {year}", D(year, 6, 30)),
            (Period.Kind.YEAR_END, f"Tổng kết năm {year}", D(year, 12, 31)),
        )
    ]
    MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.MID_YEAR,
        status=Meeting.Status.HELD,
        starts_at=at(year, 7, 14),
    )
    year_end = MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        status=Meeting.Status.APPROVED,
        starts_at=at(year + 1, 1, 18),
    )
    sheet = CriteriaSheetFactory(
        cluster_year=cluster_year,
        status=CriteriaSheet.Status.APPROVED,
        approved_meeting=year_end,
    )
    criterion = CriterionFactory(sheet=sheet, max_points=Decimal(100))
    for index, member in enumerate(members):
        CommitmentFactory(target=target, member=member, value=Decimal(100))
        for period in periods:
            ResultFactory(period=period, target=target, member=member, value=Decimal(110))
        ScoreFactory(criterion=criterion, member=member, self_score=Decimal(90 - index))
    units = [member.unit for member in members] + [None, None]
    cluster_year.next_head, cluster_year.next_deputy = units[0], units[1]
    cluster_year.save()
    Vote.objects.create(
        meeting=year_end,
        purpose=VoteRule.Purpose.NOMINATION,
        award_type=AwardType.objects.get(name="Cờ thi đua của UBND tỉnh", body=None),
        title="Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh",
        rule=VoteRule.objects.filter(purpose="nomination", award_type=None).first(),
        status=Vote.Status.CONFIRMED,
        results={"winners": [], "tied": [], "candidates": []},
    )
    return {"pledge": pledge, "periods": periods, "sheet": sheet, "year_end": year_end}


def card_lacks(response) -> dict[str, list[tuple[str, str]]]:
    return {
        row["cluster"].name: [(lack.text, lack.url) for lack in row["lacks"]]
        for row in response.context["rows"]
        if row["is_current"]
    }


def card_html(response, name: str) -> str:
    """The HTML of the card of the cluster called ``name``."""
    html = response.content.decode()
    start = html.index(f">{name}</a></h2>")
    end = html.find('<div class="col-md-6 col-xl-4">', start)
    return html[start : end if end != -1 else len(html)]


def lack_items(html: str) -> list[tuple[str, str]]:
    """(link, text) of each lack listed in a card's HTML."""
    section = html[html.index('class="dashboard-lacks"') :]
    return re.findall(
        r'<li><i class="bi bi-exclamation-circle[^"]*"[^>]*></i> <a href="([^"]+)">([^<]+)</a>',
        section,
    )


def bare_year_lacks(cluster_year) -> list[tuple[str, str]]:
    """What a past year with only its members lacks, as staff or its secretary see it."""
    meeting = reverse("meetings:meeting-create", args=[cluster_year.pk])
    return [
        ("Chưa có giao ước thi đua", reverse("pledges:pledge-create", args=[cluster_year.pk])),
        ("Chưa tổ chức hội nghị sơ kết", f"{meeting}?kind=mid_year"),
        ("Chưa tổ chức hội nghị tổng kết", f"{meeting}?kind=year_end"),
        (
            "Chưa có bảng chấm điểm thi đua",
            reverse("scoring:criteriasheet-create", args=[cluster_year.pk]),
        ),
    ]


def test_a_bare_past_year_lacks_every_step_in_the_order_of_the_year(
    staff_client, cluster_year, today
):
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    expected = bare_year_lacks(cluster_year)
    assert card_lacks(response) == {"Cụm thi đua các huyện, thành phố": expected}
    html = card_html(response, "Cụm thi đua các huyện, thành phố")
    assert lack_items(html) == [(url, text) for text, url in expected]
    assert NOTHING_MISSING not in html
    assert "Dẫn đầu xếp hạng" not in html


def test_every_step_of_a_year_half_done_in_order_with_its_due_date(
    staff_client, cluster_year, today
):
    done = complete_year(cluster_year)
    mid_year, year_end = done["periods"]
    # Undo some of it: one member's mid-year result, the year-end results of two, the
    # mid-year meeting, and the approval.
    members = list(ClusterMember.objects.filter(cluster_year=cluster_year).order_by("pk"))
    mid_year.results.filter(member=members[0]).delete()
    year_end.results.filter(member__in=members[1:]).delete()
    Meeting.objects.filter(cluster_year=cluster_year, kind=Meeting.Kind.MID_YEAR).update(
        status=Meeting.Status.PLANNED
    )
    CriteriaSheet.objects.filter(pk=done["sheet"].pk).update(status=CriteriaSheet.Status.SCORING)
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    meeting = Meeting.objects.get(cluster_year=cluster_year, kind=Meeting.Kind.MID_YEAR)
    sheet = done["sheet"]
    assert card_lacks(response)["Cụm thi đua các huyện, thành phố"] == [
        (
            "1/3 đơn vị chưa báo cáo kết quả 6 tháng",
            reverse("pledges:period-results", args=[mid_year.pk]),
        ),
        (
            "Hội nghị sơ kết ngày 14/07/2023 chưa được xác nhận đã tổ chức",
            meeting.get_absolute_url(),
        ),
        (
            "2/3 đơn vị chưa báo cáo kết quả cả năm",
            reverse("pledges:period-results", args=[year_end.pk]),
        ),
        (
            "Kết quả xếp hạng chưa được thông qua",
            reverse("scoring:criteriasheet-results", args=[sheet.pk]),
        ),
    ]
    html = card_html(response, "Cụm thi đua các huyện, thành phố")
    assert "1/3 đơn vị chưa báo cáo kết quả 6 tháng</a> <span" in html
    assert "hạn 30/06/2023" in html and "hạn 31/12/2023" in html
    # Not approved: no leaders yet.
    assert "Dẫn đầu xếp hạng" not in html


def test_a_complete_year_shows_nothing_missing_and_its_leaders(staff_client, cluster_year, today):
    complete_year(cluster_year)
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert card_lacks(response) == {"Cụm thi đua các huyện, thành phố": []}
    row = response.context["rows"][0]
    assert [(s.rank, s.unit.name, s.total) for s in row["leaders"]] == [
        (1, "Huyện Na Rì", Decimal(90)),
        (2, "Huyện Ba Bể", Decimal(89)),
        (3, "Huyện Pác Nặm", Decimal(88)),
    ]
    html = card_html(response, "Cụm thi đua các huyện, thành phố")
    assert NOTHING_MISSING in html
    leaders = html[html.index("Dẫn đầu xếp hạng") : html.index("dashboard-lacks")]
    assert re.findall(r"Xếp hạng </span>(\d)</span>([^<]+)</span><span[^>]*>([^<]+)<", leaders) == [
        ("1", "Huyện Na Rì", "90,00 điểm"),
        ("2", "Huyện Ba Bể", "89,00 điểm"),
        ("3", "Huyện Pác Nặm", "88,00 điểm"),
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 4, 10), ["Chưa có giao ước thi đua"]),
        (D(2023, 7, 1), ["Chưa có giao ước thi đua", "Chưa tổ chức hội nghị sơ kết"]),
        (
            D(2024, 1, 1),
            [
                "Chưa có giao ước thi đua",
                "Chưa tổ chức hội nghị sơ kết",
                "Chưa tổ chức hội nghị tổng kết",
                "Chưa có bảng chấm điểm thi đua",
            ],
        ),
    ],
)
def test_the_current_year_shows_only_what_is_due(staff_client, cluster_year, today, day, expected):
    today(day)
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert [text for text, _url in card_lacks(response)["Cụm thi đua các huyện, thành phố"]] == (
        expected
    )


def test_before_anything_is_due_the_card_says_nothing_is_missing(staff_client, cluster_year, today):
    today(D(2022, 12, 15))
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert card_lacks(response) == {"Cụm thi đua các huyện, thành phố": []}
    assert NOTHING_MISSING in card_html(response, "Cụm thi đua các huyện, thành phố")


def test_a_check_registered_later_takes_its_place_in_the_cycle(staff_client, cluster_year, today):
    seen = []

    def votes(cluster_years, *, today, user):
        seen.append(([cy.pk for cy in cluster_years], today, user.username))
        return {
            cy.pk: [Lack("Chưa bỏ phiếu suy tôn", "/votes/", due=D(2024, 1, 31))]
            for cy in cluster_years
        }

    url = reverse("reports:dashboard")
    lacks.register("votes-test", order=55, check=votes)
    try:
        response = staff_client.get(url, {"year": 2023})
    finally:
        lacks.unregister("votes-test")
    texts = [text for text, _url in card_lacks(response)["Cụm thi đua các huyện, thành phố"]]
    assert texts == [
        "Chưa có giao ước thi đua",
        "Chưa tổ chức hội nghị sơ kết",
        "Chưa tổ chức hội nghị tổng kết",
        "Chưa bỏ phiếu suy tôn",
        "Chưa có bảng chấm điểm thi đua",
    ]
    assert seen == [([cluster_year.pk], D(2024, 3, 1), "staff")]
    html = card_html(response, "Cụm thi đua các huyện, thành phố")
    overdue = '<span class="text-nowrap text-danger">· hạn 31/01/2024</span>'
    assert f'<a href="/votes/">Chưa bỏ phiếu suy tôn</a> {overdue}' in html
    assert "votes-test" not in lacks
    response = staff_client.get(url, {"year": 2023})
    assert "Chưa bỏ phiếu suy tôn" not in [
        text for text, _url in card_lacks(response)["Cụm thi đua các huyện, thành phố"]
    ]


def test_a_year_not_opened_lists_no_lacks(staff_client, cluster_year, today):
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2024})
    assert card_lacks(response) == {}
    html = card_html(response, "Cụm thi đua các huyện, thành phố")
    assert "dashboard-lacks" not in html and NOTHING_MISSING not in html


def test_a_secretary_sees_the_lacks_of_their_cluster_only(
    secretary_client, cluster_year, body, today
):
    other = ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Khối thi đua các sở"), year=2023
    )
    ClusterMemberFactory(cluster_year=other, unit=UnitFactory(body=body))
    response = secretary_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert card_lacks(response) == {
        "Cụm thi đua các huyện, thành phố": bare_year_lacks(cluster_year)
    }
    assert f"/years/{other.pk}/" not in response.content.decode()


def test_an_outsider_sees_nothing_of_another_province(
    outsider_client, cluster_year, other_cluster, today
):
    complete_year(cluster_year)
    response = outsider_client.get(reverse("reports:dashboard"), {"year": 2023})
    other_year = other_cluster.years.get()
    assert card_lacks(response) == {"Khối thi đua các huyện, thị xã": bare_year_lacks(other_year)}
    html = response.content.decode()
    assert "Huyện Na Rì" not in html and f"/years/{cluster_year.pk}/" not in html


def test_a_viewer_sees_what_is_missing_with_links_they_may_open(viewer_client, cluster_year, today):
    done = complete_year(cluster_year)
    CriteriaSheet.objects.filter(pk=done["sheet"].pk).delete()
    Vote.objects.filter(meeting__cluster_year=cluster_year).delete()
    Meeting.objects.filter(cluster_year=cluster_year).delete()  # neither review held
    mid_year = done["periods"][0]
    mid_year.results.all().delete()
    response = viewer_client.get(reverse("reports:dashboard"), {"year": 2023})
    found = card_lacks(response)["Cụm thi đua các huyện, thành phố"]
    assert found == [
        ("3/3 đơn vị chưa báo cáo kết quả 6 tháng", mid_year.get_absolute_url()),
        ("Chưa tổ chức hội nghị sơ kết", cluster_year.get_absolute_url()),
        ("Chưa tổ chức hội nghị tổng kết", cluster_year.get_absolute_url()),
        ("Chưa có bảng chấm điểm thi đua", cluster_year.get_absolute_url()),
    ]
    for _text, url in found:
        assert viewer_client.get(url).status_code == 200, url


def test_every_link_of_a_staff_member_opens(staff_client, cluster_year, today):
    done = complete_year(cluster_year)
    done["pledge"].targets.all().delete()
    Meeting.objects.filter(cluster_year=cluster_year, kind=Meeting.Kind.MID_YEAR).update(
        status=Meeting.Status.PLANNED
    )
    CriteriaSheet.objects.filter(pk=done["sheet"].pk).update(status=CriteriaSheet.Status.SCORING)
    Score.objects.filter(criterion__sheet=done["sheet"]).delete()
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    found = card_lacks(response)["Cụm thi đua các huyện, thành phố"]
    assert [text for text, _url in found] == [
        "Giao ước chưa có chỉ tiêu",
        "Hội nghị sơ kết ngày 14/07/2023 chưa được xác nhận đã tổ chức",
        "3/3 đơn vị chưa được chấm đủ điểm",
        "Kết quả xếp hạng chưa được thông qua",
    ]
    for _text, url in found:
        assert staff_client.get(url).status_code == 200, url


def test_a_year_without_members_asks_for_them_first(staff_client, viewer_client, cluster, today):
    empty = ClusterYearFactory(cluster=cluster, year=2023)
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    found = card_lacks(response)["Cụm thi đua các huyện, thành phố"]
    assert found[0] == (
        "Năm thi đua chưa có đơn vị thành viên",
        reverse("clusters:clusteryear-update", args=[empty.pk]),
    )
    assert [text for text, _url in found[1:]] == [text for text, _url in bare_year_lacks(empty)]
    response = viewer_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert card_lacks(response)["Cụm thi đua các huyện, thành phố"][0] == (
        "Năm thi đua chưa có đơn vị thành viên",
        empty.get_absolute_url(),
    )


def test_the_registry_keeps_one_check_per_key_in_order():
    registry = Lacks()

    def first(cluster_years, *, today, user):
        return {cy.pk: [Lack("một", "/1/")] for cy in cluster_years}

    def second(cluster_years, *, today, user):
        return {cy.pk: [Lack("hai", "/2/")] for cy in cluster_years} | {999: [Lack("x", "/")]}

    registry.register("b", order=20, check=second)
    registry.register("a", order=20, check=first)
    assert [entry.key for entry in registry] == ["a", "b"]
    registry.register("a", order=30, check=first)  # the same key replaces
    assert [entry.key for entry in registry] == ["b", "a"]
    years = [ClusterYear(pk=7, year=2023)]
    # A year not asked about is ignored; every year asked gets a list.
    assert registry.of(years, today=D(2024, 1, 1), user=None) == {
        7: [Lack("hai", "/2/"), Lack("một", "/1/")]
    }
    registry.unregister("b")
    registry.unregister("b")  # unknown keys are ignored
    assert "b" not in registry and registry["a"].order == 30
    assert registry.of([], today=D(2024, 1, 1), user=None) == {}
