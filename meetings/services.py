"""Writes and workflows of meetings.

Status moves planned → held → minutes approved (and back to held by staff) only here.
Callers check permissions; these functions keep every row inside the meeting's cluster
year and register, and save each section whole or not at all.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import ClusterMember, ClusterYear, Person, Unit
from core.uploads import validate_attachment
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Conclusion,
    Exemplar,
    Meeting,
    Participant,
)

MEETING_FIELDS = ("kind", "title", "starts_at", "ends_at", "host", "place", "minutes_number")
CONTENT_FIELDS = ("report", "discussion")


def _check_unit(cluster_year: ClusterYear, unit: Unit | None, field: str) -> None:
    if unit is not None and unit.body_id != cluster_year.cluster.body_id:
        raise ValidationError({field: _("This unit is not in the cluster's register.")})


# --- The meeting -------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, cluster_year: ClusterYear, **fields) -> Meeting:
    meeting = Meeting(cluster_year=cluster_year)
    return _meeting_save(meeting, fields)


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    return _meeting_save(meeting, fields)


def _meeting_save(meeting: Meeting, fields: dict) -> Meeting:
    for name in (*MEETING_FIELDS, *CONTENT_FIELDS):
        if name in fields:
            value = fields[name]
            if value is None and name in ("place", "report", "discussion"):
                value = ""
            setattr(meeting, name, value)
    _check_unit(meeting.cluster_year, meeting.host, "host")
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting) -> Meeting:
    """The meeting took place: its record can now be completed and approved."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not started yet."))
    meeting.status = Meeting.Status.HELD
    meeting.save()
    return meeting


@transaction.atomic
def meeting_approve_minutes(*, meeting: Meeting) -> Meeting:
    """Approve the minutes: they need a chair and the members' attendance."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Only the minutes of a held meeting can be approved."))
    problems = []
    if not meeting.participants.filter(role=Participant.Role.CHAIR).exists():
        problems.append(_("Record who chaired the meeting."))
    if not meeting.attendances.exists():
        problems.append(_("Record the members' attendance."))
    if problems:
        raise ValidationError(problems)
    meeting.status = Meeting.Status.APPROVED
    meeting.save()
    return meeting


@transaction.atomic
def meeting_reopen(*, meeting: Meeting) -> Meeting:
    """Return approved minutes to "held" so they can be corrected (staff; audited)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.APPROVED:
        raise ValidationError(_("The minutes are not approved."))
    meeting.status = Meeting.Status.HELD
    meeting.save()
    return meeting


# --- Sections ----------------------------------------------------------------------------


def _person_for(meeting: Meeting, row: dict) -> Person:
    """The chosen person, or a new one in the cluster's register."""
    person = row.get("person")
    if person is not None:
        if person.body_id != meeting.cluster_year.cluster.body_id:
            raise ValidationError(_("This person is not in the cluster's register."))
        return person
    name = (row.get("new_name") or "").strip()
    if not name:
        raise ValidationError(_("Choose a person or type a new name."))
    person = Person(
        body_id=meeting.cluster_year.cluster.body_id,
        full_name=name,
        position=(row.get("position") or "").strip(),
    )
    person.full_clean()
    person.save()
    return person


def _replace(model, meeting: Meeting, rows: list[dict], build) -> int:
    """Replace a section of the meeting with ``rows`` (keeps history of every row)."""
    for old in model.objects.filter(meeting=meeting):
        old.delete()
    created = 0
    for order, row in enumerate(rows, start=1):
        obj = build(row)
        obj.meeting = meeting
        if hasattr(obj, "order"):
            obj.order = order
        obj.full_clean()
        obj.save()
        created += 1
    return created


@transaction.atomic
def participants_save(*, meeting: Meeting, rows: list[dict]) -> int:
    """Chairs, the secretary, guests and invited exemplary people, in order."""
    seen = set()
    built = []
    for row in rows:
        person = _person_for(meeting, row)
        key = (person.pk, row["role"])
        if key in seen:
            raise ValidationError(
                _("%(name)s is listed twice with the same role.") % {"name": person.full_name}
            )
        seen.add(key)
        built.append(
            {
                "person": person,
                "role": row["role"],
                "position": (row.get("position") or person.position).strip(),
                "organization": (row.get("organization") or "").strip(),
            }
        )
    return _replace(Participant, meeting, built, lambda row: Participant(**row))


