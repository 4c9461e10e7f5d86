"""The awards' sections of the year-end report and of the province summary.

The year's report (``clusters.reports.report_sections``): the awards the cluster
proposed for the year and what became of each (the decision that granted it, or the
level of the chain holding it), then the counts the members reported without listing
each award, always in a table of their own. The mid-year report holds the awards
decided by 30/6 and the first six months' counts.

The province summary (``clusters.reports.summary_sections``): the year's awards by
award type, level and recipient, the recorded ones beside the reported counts, and the
chart of the awards by type over the last five years (the same SVG the page and the
PDF show). A reader who sees every cluster of the body gets the body's whole register
(awards entered from history without a cluster year included); a reader who sees only
some clusters (a secretary) gets those clusters' awards only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, Q, Sum

from awards.models import Award, GrantedByType, RecipientKind, ReportedCount
from awards.selectors import cluster_year_awards, reported_counts_of
from awards.statistics import GROUP_OF, LEVELS, Tally, TypeRow, awards_chart, year_counts
from clusters.dashboard import mid_year_end
from clusters.models import AwardType, ClusterYear, Stage
from clusters.reports import (
    MID_YEAR,
    YEAR_END,
    cluster_word,
    report_sections,
    summary_sections,
)
from core.documents.model import Block, Chart, Column, Heading, Paragraph, Row, Table
from core.text import vn_count

Status = Award.Status

STAGE_WORDS = {
    Stage.CLUSTER: "cụm, khối thi đua",
    Stage.BOARD: "Ban Thi đua - Khen thưởng",
    Stage.COUNCIL: "Hội đồng Thi đua - Khen thưởng",
    Stage.CENTRE: "Ban Thi đua - Khen thưởng Trung ương",
    Stage.AUTHORITY: "cấp có thẩm quyền quyết định",
}
LEVEL_WORDS = {
    AwardType.Level.STATE: "Cấp Nhà nước",
    AwardType.Level.PROVINCE: "Cấp bộ, ngành, tỉnh",
    AwardType.Level.GRASSROOTS: "Cấp cơ sở",
}
PERIOD_WORDS = {
    ReportedCount.Period.MID_YEAR: "6 tháng đầu năm",
    ReportedCount.Period.YEAR: "Cả năm",
}
KIND_WORDS = {
    ReportedCount.Kind.COLLECTIVE: "Tập thể",
    ReportedCount.Kind.INDIVIDUAL: "Cá nhân",
    ReportedCount.Kind.MIXED: "Tập thể, cá nhân",
}
CHART_YEARS = 5


def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


def recipient_words(award: Award) -> str:
    """The recipient as the decision names them: name, position, unit."""
    parts = [award.recipient_name]
    if award.recipient_kind == RecipientKind.INDIVIDUAL and award.recipient_position:
        parts.append(award.recipient_position)
    if (
        award.recipient_kind != RecipientKind.UNIT
        and award.recipient_unit_name
        and award.recipient_unit_name not in award.recipient_position
    ):
        parts.append(award.recipient_unit_name)
    return ", ".join(part for part in parts if part)


def where_words(award: Award) -> str:
    """The decision that granted the award, or where its proposal is."""
    if award.is_granted:
        decision = award.decision
        text = (
            f"Quyết định số {decision.number} ngày {_date(decision.signed_on)} của "
            f"{decision.authority}"
        )
        if award.status == Status.PRESENTED and award.presented_on:
            text += f"; đã trao ngày {_date(award.presented_on)}"
        return text
    if award.status == Status.SUBMITTED:
        return f"Đã gửi đề nghị; đang ở {STAGE_WORDS[Stage(award.stage)]}"
    if award.status == Status.RETURNED:
        return "Được trả lại để hoàn thiện hồ sơ"
    if award.status == Status.REJECTED:
        return "Không được chấp thuận"
    return "Đề nghị, chưa gửi"


def _award_table(awards: list[Award]) -> Table:
    rows = [
        Row([str(index), recipient_words(award), award.award_type.name, where_words(award)])
        for index, award in enumerate(awards, start=1)
    ]
    return Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Tập thể, cá nhân", width=3),
            Column("Hình thức khen thưởng", width=2.2),
            Column("Quyết định khen thưởng hoặc tình trạng đề nghị", width=3.4),
        ],
        rows,
    )


def _counts_table(counts: list[ReportedCount]) -> Table:
    rows = [
        Row(
            [
                str(index),
                count.unit.name,
                PERIOD_WORDS[count.period],
                LEVEL_WORDS[count.level],
                KIND_WORDS[count.kind],
                vn_count(count.count),
                count.note,
            ]
        )
        for index, count in enumerate(counts, start=1)
    ]
    return Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Đơn vị báo cáo", width=2),
            Column("Kỳ", width=1.2),
            Column("Cấp khen thưởng", width=1.4),
            Column("Đối tượng", width=1.2),
            Column("Số lượt", width=0.9, align="right"),
            Column("Ghi chú", width=2.4),
        ],
        rows,
    )


def _kinds_sentence(awards: list[Award]) -> str:
    collectives = sum(1 for award in awards if award.is_collective)
    individuals = sum(1 for award in awards if award.recipient_kind == RecipientKind.INDIVIDUAL)
    households = len(awards) - collectives - individuals
    parts = [f"{vn_count(collectives)} lượt tập thể", f"{vn_count(individuals)} lượt cá nhân"]
    if households:
        parts.append(f"{vn_count(households)} lượt hộ gia đình")
    return ", ".join(parts)


def award_blocks(cluster_year: ClusterYear, *, period: str = YEAR_END) -> list[Block]:
    """The year's proposals and awards, then the members' reported counts (two
    queries). The mid-year report keeps the awards decided by 30/6 and the first six
    months' counts. Nothing to say leaves the section out."""
    awards = cluster_year_awards(cluster_year)
    counts = reported_counts_of(cluster_year)
    year = cluster_year.year
    if period == MID_YEAR:
        limit = mid_year_end(year)
        awards = [a for a in awards if a.is_granted and a.decision.signed_on <= limit]
        counts = [c for c in counts if c.period == ReportedCount.Period.MID_YEAR]
    if not awards and not counts:
        return []
    blocks: list[Block] = []
    if period == MID_YEAR:
        blocks.append(Heading("1. Khen thưởng đã có quyết định trong 6 tháng đầu năm", level=2))
    else:
        blocks.append(Heading("1. Khen thưởng đề nghị và đã có quyết định", level=2))
    if awards:
        granted = [a for a in awards if a.is_granted]
        proposed = [a for a in awards if a.status != Status.REJECTED]
        if period == MID_YEAR:
            sentence = (
                f"Trong 6 tháng đầu năm {year}, {len(granted)} lượt khen thưởng được ghi nhận "
                f"từng trường hợp ({_kinds_sentence(granted)})."
            )
        else:
            sentence = (
                f"Năm {year}, {cluster_word(cluster_year.cluster)} thi đua đề nghị khen thưởng "
                f"{len(proposed)} lượt "
                f"({_kinds_sentence(proposed)}); đã có quyết định khen thưởng cho "
                f"{len(granted)} lượt."
            )
        blocks.append(Paragraph(sentence))
        blocks.append(_award_table(awards))
    else:
        blocks.append(Paragraph("Chưa có khen thưởng nào được ghi nhận từng trường hợp."))
    if counts:
        blocks.append(Heading("2. Số lượng khen thưởng do đơn vị thành viên báo cáo", level=2))
        blocks.append(
            Paragraph(
                "Ngoài các khen thưởng ghi nhận từng trường hợp, các đơn vị thành viên báo cáo "
                "số lượng (không kê từng trường hợp) như sau:"
            )
        )
        blocks.append(_counts_table(counts))
    return blocks


