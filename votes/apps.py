from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = _("Votes")

    def ready(self):
        from core.permissions import registry
        from votes import (
            checks,  # noqa: F401 (registers the deploy check of the ballot throttle)
            lacks,  # noqa: F401 (registers its check of the dashboard)
            permissions,
            receivers,  # noqa: F401 (connects the meeting page's block)
            reports,  # noqa: F401 (registers the votes' section of the year-end report)
        )

        registry.register_module(permissions)
