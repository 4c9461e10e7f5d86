"""The Bắc Kạn cluster's 2023 year (Na Rì head, Ba Bể, Pác Nặm deputy) with the
provincial rules for its awards, and the accounts of each level of the approval chain."""

import pytest

from clusters.models import Chain, Role
from tests.factories import RoleFactory, UserFactory
from tests.factories.awards import AwardRuleFactory, RuleSetFactory, award_type


@pytest.fixture
def flag(db):
    return award_type("Cờ thi đua của UBND tỉnh")


@pytest.fixture
def certificate(db):
    return award_type("Bằng khen của UBND tỉnh")


@pytest.fixture
def rule_set(body):
    return RuleSetFactory(body=body, name="Quy chế thi đua, khen thưởng tỉnh Bắc Kạn")


@pytest.fixture
def flag_rule(rule_set, flag):
    """One flag per cluster and year, after a confirmed nomination vote, ranked first."""
    return AwardRuleFactory(
        rule_set=rule_set,
        award_type=flag,
        chain=Chain.PROVINCE,
        quota_per_cluster=1,
        requires_vote=False,
        ranking_from=1,
        ranking_to=1,
        checklist="Tờ trình\nBiên bản họp bình xét\nBáo cáo thành tích",
    )


@pytest.fixture
def certificate_rule(rule_set, certificate):
    return AwardRuleFactory(
        rule_set=rule_set,
        award_type=certificate,
        chain=Chain.PROVINCE,
        quota_per_cluster=2,
        ranking_from=2,
        ranking_to=3,
    )


@pytest.fixture
def council_secretary(body):
    return RoleFactory(user=UserFactory(username="hoidong"), body=body, kind=Role.Kind.COUNCIL).user


@pytest.fixture
def office(body):
    return RoleFactory(user=UserFactory(username="vanphong"), body=body, kind=Role.Kind.OFFICE).user