report_sections.register(
    "awards",
    title="KHEN THƯỞNG",
    order=60,
    build=award_blocks,
)


# --- The province summary --------------------------------------------------------------


def _scope(cluster_years: list[ClusterYear], *, year: int):
    """The body, the awards and the counts the summary may count: the clusters shown,
    and the body's whole register (awards entered without a cluster year, clusters of
    other years) when the reader sees every cluster of the year. No query: the test is
    a subquery of the counting queries.

    The awards come as two querysets, exactly one of which holds rows: the whole
    register (the reader sees every cluster) and the clusters shown (the reader does
    not). Each tests the reader's view by a subquery that depends on no row, which
    PostgreSQL evaluates once and uses to skip the other part. The awards are counted
    from the granted awards' tally by type (``GrantedByType``), a few rows per type and
    year, not from the 200,000 awards (counting them was most of the summary's time)."""
    body = cluster_years[0].cluster.body
    clusters = [cy.cluster_id for cy in cluster_years]
    unseen = ClusterYear.objects.filter(cluster__body=body, year=year).exclude(
        pk__in=[cy.pk for cy in cluster_years]
    )
    granted = GrantedByType.objects.filter(body_id=body.pk)
    shown_years = ClusterYear.objects.filter(cluster_id__in=clusters).values("pk")
    awards = (
        granted.filter(~Exists(unseen)),
        granted.filter(Exists(unseen), cluster_year_id__in=shown_years),
    )
    shown = Q(cluster_year__cluster_id__in=clusters) | ~Exists(unseen)
    counts = ReportedCount.objects.filter(shown, cluster_year__cluster__body=body)
    return body, awards, counts


