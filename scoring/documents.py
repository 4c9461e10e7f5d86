"""The printed score summary (BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA): PDF and Word.

Official documents are Vietnamese whatever the interface language, so the notes and the
tie rule are worded here in Vietnamese rather than through the message catalog.
"""

from dataclasses import dataclass

from django.utils import formats, timezone, translation

from clusters.models import Cluster, ClusterMember
from core.documents import (
    DocumentHeader,
    SignatureBlock,
    add_paragraph,
    add_signatures,
    add_table,
    docx_bytes,
    new_docx,
    render_pdf,
)
from core.text import format_decimal
from scoring.models import CriteriaSheet, TieRule
from scoring.ranking import NoteKind, Ranking, RankNote, VetoFailure
from scoring.selectors import ranking_of, score_grid

WIDE_FROM_COLUMNS = 9

TIE_RULES_VI = {
    TieRule.FIRST_GROUP_THEN_DEDUCTIONS: (
        "đơn vị có tổng điểm nhóm tiêu chí thứ nhất cao hơn được xếp trên; nếu vẫn bằng "
        "nhau, đơn vị bị trừ ít điểm hơn được xếp trên"
    ),
    TieRule.DEDUCTIONS_THEN_FIRST_GROUP: (
        "đơn vị bị trừ ít điểm hơn được xếp trên; nếu vẫn bằng nhau, đơn vị có tổng điểm "
        "nhóm tiêu chí thứ nhất cao hơn được xếp trên"
    ),
    TieRule.GROUPS_IN_ORDER: (
        "lần lượt so sánh tổng điểm từng nhóm tiêu chí theo thứ tự của bảng chấm điểm, "
        "nhóm đầu tiên có điểm khác nhau quyết định thứ hạng"
    ),
}


def _points(value) -> str:
    if value is None:
        return ""
    with translation.override("vi"):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _maximum(value) -> str:
    """A sheet's maximum as written in its rules: 50, 7,5 (no trailing zeros)."""
    with translation.override("vi"):
        return format_decimal(value)


def note_vi(note: RankNote) -> str:
    names = ", ".join(note.others)
    if note.kind == NoteKind.GROUP:
        return (
            f"Xếp trên {names} nhờ điểm nhóm {note.group.numeral} cao hơn "
            f"({_points(note.mine)} so với {_points(note.theirs)})."
        )
    if note.kind == NoteKind.DEDUCTIONS:
        return (
            f"Xếp trên {names} nhờ bị trừ ít điểm hơn "
            f"({_points(note.mine)} so với {_points(note.theirs)})."
        )
    if note.kind == NoteKind.VETO:
        return f"Xếp trên {names} (không đạt tiêu chí loại trừ xếp thứ nhất)."
    return f"Bằng điểm với {names}: đồng hạng {note.rank}."


def veto_vi(failure: VetoFailure) -> str:
    return (
        f"Không được xếp thứ nhất: đạt {_points(failure.counted or 0)}/"
        f"{_points(failure.criterion.max_points)} điểm tiêu chí “{failure.criterion.name}”."
    )


@dataclass
class DocumentRow:
    number: int
    unit: str
    groups: list[str]
    bonus: str
    deductions: str
    total: str
    rank: str
    notes: list[str]


def _signatures(cluster: Cluster, members: list) -> list[SignatureBlock]:
    is_bloc = cluster.kind == Cluster.Kind.BLOC
    head = next((m.unit for m in members if m.role == ClusterMember.Role.HEAD), None)
    return [
        SignatureBlock(title="Người lập biểu"),
        SignatureBlock(
            capacity="TM. Khối thi đua" if is_bloc else "TM. Cụm thi đua",
            title="Khối trưởng" if is_bloc else "Cụm trưởng",
            unit=head.name if head else "",
        ),
    ]


