from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The toolkit below every domain app: documents, views, forms, text, sheets."""

    name = "core"
    verbose_name = _("Toolkit")

    def ready(self):
        from django.db.models.signals import pre_save

        from core.unicode import install_form_normalization, normalize_before_saving

        # Every text typed into any form, and every text any model saves, is stored in one
        # Unicode form (core.unicode).
        install_form_normalization()
        pre_save.connect(normalize_before_saving, dispatch_uid="core.normalize_text")
