"""Grids, the results page and the cluster year page take a fixed number of queries,
whatever the number of members (checked with one and with three)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import ClusterMember
from meetings.models import Meeting
from pledges import services as pledge_services
from pledges.models import Period, Pledge
from pledges.services import Cell
from scoring.models import Criterion, Level
from tests.factories import ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory

COMPOSITE_PAGE_CEILING = 15


@pytest.fixture
def small_year(cluster, body):
    """2021: one member (head) and a scored three-line sheet with a pledge-free year."""
    year = ClusterYearFactory(cluster=cluster, year=2021)
    ClusterMemberFactory(
        cluster_year=year,
        unit=UnitFactory(body=body, name="Huyện Na Rì", short_name="Na Rì"),
        role=ClusterMember.Role.HEAD,
    )
    sheet = CriteriaSheetFactory(cluster_year=year)
    CriterionFactory(sheet=sheet, group="I", max_points=50)
    CriterionFactory(sheet=sheet, group="II", max_points=50, is_veto=True)
    CriterionFactory(sheet=sheet, kind=Criterion.Kind.BONUS, group="", max_points=5)
    return year, sheet


def _pledge_values(year, member):
    """A commitment and a year-end result for every target of the year's pledge."""
    pledge = Pledge.objects.filter(cluster_year=year).first()
    if pledge is None:
        return
    targets = list(pledge.targets.all())
    pledge_services.commitments_save(
        pledge=pledge, cells={(t.pk, member.pk): Cell(Decimal(10)) for t in targets}
    )
    pledge_services.results_save(
        period=pledge.periods.get(kind=Period.Kind.YEAR_END),
        cells={(t.pk, member.pk): Cell(Decimal(11)) for t in targets},
    )


@pytest.fixture
def add_two_scored_members(small_year, body, enter):
    year, sheet = small_year

    def add():
        for name in ("Huyện Ba Bể", "Huyện Pác Nặm"):
            member = ClusterMemberFactory(cluster_year=year, unit=UnitFactory(body=body, name=name))
            enter(sheet, Level.SELF, {(c, member): 3 for c in sheet.criteria.all()})
            enter(sheet, Level.BOARD, {(c, member): 2 for c in sheet.criteria.all()})
            _pledge_values(year, member)

    return add


@pytest.fixture
def scored_small_year(small_year, enter):
    year, sheet = small_year
    member = year.members.get()
    enter(sheet, Level.CLUSTER, {(c, member): 4 for c in sheet.criteria.all()})
    return year, sheet


@pytest.fixture
def with_pledge_and_meeting(scored_small_year):
    """The year's pledge with year-end results (attainment shown next to each member) and
    its held year-end meeting (offered for approval): the most a page loads."""
    year, sheet = scored_small_year
    pledge = pledge_services.pledge_create(cluster_year=year, theme="Đoàn kết, sáng tạo")
    pledge_services.targets_save(
        pledge=pledge,
        rows=[{"order": n, "name": f"Chỉ tiêu {n}", "measure": "number"} for n in (1, 2)],
    )
    _pledge_values(year, year.members.get())
    Meeting.objects.create(
        cluster_year=year,
        kind=Meeting.Kind.YEAR_END,
        title="Tổng kết năm 2021",
        starts_at=datetime.datetime(2022, 1, 15, 1, 0, tzinfo=datetime.UTC),
        status=Meeting.Status.HELD,
    )
    return year, sheet


@pytest.mark.parametrize("level", ["self", "cluster", "board"])
def test_a_score_grid_takes_a_fixed_number_of_queries(
    staff_client, with_pledge_and_meeting, add_two_scored_members, assert_constant_queries, level
):
    _year, sheet = with_pledge_and_meeting
    url = reverse("scoring:criteriasheet-scores", args=[sheet.pk, level])

    first, second = assert_constant_queries(
        staff_client, url, add_two_more=add_two_scored_members, ceiling=COMPOSITE_PAGE_CEILING
    )

    assert len(first.context["form"].grid.members) == 1
    assert len(second.context["form"].grid.members) == 3
    assert [attainment.successes for _m, attainment in second.context["columns"]] == [2, 2, 2]


def test_the_results_page_takes_a_fixed_number_of_queries(
    staff_client, with_pledge_and_meeting, add_two_scored_members, assert_constant_queries
):
    _year, sheet = with_pledge_and_meeting
    url = reverse("scoring:criteriasheet-results", args=[sheet.pk])

    first, second = assert_constant_queries(
        staff_client, url, add_two_more=add_two_scored_members, ceiling=COMPOSITE_PAGE_CEILING
    )

    assert len(first.context["ranking"].standings) == 1
    assert len(second.context["ranking"].standings) == 3
    assert len(second.context["approval_meetings"]) == 1
    assert second.context["has_attainment"]


