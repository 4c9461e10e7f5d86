"""The pledge's block on the cluster year page."""

from django.dispatch import receiver

from clusters.signals import YearSection, cluster_year_sections
from pledges import permissions, selectors


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
