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
from clusters.selectors import leaders_in, member_list
from core.documents.model import Block, ListBlock, Paragraph

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
