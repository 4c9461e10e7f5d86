"""The votes' section of the year-end report (``votes.reports``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import ClusterYear, VoteRule
from clusters.reports import MID_YEAR, YEAR_END, report_sections
from core.documents.model import Heading, Paragraph, Table
from tests.votes.helpers import ballots, closed, open_vote
from votes import services
from votes.reports import vote_blocks

Purpose = VoteRule.Purpose
SIX = ballots(6, 6, 6)


def texts(blocks) -> list:
    out = []
    for block in blocks:
        if isinstance(block, Table):
            out.append([row.cells for row in block.rows])
        elif isinstance(block, Heading | Paragraph):
            out.append(block.text)
    return out


def load(cluster_year) -> ClusterYear:
    return ClusterYear.objects.select_related("cluster").get(pk=cluster_year.pk)


def test_the_section_is_registered_for_the_year_end_report_only():
    section = report_sections["votes"]
    assert (section.title, section.kinds, section.order) == (
        "KẾT QUẢ BỎ PHIẾU",
        frozenset([YEAR_END]),
        50,
    )
    assert "votes" not in [s.key for s in report_sections.of_kind(MID_YEAR)]


def test_a_year_without_counted_votes_leaves_the_section_out(year_end, members, year_2022):
    open_vote(year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"]])
    assert vote_blocks(load(year_2022)) == []


def test_each_vote_with_its_rule_counts_and_result_then_the_elected_leaders(
    year_end, members, year_2022, certificate
):
    nomination = open_vote(
        year_end,
        purpose=Purpose.NOMINATION,
        award_type=certificate,
        seats=2,
        candidates=[members["Chợ Mới"], members["Pác Nặm"], members["Ba Bể"]],
        title="Suy tôn Bằng khen của UBND tỉnh",
    )
    services.vote_confirm(
        vote=closed(nomination, votes={"Chợ Mới": 6, "Pác Nặm": 5, "Ba Bể": 1}, **SIX)
    )
    head = open_vote(
        year_end,
        purpose=Purpose.HEAD,
        candidates=[members["Na Rì"], members["Ba Bể"]],
        title="Bầu Cụm trưởng năm 2023",
    )
    services.vote_confirm(vote=closed(head, votes={"Na Rì": 5, "Ba Bể": 1}, **SIX))
    deputy = open_vote(
        year_end,
        purpose=Purpose.DEPUTY,
        candidates=[members["Pác Nặm"]],
        title="Bầu Cụm phó năm 2023",
    )
    closed(deputy, votes={"Pác Nặm": 6}, **SIX)  # counted, not yet confirmed
    counts = (
        "Số đơn vị thành viên: 7; có mặt: 6. Số phiếu phát ra: 6; thu vào: 6; hợp lệ: 6; "
        "không hợp lệ: 0; phiếu trắng: 0."
    )
    assert texts(vote_blocks(load(year_2022))) == [
        "1. Suy tôn Bằng khen của UBND tỉnh",
        "Nguyên tắc: Trên 50 % tổng số đơn vị có quyền bỏ phiếu; số lượng tối thiểu tham gia: "
        "từ 2/3 trở lên tổng số đơn vị có quyền bỏ phiếu (theo Quy tắc bỏ phiếu mặc định).",
        counts,
        [
            ["1", "Huyện Chợ Mới", "6", "85,71", "Đạt"],
            ["2", "Huyện Pác Nặm", "5", "71,43", "Đạt"],
            ["3", "Huyện Ba Bể", "1", "14,29", "Không đạt"],
        ],
        "Kết quả: Huyện Chợ Mới và Huyện Pác Nặm được suy tôn đề nghị tặng Bằng khen của "
        "UBND tỉnh.",
        "2. Bầu Cụm trưởng năm 2023",
        "Nguyên tắc: Trên 50 % phiếu hợp lệ; số lượng tối thiểu tham gia: từ 2/3 trở lên tổng "
        "số đơn vị có quyền bỏ phiếu (theo Quy tắc bỏ phiếu mặc định).",
        counts,
        [
            ["1", "Huyện Na Rì", "5", "83,33", "Đạt"],
            ["2", "Huyện Ba Bể", "1", "16,67", "Không đạt"],
        ],
        "Kết quả: Huyện Na Rì được bầu làm Cụm trưởng năm 2023.",
        "3. Bầu Cụm phó năm 2023",
        "Nguyên tắc: Trên 50 % phiếu hợp lệ; số lượng tối thiểu tham gia: từ 2/3 trở lên tổng "
        "số đơn vị có quyền bỏ phiếu (theo Quy tắc bỏ phiếu mặc định).",
        counts,
        [["1", "Huyện Pác Nặm", "6", "100,00", "Đạt"]],
        "Kết quả: Huyện Pác Nặm được bầu làm Cụm phó năm 2023.",
        "Kết quả chưa được xác nhận.",
        "Đơn vị được bầu cho năm 2023: Huyện Na Rì làm Cụm trưởng.",
    ]


def test_candidates_tied_for_the_last_seat_are_left_to_the_meeting(
    year_end, members, year_2022, flag
):
    vote = open_vote(
        year_end,
        purpose=Purpose.NOMINATION,
        award_type=flag,
        seats=3,
        candidates=[members[name] for name in ("Na Rì", "Chợ Mới", "Pác Nặm", "Ba Bể")],
    )
    votes = {"Na Rì": 6, "Chợ Mới": 4, "Pác Nặm": 4, "Ba Bể": 4}
    services.vote_confirm(vote=closed(vote, votes=votes, **SIX))
    blocks = texts(vote_blocks(load(year_2022)))
    assert blocks[-2] == [
        ["1", "Huyện Na Rì", "6", "85,71", "Đạt"],
        ["2", "Huyện Chợ Mới", "4", "57,14", "Bằng phiếu"],
        ["3", "Huyện Pác Nặm", "4", "57,14", "Bằng phiếu"],
        ["4", "Huyện Ba Bể", "4", "57,14", "Bằng phiếu"],
    ]
    assert blocks[-1] == (
        "Kết quả: Huyện Na Rì được suy tôn đề nghị tặng Cờ thi đua của UBND tỉnh; Huyện Chợ "
        "Mới, Huyện Pác Nặm và Huyện Ba Bể có số phiếu bằng nhau; Hội nghị quyết định "
        "(thường bằng một lượt bỏ phiếu mới)."
    )


def test_a_vote_without_a_majority_and_its_confirmed_correction(year_end, members, year_2022):
    head = open_vote(
        year_end,
        purpose=Purpose.HEAD,
        candidates=[members["Na Rì"], members["Ba Bể"]],
        title="Bầu Cụm trưởng",
    )
    head = services.vote_confirm(vote=closed(head, votes={"Na Rì": 3, "Ba Bể": 3}, **SIX))
    blocks = texts(vote_blocks(load(year_2022)))
    assert blocks[-1] == "Kết quả: không có đơn vị nào đạt số phiếu cần thiết."
    correction = services.vote_open(vote=services.vote_correct(vote=head))
    services.vote_confirm(vote=closed(correction, votes={"Na Rì": 4, "Ba Bể": 2}, **SIX))
    blocks = texts(vote_blocks(load(year_2022)))
    # Only the correction is reported: it replaced the vote it corrects.
    assert [b for b in blocks if isinstance(b, str) and b[:2] in ("1.", "2.")] == [
        "1. Bầu Cụm trưởng"
    ]
    assert blocks[-2:] == [
        "Kết quả: Huyện Na Rì được bầu làm Cụm trưởng năm 2023.",
        "Đơn vị được bầu cho năm 2023: Huyện Na Rì làm Cụm trưởng.",
    ]


@pytest.mark.parametrize("how_many", [1, 3])
def test_the_section_takes_one_query_however_many_votes(year_end, members, year_2022, how_many):
    for _index in range(how_many):
        vote = open_vote(year_end, purpose=Purpose.QUESTION, options=["Đồng ý", "Không đồng ý"])
        services.vote_confirm(vote=closed(vote, votes={"Đồng ý": 6, "Không đồng ý": 0}, **SIX))
    cluster_year = load(year_2022)
    with CaptureQueriesContext(connection) as queries:
        blocks = vote_blocks(cluster_year)
    assert len(queries) == 1
    assert texts(blocks)[4] == "Kết quả: Đồng ý được thông qua."
