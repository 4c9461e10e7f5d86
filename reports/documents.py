"""The year-end report (báo cáo tổng kết) and the mid-year report (báo cáo sơ kết) of a
cluster year, each built once as a ``Document`` from the sections the apps register in
``clusters.reports`` and the texts staff write (``ReportText``).

The head unit issues the report on behalf of the cluster: the header names the cluster
over the head unit, the signature is "TM. CỤM THI ĐUA / CỤM TRƯỞNG". Official documents
are Vietnamese whatever the reader's language, so the text here is not translated.
"""

from __future__ import annotations

from django.utils import timezone

from clusters.documents import cluster_header, cluster_signature, file_stem, issuer_code
from clusters.models import ClusterYear
from clusters.reports import MID_YEAR, YEAR_END, report_sections
from clusters.selectors import leaders_in, member_list
from core.documents.markup import markdown_to_blocks
from core.documents.model import (
    Block,
    Document,
    DocumentHeader,
    Heading,
    Paragraph,
    Table,
    format_document_number,
)
from meetings.documents import ROMAN
from meetings.models import Meeting, Participant
from reports.models import ReportText
from reports.selectors import report_text_of

# From this many columns a table needs a landscape page (as the pledge and the ranking).
WIDE_FROM_COLUMNS = 9

SUBJECTS = {
    YEAR_END: "Tổng kết công tác thi đua, khen thưởng năm {year}",
    MID_YEAR: "Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm {year}",
}
FILE_PREFIXES = {YEAR_END: "bao-cao-tong-ket", MID_YEAR: "bao-cao-so-ket"}
REVIEW_MEETINGS = {YEAR_END: Meeting.Kind.YEAR_END, MID_YEAR: Meeting.Kind.MID_YEAR}


def _introduction(cluster_year: ClusterYear, kind: str) -> str:
    what = "năm" if kind == YEAR_END else "6 tháng đầu năm"
    return (
        f"{cluster_year.cluster.name} báo cáo kết quả công tác thi đua, khen thưởng {what} "
        f"{cluster_year.year} như sau:"
    )


def _tasks_title(cluster_year: ClusterYear, kind: str) -> str:
    if kind == YEAR_END:
        return f"PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {cluster_year.year + 1}"
    return f"NHIỆM VỤ 6 THÁNG CUỐI NĂM {cluster_year.year}"


def report_text(cluster_year: ClusterYear, kind: str) -> ReportText:
    """The year's texts for the report (unsaved and empty when none were written)."""
    text = report_text_of(cluster_year, kind)
    return text or ReportText(cluster_year=cluster_year, kind=kind)


def review_meeting(cluster_year: ClusterYear, kind: str) -> Meeting | None:
    """The review meeting the report is presented at (the last of its kind)."""
    return (
        Meeting.objects.filter(cluster_year=cluster_year, kind=REVIEW_MEETINGS[kind])
        .order_by("-starts_at", "-pk")
        .first()
    )


def _head_chair(meeting: Meeting | None, head) -> str:
    """The head unit's chair of the review meeting: who signs for the cluster."""
    if meeting is None or head is None:
        return ""
    chair = (
        Participant.objects.filter(meeting=meeting, role=Participant.Role.CHAIR, person__unit=head)
        .select_related("person")
        .order_by("order", "pk")
        .first()
    )
    return chair.person.full_name if chair else ""


def report_header(cluster_year: ClusterYear, head, *, date=None) -> DocumentHeader:
    """The cluster over its head unit (the issuer); without a head, the body over the
    cluster. The number is left blank to be given by the head unit's clerk."""
    cluster = cluster_year.cluster
    number = format_document_number(None, "BC", issuer_code(cluster))
    if head is None:
        return cluster_header(cluster, number=number, date=date)
    return DocumentHeader(
        parent_body=cluster.name,
        issuer=head.name,
        number=number,
        place=cluster.body.place,
        date=date,
    )


def _is_wide(blocks: list[Block]) -> bool:
    return any(
        isinstance(block, Table) and len(block.columns) >= WIDE_FROM_COLUMNS for block in blocks
    )


def report_document(*, cluster_year: ClusterYear, kind: str = YEAR_END) -> Document:
    """The report of ``kind`` (``YEAR_END`` or ``MID_YEAR``) of a cluster year.

    Sections in the registry's order, numbered I., II. …: the members and leaders, the
    pledge, the meetings, the ranking (year-end) and whatever later apps register; then
    the assessment and the tasks ahead written by staff. The date is that of the review
    meeting, if one is recorded. The same number of queries however many members.
    Reads ``cluster_year.cluster.body``, ``next_head`` and ``next_deputy``: select them.
    """
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown report kind {kind!r}.")
    cluster = cluster_year.cluster
    head, _deputy = leaders_in(member_list(cluster_year))
    meeting = review_meeting(cluster_year, kind)
    texts = report_text(cluster_year, kind)
    document = Document(
        header=report_header(
            cluster_year, head, date=timezone.localdate(meeting.starts_at) if meeting else None
        ),
        title="Báo cáo",
        subtitle=SUBJECTS[kind].format(year=cluster_year.year),
        signatures=[cluster_signature(cluster, head, name=_head_chair(meeting, head))],
        recipients=[
            f"Ban Thi đua - Khen thưởng ({cluster.body.name})",
            "Các đơn vị thành viên",
            "Lưu: VT",
        ],
        filename=f"{FILE_PREFIXES[kind]}-{cluster_year.year}-{file_stem(cluster.name, 60)}",
    )
    document.extend(
        markdown_to_blocks(texts.introduction) or [Paragraph(_introduction(cluster_year, kind))]
    )
    sections = [
        (section.title, section.blocks(cluster_year, period=kind))
        for section in report_sections.of_kind(kind)
    ]
    sections.append(("ĐÁNH GIÁ CHUNG", markdown_to_blocks(texts.assessment)))
    tasks = markdown_to_blocks(texts.next_tasks) or [
        Paragraph("Chưa xây dựng phương hướng, nhiệm vụ.")
    ]
    sections.append((_tasks_title(cluster_year, kind), tasks))
    kept = [(title, blocks) for title, blocks in sections if blocks]
    for index, (title, blocks) in enumerate(kept):
        document.add(Heading(f"{ROMAN[index]}. {title}"))
        document.extend(blocks)
    document.landscape = _is_wide(document.blocks)
    what = (
        "tổng kết công tác thi đua, khen thưởng năm"
        if kind == YEAR_END
        else ("sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm")
    )
    document.closing.append(
        Paragraph(f"Trên đây là báo cáo {what} {cluster_year.year} của {cluster.name}./.")
    )
    return document
