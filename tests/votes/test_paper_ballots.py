"""Paper ballots entered one by one by a committee member: each ballot's kind, the
member's counts derived from them, double entry against another member's totals, and
the page (who may use it, closing, its queries)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.models import VoteRule
from core.permissions import Frozen
from tests.factories import ClusterFactory, ClusterYearFactory, RoleFactory, UserFactory
from tests.votes.helpers import ballots, enter, open_vote
from votes import services
from votes.models import PaperBallot, Tally, Vote

Purpose = VoteRule.Purpose


@pytest.fixture
def clerk(client_for, secretary_2022):
    return client_for(secretary_2022)


@pytest.fixture
def head_vote(year_end, members):
    return open_vote(
        year_end,
        purpose=Purpose.HEAD,
        candidates=[members["Na Rì"], members["Pác Nặm"]],
        title="Bầu Cụm trưởng năm 2023",
    )


@pytest.fixture
def tellers(head_vote):
    return list(head_vote.tellers.order_by("order"))


@pytest.fixture
def ids(head_vote):
    return {
        c.member.unit.short_name: c.pk for c in head_vote.candidates.select_related("member__unit")
    }


def page(vote, teller):
    return reverse("votes:paper-ballots", args=[vote.pk, teller.pk])


def post_ballot(client, vote, teller, *choices, unreadable=False):
    data = {"choices": list(choices)}
    if unreadable:
        data["unreadable"] = "on"
    return client.post(page(vote, teller), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def counts_of(vote, teller) -> tuple:
    tally = Tally.objects.get(vote=vote, teller=teller)
    votes = {line.candidate_id: line.votes for line in tally.lines.all()}
    return (
        tally.issued,
        tally.returned,
        tally.not_returned,
        tally.valid,
        tally.invalid,
        tally.blank,
        votes,
    )


# --- Each ballot's kind ------------------------------------------------------------------


def test_a_ballot_with_more_marks_than_seats_is_invalid(clerk, head_vote, tellers, ids):
    response = post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"], ids["Pác Nặm"])
    assert messages_of(response) == ["Đã ghi phiếu số 1: không hợp lệ."]
    ballot = PaperBallot.objects.get()
    assert (ballot.kind, ballot.choices) == ("invalid", sorted([ids["Na Rì"], ids["Pác Nặm"]]))
    # Its marks count for nobody.
    assert counts_of(head_vote, tellers[0]) == (
        6, 1, 0, 0, 1, 0, {ids["Na Rì"]: 0, ids["Pác Nặm"]: 0}
    )  # fmt: skip


def test_a_ballot_without_a_mark_is_blank(clerk, head_vote, tellers, ids):
    response = post_ballot(clerk, head_vote, tellers[0])
    assert messages_of(response) == ["Đã ghi phiếu số 1: trắng."]
    assert PaperBallot.objects.get().kind == "blank"
    assert counts_of(head_vote, tellers[0])[:6] == (6, 1, 0, 0, 0, 1)


def test_an_unreadable_ballot_is_invalid_whatever_it_marks(clerk, head_vote, tellers, ids):
    post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"])
    response = post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"], unreadable=True)
    assert messages_of(response) == ["Đã ghi phiếu số 2: không hợp lệ."]
    assert counts_of(head_vote, tellers[0]) == (
        6, 2, 0, 1, 1, 0, {ids["Na Rì"]: 1, ids["Pác Nặm"]: 0}
    )  # fmt: skip


def test_a_mark_for_someone_who_is_not_a_candidate_is_refused(head_vote, tellers, ids):
    with pytest.raises(ValidationError):
        services.paper_ballot_add(vote=head_vote, teller=tellers[0], choices=[ids["Na Rì"] + 999])
    assert not PaperBallot.objects.exists()


# --- Derived counts and double entry --------------------------------------------------------


def enter_six(client, vote, teller, ids):
    """Six ballots as the committee counted them by hand: Na Rì 3, Pác Nặm 1, one with
    both marked (invalid: one seat), one blank."""
    for choices in ([ids["Na Rì"]], [ids["Pác Nặm"]], [ids["Na Rì"]], [], [ids["Na Rì"]]):
        post_ballot(client, vote, teller, *choices)
    return post_ballot(client, vote, teller, ids["Na Rì"], ids["Pác Nặm"])


def test_the_derived_counts_equal_the_hand_counts(clerk, head_vote, tellers, ids):
    response = enter_six(clerk, head_vote, tellers[0], ids)
    assert messages_of(response) == ["Đã ghi phiếu số 6: không hợp lệ."]
    # issued (the voters present), returned, not returned, valid, invalid, blank, votes
    assert counts_of(head_vote, tellers[0]) == (
        6, 6, 0, 4, 1, 1, {ids["Na Rì"]: 3, ids["Pác Nặm"]: 1}
    )  # fmt: skip
    html = response.content.decode()
    assert '<th scope="row">Huyện Na Rì</th><td>3</td>' in html
    assert '<th scope="row">Số phiếu hợp lệ</th><td>4</td>' in html
    assert '<th scope="row">Số phiếu trắng</th><td>1</td>' in html


def test_one_member_by_ballots_and_one_by_totals_agree_and_the_vote_closes(
    clerk, head_vote, tellers, ids
):
    enter_six(clerk, head_vote, tellers[0], ids)
    enter(head_vote, 1, votes={"Na Rì": 3, "Pác Nặm": 1}, **ballots(6, 6, 4, 1, 1))
    response = clerk.post(reverse("votes:vote-close", args=[head_vote.pk]))
    assert response.status_code == 302
    vote = Vote.objects.get(pk=head_vote.pk)
    assert vote.status == Vote.Status.CLOSED
    results = vote.results
    assert (results["returned"], results["valid"], results["invalid"], results["blank"]) == (
        6, 4, 1, 1
    )  # fmt: skip
    assert results["needed"] == 3
    assert [(c["label"], c["votes"], c["percent"], c["winner"]) for c in results["candidates"]] == [
        ("Huyện Na Rì", 3, "75.00", True),
        ("Huyện Pác Nặm", 1, "25.00", False),
    ]
    assert results["winners"] == [ids["Na Rì"]]


def test_entries_that_differ_refuse_closing_and_list_the_difference(clerk, head_vote, tellers, ids):
    enter_six(clerk, head_vote, tellers[0], ids)
    enter(head_vote, 1, votes={"Na Rì": 2, "Pác Nặm": 2}, **ballots(6, 6, 4, 1, 1))
    response = clerk.post(reverse("votes:vote-close", args=[head_vote.pk]), follow=True)
    assert messages_of(response) == [
        "Kết quả do Hoàng Thị Hà và Lý Văn Minh nhập không khớp:",
        "Huyện Na Rì: lần nhập thứ nhất là 3, lần nhập thứ hai là 2.",
        "Huyện Pác Nặm: lần nhập thứ nhất là 1, lần nhập thứ hai là 2.",
    ]
    assert Vote.objects.get(pk=head_vote.pk).status == Vote.Status.OPEN


def test_deleting_a_ballot_entered_by_mistake(clerk, head_vote, tellers, ids):
    enter_six(clerk, head_vote, tellers[0], ids)
    blank = PaperBallot.objects.get(kind="blank")
    response = clerk.post(
        reverse("votes:paper-ballot-delete", args=[head_vote.pk, tellers[0].pk]),
        {"ballot": str(blank.pk)},
        follow=True,
    )
    assert response.redirect_chain == [(page(head_vote, tellers[0]), 302)]
    assert not PaperBallot.objects.filter(pk=blank.pk).exists()
    assert counts_of(head_vote, tellers[0]) == (
        6, 5, 0, 4, 1, 0, {ids["Na Rì"]: 3, ids["Pác Nặm"]: 1}
    )  # fmt: skip
    assert len(response.context["rows"]) == 5


def test_a_ballot_of_another_member_is_not_deleted(clerk, head_vote, tellers, ids):
    post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"])
    ballot = PaperBallot.objects.get()
    response = clerk.post(
        reverse("votes:paper-ballot-delete", args=[head_vote.pk, tellers[1].pk]),
        {"ballot": str(ballot.pk)},
        follow=True,
    )
    assert messages_of(response) == ["Phiếu này không nằm trong số phiếu người này đã nhập."]
    assert PaperBallot.objects.filter(pk=ballot.pk).exists()


def test_the_ballots_issued_and_not_returned_are_the_members_own(clerk, head_vote, tellers, ids):
    post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"])
    response = clerk.post(
        reverse("votes:paper-ballots-issued", args=[head_vote.pk, tellers[0].pk]),
        {"issued": 7, "not_returned": 6},
    )
    assert response.status_code == 302
    post_ballot(clerk, head_vote, tellers[0], ids["Pác Nặm"])
    assert counts_of(head_vote, tellers[0])[:3] == (7, 2, 6)


def test_a_member_who_entered_totals_starts_over_to_enter_ballots(clerk, head_vote, tellers, ids):
    enter(head_vote, 0, votes={"Na Rì": 3, "Pác Nặm": 1}, **ballots(6, 6, 4, 1, 1))
    response = post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"])
    assert messages_of(response) == [
        "Hoàng Thị Hà đã nhập trực tiếp số tổng. Để nhập từng phiếu, hãy bắt đầu lại: "
        "số tổng đã nhập sẽ bị xóa."
    ]
    assert response.context["totals_entered"] is True
    assert not PaperBallot.objects.exists()
    clerk.post(reverse("votes:paper-ballots-start-over", args=[head_vote.pk, tellers[0].pk]))
    assert not Tally.objects.filter(teller=tellers[0]).exists()
    post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"])
    assert counts_of(head_vote, tellers[0])[:4] == (6, 1, 0, 1)


def test_totals_are_refused_over_ballots_entered_one_by_one(head_vote, tellers, ids):
    services.paper_ballot_add(vote=head_vote, teller=tellers[0], choices=[ids["Na Rì"]])
    with pytest.raises(ValidationError):
        enter(head_vote, 0, votes={"Na Rì": 3, "Pác Nặm": 1}, **ballots(6, 6, 4, 1, 1))
    assert counts_of(head_vote, tellers[0])[:4] == (6, 1, 0, 1)


# --- The page: who, when, queries ----------------------------------------------------------


def test_the_page_keeps_focus_on_the_first_checkbox_and_links_from_the_vote(
    clerk, head_vote, tellers, ids
):
    html = clerk.get(page(head_vote, tellers[0])).content.decode()
    assert f'value="{ids["Na Rì"]}" id="choice-{ids["Na Rì"]}" autofocus>' in html
    assert html.count("autofocus") == 1
    assert "Phiếu không hợp lệ (không đọc được)" in html
    vote_page = clerk.get(head_vote.get_absolute_url()).content.decode()
    for teller in tellers:
        assert page(head_vote, teller) in vote_page
    assert "Nhập từng phiếu" in vote_page


def test_no_ballot_is_entered_after_closing(clerk, head_vote, tellers, ids):
    enter_six(clerk, head_vote, tellers[0], ids)
    enter(head_vote, 1, votes={"Na Rì": 3, "Pác Nặm": 1}, **ballots(6, 6, 4, 1, 1))
    services.vote_close(vote=head_vote)
    response = clerk.post(page(head_vote, tellers[0]), {"choices": [ids["Na Rì"]]})
    assert response.status_code == 403
    assert "Cuộc bỏ phiếu đã kết thúc" in response.content.decode()
    assert PaperBallot.objects.count() == 6
    assert clerk.get(page(head_vote, tellers[0])).status_code == 403
    with pytest.raises(Frozen):
        services.paper_ballot_add(vote=head_vote, teller=tellers[0], choices=[])


def test_a_draft_has_no_ballots_to_enter(clerk, year_end):
    draft = services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu")
    services.vote_set_tellers(vote=draft, tellers=[{"full_name": "Hoàng Thị Hà"}])
    assert clerk.get(page(draft, draft.tellers.get())).status_code == 403


def test_outsiders_get_404(outsider_client, client_for, body, head_vote, tellers, ids):
    for url in (
        page(head_vote, tellers[0]),
        reverse("votes:paper-ballot-delete", args=[head_vote.pk, tellers[0].pk]),
        reverse("votes:paper-ballots-issued", args=[head_vote.pk, tellers[0].pk]),
        reverse("votes:paper-ballots-start-over", args=[head_vote.pk, tellers[0].pk]),
    ):
        assert outsider_client.post(url, {"choices": [ids["Na Rì"]]}).status_code == 404
    assert outsider_client.get(page(head_vote, tellers[0])).status_code == 404
    other_year = ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Khối các cơ quan Đảng, đoàn thể"), year=2022
    )
    user = RoleFactory(user=UserFactory(username="thuky-khoi"), body=body, kind="secretary").user
    other_year.secretaries.add(user)
    assert client_for(user).get(page(head_vote, tellers[0])).status_code == 404
    assert not PaperBallot.objects.exists()


def test_a_teller_of_another_vote_is_a_404(clerk, head_vote, year_end, members):
    other = open_vote(year_end, purpose=Purpose.DEPUTY, candidates=[members["Ba Bể"]])
    url = reverse("votes:paper-ballots", args=[head_vote.pk, other.tellers.first().pk])
    assert clerk.get(url).status_code == 404
    assert clerk.post(url, {}).status_code == 404


def test_a_viewer_cannot_enter_ballots(viewer_client, head_vote, tellers, ids):
    assert viewer_client.get(page(head_vote, tellers[0])).status_code == 403
    assert viewer_client.post(page(head_vote, tellers[0]), {"choices": []}).status_code == 403
    assert not PaperBallot.objects.exists()


def test_the_page_keeps_its_queries(clerk, head_vote, tellers, ids, assert_constant_queries):
    services.paper_ballot_add(vote=head_vote, teller=tellers[0], choices=[ids["Na Rì"]])

    def add_two_more():
        services.paper_ballot_add(vote=head_vote, teller=tellers[0], choices=[ids["Pác Nặm"]])
        services.paper_ballot_add(vote=head_vote, teller=tellers[0], choices=[])

    first, second = assert_constant_queries(
        clerk, page(head_vote, tellers[0]), add_two_more=add_two_more
    )
    assert [row["number"] for row in first.context["rows"]] == [1]
    assert sorted(len(row["marked"]) for row in second.context["rows"]) == [0, 1, 1]


def test_a_posted_mark_for_no_candidate_records_nothing(clerk, head_vote, tellers, ids):
    response = post_ballot(clerk, head_vote, tellers[0], ids["Na Rì"] + 999)
    assert messages_of(response) == ["Chỉ chọn trong danh sách bầu của cuộc bỏ phiếu này."]
    assert not PaperBallot.objects.exists()
