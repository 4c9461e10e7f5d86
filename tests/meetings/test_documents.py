"""The minutes (biên bản) as PDF and Word, read back as text; the meeting's .ics file.

The PDF is made by WeasyPrint and read with poppler's ``pdftotext``; nothing is mocked.
"""

import datetime
import io
import subprocess
import unicodedata

import pytest
from django.urls import reverse

from core.documents.model import Heading, ListBlock, Paragraph
from core.documents.parity import assert_same_words
from meetings import services
from meetings.documents import (
    NOT_RECORDED,
    attendance_blocks,
    minutes_document,
    render_minutes_docx,
    render_minutes_pdf,
)
from tests.factories import UserFactory
from tests.factories.meetings import (
    TZ,
    AgendaItemFactory,
    AttendanceFactory,
    ConclusionFactory,
    ExemplarFactory,
    ParticipantFactory,
)
from tests.meetings.helpers import CONCLUSIONS, TITLE

pytestmark = pytest.mark.django_db

CLUSTER = "Cụm thi đua các huyện, thành phố"
EXPECTED = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Số: 05/BB-CTĐ",
    "Bắc Kạn, ngày 07 tháng 02 năm 2023",
    "BIÊN BẢN HỘI NGHỊ",
    TITLE,
    "Thời gian: Vào hồi 14 giờ 00 phút, ngày 07 tháng 02 năm 2023.",
    "Địa điểm: Huyện Na Rì.",
    "- Đồng chí Dương Hữu Bường — Chủ tịch UBND Thành phố Bắc Kạn;",
    "- Đồng chí Nông Văn Nguyên — Chủ tịch UBND huyện Na Rì;",
    "Đại diện các đơn vị thành viên: có mặt 3/3 đơn vị.",
    f"1. {CONCLUSIONS[0]}",
    f"2. {CONCLUSIONS[1]}",
    "Hội nghị kết thúc vào hồi 17 giờ 00 phút cùng ngày.",
    "THƯ KÝ",
    "CHỦ TRÌ HỘI NGHỊ",
]


def one_line(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_fonts(content: bytes, tmp_path) -> set[str]:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(content)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)
    lines = listing.stdout.decode().splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines}


def docx_text(content: bytes) -> list[str]:
    """Every paragraph of the document in order, table cells included."""
    from docx import Document

    document = Document(io.BytesIO(content))

    def walk(container):
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        yield from walk(cell)
            else:
                yield block.text

    return [text for text in walk(document) if text.strip()]


def minutes_pdf(client, meeting):
    return client.get(reverse("meetings:meeting-minutes-pdf", args=[meeting.pk]))


def test_the_pdf_minutes_carry_the_meeting_in_the_official_layout(
    secretary_client, approved_meeting, tmp_path
):
    response = minutes_pdf(secretary_client, approved_meeting)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="bien-ban-{approved_meeting.pk}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = one_line(pdf_text(response.content))
    for expected in EXPECTED:
        assert expected in text, expected
    assert text.index("THƯ KÝ") < text.index("CHỦ TRÌ HỘI NGHỊ") < text.rindex("Dương Hữu Bường")
    assert text.index("nhất trí./.") < text.index("THƯ KÝ")
    # One font family, so no Vietnamese letter falls back to another font mid-word.
    assert pdf_fonts(response.content, tmp_path) == {"Tinos", "Tinos-Bold", "Tinos-Italic"}


def test_the_pdf_lists_guests_secretary_and_absent_members(
    secretary_client, meeting, members, buong
):
    ParticipantFactory(meeting=meeting, person=buong, role="chair")
    ParticipantFactory(
        meeting=meeting,
        person__full_name="Phạm Đức Toàn",
        role="guest",
        organization="Ban Thi đua - Khen thưởng Trung ương",
    )
    ParticipantFactory(meeting=meeting, person__full_name="Hà Thị Lan", role="secretary")
    AttendanceFactory(meeting=meeting, member=members["Na Rì"], representative="Nông Văn Nguyên")
    AttendanceFactory(meeting=meeting, member=members["Ba Bể"], present=False)
    ConclusionFactory(
        meeting=meeting,
        text="Chuẩn bị hội nghị sơ kết.",
        is_task=True,
        owner=members["Na Rì"].unit,
        due_on=datetime.date(2023, 6, 30),
    )
    text = one_line(pdf_text(minutes_pdf(secretary_client, meeting).content))
    for expected in [
        "- Đồng chí Phạm Đức Toàn (Ban Thi đua - Khen thưởng Trung ương);",
        "có mặt 1/3 đơn vị.",
        "- Huyện Na Rì: Nông Văn Nguyên;",
        "Vắng mặt: Huyện Ba Bể.",
        "Thư ký Hội nghị: Hà Thị Lan.",
        "1. Chuẩn bị hội nghị sơ kết. (Đơn vị thực hiện: Huyện Na Rì, thời hạn 30/06/2023)",
    ]:
        assert expected in text, expected
    assert text.rstrip().endswith("Hà Thị Lan Dương Hữu Bường")


