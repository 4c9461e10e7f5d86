"""``votes.selectors.confirmed_nominations``: what the awards read of the votes."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import VoteRule
from tests.factories import ClusterYearFactory
from tests.votes.helpers import ballots, closed, open_vote
from votes import services
from votes.selectors import confirmed_nominations

Purpose = VoteRule.Purpose
SIX = ballots(6, 6, 6)


def names(nomination) -> list[str]:
    return [unit.name for unit in nomination.units]


@pytest.fixture
def flag_vote(year_end, members, flag):
    vote = open_vote(
        year_end,
        purpose=Purpose.NOMINATION,
        award_type=flag,
        candidates=[members["Na Rì"], members["Ba Bể"]],
        title="Suy tôn Cờ thi đua của UBND tỉnh",
    )
    return services.vote_confirm(vote=closed(vote, votes={"Na Rì": 6, "Ba Bể": 0}, **SIX))


@pytest.fixture
def certificate_vote(year_end, members, certificate):
    vote = open_vote(
        year_end,
        purpose=Purpose.NOMINATION,
        award_type=certificate,
        candidates=[members["Chợ Mới"], members["Pác Nặm"], members["Ba Bể"]],
        seats=2,
        title="Suy tôn Bằng khen của UBND tỉnh",
    )
    return services.vote_confirm(
        vote=closed(vote, votes={"Chợ Mới": 6, "Pác Nặm": 5, "Ba Bể": 1}, **SIX)
    )


def test_the_conference_of_7_february_2023_put_forward_na_ri_cho_moi_and_pac_nam(
    flag_vote, certificate_vote, year_2022
):
    nominations = confirmed_nominations(year_2022)
    assert [
        (n.vote.pk, n.award_type.name, n.cluster_year.year, names(n), n.rule.purpose)
        for n in nominations
    ] == [
        (flag_vote.pk, "Cờ thi đua của UBND tỉnh", 2022, ["Huyện Na Rì"], "nomination"),
        (
            certificate_vote.pk,
            "Bằng khen của UBND tỉnh",
            2022,
            ["Huyện Chợ Mới", "Huyện Pác Nặm"],
            "nomination",
        ),
    ]
    certificate = nominations[1]
    assert (certificate.results["eligible"], certificate.results["present"]) == (7, 6)
    assert certificate.results["needed"] == 4  # more than half of the 7 eligible
    assert [(c["label"], c["votes"]) for c in certificate.results["candidates"]] == [
        ("Huyện Chợ Mới", 6),
        ("Huyện Pác Nặm", 5),
        ("Huyện Ba Bể", 1),
    ]
    assert certificate.tied == ()


def test_it_filters_by_award_type(flag_vote, certificate_vote, certificate):
    assert [names(n) for n in confirmed_nominations(award_type=certificate)] == [
        ["Huyện Chợ Mới", "Huyện Pác Nặm"]
    ]


def test_drafts_open_and_closed_votes_and_other_purposes_are_left_out(
    year_end, members, flag, year_2022
):
    candidates = [members["Na Rì"]]
    services.vote_create(meeting=year_end, purpose=Purpose.NOMINATION, award_type=flag, title="D")
    open_vote(year_end, purpose=Purpose.NOMINATION, award_type=flag, candidates=candidates)
    closed(
        open_vote(year_end, purpose=Purpose.NOMINATION, award_type=flag, candidates=candidates),
        votes={"Na Rì": 6},
        **SIX,
    )
    head = closed(open_vote(year_end, purpose=Purpose.HEAD, candidates=candidates),
                  votes={"Na Rì": 6}, **SIX)  # fmt: skip
    services.vote_confirm(vote=head)
    assert confirmed_nominations(year_2022) == []


def test_a_confirmed_correction_replaces_the_vote_it_corrects(flag_vote, year_2022):
    correction = services.vote_correct(vote=flag_vote)
    # Until the correction is confirmed, the vote it corrects stays in force.
    assert [n.vote.pk for n in confirmed_nominations(year_2022)] == [flag_vote.pk]
    services.vote_open(vote=correction)
    correction = closed(correction, votes={"Na Rì": 2, "Ba Bể": 4}, **SIX)
    assert [n.vote.pk for n in confirmed_nominations(year_2022)] == [flag_vote.pk]
    services.vote_confirm(vote=correction)
    assert [(n.vote.pk, names(n)) for n in confirmed_nominations(year_2022)] == [
        (correction.pk, ["Huyện Ba Bể"])
    ]


def test_a_user_sees_only_the_nominations_of_clusters_they_see(
    flag_vote, staff, outsider, year_2022
):
    assert [n.vote.pk for n in confirmed_nominations(user=staff)] == [flag_vote.pk]
    assert confirmed_nominations(user=outsider) == []
    other_year = ClusterYearFactory(cluster=year_2022.cluster, year=2023)
    assert confirmed_nominations(other_year) == []


def test_it_takes_two_queries_however_many_nominations(flag_vote, certificate_vote, year_2022):
    with CaptureQueriesContext(connection) as queries:
        nominations = confirmed_nominations(year_2022, user=None)
        [names(n) for n in nominations]
    assert len(nominations) == 2
    assert len(queries) == 2


def test_the_seed_000_nominations(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert [(n.award_type.name, names(n)) for n in confirmed_nominations()] == [
        ("Cờ thi đua của UBND tỉnh", ["Huyện Na Rì"]),
        ("Bằng khen của UBND tỉnh", ["Huyện Chợ Mới", "Huyện Pác Nặm"]),
    ]
