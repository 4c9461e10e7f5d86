"""What a year's scoring still lacks on the dashboard, and the ranking leaders."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from clusters.models import ClusterMember, ClusterYear
from clusters.selectors import user_scope
from meetings.models import Meeting
from scoring.lacks import scoring_lacks
from scoring.models import CriteriaSheet, Criterion
from scoring.selectors import ranking_leaders
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.meetings import MeetingFactory, at
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory, ScoreFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AFTER_THE_YEAR = D(2024, 1, 2)


def fresh(*cluster_years) -> list[ClusterYear]:
    return list(
        ClusterYear.objects.select_related("cluster")
        .filter(pk__in=[cy.pk for cy in cluster_years])
        .order_by("pk")
    )


def lacks_of(cluster_year, user, today=AFTER_THE_YEAR):
    found = scoring_lacks(fresh(cluster_year), today=today, user=user)
    return [(lack.text, lack.url) for lack in found.get(cluster_year.pk, [])]


@pytest.fixture
def members(cluster_year):
    """Na Rì, Ba Bể, Pác Nặm."""
    return list(
        ClusterMember.objects.filter(cluster_year=cluster_year)
        .select_related("unit")
        .order_by("pk")
    )


@pytest.fixture
def sheet(cluster_year):
    sheet = CriteriaSheetFactory(cluster_year=cluster_year, status=CriteriaSheet.Status.SCORING)
    CriterionFactory(sheet=sheet, name="Kinh tế", max_points=Decimal(60))
    CriterionFactory(sheet=sheet, name="Phong trào", max_points=Decimal(40))
    CriterionFactory(sheet=sheet, kind=Criterion.Kind.BONUS, group="", max_points=Decimal(5))
    return sheet


def score_all(sheet, members, points=(90, 80, 70)):
    criteria = list(sheet.criteria.filter(kind=Criterion.Kind.CRITERION).order_by("order"))
    for member, total in zip(members, points, strict=True):
        ScoreFactory(criterion=criteria[0], member=member, self_score=Decimal(total - 30))
        ScoreFactory(criterion=criteria[1], member=member, self_score=Decimal(30))


def test_scoring_is_not_due_during_the_year_without_a_year_end_meeting(staff, cluster_year):
    assert lacks_of(cluster_year, staff, today=D(2023, 12, 31)) == []


def test_scoring_is_due_once_a_year_end_meeting_is_planned(staff, cluster_year):
    MeetingFactory(
        cluster_year=cluster_year, kind=Meeting.Kind.YEAR_END, starts_at=at(2023, 12, 20)
    )
    create = reverse("scoring:criteriasheet-create", args=[cluster_year.pk])
    assert lacks_of(cluster_year, staff, today=D(2023, 11, 1)) == [
        ("Chưa có bảng chấm điểm thi đua", create)
    ]


def test_a_mid_year_meeting_does_not_make_scoring_due(staff, cluster_year):
    MeetingFactory(cluster_year=cluster_year, kind=Meeting.Kind.MID_YEAR, starts_at=at(2023, 7, 5))
    assert lacks_of(cluster_year, staff, today=D(2023, 11, 1)) == []


def test_after_the_year_a_missing_sheet_is_asked_for(staff, viewer, cluster_year):
    create = reverse("scoring:criteriasheet-create", args=[cluster_year.pk])
    assert lacks_of(cluster_year, staff) == [("Chưa có bảng chấm điểm thi đua", create)]
    assert lacks_of(cluster_year, viewer) == [
        ("Chưa có bảng chấm điểm thi đua", cluster_year.get_absolute_url())
    ]


def test_a_sheet_without_criteria_lacks_them(staff, viewer, cluster_year):
    sheet = CriteriaSheetFactory(cluster_year=cluster_year)
    CriterionFactory(sheet=sheet, kind=Criterion.Kind.BONUS, group="", max_points=Decimal(5))
    edit = reverse("scoring:criteriasheet-edit", args=[sheet.pk])
    assert lacks_of(cluster_year, staff) == [("Bảng chấm điểm chưa có tiêu chí", edit)]
    assert lacks_of(cluster_year, viewer) == [
        ("Bảng chấm điểm chưa có tiêu chí", sheet.get_absolute_url())
    ]


def test_it_counts_the_members_not_scored_on_every_criterion(staff, viewer, sheet, members):
    kinh_te, phong_trao = sheet.criteria.filter(kind=Criterion.Kind.CRITERION).order_by("order")
    ScoreFactory(criterion=kinh_te, member=members[0], self_score=Decimal(50))
    ScoreFactory(criterion=phong_trao, member=members[0], board_score=Decimal(30))
    ScoreFactory(criterion=kinh_te, member=members[1], cluster_score=Decimal(40))
    # A row with no value at any level is not a score.
    ScoreFactory(criterion=phong_trao, member=members[1], evidence="Chưa có số liệu")
    scores = reverse("scoring:criteriasheet-scores", args=[sheet.pk, "self"])
    results = reverse("scoring:criteriasheet-results", args=[sheet.pk])
    assert lacks_of(sheet.cluster_year, staff) == [
        ("2/3 đơn vị chưa được chấm đủ điểm", scores),
        ("Kết quả xếp hạng chưa được thông qua", results),
    ]
    assert lacks_of(sheet.cluster_year, viewer) == [
        ("2/3 đơn vị chưa được chấm đủ điểm", results),
        ("Kết quả xếp hạng chưa được thông qua", results),
    ]


def test_once_every_member_is_scored_only_the_approval_is_missing(staff, sheet, members):
    score_all(sheet, members)
    results = reverse("scoring:criteriasheet-results", args=[sheet.pk])
    assert lacks_of(sheet.cluster_year, staff) == [
        ("Kết quả xếp hạng chưa được thông qua", results)
    ]


def test_an_approved_complete_ranking_lacks_nothing(staff, sheet, members):
    score_all(sheet, members)
    meeting = MeetingFactory(
        cluster_year=sheet.cluster_year,
        kind=Meeting.Kind.YEAR_END,
        status=Meeting.Status.HELD,
        starts_at=at(2024, 1, 18),
    )
    CriteriaSheet.objects.filter(pk=sheet.pk).update(
        status=CriteriaSheet.Status.APPROVED, approved_meeting=meeting
    )
    assert lacks_of(sheet.cluster_year, staff) == []


def test_the_check_reads_many_years_in_one_query(
    staff, sheet, members, body, django_assert_num_queries
):
    score_all(sheet, members)
    others = []
    for name in ("Khối thi đua các sở", "Khối thi đua doanh nghiệp"):
        other = ClusterYearFactory(cluster=ClusterFactory(body=body, name=name), year=2023)
        member = ClusterMemberFactory(cluster_year=other, unit=UnitFactory(body=body))
        other_sheet = CriteriaSheetFactory(cluster_year=other)
        ScoreFactory(criterion=CriterionFactory(sheet=other_sheet), member=member, self_score=5)
        others.append(other)
    years = fresh(sheet.cluster_year, *others)
    for year in years:
        year.member_count = year.members.count()
    user_scope(staff)
    with django_assert_num_queries(1):
        found = scoring_lacks(years, today=AFTER_THE_YEAR, user=staff)
    assert {pk: [lack.text for lack in items] for pk, items in found.items()} == {
        year.pk: ["Kết quả xếp hạng chưa được thông qua"] for year in years
    }


# --- Ranking leaders ---------------------------------------------------------------------


def approve(sheet):
    meeting = MeetingFactory(
        cluster_year=sheet.cluster_year,
        kind=Meeting.Kind.YEAR_END,
        status=Meeting.Status.HELD,
        starts_at=at(sheet.cluster_year.year + 1, 1, 18),
    )
    CriteriaSheet.objects.filter(pk=sheet.pk).update(
        status=CriteriaSheet.Status.APPROVED, approved_meeting=meeting
    )


def leaders(*cluster_years):
    return {
        pk: [(s.rank, s.unit.name, s.total) for s in standings]
        for pk, standings in ranking_leaders(fresh(*cluster_years)).items()
    }


def test_the_leaders_are_the_first_three_of_the_approved_ranking(sheet, members, cluster_year):
    fourth = ClusterMemberFactory(
        cluster_year=cluster_year,
        unit=UnitFactory(body=cluster_year.cluster.body, name="Huyện Chợ Mới"),
    )
    score_all(sheet, [*members, fourth], points=(80, 95, 70, 60))
    assert leaders(cluster_year) == {}
    approve(sheet)
    assert leaders(cluster_year) == {
        cluster_year.pk: [
            (1, "Huyện Ba Bể", Decimal(95)),
            (2, "Huyện Na Rì", Decimal(80)),
            (3, "Huyện Pác Nặm", Decimal(70)),
        ]
    }


def test_a_tie_for_third_place_shows_both(sheet, members, cluster_year):
    fourth = ClusterMemberFactory(
        cluster_year=cluster_year,
        unit=UnitFactory(body=cluster_year.cluster.body, name="Huyện Chợ Mới"),
    )
    score_all(sheet, [*members, fourth], points=(90, 80, 70, 70))
    approve(sheet)
    assert [rank for rank, _name, _total in leaders(cluster_year)[cluster_year.pk]] == [1, 2, 3, 3]


def test_the_leaders_of_many_years_take_three_queries(
    sheet, members, body, django_assert_num_queries
):
    score_all(sheet, members)
    approve(sheet)
    other = ClusterYearFactory(cluster=ClusterFactory(body=body), year=2023)
    member = ClusterMemberFactory(
        cluster_year=other, unit=UnitFactory(body=body, name="Sở Tài chính")
    )
    other_sheet = CriteriaSheetFactory(cluster_year=other)
    ScoreFactory(criterion=CriterionFactory(sheet=other_sheet), member=member, self_score=7)
    approve(other_sheet)
    years = fresh(sheet.cluster_year, other)
    with django_assert_num_queries(3):
        found = ranking_leaders(years)
    assert {pk: [s.unit.name for s in standings] for pk, standings in found.items()} == {
        sheet.cluster_year_id: ["Huyện Na Rì", "Huyện Ba Bể", "Huyện Pác Nặm"],
        other.pk: ["Sở Tài chính"],
    }