def test_minutes_without_a_number_leave_it_blank(secretary_client, meeting):
    services.meeting_update(meeting=meeting, minutes_number=None)
    text = one_line(pdf_text(minutes_pdf(secretary_client, meeting).content))
    assert "Số: /" in text
    assert "Số: 05" not in text


def test_the_word_minutes_carry_the_same_text(secretary_client, approved_meeting):
    response = secretary_client.get(
        reverse("meetings:meeting-minutes-docx", args=[approved_meeting.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="bien-ban-{approved_meeting.pk}.docx"'
    )
    paragraphs = docx_text(response.content)
    text = one_line(" ".join(paragraphs))
    for expected in EXPECTED:
        assert expected in text, expected
    assert "Dương Hữu Bường" in paragraphs[-1:]
    assert paragraphs.index("THƯ KÝ") < paragraphs.index("CHỦ TRÌ HỘI NGHỊ")


def test_the_word_minutes_need_no_request(approved_meeting):
    paragraphs = docx_text(render_minutes_docx(meeting=approved_meeting))
    assert "BIÊN BẢN HỘI NGHỊ" in paragraphs
    assert TITLE in paragraphs


def test_the_calendar_file_puts_the_meeting_in_vietnamese_time(secretary_client, approved_meeting):
    from icalendar import Calendar

    response = secretary_client.get(reverse("meetings:meeting-ics", args=[approved_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hoi-nghi-{approved_meeting.pk}.ics"'
    )
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"{TITLE} — {CLUSTER}"
    starts = event.decoded("DTSTART")
    assert starts == datetime.datetime(2023, 2, 7, 14, 0, tzinfo=TZ)
    assert starts.astimezone(TZ).strftime("%d/%m/%Y %H:%M") == "07/02/2023 14:00"
    assert event.decoded("DTEND") == datetime.datetime(2023, 2, 7, 17, 0, tzinfo=TZ)
    assert str(event["LOCATION"]) == "Huyện Na Rì"
    url = f"http://testserver{approved_meeting.get_absolute_url()}"
    assert str(event["URL"]) == url
    assert str(event["UID"]) == f"meeting-{approved_meeting.pk}@thidua"
    assert str(event["DESCRIPTION"]).splitlines() == ["Tổng kết năm", CLUSTER, url]


def test_a_meeting_without_an_end_lasts_three_hours_in_the_calendar(secretary_client, meeting):
    from icalendar import Calendar

    services.meeting_update(meeting=meeting, ends_at=None, place="Thành phố Bắc Kạn")
    response = secretary_client.get(reverse("meetings:meeting-ics", args=[meeting.pk]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTEND") == datetime.datetime(2023, 2, 7, 17, 0, tzinfo=TZ)
    assert str(event["LOCATION"]) == "Thành phố Bắc Kạn, Huyện Na Rì"


# --- The document ---------------------------------------------------------------------------


def headings(document) -> list[str]:
    return [block.text for block in document.blocks if isinstance(block, Heading)]


def texts(blocks) -> list[str]:
    """Each block's words: a paragraph's text, a list's items as printed (with markers)."""
    lines = []
    for block in blocks:
        if isinstance(block, ListBlock):
            lines += [f"{block.marker_of(i)} {item}" for i, item in enumerate(block.items)]
        elif isinstance(block, Paragraph):
            lines.append(block.plain)
        elif isinstance(block, Heading):
            lines.append(block.text)
    return lines


def test_the_minutes_are_numbered_sections_with_the_approval_kept_for_the_signatures(
    approved_meeting,
):
    document = minutes_document(meeting=approved_meeting)

    assert document.title == "Biên bản hội nghị"
    assert document.subtitle == TITLE
    assert document.header.number_line == "Số: 05/BB-CTĐ"
    assert headings(document) == ["I. THÀNH PHẦN THAM DỰ", "II. KẾT LUẬN"]
    assert texts(document.blocks)[-2:] == [f"1. {CONCLUSIONS[0]}", f"2. {CONCLUSIONS[1]}"]
    assert texts(document.closing) == [
        "Hội nghị kết thúc vào hồi 17 giờ 00 phút cùng ngày. Biên bản đã được thông qua tại "
        "Hội nghị, các đại biểu dự Hội nghị nhất trí./."
    ]
    assert document.filename == f"bien-ban-{approved_meeting.pk}"


def test_the_chair_signs_with_the_position_and_the_secretary_by_full_name(meeting, buong, members):
    ParticipantFactory(meeting=meeting, person=buong, role="chair", position="")
    ParticipantFactory(
        meeting=meeting,
        person__full_name="Hà Thị Lan",
        person__position="Chuyên viên Văn phòng UBND huyện Na Rì",
        role="secretary",
    )

    document = minutes_document(meeting=meeting)

    secretary, chair = document.signatures
    assert (secretary.title, secretary.name) == ("Thư ký", "Hà Thị Lan")
    assert (chair.title, chair.unit, chair.name) == (
        "Chủ trì hội nghị",
        "Chủ tịch UBND Thành phố Bắc Kạn",
        "Dương Hữu Bường",
    )
    assert "Thư ký Hội nghị: Hà Thị Lan — Chuyên viên Văn phòng UBND huyện Na Rì." in texts(
        document.blocks
    )


def test_attendance_never_recorded_is_said_so_not_counted_as_nobody(meeting):
    assert texts(attendance_blocks(meeting)) == [NOT_RECORDED]
    assert NOT_RECORDED == "Chưa ghi nhận điểm danh các đơn vị thành viên."


def test_the_pdf_of_minutes_without_attendance_says_it_was_not_recorded(meeting):
    text = one_line(pdf_text(render_minutes_pdf(meeting=meeting)))

    assert "Chưa ghi nhận điểm danh các đơn vị thành viên." in text
    assert "có mặt 0/3" not in text


def test_attendance_lists_who_came_who_did_not_and_who_was_not_recorded(meeting, members):
    AttendanceFactory(
        meeting=meeting,
        member=members["Na Rì"],
        representative="Nông Văn Nguyên",
        representative_position="Chủ tịch UBND huyện",
    )
    AttendanceFactory(meeting=meeting, member=members["Ba Bể"], present=False)

    assert texts(attendance_blocks(meeting)) == [
        "Đại diện các đơn vị thành viên: có mặt 1/3 đơn vị.",
        "- Huyện Na Rì: Nông Văn Nguyên, Chủ tịch UBND huyện;",
        "Vắng mặt: Huyện Ba Bể.",
        "Chưa ghi nhận điểm danh: Huyện Pác Nặm.",
    ]


def test_a_section_with_nothing_recorded_prints_no_heading(meeting):
    document = minutes_document(meeting=meeting)

    assert headings(document) == ["I. THÀNH PHẦN THAM DỰ"]
    text = one_line(pdf_text(render_minutes_pdf(meeting=meeting)))
    assert "NỘI DUNG HỘI NGHỊ" not in text
    assert "KẾT LUẬN" not in text


def test_the_content_parts_are_numbered_in_order_without_gaps(meeting):
    services.meeting_update(meeting=meeting, discussion="Các đại biểu nhất trí.")
    ExemplarFactory(meeting=meeting, collective="Trường Tiểu học Na Rì")

    document = minutes_document(meeting=meeting)

    assert headings(document) == [
        "I. THÀNH PHẦN THAM DỰ",
        "II. NỘI DUNG HỘI NGHỊ",
        "1. Ý kiến thảo luận:",
        "2. Điển hình tiên tiến được giới thiệu tại Hội nghị:",
    ]


DISCUSSION = """Ý kiến của các đại biểu:

- Ý kiến một
* Ý kiến **hai**

## Đề xuất

Đề nghị tỉnh quan tâm."""


def test_the_discussion_prints_as_the_same_list_in_the_pdf_and_the_word_file(meeting):
    services.meeting_update(meeting=meeting, discussion=DISCUSSION)
    document = minutes_document(meeting=meeting)

    assert "1. Ý kiến thảo luận:" in headings(document)
    assert texts(document.blocks)[-5:] == [
        "Ý kiến của các đại biểu:",
        "- Ý kiến một",
        "- Ý kiến hai",
        "Đề xuất",
        "Đề nghị tỉnh quan tâm.",
    ]
    pdf = one_line(pdf_text(render_minutes_pdf(meeting=meeting)))
    word = docx_text(render_minutes_docx(meeting=meeting))
    assert "- Ý kiến một - Ý kiến hai Đề xuất" in pdf
    assert word[word.index("- Ý kiến một") :][:3] == ["- Ý kiến một", "- Ý kiến hai", "Đề xuất"]


def test_the_pdf_and_the_word_minutes_print_the_same_words(approved_meeting, members):
    services.meeting_update(meeting=approved_meeting, report=DISCUSSION, discussion=DISCUSSION)
    ParticipantFactory(meeting=approved_meeting, person__full_name="Hà Thị Lan", role="secretary")
    AgendaItemFactory(meeting=approved_meeting, title="Báo cáo tổng kết", presenter="Huyện Na Rì")
    ExemplarFactory(meeting=approved_meeting, collective="Trường Tiểu học Na Rì")

    assert_same_words(minutes_document(meeting=approved_meeting))


def test_without_a_recorded_secretary_the_cluster_year_s_secretary_signs(meeting, buong):
    ParticipantFactory(meeting=meeting, person=buong, role="chair", position="")
    # Accounts keep the whole Vietnamese name, family name first, in one field.
    clerk = UserFactory(username="thuky.nari", first_name="Nông Thị Hà")
    meeting.cluster_year.secretaries.add(clerk)

    document = minutes_document(meeting=meeting)

    secretary, _chair = document.signatures
    assert (secretary.title, secretary.name) == ("Thư ký", "Nông Thị Hà")
    assert "Thư ký Hội nghị: Nông Thị Hà." in texts(document.blocks)


def test_with_no_secretary_at_all_the_name_is_left_to_write_by_hand(meeting):
    secretary, _chair = minutes_document(meeting=meeting).signatures
    assert (secretary.title, secretary.name) == ("Thư ký", "")
