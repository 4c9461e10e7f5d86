"""The printed documents of a vote: the ballot papers (one page per voter, no name on
any) and the count minutes (biên bản kiểm phiếu) as PDF and Word, read back as text and
checked line by line; who may download them.

Seed 000: the Bắc Kạn cluster's year-end meeting of 7/2/2023, where all seven members
nominated Na Rì for the province's flag by 7 votes of 7.
"""

import io
import subprocess

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from clusters.documents import year_documents
from clusters.models import VoteRule
from core.documents import render_pdf
from core.documents.parity import assert_same_words, normalise, pdf_pages_text
from meetings.models import Attendance, Participant
from tests.factories.meetings import ParticipantFactory, PersonFactory
from tests.votes.helpers import ballots, closed, open_vote
from votes import services
from votes.documents import ballots_document, count_minutes_document, vn_percent

Purpose = VoteRule.Purpose

LEGAL_BASIS = "Quy định mặc định, cần được Sở Nội vụ điều chỉnh theo quy chế của tỉnh"
FLAG_TITLE = "Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh năm 2022"
DOCUMENT_URLS = ["votes:vote-ballots-pdf", "votes:vote-minutes-pdf", "votes:vote-minutes-docx"]


@pytest.fixture
def clerk(client_for, secretary_2022):
    return client_for(secretary_2022)


@pytest.fixture
def all_present(year_end):
    """Every one of the seven members came (Chợ Đồn too)."""
    Attendance.objects.filter(meeting=year_end).update(present=True)
    return year_end


@pytest.fixture
def chaired(all_present, body):
    """Chaired by the head unit's chairman; Nguyễn Thị Lan took the minutes."""
    chair = PersonFactory(body=body, full_name="Dương Hữu Bường", position="Chủ tịch UBND")
    ParticipantFactory(meeting=all_present, person=chair, role=Participant.Role.CHAIR,
                       position="Chủ tịch UBND Thành phố Bắc Kạn")  # fmt: skip
    secretary = PersonFactory(body=body, full_name="Nguyễn Thị Lan", position="Chuyên viên")
    ParticipantFactory(meeting=all_present, person=secretary, role=Participant.Role.SECRETARY)
    return all_present


@pytest.fixture
def flag_vote(chaired, members, flag):
    return open_vote(
        chaired,
        purpose=Purpose.NOMINATION,
        award_type=flag,
        candidates=[members["Na Rì"]],
        title=FLAG_TITLE,
    )


@pytest.fixture
def na_ri_flag(flag_vote):
    """Na Rì nominated for the province's flag by 7 of 7 votes."""
    return closed(flag_vote, votes={"Na Rì": 7}, **ballots(7, 7, 7))


def pdf_lines(pdf: bytes) -> list[str]:
    return [" ".join(line.split()) for page in pdf_pages_text(pdf) for line in page.splitlines()]


def pdf_text(pdf: bytes) -> str:
    """The PDF's words in order, one space apart (lines wrapped where the page ended)."""
    return " ".join(normalise("\n".join(pdf_pages_text(pdf))))


def docx_lines(content: bytes) -> list[str]:
    """The Word file's body paragraphs, then each table row's cells joined by " | "."""
    document = docx.Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(cell._tc for cell in row.cells))  # merged cells once
            lines.append(" | ".join(docx.table._Cell(tc, table).text for tc in cells))
    return lines


# --------------------------------------------------------------------------- Count minutes


