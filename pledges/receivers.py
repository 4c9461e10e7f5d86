"""The pledge's block on the cluster year page."""

from django.dispatch import receiver

from clusters.signals import YearSection, cluster_year_sections
from pledges import permissions, selectors
from pledges.models import Pledge


@receiver(cluster_year_sections)
def pledge_section(sender, request, cluster_year, **kwargs):
    pledge = Pledge.objects.filter(cluster_year=cluster_year).first()
    context = {
        "pledge": pledge,
        "cluster_year": cluster_year,
        "can_create": permissions.can_create_pledge(request.user, cluster_year),
    }
    if pledge is not None:
        pledge.cluster_year = cluster_year
        period = selectors.latest_period(pledge)
        context.update(
            summary=selectors.pledge_summary(pledge),
            table=selectors.progress_table(period) if period else None,
        )
    return YearSection(
        order=10, template="pledges/includes/_year_section.html", context=context, wide=True
    )
