"""Cluster conferences (hội nghị): who chaired and attended, what was presented,
discussed and concluded, the exemplary models introduced, photos and documents.

Status moves planned → held → minutes approved only through ``meetings.services``;
approved minutes are read-only except for staff, and every row is audited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import ClusterMember, ClusterYear, Person, SearchableModel, Unit


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLEDGE_SIGNING = "pledge_signing", _("Pledge signing")
        MID_YEAR = "mid_year", _("Mid-year review (sơ kết)")
        YEAR_END = "year_end", _("Year-end review (tổng kết)")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        APPROVED = "approved", _("Minutes approved")

    cluster_year = models.ForeignKey(
        ClusterYear, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("year")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("title"),
        max_length=500,
        help_text=_("E.g. Tổng kết công tác thi đua, khen thưởng năm 2022."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    host = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host unit"),
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    report = models.TextField(
        _("report presented"),
        blank=True,
        help_text=_("Summary of the report presented at the meeting."),
    )
    discussion = models.TextField(_("discussion"), blank=True)
    minutes_number = models.PositiveIntegerField(
        _("minutes number"),
        null=True,
        blank=True,
        help_text=_("The number of the minutes, e.g. 5 for “Số: 05/BB-CTĐ”."),
    )
    # Only meetings.services changes the status.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PLANNED,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Participant(models.Model):
    """A person at the meeting: a chair, the secretary, a guest or an invited exemplar.

    ``position`` is the position as it was at the meeting (copied from the person).
    """

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary of the meeting")
        GUEST = "guest", _("Guest")
        EXEMPLAR = "exemplar", _("Invited exemplary individual")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.CharField(_("position at the meeting"), max_length=500, blank=True)
    organization = models.CharField(
        _("from"),
        max_length=255,
        blank=True,
        help_text=_("For guests: e.g. Ban Thi đua - Khen thưởng Trung ương."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "role"],
                name="participant_once_per_role",
                violation_error_message=_("This person already has this role at the meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.person.full_name} ({self.get_role_display()})"

    @property
    def label(self) -> str:
        position = self.position or self.person.position
        return f"{self.person.full_name} — {position}" if position else self.person.full_name


class Attendance(models.Model):
    """Whether a member unit attended and who represented it (who may vote)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        ClusterMember,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("member unit"),
    )
    present = models.BooleanField(_("present"), default=True)
    representative = models.CharField(_("represented by"), max_length=150, blank=True)
    representative_position = models.CharField(_("position"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_once_per_member",
                violation_error_message=_("This member's attendance is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.member.unit} — {self.meeting}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=500)
    presenter = models.CharField(_("presented by"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Conclusion(models.Model):
    """A conclusion of the meeting; optionally a follow-up task with an owner and a due date.

    Open tasks are listed on every later meeting of the same cluster until marked done.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="conclusions", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("conclusion"))
    is_task = models.BooleanField(_("follow-up task"), default=False)
    owner = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("owner unit"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["order", "pk"]
        indexes = [
            models.Index(
                fields=["meeting"], condition=Q(is_task=True, done_on__isnull=True),
                name="conclusion_open_task_idx",
            )
        ]  # fmt: skip

    def __str__(self):
        return self.text[:80]

    @property
    def is_open_task(self) -> bool:
        return self.is_task and self.done_on is None


class Exemplar(SearchableModel):
    """An exemplary model (điển hình tiên tiến) introduced at a meeting."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Individual")
        COLLECTIVE = "collective", _("Collective")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="exemplars", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exemplars",
        verbose_name=_("person"),
    )
    collective = models.CharField(
        _("collective"), max_length=255, blank=True, help_text=_("E.g. Trường Tiểu học Na Rì.")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exemplars",
        verbose_name=_("of unit"),
    )
    achievement = models.TextField(_("achievement"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exemplary model")
        verbose_name_plural = _("exemplary models")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(person__isnull=False))
                | (Q(kind="collective") & ~Q(collective="")),
                name="exemplar_names_someone",
                violation_error_message=_(
                    "Name the person for an individual, or the collective for a collective."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", args=[self.meeting_id]) + f"#exemplar-{self.pk}"

    @property
    def name(self) -> str:
        if self.kind == self.Kind.PERSON and self.person_id:
            return self.person.full_name
        return self.collective

    def search_sources(self):
        return [self.name, self.achievement[:300]]

    def sort_source(self):
        return self.name


def attachment_path(instance, filename):
    return f"meetings/{instance.meeting_id}/{filename}"


class Attachment(models.Model):
    """A photo or document of the meeting, stored outside the static root and served only
    through a permission-checked view."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
