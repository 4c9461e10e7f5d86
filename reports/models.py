"""Background exports (documents that take a while are built by a task while the user
waits on a "preparing…" page), and the texts staff write into the year reports."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def export_path(instance, filename):
    return f"exports/{instance.user_id}/{instance.pk}/{filename}"


class Export(models.Model):
    class Kind(models.TextChoices):
        YEAR_PACKAGE = "year_package", _("Documents of an emulation year (ZIP)")
        PROVINCE_SUMMARY = "province_summary", _("Summary of the clusters and blocs of a year")
        YEAR_REPORTS = "year_reports", _("Reports of every cluster and bloc of a year (ZIP)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exports",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    # What else the file depends on (year, report kind, format), as the builder reads it.
    params = models.JSONField(_("options"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300)
    # Only reports.services changes the status.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    file = models.FileField(_("file"), upload_to=export_path, max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Share of the work done, 0–100, for the progress bar.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, editable=False)
    # The data and scope the file was built from: while they hold, the file is re-used.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        editable=False,
        verbose_name=_("re-used from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="export_user_recent_idx"),
            models.Index(fields=["kind", "object_id", "fingerprint"], name="export_reuse_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:export-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        """No worker took it up in time (or the one building it stopped): the page then
        offers to build it at once, in the request."""
        waited = (timezone.now() - self.created_at).total_seconds()
        if self.status == self.Status.PENDING:
            return waited > settings.EXPORT_WAIT_SECONDS
        if self.status == self.Status.RUNNING:
            return waited > settings.EXPORT_STUCK_SECONDS
        return False


class ReportText(models.Model):
    """What staff write into a cluster year's report before printing it: the
    introduction, the assessment and the tasks ahead. Empty parts print a default."""

    class Kind(models.TextChoices):
        YEAR_END = "year-end", _("Year-end report")
        MID_YEAR = "mid-year", _("Mid-year report")

    cluster_year = models.ForeignKey(
        "clusters.ClusterYear",
        on_delete=models.CASCADE,
        related_name="report_texts",
        verbose_name=_("year"),
    )
    kind = models.CharField(_("report"), max_length=10, choices=Kind.choices)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Printed before the first section. Plain text or Markdown."),
    )
    assessment = models.TextField(
        _("general assessment"),
        blank=True,
        help_text=_("Strengths, shortcomings and their causes. Plain text or Markdown."),
    )
    next_tasks = models.TextField(
        _("tasks ahead"),
        blank=True,
        help_text=_(
            "Tasks for next year (year-end report) or the second half of the year "
            "(mid-year report). Plain text or Markdown."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "kind"],
                name="reporttext_once_per_year_and_kind",
                violation_error_message=_("This year already has texts for this report."),
            ),
        ]

    def __str__(self):
        return f"{self.cluster_year} — {self.get_kind_display()}"
