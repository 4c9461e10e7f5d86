"""The awards pages: the chain walked through the views, the inboxes, the bulk decision,
the list's queries, the unit's history through a merger, and an outsider's 404."""

import datetime

import pytest
from django.urls import reverse

from awards import compliance, services
from awards.models import Award, AwardStep, RecipientKind
from clusters.models import Stage
from tests.factories import UnitFactory, UnitSuccessionFactory
from tests.factories.awards import AwardFactory, AwardRuleFactory, DecisionFactory

pytestmark = pytest.mark.django_db


def propose(cluster_year, unit, award_type, by, **fields):
    return services.award_propose(
        by=by,
        body=cluster_year.cluster.body,
        year=cluster_year.year,
        award_type=award_type,
        recipient_kind=RecipientKind.UNIT,
        cluster_year=cluster_year,
        unit=unit,
        **fields,
    )


def test_a_secretary_proposes_a_flag_through_the_form(secretary_client, cluster_year, units, flag):
    url = reverse("awards:award-create") + f"?cluster_year={cluster_year.pk}"
    response = secretary_client.post(
        url,
        {"award_type": flag.pk, "occasion": "regular", "recipient_kind": "unit",
         "unit": units[0].pk, "achievement": "Dẫn đầu phong trào thi đua năm 2023"},
    )  # fmt: skip
    award = Award.objects.get()
    assert response.status_code == 302
    assert (award.recipient_name, award.status, award.stage, award.year) == (
        "Nhân dân và cán bộ huyện Na Rì",
        Award.Status.PROPOSED,
        Stage.CLUSTER,
        2023,
    )


def test_a_unit_outside_the_year_is_refused_by_the_form(secretary_client, cluster_year, body, flag):
    stranger = UnitFactory(body=body, name="Huyện Chợ Đồn")
    url = reverse("awards:award-create") + f"?cluster_year={cluster_year.pk}"
    response = secretary_client.post(
        url, {"award_type": flag.pk, "occasion": "regular", "recipient_kind": "unit",
              "unit": stranger.pk},
    )  # fmt: skip
    assert response.status_code in (200, 404)
    assert not Award.objects.exists()


def test_the_chain_walked_through_the_pages(
    client_for, cluster_year, units, flag, flag_rule, secretary, staff, council_secretary, office
):
    award = propose(cluster_year, units[0], flag, secretary)
    assert (
        client_for(secretary).post(reverse("awards:award-submit", args=[award.pk])).status_code
        == 302
    )
    board = client_for(staff)
    page = board.get(reverse("awards:inbox") + "?stage=board")
    assert [a.pk for a in page.context["object_list"]] == [award.pk]
    assert ("board", 1) in [(key, count) for key, _label, count in page.context["tabs"]]
    board.post(reverse("awards:award-accept", args=[award.pk]), {"reason": ""})
    council = client_for(council_secretary)
    council.post(reverse("awards:award-return", args=[award.pk]), {"reason": "Bổ sung biên bản"})
    award.refresh_from_db()
    assert award.stage == Stage.BOARD
    board.post(reverse("awards:award-accept", args=[award.pk]), {"reason": "Đã bổ sung"})
    council.post(
        reverse("awards:award-accept", args=[award.pk]),
        {"council_members": "9", "council_for": "8", "council_against": "1"},
    )
    award.refresh_from_db()
    assert award.stage == Stage.AUTHORITY
    step = award.steps.filter(action=AwardStep.Action.ACCEPTED, from_stage=Stage.COUNCIL).get()
    assert (step.council_members, step.council_for, step.council_against) == (9, 8, 1)
    returned = award.steps.get(action=AwardStep.Action.RETURNED)
    assert (returned.reason, returned.by) == ("Bổ sung biên bản", council_secretary)
    page = client_for(office).get(reverse("awards:inbox") + "?stage=authority")
    assert [a.pk for a in page.context["object_list"]] == [award.pk]
    assert [(key, count) for key, _label, count in page.context["tabs"]] == [("authority", 1)]


def test_a_return_without_a_reason_is_refused(
    client_for, cluster_year, units, flag, flag_rule, secretary, staff
):
    award = propose(cluster_year, units[0], flag, secretary)
    services.award_submit(awards=[award], by=secretary)
    client_for(staff).post(reverse("awards:award-return", args=[award.pk]), {"reason": " "})
    award.refresh_from_db()
    assert (award.status, award.stage) == (Award.Status.SUBMITTED, Stage.BOARD)


