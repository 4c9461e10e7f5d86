"""The counting functions, with exact numbers: reconciliation, double entry, thresholds of
each kind and base, seats and ties, quorum, determinism."""

from decimal import Decimal

import pytest
from django.utils import translation

from clusters.models import Share, VoteRule
from votes.results import Counts, compute_results, differences, reconcile

LABELS = {1: "Huyện Na Rì", 2: "Huyện Chợ Mới", 3: "Huyện Pác Nặm"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def rule(base, threshold=Share.MAJORITY, percent=None, quorum=Share.NONE, quorum_percent=None):
    return VoteRule(
        base=base,
        threshold=threshold,
        threshold_percent=percent,
        quorum=quorum,
        quorum_percent=quorum_percent,
    )


def counts(votes, issued=6, returned=6, valid=5, invalid=1, blank=0, not_returned=None):
    return Counts(
        issued=issued,
        returned=returned,
        not_returned=issued - returned if not_returned is None else not_returned,
        valid=valid,
        invalid=invalid,
        blank=blank,
        votes=votes,
    )


def results(rule, votes, seats=1, eligible=7, present=6, **kwargs):
    return compute_results(
        rule=rule,
        seats=seats,
        eligible=eligible,
        present=present,
        counts=counts(votes, **kwargs),
        labels={i: LABELS[i] for i in votes},
    )


def test_counts_that_add_up_have_no_problem():
    assert reconcile(counts({1: 5, 2: 0, 3: 0}), seats=1, labels=LABELS) == []


def test_issued_must_be_returned_plus_not_returned():
    assert reconcile(counts({1: 1, 2: 1, 3: 1}, not_returned=1), seats=1, labels=LABELS) == [
        "Ballots issued (6) must equal ballots returned (6) plus ballots not returned (1)."
    ]


def test_returned_must_be_valid_plus_invalid_plus_blank():
    assert reconcile(counts({1: 1, 2: 1, 3: 1}, blank=1), seats=1, labels=LABELS) == [
        "Ballots returned (6) must equal valid (5) plus invalid (1) plus blank ballots (1)."
    ]


def test_no_candidate_has_more_votes_than_valid_ballots():
    assert reconcile(counts({1: 6, 2: 0, 3: 0}), seats=1, labels=LABELS) == [
        "Huyện Na Rì has 6 votes, more than the 5 valid ballots.",
        "The candidates have 6 votes in all, more than 5 valid ballots × 1 seats = 5.",
    ]


def test_the_votes_fit_in_valid_ballots_times_seats():
    assert reconcile(counts({1: 5, 2: 5, 3: 1}), seats=2, labels=LABELS) == [
        "The candidates have 11 votes in all, more than 5 valid ballots × 2 seats = 10."
    ]
    assert reconcile(counts({1: 5, 2: 5, 3: 0}), seats=2, labels=LABELS) == []


def test_every_candidate_needs_its_votes_entered():
    assert reconcile(counts({1: 5, 3: 0}), seats=1, labels=LABELS) == [
        "Enter the votes of Huyện Chợ Mới."
    ]


def test_two_entries_are_compared_field_by_field():
    first, second = counts({1: 5, 2: 0, 3: 0}), counts({1: 4, 2: 1, 3: 0}, invalid=2, valid=4)
    assert differences(first, second, labels=LABELS) == [
        "valid ballots: 5 in the first entry, 4 in the second.",
        "invalid ballots: 1 in the first entry, 2 in the second.",
        "Huyện Na Rì: 5 in the first entry, 4 in the second.",
        "Huyện Chợ Mới: 0 in the first entry, 1 in the second.",
    ]
    assert differences(first, first, labels=LABELS) == []


# 7 eligible, 6 present, 6 returned, 5 valid, 1 invalid throughout.


@pytest.mark.parametrize(
    ("the_rule", "base_count", "needed"),
    [
        (rule("eligible"), 7, 4),  # more than 50 % of 7
        (rule("present"), 6, 4),  # more than 50 % of 6: 3 is only half
        (rule("valid"), 5, 3),
        (rule("eligible", Share.TWO_THIRDS), 7, 5),
        (rule("present", Share.TWO_THIRDS), 6, 4),  # exactly 2/3 of 6
        (rule("valid", Share.TWO_THIRDS), 5, 4),
        (rule("eligible", Share.PERCENT, Decimal("90")), 7, 7),  # 6.3 → 7
        (rule("valid", Share.PERCENT, Decimal("60")), 5, 3),
    ],
)
def test_the_threshold_is_a_share_of_its_base(the_rule, base_count, needed):
    below = results(the_rule, {1: needed - 1})
    at = results(the_rule, {1: min(needed, 5)})
    assert (below["base_count"], below["needed"]) == (base_count, needed)
    assert below["candidates"][0]["threshold_met"] is False
    assert below["winners"] == []
    if needed <= 5:
        assert at["candidates"][0]["threshold_met"] is True
        assert at["winners"] == [1]


def test_each_candidates_votes_and_percentage_of_the_base():
    out = results(rule("eligible"), {1: 5, 2: 3, 3: 4}, seats=2)
    assert [
        (c["label"], c["votes"], c["percent"], c["threshold_met"]) for c in out["candidates"]
    ] == [
        ("Huyện Na Rì", 5, "71.43", True),
        ("Huyện Chợ Mới", 3, "42.86", False),
        ("Huyện Pác Nặm", 4, "57.14", True),
    ]
    assert out["winners"] == [1, 3]
    assert out["tied"] == []


def test_more_passing_than_seats_the_highest_win():
    out = results(rule("valid"), {1: 5, 2: 4, 3: 3}, seats=1)
    assert out["winners"] == [1]
    assert [c["winner"] for c in out["candidates"]] == [True, False, False]


def test_a_tie_for_the_last_seat_is_reported_and_never_broken():
    out = results(rule("valid"), {1: 5, 2: 4, 3: 4}, seats=2)
    assert out["winners"] == [1]
    assert out["tied"] == [2, 3]
    assert [c["tied"] for c in out["candidates"]] == [False, True, True]


def test_a_tie_for_a_single_seat_elects_nobody():
    # Under a 40 % threshold two can pass on one-seat ballots.
    out = results(rule("valid", Share.PERCENT, Decimal("40")), {1: 3, 2: 3}, valid=6, invalid=0)
    assert out["winners"] == []
    assert out["tied"] == [1, 2]


def test_a_tie_within_the_seats_is_no_tie():
    out = results(rule("valid"), {1: 4, 2: 4, 3: 1}, seats=2)
    assert out["winners"] == [1, 2]
    assert out["tied"] == []


@pytest.mark.parametrize(("returned", "met"), [(5, True), (4, False)])
def test_without_the_quorum_nobody_wins(returned, met):
    the_rule = rule("valid", quorum=Share.TWO_THIRDS)  # 2/3 of 7 eligible: 5 ballots
    out = results(the_rule, {1: 4}, issued=6, returned=returned, valid=returned, invalid=0)
    assert (out["quorum_needed"], out["quorum_met"]) == (5, met)
    assert out["candidates"][0]["threshold_met"] is True
    assert out["winners"] == ([1] if met else [])


def test_a_percentage_quorum():
    the_rule = rule("valid", quorum=Share.PERCENT, quorum_percent=Decimal("90"))
    out = results(the_rule, {1: 4})
    assert (out["quorum_needed"], out["quorum_met"]) == (7, False)


def test_the_same_counts_give_the_same_results():
    the_rule = rule("eligible")
    assert results(the_rule, {3: 4, 1: 4, 2: 4}, seats=2) == results(
        the_rule, {3: 4, 1: 4, 2: 4}, seats=2
    )
    out = results(the_rule, {3: 4, 1: 4, 2: 4}, seats=2, valid=6, invalid=0)
    assert out["tied"] == [3, 1, 2]  # ballot order, not a hidden sort
