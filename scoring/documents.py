"""The printed score summary (BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA), and the ranking
table other documents reuse.

``results_document`` builds the summary once as a ``Document``; the one PDF and the one
Word renderer print it. Official documents are Vietnamese whatever the interface
language, so the notes and the tie rule are worded here in Vietnamese rather than
through the message catalog.
"""

from collections.abc import Iterator

from django.utils import formats, timezone, translation

from clusters.documents import cluster_header, cluster_signature
from clusters.selectors import leaders_in
from core.documents import render_docx, render_pdf
from core.documents.model import (
    Block,
    Chart,
    Column,
    Document,
    Note,
    Paragraph,
    Row,
    SignatureBlock,
    Table,
)
from core.text import format_decimal
from meetings.models import Attendance
from scoring.charts import groups_chart, rank_chart, totals_chart
from scoring.models import CriteriaSheet, TieRule
from scoring.rank_history import rank_history
from scoring.ranking import NoteKind, Ranking, RankNote, VetoFailure
from scoring.selectors import ranking_of, score_grid, sheet_of_year

# From this many columns the table needs a landscape page.
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
INCOMPLETE = "Còn tiêu chí chưa được chấm điểm; điểm còn thiếu tính bằng 0."
TOTALS_TITLE = "Tổng điểm thi đua năm {year} của các đơn vị thành viên, theo thứ hạng"
GROUPS_TITLE = "Điểm theo từng nhóm tiêu chí năm {year} của các đơn vị thành viên"
RANKS_TITLE = "Thứ hạng của các đơn vị thành viên từ năm {first} đến năm {last}"
FEW_YEARS = (
    "Chưa đủ hai năm có kết quả xếp hạng được Hội nghị thông qua để so sánh thứ hạng qua các năm."
)
RECIPIENTS = ["Các đơn vị thành viên", "Ban Thi đua - Khen thưởng", "Lưu: VT"]


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


def ranking_columns(ranking: Ranking) -> list[Column]:
    """STT, the unit, one column per group with its maximum, bonus and deductions when
    the sheet has them, total, rank, notes; relative widths to match."""
    columns = [Column("STT", width=5, align="center"), Column("Đơn vị", width=18)]
    columns += [
        Column(f"Nhóm {g.numeral} ({_maximum(g.max_points)})", width=7, align="right")
        for g in ranking.groups
    ]
    if ranking.has_bonus:
        columns.append(Column("Điểm thưởng", width=7, align="right"))
    if ranking.has_deductions:
        columns.append(Column("Điểm trừ", width=7, align="right"))
    columns += [
        Column("Tổng điểm", width=8, align="right"),
        Column("Xếp hạng", width=7, align="center"),
        Column("Ghi chú", width=22),
    ]
    return columns


def ranking_legend(sheet: CriteriaSheet, ranking: Ranking) -> list[str]:
    """The notes under the table: what the groups are, the caps, the tie rule."""
    groups = "; ".join(
        f"Nhóm {g.numeral}: {g.name or 'các tiêu chí'} (tối đa {_maximum(g.max_points)} điểm)"
        for g in ranking.groups
    )
    lines = [f"{groups}."] if groups else []
    caps = []
    if ranking.has_bonus:
        caps.append(f"điểm thưởng tính tối đa {_maximum(sheet.bonus_cap)} điểm")
    if ranking.has_deductions:
        caps.append(f"điểm trừ tính tối đa {_maximum(sheet.deduction_cap)} điểm")
    if caps:
        text = "; ".join(caps)
        lines.append(f"{text[0].upper()}{text[1:]}.")
    lines.append(
        f"Trường hợp bằng điểm: {TIE_RULES_VI[sheet.tie_rule]}; nếu vẫn bằng nhau thì đồng hạng."
    )
    return lines


def ranking_table_blocks(
    sheet: CriteriaSheet, *, ranking: Ranking | None = None, legend: bool = True
) -> list[Block]:
    """The ranking: every member's points per group, bonus, deductions, total, rank and
    the reasons of its place; then the legend (groups, caps, tie rule) as notes.

    Three queries unless ``ranking`` (``ranking_of(sheet)``) is given.
    """
    ranking = ranking or ranking_of(sheet)
    rows = []
    for index, standing in enumerate(ranking.standings, start=1):
        cells = [str(index), standing.unit.name]
        cells += [_points(value) for value in standing.group_points]
        if ranking.has_bonus:
            cells.append(_points(standing.bonus))
        if ranking.has_deductions:
            cells.append(_points(standing.deductions))
        notes = [veto_vi(f) for f in standing.veto_failures] + [note_vi(n) for n in standing.notes]
        cells += [_points(standing.total), str(standing.rank or ""), " ".join(notes)]
        rows.append(Row(cells))
    blocks: list[Block] = [Table(ranking_columns(ranking), rows)]
    if legend:
        blocks += [Note(line) for line in ranking_legend(sheet, ranking)]
    if not ranking.is_complete:
        blocks.append(Paragraph(INCOMPLETE))
    return blocks


def ranking_chart_blocks(ranking: Ranking, *, year: int) -> list[Block]:
    """The total points in rank order and the points by criteria group, as charts (no
    query; none without standings)."""
    if not ranking.standings:
        return []
    totals, groups = TOTALS_TITLE.format(year=year), GROUPS_TITLE.format(year=year)
    with translation.override("vi"):
        return [
            Chart(totals, totals_chart(ranking, description=totals)),
            Chart(groups, groups_chart(ranking, description=groups)),
        ]


