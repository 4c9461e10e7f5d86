"""Widgets that write their HTML directly, for pages with hundreds of inputs.

Django renders every widget through the template engine, at about 0.35 ms a field: a
grid of 240 cells spent two thirds of its time there. These widgets are Django's own
(same ``get_context``: attributes, ``required``, ``aria-invalid``, ``aria-describedby``,
selected options, formatted values) with ``render`` building the string that Django's
templates (``django/forms/widgets/*.html``) would build, character for character: one
escaping rule (``conditional_escape``, as autoescape), the same attribute order and the
same line breaks. ``tests/core/test_widgets.py`` holds them to Django's output.

A widget whose template a project overrides, or one with a custom ``template_name``,
must not use these classes: they ignore templates by design.
"""

import html

from django import forms
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from core import forms as core_forms


def conditional_escape(value) -> str:
    """``django.utils.html.conditional_escape`` without its lazy-string wrapper, which
    cost a grid more than the escaping itself: safe strings as they are, the rest
    escaped the same way (``html.escape``)."""
    if type(value) is str:  # most values: plain text, not safe
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_NAMES: dict[str, str] = {}  # attribute names, escaped: a handful, each met 240 times a grid


def html_attrs(attrs: dict) -> str:
    """The attributes as ``django/forms/widgets/attrs.html`` writes them: each one with a
    leading space, in order; True alone (``required``), False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        escaped = _NAMES.get(name)
        if escaped is None:
            escaped = conditional_escape(name)
            if type(name) is str and len(_NAMES) < 1000:
                _NAMES[name] = escaped
        if value is True:
            parts.append(f" {escaped}")
        else:
            parts.append(f' {escaped}="{conditional_escape(value)}"')
    return "".join(parts)


def _shown(value) -> str:
    """A value as ``{{ value }}`` shows it: dates in local time, numbers localized, escaped."""
    if not isinstance(value, str):
        value = localize(template_localtime(value))
    return conditional_escape(value)


class DirectInputMixin:
    """``input.html``: ``<input type name [value] attrs>`` and the template's line end."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_html = "" if shown is None else f' value="{conditional_escape(shown)}"'
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value_html}'
            f"{html_attrs(widget['attrs'])}>"
        )


class TextInput(DirectInputMixin, forms.TextInput):
    pass


class NumberInput(DirectInputMixin, forms.NumberInput):
    pass


class HiddenInput(DirectInputMixin, forms.HiddenInput):
    pass


class CheckboxInput(DirectInputMixin, forms.CheckboxInput):
    pass


class DateInput(DirectInputMixin, core_forms.DateInput):
    """The product's day-first date (``core.forms.DateInput``), written directly."""


class Textarea(forms.Textarea):
    """``textarea.html``: the value on the line after the opening tag, if any."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = _shown(widget["value"]) if widget["value"] else ""
        return mark_safe(
            f'<textarea name="{conditional_escape(widget["name"])}"'
            f"{html_attrs(widget['attrs'])}>\n{shown}</textarea>"
        )


class Select(forms.Select):
    """``select.html`` with ``select_option.html`` for each option, optgroups included."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"']
        parts.append(f"{html_attrs(widget['attrs'])}>")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{html_attrs(option['attrs'])}>{_shown(option['label'])}"
                    "</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
