"""The awards' blocks on the cluster year, unit and person pages."""

from django.dispatch import receiver

from awards import permissions, selectors
from clusters.signals import YearSection, cluster_year_sections, person_sections, unit_sections


@receiver(cluster_year_sections)
def year_awards_placeholder(sender, request, cluster_year, **kwargs):
    """The year's awards and reported counts, loaded after the page (no query here):
    the cluster year page stays within the composite budget however many awards."""
    return YearSection(
        order=60,
        wide=True,
        template="awards/includes/_year_placeholder.html",
        context={"cluster_year": cluster_year},
    )


def year_awards_sections(request, cluster_year) -> list[YearSection]:
    """The year's proposals and awards (one query), then the members' reported counts
    (one query)."""
    from awards.record_receivers import reported_counts_section

    sections = [
        YearSection(
            order=60,
            wide=True,
            template="awards/includes/_year_section.html",
            context={
                "cluster_year": cluster_year,
                "awards": selectors.cluster_year_awards(cluster_year),
                "can_create": permissions.can_create_award(request.user, cluster_year),
            },
        ),
        reported_counts_section(None, request=request, cluster_year=cluster_year),
    ]
    return [section for section in sections if section is not None]


@receiver(unit_sections)
def unit_awards_section(sender, request, unit, **kwargs):
    """The awards granted to the unit and to the units it carries on (mergers), each under
    the name it was decided to."""
    awards = list(selectors.unit_awards(unit, user=request.user))
    return YearSection(
        order=10,
        template="awards/includes/_unit_section.html",
        context={"unit": unit, "awards": awards},
    )


@receiver(person_sections)
def person_awards_section(sender, request, person, **kwargs):
    awards = list(selectors.person_awards(person, user=request.user))
    if not awards:
        return None
    return YearSection(
        order=30,
        template="awards/includes/_person_section.html",
        context={"person": person, "awards": awards},
    )
