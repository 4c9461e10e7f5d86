from celery import shared_task

from reports import services


@shared_task
def build_export(export_id: int) -> str:
    """Thin task: load by id, call the service."""
    return services.export_build(export_id=export_id).status
