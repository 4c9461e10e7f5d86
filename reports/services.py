"""Background exports (start one, the task runs after commit, and build it) and the
texts of the year reports."""

import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import data_version
from reports.models import Export, ReportText
from reports.packages import BUILDERS

logger = logging.getLogger(__name__)


def export_fingerprint(*, user, kind: str, object_id: int, params: dict) -> str:
    """What a file of ``kind`` depends on: the data (the audit trail's version), the
    object and options asked for, and what of it the user may see."""
    scope = BUILDERS[kind].scope(user, object_id, params)
    # A new export (or its progress) is not a change of the data it is built from.
    version = data_version(ignore=frozenset({"reports.export"}))
    text = json.dumps([kind, object_id, params, scope, version], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def export_start(*, user, kind: str, object_id: int, title: str, params=None) -> Export:
    """Hand out the file of an earlier identical export if the data has not changed
    since; otherwise record the request and queue its task once the request's
    transaction commits.

    With a broker the task runs in a Celery worker; without one (the embedded default)
    it runs in-process right after the commit, through the same code.
    """
    from reports.tasks import build_export

    params = params or {}
    fingerprint = export_fingerprint(user=user, kind=kind, object_id=object_id, params=params)
    earlier = (
        Export.objects.filter(
            kind=kind, object_id=object_id, fingerprint=fingerprint, status=Export.Status.DONE
        )
        .exclude(file="")
        .select_related("reused_from")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if earlier is not None and earlier.file.storage.exists(earlier.file.name):
        return Export.objects.create(
            user=user,
            kind=kind,
            object_id=object_id,
            params=params,
            title=title,
            status=Export.Status.DONE,
            progress=100,
            file=earlier.file.name,
            fingerprint=fingerprint,
            reused_from=earlier.reused_from or earlier,
            finished_at=timezone.now(),
        )
    unfinished = Export.objects.filter(
        user=user, status__in=[Export.Status.PENDING, Export.Status.RUNNING]
    ).count()
    if unfinished >= settings.EXPORTS_UNFINISHED_PER_USER:
        raise ValidationError(
            _(
                "You already have %(count)s files being prepared: wait until they are ready "
                "before asking for another."
            )
            % {"count": unfinished}
        )
    export = Export.objects.create(
        user=user,
        kind=kind,
        object_id=object_id,
        params=params,
        title=title,
        fingerprint=fingerprint,
    )
    transaction.on_commit(lambda: build_export.delay(export.pk))
    return export


def _progress_of(export_id: int):
    def progress(done: int, total: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 0
        Export.objects.filter(pk=export_id, progress__lt=percent).update(progress=percent)

    return progress


def export_build(*, export_id: int, stuck: bool = False) -> Export:
    """Build the file of a waiting export; a failure is recorded, never raised.

    ``stuck``: also take over an export whose build stopped (``Export.is_stalled``), as
    when the user asks for it at once because no worker answers.
    """
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export_id)
        resumable = stuck and export.status == Export.Status.RUNNING and export.is_stalled
        if export.status != Export.Status.PENDING and not resumable:
            return export
        export.status = Export.Status.RUNNING
        export.save(update_fields=["status"])
    try:
        name, content = BUILDERS[export.kind].build(
            export.user, export.object_id, export.params, _progress_of(export.pk)
        )
    except Exception as error:  # a broken document must not leave the user waiting forever
        logger.exception("Export %s failed", export_id)
        export.status = Export.Status.FAILED
        export.error = f"{type(error).__name__}: {error}"[:2000]
    else:
        export.file.save(name, ContentFile(content), save=False)
        export.status = Export.Status.DONE
        export.progress = 100
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
