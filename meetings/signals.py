"""The meeting page's extension point: apps above meetings (votes) add their blocks here
without meetings importing them."""

from django.dispatch import Signal

from clusters.signals import YearSection

# Sent when a meeting's page is rendered, with ``request`` and ``meeting``; receivers
# return a ``YearSection`` (a template and its context) or None.
meeting_sections = Signal()


def collect_meeting_sections(request, meeting) -> list[YearSection]:
    results = meeting_sections.send(sender=meeting.__class__, request=request, meeting=meeting)
    sections = [section for _receiver, section in results if section is not None]
    return sorted(sections, key=lambda section: section.order)
