"""The minutes of a meeting (biên bản hội nghị), and the sections other documents reuse.

``minutes_document`` builds the minutes once as a ``Document``; the one PDF and the one
Word renderer print it. ``attendance_blocks`` (who represented each member unit) is
reused by the reports. A section with nothing recorded is left out, heading and all,
and the remaining sections are numbered in order.
"""

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone

from clusters.documents import cluster_header, file_stem, issuer_code
from core.documents import render_docx, render_pdf
from core.documents.markup import markdown_to_blocks
from core.documents.model import (
    Block,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    SignatureBlock,
    format_document_number,
)
from meetings.models import Conclusion, Meeting, Participant
from meetings.selectors import MeetingDetail, meeting_detail

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
NOT_RECORDED = "Chưa ghi nhận điểm danh các đơn vị thành viên."
APPROVAL = "Biên bản đã được thông qua tại Hội nghị, các đại biểu dự Hội nghị nhất trí./."


def _clock(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút"


def _day(moment) -> str:
    local = timezone.localtime(moment)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    return f"ngày {local.day:02d} tháng {month} năm {local.year}"


def place_line(meeting: Meeting) -> str:
    """The place, and the host unit when the place does not already name it."""
    parts = [meeting.place] if meeting.place else []
    if meeting.host and meeting.host.name.lower() not in meeting.place.lower():
        parts.append(meeting.host.name)
    return ", ".join(parts)


def numbered_sections(sections: list[tuple[str, list[Block]]], numerals=ROMAN) -> list[Block]:
    """``(title, blocks)`` sections with a heading each, numbered "I.", "II." … in order.

    A section without blocks is dropped with its heading, and takes no number.
    """
    blocks: list[Block] = []
    kept = [(title, body) for title, body in sections if body]
    for index, (title, body) in enumerate(kept):
        blocks.append(Heading(f"{numerals[index]}. {title}" if numerals else title))
        blocks.extend(body)
    return blocks


def _numbered_parts(parts: list[tuple[str, list[Block]]]) -> list[Block]:
    """Sub-sections "1. …:", "2. …:" of a section; empty ones dropped, numbers in order."""
    blocks: list[Block] = []
    kept = [(title, body) for title, body in parts if body]
    for index, (title, body) in enumerate(kept, start=1):
        blocks.append(Heading(f"{index}. {title}:", level=2))
        blocks.extend(body)
    return blocks


def _labelled_list(label: str, items: list[str]) -> list[Block]:
    if not items:
        return []
    return [Paragraph(label), ListBlock(items)]


def attendance_blocks(meeting: Meeting, *, detail: MeetingDetail | None = None) -> list[Block]:
    """The member units at the meeting: how many came, who represented each, who was away.

    When no attendance was recorded the minutes say so rather than "0/10". Reads
    ``meeting_detail(meeting)`` (eight queries) unless ``detail`` is given.
    """
    detail = detail or meeting_detail(meeting)
    recorded = [(member, record) for member, record in detail.attendance if record is not None]
    if not recorded:
        return [Paragraph(NOT_RECORDED)]
    blocks: list[Block] = [
        Paragraph(
            f"Đại diện các đơn vị thành viên: có mặt {len(detail.present)}/"
            f"{len(detail.attendance)} đơn vị."
        )
    ]
    present = []
    for member, record in detail.present:
        who = f": {record.representative}" if record.representative else ""
        position = f", {record.representative_position}" if record.representative_position else ""
        present.append(f"{member.unit.name}{who}{position};")
    if present:
        blocks.append(ListBlock(present))
    if detail.absent:
        names = ", ".join(member.unit.name for member, _record in detail.absent)
        blocks.append(Paragraph(f"Vắng mặt: {names}."))
    unknown = [member for member, record in detail.attendance if record is None]
    if unknown:
        names = ", ".join(member.unit.name for member in unknown)
        blocks.append(Paragraph(f"Chưa ghi nhận điểm danh: {names}."))
    return blocks


def secretary_name(meeting: Meeting, detail: MeetingDetail) -> str:
    """Who took the minutes: the secretary recorded at the meeting, else the cluster
    year's secretary (the account that keeps the year's records), else nobody."""
    if detail.secretaries:
        return detail.secretaries[0].person.full_name
    for user in meeting.cluster_year.secretaries.order_by("pk"):
        if user.get_full_name():
            return user.get_full_name()
    return ""


def _participants_blocks(meeting: Meeting, detail: MeetingDetail, secretary: str) -> list[Block]:
    blocks = _labelled_list("Chủ trì Hội nghị:", [f"Đồng chí {p.label};" for p in detail.chairs])
    blocks += _labelled_list(
        "Đại biểu khách mời:",
        [
            f"Đồng chí {p.label}{f' ({p.organization})' if p.organization else ''};"
            for p in detail.guests
        ],
    )
    blocks += attendance_blocks(meeting, detail=detail)
    blocks += _labelled_list(
        "Các điển hình tiên tiến được mời dự Hội nghị:",
        [f"{p.label};" for p in detail.invited_exemplars],
    )
    if detail.secretaries:
        blocks.append(Paragraph(f"Thư ký Hội nghị: {detail.secretaries[0].label}."))
    elif secretary:
        blocks.append(Paragraph(f"Thư ký Hội nghị: {secretary}."))
    return blocks


def _content_blocks(meeting: Meeting, detail: MeetingDetail) -> list[Block]:
    agenda = [
        f"{item.title}{f' ({item.presenter})' if item.presenter else ''};" for item in detail.agenda
    ]
    return _numbered_parts(
        [
            ("Chương trình Hội nghị", [ListBlock(agenda)] if agenda else []),
            ("Báo cáo tại Hội nghị", markdown_to_blocks(meeting.report, heading_level=3)),
            ("Ý kiến thảo luận", markdown_to_blocks(meeting.discussion, heading_level=3)),
            (
                "Điển hình tiên tiến được giới thiệu tại Hội nghị",
                [ListBlock([f"{e.name}: {e.achievement}" for e in detail.exemplars])]
                if detail.exemplars
                else [],
            ),
        ]
    )


def _conclusion_blocks(detail: MeetingDetail) -> list[Block]:
    items = []
    for conclusion in detail.conclusions:
        task = ""
        if conclusion.is_task and conclusion.owner:
            due = f", thời hạn {conclusion.due_on:%d/%m/%Y}" if conclusion.due_on else ""
            task = f" (Đơn vị thực hiện: {conclusion.owner.name}{due})"
        items.append(f"{conclusion.text}{task}")
    return [ListBlock(items, ordered=True)] if items else []


def minutes_signatures(detail: MeetingDetail, *, secretary: str = "") -> list[SignatureBlock]:
    """The secretary, then the (first) chair with the position held at the meeting.

    Names not on record are left blank, to be written by hand.
    """
    chair = detail.chairs[0] if detail.chairs else None
    return [
        SignatureBlock(title="Thư ký", name=secretary),
        SignatureBlock(
            title="Chủ trì hội nghị",
            # Positions run long ("Tỉnh ủy viên, Phó Bí thư Thành ủy, Chủ tịch UBND …"):
            # under the title, not in capitals.
            unit=(chair.position or chair.person.position) if chair else "",
            name=chair.person.full_name if chair else "",
        ),
    ]


def minutes_document(*, meeting: Meeting) -> Document:
    """The minutes: time and place, who attended, what was presented and said, the
    conclusions, then the approval with the secretary's and the chair's signatures.

    The meeting page's eight queries; reads ``meeting.cluster_year.cluster.body`` and
    ``meeting.host``: select them.
    """
    cluster = meeting.cluster_year.cluster
    detail = meeting_detail(meeting)
    secretary = secretary_name(meeting, detail)
    number = (
        format_document_number(meeting.minutes_number, "BB", issuer_code(cluster))
        if meeting.minutes_number
        else ""
    )
    document = Document(
        header=cluster_header(cluster, number=number, date=timezone.localdate(meeting.starts_at)),
        title="Biên bản hội nghị",
        subtitle=meeting.title,
        signatures=minutes_signatures(detail, secretary=secretary),
        filename=f"bien-ban-{meeting.pk}",
    )
    document.add(
        Paragraph(f"Thời gian: Vào hồi {_clock(meeting.starts_at)}, {_day(meeting.starts_at)}.")
    )
    place = place_line(meeting)
    if place:
        document.add(Paragraph(f"Địa điểm: {place}."))
    document.extend(
        numbered_sections(
            [
                ("THÀNH PHẦN THAM DỰ", _participants_blocks(meeting, detail, secretary)),
                ("NỘI DUNG HỘI NGHỊ", _content_blocks(meeting, detail)),
                ("KẾT LUẬN", _conclusion_blocks(detail)),
            ]
        )
    )
    end = (
        f"Hội nghị kết thúc vào hồi {_clock(meeting.ends_at)} cùng ngày."
        if meeting.ends_at
        else "Hội nghị kết thúc cùng ngày."
    )
    document.closing.append(Paragraph(f"{end} {APPROVAL}"))
    return document


def render_minutes_pdf(*, meeting: Meeting) -> bytes:
    return render_pdf(minutes_document(meeting=meeting))


def render_minutes_docx(*, meeting: Meeting) -> bytes:
    return render_docx(minutes_document(meeting=meeting))


# --- The year's documents -----------------------------------------------------------------


def year_minutes_documents(cluster_year) -> Iterator[tuple[str, Document]]:
    """The minutes of every meeting of the year, in date order."""
    meetings = (
        Meeting.objects.filter(cluster_year=cluster_year)
        .select_related("host")
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        meeting.cluster_year = cluster_year
        stem = f"{timezone.localdate(meeting.starts_at):%Y-%m-%d}-{file_stem(meeting.title, 50)}"
        yield stem, minutes_document(meeting=meeting)


# --- The section of the reports ---------------------------------------------------------

NO_MEETINGS = "Chưa có hội nghị nào được tổ chức trong năm."


def _chair_line(participant) -> str:
    position = participant.position or participant.person.position
    return f"đồng chí {participant.person.full_name}{f', {position}' if position else ''}"


def report_meeting_blocks(cluster_year, *, period: str = "year-end") -> list[Block]:
    """The meetings held in the year (in the mid-year report, those before the year-end
    review): date, place, who chaired, the main conclusions.

    Three queries however many meetings and members (meetings, chairs, conclusions).
    """
    meetings = Meeting.objects.filter(cluster_year=cluster_year).exclude(
        status=Meeting.Status.PLANNED
    )
    if period == "mid-year":
        meetings = meetings.exclude(kind=Meeting.Kind.YEAR_END)
    meetings = list(
        meetings.select_related("host")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(role=Participant.Role.CHAIR)
                .select_related("person")
                .order_by("order", "pk"),
                to_attr="chairs",
            ),
            Prefetch(
                "conclusions", queryset=Conclusion.objects.order_by("order", "pk"), to_attr="listed"
            ),
        )
        .order_by("starts_at", "pk")
    )
    if not meetings:
        return [Paragraph(NO_MEETINGS)]
    blocks: list[Block] = []
    for index, meeting in enumerate(meetings, start=1):
        blocks.append(Heading(f"{index}. {meeting.title}", level=2))
        day = timezone.localdate(meeting.starts_at)
        place = place_line(meeting)
        blocks.append(
            Paragraph(f"Thời gian: ngày {day:%d/%m/%Y}{f'; địa điểm: {place}' if place else ''}.")
        )
        if meeting.chairs:
            chairs = "; ".join(_chair_line(p) for p in meeting.chairs)
            blocks.append(Paragraph(f"Chủ trì: {chairs}."))
        if meeting.listed:
            blocks.append(Paragraph("Kết luận chính:"))
            blocks.append(ListBlock([c.text for c in meeting.listed]))
    return blocks
