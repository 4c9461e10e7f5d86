"""The pledge's block on the cluster year page, its documents of the year and its
section of the reports."""

from decimal import Decimal

from django.db.models import Count
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.reports import listed, report_sections, summary_sections
from clusters.signals import YearSection, cluster_year_sections
from core.charts import bar_chart, drawn
from core.documents.model import Chart, Column, Heading, ListBlock, Paragraph, Row, Table
from core.text import format_decimal, vn_count
from pledges import documents, permissions, selectors
from pledges.models import Period, Pledge, Registration
from pledges.selectors import with_figures


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


def summary_pledge_blocks(cluster_years, *, year):
    """Each cluster's pledge: members who signed and registered, the collectives and
    individuals registered, and the titles units registered for across the province
    (two queries whatever the number of clusters)."""
    if not cluster_years:
        return []
    pledges = {
        pledge.cluster_year_id: pledge
        for pledge in with_figures(Pledge.objects.filter(cluster_year__in=cluster_years))
    }
    titles = list(
        Registration.titles.through.objects.filter(registration__pledge__in=pledges.values())
        .values("awardtype__name", "awardtype__order", "awardtype__sort_key")
        .annotate(members=Count("registration_id"))
        .order_by("awardtype__order", "awardtype__sort_key")
    )
    rows, totals = [], [0, 0, 0, 0]
    for index, cluster_year in enumerate(cluster_years, start=1):
        pledge = pledges.get(cluster_year.pk)
        members = cluster_year.member_count
        if pledge is None:
            rows.append(Row([str(index), cluster_year.cluster.name, "Chưa có giao ước"]))
            continue
        figures = [
            pledge.signed_count,
            pledge.registered_count,
            pledge.collectives_total,
            pledge.individuals_total,
        ]
        totals = [total + value for total, value in zip(totals, figures, strict=True)]
        rows.append(
            Row(
                [
                    str(index),
                    cluster_year.cluster.name,
                    f"{pledge.signed_count}/{members}",
                    f"{pledge.registered_count}/{members}",
                    vn_count(pledge.collectives_total),
                    vn_count(pledge.individuals_total),
                ]
            )
        )
    members = sum(cy.member_count for cy in cluster_years)
    rows.append(
        Row(
            [
                "",
                "Tổng cộng",
                f"{vn_count(totals[0])}/{vn_count(members)}",
                f"{vn_count(totals[1])}/{vn_count(members)}",
                vn_count(totals[2]),
                vn_count(totals[3]),
            ],
            kind="total",
        )
    )
    table = Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Cụm, khối thi đua", width=3),
            Column("Đơn vị ký giao ước", width=1.4, align="center"),
            Column("Đơn vị đăng ký thi đua", width=1.4, align="center"),
            Column("Lượt tập thể đăng ký", width=1.4, align="right"),
            Column("Lượt cá nhân đăng ký", width=1.4, align="right"),
        ],
        rows,
    )
    registered = (
        f"toàn tỉnh có {vn_count(totals[2])} lượt tập thể và {vn_count(totals[3])} lượt cá "
        "nhân đăng ký các danh hiệu thi đua."
        if totals[2] or totals[3]
        else "chưa có số liệu lượt tập thể, cá nhân đăng ký các danh hiệu thi đua."
    )
    blocks = [
        Paragraph(
            f"{len(pledges)}/{len(cluster_years)} cụm, khối đã xây dựng giao ước thi đua năm "
            f"{year}; {registered}"
        ),
        table,
    ]
    counted = [cy for cy in cluster_years if cy.pk in pledges]
    if totals[2] or totals[3]:
        title = f"Biểu đồ. Lượt tập thể, cá nhân đăng ký thi đua năm {year} theo cụm, khối"
        blocks.append(
            Chart(
                title,
                _drawn_bar_chart(
                    categories=[cy.cluster.name for cy in counted],
                    series=[
                        ("Tập thể", [pledges[cy.pk].collectives_total for cy in counted]),
                        ("Cá nhân", [pledges[cy.pk].individuals_total for cy in counted]),
                    ],
                    decimals=0,
                    description=title,
                ),
            )
        )
    if titles:
        blocks.append(Paragraph("Đơn vị đăng ký danh hiệu thi đua:"))
        blocks.append(
            ListBlock(
                listed(f"{row['awardtype__name']}: {row['members']} đơn vị" for row in titles)
            )
        )
    return blocks


def _drawn_bar_chart(**content) -> str:
    return drawn(bar_chart, **content)


summary_sections.register(
    "pledges",
    title="GIAO ƯỚC VÀ ĐĂNG KÝ THI ĐUA",
    order=20,
    build=summary_pledge_blocks,
)