def results_document_data(sheet: CriteriaSheet) -> dict:
    """Everything both documents print (three queries)."""
    cluster_year = sheet.cluster_year
    cluster = cluster_year.cluster
    grid = score_grid(sheet)
    ranking: Ranking = ranking_of(sheet, grid)
    rows = [
        DocumentRow(
            number=index,
            unit=standing.unit.name,
            groups=[_points(value) for value in standing.group_points],
            bonus=_points(standing.bonus),
            deductions=_points(standing.deductions),
            total=_points(standing.total),
            rank=str(standing.rank) if standing.rank else "",
            notes=[veto_vi(f) for f in standing.veto_failures]
            + [note_vi(n) for n in standing.notes],
        )
        for index, standing in enumerate(ranking.standings, start=1)
    ]
    meeting = sheet.approved_meeting if sheet.is_approved else None
    meeting_day = timezone.localtime(meeting.starts_at).date() if meeting else None
    if meeting is not None:
        subtitle = f"(Đã được Hội nghị tổng kết ngày {meeting_day:%d/%m/%Y} thông qua)"
    else:
        subtitle = "(Dự thảo, chưa được Hội nghị thông qua)"
    columns = 5 + len(ranking.groups) + ranking.has_bonus + ranking.has_deductions
    data = {
        "sheet": sheet,
        "cluster": cluster,
        "year": cluster_year.year,
        "header": DocumentHeader.for_cluster(cluster, date=meeting_day),
        "title": f"Bảng tổng hợp kết quả chấm điểm thi đua năm {cluster_year.year}",
        "subtitle": subtitle,
        "ranking": ranking,
        "groups": [
            {"numeral": g.numeral, "name": g.name, "max": _maximum(g.max_points)}
            for g in ranking.groups
        ],
        "rows": rows,
        "max_total": _maximum(ranking.max_total),
        "bonus_cap": _maximum(sheet.bonus_cap),
        "deduction_cap": _maximum(sheet.deduction_cap),
        "tie_rule": TIE_RULES_VI[sheet.tie_rule],
        "incomplete": not ranking.is_complete,
        "signatures": _signatures(cluster, grid.members),
        "recipients": [
            "Các đơn vị thành viên",
            "Ban Thi đua - Khen thưởng",
            "Lưu: VT",
        ],
        "landscape": columns >= WIDE_FROM_COLUMNS,
    }
    data["legend"] = _legend(data)
    return data


def render_results_pdf(*, sheet: CriteriaSheet) -> bytes:
    return render_pdf("scoring/pdf/results.html", results_document_data(sheet))


def _legend(data: dict) -> list[str]:
    """The notes under the table: what the groups are, the caps, the tie rule."""
    groups = "; ".join(
        f"Nhóm {g['numeral']}: {g['name'] or 'các tiêu chí'} (tối đa {g['max']} điểm)"
        for g in data["groups"]
    )
    lines = [f"{groups}."] if groups else []
    ranking, caps = data["ranking"], []
    if ranking.has_bonus:
        caps.append(f"điểm thưởng tính tối đa {data['bonus_cap']} điểm")
    if ranking.has_deductions:
        caps.append(f"điểm trừ tính tối đa {data['deduction_cap']} điểm")
    if caps:
        text = "; ".join(caps)
        lines.append(f"{text[0].upper()}{text[1:]}.")
    lines.append(f"Trường hợp bằng điểm: {data['tie_rule']}; nếu vẫn bằng nhau thì đồng hạng.")
    return lines


def render_results_docx(*, sheet: CriteriaSheet) -> bytes:
    data = results_document_data(sheet)
    ranking = data["ranking"]
    doc = new_docx(
        header=data["header"],
        title=data["title"],
        subtitle=data["subtitle"],
        landscape=data["landscape"],
    )
    add_paragraph(
        doc,
        f"Kết quả chấm điểm thi đua năm {data['year']} của các đơn vị thành viên "
        f"{data['cluster'].name} theo {sheet.name} (tổng điểm tối đa {data['max_total']} "
        f"điểm) như sau:",
    )
    headers = ["STT", "Đơn vị"]
    headers += [f"Nhóm {g['numeral']} ({g['max']})" for g in data["groups"]]
    if ranking.has_bonus:
        headers.append("Điểm thưởng")
    if ranking.has_deductions:
        headers.append("Điểm trừ")
    headers += ["Tổng điểm", "Xếp hạng", "Ghi chú"]
    table_rows = []
    for row in data["rows"]:
        cells = [str(row.number), row.unit, *row.groups]
        if ranking.has_bonus:
            cells.append(row.bonus)
        if ranking.has_deductions:
            cells.append(row.deductions)
        cells += [row.total, row.rank, " ".join(row.notes)]
        table_rows.append(cells)
    numeric = set(range(2, len(headers) - 1))
    add_table(doc, headers, table_rows, numeric_columns=numeric)
    for line in data["legend"]:
        add_paragraph(doc, line, italic=True)
    if data["incomplete"]:
        add_paragraph(doc, "Còn tiêu chí chưa được chấm điểm; điểm còn thiếu tính bằng 0.")
    add_signatures(doc, data["signatures"], recipients=data["recipients"])
    return docx_bytes(doc)
