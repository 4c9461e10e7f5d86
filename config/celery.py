"""Celery application.

With ``CELERY_BROKER_URL`` set, tasks go to Redis and a worker runs them
(``celery -A config worker``). Without it (the embedded default) every task runs
in-process, eagerly, through the same code path.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("thidua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
