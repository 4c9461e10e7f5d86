"""Form fields and widgets every app uses.

Forms take their context (user, cluster, year) as keyword arguments and restrict every
choice to a scoped queryset. A choice id outside that scope is answered with 404, the
same as a URL pointing at another cluster's object.

Every text field of every form (these, Django's own, ModelForms and formsets) gives its
value in the product's one Unicode form, NFC without invisible characters: installed
once for ``forms.CharField`` by ``core.unicode``.
"""

import copy
from collections.abc import Callable
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import ACCEPTED, MAX_UPLOAD_BYTES
from core.text import parse_decimal

EMPTY_LABEL = _("— choose —")


class EmptyLabelMixin:
    """Replace Django's "---------" empty choice with a Vietnamese label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField):
                continue
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = EMPTY_LABEL
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)
                if choices and choices[0][0] == "":
                    field.choices = [("", EMPTY_LABEL), *choices[1:]]


def decimal_formatter() -> Callable[[Decimal | None], str]:
    """``core.text.format_decimal`` for a page that formats hundreds of numbers.

    ``format_decimal`` looks up the active language's separators for every number and
    groups the digits one by one in Python (most of a heat table's cost); this reads
    the separators once, for the language active now, and lets ``format`` group by
    threads of three (our languages' grouping; any other goes through Django): the same
    text, the number normalized, with as many decimals as it has.
    """
    language = get_language()
    decimal_separator = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousand_separator = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
    separators = str.maketrans({",": thousand_separator, ".": decimal_separator})

    def format_decimal(value: Decimal | None) -> str:
        if value is None:
            return ""
        normalized = value.normalize()
        if not normalized:
            return "0"  # as Django writes -0 too
        _sign, digits, exponent = normalized.as_tuple()
        if grouping == 3 and isinstance(exponent, int) and len(digits) + abs(exponent) <= 200:
            return f"{normalized:,f}".translate(separators)
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return numberformat.format(
            normalized,
            decimal_separator,
            places,
            grouping,
            thousand_separator,
            force_grouping=True,
            use_l10n=True,
        )

    return format_decimal


def field_copy(prototype: forms.Field, attrs: dict) -> forms.Field:
    """``prototype`` again, with a widget of its own whose attributes are ``attrs``.

    A grid's cells of one kind differ only in their widget's attributes (their names
    for screen readers, the marks of an error); building each with ``Field.__init__``
    (error messages gathered through the class hierarchy, validators, a deep copy of
    the widget) was a third of a 240-cell form's build. The copy shares with the
    prototype what no cell changes (error messages, validators, choices) and gets the
    attributes in the order ``Field.__init__`` gives them: ``attrs``, then the field's
    own (``maxlength``).
    """
    field = copy.copy(prototype)
    field.widget = copy.copy(prototype.widget)
    field.widget.attrs = {**attrs, **prototype.widget_attrs(field.widget)}
    return field


class VietnameseDecimalField(forms.CharField):
    """A number typed the Vietnamese way ("1.234,5") or pasted from Excel; gives a Decimal."""

    def __init__(self, *args, max_digits=18, decimal_places=4, min_value=None, **kwargs):
        self.max_digits, self.decimal_places, self.min_value = max_digits, decimal_places, min_value
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            number = parse_decimal(text)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a number."), code="invalid", params={"value": text}
            ) from None
        exponent = number.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if decimals > self.decimal_places:
            raise ValidationError(
                _("At most %(places)s digits after the decimal comma."),
                code="decimal_places",
                params={"places": self.decimal_places},
            )
        if len(number.as_tuple().digits) - decimals > self.max_digits - self.decimal_places:
            raise ValidationError(_("The number is too large."), code="max_digits")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Must be at least %(min)s."), code="min_value", params={"min": self.min_value}
            )
        return number


class VietnameseIntegerField(VietnameseDecimalField):
    """A count such as "18.568"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, max_digits=12, decimal_places=0, **kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        return None if number is None else int(number)


class RowsFormSetMixin:
    """A model formset over ``rows()``, read once.

    Django's model formset asks ``get_queryset()`` for every form it builds and every
    id it checks; a ``get_queryset`` returning a fresh queryset each time costs queries
    per row. Subclasses define ``rows()`` instead.
    """

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = self.rows()
        return self._queryset


class ReasonForm(forms.Form):
    """Why a closed record (a signed pledge, an approved ranking …) is reopened: one line,
    kept in the record's history with who reopened it (the history keeps 100 characters,
    "Mở lại: " included)."""

    MAX_LENGTH = 90

    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": MAX_LENGTH}),
        help_text=_("Kept in the history with your name, e.g. a figure entered wrongly."),
    )


class DateInput(forms.DateInput):
    """A day-first text date (dd/mm/yyyy) with a calendar popup from static/js/app.js."""

    def __init__(self, attrs=None):
        defaults = {"class": "js-date", "placeholder": "dd/mm/yyyy", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DateTimeInput(forms.DateTimeInput):
    """A day-first date and time (dd/mm/yyyy HH:MM) with a calendar and clock popup."""

    def __init__(self, attrs=None):
        defaults = {
            "class": "js-datetime",
            "placeholder": "dd/mm/yyyy hh:mm",
            "autocomplete": "off",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y %H:%M")


class SearchableSelect(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "js-searchable", **(attrs or {})}, choices=choices)


class SearchableSelectMultiple(forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "js-searchable", **(attrs or {})}, choices=choices)


class _OutOfScopeIs404:
    """Turn 'not a valid choice' for an id outside the scoped queryset into a 404."""

    def _raise_404_if_out_of_scope(self, error: ValidationError):
        if getattr(error, "code", None) in ("invalid_choice", "invalid_pk_value"):
            raise Http404("choice outside the user's scope")
        raise error


class ScopedModelChoiceField(_OutOfScopeIs404, forms.ModelChoiceField):
    widget = SearchableSelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", EMPTY_LABEL)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            self._raise_404_if_out_of_scope(error)


class ScopedModelMultipleChoiceField(_OutOfScopeIs404, forms.ModelMultipleChoiceField):
    widget = SearchableSelectMultiple

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as error:
            self._raise_404_if_out_of_scope(error)


class SpreadsheetUploadForm(forms.Form):
    """The file of every import: an Excel (.xlsx) or LibreOffice (.ods) spreadsheet.

    Only the size is checked here; ``core.spreadsheets.open_workbook`` checks the content.
    """

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .ods)"),
        help_text=_(
            "Use the template downloaded from this page, filled in Excel or LibreOffice. "
            "Up to 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class ServiceErrorsFormSet:
    """A formset mixin for tables saved whole by a service.

    Django's formsets have no ``add_error``: what the service refuses after the rows
    validated is added with ``add_non_form_error`` and listed by ``non_form_errors()``
    after the formset's own errors, so templates and ``total_error_count`` show it.
    """

    service_errors: tuple[str, ...] = ()

    def add_non_form_error(self, error: ValidationError | str) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        self.service_errors = (*self.service_errors, *error.messages)

    def non_form_errors(self):
        errors = super().non_form_errors()
        if not self.service_errors:
            return errors
        return self.error_class(
            [*errors, *self.service_errors], error_class="nonform", renderer=self.renderer
        )