def test_the_seed_minutes_say_exactly_what_was_counted_in_pdf_and_word(na_ri_flag):
    pdf, word = assert_same_words(count_minutes_document(vote=na_ri_flag))
    text = pdf_text(pdf)
    lines = docx_lines(word)
    expected_lines = [
        "BIÊN BẢN KIỂM PHIẾU",
        FLAG_TITLE,
        "I. CUỘC BỎ PHIẾU",
        "- Hội nghị: Hội nghị tổng kết công tác thi đua, khen thưởng năm 2022, "
        "Cụm thi đua các huyện, thành phố, năm thi đua 2022;",
        "- Thời gian: ngày 07/02/2023;",
        f"- Nội dung bỏ phiếu: {FLAG_TITLE};",
        "- Mục đích: Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh;",
        "- Số đơn vị được chọn tối đa trên một phiếu: 1.",
        "II. NGUYÊN TẮC BỎ PHIẾU",
        "- Ngưỡng được chọn: trên 50% tổng số đơn vị có quyền bỏ phiếu (7), tức ít nhất 4 phiếu;",
        "- Tỷ lệ phiếu thu về tối thiểu: từ 2/3 trở lên tổng số đơn vị có quyền bỏ phiếu "
        "(7), tức ít nhất 5 phiếu thu về;",
        "- Khi số đơn vị đạt ngưỡng nhiều hơn số được chọn, chọn theo số phiếu từ cao xuống "
        "thấp; các đơn vị bằng phiếu ở vị trí cuối được ghi nhận là bằng phiếu, không đơn vị "
        "nào trong số đó được công bố là được chọn, Hội nghị quyết định.",
        f"Căn cứ: Quy tắc bỏ phiếu mặc định. {LEGAL_BASIS}.",
        "III. BAN KIỂM PHIẾU",
        "1. Hoàng Thị Hà, Chánh Văn phòng UBND huyện Na Rì;",
        "2. Lý Văn Minh, Trưởng phòng Nội vụ huyện Pác Nặm.",
        "IV. SỐ PHIẾU VÀ ĐỐI CHIẾU",
        "- Số đơn vị có quyền bỏ phiếu: 7;",
        "- Số đơn vị có mặt: 7;",
        "- Số phiếu phát ra: 7;",
        "- Số phiếu thu về: 7;",
        "- Số phiếu không thu về: 0;",
        "- Số phiếu hợp lệ: 7;",
        "- Số phiếu không hợp lệ: 0;",
        "- Số phiếu trắng: 0.",
        "Đối chiếu số phiếu:",
        "- Số phiếu phát ra (7) = số phiếu thu về (7) + số phiếu không thu về (0): khớp;",
        "- Số phiếu thu về (7) = số phiếu hợp lệ (7) + số phiếu không hợp lệ (0) + số phiếu "
        "trắng (0): khớp.",
        "V. KẾT QUẢ BỎ PHIẾU",
        "VI. KẾT LUẬN",
        "Được suy tôn: Huyện Na Rì (7/7 phiếu, đạt 100% tổng số đơn vị có quyền bỏ phiếu).",
        "Ban kiểm phiếu lập biên bản này và công bố kết quả kiểm phiếu trước Hội nghị./.",
    ]
    for line in expected_lines:
        assert line in lines, line
        assert line in text, line
    # The lines come in this order, the section numbers with them.
    positions = [lines.index(line) for line in expected_lines]
    assert positions == sorted(positions)
    # The header, the candidates' table and the signatures.
    assert "Số: /BB-CTĐ | Bắc Kạn, ngày 07 tháng 02 năm 2023" in [
        " ".join(line.split()) for line in lines
    ]
    assert "TT | Đơn vị | Số phiếu | Tỷ lệ | Ngưỡng | Kết quả" in lines
    assert "1 | Huyện Na Rì | 7 | 100% | Đạt | Được suy tôn" in lines
    assert "1 Huyện Na Rì 7 100% Đạt Được suy tôn" in pdf_lines(pdf)
    assert "THÀNH VIÊN BAN KIỂM PHIẾU | THÀNH VIÊN BAN KIỂM PHIẾU" in lines
    assert "Hoàng Thị Hà | Lý Văn Minh" in lines
    assert "THƯ KÝ | CHỦ TRÌ HỘI NGHỊ\nChủ tịch UBND Thành phố Bắc Kạn" in lines
    assert "Nguyễn Thị Lan | Dương Hữu Bường" in lines
    assert (
        "THÀNH VIÊN BAN KIỂM PHIẾU THÀNH VIÊN BAN KIỂM PHIẾU Hoàng Thị Hà Lý Văn Minh "
        "THƯ KÝ CHỦ TRÌ HỘI NGHỊ Chủ tịch UBND Thành phố Bắc Kạn Nguyễn Thị Lan "
        "Dương Hữu Bường"
    ) in text


