"""The "all documents of the year" and the "reports" blocks on the cluster year page."""

from django.dispatch import receiver

from clusters.signals import YearSection, cluster_year_sections


@receiver(cluster_year_sections)
def package_section(sender, request, cluster_year, **kwargs):
    return YearSection(
        order=5,
        template="reports/includes/_year_package.html",
        context={"cluster_year": cluster_year},
    )


@receiver(cluster_year_sections)
def reports_section(sender, request, cluster_year, **kwargs):
    return YearSection(
        order=6,
        template="reports/includes/_year_reports.html",
        context={"cluster_year": cluster_year},
    )
