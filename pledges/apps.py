from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Pledges")

    def ready(self):
        from core.permissions import registry
        from pledges import (
            lacks,  # noqa: F401 (registers its checks of the dashboard)
            permissions,
            receivers,  # noqa: F401 (connects the cluster year section)
        )

        registry.register_module(permissions)
