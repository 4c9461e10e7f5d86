"""The registry of report sections: the parts of a cluster year's reports.

The year-end report (báo cáo tổng kết) and the mid-year report (báo cáo sơ kết) of a
cluster year are built by ``reports`` from sections the apps register here, as they
register the year's documents in ``clusters.documents``: the base knows no feature
app, and an app added later (votes, awards) adds its section without touching the
reports. The base registers its own section, the member units and their leaders.

A section's ``build(cluster_year, *, period)`` gets a cluster year the caller fetched
through a scoped selector and the report's kind (``YEAR_END`` or ``MID_YEAR``), and
returns the section's blocks: ``[]`` leaves the section out (heading and number
included); a section that applies but has no data says so in one sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from clusters.models import Cluster, ClusterYear
from clusters.selectors import leaders_in, leaders_of, member_list
from core.documents.model import Block, Column, ListBlock, Paragraph, Row, Table
from core.text import vn_count

YEAR_END = "year-end"
MID_YEAR = "mid-year"
KINDS = (YEAR_END, MID_YEAR)

SectionBuild = Callable[..., list[Block]]


@dataclass(frozen=True)
class ReportSection:
    """One section of the reports, as an app registered it.

    ``title`` is the section's heading without its number ("KẾT QUẢ CHẤM ĐIỂM …");
    ``kinds`` the reports it appears in; ``order`` its place among the sections.
    """

    key: str
    title: str
    kinds: frozenset[str]
    order: int
    build: SectionBuild

    def blocks(self, cluster_year: ClusterYear, *, period: str) -> list[Block]:
        return list(self.build(cluster_year, period=period))


class ReportSections:
    """The registry: ``register`` from an app's receivers, iterate in ``order``."""

    def __init__(self):
        self._sections: dict[str, ReportSection] = {}

    def register(
        self,
        key: str,
        *,
        title: str,
        kind: str | Iterable[str] = KINDS,
        order: int,
        build: SectionBuild,
    ) -> ReportSection:
        """Add (or, under the same key, replace) a section of the reports of ``kind``
        (``YEAR_END``, ``MID_YEAR`` or both)."""
        kinds = frozenset([kind] if isinstance(kind, str) else kind)
        unknown = kinds - set(KINDS)
        if unknown or not kinds:
            raise ValueError(f"Unknown report kind(s) {sorted(unknown)}; use {KINDS}.")
        section = ReportSection(key, title, kinds, order, build)
        self._sections[key] = section
        return section

    def unregister(self, key: str) -> None:
        self._sections.pop(key, None)

    def __iter__(self) -> Iterator[ReportSection]:
        return iter(sorted(self._sections.values(), key=lambda s: (s.order, s.key)))

    def __contains__(self, key: str) -> bool:
        return key in self._sections

    def __getitem__(self, key: str) -> ReportSection:
        return self._sections[key]

    def of_kind(self, kind: str) -> list[ReportSection]:
        """The sections of one kind of report, in order."""
        if kind not in KINDS:
            raise ValueError(f"Unknown report kind {kind!r}; use {KINDS}.")
        return [section for section in self if kind in section.kinds]


report_sections = ReportSections()


def listed(items: Iterable[str]) -> list[str]:
    """List items as official documents end them: ";" each, "." the last."""
    items = [item.rstrip(" ;.") for item in items]
    return [f"{item}{'.' if index == len(items) - 1 else ';'}" for index, item in enumerate(items)]


# --- The base's own section: the member units --------------------------------------------


def leader_words(cluster: Cluster) -> tuple[str, str]:
    """("Cụm trưởng", "Cụm phó") or, for a bloc, ("Khối trưởng", "Khối phó")."""
    if cluster.kind == Cluster.Kind.BLOC:
        return "Khối trưởng", "Khối phó"
    return "Cụm trưởng", "Cụm phó"


