"""The approval chain, from a proposal to its presentation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import compliance, services
from awards.models import Award, AwardStep, RecipientKind
from clusters.models import Stage
from tests.factories.awards import DecisionFactory

pytestmark = pytest.mark.django_db


def propose(cluster_year, unit, award_type, by):
    return services.award_propose(
        by=by,
        body=cluster_year.cluster.body,
        year=cluster_year.year,
        award_type=award_type,
        recipient_kind=RecipientKind.UNIT,
        cluster_year=cluster_year,
        unit=unit,
    )


def test_a_flag_climbs_the_province_chain_and_is_decided(
    cluster_year, units, flag, flag_rule, secretary, staff, council_secretary, office
):
    award = propose(cluster_year, units[0], flag, secretary)
    assert award.recipient_name == "Nhân dân và cán bộ huyện Na Rì"
    services.award_submit(awards=[award], by=secretary, today=datetime.date(2024, 1, 10))
    award.refresh_from_db()
    assert (award.status, award.stage) == (Award.Status.SUBMITTED, Stage.BOARD)
    services.award_accept(award=award, by=staff)
    services.award_return(award=award, by=council_secretary, reason="Thiếu biên bản")
    award.refresh_from_db()
    assert (award.status, award.stage) == (Award.Status.SUBMITTED, Stage.BOARD)
    services.award_accept(award=award, by=staff)
    services.award_accept(
        award=award, by=council_secretary, council_members=9, council_for=9, council_against=0
    )
    award.refresh_from_db()
    assert award.stage == Stage.AUTHORITY
    decision = DecisionFactory(body=cluster_year.cluster.body, number="2021/QĐ-UBND")
    services.award_decide(awards=[award], decision=decision, by=office)
    award.refresh_from_db()
    assert (award.status, award.decision) == (Award.Status.DECIDED, decision)
    assert list(award.steps.values_list("action", flat=True)) == [
        AwardStep.Action.PROPOSED,
        AwardStep.Action.SUBMITTED,
        AwardStep.Action.ACCEPTED,
        AwardStep.Action.RETURNED,
        AwardStep.Action.ACCEPTED,
        AwardStep.Action.ACCEPTED,
        AwardStep.Action.DECIDED,
    ]


def test_a_second_flag_in_the_cluster_breaks_the_quota(
    cluster_year, units, flag, flag_rule, secretary
):
    propose(cluster_year, units[0], flag, secretary)
    second = propose(cluster_year, units[1], flag, secretary)
    checks = {c.code: c for c in compliance.check_award(second)}
    assert checks["quota"].is_error
    with pytest.raises(ValidationError):
        services.award_submit(awards=[second], by=secretary)


def test_the_ranking_suggests_the_flag_for_the_first_and_bang_khen_for_the_next_two(
    cluster_year, units, flag_rule, certificate_rule, secretary
):
    from types import SimpleNamespace

    members = {m.unit_id: m for m in cluster_year.members.select_related("unit")}
    # Ba Bể first, Pác Nặm second, Na Rì third (the ranking's own order and places).
    order = [units[1], units[2], units[0]]
    ranking = SimpleNamespace(
        standings=[
            SimpleNamespace(rank=place, eligible_first=True, member=members[unit.pk])
            for place, unit in enumerate(order, start=1)
        ]
    )
    created = services.awards_from_ranking(
        cluster_year=cluster_year, ranking=ranking, by=secretary, on=datetime.date(2024, 1, 10)
    )
    assert [(a.award_type.name, a.recipient_name, a.rank) for a in created] == [
        ("Cờ thi đua của UBND tỉnh", "Nhân dân và cán bộ huyện Ba Bể", 1),
        ("Bằng khen của UBND tỉnh", "Huyện Pác Nặm", 2),
        ("Bằng khen của UBND tỉnh", "Huyện Na Rì", 3),
    ]
    again = services.awards_from_ranking(
        cluster_year=cluster_year, ranking=ranking, by=secretary, on=datetime.date(2024, 1, 10)
    )
    assert again == []


def test_a_confirmed_nomination_becomes_one_proposal_per_winner(
    cluster_year, units, flag, secretary
):
    from types import SimpleNamespace

    member = cluster_year.members.get(unit=units[0])
    nomination = SimpleNamespace(
        cluster_year=cluster_year, award_type=flag, winners=(member,), vote=None
    )
    created = services.awards_from_nomination(nomination=nomination, by=secretary)
    assert [(a.recipient_name, a.source) for a in created] == [
        ("Nhân dân và cán bộ huyện Na Rì", Award.Source.VOTE)
    ]
    assert services.awards_from_nomination(nomination=nomination, by=secretary) == []
