from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The toolkit below every domain app: documents, views, forms, text, sheets."""

    name = "core"
    verbose_name = _("Toolkit")

    def ready(self):
        from core.unicode import install_form_normalization

        # Every text typed into any form is stored in one Unicode form (core.unicode).
        install_form_normalization()
