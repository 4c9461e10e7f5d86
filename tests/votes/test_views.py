"""The votes pages: who sees and changes what, the counts and results shown exactly, and
the list's queries."""

import pytest
from django.urls import reverse

from clusters.models import Role, VoteRule
from tests.factories import ClusterFactory, ClusterYearFactory, RoleFactory, UserFactory
from tests.votes.helpers import ballots, closed, count_twice, enter, open_vote
from votes import codes as codes_module
from votes import services
from votes.models import Vote

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


def test_the_meeting_page_lists_its_votes(clerk, year_end, head_vote):
    response = clerk.get(year_end.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bầu Cụm trưởng năm 2023" in html
    assert reverse("votes:vote-create", args=[year_end.pk]) in html


def test_the_secretary_creates_a_vote_that_follows_the_rule(clerk, year_end, flag):
    response = clerk.post(
        reverse("votes:vote-create", args=[year_end.pk]),
        {"purpose": "nomination", "award_type": flag.pk, "title": "Suy tôn Cờ thi đua", "seats": 1},
    )
    vote = Vote.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("votes:vote-update", args=[vote.pk])
    assert (vote.award_type, vote.rule.base, vote.voters.count()) == (flag, "eligible", 6)


def test_the_secretary_sets_up_a_draft(clerk, year_end, members):
    vote = services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu")
    response = clerk.post(
        reverse("votes:vote-update", args=[vote.pk]),
        {
            "title": "Bầu Cụm trưởng",
            "seats": 1,
            "candidates": [members["Na Rì"].pk],
            "voters": [members["Na Rì"].pk, members["Ba Bể"].pk],
            "tellers": "Hoàng Thị Hà — Chánh Văn phòng\nLý Văn Minh",
        },
    )
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.title == "Bầu Cụm trưởng"
    assert [c.member for c in vote.candidates.all()] == [members["Na Rì"]]
    assert vote.voters.count() == 2
    assert [(t.full_name, t.position) for t in vote.tellers.all()] == [
        ("Hoàng Thị Hà", "Chánh Văn phòng"),
        ("Lý Văn Minh", ""),
    ]


def test_an_open_votes_set_up_is_frozen_with_the_reason(clerk, head_vote):
    response = clerk.get(reverse("votes:vote-update", args=[head_vote.pk]))
    assert response.status_code == 403


def test_the_vote_page_shows_the_rule_counts_and_results_exactly(clerk, head_vote):
    vote = closed(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    response = clerk.get(vote.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quy định mặc định, cần được Sở Nội vụ điều chỉnh theo quy chế của tỉnh" in html
    # issued, returned, not returned, valid, invalid, blank, Na Rì, Pác Nặm
    cells = "".join(f"<td>{n}</td>" for n in (6, 6, 0, 5, 1, 0, 4, 1))
    assert f'<th scope="row">Hoàng Thị Hà</th>{cells}' in html
    assert f'<th scope="row">Lý Văn Minh</th>{cells}' in html
    assert response.context["vote"].results["needed"] == 3
    assert '<th scope="row">Huyện Na Rì</th><td>4</td><td>80,00</td>' in html
    assert '<th scope="row">Huyện Pác Nặm</th><td>1</td><td>20,00</td>' in html


def test_the_vote_page_shows_why_it_cannot_close(clerk, head_vote):
    enter(head_vote, 0, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    enter(head_vote, 1, votes={"Na Rì": 3, "Pác Nặm": 2}, **ballots(6, 6, 5, 1))
    response = clerk.get(head_vote.get_absolute_url())
    problems = response.context["problems"]
    assert len(problems) == 3
    assert 'id="reconciliation"' in response.content.decode()


def test_counts_entered_through_the_page_and_closing(clerk, head_vote):
    candidates = list(head_vote.candidates.order_by("order"))
    for teller in head_vote.tellers.all():
        data = {"teller": teller.pk, **ballots(6, 6, 5, 1)}
        data.update({f"candidate_{candidates[0].pk}": 4, f"candidate_{candidates[1].pk}": 1})
        assert (
            clerk.post(reverse("votes:vote-counts", args=[head_vote.pk]), data).status_code == 302
        )
    response = clerk.post(reverse("votes:vote-close", args=[head_vote.pk]))
    assert response.status_code == 302
    assert Vote.objects.get(pk=head_vote.pk).status == Vote.Status.CLOSED


def test_closing_with_mismatched_entries_shows_the_messages(clerk, head_vote):
    enter(head_vote, 0, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    enter(head_vote, 1, votes={"Na Rì": 3, "Pác Nặm": 2}, **ballots(6, 6, 5, 1))
    response = clerk.post(reverse("votes:vote-close", args=[head_vote.pk]), follow=True)
    assert len(list(response.context["messages"])) == 3
    assert Vote.objects.get(pk=head_vote.pk).status == Vote.Status.OPEN


def test_confirm_and_correct_through_the_buttons(clerk, head_vote, year_2022, members):
    count_twice(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    services.vote_close(vote=head_vote)
    assert clerk.post(reverse("votes:vote-confirm", args=[head_vote.pk])).status_code == 302
    year_2022.refresh_from_db()
    assert year_2022.next_head == members["Na Rì"].unit
    # Confirmed: confirming again is refused as frozen, correcting makes a new vote.
    assert clerk.post(reverse("votes:vote-confirm", args=[head_vote.pk])).status_code == 403
    response = clerk.post(reverse("votes:vote-correct", args=[head_vote.pk]))
    correction = Vote.objects.get(corrects=head_vote)
    assert response.url == correction.get_absolute_url()


def test_workflow_actions_are_post_only(clerk, head_vote):
    assert clerk.get(reverse("votes:vote-close", args=[head_vote.pk])).status_code == 405


# --- Access -------------------------------------------------------------------------------


def _urls(vote):
    return [
        reverse("votes:vote-list", args=[vote.meeting_id]),
        reverse("votes:vote-create", args=[vote.meeting_id]),
        vote.get_absolute_url(),
    ]


def test_anonymous_users_are_sent_to_log_in(client, head_vote):
    for url in _urls(head_vote):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_another_clusters_secretary_gets_404(client_for, head_vote, body):
    other_year = ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Khối các cơ quan Đảng, đoàn thể"), year=2022
    )
    user = RoleFactory(
        user=UserFactory(username="thuky-khoi"), body=body, kind=Role.Kind.SECRETARY
    ).user
    other_year.secretaries.add(user)
    client = client_for(user)
    for url in _urls(head_vote):
        assert client.get(url).status_code == 404
    assert client.post(reverse("votes:vote-close", args=[head_vote.pk])).status_code == 404


def test_an_outsider_gets_404_everywhere(outsider_client, head_vote):
    for url in _urls(head_vote):
        assert outsider_client.get(url).status_code == 404
    for name in ("vote-counts", "vote-open", "vote-close", "vote-confirm", "vote-correct"):
        assert (
            outsider_client.post(reverse(f"votes:{name}", args=[head_vote.pk])).status_code == 404
        )
    assert outsider_client.get(reverse("votes:vote-update", args=[head_vote.pk])).status_code == 404


def test_a_viewer_reads_but_cannot_change(viewer_client, head_vote, year_end):
    response = viewer_client.get(head_vote.get_absolute_url())
    assert response.status_code == 200
    assert response.context["tally_form"] is None
    assert viewer_client.get(reverse("votes:vote-create", args=[year_end.pk])).status_code == 403
    assert viewer_client.post(reverse("votes:vote-close", args=[head_vote.pk])).status_code == 403
    count_twice(head_vote, votes={"Na Rì": 4, "Pác Nặm": 1}, **ballots(6, 6, 5, 1))
    services.vote_close(vote=head_vote)
    assert viewer_client.post(reverse("votes:vote-confirm", args=[head_vote.pk])).status_code == 403


def test_the_list_of_a_meetings_votes_keeps_its_queries(
    clerk, year_end, members, assert_constant_queries
):
    open_vote(year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"]], title="Vote 1")

    def add_two_more():
        open_vote(year_end, purpose=Purpose.DEPUTY, candidates=[members["Pác Nặm"]], title="Vote 2")
        services.vote_create(meeting=year_end, purpose=Purpose.QUESTION, title="Vote 3")

    first, second = assert_constant_queries(
        clerk, reverse("votes:vote-list", args=[year_end.pk]), add_two_more=add_two_more
    )
    assert [v.title for v in second.context["votes"]] == ["Vote 1", "Vote 2", "Vote 3"]


# --- Electronic ballots -------------------------------------------------------------------


@pytest.fixture
def e_draft(year_end, members):
    vote = services.vote_create(
        meeting=year_end, purpose=Purpose.HEAD, title="Bầu điện tử", electronic=True
    )
    services.vote_set_candidates(vote=vote, members=[members["Na Rì"], members["Pác Nặm"]])
    services.vote_set_tellers(
        vote=vote, tellers=[{"full_name": "Hoàng Thị Hà"}, {"full_name": "Lý Văn Minh"}]
    )
    return vote


def test_opening_an_electronic_vote_shows_its_codes_once(clerk, e_draft):
    response = clerk.post(reverse("votes:vote-open", args=[e_draft.pk]))
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 6
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for code in codes:
        assert codes_module.display(code) in html
    # One slip per code, each with its QR code and the address to type.
    assert html.count('class="qr-code"') == 6
    assert html.count("http://testserver/phieu/") == 6
    page = clerk.get(e_draft.get_absolute_url()).content.decode()
    assert not any(code in page for code in codes)
