"""Helpers for template tags that write the rows of a big table directly.

A list page holds 50 rows; written in template language, each row costs dozens of
variable lookups, an ``{% include %}`` or two, a ``reverse`` per link and a
``get_FOO_display`` per label (which hashes and translates every choice of its field
each time): most of the page's time. A tag that writes the rows with these helpers
gives the same markup, words and escaping for a fraction of it (see
``awards.templatetags.award_tables``).
"""

import datetime
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.text import Truncator
from django.utils.timezone import get_current_timezone, is_aware

from core.widgets import conditional_escape as escape

__all__ = ["choice_labels", "empty_row", "escape", "label", "local_date", "truncated", "url_of"]


def url_of(name: str) -> Callable[[object], str]:
    """``reverse(name, args=[pk])`` for any pk, reversed once: the pattern is fixed."""
    marker = 2147483647
    prefix, suffix = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


def choice_labels(model, field_name: str) -> dict:
    """{stored value: its label, translated now and escaped} of a field with choices."""
    return {
        value: escape(str(label)) for value, label in model._meta.get_field(field_name).flatchoices
    }


def label(labels: dict, value) -> str:
    """``get_FOO_display`` from ``choice_labels``: the label of a stored value, or the
    value itself (escaped) when it has none."""
    found = labels.get(value)
    return escape(value) if found is None else found


def empty_row(columns: int, text) -> str:
    """The one row of a table with nothing to show, spanning its ``columns``."""
    return (
        f'<tr><td colspan="{columns}" class="text-center text-muted py-4">{escape(text)}</td></tr>'
    )


def local_date(value, format_name: str = "DATE_FORMAT") -> str:
    """``{{ value|date:format_name }}``: a date, or a date and time in the local time
    zone, in the active language's format (escaped, as the filter's output is)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(get_current_timezone()) if is_aware(value) else value
    pattern = get_format(format_name)
    numeric = _numeric_pattern(pattern)
    if numeric is None:
        return escape(dateformat.format(value, pattern))
    return numeric.format(value)


# Django's date format characters written with numbers only, as ``str.format`` fields.
_NUMERIC_FIELDS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "G": "{0.hour}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}
_SEPARATORS = set(" /.:-,")


@lru_cache(maxsize=64)
def _numeric_pattern(pattern: str) -> str | None:
    """``pattern`` (e.g. "d/m/Y H:i") as a ``str.format`` pattern when it is made of
    numeric fields and separators only (nothing to translate or escape); ``None``
    otherwise. Formatting 50 moments through ``dateformat`` costs about 2 ms a page."""
    if not pattern or not all(c in _NUMERIC_FIELDS or c in _SEPARATORS for c in pattern):
        return None
    return "".join(_NUMERIC_FIELDS.get(c, c) for c in pattern)


def truncated(text: str, length: int) -> str:
    """``{{ text|truncatechars:length }}``. The filter normalizes the text (NFC) and
    only then counts; a text no longer than ``length`` comes back whole, so only the
    longer ones need the truncator's count, which skips combining marks."""
    text = unicodedata.normalize("NFC", str(text))
    if len(text) <= length:
        return text
    return Truncator(text).chars(length)
