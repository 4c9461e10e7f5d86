from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from core.permissions import registry
        from meetings import (
            lacks,  # noqa: F401 (registers its checks of the dashboard)
            permissions,
            receivers,  # noqa: F401 (connects the page sections)
        )

        registry.register_module(permissions)
