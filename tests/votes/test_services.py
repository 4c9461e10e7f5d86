"""The vote's workflow through ``votes.services``: set-up, opening, double entry of the
paper counts, closing, confirming, correcting — and every refusal on the way."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clusters.models import RuleSet, Share, VoteRule
from core.permissions import Frozen
from tests.factories import ClusterMemberFactory
from tests.votes.helpers import ballots, closed, count_twice, enter, open_vote
from votes import services
from votes.models import Vote

Purpose = VoteRule.Purpose


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def draft(year_end, members):
    vote = services.vote_create(
        meeting=year_end, purpose=Purpose.HEAD, title="Bầu Cụm trưởng năm 2023"
    )
    services.vote_set_candidates(vote=vote, members=[members["Na Rì"], members["Pác Nặm"]])
    return vote


@pytest.fixture
def head_vote(year_end, members):
    return open_vote(
        year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"], members["Pác Nặm"]]
    )


def messages_of(excinfo) -> list[str]:
    return excinfo.value.messages


# --- Set-up ------------------------------------------------------------------------------


def test_a_vote_follows_the_rule_in_force_and_lists_who_attended(draft, members):
    assert draft.status == Vote.Status.DRAFT
    assert draft.rule.rule_set.legal_basis.startswith("Quy định mặc định")
    assert (draft.rule.purpose, draft.rule.base) == ("head", "valid")
    voters = {v.member.unit.short_name for v in draft.voters.select_related("member__unit")}
    assert voters == set(members) - {"Chợ Đồn"}


def test_the_bodys_own_rule_is_kept_on_the_vote(year_end, body):
    own = RuleSet.objects.create(
        body=body,
        name="Quy chế tỉnh",
        legal_basis="Quyết định 01/2021",
        effective_from=datetime.date(2021, 1, 1),
    )
    rule = VoteRule.objects.create(
        rule_set=own, purpose=Purpose.HEAD, base="present", threshold=Share.TWO_THIRDS
    )
    vote = services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu")
    assert vote.rule == rule


def test_without_a_rule_in_force_no_vote_is_created(year_end):
    RuleSet.objects.all().delete()
    with pytest.raises(ValidationError) as excinfo:
        services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu")
    assert messages_of(excinfo) == [
        "No vote rule for this purpose is in force on the day of the meeting."
    ]


def test_a_nomination_names_its_award_type(year_end):
    with pytest.raises(ValidationError):
        services.vote_create(meeting=year_end, purpose=Purpose.NOMINATION, title="Suy tôn")


def test_candidates_are_members_of_the_meetings_year(draft, cluster, year_2022):
    outsider = ClusterMemberFactory(cluster_year__cluster=cluster, cluster_year__year=2023)
    with pytest.raises(ValidationError):
        services.vote_set_candidates(vote=draft, members=[outsider])


def test_the_secretary_adjusts_the_voter_list_in_a_draft(draft, members):
    services.vote_set_voters(vote=draft, members=[members["Na Rì"], members["Chợ Đồn"]])
    assert {v.member.unit.short_name for v in draft.voters.all()} == {"Na Rì", "Chợ Đồn"}


def test_opening_needs_candidates_voters_and_a_committee_of_two(year_end):
    vote = services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu")
    services.vote_set_voters(vote=vote, members=[])
    with pytest.raises(ValidationError) as excinfo:
        services.vote_open(vote=vote)
    assert messages_of(excinfo) == [
        "Add the candidates.",
        "The voter list is empty.",
        "Name at least two members of the counting committee: the counts are entered twice.",
    ]


def test_opening_freezes_the_numbers_of_eligible_and_present_voters(head_vote):
    assert head_vote.status == Vote.Status.OPEN
    assert (head_vote.eligible_count, head_vote.present_count) == (7, 6)


def test_an_open_vote_keeps_its_candidates_and_voters(head_vote, members):
    for change in (
        lambda: services.vote_set_voters(vote=head_vote, members=[members["Na Rì"]]),
        lambda: services.vote_set_candidates(vote=head_vote, members=[members["Na Rì"]]),
        lambda: services.vote_update(vote=head_vote, title="Khác", seats=1),
        lambda: services.vote_open(vote=head_vote),
    ):
        with pytest.raises(Frozen) as excinfo:
            change()
        assert str(excinfo.value) == "This vote is open: its candidates and voter list are frozen."


def test_a_member_added_after_opening_does_not_change_the_frozen_numbers(head_vote, year_2022):
    ClusterMemberFactory(cluster_year=year_2022)
    head_vote.refresh_from_db()
    assert head_vote.eligible_count == 7


# --- Counts ------------------------------------------------------------------------------


def test_counts_are_entered_only_once_the_vote_is_open(draft):
    services.vote_set_tellers(vote=draft, tellers=[{"full_name": "Hoàng Thị Hà"}])
    with pytest.raises(ValidationError) as excinfo:
        services.tally_enter(vote=draft, teller=draft.tellers.get(), votes={}, **ballots(6, 6, 6))
    assert messages_of(excinfo) == ["Counts are entered once the vote is open."]


def test_closing_needs_two_entries(head_vote):
    enter(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.vote_close(vote=head_vote)
    assert messages_of(excinfo) == [
        "Two members of the counting committee must each enter the counts; 1 did."
    ]
    assert Vote.objects.get(pk=head_vote.pk).status == Vote.Status.OPEN


def test_closing_is_refused_until_both_entries_match(head_vote):
    enter(head_vote, 0, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    enter(head_vote, 1, votes={"Na Rì": 3, "Pác Nặm": 2}, **ballots(6, 6, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.vote_close(vote=head_vote)
    assert messages_of(excinfo) == [
        "The entries of Hoàng Thị Hà and Lý Văn Minh differ:",
        "Huyện Na Rì: 4 in the first entry, 3 in the second.",
        "Huyện Pác Nặm: 1 in the first entry, 2 in the second.",
    ]
    enter(head_vote, 1, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    assert services.vote_close(vote=head_vote).status == Vote.Status.CLOSED


def test_counts_that_do_not_reconcile_block_closing(head_vote):
    count_twice(head_vote, votes={"Na Rì": 6, "Pác Nặm": 0}, **ballots(6, 5, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.vote_close(vote=head_vote)
    assert messages_of(excinfo) == [
        "Hoàng Thị Hà: Ballots returned (5) must equal valid (5) plus invalid (1) plus blank "
        "ballots (0).",
        "Hoàng Thị Hà: Huyện Na Rì has 6 votes, more than the 5 valid ballots.",
        "Hoàng Thị Hà: The candidates have 6 votes in all, more than 5 valid ballots × 1 "
        "seats = 5.",
        "Lý Văn Minh: Ballots returned (5) must equal valid (5) plus invalid (1) plus blank "
        "ballots (0).",
        "Lý Văn Minh: Huyện Na Rì has 6 votes, more than the 5 valid ballots.",
        "Lý Văn Minh: The candidates have 6 votes in all, more than 5 valid ballots × 1 seats = 5.",
    ]


def test_closing_stores_the_results_with_exact_numbers(head_vote):
    vote = closed(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    results = Vote.objects.get(pk=vote.pk).results
    na_ri = vote.candidates.get(member__unit__short_name="Na Rì")
    assert results["base_count"] == 5  # valid ballots
    assert results["needed"] == 3
    assert (results["quorum_needed"], results["quorum_met"]) == (5, True)
    assert results["winners"] == [na_ri.pk]
    assert [(c["votes"], c["percent"]) for c in results["candidates"]] == [
        (4, "80.00"),
        (1, "20.00"),
    ]


def test_closed_counts_cannot_change(head_vote):
    vote = closed(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    with pytest.raises(Frozen) as excinfo:
        enter(vote, votes={"Na Rì": 5, "Pác Nặm": 0}, **ballots(6, 6, 5, 1))
    assert str(excinfo.value) == "This vote is closed: its counts and results can no longer change."
    with pytest.raises(Frozen):
        services.vote_close(vote=vote)


def test_only_an_open_vote_closes(draft):
    with pytest.raises(ValidationError):
        services.vote_close(vote=draft)


# --- Confirmation and correction ---------------------------------------------------------


def test_confirming_writes_the_elected_head_to_the_year(head_vote, year_2022, members):
    vote = closed(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    assert services.vote_confirm(vote=vote).status == Vote.Status.CONFIRMED
    year_2022.refresh_from_db()
    assert year_2022.next_head == members["Na Rì"].unit


def test_only_a_closed_vote_is_confirmed(head_vote):
    with pytest.raises(ValidationError):
        services.vote_confirm(vote=head_vote)


def test_a_tied_election_is_confirmed_without_a_head(year_end, members, year_2022):
    vote = open_vote(
        year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"], members["Pác Nặm"]]
    )
    vote = closed(vote, votes={"Na Rì": 3, "Pác Nặm": 3}, **ballots(6, 6, 6))
    services.vote_confirm(vote=vote)
    year_2022.refresh_from_db()
    assert year_2022.next_head is None
    assert vote.results["winners"] == []


def test_the_same_unit_is_not_elected_head_and_deputy(year_end, members, year_2022):
    year_2022.next_deputy = members["Na Rì"].unit
    year_2022.save()
    vote = closed(
        open_vote(year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"]]),
        votes={"Na Rì": 6},
        **ballots(6, 6, 6),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.vote_confirm(vote=vote)
    assert messages_of(excinfo) == ["This unit is already elected deputy for next year."]
    assert Vote.objects.get(pk=vote.pk).status == Vote.Status.CLOSED


def test_a_confirmed_vote_never_changes(head_vote, members):
    vote = services.vote_confirm(
        vote=closed(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    )
    reason = (
        "The results of this vote are confirmed: nothing about it can change. "
        "Record a correction as a new vote."
    )
    for change in (
        lambda: services.vote_update(vote=vote, title="Khác", seats=1),
        lambda: services.vote_set_voters(vote=vote, members=[members["Na Rì"]]),
        lambda: services.vote_set_candidates(vote=vote, members=[]),
        lambda: services.vote_set_tellers(vote=vote, tellers=[]),
        lambda: enter(vote, votes={"Na Rì": 5, "Pác Nặm": 0}, **ballots(6, 6, 5, 1)),
        lambda: services.vote_close(vote=vote),
        lambda: services.vote_confirm(vote=vote),
    ):
        with pytest.raises(Frozen) as excinfo:
            change()
        assert str(excinfo.value) == reason


def test_a_correction_is_a_new_vote_linked_to_the_old_one(head_vote):
    vote = services.vote_confirm(
        vote=closed(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    )
    correction = services.vote_correct(vote=vote)
    assert correction.corrects == vote
    assert correction.status == Vote.Status.DRAFT
    assert correction.rule == vote.rule
    assert [c.member_id for c in correction.candidates.all()] == [
        c.member_id for c in vote.candidates.all()
    ]
    assert correction.voters.count() == 6
    assert correction.tellers.count() == 2
    assert Vote.objects.get(pk=vote.pk).status == Vote.Status.CONFIRMED


def test_only_a_confirmed_vote_is_corrected(head_vote):
    with pytest.raises(ValidationError):
        services.vote_correct(vote=head_vote)


# --- Seed 000: the year-end conference of 7/2/2023 -----------------------------------------


def test_the_conference_of_7_february_2023_votes_as_recorded(
    year_end, members, year_2022, flag, certificate
):
    """Na Rì for the provincial flag, Chợ Mới and Pác Nặm for Bằng khen, Na Rì head and
    Pác Nặm deputy for 2023 ("bỏ phiếu thống nhất suy tôn": every valid ballot)."""
    six = ballots(6, 6, 6)
    everyone = [members[name] for name in ("Na Rì", "Ba Bể", "Bạch Thông", "Chợ Mới", "Pác Nặm")]

    flag_vote = open_vote(
        year_end, purpose=Purpose.NOMINATION, award_type=flag, candidates=everyone, seats=1
    )
    flag_vote = closed(
        flag_vote,
        votes={"Na Rì": 6, "Ba Bể": 0, "Bạch Thông": 0, "Chợ Mới": 0, "Pác Nặm": 0},
        **six,
    )
    certificate_vote = open_vote(
        year_end,
        purpose=Purpose.NOMINATION,
        award_type=certificate,
        candidates=everyone[1:],
        seats=2,
    )
    certificate_vote = closed(
        certificate_vote,
        votes={"Ba Bể": 0, "Bạch Thông": 0, "Chợ Mới": 6, "Pác Nặm": 6},
        **six,
    )
    head = closed(
        open_vote(year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"]]),
        votes={"Na Rì": 6},
        **six,
    )
    deputy = closed(
        open_vote(year_end, purpose=Purpose.DEPUTY, candidates=[members["Pác Nặm"]]),
        votes={"Pác Nặm": 6},
        **six,
    )
    for vote in (flag_vote, certificate_vote, head, deputy):
        services.vote_confirm(vote=vote)

    def winners(vote):
        vote.refresh_from_db()
        names = {c["id"]: c["label"] for c in vote.results["candidates"]}
        return [names[i] for i in vote.results["winners"]]

    assert winners(flag_vote) == ["Huyện Na Rì"]
    assert winners(certificate_vote) == ["Huyện Chợ Mới", "Huyện Pác Nặm"]
    assert flag_vote.results["needed"] == 4  # more than 50 % of the 7 eligible
    year_2022.refresh_from_db()
    assert year_2022.next_head == members["Na Rì"].unit
    assert year_2022.next_deputy == members["Pác Nặm"].unit
