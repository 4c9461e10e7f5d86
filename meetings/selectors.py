"""Reads of meetings, scoped through ``clusters.selectors``."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from clusters.models import ClusterMember
from clusters.selectors import ROLE_ORDER, visible_clusters_q
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Conclusion,
    Exemplar,
    Meeting,
    Participant,
)

CLUSTER_PATH = "cluster_year__cluster"


def meetings_for_user(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(visible_clusters_q(user, CLUSTER_PATH)).select_related(
        "cluster_year", "cluster_year__cluster", "cluster_year__cluster__body", "host"
    )


# The columns the meeting and exemplar tables show (``meetings.templatetags.meeting_tables``)
# and their lists' orders: a page of 50 otherwise reads every column of five tables,
# a meeting's report and discussion among them, and builds every field of each row.
MEETING_TABLE_FIELDS = (
    "starts_at",
    "title",
    "kind",
    "place",
    "status",
    "cluster_year__year",
    "cluster_year__cluster__name",
    "host__name",
)
EXEMPLAR_TABLE_FIELDS = (
    "kind",
    "collective",
    "achievement",
    "sort_key",
    "person__full_name",
    "unit__name",
    "meeting__starts_at",
    "meeting__cluster_year__cluster__name",
)


def meetings_tabled(user) -> QuerySet[Meeting]:
    """``meetings_for_user`` with only what the table of meetings shows."""
    return (
        meetings_for_user(user)
        .select_related(None)
        .select_related("cluster_year__cluster", "host")
        .only(*MEETING_TABLE_FIELDS)
    )


def exemplars_for_user(user) -> QuerySet[Exemplar]:
    return Exemplar.objects.filter(
        visible_clusters_q(user, f"meeting__{CLUSTER_PATH}")
    ).select_related("meeting", "meeting__cluster_year__cluster", "person", "unit")


def exemplars_tabled(user) -> QuerySet[Exemplar]:
    """``exemplars_for_user`` with only what the table of exemplary models shows."""
    return exemplars_for_user(user).only(*EXEMPLAR_TABLE_FIELDS)


def attachments_for_user(user) -> QuerySet[Attachment]:
    return Attachment.objects.filter(visible_clusters_q(user, f"meeting__{CLUSTER_PATH}"))


def conclusions_for_user(user) -> QuerySet[Conclusion]:
    return Conclusion.objects.filter(
        visible_clusters_q(user, f"meeting__{CLUSTER_PATH}")
    ).select_related("meeting", "meeting__cluster_year__cluster", "owner")


def participants_of(meeting: Meeting) -> list[Participant]:
    return list(
        Participant.objects.filter(meeting=meeting)
        .select_related("person", "person__unit")
        .order_by("order", "pk")
    )


def attendance_rows(meeting: Meeting) -> list[tuple[ClusterMember, Attendance | None]]:
    """Every member of the meeting's year with its attendance record (if any)."""
    members = list(
        ClusterMember.objects.filter(cluster_year_id=meeting.cluster_year_id)
        .select_related("unit")
        .order_by(ROLE_ORDER, "unit__sort_key", "pk")
    )
    records = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    return [(member, records.get(member.pk)) for member in members]


def open_tasks_before(meeting: Meeting) -> list[Conclusion]:
    """Follow-up tasks of earlier meetings of the same cluster that are not done yet."""
    return list(
        Conclusion.objects.filter(
            is_task=True,
            done_on__isnull=True,
            meeting__cluster_year__cluster_id=meeting.cluster_year.cluster_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related("meeting__cluster_year__cluster", "owner")
        .order_by("due_on", "meeting__starts_at", "order")
    )


@dataclass
class MeetingDetail:
    participants: list[Participant]
    attendance: list
    agenda: list[AgendaItem]
    conclusions: list[Conclusion]
    exemplars: list[Exemplar]
    attachments: list[Attachment]
    open_tasks: list[Conclusion]

    @property
    def chairs(self):
        return [p for p in self.participants if p.role == Participant.Role.CHAIR]

    @property
    def secretaries(self):
        return [p for p in self.participants if p.role == Participant.Role.SECRETARY]

    @property
    def guests(self):
        return [p for p in self.participants if p.role == Participant.Role.GUEST]

    @property
    def invited_exemplars(self):
        return [p for p in self.participants if p.role == Participant.Role.EXEMPLAR]

    @property
    def present(self):
        return [(m, a) for m, a in self.attendance if a is not None and a.present]

    @property
    def absent(self):
        return [(m, a) for m, a in self.attendance if a is not None and not a.present]


def meeting_detail(meeting: Meeting) -> MeetingDetail:
    """Everything the meeting page and the minutes print (eight queries)."""
    return MeetingDetail(
        participants=participants_of(meeting),
        attendance=attendance_rows(meeting),
        agenda=list(meeting.agenda.order_by("order", "pk")),
        conclusions=list(
            meeting.conclusions.select_related("owner", "meeting__cluster_year__cluster").order_by(
                "order", "pk"
            )
        ),
        exemplars=list(meeting.exemplars.select_related("person", "unit")),
        attachments=list(meeting.attachments.order_by("kind", "uploaded_at", "pk")),
        open_tasks=open_tasks_before(meeting),
    )


def calendar_for_user(user, *, year: int | None = None, days_back: int = 60, limit: int = 8):
    """(upcoming, recent) meetings across the user's clusters, for the dashboard: the
    next ``limit`` and the last ``limit``, read together in one query (each side
    numbered by its own order, the rows past ``limit`` left in the database).

    "Recent" is the last ``days_back`` days, or, when a past ``year`` is looked at, the
    meetings of that emulation year.
    """
    now = timezone.now()
    if year is not None and year < timezone.localdate().year:
        recent = Q(cluster_year__year=year, starts_at__lt=now)
    else:
        recent = Q(starts_at__lt=now, starts_at__gte=now - datetime.timedelta(days=days_back))
    ahead = Q(starts_at__gte=now)
    side = Case(When(ahead, then=Value(1)), default=Value(0), output_field=IntegerField())
    place = Case(
        When(
            ahead,
            then=Window(RowNumber(), partition_by=[side], order_by=[F("starts_at"), F("pk")]),
        ),
        default=Window(RowNumber(), partition_by=[side], order_by=[F("starts_at").desc(), F("pk")]),
        output_field=IntegerField(),
    )
    rows = list(
        meetings_for_user(user)
        .filter(ahead | recent)
        .annotate(_ahead=side, _place=place)
        .filter(_place__lte=limit)
        .order_by("starts_at", "pk")
    )
    upcoming = [meeting for meeting in rows if meeting._ahead]
    recent_rows = [meeting for meeting in rows if not meeting._ahead]
    recent_rows.sort(key=lambda meeting: (-meeting.starts_at.timestamp(), meeting.pk))
    return upcoming, recent_rows


def meetings_of_year(cluster_year) -> list[Meeting]:
    return list(
        Meeting.objects.filter(cluster_year=cluster_year)
        .select_related("host")
        .order_by("starts_at", "pk")
    )


def person_participations(person) -> list[Participant]:
    return list(
        Participant.objects.filter(person=person)
        .select_related("meeting", "meeting__cluster_year__cluster")
        .order_by("-meeting__starts_at")
    )
