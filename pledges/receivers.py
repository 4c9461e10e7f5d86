"""The pledge's block on the cluster year page and its documents of the year."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.signals import YearSection, cluster_year_sections
from pledges import documents, permissions, selectors


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