def _level_table(stats) -> Table:
    rows = []
    for index, (level, tally) in enumerate(stats.by_level.items(), start=1):
        rows.append(
            Row(
                [
                    str(index),
                    LEVEL_WORDS[level],
                    *(vn_count(v) for v in (tally.collective, tally.individual, tally.household)),
                    *(
                        vn_count(v)
                        for v in (
                            tally.reported_collective,
                            tally.reported_individual,
                            tally.reported_mixed,
                        )
                    ),
                    vn_count(tally.total),
                ]
            )
        )
    total = stats.total
    rows.append(
        Row(
            [
                "",
                "Tổng cộng",
                *(vn_count(v) for v in (total.collective, total.individual, total.household)),
                *(
                    vn_count(v)
                    for v in (
                        total.reported_collective,
                        total.reported_individual,
                        total.reported_mixed,
                    )
                ),
                vn_count(total.total),
            ],
            kind="total",
        )
    )
    return Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Cấp khen thưởng", width=2),
            Column("Tập thể", width=0.9, align="right"),
            Column("Cá nhân", width=0.9, align="right"),
            Column("Hộ gia đình", width=0.9, align="right"),
            Column("Tập thể", width=0.9, align="right"),
            Column("Cá nhân", width=0.9, align="right"),
            Column("Tập thể, cá nhân", width=1, align="right"),
            Column("Tổng số", width=0.9, align="right"),
        ],
        rows,
        header_groups=[
            ("", 1),
            ("", 1),
            ("Ghi nhận từng khen thưởng", 3),
            ("Đơn vị báo cáo số lượng", 3),
        ],
        caption="Bảng. Số lượt khen thưởng theo cấp và đối tượng",
    )


def _type_table(stats) -> Table:
    rows = []
    for index, row in enumerate(stats.by_type, start=1):
        tally = row.tally
        rows.append(
            Row(
                [
                    str(index),
                    row.award_type.name,
                    LEVEL_WORDS[row.award_type.level],
                    vn_count(tally.collective),
                    vn_count(tally.individual),
                    vn_count(tally.household),
                    vn_count(tally.recorded),
                ]
            )
        )
    total = stats.total
    rows.append(
        Row(
            [
                "",
                "Cộng",
                "",
                vn_count(total.collective),
                vn_count(total.individual),
                vn_count(total.household),
                vn_count(total.recorded),
            ],
            kind="total",
        )
    )
    return Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Hình thức khen thưởng", width=3),
            Column("Cấp", width=1.6),
            Column("Tập thể", width=0.9, align="right"),
            Column("Cá nhân", width=0.9, align="right"),
            Column("Hộ gia đình", width=0.9, align="right"),
            Column("Tổng số", width=0.9, align="right"),
        ],
        rows,
        caption="Bảng. Khen thưởng ghi nhận từng trường hợp theo hình thức",
    )


