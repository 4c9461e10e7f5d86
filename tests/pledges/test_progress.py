"""The progress table of a period: each member judged against the share of its
commitment expected by the period's end, and the cluster's total per target."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pledges import services
from pledges.attainment import Status
from pledges.models import TargetExpectation
from pledges.selectors import member_summaries, progress_table
from tests.pledges.conftest import (
    FULL_YEAR_FOOTER,
    FULL_YEAR_HEAT,
    MID_YEAR,
    MID_YEAR_FOOTER,
    MID_YEAR_HEAT,
    keyed,
)

pytestmark = pytest.mark.django_db


def statuses(table) -> dict[str, list[str]]:
    return {row.target.name: [c.attainment.status.value for c in row.cells] for row in table.rows}


def footer(table) -> list[str]:
    return [f"{s.successes}/{s.judged}" for s in table.summaries]


def by_key(table, targets) -> dict:
    return {key: table.rows[i] for i, key in enumerate(targets)}


def test_the_mid_year_is_judged_against_half_the_counts_and_the_whole_rates(
    mid_year, mid_year_results
):
    table = progress_table(mid_year)

    assert table.share == Decimal(50)
    assert table.is_partial
    assert statuses(table) == MID_YEAR_HEAT
    assert footer(table) == MID_YEAR_FOOTER


def test_each_target_carries_its_share_and_each_cell_its_expected_value(
    mid_year, mid_year_results, targets
):
    rows = by_key(progress_table(mid_year), targets)

    assert {key: row.share for key, row in rows.items()} == {
        "budget": Decimal(50),
        "growth": Decimal(100),
        "accidents": Decimal(50),
        "recruitment": Decimal(50),
        "campaign": Decimal(50),
    }
    assert [c.expected for c in rows["budget"].cells] == [
        Decimal("617.25"), Decimal("22.5"), Decimal("190"),
    ]  # fmt: skip
    assert [c.attainment.percent for c in rows["budget"].cells] == [
        Decimal("210.6"), Decimal("177.8"), Decimal("200.0"),
    ]  # fmt: skip


def test_the_table_reads_commitments_and_results_as_values_with_the_same_cells(
    mid_year, mid_year_results, targets, members
):
    """A table of 20 targets × 12 members built 480 models for what its cells show of
    them, a value and a text."""
    from pledges.models import Commitment, Result

    row = by_key(progress_table(mid_year), targets)["budget"]

    stored = {
        model: {r.member_id: (r.value, r.text) for r in rows}
        for model, rows in (
            (Commitment, Commitment.objects.filter(target=targets["budget"])),
            (Result, Result.objects.filter(target=targets["budget"], period=mid_year)),
        )
    }
    for cell in row.cells:
        assert not isinstance(cell.commitment, Commitment | Result)
        assert not isinstance(cell.result, Commitment | Result)
        assert (cell.commitment.value, cell.commitment.text) == stored[Commitment][cell.member.pk]
        assert (cell.result.value, cell.result.text) == stored[Result][cell.member.pk]


def test_the_year_end_judges_the_same_results_as_before_against_the_whole_year(
    year_end, targets, members, commitments
):
    services.results_save(period=year_end, cells=keyed(MID_YEAR, targets, members))
    table = progress_table(year_end)

    assert table.share == Decimal(100)
    assert not table.is_partial
    assert statuses(table) == FULL_YEAR_HEAT
    assert footer(table) == FULL_YEAR_FOOTER


def test_a_share_set_by_the_cluster_replaces_the_calendars(mid_year, mid_year_results, targets):
    # Recruitment ends in March: the whole of it is expected by the mid-year review.
    services.expectations_save(
        period=mid_year,
        shares={targets["recruitment"].pk: Decimal(100), targets["budget"].pk: Decimal(60)},
    )
    table = progress_table(mid_year)
    rows = by_key(table, targets)

    assert [c.attainment.status for c in rows["recruitment"].cells] == [
        Status.MET, Status.EXCEEDED, Status.NOT_MET,
    ]  # fmt: skip
    assert rows["budget"].share == Decimal(60)
    assert rows["budget"].cells[1].expected == Decimal("27")
    assert [row.target.name for row in table.set_shares] == [
        "Thu ngân sách nhà nước trên địa bàn", "Hoàn thành chỉ tiêu tuyển quân",
    ]  # fmt: skip


def test_a_custom_period_ending_mid_month_counts_the_days(pledge, targets, members, commitments):
    period = services.period_create(
        pledge=pledge, name="Sơ kết 9 tháng", ends_on=datetime.date(2023, 9, 15)
    )
    assert progress_table(period).share == Decimal("70.83")


# --- The cluster's total ------------------------------------------------------------------------


def test_the_total_sums_counts_averages_rates_and_counts_yes_answers(
    mid_year, mid_year_results, targets
):
    rows = by_key(progress_table(mid_year), targets)

    budget, growth = rows["budget"].total, rows["growth"].total
    assert (budget.value, budget.attained, budget.committed) == (Decimal("1720"), 3, 3)
    assert (growth.value, growth.attained, growth.committed) == (Decimal("8.75"), 2, 3)
    accidents = rows["accidents"].total
    assert (accidents.value, accidents.attained, accidents.committed) == (Decimal(15), 0, 3)
    recruitment = rows["recruitment"].total
    assert (recruitment.yes, recruitment.answered, recruitment.attained) == (2, 3, 2)
    campaign = rows["campaign"].total
    assert (campaign.value, campaign.committed) == (None, 0)


# --- Saving the shares ----------------------------------------------------------------------------


def test_an_empty_share_goes_back_to_the_calendar(mid_year, targets):
    budget = targets["budget"].pk
    assert services.expectations_save(period=mid_year, shares={budget: Decimal(60)}) == 1
    assert services.expectations_save(period=mid_year, shares={budget: Decimal(60)}) == 0
    assert services.expectations_save(period=mid_year, shares={budget: None}) == 1
    assert not TargetExpectation.objects.filter(period=mid_year).exists()


def test_a_share_above_a_hundred_percent_is_refused(mid_year, targets):
    with pytest.raises(ValidationError):
        services.expectations_save(period=mid_year, shares={targets["budget"].pk: Decimal("120")})


def test_a_target_of_another_pledge_is_refused(mid_year, targets, neighbour_pledge):
    with pytest.raises(ValidationError):
        services.expectations_save(
            period=mid_year, shares={neighbour_pledge["target"].pk: Decimal(50)}
        )
    assert not TargetExpectation.objects.exists()


def test_the_members_summaries_alone_are_the_tables(
    mid_year, mid_year_results, year_end, targets, members
):
    """``member_summaries`` (the ranking's "targets met") reads values, not models, and
    builds no cell: each member's count is still the heat table's, at each period."""
    services.expectations_save(period=mid_year, shares={targets["recruitment"].pk: Decimal(100)})
    services.results_save(period=year_end, cells=keyed(MID_YEAR, targets, members))
    for period in (mid_year, year_end):
        alone = member_summaries(period)
        assert [f"{s.successes}/{s.judged}" for s in alone] == footer(progress_table(period))
        assert [s.member.pk for s in alone] == [
            s.member.pk for s in progress_table(period).summaries
        ]
    assert footer(progress_table(year_end)) == FULL_YEAR_FOOTER
