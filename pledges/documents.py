"""The pledge printed for signing, and the pledge's sections other documents reuse.

``pledge_document`` builds the pledge once as a ``Document``; the one PDF and the one
Word renderer print it. ``target_table_blocks`` (the targets with every member's
commitment) and ``attainment_table_blocks`` (a period's results against them) are the
sections the year-end and mid-year reports reuse.

Values are formatted in Vietnamese ("1.234,5") whatever language the reader chose:
official documents are Vietnamese.
"""

from collections.abc import Iterator

from django.utils import translation

from clusters.documents import (
    cluster_header,
    file_stem,
    representative_signature,
    short_unit_name,
)
from core.documents import render_docx, render_pdf
from core.documents.markup import markdown_to_blocks
from core.documents.model import (
    Block,
    Column,
    Document,
    Heading,
    ListBlock,
    Note,
    Paragraph,
    Row,
    SignatureBlock,
    Table,
)
from core.text import format_decimal
from pledges import excel
from pledges.models import Movement, Pledge, Signature, Target
from pledges.selectors import Grid, ProgressTable, commitment_grid, progress_table, result_grid

# From this many members the one-column-per-member tables need a landscape page.
WIDE_FROM_MEMBERS = 6

TARGETS_HEADING = "CHỈ TIÊU GIAO ƯỚC THI ĐUA"
MOVEMENTS_HEADING = "CÁC PHONG TRÀO THI ĐUA"
CLOSING = "Các đơn vị thành viên cam kết thực hiện tốt các nội dung giao ước trên./."


def is_wide(members: list) -> bool:
    """Whether a table with one column per member needs a landscape page."""
    return len(members) >= WIDE_FROM_MEMBERS


def member_columns(members: list, *, first: str = "Chỉ tiêu") -> list[Column]:
    """STT, the target, its unit of measure, then one equal column per member.

    Relative widths: the number narrow, the target wide, the unit narrow, each member
    as wide as the unit. Members are headed by their short names, so a column of a
    twelve-member table holds each word of the name whole.
    """
    return [
        Column("STT", width=1, align="center"),
        Column(first, width=5),
        Column("ĐVT", width=1.5, align="center"),
        *[Column(short_unit_name(m.unit), width=1.5, align="center") for m in members],
    ]


def _value(target: Target, row) -> str:
    if row is None:
        return ""
    if target.measure == Target.Measure.TEXT:
        return row.text
    if row.value is None:
        return ""
    if target.measure == Target.Measure.BOOLEAN:
        return "Có" if row.value else "Không"
    return format_decimal(row.value)


def _group_row(group) -> Row:
    return Row([f"{group.numeral}. {group.name}"], kind="group")


def target_table_blocks(
    pledge: Pledge, *, grid: Grid | None = None, heading: str = TARGETS_HEADING
) -> list[Block]:
    """The pledge's targets with every member's commitment: STT, Chỉ tiêu, ĐVT, members.

    Three queries (targets, commitments, members) unless ``grid`` (``commitment_grid``)
    is given; ``heading`` "" leaves the heading to the caller.
    """
    grid = grid or commitment_grid(pledge)
    columns = member_columns(grid.members)
    rows: list[Row] = []
    with translation.override("vi"):
        for group in grid.groups:
            if group.name:
                rows.append(_group_row(group))
            for target in group.targets:
                values = [_value(target, grid.cell(target.pk, m.pk)) for m in grid.members]
                rows.append(Row([target.number, target.name, target.unit_label, *values]))
    blocks: list[Block] = [Heading(heading)] if heading else []
    blocks.append(Table(columns, rows))
    return blocks


def yardstick_text(table: ProgressTable) -> str:
    """What the period's results are compared with, in Vietnamese."""
    if not table.is_partial:
        text = "Đánh giá so với mức cam kết cả năm."
    else:
        text = (
            f"Đánh giá so với {format_decimal(table.share)}% mức cam kết cả năm "
            f"(tính theo tỷ lệ thời gian đến {table.period.ends_on:%d/%m/%Y}); "
            "chỉ tiêu tỷ lệ (%) so với mức cam kết."
        )
    if table.set_shares:
        shares = "; ".join(
            f"{row.target.number}: {format_decimal(row.share)}%" for row in table.set_shares
        )
        text = f"{text} Mức đặt riêng cho kỳ này: {shares}."
    return text


def _total(target: Target, total) -> str:
    if target.measure == Target.Measure.BOOLEAN:
        return f"{total.yes}/{total.answered} có" if total.answered else ""
    if total.value is None:
        return ""
    suffix = "%" if target.measure == Target.Measure.PERCENT else ""
    return f"{format_decimal(total.value)}{suffix}"


