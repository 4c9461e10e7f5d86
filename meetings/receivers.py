"""The meetings' blocks on the cluster year page and on a person's page; the year's
minutes among the documents of the year; their section of the reports."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.models import Person
from clusters.reports import report_sections
from clusters.signals import YearSection, cluster_year_sections, person_sections
from meetings import documents, permissions, selectors
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


@receiver(post_save, sender=Person)
def refresh_exemplar_names(sender, instance, **kwargs):
    """An individual exemplar is searched and sorted by its person's name: keep it current."""
    for exemplar in Exemplar.objects.filter(person=instance):
        exemplar.person = instance
        exemplar.refresh_text_keys()
        Exemplar.objects.filter(pk=exemplar.pk).update(
            search_text=exemplar.search_text, sort_key=exemplar.sort_key
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


year_documents.register(
    "minutes",
    label=_("Minutes of the meetings"),
    order=20,
    folder="hoi-nghi",
    build=documents.year_minutes_documents,
)


report_sections.register(
    "meetings",
    title="CÁC HỘI NGHỊ TRONG NĂM",
    order=30,
    build=documents.report_meeting_blocks,
)
