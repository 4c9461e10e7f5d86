from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring and ranking")

    def ready(self):
        from core.permissions import registry
        from scoring import (
            lacks,  # noqa: F401 (registers its checks of the dashboard)
            permissions,
            receivers,  # noqa: F401 (connects the cluster year section)
            summary,  # noqa: F401 (registers the province summary's ranking section)
        )

        registry.register_module(permissions)
