"""Electronic ballots: single-use codes stored hashed, secret ballots, combined counts, and
a code consumed exactly once under concurrent submission (PostgreSQL)."""

import hashlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from clusters.models import VoteRule
from tests.votes.helpers import ballots, count_twice, open_vote
from votes import services
from votes.models import BallotCode, ElectronicBallot

Purpose = VoteRule.Purpose


@pytest.fixture
def e_vote(year_end, members):
    vote = services.vote_create(
        meeting=year_end, purpose=Purpose.HEAD, title="Bầu Cụm trưởng", electronic=True
    )
    services.vote_set_candidates(vote=vote, members=[members["Na Rì"], members["Pác Nặm"]])
    services.vote_set_tellers(
        vote=vote, tellers=[{"full_name": "Hoàng Thị Hà"}, {"full_name": "Lý Văn Minh"}]
    )
    return services.vote_open(vote=vote)


def ids(vote):
    return {c.member.unit.short_name: c.pk for c in vote.candidates.select_related("member__unit")}


def test_opening_issues_one_code_per_voter_stored_only_hashed(e_vote):
    codes = e_vote.issued_codes
    assert len(codes) == 6 == len(set(codes))
    assert all(len(code) == 10 for code in codes)
    stored = set(BallotCode.objects.filter(vote=e_vote).values_list("code_hash", flat=True))
    assert stored == {services.code_hash(code) for code in codes}
    assert not stored & set(codes)
    # A keyed hash: the plain SHA-256 of a code (which anyone could try) is not stored.
    assert not stored & {hashlib.sha256(code.encode()).hexdigest() for code in codes}


def test_a_ballot_carries_no_link_to_voter_code_or_time():
    assert {f.name for f in ElectronicBallot._meta.get_fields()} == {"id", "vote", "choices"}
    assert {f.name for f in BallotCode._meta.get_fields()} == {"id", "vote", "code_hash", "used"}
    assert ElectronicBallot._meta.pk.get_internal_type() == "UUIDField"


def test_a_code_is_used_once(e_vote):
    code, na_ri = e_vote.issued_codes[0], ids(e_vote)["Na Rì"]
    services.ballot_cast(vote=e_vote, code=code, choices=[na_ri])
    with pytest.raises(ValidationError) as excinfo:
        services.ballot_cast(vote=e_vote, code=code, choices=[na_ri])
    assert excinfo.value.messages == ["Mã này không hợp lệ hoặc đã được sử dụng."]
    assert ElectronicBallot.objects.filter(vote=e_vote).count() == 1
    assert BallotCode.objects.filter(vote=e_vote, used=True).count() == 1


def test_a_ballot_with_more_choices_than_seats_is_refused_and_keeps_the_code(e_vote):
    code = e_vote.issued_codes[0]
    with pytest.raises(ValidationError):
        services.ballot_cast(vote=e_vote, code=code, choices=list(ids(e_vote).values()))
    assert not BallotCode.objects.filter(vote=e_vote, used=True).exists()


def test_an_unknown_code_is_refused(e_vote):
    with pytest.raises(ValidationError):
        services.ballot_cast(vote=e_vote, code="not-a-code", choices=[])


def test_electronic_ballots_alone_are_counted_at_closing(e_vote):
    choice = ids(e_vote)
    for code, chosen in zip(
        e_vote.issued_codes[:5], ["Na Rì", "Na Rì", "Na Rì", "Pác Nặm", None], strict=True
    ):
        services.ballot_cast(vote=e_vote, code=code, choices=[choice[chosen]] if chosen else [])
    vote = services.vote_close(vote=e_vote)
    results = vote.results
    assert (results["issued"], results["returned"], results["not_returned"]) == (6, 5, 1)
    assert (results["valid"], results["blank"], results["invalid"]) == (4, 1, 0)
    assert [c["votes"] for c in results["candidates"]] == [3, 1]
    assert results["winners"] == [choice["Na Rì"]]  # 3 of 4 valid ballots
    with pytest.raises(ValidationError):
        services.ballot_cast(vote=vote, code=e_vote.issued_codes[5], choices=[])


def test_paper_and_electronic_counts_combine_in_one_result(e_vote):
    choice = ids(e_vote)
    services.ballot_cast(vote=e_vote, code=e_vote.issued_codes[0], choices=[choice["Pác Nặm"]])
    services.ballot_cast(vote=e_vote, code=e_vote.issued_codes[1], choices=[choice["Na Rì"]])
    count_twice(e_vote, votes={"Na Rì": 3, "Pác Nặm": 0}, **ballots(4, 4, 3, 1))
    results = services.vote_close(vote=e_vote).results
    # Paper 4 issued + 6 codes; 4 + 2 returned; 3 + 2 valid.
    assert (results["issued"], results["returned"], results["valid"]) == (10, 6, 5)
    assert [c["votes"] for c in results["candidates"]] == [4, 1]


# --- The race ------------------------------------------------------------------------------

THREADS = 8


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
def test_a_code_submitted_at_once_from_many_places_is_consumed_exactly_once(
    default_vote_rules, year_end, members
):
    vote = open_vote(year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"]], electronic=True)
    code = vote.issued_codes[0]
    na_ri = vote.candidates.get().pk
    barrier = threading.Barrier(THREADS)
    outcomes = [None] * THREADS

    def cast(index):
        try:
            barrier.wait(timeout=30)
            services.ballot_cast(vote=vote, code=code, choices=[na_ri])
            outcomes[index] = "cast"
        except ValidationError:
            outcomes[index] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["cast"] + ["refused"] * (THREADS - 1)
    assert ElectronicBallot.objects.filter(vote=vote).count() == 1
