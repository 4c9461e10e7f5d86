"""Rule sets: the seeded national default, threshold arithmetic and which rule is in force."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clusters.models import AwardType, RuleSet, Share, VoteRule, share_needed
from clusters.selectors import vote_rule_in_force

Purpose = VoteRule.Purpose
D = datetime.date


@pytest.fixture
def flag(db):
    return AwardType.objects.get(name="Cờ thi đua của UBND tỉnh", body=None)


@pytest.fixture
def national(db):
    return RuleSet.objects.get(body=None)


SINCE_2020 = D(2020, 1, 1)


def _rule_set(body=None, start=SINCE_2020, end=None, name="Quy chế"):
    return RuleSet.objects.create(
        body=body, name=name, legal_basis=f"{name} của tỉnh", effective_from=start, effective_to=end
    )


def _rule(rule_set, purpose=Purpose.NOMINATION, award_type=None, **fields):
    fields = {"base": VoteRule.Base.VALID, "threshold": Share.MAJORITY, **fields}
    return VoteRule.objects.create(
        rule_set=rule_set, purpose=purpose, award_type=award_type, **fields
    )


def test_the_national_default_is_seeded_with_its_legal_basis_to_be_edited(national):
    assert national.legal_basis == (
        "Quy định mặc định, cần được Sở Nội vụ điều chỉnh theo quy chế của tỉnh"
    )
    rules = {r.purpose: r for r in national.vote_rules.all()}
    assert set(rules) == {"nomination", "head", "deputy", "question"}
    nomination, head = rules["nomination"], rules["head"]
    assert (nomination.base, nomination.threshold, nomination.quorum) == (
        "eligible",
        "majority",
        "two_thirds",
    )
    assert (head.base, head.threshold, head.quorum) == ("valid", "majority", "two_thirds")
    assert rules["deputy"].base == "valid"


@pytest.mark.parametrize(
    ("share", "percent", "base", "needed"),
    [
        (Share.MAJORITY, None, 7, 4),  # 3.5 → more than that
        (Share.MAJORITY, None, 6, 4),  # exactly half is not more than half
        (Share.MAJORITY, None, 5, 3),
        (Share.TWO_THIRDS, None, 6, 4),  # exactly 2/3 is enough
        (Share.TWO_THIRDS, None, 7, 5),
        (Share.TWO_THIRDS, None, 3, 2),
        (Share.PERCENT, Decimal("90"), 7, 7),  # 6.3 → 7
        (Share.PERCENT, Decimal("90"), 10, 9),
        (Share.PERCENT, Decimal("60"), 5, 3),
        (Share.NONE, None, 7, 0),
        (Share.MAJORITY, None, 0, 1),
    ],
)
def test_share_needed_is_exact(share, percent, base, needed):
    assert share_needed(share, percent, base) == needed


def test_a_rule_describes_itself(national):
    rule = national.vote_rules.get(purpose="nomination")
    with translation.override("en"):
        text = rule.describe()
    assert text == (
        "More than 50 % of all eligible voters; quorum: at least 2/3 of all eligible voters"
    )


def test_a_percentage_threshold_needs_its_percentage(national):
    rule = VoteRule(rule_set=national, purpose=Purpose.HEAD, base="valid", threshold=Share.PERCENT)
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_only_a_nomination_rule_names_an_award_type(national, flag):
    rule = VoteRule(
        rule_set=national, purpose=Purpose.HEAD, award_type=flag, base="valid", threshold="majority"
    )
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_without_rules_of_its_own_a_body_follows_the_national_default(body, national):
    rule = vote_rule_in_force(body_id=body.pk, on=D(2023, 2, 7), purpose=Purpose.HEAD)
    assert rule.rule_set == national


def test_the_bodys_own_rule_set_comes_before_the_national_one(body, other_body):
    own = _rule(_rule_set(body), Purpose.HEAD)
    _rule(_rule_set(other_body), Purpose.HEAD)
    assert vote_rule_in_force(body_id=body.pk, on=D(2023, 2, 7), purpose=Purpose.HEAD) == own


def test_the_latest_effective_date_not_after_the_vote_decides(body):
    older = _rule(_rule_set(body, start=D(2020, 1, 1)), Purpose.HEAD)
    newer = _rule(_rule_set(body, start=D(2023, 1, 1)), Purpose.HEAD)
    _rule(_rule_set(body, start=D(2023, 3, 1)), Purpose.HEAD)  # not yet in force
    assert vote_rule_in_force(body_id=body.pk, on=D(2023, 2, 7), purpose=Purpose.HEAD) == newer
    assert vote_rule_in_force(body_id=body.pk, on=D(2022, 12, 31), purpose=Purpose.HEAD) == older


def test_an_ended_rule_set_is_no_longer_in_force(body, national):
    _rule(_rule_set(body, start=D(2020, 1, 1), end=D(2022, 12, 31)), Purpose.HEAD)
    rule = vote_rule_in_force(body_id=body.pk, on=D(2023, 2, 7), purpose=Purpose.HEAD)
    assert rule.rule_set == national


def test_the_award_types_rule_comes_before_the_purpose_wide_one(body, flag):
    rule_set = _rule_set(body)
    wide = _rule(rule_set, Purpose.NOMINATION, base="eligible")
    for_flag = _rule(
        rule_set, Purpose.NOMINATION, flag, base="eligible", threshold=Share.PERCENT,
        threshold_percent=Decimal("90"),
    )  # fmt: skip
    on = D(2023, 2, 7)
    assert (
        vote_rule_in_force(body_id=body.pk, on=on, purpose="nomination", award_type_id=flag.pk)
        == for_flag
    )
    other_award = AwardType.objects.get(name="Bằng khen của UBND tỉnh", body=None)
    assert (
        vote_rule_in_force(
            body_id=body.pk, on=on, purpose="nomination", award_type_id=other_award.pk
        )
        == wide
    )


def test_a_rule_set_without_the_purpose_leaves_it_to_the_next(body, national):
    _rule(_rule_set(body), Purpose.HEAD)
    rule = vote_rule_in_force(body_id=body.pk, on=D(2023, 2, 7), purpose=Purpose.DEPUTY)
    assert rule.rule_set == national


def test_before_any_rule_set_there_is_no_rule(body):
    assert vote_rule_in_force(body_id=body.pk, on=D(1999, 1, 1), purpose=Purpose.HEAD) is None
