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
    from django.utils import timezone

    def update_last_login_quietly(sender, user, **kwargs):
        # An update of the one column, not a save: no history row, and nothing set on
        # the user object, which several requests may share.
        user.last_login = timezone.now()
        type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)

    if user_logged_in.disconnect(dispatch_uid="update_last_login"):
        user_logged_in.connect(update_last_login_quietly, dispatch_uid="update_last_login")
