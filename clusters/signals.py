"""Extension points for the apps that build on clusters.

The base app cannot import the apps above it, so pages it owns ask them for their
parts through signals (the pattern pretix uses for its event pages).
"""

from dataclasses import dataclass, field

from django.dispatch import Signal

# Sent when the cluster year page is rendered, with ``request`` and ``cluster_year``.
# Receivers return a ``YearSection`` (or None to add nothing).
cluster_year_sections = Signal()

# Sent when a person's page is rendered, with ``request`` and ``person``; receivers
# return a ``YearSection`` too (meetings attended, exemplary records, awards).
person_sections = Signal()

# Sent when a unit's page is rendered, with ``request`` and ``unit``; receivers return a
# ``YearSection`` (the unit's awards, its predecessors' included).
unit_sections = Signal()


@dataclass
class YearSection:
    """One block of the cluster year page: a template and the context it needs."""

    order: int
    template: str
    context: dict = field(default_factory=dict)
    wide: bool = False


def collect_year_sections(request, cluster_year) -> list[YearSection]:
    results = cluster_year_sections.send(
        sender=cluster_year.__class__, request=request, cluster_year=cluster_year
    )
    sections = [section for _receiver, section in results if section is not None]
    return sorted(sections, key=lambda section: section.order)


def collect_person_sections(request, person) -> list[YearSection]:
    results = person_sections.send(sender=person.__class__, request=request, person=person)
    sections = [section for _receiver, section in results if section is not None]
    return sorted(sections, key=lambda section: section.order)


def collect_unit_sections(request, unit) -> list[YearSection]:
    results = unit_sections.send(sender=unit.__class__, request=request, unit=unit)
    sections = [section for _receiver, section in results if section is not None]
    return sorted(sections, key=lambda section: section.order)
