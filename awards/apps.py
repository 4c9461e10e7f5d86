from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
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
            tally,
        )
        from core.permissions import registry

        registry.register_module(permissions)
        # The triggers keeping the granted awards' tallies: none while migrating.
        pre_migrate.connect(tally.on_pre_migrate, sender=self, dispatch_uid="awards.tally")
        post_migrate.connect(tally.on_post_migrate, sender=self, dispatch_uid="awards.tally")
