"""How an actual value compares with the commitment (pure functions, no database)."""

from decimal import Decimal

import pytest
from django.utils import translation

from pledges.attainment import Attainment, Status, attainment


def number(committed, actual, direction="higher", measure="number") -> Attainment:
    return attainment(
        measure=measure,
        direction=direction,
        committed=None if committed is None else Decimal(committed),
        actual=None if actual is None else Decimal(actual),
    )


def yes_no(committed, actual) -> Attainment:
    return attainment(
        measure="boolean",
        direction="higher",
        committed=None if committed is None else Decimal(int(committed)),
        actual=None if actual is None else Decimal(int(actual)),
    )


def text(actual_text, committed_text="Thi đua chuyên đề chuyển đổi số") -> Attainment:
    return attainment(
        measure="text",
        direction="higher",
        committed=None,
        committed_text=committed_text,
        actual=None,
        actual_text=actual_text,
    )


# --- Higher is better -----------------------------------------------------------------------------


def test_more_than_committed_is_exceeded_with_its_ratio():
    result = number("100", "105")
    assert result == Attainment(Status.EXCEEDED, Decimal("1.05"))
    assert result.percent == Decimal("105.0")
    assert result.is_success


def test_exactly_the_commitment_is_met_at_a_hundred_percent():
    result = number("1234.5", "1234.5")
    assert result.status == Status.MET
    assert result.ratio == Decimal(1)
    assert result.percent == Decimal("100.0")
    assert result.is_success


def test_less_than_committed_is_not_met():
    result = number("400", "300")
    assert result.status == Status.NOT_MET
    assert result.ratio == Decimal("0.75")
    assert result.percent == Decimal("75.0")
    assert not result.is_success


def test_the_percentage_is_rounded_to_one_decimal():
    assert number("3", "1").percent == Decimal("33.3")
    assert number("3", "2").percent == Decimal("66.7")


def test_nothing_achieved_of_a_positive_commitment_is_zero_percent():
    result = number("5", "0")
    assert result.status == Status.NOT_MET
    assert result.percent == Decimal("0.0")


# --- Lower is better ------------------------------------------------------------------------------


def test_fewer_than_committed_is_exceeded_when_lower_is_better():
    result = number("10", "8", direction="lower")
    assert result.status == Status.EXCEEDED
    assert result.ratio == Decimal("1.25")
    assert result.percent == Decimal("125.0")


def test_more_than_committed_is_not_met_when_lower_is_better():
    result = number("4", "5", direction="lower")
    assert result.status == Status.NOT_MET
    assert result.ratio == Decimal("0.8")
    assert result.percent == Decimal("80.0")


def test_exactly_the_commitment_is_met_when_lower_is_better():
    assert number("6", "6", direction="lower") == Attainment(Status.MET, Decimal(1))


def test_reaching_zero_of_a_lower_is_better_target_has_no_ratio():
    # Committed 4 accidents, had none: exceeded, but 4 ÷ 0 is no percentage.
    assert number("4", "0", direction="lower") == Attainment(Status.EXCEEDED, None)


# --- Committed zero -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "actual", "status"),
    [
        ("higher", "0", Status.MET),
        ("higher", "3", Status.EXCEEDED),
        ("lower", "0", Status.MET),
        ("lower", "2", Status.NOT_MET),
    ],
)
def test_a_zero_commitment_is_judged_without_a_ratio(direction, actual, status):
    result = number("0", actual, direction=direction)
    assert result == Attainment(status, None)
    assert result.percent is None


# --- Missing values -------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["number", "percent", "boolean"])
def test_a_missing_commitment_is_no_commitment(measure):
    assert attainment(
        measure=measure, direction="higher", committed=None, actual=Decimal(1)
    ) == Attainment(Status.NO_COMMITMENT)


@pytest.mark.parametrize("measure", ["number", "percent", "boolean"])
def test_a_missing_actual_value_is_not_reported(measure):
    result = attainment(measure=measure, direction="lower", committed=Decimal(1), actual=None)
    assert result == Attainment(Status.NOT_REPORTED)
    assert result.percent is None
    assert not result.is_success


def test_a_missing_commitment_wins_over_a_missing_actual_value():
    assert number(None, None).status == Status.NO_COMMITMENT


# --- Percentages ----------------------------------------------------------------------------------


def test_percentages_compare_like_numbers():
    result = number("8.5", "9.35", measure="percent")
    assert result.status == Status.EXCEEDED
    assert result.ratio == Decimal("1.1")
    assert result.percent == Decimal("110.0")


def test_a_poverty_rate_below_the_commitment_is_exceeded():
    result = number("18.5", "14.8", direction="lower", measure="percent")
    assert result.status == Status.EXCEEDED
    assert result.percent == Decimal("125.0")


# --- Yes / no -------------------------------------------------------------------------------------


def test_committed_yes_and_done_is_met():
    assert yes_no(True, True) == Attainment(Status.MET, Decimal(1))


def test_committed_yes_and_not_done_is_not_met():
    assert yes_no(True, False) == Attainment(Status.NOT_MET, None)


def test_committed_no_and_done_anyway_is_exceeded():
    assert yes_no(False, True) == Attainment(Status.EXCEEDED, None)


def test_committed_no_and_not_done_is_met_without_a_ratio():
    assert yes_no(False, False) == Attainment(Status.MET, None)


def test_a_yes_no_target_without_an_answer_is_not_reported():
    assert yes_no(True, None).status == Status.NOT_REPORTED


# --- Text -----------------------------------------------------------------------------------------


def test_a_text_result_is_reported_and_never_judged():
    result = text("Đã phát động, tổ chức sơ kết")
    assert result == Attainment(Status.REPORTED, None)
    assert not result.is_success


@pytest.mark.parametrize("actual_text", ["", "   "])
def test_an_empty_text_result_is_not_reported(actual_text):
    assert text(actual_text).status == Status.NOT_REPORTED


def test_a_text_result_needs_no_commitment():
    assert text("Đã phát động", committed_text="").status == Status.REPORTED


# --- Negative values ------------------------------------------------------------------------------


def test_a_smaller_decline_than_committed_is_exceeded_without_a_ratio():
    # Growth committed at -2 %, actual -1 %: better, but a ratio of negatives means nothing.
    assert number("-2", "-1", measure="percent") == Attainment(Status.EXCEEDED, None)


def test_a_negative_actual_against_a_positive_commitment_is_not_met_without_a_ratio():
    assert number("5", "-1") == Attainment(Status.NOT_MET, None)


def test_a_negative_actual_is_better_when_lower_is_better():
    assert number("2", "-1", direction="lower") == Attainment(Status.EXCEEDED, None)


# --- Labels ---------------------------------------------------------------------------------------


def test_statuses_have_vietnamese_labels():
    with translation.override("vi"):
        labels = {status.value: str(status.label) for status in Status}
    assert labels["exceeded"] == "Vượt"
    assert labels["met"] == "Đạt"
    assert labels["not_met"] == "Không đạt"
    assert labels["not_reported"] == "Chưa báo cáo"
