"""The pledge's block on the cluster year page, its documents of the year and its
section of the reports."""

from decimal import Decimal

from django.db.models import Count
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.reports import listed, report_sections
from clusters.signals import YearSection, cluster_year_sections
from core.documents.model import Heading, ListBlock, Paragraph
from core.text import format_decimal
from pledges import documents, permissions, selectors
from pledges.models import Period


@receiver(cluster_year_sections)
def pledge_section(sender, request, cluster_year, **kwargs):
    pledge, period = selectors.year_pledge_and_period(cluster_year)
    context = {
        "pledge": pledge,
        "cluster_year": cluster_year,
        "can_create": permissions.can_create_pledge(request.user, cluster_year),
    }
    if pledge is not None:
        context.update(
            summary=selectors.pledge_summary(pledge),
            table=selectors.progress_table(period) if period else None,
        )
    return YearSection(
        order=10, template="pledges/includes/_year_section.html", context=context, wide=True
    )


year_documents.register(
    "pledge",
    label=_("Emulation pledge"),
    order=10,
    folder="giao-uoc",
    build=documents.year_pledge_documents,
    files=documents.year_pledge_files,
)


def pledge_report_blocks(cluster_year, *, period="year-end"):
    """The pledge in the reports: theme, signatures and registrations, movements, and
    each member's attainment in the period of the report (``documents`` tables).

    Nine queries however many members; one sentence when there is no pledge or result.
    """
    pledge = selectors.year_pledge(cluster_year)
    if pledge is None:
        return [Paragraph("Chưa có giao ước thi đua.")]
    summary = selectors.pledge_summary(pledge)
    members = summary.member_count
    with translation.override("vi"):
        collectives = format_decimal(Decimal(summary.collectives or 0))
        individuals = format_decimal(Decimal(summary.individuals or 0))
        blocks = [Heading("1. Giao ước và đăng ký thi đua", level=2)]
        blocks.append(Paragraph(f"Chủ đề thi đua năm {cluster_year.year}: “{pledge.theme}”."))
        if pledge.signed_on:
            place = f" tại {pledge.signed_place}" if pledge.signed_place else ""
            blocks.append(
                Paragraph(
                    f"Giao ước thi đua được ký kết ngày {pledge.signed_on:%d/%m/%Y}{place}: "
                    f"{summary.signed_count}/{members} đơn vị thành viên đã ký giao ước."
                )
            )
        else:
            blocks.append(Paragraph("Giao ước thi đua chưa được ký kết."))
        titles = listed(
            f"{tc.members}/{members} đơn vị đăng ký {tc.title.name}" for tc in summary.title_counts
        )
        if titles:
            blocks += [Paragraph("Đăng ký danh hiệu thi đua:"), ListBlock(titles)]
        if summary.collectives or summary.individuals:
            blocks.append(
                Paragraph(
                    f"Toàn {'khối' if cluster_year.cluster.kind == 'khoi' else 'cụm'} có "
                    f"{collectives} lượt tập thể và {individuals} lượt cá nhân đăng ký "
                    f"các danh hiệu thi đua."
                )
            )
    movements = documents.movements_of(pledge)
    if movements:
        blocks.append(Heading("2. Các phong trào thi đua", level=2))
        blocks.append(
            ListBlock(
                listed(f"Phong trào “{m.name}” ({m.launched_by} phát động)" for m in movements)
            )
        )
    wanted = Period.Kind.MID_YEAR if period == "mid-year" else Period.Kind.YEAR_END
    periods = list(
        pledge.periods.annotate(result_count=Count("results"))
        .filter(result_count__gt=0)
        .order_by("-ends_on", "-pk")
    )
    chosen = next((p for p in periods if p.kind == wanted), None)
    if chosen is None and period != "mid-year" and periods:
        chosen = periods[0]
    blocks.append(Heading(f"{3 if movements else 2}. Kết quả thực hiện chỉ tiêu", level=2))
    if chosen is None:
        blocks.append(Paragraph("Chưa có kết quả thực hiện chỉ tiêu."))
    else:
        chosen.pledge = pledge
        blocks += documents.attainment_table_blocks(chosen)
    return blocks


report_sections.register(
    "pledge",
    title="THỰC HIỆN GIAO ƯỚC THI ĐUA",
    order=20,
    build=pledge_report_blocks,
)