def test_one_decision_recorded_for_three_awards(
    client_for, cluster_year, units, flag, certificate, office, secretary, staff, body
):
    AwardRuleFactory(rule_set__body=body, award_type=certificate, chain="grassroots")
    awards = [propose(cluster_year, unit, certificate, secretary) for unit in units]
    services.award_submit(awards=awards, by=secretary)
    query = "&".join(f"awards={a.pk}" for a in awards)
    response = client_for(office).post(
        reverse("awards:award-decide") + "?" + query,
        {"number": "2021/QĐ-UBND", "signed_on": "15/12/2023",
         "authority": "Chủ tịch UBND tỉnh Bắc Kạn", "signer_name": "Nguyễn Văn A"},
    )  # fmt: skip
    assert response.status_code == 302
    decided = Award.objects.filter(decision__number="2021/QĐ-UBND")
    assert sorted(decided.values_list("recipient_name", flat=True)) == [
        "Huyện Ba Bể", "Huyện Na Rì", "Huyện Pác Nặm",
    ]  # fmt: skip
    assert set(decided.values_list("status", flat=True)) == {Award.Status.DECIDED}


def test_an_outsider_gets_404_for_an_award_and_a_decision(outsider_client, body):
    award = AwardFactory(body=body)
    assert outsider_client.get(award.get_absolute_url()).status_code == 404
    assert outsider_client.get(award.decision.get_absolute_url()).status_code == 404


def test_the_list_reads_the_same_queries_for_one_award_as_for_three(
    staff_client, body, assert_constant_queries
):
    AwardFactory(body=body, recipient_name="Huyện Na Rì")

    def add_two_more():
        AwardFactory(body=body, year=2021)
        AwardFactory(body=body, year=2020)

    _first, second = assert_constant_queries(
        staff_client, reverse("awards:award-list"), add_two_more=add_two_more
    )
    assert [a.year for a in second.context["object_list"]] == [2022, 2021, 2020]


def test_the_decision_register_finds_a_number_without_diacritics(staff_client, body):
    DecisionFactory(body=body, number="2021/QĐ-UBND")
    DecisionFactory(body=body, number="15/QĐ-UBND")
    response = staff_client.get(reverse("awards:decision-list") + "?q=2021/QD")
    assert [d.number for d in response.context["object_list"]] == ["2021/QĐ-UBND"]


def test_the_name_on_the_decision_survives_a_rename_and_shows_in_the_successors_history(
    staff_client, body
):
    old = UnitFactory(body=body, name="Huyện Chợ Mới")
    award = AwardFactory(body=body, unit=old, recipient_name="Huyện Chợ Mới", year=2022)
    new = UnitFactory(body=body, name="Xã Chợ Mới")
    UnitSuccessionFactory(predecessor=old, successor=new)
    old.name = "Huyện Chợ Mới (cũ)"
    old.save()
    award.refresh_from_db()
    assert award.recipient_name == "Huyện Chợ Mới"
    section = next(
        s.context
        for s in staff_client.get(new.get_absolute_url()).context["sections"]
        if s.template == "awards/includes/_unit_section.html"
    )
    assert [(a.year, a.recipient_name) for a in section["awards"]] == [(2022, "Huyện Chợ Mới")]


def test_the_rule_in_force_on_the_decision_day_is_the_awards(body, certificate):
    before = AwardRuleFactory(
        rule_set__body=body, rule_set__name="Quy chế theo Nghị định 98/2023/NĐ-CP",
        rule_set__effective_from=datetime.date(2024, 1, 1),
        rule_set__effective_to=datetime.date(2025, 6, 30), award_type=certificate,
    )  # fmt: skip
    after = AwardRuleFactory(
        rule_set__body=body, rule_set__name="Quy chế theo Nghị định 152/2025/NĐ-CP",
        rule_set__effective_from=datetime.date(2025, 7, 1), award_type=certificate,
    )  # fmt: skip
    on_30_june = AwardFactory(
        body=body, award_type=certificate, decision__signed_on=datetime.date(2025, 6, 30)
    )
    on_1_july = AwardFactory(
        body=body, award_type=certificate, decision__signed_on=datetime.date(2025, 7, 1)
    )
    assert compliance.rule_for(on_30_june) == before
    assert compliance.rule_for(on_1_july) == after


def test_a_warning_is_accepted_with_a_reason_and_an_error_never(
    cluster_year, units, flag, rule_set, secretary, staff
):
    AwardRuleFactory(
        rule_set=rule_set, award_type=flag, quota_per_cluster=1, prerequisite=flag,
        prerequisite_years=3,
    )  # fmt: skip
    award = propose(cluster_year, units[0], flag, secretary)
    checks = {c.code: c for c in compliance.check_award(award)}
    assert checks["prerequisite"].is_warning and checks["quota"].ok
    services.award_override(
        award=award, check_code="prerequisite", reason="Hồ sơ giấy đã có", by=staff
    )
    checks = {c.code: c for c in compliance.check_award(award)}
    assert not checks["prerequisite"].blocks
    second = propose(cluster_year, units[1], flag, secretary)
    with pytest.raises(Exception, match="cannot be accepted|không thể"):
        services.award_override(award=second, check_code="quota", reason="Xin ngoại lệ", by=staff)
