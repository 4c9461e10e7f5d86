"""The province summary (báo cáo tổng hợp): a year of every cluster and bloc of an
organizing body that the reader may see, built once as a ``Document`` from the sections
the apps register in ``clusters.reports.summary_sections``.

Sở Nội vụ issues it for a province (its Ban Thi đua - Khen thưởng keeps the clusters);
the text is Vietnamese whatever the reader's language, as every official document.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import translation

from clusters.documents import file_stem
from clusters.models import ClusterMember, ClusterYear, Level, OrganizingBody
from clusters.reports import summary_sections
from clusters.selectors import (
    cluster_years_for_user,
    clusters_for_user,
    member_list,
    preload_member_lists,
    with_year_span,
)
from core.documents.model import (
    Document,
    DocumentHeader,
    Heading,
    Paragraph,
    SignatureBlock,
    format_document_number,
)
from meetings.documents import ROMAN

LEADERS = (ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY)

# Who issues the summary for a body of each level: (the body above, the issuer, its code).
ISSUERS = {
    Level.PROVINCIAL: (None, "Sở Nội vụ", "SNV"),
    Level.CENTRAL: ("Bộ Nội vụ", None, "BTĐKT"),
    Level.LOCAL: (None, "Phòng Nội vụ", "PNV"),
}


def readable_bodies(user) -> QuerySet[OrganizingBody]:
    """The bodies with a cluster the user may see, by name, with the span of their
    clusters' years (``with_year_span``)."""
    return with_year_span(
        OrganizingBody.objects.filter(pk__in=clusters_for_user(user).values("body_id")),
        "cluster__body",
    ).order_by("name")


def summary_years(user, *, body: OrganizingBody, year: int) -> list[ClusterYear]:
    """The cluster years of ``year`` of ``body`` that ``user`` may see, in the
    Vietnamese order of their clusters, with their members loaded (``member_list``),
    counted and their leaders picked out as ``with_leaders`` gives them (two queries),
    ready for the summary's sections."""
    years = list(
        cluster_years_for_user(user)
        .filter(year=year, cluster__body=body)
        # The ranking's section reads each year's sheet: joined here, not queried there.
        .select_related("criteria_sheet")
        .order_by("cluster__sort_key", "cluster_id")
    )
    # Every section reads the members: loaded once, they give the counts and leaders
    # too, without a subquery per year and a query of the leaders.
    preload_member_lists(years)
    for cluster_year in years:
        members = member_list(cluster_year)
        cluster_year.member_count = len(members)
        cluster_year.leader_rows = [member for member in members if member.role in LEADERS]
    return years


def summary_header(body: OrganizingBody) -> DocumentHeader:
    parent, issuer, code = ISSUERS.get(body.level, ISSUERS[Level.PROVINCIAL])
    return DocumentHeader(
        parent_body=parent or body.name,
        issuer=issuer or body.name,
        number=format_document_number(None, "BC", code),
        place=body.place,
    )


def summary_document(
    cluster_years: list[ClusterYear], *, body: OrganizingBody, year: int
) -> Document:
    """The summary of ``cluster_years`` (from ``summary_years``): its sections in the
    registry's order, numbered I., II. …; a section with nothing to say is left out.
    The same number of queries for one cluster as for thirty."""
    preload_member_lists(cluster_years)
    document = Document(
        header=summary_header(body),
        title="Báo cáo",
        subtitle=f"Tổng hợp kết quả hoạt động của các cụm, khối thi đua năm {year}",
        signatures=[SignatureBlock(capacity="KT. Giám đốc", title="Phó Giám đốc")],
        recipients=[f"{body.name} (báo cáo)", "Các cụm, khối thi đua", "Lưu: VT, TĐKT"],
        filename=f"tong-hop-cum-khoi-thi-dua-{year}-{file_stem(body.short_name or body.name, 40)}",
    )
    document.add(
        Paragraph(
            f"Sở Nội vụ tổng hợp kết quả hoạt động năm {year} của các cụm, khối thi đua "
            f"thuộc {body.name} như sau:"
        )
    )
    with translation.override("vi"):
        sections = [
            (section.title, section.blocks(cluster_years, year=year))
            for section in summary_sections
        ]
    kept = [(title, blocks) for title, blocks in sections if blocks]
    for index, (title, blocks) in enumerate(kept):
        document.add(Heading(f"{ROMAN[index]}. {title}"))
        document.extend(blocks)
    document.closing.append(
        Paragraph(
            f"Trên đây là báo cáo tổng hợp kết quả hoạt động của các cụm, khối thi đua năm "
            f"{year}./."
        )
    )
    return document