def member_blocks(cluster_year: ClusterYear, *, period: str = YEAR_END) -> list[Block]:
    """How many members, which, who led the year, and (year-end) who leads the next.

    One query (``member_list``, shared with the page and the other sections); reads
    ``cluster_year.next_head`` and ``next_deputy``: select them.
    """
    members = member_list(cluster_year)
    if not members:
        return [Paragraph("Chưa có đơn vị thành viên.")]
    cluster = cluster_year.cluster
    head_word, deputy_word = leader_words(cluster)
    head, deputy = leaders_in(members)
    blocks: list[Block] = [
        Paragraph(f"{cluster.name} năm {cluster_year.year} gồm {len(members)} đơn vị thành viên:"),
        ListBlock(listed(member.unit.name for member in members)),
    ]
    leaders = []
    if head:
        leaders.append(f"{head.name} là đơn vị {head_word}")
    if deputy:
        leaders.append(f"{deputy.name} là đơn vị {deputy_word}")
    if leaders:
        blocks.append(Paragraph(f"Năm {cluster_year.year}, {'; '.join(leaders)}."))
    else:
        blocks.append(Paragraph(f"Chưa xác định đơn vị {head_word}, {deputy_word}."))
    if period == YEAR_END:
        elected = []
        if cluster_year.next_head_id:
            elected.append(f"{cluster_year.next_head.name} làm {head_word}")
        if cluster_year.next_deputy_id:
            elected.append(f"{cluster_year.next_deputy.name} làm {deputy_word}")
        if elected:
            blocks.append(
                Paragraph(
                    f"Hội nghị tổng kết đã bầu {', '.join(elected)} năm {cluster_year.year + 1}."
                )
            )
    return blocks


report_sections.register(
    "members",
    title="CÁC ĐƠN VỊ THÀNH VIÊN",
    order=10,
    build=member_blocks,
)


# --- The province summary ------------------------------------------------------------


SummaryBuild = Callable[..., list[Block]]


@dataclass(frozen=True)
class SummarySection:
    """One section of the province summary (báo cáo tổng hợp), as an app registered it.

    ``build(cluster_years, *, year)`` gets the cluster years of ``year`` the reader may
    see (scoped, in Vietnamese order of their clusters, each with ``cluster`` and
    ``cluster.body`` selected, ``member_count`` and head and deputy loaded through
    ``with_leaders``) and returns the section's blocks, reading all clusters at once:
    the same number of queries for one cluster as for thirty. ``[]`` leaves the section
    out.
    """

    key: str
    title: str
    order: int
    build: SummaryBuild

    def blocks(self, cluster_years: list[ClusterYear], *, year: int) -> list[Block]:
        return list(self.build(cluster_years, year=year))


class SummarySections:
    """The registry of the province summary's sections, iterated in ``order``."""

    def __init__(self):
        self._sections: dict[str, SummarySection] = {}

    def register(self, key: str, *, title: str, order: int, build: SummaryBuild):
        section = SummarySection(key, title, order, build)
        self._sections[key] = section
        return section

    def unregister(self, key: str) -> None:
        self._sections.pop(key, None)

    def __iter__(self) -> Iterator[SummarySection]:
        return iter(sorted(self._sections.values(), key=lambda s: (s.order, s.key)))

    def __contains__(self, key: str) -> bool:
        return key in self._sections


summary_sections = SummarySections()


def cluster_word(cluster: Cluster) -> str:
    return "khối" if cluster.kind == Cluster.Kind.BLOC else "cụm"


def cluster_blocks(cluster_years: list[ClusterYear], *, year: int) -> list[Block]:
    """How many clusters and blocs, their members, heads and deputies (no query: the
    caller loaded them with their leaders)."""
    if not cluster_years:
        return [Paragraph(f"Chưa có cụm, khối thi đua nào của năm {year}.")]
    clusters = sum(1 for cy in cluster_years if cy.cluster.kind != Cluster.Kind.BLOC)
    blocs = len(cluster_years) - clusters
    members = sum(cy.member_count for cy in cluster_years)
    parts = [f"{count} {word}" for count, word in ((clusters, "cụm"), (blocs, "khối")) if count]
    rows = []
    for index, cluster_year in enumerate(cluster_years, start=1):
        head, deputy = leaders_of(cluster_year)
        rows.append(
            Row(
                [
                    str(index),
                    cluster_year.cluster.name,
                    vn_count(cluster_year.member_count),
                    head.name if head else "—",
                    deputy.name if deputy else "—",
                ]
            )
        )
    rows.append(Row(["", "Tổng cộng", vn_count(members)], kind="total"))
    table = Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Cụm, khối thi đua", width=3),
            Column("Số đơn vị thành viên", width=1.4, align="right"),
            Column("Trưởng cụm, khối", width=2.4),
            Column("Phó cụm, khối", width=2.4),
        ],
        rows,
    )
    return [
        Paragraph(
            f"Năm {year} có {' và '.join(parts)} thi đua với {vn_count(members)} lượt đơn vị "
            "thành viên."
        ),
        table,
    ]


summary_sections.register(
    "clusters",
    title="CÁC CỤM, KHỐI THI ĐUA",
    order=10,
    build=cluster_blocks,
)
