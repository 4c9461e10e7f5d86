"""The votes a year still lacks on the dashboard (``votes.lacks``): exact texts, links
and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.dashboard import lacks
from clusters.models import Cluster, ClusterYear, VoteRule
from meetings import services as meeting_services
from tests.factories import ClusterFactory, ClusterYearFactory
from tests.factories.meetings import MeetingFactory, at
from tests.votes.helpers import ballots, closed, open_vote
from votes import services
from votes.lacks import vote_lacks

Purpose = VoteRule.Purpose
SIX = ballots(6, 6, 6)
TODAY = datetime.date(2023, 3, 1)


def lacks_of(cluster_year, user) -> list[tuple[str, str]]:
    years = list(ClusterYear.objects.select_related("cluster").filter(pk=cluster_year.pk))
    found = vote_lacks(years, today=TODAY, user=user)
    return [(lack.text, lack.url) for lack in found.get(cluster_year.pk, [])]


@pytest.fixture
def held(year_end):
    return meeting_services.meeting_mark_held(meeting=year_end)


def test_it_is_registered_after_the_years_meetings_and_scores():
    assert lacks["votes"].order == 70


def test_nothing_is_lacking_before_the_year_end_meeting_took_place(year_end, year_2022, staff):
    assert lacks_of(year_2022, staff) == []


def test_after_the_meeting_the_election_and_the_nominations_are_lacking(held, year_2022, staff):
    create = reverse("votes:vote-create", args=[held.pk])
    assert lacks_of(year_2022, staff) == [
        ("Chưa bỏ phiếu bầu Cụm trưởng, Cụm phó năm 2023", create),
        ("Chưa bỏ phiếu suy tôn đơn vị đề nghị khen thưởng", create),
    ]


def test_a_viewer_is_sent_to_the_meetings_votes(held, year_2022, viewer):
    votes = reverse("votes:vote-list", args=[held.pk])
    assert [url for _text, url in lacks_of(year_2022, viewer)] == [votes, votes]


def test_a_bloc_speaks_of_its_head_and_deputy(body, staff):
    bloc = ClusterFactory(body=body, kind=Cluster.Kind.BLOC, name="Khối thi đua các sở")
    cluster_year = ClusterYearFactory(cluster=bloc, year=2022)
    MeetingFactory(cluster_year=cluster_year, kind="year_end", status="held",
                   starts_at=at(2023, 1, 20, 8))  # fmt: skip
    assert lacks_of(cluster_year, staff)[0][0] == "Chưa bỏ phiếu bầu Khối trưởng, Khối phó năm 2023"


def test_confirmed_votes_take_the_lacks_away_one_by_one(
    held, year_2022, members, staff, flag, certificate
):
    create = reverse("votes:vote-create", args=[held.pk])
    head = open_vote(held, purpose=Purpose.HEAD, candidates=[members["Na Rì"]], title="Bầu CT")
    head = closed(head, votes={"Na Rì": 6}, **SIX)
    assert lacks_of(year_2022, staff) == [
        ("Chưa bỏ phiếu bầu Cụm trưởng, Cụm phó năm 2023", create),
        ("Chưa bỏ phiếu suy tôn đơn vị đề nghị khen thưởng", create),
        ("Kết quả bỏ phiếu “Bầu CT” chưa được xác nhận", head.get_absolute_url()),
    ]
    services.vote_confirm(vote=head)
    assert lacks_of(year_2022, staff) == [
        ("Chưa bỏ phiếu bầu Cụm phó năm 2023", create),
        ("Chưa bỏ phiếu suy tôn đơn vị đề nghị khen thưởng", create),
    ]
    deputy = open_vote(held, purpose=Purpose.DEPUTY, candidates=[members["Pác Nặm"]])
    services.vote_confirm(vote=closed(deputy, votes={"Pác Nặm": 6}, **SIX))
    nomination = open_vote(
        held, purpose=Purpose.NOMINATION, award_type=flag, candidates=[members["Na Rì"]]
    )
    services.vote_confirm(vote=closed(nomination, votes={"Na Rì": 6}, **SIX))
    assert lacks_of(year_2022, staff) == []


def test_a_tied_election_still_lacks_a_head(held, year_2022, members, staff):
    vote = open_vote(held, purpose=Purpose.HEAD, candidates=[members["Na Rì"], members["Pác Nặm"]])
    services.vote_confirm(vote=closed(vote, votes={"Na Rì": 3, "Pác Nặm": 3}, **SIX))
    assert lacks_of(year_2022, staff)[0][0] == "Chưa bỏ phiếu bầu Cụm trưởng, Cụm phó năm 2023"


def test_a_head_recorded_by_hand_counts(held, year_2022, members, staff):
    year_2022.next_head = members["Na Rì"].unit
    year_2022.next_deputy = members["Pác Nặm"].unit
    year_2022.save()
    assert [text for text, _url in lacks_of(year_2022, staff)] == [
        "Chưa bỏ phiếu suy tôn đơn vị đề nghị khen thưởng"
    ]


@pytest.mark.parametrize("how_many", [1, 3])
def test_the_check_takes_two_queries_however_many_years(cluster, staff, how_many):
    years = []
    for index in range(how_many):
        cluster_year = ClusterYearFactory(cluster=cluster, year=2020 + index)
        MeetingFactory(cluster_year=cluster_year, kind="year_end", status="held",
                       starts_at=at(2021 + index, 1, 20, 8))  # fmt: skip
        years.append(cluster_year)
    pks = [y.pk for y in years]
    warm = list(ClusterYear.objects.select_related("cluster").filter(pk__in=pks))
    vote_lacks(warm, today=TODAY, user=staff)  # the user's roles, read once per request
    years = list(ClusterYear.objects.select_related("cluster").filter(pk__in=pks))
    # Alone: the review meetings and the votes. On the dashboard the meetings' checks
    # have read the meetings already, and the awards' check reads these votes again.
    with CaptureQueriesContext(connection) as queries:
        found = vote_lacks(years, today=TODAY, user=staff)
    assert len(queries) == 2
    with CaptureQueriesContext(connection) as queries:
        assert vote_lacks(years, today=TODAY, user=staff) == found
    assert len(queries) == 0
    assert len(found) == how_many
