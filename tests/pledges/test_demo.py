"""The demo pledges built from the source articles (``seed_demo``)."""

import io

import pytest
from django.core.management import call_command

from clusters.models import Cluster
from pledges.models import (
    Commitment,
    Movement,
    Period,
    Pledge,
    Registration,
    Result,
    Signature,
    Target,
)
from pledges.selectors import pledge_summary

pytestmark = pytest.mark.django_db

MODELS = [Movement, Pledge, Target, Commitment, Registration, Signature, Period, Result]
FLAGS = {"Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh"}


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def lao_cai_2022():
    seed()
    return Pledge.objects.select_related("cluster_year__cluster").get(
        cluster_year__cluster__body__short_name="Lào Cai",
        cluster_year__cluster__kind=Cluster.Kind.BLOC,
        cluster_year__year=2022,
    )


def test_the_lao_cai_bloc_signed_nine_of_nine(lao_cai_2022):
    members = lao_cai_2022.cluster_year.members.count()
    assert members == 9
    assert lao_cai_2022.signatures.count() == 9
    assert set(lao_cai_2022.signatures.values_list("signed_on", flat=True)) == {
        lao_cai_2022.signed_on
    }
    assert (lao_cai_2022.status, lao_cai_2022.signed_place) == ("signed", "huyện Si Ma Cai")


def test_every_lao_cai_member_registered_both_flags(lao_cai_2022):
    registrations = list(lao_cai_2022.registrations.prefetch_related("titles"))
    assert len(registrations) == 9
    assert all({t.name for t in r.titles.all()} == FLAGS for r in registrations)


def test_the_lao_cai_registrations_add_up_to_the_article(lao_cai_2022):
    registrations = list(lao_cai_2022.registrations.all())
    assert sum(r.collectives for r in registrations) == 1524
    assert sum(r.individuals for r in registrations) == 18568


def test_the_lao_cai_summary_reads_like_the_article(lao_cai_2022):
    summary = pledge_summary(lao_cai_2022)
    assert (summary.member_count, summary.signed_count, summary.registered_count) == (9, 9, 9)
    assert {(tc.title.name, tc.members) for tc in summary.title_counts} == {
        ("Cờ thi đua của Chính phủ", 9),
        ("Cờ thi đua của UBND tỉnh", 9),
    }
    assert (summary.collectives, summary.individuals) == (1524, 18568)


def test_the_demo_pledges_have_every_commitment_and_mid_year_results():
    seed()
    for pledge in Pledge.objects.all():
        members = pledge.cluster_year.members.count()
        targets = pledge.targets.count()
        assert targets > 0
        assert Commitment.objects.filter(target__pledge=pledge).count() == members * targets
        mid_year = pledge.periods.get(kind="mid_year")
        assert mid_year.results.count() == members * targets


def test_seeding_twice_keeps_the_counts():
    seed()
    first = counts()
    assert first["Pledge"] == 4
    seed()
    assert counts() == first