def test_the_minutes_give_shares_vietnamese_style_and_name_the_elected(year_end, members):
    vote = open_vote(
        year_end,
        purpose=Purpose.HEAD,
        candidates=[members["Na Rì"], members["Pác Nặm"]],
        title="Bầu Cụm trưởng năm 2023",
    )
    vote = closed(vote, votes={"Na Rì": 4, "Pác Nặm": 2}, **ballots(6, 6, 6))
    pdf, word = assert_same_words(count_minutes_document(vote=vote))
    lines = docx_lines(word)
    assert "TT | Đơn vị | Số phiếu | Tỷ lệ | Ngưỡng | Kết quả" in lines
    assert "1 | Huyện Na Rì | 4 | 66,67% | Đạt | Trúng cử" in lines
    assert "2 | Huyện Pác Nặm | 2 | 33,33% | Không đạt | " in lines
    assert "- Mục đích: Bầu Cụm trưởng năm 2023;" in lines
    assert "- Số đơn vị có mặt: 6;" in lines
    assert "- Ngưỡng được chọn: trên 50% số phiếu hợp lệ (6), tức ít nhất 4 phiếu;" in lines
    assert "Trúng cử: Huyện Na Rì (4/6 phiếu, đạt 66,67% số phiếu hợp lệ)." in lines
    text = pdf_text(pdf)
    assert "1 Huyện Na Rì 4 66,67% Đạt Trúng cử" in text
    assert "2 Huyện Pác Nặm 2 33,33% Không đạt" in text


def test_ties_are_stated_as_ties_and_nobody_tied_is_chosen(all_present, members, flag):
    vote = open_vote(
        all_present,
        purpose=Purpose.NOMINATION,
        award_type=flag,
        seats=2,
        candidates=[members["Na Rì"], members["Pác Nặm"], members["Ba Bể"]],
        title="Suy tôn hai đơn vị",
    )
    vote = closed(vote, votes={"Na Rì": 5, "Pác Nặm": 4, "Ba Bể": 4}, **ballots(7, 7, 7))
    _pdf, word = assert_same_words(count_minutes_document(vote=vote))
    lines = docx_lines(word)
    assert "1 | Huyện Na Rì | 5 | 71,43% | Đạt | Được suy tôn" in lines
    assert "2 | Huyện Pác Nặm | 4 | 57,14% | Đạt | Bằng phiếu" in lines
    assert "3 | Huyện Ba Bể | 4 | 57,14% | Đạt | Bằng phiếu" in lines
    assert (
        "Được suy tôn: Huyện Na Rì (5/7 phiếu, đạt 71,43% tổng số đơn vị có quyền bỏ phiếu)."
    ) in lines
    assert (
        "Bằng phiếu ở vị trí cuối: Huyện Pác Nặm (4/7 phiếu, đạt 57,14% tổng số đơn vị có "
        "quyền bỏ phiếu); Huyện Ba Bể (4/7 phiếu, đạt 57,14% tổng số đơn vị có quyền bỏ "
        "phiếu), cho 1 vị trí còn lại. Không đơn vị nào trong số này được công bố là được "
        "chọn; Hội nghị quyết định (thường bằng một lần bỏ phiếu mới)."
    ) in lines


def test_without_the_quorum_the_minutes_say_nobody_is_chosen(all_present, members, flag):
    vote = open_vote(
        all_present,
        purpose=Purpose.NOMINATION,
        award_type=flag,
        candidates=[members["Na Rì"]],
        title="Suy tôn",
    )
    vote = closed(vote, votes={"Na Rì": 4}, **ballots(7, 4, 4))
    _pdf, word = assert_same_words(count_minutes_document(vote=vote))
    lines = docx_lines(word)
    assert "- Số phiếu không thu về: 3;" in lines
    assert (
        "Số phiếu thu về (4) chưa đạt tỷ lệ tối thiểu (5 phiếu): kết quả bỏ phiếu không có "
        "giá trị, không đơn vị nào được chọn."
    ) in lines
    assert "1 | Huyện Na Rì | 4 | 57,14% | Đạt | " in lines


def test_a_confirmed_vote_keeps_its_minutes(clerk, na_ri_flag):
    services.vote_confirm(vote=na_ri_flag)
    response = clerk.get(reverse("votes:vote-minutes-docx", args=[na_ri_flag.pk]))
    assert response.status_code == 200
    assert "- Số phiếu phát ra: 7;" in docx_lines(response.content)


def test_percentages_are_printed_the_vietnamese_way():
    assert [vn_percent(p) for p in ["66.67", "100.00", "12.50", "0.00", None]] == [
        "66,67%",
        "100%",
        "12,5%",
        "0%",
        "—",
    ]