@dataclass
class SummaryFigures:
    """The year's figures of the summary and the chart's five years by award type."""

    by_type: list[TypeRow]
    by_level: dict[str, Tally]
    total: Tally
    history: list[TypeRow]


def summary_figures(tallies, counts, *, year: int, first: int) -> SummaryFigures:
    """Three queries: the granted awards of ``first``–``year`` by year, type and
    recipient; their award types; the year's reported counts. ``tallies`` (rows of
    ``GrantedByType``) is one queryset, or several whose rows are apart (``_scope``):
    added up in one query."""
    parts = [
        part.filter(year__gte=first, year__lte=year)
        .order_by()
        .values("year", "award_type_id", "recipient_kind")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)  # a key's rows added up, those taking awards back with the rest
        .values_list("year", "award_type_id", "recipient_kind", "n")
        for part in (tallies if isinstance(tallies, tuple | list) else [tallies])
    ]
    rows = list(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    types = list(
        AwardType.objects.filter(pk__in={row[1] for row in rows}).order_by(
            "category", "order", "sort_key", "pk"
        )
    )
    history = {t.pk: TypeRow(t) for t in types}
    current = {t.pk: TypeRow(t) for t in types}
    by_level = {level: Tally() for level in LEVELS}
    total = Tally()
    for row_year, type_id, kind, n in rows:
        group = GROUP_OF[kind]
        history[type_id].tally.add_recorded(group, n)
        history[type_id].by_year[row_year] = history[type_id].by_year.get(row_year, 0) + n
        if row_year == year:
            current[type_id].tally.add_recorded(group, n)
            by_level[current[type_id].award_type.level].add_recorded(group, n)
            total.add_recorded(group, n)
    for row in year_counts(
        counts.filter(cluster_year__year=year)
        .order_by()
        .values("cluster_year_id", "unit_id", "period", "level", "kind", "count")
    ):
        by_level[row["level"]].add_reported(row["kind"], row["count"])
        total.add_reported(row["kind"], row["count"])
    return SummaryFigures(
        by_type=[row for row in current.values() if row.tally.recorded],
        by_level=by_level,
        total=total,
        history=list(history.values()),
    )


def summary_award_blocks(cluster_years, *, year) -> list[Block]:
    """The year's awards by type, level and recipient, and the chart of the last five
    years by type (three queries whatever the number of clusters, two without awards)."""
    if not cluster_years:
        return []
    _body, awards, counts = _scope(cluster_years, year=year)
    first = year - CHART_YEARS + 1
    stats = summary_figures(awards, counts, year=year, first=first)
    blocks: list[Block] = []
    total = stats.total
    if total.total:
        sentence = (
            f"Năm {year}, có {vn_count(total.recorded)} lượt khen thưởng được ghi nhận từng "
            f"trường hợp ({vn_count(total.collective)} lượt tập thể, "
            f"{vn_count(total.individual)} lượt cá nhân"
        )
        if total.household:
            sentence += f", {vn_count(total.household)} lượt hộ gia đình"
        sentence += ")"
        if total.reported:
            sentence += (
                f"; các đơn vị thành viên báo cáo thêm {vn_count(total.reported)} lượt khen "
                "thưởng không kê từng trường hợp"
            )
        blocks.append(Paragraph(sentence + "."))
        if stats.by_type:
            blocks.append(_type_table(stats))
        blocks.append(_level_table(stats))
    else:
        blocks.append(Paragraph(f"Năm {year} chưa có khen thưởng nào được ghi nhận."))
    years = list(range(first, year + 1))
    title = f"Biểu đồ. Số lượt khen thưởng theo hình thức, năm {first}–{year}"
    svg = awards_chart(stats.history, years, description=title, others="Các hình thức khác")
    if svg:
        blocks.append(Chart(title, svg))
    return blocks


summary_sections.register(
    "awards",
    title="KHEN THƯỞNG",
    order=60,
    build=summary_award_blocks,
)
