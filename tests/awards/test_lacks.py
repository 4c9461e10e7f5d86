"""What the dashboard says a cluster year's awards still lack."""

import datetime

import pytest
from django.utils import translation

from awards.lacks import award_lacks
from awards.models import Award
from clusters.dashboard import lacks
from clusters.models import ClusterYear, VoteRule
from tests.factories.awards import AwardFactory, award_type
from tests.factories.meetings import MeetingFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _rules(default_vote_rules):
    """The national vote rules the migrations seed (a vote keeps the rule it followed)."""


def confirmed_nomination(cluster_year, name="Cờ thi đua của UBND tỉnh"):
    meeting = MeetingFactory(cluster_year=cluster_year)
    return Vote.objects.create(
        meeting=meeting,
        purpose=VoteRule.Purpose.NOMINATION,
        award_type=award_type(name),
        title=f"Suy tôn đơn vị đề nghị tặng {name} năm 2023",
        status=Vote.Status.CONFIRMED,
        rule=VoteRule.objects.filter(purpose=VoteRule.Purpose.NOMINATION).first(),
    )


def texts(cluster_year, user):
    year = ClusterYear.objects.select_related("cluster").get(pk=cluster_year.pk)
    with translation.override("en"):
        found = award_lacks([year], today=TODAY, user=user)
    return [lack.text for lack in found.get(year.pk, [])]


def test_the_check_is_registered_after_the_votes():
    assert "awards" in lacks
    assert lacks["awards"].order > lacks["votes"].order


def test_a_confirmed_nomination_without_proposals_is_lacking(cluster_year, staff):
    confirmed_nomination(cluster_year)
    assert texts(cluster_year, staff) == [
        "No award proposal yet from the nomination "
        "“Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh năm 2023”"
    ]


def test_proposals_not_sent_up_are_lacking_until_sent(cluster_year, units, staff, body):
    vote = confirmed_nomination(cluster_year)
    proposals = [
        AwardFactory(
            body=body,
            cluster_year=cluster_year,
            year=2023,
            unit=unit,
            award_type=award_type("Cờ thi đua của UBND tỉnh"),
            vote=vote,
            status=status,
            stage="cluster",
            decision=None,
        )
        for unit, status in zip(units, [Award.Status.PROPOSED, Award.Status.RETURNED,
                                         Award.Status.REJECTED], strict=True)
    ]  # fmt: skip
    assert texts(cluster_year, staff) == ["2 award proposals not yet sent up"]
    Award.objects.filter(pk__in=[p.pk for p in proposals[:2]]).update(status="submitted")
    assert texts(cluster_year, staff) == []


def test_a_hand_made_proposal_of_the_nominated_award_counts_as_made(
    cluster_year, units, staff, body
):
    confirmed_nomination(cluster_year, "Bằng khen của UBND tỉnh")
    AwardFactory(body=body, cluster_year=cluster_year, year=2023, unit=units[0])
    assert texts(cluster_year, staff) == []


def test_it_takes_two_queries_however_many_years(cluster_year, staff, django_assert_num_queries):
    confirmed_nomination(cluster_year)
    years = list(ClusterYear.objects.select_related("cluster"))
    with django_assert_num_queries(2):
        award_lacks(years, today=TODAY, user=staff)