@transaction.atomic
def attendance_save(*, meeting: Meeting, rows: Mapping[int, dict]) -> int:
    """Attendance by member {member id: {present, representative, representative_position}}.

    A member left out of ``rows`` keeps its record; ``present=None`` removes it.
    """
    members = set(
        ClusterMember.objects.filter(cluster_year_id=meeting.cluster_year_id).values_list(
            "pk", flat=True
        )
    )
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    changed = 0
    for member_id, data in rows.items():
        if member_id not in members:
            raise ValidationError(_("A row refers to a unit that is not a member this year."))
        record = existing.get(member_id)
        if data.get("present") is None:
            if record is not None:
                record.delete()
                changed += 1
            continue
        values = (
            bool(data["present"]),
            (data.get("representative") or "").strip(),
            (data.get("representative_position") or "").strip(),
        )
        if (
            record is not None
            and (
                record.present,
                record.representative,
                record.representative_position,
            )
            == values
        ):
            continue
        record = record or Attendance(meeting=meeting, member_id=member_id)
        record.present, record.representative, record.representative_position = values
        record.full_clean()
        record.save()
        changed += 1
    return changed


@transaction.atomic
def agenda_save(*, meeting: Meeting, rows: list[dict]) -> int:
    return _replace(
        AgendaItem,
        meeting,
        rows,
        lambda row: AgendaItem(title=row["title"], presenter=row.get("presenter") or ""),
    )


@transaction.atomic
def conclusions_save(*, meeting: Meeting, rows: list[dict]) -> int:
    """Conclusions in order; a task needs an owner unit of the register."""
    for row in rows:
        if row.get("is_task") and row.get("owner") is None:
            raise ValidationError(_("A follow-up task needs an owner unit."))
        _check_unit(meeting.cluster_year, row.get("owner"), "owner")
    return _replace(
        Conclusion,
        meeting,
        rows,
        lambda row: Conclusion(
            text=row["text"],
            is_task=bool(row.get("is_task")),
            owner=row.get("owner") if row.get("is_task") else None,
            due_on=row.get("due_on") if row.get("is_task") else None,
            done_on=row.get("done_on"),
            done_note=row.get("done_note") or "",
        ),
    )


@transaction.atomic
def task_mark_done(
    *, conclusion: Conclusion, done_on: datetime.date | None = None, note: str = ""
) -> Conclusion:
    if not conclusion.is_task:
        raise ValidationError(_("This conclusion is not a follow-up task."))
    conclusion.done_on = done_on or timezone.localdate()
    conclusion.done_note = note
    conclusion.full_clean()
    conclusion.save()
    return conclusion


@transaction.atomic
def exemplars_save(*, meeting: Meeting, rows: list[dict]) -> int:
    built = []
    for row in rows:
        _check_unit(meeting.cluster_year, row.get("unit"), "unit")
        person = None
        if row["kind"] == Exemplar.Kind.PERSON:
            person = _person_for(meeting, row)
        built.append(
            {
                "kind": row["kind"],
                "person": person,
                "collective": (row.get("collective") or "").strip()
                if row["kind"] == Exemplar.Kind.COLLECTIVE
                else "",
                "unit": row.get("unit"),
                "achievement": row["achievement"],
            }
        )
    return _replace(Exemplar, meeting, built, lambda row: Exemplar(**row))


@transaction.atomic
def attachment_add(*, meeting: Meeting, upload, kind: str, caption: str = "", user=None):
    """Store a photo or document after checking its content, size and type."""
    detected = validate_attachment(upload)
    if kind == Attachment.Kind.PHOTO and detected not in ("jpg", "png", "webp"):
        raise ValidationError(_("A photo must be a JPEG, PNG or WebP image."))
    attachment = Attachment(
        meeting=meeting,
        kind=kind,
        original_name=upload.name[:255],
        size=upload.size,
        caption=caption,
        uploaded_by=user,
    )
    attachment.file.save(upload.name, upload, save=False)
    name = attachment.file.name
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.storage.delete(name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