def rank_history_blocks(cluster_year, ranking: Ranking | None) -> list[Block]:
    """The members' ranks over the years as a chart, or one sentence with fewer than two
    years of approved rankings (three queries, see ``rank_history``)."""
    history = rank_history(cluster_year, ranking)
    if not history.is_enough:
        return [Paragraph(FEW_YEARS)]
    title = RANKS_TITLE.format(first=history.years[0], last=history.years[-1])
    with translation.override("vi"):
        return [Chart(title, rank_chart(history, description=title))]


def _head_representative(sheet: CriteriaSheet, head) -> str:
    """Who represented the head unit at the meeting that approved the results (one
    query), or "" when the results are not approved or nobody was recorded."""
    if head is None or not sheet.is_approved or not sheet.approved_meeting_id:
        return ""
    record = (
        Attendance.objects.filter(
            meeting_id=sheet.approved_meeting_id, member__unit=head, present=True
        )
        .exclude(representative="")
        .first()
    )
    return record.representative if record else ""


def results_signatures(sheet: CriteriaSheet, members: list) -> list[SignatureBlock]:
    """The compiler, and the cluster through its head unit's representative where known."""
    head, _deputy = leaders_in(members)
    cluster = sheet.cluster_year.cluster
    return [
        SignatureBlock(title="Người lập biểu"),
        cluster_signature(cluster, head, name=_head_representative(sheet, head)),
    ]


def results_document(*, sheet: CriteriaSheet) -> Document:
    """The summary of the scores: one row per member in rank order, the legend, the
    signatures and the recipients.

    Three queries (criteria, members, scores), plus one for the head unit's
    representative once the results are approved. Reads ``sheet.cluster_year.cluster
    .body`` and ``sheet.approved_meeting``: select them.
    """
    cluster_year = sheet.cluster_year
    cluster = cluster_year.cluster
    grid = score_grid(sheet)
    ranking = ranking_of(sheet, grid)
    meeting = sheet.approved_meeting if sheet.is_approved else None
    meeting_day = timezone.localtime(meeting.starts_at).date() if meeting else None
    if meeting is not None:
        subtitle = f"(Đã được Hội nghị tổng kết ngày {meeting_day:%d/%m/%Y} thông qua)"
    else:
        subtitle = "(Dự thảo, chưa được Hội nghị thông qua)"
    columns = ranking_columns(ranking)
    document = Document(
        header=cluster_header(cluster, date=meeting_day),
        title=f"Bảng tổng hợp kết quả chấm điểm thi đua năm {cluster_year.year}",
        subtitle=subtitle,
        signatures=results_signatures(sheet, grid.members),
        recipients=list(RECIPIENTS),
        landscape=len(columns) >= WIDE_FROM_COLUMNS,
        filename=f"ket-qua-cham-diem-{cluster_year.year}-{sheet.pk}",
    )
    document.add(
        Paragraph(
            f"Kết quả chấm điểm thi đua năm {cluster_year.year} của các đơn vị thành viên "
            f"{cluster.name} theo {sheet.name} (tổng điểm tối đa {_maximum(ranking.max_total)} "
            f"điểm) như sau:"
        )
    )
    document.extend(ranking_table_blocks(sheet, ranking=ranking))
    if sheet.is_locked:  # before the first score, bars of zeros would say nothing
        document.extend(ranking_chart_blocks(ranking, year=cluster_year.year))
    return document


def render_results_pdf(*, sheet: CriteriaSheet) -> bytes:
    return render_pdf(results_document(sheet=sheet))


def render_results_docx(*, sheet: CriteriaSheet) -> bytes:
    return render_docx(results_document(sheet=sheet))


# --- The year's documents -----------------------------------------------------------------


def year_results_documents(cluster_year) -> Iterator[tuple[str, Document]]:
    """The year's score summary, if the year has a criteria sheet."""
    sheet = sheet_of_year(cluster_year)
    if sheet is not None:
        yield "ket-qua-cham-diem-thi-dua", results_document(sheet=sheet)


# --- The section of the reports ---------------------------------------------------------

NO_RESULTS = "Chưa có kết quả chấm điểm."


def report_ranking_blocks(cluster_year, *, period: str = "year-end") -> list[Block]:
    """The year's ranking for the year-end report, or one sentence when there is none.

    Then the charts of the totals, of the groups and of the ranks over the years.
    Six queries (criteria, members, scores; the same for the earlier years) however many
    members and years; the draft is marked as such until the year-end meeting approves it.
    """
    sheet = sheet_of_year(cluster_year)
    if sheet is None or not sheet.is_locked:
        return [Paragraph(NO_RESULTS)]
    ranking = ranking_of(sheet)
    if not ranking.standings:
        return [Paragraph(NO_RESULTS)]
    status = (
        "đã được Hội nghị tổng kết thông qua"
        if sheet.is_approved
        else "dự thảo, chưa được Hội nghị thông qua"
    )
    blocks: list[Block] = [
        Paragraph(
            f"Kết quả chấm điểm, xếp hạng theo {sheet.name} (tổng điểm tối đa "
            f"{_maximum(ranking.max_total)} điểm; {status}):"
        )
    ]
    blocks += ranking_table_blocks(sheet, ranking=ranking)
    blocks += ranking_chart_blocks(ranking, year=cluster_year.year)
    return blocks + rank_history_blocks(cluster_year, ranking)
