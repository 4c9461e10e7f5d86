from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Clusters and units")

    def ready(self):
        from clusters import permissions
        from core.permissions import registry

        registry.register_module(permissions)
        _quiet_last_login()


def _quiet_last_login():
    """Accounts are audited, but a login only moves ``last_login`` (which the history
    leaves out): record no history row for it, or every login would read as an empty
    change in the audit log."""
    from django.contrib.auth import user_logged_in
    from django.contrib.auth.models import update_last_login

    def update_last_login_quietly(sender, user, **kwargs):
        user.skip_history_when_saving = True
        try:
            update_last_login(sender, user, **kwargs)
        finally:
            del user.skip_history_when_saving

    if user_logged_in.disconnect(dispatch_uid="update_last_login"):
        user_logged_in.connect(update_last_login_quietly, dispatch_uid="update_last_login")
