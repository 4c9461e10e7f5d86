"""The yardstick of a period: the share of the full-year commitment expected by its end
date, and attainment judged against it (pure functions, no database)."""

import datetime
from decimal import Decimal

import pytest

from pledges.attainment import Attainment, Status, attainment, default_share, elapsed_share


def judged(committed, actual, *, share, direction="higher", measure="number") -> Attainment:
    return attainment(
        measure=measure,
        direction=direction,
        committed=None if committed is None else Decimal(committed),
        actual=None if actual is None else Decimal(actual),
        share=Decimal(share),
    )


# --- Time elapsed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ends_on", "share"),
    [
        (datetime.date(2023, 6, 30), "50.00"),
        (datetime.date(2023, 12, 31), "100.00"),
        (datetime.date(2023, 3, 31), "25.00"),
        (datetime.date(2023, 9, 30), "75.00"),
        (datetime.date(2024, 2, 29), "16.67"),  # the last day of a leap February
        (datetime.date(2023, 2, 28), "16.67"),
    ],
)
def test_a_period_ending_on_the_last_day_of_a_month_counts_whole_months(ends_on, share):
    assert elapsed_share(ends_on, year=ends_on.year) == Decimal(share)


def test_a_period_ending_mid_month_counts_the_days_of_that_month():
    # Five months and 15 of July's 31 days: 5.4839 months of 12.
    assert elapsed_share(datetime.date(2023, 6, 15), year=2023) == Decimal("45.83")
    assert elapsed_share(datetime.date(2023, 7, 15), year=2023) == Decimal("54.03")


def test_a_period_ending_after_the_pledge_year_expects_the_whole_commitment():
    # A year-end report covering up to 15 January of the next year.
    assert elapsed_share(datetime.date(2024, 1, 15), year=2023) == Decimal(100)


def test_a_period_ending_before_the_pledge_year_expects_nothing():
    assert elapsed_share(datetime.date(2022, 12, 31), year=2023) == Decimal(0)


@pytest.mark.parametrize("measure", ["number", "boolean"])
def test_counts_amounts_and_yes_no_targets_are_expected_pro_rata(measure):
    assert default_share(measure, datetime.date(2023, 6, 30), year=2023) == Decimal(50)


def test_a_percentage_target_is_a_rate_expected_in_full_at_any_time():
    # "Tốc độ tăng trưởng 8,5%" at mid-year is judged against 8,5 %, not 4,25 %.
    assert default_share("percent", datetime.date(2023, 6, 30), year=2023) == Decimal(100)


# --- Numbers against the expected share -------------------------------------------------------


def test_budget_revenue_at_55_2_percent_of_the_plan_on_30_june_is_met():
    result = judged("1000", "552", share="50")
    assert result.status == Status.MET
    assert result.is_success
    assert result.percent == Decimal("110.4")  # of the 500 expected by 30/6


def test_beating_the_whole_years_commitment_before_year_end_is_exceeded():
    result = judged("1234.5", "1300", share="50")
    assert result.status == Status.EXCEEDED
    assert result.percent == Decimal("210.6")


def test_ahead_of_the_expected_share_but_short_of_the_year_is_met():
    assert judged("380", "380", share="50").status == Status.MET


def test_exactly_the_expected_share_is_met():
    assert judged("1234.5", "617.25", share="50") == Attainment(Status.MET, Decimal(1))


def test_less_than_the_expected_share_is_not_met():
    result = judged("400", "150", share="50")
    assert result.status == Status.NOT_MET
    assert result.percent == Decimal("75.0")


def test_a_full_share_judges_against_the_whole_commitment_as_before():
    assert judged("100", "105", share="100") == Attainment(Status.EXCEEDED, Decimal("1.05"))
    assert judged("400", "300", share="100") == Attainment(Status.NOT_MET, Decimal("0.75"))


def test_a_zero_share_expects_nothing_yet():
    assert judged("100", "0", share="0") == Attainment(Status.MET, None)
    assert judged("100", "5", share="0") == Attainment(Status.MET, None)


# --- Lower is better: the allowance so far -------------------------------------------------------


def test_accidents_within_the_allowance_so_far_are_met():
    # Committed at most 6 accidents in the year: 3 allowed by 30/6. Fewer is not yet
    # "exceeded": the count can still grow before year-end.
    assert judged("6", "3", share="50", direction="lower") == Attainment(Status.MET, Decimal(1))
    assert judged("6", "2", share="50", direction="lower") == Attainment(Status.MET, Decimal("1.5"))


def test_accidents_beyond_the_allowance_so_far_are_not_met():
    result = judged("6", "4", share="50", direction="lower")
    assert result.status == Status.NOT_MET
    assert result.percent == Decimal("75.0")  # 3 allowed ÷ 4 happened


# --- Yes / no -------------------------------------------------------------------------------------


def test_a_committed_yes_not_done_yet_is_in_progress_before_the_end():
    result = judged("1", "0", share="50", measure="boolean")
    assert result == Attainment(Status.IN_PROGRESS, None)
    assert not result.is_success


def test_a_committed_yes_not_done_is_not_met_when_the_whole_is_expected():
    assert judged("1", "0", share="100", measure="boolean") == Attainment(Status.NOT_MET, None)


def test_a_committed_yes_done_early_is_met():
    assert judged("1", "1", share="50", measure="boolean") == Attainment(Status.MET, Decimal(1))


def test_a_yes_not_committed_is_exceeded_at_any_time():
    assert judged("0", "1", share="50", measure="boolean").status == Status.EXCEEDED


# --- Text -----------------------------------------------------------------------------------------


def test_a_text_target_is_never_judged_whatever_the_share():
    assert attainment(
        measure="text",
        direction="higher",
        committed=None,
        actual=None,
        actual_text="Đã phát động",
        share=Decimal(50),
    ) == Attainment(Status.REPORTED)
