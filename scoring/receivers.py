"""The scoring block on the cluster year page (three queries: the sheet with its criteria,
the members unless the page loaded them, the scores), the year's score summary and
the ranking section of the year-end report."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.reports import report_sections
from clusters.signals import YearSection, cluster_year_sections
from scoring import documents, permissions, selectors


@receiver(cluster_year_sections)
def scoring_section(sender, request, cluster_year, **kwargs):
    sheet = selectors.sheet_of_year(cluster_year)
    context = {
        "sheet": sheet,
        "cluster_year": cluster_year,
        "can_create": permissions.can_create_criteriasheet(request.user, cluster_year),
    }
    if sheet is not None:
        ranking = selectors.ranking_of(sheet)
        context.update(
            ranking=ranking,
            top=ranking.top if ranking.standings and sheet.is_locked else [],
            levels=permissions.levels_for(request.user, sheet),
        )
    return YearSection(order=30, template="scoring/includes/_year_section.html", context=context)


year_documents.register(
    "results",
    label=_("Score summary"),
    order=30,
    folder="cham-diem",
    build=documents.year_results_documents,
)


report_sections.register(
    "ranking",
    title="KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA",
    kind="year-end",
    order=40,
    build=documents.report_ranking_blocks,
)
