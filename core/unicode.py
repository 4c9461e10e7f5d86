"""One Unicode form for every text the product stores.

The same "Huyện Na Rì" arrives as NFC from most keyboards and as NFD (a base letter
followed by combining marks) from macOS, from some spreadsheets and from copy-paste out
of PDFs; an invisible zero-width space may come with it. Stored side by side they look
equal and compare different, so names that must be unique would not be. Every text is
therefore brought to ``core.text.normalize_text`` on its way in, at three shared places:

- forms: every ``forms.CharField`` (and so every ModelForm text field, formset row,
  ``RegexField``, ``EmailField``, number typed as text …) normalises in ``to_python``,
  installed once from ``CoreConfig.ready``. Password inputs are left exactly as typed, so
  passwords set before keep working;
- spreadsheets: ``core.spreadsheets.open_workbook`` normalises every text cell it reads;
- models: ``NormalizedTextModel`` normalises its text fields in ``full_clean`` and
  ``save``, a safety net for services, commands and imports that build rows directly.
"""

from django import forms
from django.apps import apps as global_apps
from django.db import models

from core.text import normalize_text


def _normalizing_to_python(original):
    def to_python(self, value):
        value = original(self, value)
        if not isinstance(value, str) or isinstance(self.widget, forms.PasswordInput):
            return value
        normalized = normalize_text(value)
        if normalized != value and self.strip:
            # An invisible character may have hidden spaces from ``strip``.
            normalized = normalized.strip()
        return normalized

    to_python.normalizes_unicode = True
    return to_python


def install_form_normalization() -> None:
    """Make every form text field give NFC text without invisible characters."""
    if getattr(forms.CharField.to_python, "normalizes_unicode", False):
        return
    forms.CharField.to_python = _normalizing_to_python(forms.CharField.to_python)


def normalize_text_fields(instance: models.Model) -> None:
    """Bring every text field value of ``instance`` to the one stored form."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, normalize_text(value))


class NormalizedTextModel:
    """A model mixin: text fields are normalised before validation and before saving.

    Subclasses that derive columns from the texts (search keys) extend ``prepare_text``,
    so validation and saving both see the derived values of the normalised texts.
    """

    def prepare_text(self) -> None:
        normalize_text_fields(self)

    def full_clean(self, *args, **kwargs):
        self.prepare_text()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.prepare_text()
        super().save(*args, **kwargs)


def normalize_before_saving(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save`` of every model: whatever saves a row (a service, a command, the
    admin), its text is stored NFC without invisible characters. Fixtures load as they
    are (``raw``); bulk writes carry text that came through forms or the spreadsheet
    reader, both normalised already. Migrations' historical models save what the
    migration says."""
    if not raw and instance._meta.apps is global_apps:
        normalize_text_fields(instance)
