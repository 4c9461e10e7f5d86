from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        from awards import (
            lacks,  # noqa: F401 (registers the dashboard's awards checks)
            permissions,
            receivers,  # noqa: F401 (the awards' blocks on the year, unit and person pages)
            record_receivers,  # noqa: F401 (initiatives and reported counts on those pages)
            reports,  # noqa: F401 (registers the awards' report and summary sections)
        )
        from core.permissions import registry

        registry.register_module(permissions)
