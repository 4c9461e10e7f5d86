"""The meetings' blocks on the cluster year page and on a person's page."""

from django.dispatch import receiver

from clusters.signals import YearSection, cluster_year_sections, person_sections
from meetings import permissions, selectors
from meetings.models import Exemplar


@receiver(cluster_year_sections)
def meetings_section(sender, request, cluster_year, **kwargs):
    meetings = selectors.meetings_of_year(cluster_year)
    exemplars = list(
        Exemplar.objects.filter(meeting__cluster_year=cluster_year)
        .select_related("person", "unit")
        .order_by("sort_key", "pk")
    )
    return YearSection(
        order=20,
        template="meetings/includes/_year_section.html",
        context={
            "cluster_year": cluster_year,
            "meetings": meetings,
            "exemplars": exemplars,
            "can_create": permissions.can_create_meeting(request.user, cluster_year),
        },
    )


@receiver(person_sections)
def person_meetings_section(sender, request, person, **kwargs):
    visible = set(
        selectors.meetings_for_user(request.user)
        .filter(participants__person=person)
        .values_list("pk", flat=True)
    )
    participations = [p for p in selectors.person_participations(person) if p.meeting_id in visible]
    exemplars = list(
        selectors.exemplars_for_user(request.user)
        .filter(person=person)
        .order_by("-meeting__starts_at")
    )
    if not participations and not exemplars:
        return None
    return YearSection(
        order=20,
        template="meetings/includes/_person_section.html",
        context={"participations": participations, "exemplars": exemplars},
    )
