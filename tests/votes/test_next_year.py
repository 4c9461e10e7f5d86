"""What a confirmed election does next: next year's head and deputy, by roll-over when
next year does not exist, after a confirmation page when it does; the cluster year page's
"elected for next year" block and the vote page's notice."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from clusters import services as cluster_services
from clusters.models import ClusterMember, ClusterYear, VoteRule
from tests.votes.helpers import ballots, closed, open_vote
from votes import services
from votes.selectors import next_year_notice

Purpose = VoteRule.Purpose
SIX = ballots(6, 6, 6)


def elect(meeting, member, purpose=Purpose.HEAD, title="Bầu Cụm trưởng năm 2023"):
    vote = open_vote(meeting, purpose=purpose, candidates=[member], title=title)
    return services.vote_confirm(vote=closed(vote, votes={member.unit.short_name: 6}, **SIX))


def leaders_of(cluster_year) -> dict[str, str]:
    return {
        m.role: m.unit.name
        for m in cluster_year.members.select_related("unit").exclude(role="member")
    }


def create_2023(year_2022, *, leave_out=(), head="Thành phố Bắc Kạn", deputy="Chợ Mới"):
    units = {m.unit.short_name: m.unit for m in year_2022.members.select_related("unit")}
    return cluster_services.cluster_year_create(
        cluster=year_2022.cluster,
        year=2023,
        members=[unit for name, unit in units.items() if name not in leave_out],
        head=units.get(head),
        deputy=units.get(deputy),
    )


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def take_url(cluster_year) -> str:
    return reverse("clusters:clusteryear-take-elected", args=[cluster_year.pk])


def test_without_next_year_the_page_offers_roll_over_which_makes_the_winner_head(
    staff_client, year_end, year_2022, members
):
    vote = elect(year_end, members["Na Rì"])
    html = staff_client.get(year_2022.get_absolute_url()).content.decode()
    assert "Đã bầu Huyện Na Rì làm Cụm trưởng năm 2023." in html
    assert "Chưa có năm thi đua 2023." in html
    assert "Tạo năm 2023" in html
    assert vote.get_absolute_url() in html  # the vote that elected it
    response = staff_client.post(reverse("clusters:clusteryear-roll-over", args=[year_2022.pk]))
    year_2023 = ClusterYear.objects.get(cluster=year_2022.cluster, year=2023)
    assert response.url == year_2023.get_absolute_url()
    assert leaders_of(year_2023) == {"head": "Huyện Na Rì"}


def test_with_next_year_the_change_is_confirmed_then_made_and_audited(
    staff_client, year_end, year_2022, members
):
    year_2023 = create_2023(year_2022)
    elect(year_end, members["Na Rì"])
    elect(year_end, members["Pác Nặm"], Purpose.DEPUTY, "Bầu Cụm phó năm 2023")
    html = staff_client.get(year_2022.get_absolute_url()).content.decode()
    assert "Năm 2023 đang ghi Cụm trưởng là Thành phố Bắc Kạn." in html
    assert take_url(year_2022) in html

    page = staff_client.get(take_url(year_2022))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cụm trưởng năm 2023 hiện là Thành phố Bắc Kạn; sẽ đổi thành Huyện Na Rì." in text
    assert "Cụm phó năm 2023 hiện là Huyện Chợ Mới; sẽ đổi thành Huyện Pác Nặm." in text
    assert leaders_of(year_2023) == {"head": "Thành phố Bắc Kạn", "deputy": "Huyện Chợ Mới"}

    response = staff_client.post(take_url(year_2022))
    assert response.url == year_2023.get_absolute_url()
    assert texts(response) == ["Năm 2023 đã được cập nhật theo kết quả bầu."]
    assert leaders_of(year_2023) == {"head": "Huyện Na Rì", "deputy": "Huyện Pác Nặm"}
    na_ri = ClusterMember.objects.get(cluster_year=year_2023, unit=members["Na Rì"].unit)
    assert [h.role for h in na_ri.history.order_by("history_date", "history_id")] == [
        "member",
        "head",
    ]
    old_head = ClusterMember.objects.get(
        cluster_year=year_2023, unit=members["Thành phố Bắc Kạn"].unit
    )
    assert [h.role for h in old_head.history.order_by("history_date", "history_id")] == [
        "head",
        "member",
    ]
    html = staff_client.get(year_2022.get_absolute_url()).content.decode()
    assert html.count("Năm 2023 đã ghi nhận.") == 2
    assert take_url(year_2022) not in html


def test_an_elected_unit_that_is_not_a_member_next_year_changes_nothing(
    staff_client, year_end, year_2022, members
):
    year_2023 = create_2023(year_2022, leave_out=["Na Rì"])
    elect(year_end, members["Na Rì"])
    page = staff_client.get(take_url(year_2022)).content.decode()
    assert "Huyện Na Rì không là đơn vị thành viên năm 2023" in page
    response = staff_client.post(take_url(year_2022))
    assert texts(response) == [
        "Huyện Na Rì được bầu làm cụm trưởng nhưng không là đơn vị thành viên năm 2023 (có "
        "thể đã được sáp nhập vào đơn vị khác): hãy bổ sung vào danh sách thành viên năm "
        "2023 hoặc bầu lại."
    ]
    assert leaders_of(year_2023) == {"head": "Thành phố Bắc Kạn", "deputy": "Huyện Chợ Mới"}


def test_the_head_elected_cannot_stay_deputy(year_end, year_2022, members):
    year_2023 = create_2023(year_2022, deputy="Na Rì")
    elect(year_end, members["Na Rì"])
    year_2022.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        cluster_services.cluster_year_take_elected(cluster_year=year_2022)
    assert excinfo.value.messages == [
        "Huyện Na Rì sẽ vừa là cụm trưởng vừa là cụm phó năm 2023: đơn vị trưởng và phó phải "
        "là hai đơn vị khác nhau. Hãy bầu cả vị trí còn lại, hoặc sửa đơn vị trưởng, phó của "
        "năm 2023."
    ]
    assert leaders_of(year_2023) == {"head": "Thành phố Bắc Kạn", "deputy": "Huyện Na Rì"}


def test_nothing_to_take_over(staff_client, year_2022):
    create_2023(year_2022)
    page = staff_client.get(take_url(year_2022)).content.decode()
    assert "Chưa bầu đơn vị trưởng, phó cho năm 2023." in page
    response = staff_client.post(take_url(year_2022))
    assert texts(response) == ["Chưa bầu đơn vị trưởng, phó cho năm 2023."]


def test_an_outsider_gets_404(outsider_client, year_end, year_2022, members):
    create_2023(year_2022)
    elect(year_end, members["Na Rì"])
    assert outsider_client.get(take_url(year_2022)).status_code == 404
    assert outsider_client.post(take_url(year_2022)).status_code == 404


def test_a_viewer_may_not_and_changes_nothing(viewer_client, year_end, year_2022, members):
    year_2023 = create_2023(year_2022)
    elect(year_end, members["Na Rì"])
    assert viewer_client.get(take_url(year_2022)).status_code == 403
    assert viewer_client.post(take_url(year_2022)).status_code == 403
    assert leaders_of(year_2023)["head"] == "Thành phố Bắc Kạn"
    html = viewer_client.get(year_2022.get_absolute_url()).content.decode()
    assert "Năm 2023 đang ghi Cụm trưởng là Thành phố Bắc Kạn." in html
    assert take_url(year_2022) not in html


def test_the_secretary_of_2022_alone_may_not_change_2023(
    client_for, secretary_2022, year_end, year_2022, members
):
    create_2023(year_2022)
    elect(year_end, members["Na Rì"])
    assert client_for(secretary_2022).post(take_url(year_2022)).status_code == 403


def test_the_vote_page_notice(year_end, year_2022, members, staff, viewer):
    year_2023 = create_2023(year_2022)
    vote = elect(year_end, members["Na Rì"])
    notice = next_year_notice(vote, staff)
    html = render_to_string("votes/includes/_next_year.html", {"next_year": notice})
    assert "Đã bầu Huyện Na Rì làm Cụm trưởng năm 2023." in html
    assert "Năm 2023 đang ghi Cụm trưởng là Thành phố Bắc Kạn." in html
    assert take_url(year_2022) in html
    viewer_html = render_to_string(
        "votes/includes/_next_year.html", {"next_year": next_year_notice(vote, viewer)}
    )
    assert take_url(year_2022) not in viewer_html
    cluster_services.cluster_year_take_elected(cluster_year=notice["cluster_year"])
    assert leaders_of(year_2023)["head"] == "Huyện Na Rì"
    assert "Năm 2023 đã ghi nhận." in render_to_string(
        "votes/includes/_next_year.html", {"next_year": next_year_notice(vote, staff)}
    )


def test_no_notice_for_a_nomination_or_an_unconfirmed_election(year_end, members, staff, flag):
    nomination = open_vote(
        year_end, purpose=Purpose.NOMINATION, award_type=flag, candidates=[members["Na Rì"]]
    )
    nomination = services.vote_confirm(vote=closed(nomination, votes={"Na Rì": 6}, **SIX))
    assert next_year_notice(nomination, staff) is None
    head = open_vote(year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"]])
    assert next_year_notice(head, staff) is None


def test_the_vote_page_shows_the_notice(staff_client, year_end, year_2022, members):
    create_2023(year_2022)
    vote = elect(year_end, members["Na Rì"])
    html = staff_client.get(vote.get_absolute_url()).content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Đã bầu Huyện Na Rì làm Cụm trưởng năm 2023." in page
    assert "Năm 2023 đang ghi Cụm trưởng là Thành phố Bắc Kạn." in page
