"""The meetings' blocks on the cluster year page and on a person's page; the year's
minutes among the documents of the year; their section of the reports."""

from django.db.models import FilteredRelation, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.models import Person
from clusters.reports import report_sections, summary_sections
from clusters.signals import YearSection, cluster_year_sections, person_sections
from core.documents.model import Column, Paragraph, Row, Table
from meetings import documents, permissions, selectors
from meetings.models import Exemplar, Meeting, Participant


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
            search_text=exemplar.search_text,
            name_text=exemplar.name_text,
            sort_key=exemplar.sort_key,
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


def summary_meeting_blocks(cluster_years, *, year):
    """When and where each cluster held its mid-year and year-end reviews, and who
    chaired them (one query whatever the number of clusters: a row per meeting and
    chair)."""
    if not cluster_years:
        return []
    chair = FilteredRelation("participants", condition=Q(participants__role=Participant.Role.CHAIR))
    reviews, chairs = {}, {}
    for meeting in (
        Meeting.objects.filter(
            cluster_year__in=cluster_years, kind__in=[Meeting.Kind.MID_YEAR, Meeting.Kind.YEAR_END]
        )
        .annotate(chair=chair)
        .order_by("starts_at", "pk", "chair__order", "chair__pk")
        .values(
            "pk",
            "cluster_year_id",
            "kind",
            "status",
            "starts_at",
            "host__name",
            "chair__person__full_name",
        )
    ):
        reviews[(meeting["cluster_year_id"], meeting["kind"])] = meeting  # the last of its kind
        if meeting["chair__person__full_name"]:
            chairs.setdefault(meeting["pk"], []).append(meeting["chair__person__full_name"])

    def cell(cluster_year, kind):
        meeting = reviews.get((cluster_year.pk, kind))
        if meeting is None:
            return "Chưa tổ chức"
        when = timezone.localdate(meeting["starts_at"]).strftime("%d/%m/%Y")
        if meeting["status"] == Meeting.Status.PLANNED:
            return f"Dự kiến {when}"
        parts = [when]
        if meeting["host__name"]:
            parts.append(f"tại {meeting['host__name']}")
        if chairs.get(meeting["pk"]):
            parts.append(f"chủ trì: {', '.join(chairs[meeting['pk']])}")
        return "; ".join(parts)

    rows = [
        Row(
            [
                str(index),
                cluster_year.cluster.name,
                cell(cluster_year, Meeting.Kind.MID_YEAR),
                cell(cluster_year, Meeting.Kind.YEAR_END),
            ]
        )
        for index, cluster_year in enumerate(cluster_years, start=1)
    ]
    held = sum(
        1
        for meeting in reviews.values()
        if meeting["kind"] == Meeting.Kind.YEAR_END and meeting["status"] != Meeting.Status.PLANNED
    )
    columns = [
        Column("TT", width=0.6, align="center"),
        Column("Cụm, khối thi đua", width=2.6),
        Column("Hội nghị sơ kết", width=3),
        Column("Hội nghị tổng kết", width=3),
    ]
    return [
        Paragraph(
            f"{held}/{len(cluster_years)} cụm, khối đã tổ chức hội nghị tổng kết năm {year}."
        ),
        Table(columns, rows),
    ]


summary_sections.register(
    "meetings",
    title="HỘI NGHỊ SƠ KẾT, TỔNG KẾT",
    order=30,
    build=summary_meeting_blocks,
)