def attainment_table_blocks(
    period, *, table: ProgressTable | None = None, heading: str = ""
) -> list[Block]:
    """A period's results against the share of the commitments expected by its end, one
    column per member, then the cluster's total and how many members attained it.

    Each cell holds the member's result and, for numbers, its share of the expected
    value ("1.300 (105,3%)"); the last row counts the targets met or exceeded of those
    that can be judged. Four queries unless ``table`` (``progress_table(period)``) is
    given.
    """
    table = table or progress_table(period)
    columns = [
        *member_columns(table.members),
        Column("Toàn cụm", width=1.5, align="center"),
        Column("Số đơn vị đạt", width=1.5, align="center"),
    ]
    rows: list[Row] = []
    with translation.override("vi"):
        by_target = {row.target.pk: row for row in table.rows}
        for group in table.groups:
            if group.name:
                rows.append(_group_row(group))
            for target in group.targets:
                row = by_target[target.pk]
                cells = []
                for cell in row.cells:
                    text = _value(target, cell.result)
                    if text and target.is_numeric and cell.attainment.percent is not None:
                        text = f"{text} ({format_decimal(cell.attainment.percent)}%)"
                    cells.append(text)
                attained = (
                    f"{row.total.attained}/{row.total.committed}" if row.total.committed else ""
                )
                rows.append(
                    Row(
                        [
                            target.number,
                            target.name,
                            target.unit_label,
                            *cells,
                            _total(target, row.total),
                            attained,
                        ]
                    )
                )
        summary = [f"{s.successes}/{s.judged}" if s.judged else "" for s in table.summaries]
        rows.append(Row(["", "Số chỉ tiêu đạt và vượt", "", *summary, "", ""], kind="total"))
        note = (
            "Mỗi ô ghi kết quả thực hiện; trong ngoặc là tỷ lệ so với mức phải đạt đến cuối kỳ. "
            "Cột “Toàn cụm”: tổng cộng (chỉ tiêu số lượng), bình quân (chỉ tiêu tỷ lệ) hoặc số "
            "đơn vị trả lời có (chỉ tiêu có/không). Dòng cuối: số chỉ tiêu đạt và vượt trên số "
            f"chỉ tiêu được đánh giá. {yardstick_text(table)}"
        )
    blocks: list[Block] = [Heading(heading)] if heading else []
    blocks.append(Table(columns, rows, caption=period.name))
    blocks.append(Note(note))
    return blocks


def movements_of(pledge: Pledge) -> list[Movement]:
    """The pledge's movements in the order they were chosen (one query)."""
    links = (
        Pledge.movements.through.objects.filter(pledge_id=pledge.pk)
        .select_related("movement")
        .order_by("order", "pk")
    )
    return [link.movement for link in links]


def movement_blocks(movements: list[Movement]) -> list[Block]:
    if not movements:
        return []
    return [
        Heading(MOVEMENTS_HEADING),
        ListBlock([f"Phong trào “{m.name}” ({m.launched_by} phát động)." for m in movements]),
    ]


def member_signatures(members: list, signatures: dict) -> list[SignatureBlock]:
    """One block per member, in the members' order: its representative where known.

    ``signatures`` maps a member's id to its ``Signature`` row.
    """
    blocks = []
    for member in members:
        signature = signatures.get(member.pk)
        blocks.append(
            representative_signature(
                member.unit,
                name=signature.signer_name if signature else "",
                position=signature.signer_position if signature else "",
            )
        )
    return blocks


def pledge_document(*, pledge: Pledge) -> Document:
    """The pledge as signed: text, movements, targets, every member's signature.

    Five queries: targets, commitments, members (shared through ``member_list``),
    signatures, movements. Reads ``pledge.cluster_year.cluster.body``: select them.
    """
    cluster_year = pledge.cluster_year
    cluster = cluster_year.cluster
    grid = commitment_grid(pledge)
    signatures = {s.member_id: s for s in Signature.objects.filter(pledge=pledge)}
    document = Document(
        header=cluster_header(cluster, date=pledge.signed_on),
        title=f"Bản giao ước thi đua năm {cluster_year.year}",
        subtitle=pledge.theme,
        signatures=member_signatures(grid.members, signatures),
        landscape=is_wide(grid.members),
        filename=f"giao-uoc-{cluster_year.year}-{pledge.pk}",
    )
    document.add(
        Paragraph(
            f"Thực hiện phong trào thi đua yêu nước, các đơn vị thành viên {cluster.name} "
            f"thống nhất ký kết giao ước thi đua năm {cluster_year.year} với các nội dung sau:"
        )
    )
    document.extend(markdown_to_blocks(pledge.body))
    document.extend(movement_blocks(movements_of(pledge)))
    document.extend(target_table_blocks(pledge, grid=grid))
    document.closing.append(Paragraph(CLOSING))
    return document


def render_pledge_pdf(*, pledge: Pledge) -> bytes:
    return render_pdf(pledge_document(pledge=pledge))


def render_pledge_docx(*, pledge: Pledge) -> bytes:
    return render_docx(pledge_document(pledge=pledge))


# --- The year's documents -----------------------------------------------------------------


def _year_pledge(cluster_year) -> Pledge | None:
    pledge = Pledge.objects.filter(cluster_year=cluster_year).first()
    if pledge is not None:
        pledge.cluster_year = cluster_year
    return pledge


def year_pledge_documents(cluster_year) -> Iterator[tuple[str, Document]]:
    """The year's pledge, if it has one (registered in ``clusters.documents``)."""
    pledge = _year_pledge(cluster_year)
    if pledge is not None:
        yield "giao-uoc-thi-dua", pledge_document(pledge=pledge)


def year_pledge_files(cluster_year) -> Iterator[tuple[str, bytes]]:
    """The commitments and each period's results as spreadsheets."""
    pledge = _year_pledge(cluster_year)
    if pledge is None:
        return
    cluster = cluster_year.cluster
    yield (
        "cam-ket-chi-tieu.xlsx",
        excel.build_workbook(
            grid=commitment_grid(pledge),
            kind=excel.COMMITMENTS,
            title=f"CAM KẾT CHỈ TIÊU — GIAO ƯỚC THI ĐUA NĂM {cluster_year.year}",
            subtitle=cluster.name,
            meta={"pledge": pledge.pk},
        ),
    )
    for period in pledge.periods.order_by("ends_on", "pk"):
        period.pledge = pledge
        yield (
            f"ket-qua-{file_stem(period.name)}.xlsx",
            excel.build_workbook(
                grid=result_grid(period),
                kind=excel.RESULTS,
                title=f"KẾT QUẢ THỰC HIỆN — {period.name.upper()}",
                subtitle=cluster.name,
                meta={"pledge": pledge.pk, "period": period.pk},
            ),
        )
