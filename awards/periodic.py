"""The periodic statistics of awards (báo cáo thống kê định kỳ), for any period.

Provinces send the Ministry of Home Affairs periodic statistics of emulation and
commendation work (Thông tư 18/2025/TT-BNV): how many awards, by level, by form, by
recipient and by occasion. This builds them for the period a user picks, as one
``Document`` shown in the page and printed as PDF, Word and Excel.

What falls in a period
----------------------

- An award recorded one by one counts when granted (decided or presented) by a decision
  signed within the period (from and to included).
- A member's reported count belongs to a period of its cluster year: the first six
  months run from 1/1 to 30/6 of the year, the whole year from 1/1 to 31/12. It counts
  when that span lies whole inside the period; when both spans of a year do, the whole
  year's figure is taken (it covers the first six months). A count whose span only
  partly overlaps the period cannot be split and is left out; the note under the tables
  says so.
- Recorded awards and reported counts are never added up unseen: part A of the first
  table holds the awards recorded one by one, part B the counts members reported, and
  only the last row adds them.

Four queries: the awards grouped by award type, recipient and occasion; the reported
counts; the award types.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from awards.models import Occasion, ReportedCount
from awards.statistics import (
    GROUP_OF,
    LEVELS,
    Tally,
    granted_awards,
    reported_counts_for_user,
    year_counts,
)
from clusters.documents import file_stem
from clusters.models import AwardType, Level, OrganizingBody
from core.documents.model import (
    Column,
    Document,
    DocumentHeader,
    Note,
    Paragraph,
    Row,
    SignatureBlock,
    Table,
    format_document_number,
)
from core.text import vn_count

CIRCULAR = "Thông tư số 18/2025/TT-BNV ngày 08/10/2025 của Bộ Nội vụ"

LEVEL_WORDS = {
    AwardType.Level.STATE: "Khen thưởng cấp Nhà nước",
    AwardType.Level.PROVINCE: "Khen thưởng cấp bộ, ngành, tỉnh",
    AwardType.Level.GRASSROOTS: "Khen thưởng cấp cơ sở",
}
OCCASION_WORDS = {
    Occasion.REGULAR: "Khen thưởng công trạng và thành tích (thường xuyên)",
    Occasion.CAMPAIGN: "Khen thưởng theo đợt, chuyên đề",
    Occasion.AD_HOC: "Khen thưởng đột xuất",
    Occasion.SERVICE: "Khen thưởng quá trình cống hiến, niên hạn",
    Occasion.FOREIGN: "Khen thưởng đối ngoại",
}
ROMAN = ("I", "II", "III", "IV", "V")
# Who issues the statistics for a body of each level: (the body above, the issuer, its code).
ISSUERS = {
    Level.PROVINCIAL: (None, "Sở Nội vụ", "SNV"),
    Level.CENTRAL: ("Bộ Nội vụ", None, "BTĐKT"),
    Level.LOCAL: (None, "Phòng Nội vụ", "PNV"),
}
DASH = "—"


def reported_span(year: int, period: str) -> tuple[datetime.date, datetime.date]:
    """The days a reported count of ``period`` of ``year`` covers."""
    if period == ReportedCount.Period.MID_YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@dataclass
class TypeFigures:
    award_type: AwardType
    tally: Tally = field(default_factory=Tally)


@dataclass
class PeriodicData:
    body: OrganizingBody
    date_from: datetime.date
    date_to: datetime.date
    by_type: list[TypeFigures]
    by_level: dict[str, Tally]
    reported_by_level: dict[str, Tally]
    by_occasion: dict[str, Tally]
    recorded: Tally
    reported: Tally

    @property
    def total(self) -> Tally:
        total = Tally()
        total.add(self.recorded)
        total.add(self.reported)
        return total


def periodic_data(user, *, body, date_from: datetime.date, date_to: datetime.date):
    """The figures of ``body``'s awards that ``user`` may read for the period."""
    rows = list(
        granted_awards(user, body=body)
        .filter(decision__signed_on__gte=date_from, decision__signed_on__lte=date_to)
        .order_by()
        .values("award_type_id", "recipient_kind", "occasion")
        .annotate(n=Count("pk"))
        .values_list("award_type_id", "recipient_kind", "occasion", "n")
    )
    counts = [
        row
        for row in reported_counts_for_user(user)
        .filter(
            cluster_year__cluster__body=body,
            cluster_year__year__gte=date_from.year,
            cluster_year__year__lte=date_to.year,
        )
        .order_by()
        .values(
            "cluster_year_id", "cluster_year__year", "unit_id", "period", "level", "kind", "count"
        )
        if date_from <= reported_span(row["cluster_year__year"], row["period"])[0]
        and reported_span(row["cluster_year__year"], row["period"])[1] <= date_to
    ]
    types = {
        t.pk: TypeFigures(t)
        for t in AwardType.objects.filter(pk__in={row[0] for row in rows}).order_by(
            "order", "sort_key", "pk"
        )
    }
    by_level = {level: Tally() for level in LEVELS}
    by_occasion = {occasion: Tally() for occasion in Occasion.values}
    recorded = Tally()
    for type_id, kind, occasion, n in rows:
        group = GROUP_OF[kind]
        figures = types[type_id]
        figures.tally.add_recorded(group, n)
        by_level[figures.award_type.level].add_recorded(group, n)
        by_occasion[occasion].add_recorded(group, n)
        recorded.add_recorded(group, n)
    reported_by_level = {level: Tally() for level in LEVELS}
    reported = Tally()
    for row in year_counts(counts):
        reported_by_level[row["level"]].add_reported(row["kind"], row["count"])
        reported.add_reported(row["kind"], row["count"])
    return PeriodicData(
        body=body,
        date_from=date_from,
        date_to=date_to,
        by_type=list(types.values()),
        by_level=by_level,
        reported_by_level=reported_by_level,
        by_occasion=by_occasion,
        recorded=recorded,
        reported=reported,
    )