def test_the_member_page_takes_a_fixed_number_of_queries(
    staff_client, with_pledge_and_meeting, add_two_scored_members, assert_constant_queries
):
    year, sheet = with_pledge_and_meeting
    url = reverse("scoring:criteriasheet-member", args=[sheet.pk, year.members.get().pk])

    assert_constant_queries(
        staff_client, url, add_two_more=add_two_scored_members, ceiling=COMPOSITE_PAGE_CEILING
    )


def test_the_cluster_year_page_takes_a_fixed_number_of_queries_with_the_scoring_block(
    staff_client, scored_small_year, add_two_scored_members, assert_constant_queries
):
    # Without a pledge or meetings: their blocks (other apps) add their own queries.
    year, _sheet = scored_small_year

    first, second = assert_constant_queries(
        staff_client,
        year.get_absolute_url(),
        add_two_more=add_two_scored_members,
        ceiling=COMPOSITE_PAGE_CEILING,
    )

    assert 'id="scoring-section"' in second.content.decode()


def test_the_scoring_block_adds_three_queries_to_the_cluster_year_page(
    rf, staff, scored_small_year, django_assert_num_queries
):
    from clusters.selectors import user_scope
    from scoring.receivers import scoring_section

    year, _sheet = scored_small_year
    request = rf.get("/")
    request.user = staff
    user_scope(staff)  # loaded once per request by the page itself

    # The sheet with its criteria, the members, the scores.
    with django_assert_num_queries(3):
        section = scoring_section(sender=None, request=request, cluster_year=year)

    assert [s.unit.name for s in section.context["top"]] == ["Huyện Na Rì"]


def test_the_sheet_page_is_a_detail_page_of_six_queries(
    staff_client, scored_small_year, add_two_scored_members, assert_constant_queries
):
    _year, sheet = scored_small_year

    assert_constant_queries(
        staff_client, sheet.get_absolute_url(), add_two_more=add_two_scored_members, ceiling=6
    )


def _queries_of(client, url) -> tuple[int, object]:
    client.get(url)  # per-process caches (content types, sessions) warm up first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_ranking_page_takes_thirteen_queries_for_one_member_and_for_three(
    staff_client, with_pledge_and_meeting, add_two_scored_members
):
    _year, sheet = with_pledge_and_meeting
    url = reverse("scoring:criteriasheet-results", args=[sheet.pk])

    one, first = _queries_of(staff_client, url)
    add_two_scored_members()
    three, second = _queries_of(staff_client, url)

    # Session, user, scope; the sheet with its criteria, members, scores; the year-end
    # attainment (period, targets, commitments, results); the earlier years' approved
    # sheets (none here: their members and scores would be two more, 15 in all); the
    # corrections; the meetings that may approve it.
    assert (one, three) == (13, 13)
    assert [s.unit.name for s in first.context["ranking"].standings] == ["Huyện Na Rì"]
    assert len(second.context["ranking"].standings) == 3
    assert [s.attainment.successes for s in second.context["ranking"].standings] == [2, 2, 2]


def test_the_ranking_page_of_a_sheet_without_criteria_reads_the_sheet_alone(
    staff_client, small_year
):
    year, sheet = small_year
    sheet.criteria.all().delete()
    url = reverse("scoring:criteriasheet-results", args=[sheet.pk])

    count, response = _queries_of(staff_client, url)

    assert response.context["sheet"] == sheet
    assert response.context["ranking"].standings[0].total == 0
    assert count == 10


def test_another_bodys_ranking_page_is_a_404(outsider_client, small_year):
    _year, sheet = small_year
    url = reverse("scoring:criteriasheet-results", args=[sheet.pk])
    assert outsider_client.get(url).status_code == 404


def test_the_cluster_year_page_with_every_block_takes_as_many_queries_for_three_members(
    staff_client, with_pledge_and_meeting, add_two_scored_members
):
    year, _sheet = with_pledge_and_meeting

    one, first = _queries_of(staff_client, year.get_absolute_url())
    add_two_scored_members()
    three, second = _queries_of(staff_client, year.get_absolute_url())

    # Session, user, scope; the year, its secretaries, its members; the pledge with its
    # periods, titles, targets, commitments, results; the meetings, exemplars; the sheet
    # with its criteria, the scores.
    assert (one, three) == (15, 15)
    html = second.content.decode()
    assert html.count('data-status="exceeded"') == 6  # 2 targets × 3 members: 11 > 10
    scoring = next(
        section.context for section in second.context["sections"] if "ranking" in section.context
    )
    assert [s.unit.name for s in scoring["ranking"].standings] == [
        "Huyện Na Rì",
        "Huyện Ba Bể",
        "Huyện Pác Nặm",
    ]
    assert first.context["members"][0].unit.name == "Huyện Na Rì"