def test_the_table_of_the_minutes_never_breaks_a_word(na_ri_flag, tmp_path):
    """The narrow columns ("Số phiếu", "Kết quả") keep their words whole: each header
    and cell is found whole on the one line of its row, and the page is drawn."""
    pdf = render_pdf(count_minutes_document(vote=na_ri_flag))
    lines = pdf_lines(pdf)
    assert "TT Đơn vị Số phiếu Tỷ lệ Ngưỡng Kết quả" in lines
    assert "1 Huyện Na Rì 7 100% Đạt Được suy tôn" in lines
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    width, height = Image.open(pages[0]).size
    assert (round(width / 60 * 25.4), round(height / 60 * 25.4)) == (210, 297)  # A4 portrait


# --------------------------------------------------------------------------- Ballot papers


def test_one_ballot_paper_per_voter_with_the_question_seats_and_boxes(clerk, flag_vote):
    response = clerk.get(reverse("votes:vote-ballots-pdf", args=[flag_vote.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="phieu-bau-{flag_vote.pk}.pdf"'
    pages = pdf_pages_text(response.content)
    assert len(pages) == 7
    for number, page in enumerate(pages, start=1):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        if number > 1:
            assert lines.pop() == str(number)
        assert lines[:9] == [
            "UBND TỈNH BẮC KẠN",
            "CỤM THI ĐUA CÁC HUYỆN,",
            "THÀNH PHỐ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Bắc Kạn, ngày 07 tháng 02 năm 2023",
            "PHIẾU BẦU SUY TÔN",
            FLAG_TITLE,
            "(Hội nghị tổng kết công tác thi đua, khen thưởng năm 2022, ngày 07/02/2023)",
        ]
        assert "Chọn tối đa 1 đơn vị." in lines
        assert lines[lines.index("Chọn tối đa 1 đơn vị.") + 1 :][:2] == [
            "TT Tên đơn vị Đánh dấu X",
            "1 Huyện Na Rì",
        ]
        text = " ".join(lines)
        assert "Số:" not in text  # a form, not a numbered document
        assert (
            "Hướng dẫn: đánh dấu X vào ô của đơn vị được chọn, nhiều nhất 1 ô. Phiếu đánh dấu "
            "quá 1 ô, phiếu ghi thêm tên hoặc nội dung khác, phiếu không do Ban kiểm phiếu "
            "phát ra là phiếu không hợp lệ; phiếu không đánh dấu ô nào là phiếu trắng."
        ) in text
        # A secret ballot: no voter is named (Chợ Mới votes but is no candidate).
        assert "Chợ Mới" not in text


def test_a_question_is_printed_as_a_ballot_of_options(year_end):
    vote = services.vote_create(
        meeting=year_end, purpose=Purpose.QUESTION, title="Chọn địa điểm hội nghị sơ kết", seats=2
    )
    services.vote_set_candidates(vote=vote, options=["Ba Bể", "Pác Nặm", "Chợ Mới"])
    pdf = render_pdf(ballots_document(vote=vote))
    lines = pdf_lines(pdf)
    assert "PHIẾU BIỂU QUYẾT" in lines
    assert "Chọn tối đa 2 phương án." in lines
    assert lines[lines.index("TT Phương án Đánh dấu X") :][:4] == [
        "TT Phương án Đánh dấu X",
        "1 Ba Bể",
        "2 Pác Nặm",
        "3 Chợ Mới",
    ]
    assert len(pdf_pages_text(pdf)) == 6  # the six members present


def test_without_a_voter_list_the_members_present_get_ballots(year_end, members):
    vote = services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu Cụm trưởng")
    services.vote_set_candidates(vote=vote, members=[members["Na Rì"]])
    services.vote_set_voters(vote=vote, members=[])
    assert len(pdf_pages_text(render_pdf(ballots_document(vote=vote)))) == 6
    services.vote_set_voters(vote=vote, members=[members["Na Rì"], members["Ba Bể"]])
    assert len(pdf_pages_text(render_pdf(ballots_document(vote=vote)))) == 2


# --------------------------------------------------------------------------- Views


def test_the_minutes_download_as_pdf_and_word(clerk, na_ri_flag):
    pdf = clerk.get(reverse("votes:vote-minutes-pdf", args=[na_ri_flag.pk]))
    word = clerk.get(reverse("votes:vote-minutes-docx", args=[na_ri_flag.pk]))
    assert pdf.status_code == word.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'inline; filename="bien-ban-kiem-phieu-{na_ri_flag.pk}.pdf"'
    )
    assert word["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert word["Content-Disposition"] == (
        f'attachment; filename="bien-ban-kiem-phieu-{na_ri_flag.pk}.docx"'
    )
    assert "Số phiếu phát ra: 7;" in pdf_text(pdf.content)
    assert "- Số phiếu phát ra: 7;" in docx_lines(word.content)


def test_an_open_vote_has_no_minutes_yet_and_says_why(clerk, flag_vote):
    for name in ["votes:vote-minutes-pdf", "votes:vote-minutes-docx"]:
        response = clerk.get(reverse(name, args=[flag_vote.pk]))
        assert response.status_code == 403
        assert (
            "Biên bản kiểm phiếu chỉ in được khi cuộc bỏ phiếu đã kết thúc và đã kiểm phiếu."
        ) in response.content.decode()
    with pytest.raises(ValueError, match="closed or confirmed"):
        count_minutes_document(vote=flag_vote)


def test_the_vote_page_links_the_documents_it_has(clerk, flag_vote):
    page = clerk.get(flag_vote.get_absolute_url()).content.decode()
    assert reverse("votes:vote-ballots-pdf", args=[flag_vote.pk]) in page
    assert reverse("votes:vote-minutes-pdf", args=[flag_vote.pk]) not in page
    assert "Biên bản kiểm phiếu in được sau khi cuộc bỏ phiếu kết thúc." in page
    closed(flag_vote, votes={"Na Rì": 7}, **ballots(7, 7, 7))
    page = clerk.get(flag_vote.get_absolute_url()).content.decode()
    assert reverse("votes:vote-minutes-pdf", args=[flag_vote.pk]) in page
    assert reverse("votes:vote-minutes-docx", args=[flag_vote.pk]) in page
    # The rule's legal basis is quoted on the vote's page too.
    assert f"Quy tắc bỏ phiếu mặc định: {LEGAL_BASIS}" in page


@pytest.mark.parametrize("name", DOCUMENT_URLS)
def test_an_outsider_gets_404(outsider_client, na_ri_flag, name):
    assert outsider_client.get(reverse(name, args=[na_ri_flag.pk])).status_code == 404


@pytest.mark.parametrize("name", DOCUMENT_URLS)
def test_the_staff_of_the_province_read_them(staff_client, na_ri_flag, name):
    assert staff_client.get(reverse(name, args=[na_ri_flag.pk])).status_code == 200


def test_the_minutes_cost_the_same_queries_for_one_candidate_or_three(
    clerk, all_present, members, flag
):
    def queries_for(names, title) -> int:
        vote = open_vote(
            all_present,
            purpose=Purpose.NOMINATION,
            award_type=flag,
            candidates=[members[name] for name in names],
            title=title,
        )
        vote = closed(vote, votes=dict.fromkeys(names, 2), **ballots(7, 7, 7))
        url = reverse("votes:vote-minutes-pdf", args=[vote.pk])
        clerk.get(url)  # warm up per-process caches (content types, sessions)
        with CaptureQueriesContext(connection) as queries:
            assert clerk.get(url).status_code == 200
        return len(queries)

    one = queries_for(["Na Rì"], "Một đơn vị")
    three = queries_for(["Na Rì", "Ba Bể", "Pác Nặm"], "Ba đơn vị")
    assert one == three <= 20


# --------------------------------------------------------------------------- The year


def test_the_years_documents_hold_the_minutes_of_its_counted_votes(year_2022, na_ri_flag, year_end):
    draft = services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu Cụm trưởng")
    built = list(year_documents["count-minutes"].build(year_2022))
    assert [stem for stem, _document in built] == [
        f"2023-02-07-{na_ri_flag.pk}-suy-ton-don-vi-de-nghi-tang-co-thi-dua-cua-ubnd-tinh-nam-2022"
    ]
    assert draft.status == "draft"
    ((_stem, document),) = built
    assert document.subtitle == FLAG_TITLE
    assert year_documents["count-minutes"].path("x") == "bo-phieu/x"
