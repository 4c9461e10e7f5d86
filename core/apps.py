from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The toolkit below every domain app: documents, views, forms, text, sheets."""

    name = "core"
    verbose_name = _("Toolkit")
