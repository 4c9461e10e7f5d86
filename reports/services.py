"""Background exports (start one, the task runs after commit, and build it) and the
texts of the year reports."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.models import Export, ReportText
from reports.packages import BUILDERS

logger = logging.getLogger(__name__)


@transaction.atomic
def export_start(*, user, kind: str, object_id: int, title: str) -> Export:
    """Record the request and queue its task once the request's transaction commits.

    With a broker the task runs in a Celery worker; without one (the embedded default)
    it runs in-process right after the commit, through the same code.
    """
    from reports.tasks import build_export

    export = Export.objects.create(user=user, kind=kind, object_id=object_id, title=title)
    transaction.on_commit(lambda: build_export.delay(export.pk))
    return export


def export_build(*, export_id: int) -> Export:
    """Build the file of a waiting export; a failure is recorded, never raised."""
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export_id)
        if export.status != Export.Status.PENDING:
            return export
        export.status = Export.Status.RUNNING
        export.save(update_fields=["status"])
    try:
        name, content = BUILDERS[export.kind](export.user, export.object_id)
    except Exception as error:  # a broken document must not leave the user waiting forever
        logger.exception("Export %s failed", export_id)
        export.status = Export.Status.FAILED
        export.error = f"{type(error).__name__}: {error}"[:2000]
    else:
        export.file.save(name, ContentFile(content), save=False)
        export.status = Export.Status.DONE
    export.finished_at = timezone.now()
    export.save()
    return export


@transaction.atomic
def report_text_save(
    *, cluster_year, kind: str, introduction: str, assessment: str, next_tasks: str
) -> ReportText:
    """Keep the texts of a cluster year's report of ``kind`` (creating them the first
    time). The caller checked that the user may change the cluster year."""
    text = (
        ReportText.objects.select_for_update().filter(cluster_year=cluster_year, kind=kind).first()
    )
    text = text or ReportText(cluster_year=cluster_year, kind=kind)
    text.introduction = introduction.strip()
    text.assessment = assessment.strip()
    text.next_tasks = next_tasks.strip()
    text.full_clean()
    text.save()
    return text
