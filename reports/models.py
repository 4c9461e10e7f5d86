"""Background exports: documents that take a while are built by a task while the user
waits on a "preparing…" page."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def export_path(instance, filename):
    return f"exports/{instance.user_id}/{instance.pk}/{filename}"


class Export(models.Model):
    class Kind(models.TextChoices):
        YEAR_PACKAGE = "year_package", _("Documents of an emulation year (ZIP)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    title = models.CharField(_("title"), max_length=300)
    # Only reports.services changes the status.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    file = models.FileField(_("file"), upload_to=export_path, max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="export_user_recent_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:export-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
