"""What a year's pledge still lacks on the dashboard: due dates, texts, links."""

import datetime
from decimal import Decimal
from functools import partial

import pytest
from django.urls import reverse

from clusters.models import ClusterMember, ClusterYear
from clusters.selectors import user_scope
from pledges.lacks import pledge_lacks, result_lacks
from pledges.models import Period
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory
from tests.factories.pledges import (
    CommitmentFactory,
    PeriodFactory,
    PledgeFactory,
    ResultFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def fresh(cluster_year) -> list[ClusterYear]:
    """The year as the dashboard hands it over: loaded anew, with its cluster."""
    return list(ClusterYear.objects.select_related("cluster").filter(pk=cluster_year.pk))


def lacks_of(check, cluster_year, user, today):
    return [
        (lack.text, lack.url, lack.due)
        for lack in check(fresh(cluster_year), today=today, user=user).get(cluster_year.pk, [])
    ]


def mid_year(cluster_year, user, today):
    return lacks_of(partial(result_lacks, Period.Kind.MID_YEAR), cluster_year, user, today)


def year_end(cluster_year, user, today):
    return lacks_of(partial(result_lacks, Period.Kind.YEAR_END), cluster_year, user, today)


@pytest.fixture
def members(cluster_year):
    """Na Rì, Ba Bể, Pác Nặm."""
    return list(ClusterMember.objects.filter(cluster_year=cluster_year).order_by("pk"))


@pytest.fixture
def pledge(cluster_year):
    return PledgeFactory(cluster_year=cluster_year)


@pytest.fixture
def target(pledge):
    return TargetFactory(pledge=pledge, name="Thu ngân sách nhà nước")


@pytest.fixture
def committed(target, members):
    for member in members:
        CommitmentFactory(target=target, member=member, value=Decimal(100))


def test_a_year_without_a_pledge_lacks_one_from_its_first_day(staff, cluster_year):
    create = reverse("pledges:pledge-create", args=[cluster_year.pk])
    assert lacks_of(pledge_lacks, cluster_year, staff, D(2023, 1, 1)) == [
        ("Chưa có giao ước thi đua", create, None)
    ]


def test_nothing_is_due_before_the_year_begins(staff, cluster_year):
    assert pledge_lacks(fresh(cluster_year), today=D(2022, 12, 31), user=staff) == {}
    assert mid_year(cluster_year, staff, D(2022, 12, 31)) == []


def test_a_viewer_is_sent_to_the_year_page_instead_of_the_form(viewer, cluster_year):
    assert lacks_of(pledge_lacks, cluster_year, viewer, D(2023, 3, 1)) == [
        ("Chưa có giao ước thi đua", cluster_year.get_absolute_url(), None)
    ]


def test_a_pledge_without_targets_lacks_them(staff, viewer, pledge):
    cluster_year = pledge.cluster_year
    targets = reverse("pledges:pledge-targets", args=[pledge.pk])
    assert lacks_of(pledge_lacks, cluster_year, staff, D(2023, 3, 1)) == [
        ("Giao ước chưa có chỉ tiêu", targets, None)
    ]
    assert lacks_of(pledge_lacks, cluster_year, viewer, D(2023, 3, 1)) == [
        ("Giao ước chưa có chỉ tiêu", pledge.get_absolute_url(), None)
    ]


def test_it_counts_the_members_without_commitments_until_all_have_entered(
    staff, pledge, target, members
):
    grid = reverse("pledges:pledge-commitments", args=[pledge.pk])
    today = D(2023, 3, 1)
    assert lacks_of(pledge_lacks, pledge.cluster_year, staff, today) == [
        ("3/3 đơn vị chưa nhập cam kết", grid, None)
    ]
    CommitmentFactory(target=target, member=members[0], value=Decimal(100))
    # A row with neither a number nor a text is not a commitment.
    CommitmentFactory(target=target, member=members[1], value=None, text="")
    assert lacks_of(pledge_lacks, pledge.cluster_year, staff, today) == [
        ("2/3 đơn vị chưa nhập cam kết", grid, None)
    ]
    CommitmentFactory(target=TargetFactory(pledge=pledge), member=members[1], text="Hoàn thành")
    CommitmentFactory(target=target, member=members[2], value=Decimal(5))
    assert pledge_lacks(fresh(pledge.cluster_year), today=today, user=staff) == {}


def test_mid_year_results_are_due_once_the_mid_year_period_has_ended(
    staff, pledge, target, members, committed
):
    period = PeriodFactory(
        pledge=pledge, kind=Period.Kind.MID_YEAR, name="Sơ kết 6 tháng", ends_on=D(2023, 6, 30)
    )
    cluster_year = pledge.cluster_year
    grid = reverse("pledges:period-results", args=[period.pk])
    assert mid_year(cluster_year, staff, D(2023, 6, 30)) == []
    assert mid_year(cluster_year, staff, D(2023, 7, 1)) == [
        ("3/3 đơn vị chưa báo cáo kết quả 6 tháng", grid, D(2023, 6, 30))
    ]
    ResultFactory(period=period, target=target, member=members[0], value=Decimal(60))
    ResultFactory(period=period, target=target, member=members[1], value=None, text="Đạt")
    assert mid_year(cluster_year, staff, D(2023, 7, 1)) == [
        ("1/3 đơn vị chưa báo cáo kết quả 6 tháng", grid, D(2023, 6, 30))
    ]
    ResultFactory(period=period, target=target, member=members[2], value=Decimal(50))
    assert mid_year(cluster_year, staff, D(2023, 7, 1)) == []


def test_the_periods_own_end_decides_when_results_are_due(staff, viewer, pledge, target, committed):
    period = PeriodFactory(
        pledge=pledge, kind=Period.Kind.MID_YEAR, name="Sơ kết", ends_on=D(2023, 6, 15)
    )
    cluster_year = pledge.cluster_year
    assert mid_year(cluster_year, staff, D(2023, 6, 15)) == []
    assert mid_year(cluster_year, viewer, D(2023, 6, 16)) == [
        ("3/3 đơn vị chưa báo cáo kết quả 6 tháng", period.get_absolute_url(), D(2023, 6, 15))
    ]


def test_without_a_mid_year_period_it_asks_for_one_after_june(staff, pledge, target, committed):
    cluster_year = pledge.cluster_year
    new_period = reverse("pledges:period-create", args=[pledge.pk])
    assert mid_year(cluster_year, staff, D(2023, 6, 30)) == []
    assert mid_year(cluster_year, staff, D(2023, 7, 1)) == [
        ("Chưa có kỳ báo cáo sơ kết", new_period, D(2023, 6, 30))
    ]


def test_year_end_results_are_due_once_the_year_is_over(staff, pledge, target, members, committed):
    period = PeriodFactory(
        pledge=pledge, kind=Period.Kind.YEAR_END, name="Tổng kết năm", ends_on=D(2023, 12, 31)
    )
    ResultFactory(period=period, target=target, member=members[0], value=Decimal(110))
    cluster_year = pledge.cluster_year
    grid = reverse("pledges:period-results", args=[period.pk])
    assert year_end(cluster_year, staff, D(2023, 12, 31)) == []
    assert year_end(cluster_year, staff, D(2024, 1, 1)) == [
        ("2/3 đơn vị chưa báo cáo kết quả cả năm", grid, D(2023, 12, 31))
    ]
    # A result of another period does not count for the year-end.
    mid = PeriodFactory(
        pledge=pledge, kind=Period.Kind.MID_YEAR, name="Sơ kết", ends_on=D(2023, 6, 30)
    )
    ResultFactory(period=mid, target=target, member=members[1], value=Decimal(50))
    assert year_end(cluster_year, staff, D(2024, 1, 1)) == [
        ("2/3 đơn vị chưa báo cáo kết quả cả năm", grid, D(2023, 12, 31))
    ]


def test_results_are_not_asked_of_a_pledge_without_targets(staff, pledge):
    assert mid_year(pledge.cluster_year, staff, D(2024, 3, 1)) == []
    assert year_end(pledge.cluster_year, staff, D(2024, 3, 1)) == []


def test_the_checks_read_many_years_in_one_query(
    staff, pledge, target, committed, body, django_assert_num_queries
):
    others = []
    for name in ("Khối thi đua các sở", "Khối thi đua doanh nghiệp"):
        other = ClusterYearFactory(cluster=ClusterFactory(body=body, name=name), year=2023)
        ClusterMemberFactory(cluster_year=other)
        PledgeFactory(cluster_year=other)
        others.append(other)
    years = list(
        ClusterYear.objects.select_related("cluster").filter(
            pk__in=[pledge.cluster_year_id, *(o.pk for o in others)]
        )
    )
    user_scope(staff)  # the permissions' scope, loaded once per request
    # The members of each year, then the pledges: shared by the three checks.
    with django_assert_num_queries(2):
        found = pledge_lacks(years, today=D(2024, 3, 1), user=staff)
        mid = result_lacks(Period.Kind.MID_YEAR, years, today=D(2024, 3, 1), user=staff)
        end = result_lacks(Period.Kind.YEAR_END, years, today=D(2024, 3, 1), user=staff)
    assert [lack.text for lack in found[others[0].pk]] == ["Giao ước chưa có chỉ tiêu"]
    assert pledge.cluster_year_id not in found
    assert [lack.text for lack in mid[pledge.cluster_year_id]] == ["Chưa có kỳ báo cáo sơ kết"]
    assert [lack.text for lack in end[pledge.cluster_year_id]] == ["Chưa có kỳ báo cáo tổng kết"]
