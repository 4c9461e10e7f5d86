"""The minutes of a meeting (biên bản hội nghị) as PDF and Word, in the official layout."""

from django.utils import timezone

from clusters.models import Cluster
from core.documents import (
    DocumentHeader,
    SignatureBlock,
    add_heading_line,
    add_paragraph,
    add_signatures,
    docx_bytes,
    format_document_number,
    new_docx,
    render_pdf,
)
from core.markup import markdown_blocks
from meetings.models import Meeting
from meetings.selectors import meeting_detail

ISSUER_CODES = {Cluster.Kind.CLUSTER: "CTĐ", Cluster.Kind.BLOC: "KTĐ"}


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


def minutes_data(meeting: Meeting) -> dict:
    """What both versions of the minutes print (the meeting page's eight queries)."""
    cluster = meeting.cluster_year.cluster
    detail = meeting_detail(meeting)
    number = (
        format_document_number(meeting.minutes_number, "BB", ISSUER_CODES[cluster.kind])
        if meeting.minutes_number
        else ""
    )
    chair = detail.chairs[0] if detail.chairs else None
    secretary = detail.secretaries[0] if detail.secretaries else None
    present = detail.present
    return {
        "meeting": meeting,
        "cluster": cluster,
        "detail": detail,
        "header": DocumentHeader.for_cluster(
            cluster, number=number, date=timezone.localdate(meeting.starts_at)
        ),
        "time_line": f"Vào hồi {_clock(meeting.starts_at)}, {_day(meeting.starts_at)}.",
        "place_line": place_line(meeting),
        "present_count": len(present),
        "member_count": len(detail.attendance),
        "end_line": (
            f"Hội nghị kết thúc vào hồi {_clock(meeting.ends_at)} cùng ngày."
            if meeting.ends_at
            else "Hội nghị kết thúc cùng ngày."
        ),
        "report_blocks": markdown_blocks(meeting.report),
        "discussion_blocks": markdown_blocks(meeting.discussion),
        "signatures": [
            SignatureBlock(title="Thư ký", name=secretary.person.full_name if secretary else ""),
            SignatureBlock(
                capacity="Chủ trì hội nghị", title="", name=chair.person.full_name if chair else ""
            ),
        ],
    }


def render_minutes_pdf(*, meeting: Meeting) -> bytes:
    return render_pdf("meetings/pdf/minutes.html", minutes_data(meeting))


def render_minutes_docx(*, meeting: Meeting) -> bytes:
    data = minutes_data(meeting)
    detail = data["detail"]
    doc = new_docx(header=data["header"], title="Biên bản hội nghị", subtitle=meeting.title)
    add_paragraph(doc, f"Thời gian: {data['time_line']}")
    if data["place_line"]:
        add_paragraph(doc, f"Địa điểm: {data['place_line']}.")
    add_heading_line(doc, "I. THÀNH PHẦN THAM DỰ")
    if detail.chairs:
        add_paragraph(doc, "Chủ trì Hội nghị:")
        for participant in detail.chairs:
            add_paragraph(doc, f"- Đồng chí {participant.label};")
    if detail.guests:
        add_paragraph(doc, "Đại biểu khách mời:")
        for participant in detail.guests:
            where = f" ({participant.organization})" if participant.organization else ""
            add_paragraph(doc, f"- Đồng chí {participant.label}{where};")
    add_paragraph(
        doc,
        f"Đại diện các đơn vị thành viên: có mặt {data['present_count']}/"
        f"{data['member_count']} đơn vị.",
    )
    for member, record in detail.present:
        who = f": {record.representative}" if record.representative else ""
        position = f", {record.representative_position}" if record.representative_position else ""
        add_paragraph(doc, f"- {member.unit.name}{who}{position};")
    if detail.absent:
        names = ", ".join(member.unit.name for member, _record in detail.absent)
        add_paragraph(doc, f"Vắng mặt: {names}.")
    if detail.invited_exemplars:
        add_paragraph(doc, "Các điển hình tiên tiến được mời dự Hội nghị:")
        for participant in detail.invited_exemplars:
            add_paragraph(doc, f"- {participant.label};")
    if detail.secretaries:
        add_paragraph(doc, f"Thư ký Hội nghị: {detail.secretaries[0].label}.")
    add_heading_line(doc, "II. NỘI DUNG HỘI NGHỊ")
    if detail.agenda:
        add_paragraph(doc, "1. Chương trình Hội nghị:")
        for item in detail.agenda:
            by = f" ({item.presenter})" if item.presenter else ""
            add_paragraph(doc, f"- {item.title}{by};")
    for label, blocks in (
        ("2. Báo cáo tại Hội nghị:", data["report_blocks"]),
        ("3. Ý kiến thảo luận:", data["discussion_blocks"]),
    ):
        if blocks:
            add_paragraph(doc, label)
            for _kind, text in blocks:
                add_paragraph(doc, text)
    if detail.exemplars:
        add_paragraph(doc, "4. Điển hình tiên tiến được giới thiệu tại Hội nghị:")
        for exemplar in detail.exemplars:
            add_paragraph(doc, f"- {exemplar.name}: {exemplar.achievement}")
    add_heading_line(doc, "III. KẾT LUẬN")
    for index, conclusion in enumerate(detail.conclusions, start=1):
        task = ""
        if conclusion.is_task and conclusion.owner:
            due = (
                f", thời hạn {conclusion.due_on.strftime('%d/%m/%Y')}" if conclusion.due_on else ""
            )
            task = f" (Đơn vị thực hiện: {conclusion.owner.name}{due})"
        add_paragraph(doc, f"{index}. {conclusion.text}{task}")
    add_paragraph(
        doc,
        f"{data['end_line']} Biên bản đã được thông qua tại Hội nghị, các đại biểu dự Hội nghị "
        "nhất trí./.",
    )
    add_signatures(doc, data["signatures"])
    return docx_bytes(doc)
