"""The awards of the demo: the seeds' awards and counts, the rule set, the generated
history, and nothing added by a second run."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from awards.demo import history_plan
from awards.models import Award, AwardStep, Decision, Initiative, ReportedCount
from awards.statistics import award_statistics
from clusters.models import AwardRule, ClusterYear, OrganizingBody, RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def snapshot():
    return (
        Award.objects.count(),
        AwardStep.objects.count(),
        Decision.objects.count(),
        ReportedCount.objects.count(),
        Initiative.objects.count(),
        AwardRule.objects.count(),
    )


def test_seed_000_flag_and_certificates_climb_the_chain_and_are_decided_by_one_decision(demo):
    awards = list(
        Award.objects.filter(
            cluster_year__year=2022, cluster_year__cluster__body__short_name="Bắc Kạn"
        )
        .select_related("decision", "award_type", "batch")
        .order_by("award_type__name", "recipient_name")
    )
    assert [(a.award_type.name, a.recipient_name, a.status, a.source) for a in awards] == [
        ("Bằng khen của UBND tỉnh", "Huyện Chợ Mới", "decided", "vote"),
        ("Bằng khen của UBND tỉnh", "Huyện Pác Nặm", "decided", "vote"),
        ("Cờ thi đua của UBND tỉnh", "Nhân dân và cán bộ huyện Na Rì", "decided", "vote"),
    ]
    decision = awards[0].decision
    assert {a.decision_id for a in awards} == {decision.pk}
    assert (decision.number, decision.signed_on) == ("345/QĐ-UBND", datetime.date(2023, 3, 10))
    assert decision.authority == "Chủ tịch UBND tỉnh Bắc Kạn"
    assert {a.batch.number for a in awards} == {"02/TTr-CTĐ"}
    assert all(a.vote_id for a in awards)
    steps = list(awards[2].steps.order_by("pk").values_list("action", "from_stage", "to_stage"))
    assert steps == [
        ("proposed", "cluster", "cluster"),
        ("submitted", "cluster", "board"),
        ("accepted", "board", "council"),
        ("accepted", "council", "authority"),
        ("decided", "authority", "authority"),
    ]
    rule_set = RuleSet.objects.get(body__short_name="Bắc Kạn")
    assert list(
        rule_set.award_rules.order_by("award_type__order").values_list(
            "award_type__name", "quota_per_cluster", "requires_vote", "chain"
        )
    ) == [
        ("Cờ thi đua của UBND tỉnh", 1, True, "province"),
        ("Bằng khen của UBND tỉnh", 2, True, "province"),
        ("Giấy khen", None, False, "grassroots"),
    ]
    assert awards[2].rule.rule_set == rule_set


def test_seed_001_giay_khen_and_reported_counts(demo, superuser):
    bloc_2022 = ClusterYear.objects.get(cluster__body__short_name="Lào Cai", year=2022)
    papers = Award.objects.filter(cluster_year=bloc_2022, award_type__name="Giấy khen")
    assert dict(papers.values_list("recipient_kind").annotate(n=Count("pk"))) == {
        "collective": 7,
        "individual": 11,
    }
    assert {(a.decision.number, a.decision.signed_on) for a in papers} == {
        ("18/QĐ-KTĐ", datetime.date(2022, 6, 15))
    }
    assert sorted(
        ReportedCount.objects.filter(cluster_year=bloc_2022).values_list(
            "unit__name", "period", "level", "kind", "count"
        )
    ) == [
        ("Huyện Bắc Hà", "mid_year", "grassroots", "collective", 1315),
        ("Huyện Bắc Hà", "mid_year", "grassroots", "individual", 9294),
        ("Huyện Bắc Hà", "mid_year", "province", "mixed", 517),
    ]
    lao_cai = OrganizingBody.objects.get(short_name="Lào Cai")
    stats = award_statistics(superuser, body=lao_cai, year_from=2022, year_to=2022)
    assert (stats.total.collective, stats.total.individual) == (7, 11)
    assert (
        stats.total.reported_collective,
        stats.total.reported_individual,
        stats.total.reported_mixed,
    ) == (1315, 9294, 517)


def test_the_history_has_substance_and_a_second_run_adds_nothing(demo, superuser):
    counts = dict(Award.objects.values_list("body__short_name").annotate(n=Count("pk")).order_by())
    assert counts == {"Bắc Kạn": 179, "Lào Cai": 191}
    bac_kan = OrganizingBody.objects.get(short_name="Bắc Kạn")
    stats = award_statistics(superuser, body=bac_kan)
    assert stats.years == [2016, 2017, 2018, 2019, 2020, 2021, 2022]
    assert [stats.by_year[year].recorded for year in stats.years] == [28, 25, 32, 29, 32, 30, 3]
    assert (stats.total.collective, stats.total.individual, stats.total.household) == (
        95,
        78,
        6,
    )
    flags = Award.objects.filter(body=bac_kan, award_type__name="Cờ thi đua của UBND tỉnh")
    assert flags.count() == 7  # one a year, 2016–2022
    assert flags.filter(recipient_name__startswith="Nhân dân và cán bộ ").count() == 7
    assert Initiative.objects.count() == 2
    before = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_the_history_plan_draws_the_same_awards_every_time(demo):
    from clusters.models import AwardType, Unit

    body = OrganizingBody.objects.get(short_name="Bắc Kạn")
    districts = list(Unit.objects.filter(body=body).order_by("name"))
    types = {t.name: t for t in AwardType.objects.filter(body=None)}
    first = history_plan(body, districts, types)
    again = history_plan(body, districts, types)
    assert [row["key"] for row in first] == [row["key"] for row in again]
    assert [row.get("recipient_name") for row in first] == [
        row.get("recipient_name") for row in again
    ]
    assert len(first) == 176