# --- The document -------------------------------------------------------------------------


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _n(value: int) -> str:
    return vn_count(value)


def _recorded_cells(tally: Tally) -> list[str]:
    return [
        _n(tally.collective),
        _n(tally.individual),
        _n(tally.household),
        DASH,
        _n(tally.recorded),
    ]


def _reported_cells(tally: Tally) -> list[str]:
    return [
        _n(tally.reported_collective),
        _n(tally.reported_individual),
        DASH,
        _n(tally.reported_mixed),
        _n(tally.reported),
    ]


def _all_cells(tally: Tally) -> list[str]:
    return [
        _n(tally.collective + tally.reported_collective),
        _n(tally.individual + tally.reported_individual),
        _n(tally.household),
        _n(tally.reported_mixed),
        _n(tally.total),
    ]


FIGURE_COLUMNS = [
    Column("Tập thể", width=1, align="right"),
    Column("Cá nhân", width=1, align="right"),
    Column("Hộ gia đình", width=1, align="right"),
    Column("Tập thể, cá nhân (không tách)", width=1.2, align="right"),
    Column("Tổng số", width=1, align="right"),
]


def level_table(data: PeriodicData) -> Table:
    rows = [Row(["A. KHEN THƯỞNG GHI NHẬN TỪNG TRƯỜNG HỢP"], kind="group")]
    for index, level in enumerate(LEVELS):
        rows.append(
            Row([ROMAN[index], LEVEL_WORDS[level], *_recorded_cells(data.by_level[level])], "total")
        )
        kept = [f for f in data.by_type if f.award_type.level == level]
        for number, figures in enumerate(kept, start=1):
            rows.append(
                Row([str(number), figures.award_type.name, *_recorded_cells(figures.tally)])
            )
    rows.append(Row(["", "Cộng A", *_recorded_cells(data.recorded)], kind="total"))
    rows.append(
        Row(["B. SỐ LƯỢNG DO CÁC ĐƠN VỊ BÁO CÁO (KHÔNG GHI NHẬN TỪNG TRƯỜNG HỢP)"], kind="group")
    )
    for index, level in enumerate(LEVELS):
        rows.append(
            Row([ROMAN[index], LEVEL_WORDS[level], *_reported_cells(data.reported_by_level[level])])
        )
    rows.append(Row(["", "Cộng B", *_reported_cells(data.reported)], kind="total"))
    rows.append(Row(["", "Tổng cộng (A + B)", *_all_cells(data.total)], kind="total"))
    return Table(
        [Column("TT", width=0.6, align="center"), Column("Cấp, hình thức khen thưởng", width=3.6)]
        + FIGURE_COLUMNS,
        rows,
        header_groups=[("", 1), ("", 1), ("Số lượt khen thưởng", 5)],
        caption="Biểu 1. Số lượng khen thưởng theo cấp, hình thức và đối tượng",
    )


