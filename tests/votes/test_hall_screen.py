"""The hall screen: while open, ballots received out of issued and never the running
result; once closed, the stored result as a chart with the threshold and the winners."""

import re

import pytest
from django.urls import reverse

from clusters.models import VoteRule
from tests.votes.helpers import closed, open_vote
from votes import services

Purpose = VoteRule.Purpose


@pytest.fixture
def clerk(client_for, secretary_2022):
    return client_for(secretary_2022)


@pytest.fixture
def e_vote(year_end, members):
    vote = open_vote(
        year_end,
        purpose=Purpose.HEAD,
        candidates=[members["Na Rì"], members["Pác Nặm"]],
        title="Bầu Cụm trưởng năm 2023",
        electronic=True,
    )
    return vote


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def candidate(vote, short_name):
    return vote.candidates.get(member__unit__short_name=short_name).pk


def test_while_open_the_screen_counts_ballots_and_never_shows_the_result(clerk, e_vote):
    na_ri = candidate(e_vote, "Na Rì")
    for code in e_vote.issued_codes[:2]:
        services.ballot_cast(vote=e_vote, code=code, choices=[na_ri])
    response = clerk.get(reverse("votes:vote-screen", args=[e_vote.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Đang bỏ phiếu" in page
    assert "2 / 6 phiếu điện tử đã nhận" in page
    html = response.content.decode()
    assert f'hx-get="{reverse("votes:vote-screen-count", args=[e_vote.pk])}"' in html
    assert 'class="qr-code"' in html
    assert "http://testserver/phieu/" in page
    # No candidate's name or votes while open.
    assert "Huyện Na Rì" not in page and "Huyện Pác Nặm" not in page

    fragment = clerk.get(reverse("votes:vote-screen-count", args=[e_vote.pk]))
    assert "2 / 6 phiếu điện tử đã nhận" in text(fragment)
    assert "HX-Refresh" not in fragment.headers
    assert "Na Rì" not in fragment.content.decode()


def test_when_closed_the_poll_reloads_the_screen_which_shows_the_chart(clerk, e_vote):
    na_ri, pac_nam = candidate(e_vote, "Na Rì"), candidate(e_vote, "Pác Nặm")
    codes = e_vote.issued_codes
    for code, choice in zip(codes, [na_ri, na_ri, na_ri, na_ri, pac_nam, None], strict=True):
        services.ballot_cast(vote=e_vote, code=code, choices=[choice] if choice else [])
    services.vote_close(vote=e_vote)

    fragment = clerk.get(reverse("votes:vote-screen-count", args=[e_vote.pk]))
    assert fragment.headers["HX-Refresh"] == "true"

    response = clerk.get(reverse("votes:vote-screen", args=[e_vote.pk]))
    page = text(response)
    assert "6 trên 6 phiếu thu về, 5 phiếu hợp lệ." in page
    html = response.content.decode()
    rows = re.findall(r'<g class="hall-row( is-winner| is-tied)?">(.*?)</g>', html, re.S)
    assert [kind for kind, _body in rows] == [" is-winner", ""]
    labels = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip() for _k, body in rows]
    assert labels[0].startswith("✔ Huyện Na Rì 4 (")
    assert "trúng cử" in labels[0]
    assert labels[1].startswith("Huyện Pác Nặm 1 (")
    assert 'class="hall-threshold"' in html
    assert 'viewBox="0 0 1100 ' in html


def test_a_paper_vote_screen_tells_the_hall_the_committee_counts(clerk, year_end, members):
    vote = open_vote(year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"]])
    page = text(clerk.get(reverse("votes:vote-screen", args=[vote.pk])))
    assert "Phiếu giấy: ban kiểm phiếu kiểm sau khi bỏ phiếu." in page
    closed(
        vote,
        votes={"Na Rì": 6},
        issued=6,
        returned=6,
        not_returned=0,
        valid=6,
        invalid=0,
        blank=0,
    )
    page = text(clerk.get(reverse("votes:vote-screen", args=[vote.pk])))
    assert "✔ Huyện Na Rì 6 (" in page


def test_another_clusters_screen_is_a_404(outsider_client, e_vote):
    for name in ("votes:vote-screen", "votes:vote-screen-count"):
        assert outsider_client.get(reverse(name, args=[e_vote.pk])).status_code == 404


def test_long_names_wrap_between_words_and_push_the_next_row_down():
    from votes.hall import BAR, result_chart

    results = {
        "base_count": 10,
        "needed": 6,
        "candidates": [
            {
                "label": "Đồng ý thông qua dự thảo Quy chế hoạt động của Cụm thi đua",
                "votes": 7,
                "percent": "70.00",
                "winner": True,
                "tied": False,
                "threshold_met": True,
            },
            {
                "label": "Không đồng ý",
                "votes": 3,
                "percent": "30.00",
                "winner": False,
                "tied": False,
                "threshold_met": False,
            },
        ],
    }
    chart = result_chart(results)
    first, second = chart["rows"]
    assert first.lines == ["✔ Đồng ý thông qua dự", "thảo Quy chế hoạt động", "của Cụm thi đua"]
    assert second.lines == ["Không đồng ý"]
    # The first name's last line ends above the second row's bar.
    assert first.first_line_y + 2 * 30 < second.y + BAR // 2
    assert first.first_line_y - 22 >= 0
    assert chart["threshold_x"] == 340 + 400 * 6 / 10
    assert chart["height"] >= second.y + BAR
