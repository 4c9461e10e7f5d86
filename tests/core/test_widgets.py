"""The direct widgets write exactly the HTML of Django's template-rendered ones; the
decimal formatter of big pages formats as ``format_decimal``."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core import forms as core_forms
from core import widgets
from core.forms import decimal_formatter
from core.text import format_decimal

NASTY = "<\"&'>"

ATTRS = {"class": "form-control form-control-sm grid-input", "aria-label": f"Thu {NASTY} — Na Rì"}

# (direct widget, Django's widget, values to render)
PAIRS = [
    (widgets.TextInput, forms.TextInput, ["", None, "1.234,5", NASTY, 0, Decimal("2.50")]),
    (widgets.NumberInput, forms.NumberInput, ["", None, 3, "12"]),
    (widgets.HiddenInput, forms.HiddenInput, ["", None, 42, NASTY]),
    (widgets.CheckboxInput, forms.CheckboxInput, [True, False, None, "", "on", NASTY]),
    (
        widgets.DateInput,
        core_forms.DateInput,
        [None, "", datetime.date(2025, 3, 9), "31/12/2025", NASTY],
    ),
    (widgets.Textarea, forms.Textarea, ["", None, "one\r\ntwo", NASTY, mark_safe("<b>x</b>")]),
]

CHOICES = [("", "—"), ("1", "Có"), ("0", f"Không {NASTY}"), (NASTY, "odd value")]
GROUPED = [("", "—"), ("Nhóm <1>", [("a", "A"), ("b", "B")]), ("c", 3), ("d", Decimal("1.5"))]


@pytest.mark.parametrize(
    ("direct", "django_widget", "value"),
    [(direct, theirs, value) for direct, theirs, values in PAIRS for value in values],
)
def test_an_input_renders_as_djangos(direct, django_widget, value):
    attrs = {**ATTRS, "required": True, "disabled": False, "data-max": 10}
    extra = {"id": "id_c-1-2", "aria-invalid": "true", "aria-describedby": "id_c-1-2_helptext"}
    ours = direct(attrs=attrs).render("c-1-2", value, attrs=extra)
    theirs = django_widget(attrs=attrs).render("c-1-2", value, attrs=extra)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", ["", "1", "0", NASTY, None, "b", "d"])
def test_a_select_renders_as_djangos(choices, value):
    attrs = {**ATTRS, "class": "form-select form-select-sm grid-input"}
    ours = widgets.Select(attrs=attrs, choices=choices).render("c-1-2", value, {"id": "x"})
    theirs = forms.Select(attrs=attrs, choices=choices).render("c-1-2", value, {"id": "x"})
    assert str(ours) == str(theirs)


def test_a_select_renders_localized_labels_as_djangos(settings):
    settings.LANGUAGE_CODE = "vi"
    choices = [("1", Decimal("1234.5")), ("2", datetime.date(2025, 3, 9))]
    ours = widgets.Select(choices=choices).render("n", "2")
    theirs = forms.Select(choices=choices).render("n", "2")
    assert str(ours) == str(theirs)


def _form(module, data=None):
    """A form of every direct widget (or Django's), with a help text, a required and a
    disabled field."""

    class Form(forms.Form):
        text = forms.CharField(
            max_length=5, widget=module.TextInput(attrs=ATTRS), help_text="Ghi chú"
        )
        number = forms.IntegerField(required=False, widget=module.NumberInput)
        choice = forms.ChoiceField(
            choices=CHOICES, required=False, widget=module.Select(attrs=ATTRS)
        )
        ticked = forms.BooleanField(required=False, widget=module.CheckboxInput(attrs=ATTRS))
        day = forms.DateField(required=False, widget=module.DateInput(attrs=ATTRS))
        note = forms.CharField(required=False, widget=module.Textarea(attrs={"rows": 1}))
        hidden = forms.CharField(required=False, widget=module.HiddenInput)
        frozen = forms.CharField(required=False, disabled=True, widget=module.TextInput)

    return Form(data, initial={"text": NASTY, "choice": "1", "ticked": True, "hidden": NASTY})


class _Django:
    TextInput, NumberInput, Select = forms.TextInput, forms.NumberInput, forms.Select
    CheckboxInput, Textarea, HiddenInput = forms.CheckboxInput, forms.Textarea, forms.HiddenInput
    DateInput = core_forms.DateInput


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": "too long " + NASTY, "number": "x", "choice": NASTY, "day": "32/13/2025"},
        {"text": "ok", "number": "3", "choice": "0", "ticked": "on", "day": "09/03/2025"},
    ],
    ids=["unbound", "invalid", "valid"],
)
def test_a_bound_field_renders_as_djangos(data):
    ours, theirs = _form(widgets, data), _form(_Django, data)
    if data:
        assert ours.is_valid() == theirs.is_valid()
    for name in theirs.fields:
        assert str(ours[name]) == str(theirs[name]), name
    if data and data["number"] == "x":
        text = str(ours["text"])
        assert 'aria-invalid="true"' in text
        assert 'aria-describedby="id_text_helptext id_text_error"' in text
        assert 'value="too long &lt;&quot;&amp;&#x27;&gt;"' in text


@pytest.mark.parametrize(
    "value",
    [NASTY, mark_safe("<b>safe</b>"), 3, None, Decimal("1.50"), gettext_lazy("Yes & no")],
)
def test_escaping_is_djangos(value):
    assert widgets.conditional_escape(value) == conditional_escape(value)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "value",
    [
        None,
        Decimal("0"),
        Decimal("-0"),
        Decimal("0.0000"),
        Decimal("1234567.5000"),
        Decimal("-1234567.25"),
        Decimal("-0.25"),
        Decimal("0.0001"),
        Decimal("1E+3"),
        Decimal("12"),
        Decimal("999.999"),
        Decimal("123456789012345678"),
    ],
)
def test_the_decimal_formatter_formats_as_format_decimal(language, value):
    with translation.override(language):
        assert decimal_formatter()(value) == format_decimal(value)


def test_a_field_copy_renders_and_validates_as_a_new_field():
    prototype = forms.CharField(max_length=5, required=False, widget=widgets.TextInput)
    attrs = {"class": "grid-input", "aria-label": "Thu — Na Rì"}
    copied = core_forms.field_copy(prototype, attrs)
    built = forms.CharField(max_length=5, required=False, widget=widgets.TextInput(attrs=attrs))
    assert copied.widget is not prototype.widget
    assert copied.widget.attrs == built.widget.attrs
    assert list(copied.widget.attrs) == list(built.widget.attrs)  # maxlength last
    assert prototype.widget.attrs == {"maxlength": "5"}
    with pytest.raises(forms.ValidationError):
        copied.clean("too long")