def occasion_table(data: PeriodicData) -> Table:
    rows = []
    for index, occasion in enumerate(Occasion.values, start=1):
        tally = data.by_occasion[occasion]
        rows.append(
            Row(
                [
                    str(index),
                    OCCASION_WORDS[occasion],
                    _n(tally.collective),
                    _n(tally.individual),
                    _n(tally.household),
                    _n(tally.recorded),
                ]
            )
        )
    rows.append(
        Row(
            [
                "",
                "Cộng (ghi nhận từng trường hợp)",
                _n(data.recorded.collective),
                _n(data.recorded.individual),
                _n(data.recorded.household),
                _n(data.recorded.recorded),
            ],
            kind="total",
        )
    )
    return Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Loại khen thưởng", width=4),
            Column("Tập thể", width=1, align="right"),
            Column("Cá nhân", width=1, align="right"),
            Column("Hộ gia đình", width=1, align="right"),
            Column("Tổng số", width=1, align="right"),
        ],
        rows,
        caption="Biểu 2. Số lượng khen thưởng ghi nhận từng trường hợp theo loại khen thưởng",
    )


def summary_sentence(data: PeriodicData) -> str:
    recorded, reported = data.recorded, data.reported
    text = (
        f"Từ ngày {_d(data.date_from)} đến ngày {_d(data.date_to)}, có {_n(recorded.recorded)} "
        f"lượt khen thưởng được ghi nhận từng trường hợp ({_n(recorded.collective)} lượt tập "
        f"thể, {_n(recorded.individual)} lượt cá nhân, {_n(recorded.household)} lượt hộ gia "
        f"đình)"
    )
    if reported.reported:
        parts = [
            f"{_n(value)} {words}"
            for value, words in (
                (reported.reported_collective, "lượt tập thể"),
                (reported.reported_individual, "lượt cá nhân"),
                (reported.reported_mixed, "lượt tập thể, cá nhân không tách"),
            )
            if value
        ]
        text += (
            f" và {_n(reported.reported)} lượt do các đơn vị thành viên báo cáo số lượng "
            f"({', '.join(parts)}); tổng cộng {_n(data.total.total)} lượt."
        )
    else:
        text += "; các đơn vị thành viên không báo cáo số lượng nào cho kỳ này."
    return text


def periodic_header(body: OrganizingBody) -> DocumentHeader:
    parent, issuer, code = ISSUERS.get(body.level, ISSUERS[Level.PROVINCIAL])
    return DocumentHeader(
        parent_body=parent or body.name,
        issuer=issuer or body.name,
        number=format_document_number(None, "BC", code),
        place=body.place,
    )


def periodic_document(data: PeriodicData) -> Document:
    """The periodic statistics of ``data`` as one document (no query)."""
    body = data.body
    _parent, issuer, _code = ISSUERS.get(body.level, ISSUERS[Level.PROVINCIAL])
    period = f"từ ngày {_d(data.date_from)} đến ngày {_d(data.date_to)}"
    stem = file_stem(body.short_name or body.name, 40)
    document = Document(
        header=periodic_header(body),
        title="Báo cáo thống kê",
        subtitle=f"Số lượng khen thưởng {period}",
        signatures=[SignatureBlock(capacity="KT. Giám đốc", title="Phó Giám đốc")],
        recipients=[
            "Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)",
            f"{body.name} (báo cáo)",
            "Lưu: VT, TĐKT",
        ],
        filename=(f"thong-ke-khen-thuong-{data.date_from:%Y%m%d}-{data.date_to:%Y%m%d}-{stem}"),
    )
    document.add(
        Paragraph(
            f"Thực hiện chế độ báo cáo thống kê theo {CIRCULAR}, {issuer or body.name} báo cáo "
            f"số lượng khen thưởng của {body.name} {period} như sau:"
        ),
        Paragraph(summary_sentence(data)),
        level_table(data),
        occasion_table(data),
        Note(
            "Ghi chú: khen thưởng ghi nhận từng trường hợp tính theo ngày ký quyết định. Số "
            "lượng do đơn vị báo cáo tính theo kỳ báo cáo của năm thi đua (6 tháng đầu năm: từ "
            "01/01 đến 30/6; cả năm: từ 01/01 đến 31/12), chỉ khi kỳ đó nằm trọn trong thời "
            "gian báo cáo; đơn vị báo cáo cả hai kỳ của một năm thì lấy số liệu cả năm. Số "
            "lượng do đơn vị báo cáo không phân theo hình thức và loại khen thưởng."
        ),
    )
    document.closing.append(
        Paragraph(f"Trên đây là báo cáo thống kê số lượng khen thưởng {period}./.")
    )
    return document
