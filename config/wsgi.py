import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from core.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
# The views imported now rather than by the first request, and then all of it settled.
get_resolver().url_patterns  # noqa: B018
settle()
