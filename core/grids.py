"""Grids that never lose an update: a page's form carries what it showed.

When a grid page is rendered, one hidden input holds a signed, compressed snapshot of
the values it showed, ``{cell key: canonical value}``. On save every guarded cell has
three values: ``seen`` (the snapshot), ``now`` (stored, read by the service under the
rows' lock, in the transaction that writes) and ``posted``. ``reconcile`` decides:

- ``now == seen``: nobody else changed the cell since the page was loaded: the posted
  value is saved;
- ``posted == now``: nothing to decide;
- ``posted == seen`` but ``now != seen``: someone else changed it and this user left it:
  the newer stored value stays;
- otherwise both changed it: ``StaleCells`` is raised and nothing at all is saved.

A missing or tampered snapshot is never read as "nothing changed" (that would silently
overwrite others' work, the very thing this module prevents): every cell whose posted
value differs from the stored one is then a conflict, listed for the user to check; the
page comes back with a fresh snapshot, so saving again goes through.

``rebased`` rebuilds a refused form on the current values: everything the user typed
is kept, cells others changed and the user left show the newer values, each
conflicting cell is flagged (class ``is-conflict``, a title, and a line in
``form.conflicts``).
"""

import datetime
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.html import format_html
from django.utils.translation import gettext as _

SNAPSHOT_NAME = "grid-snapshot"
_SALT = "core.grids.snapshot"


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN = _Marker("UNKNOWN")  # what the page showed is not known (no valid snapshot)
REMOVED = _Marker("REMOVED")  # the posted "value" of a row the user deletes


def canonical(value) -> Any:
    """A JSON value equal for equal cell contents, however they were typed or stored.

    Empty (None, "", False, an empty list) is ""; numbers are normalised Decimals as
    text (1500, 1500.00 and Decimal("1.5E+3") are all "1500"); text is stripped with
    Windows line ends made plain; dates are ISO; several values (ticked ids) are a
    sorted list; a model instance is its primary key.
    """
    if isinstance(value, _Marker):
        return value
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, int | Decimal | float):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        return "0" if number.is_zero() else format(number.normalize(), "f")
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(str(item) for item in map(canonical, value) if item != "")
        return items or ""
    if hasattr(value, "pk"):
        return canonical(value.pk)
    return str(value).strip()


def key_text(key: Hashable) -> str:
    """A cell key as the snapshot stores it: ``(12, 7)`` → ``"12:7"``."""
    return ":".join(map(str, key)) if isinstance(key, tuple) else str(key)


def sign_snapshot(shown: Mapping[Hashable, Any]) -> str:
    return signing.dumps(
        {key_text(key): canonical(value) for key, value in shown.items()},
        salt=_SALT,
        compress=True,
    )


def read_snapshot(token: str | None) -> dict[str, Any] | None:
    """The snapshot of ``sign_snapshot``; None when it is missing or was tampered with."""
    if not token:
        return None
    try:
        values = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return values if isinstance(values, dict) else None


@dataclass(frozen=True)
class Conflict:
    """A cell both this user and someone else changed (canonical values)."""

    key: Hashable
    seen: Any  # UNKNOWN when the page had no valid snapshot
    now: Any
    posted: Any  # REMOVED when the user deletes the row

    @property
    def seen_known(self) -> bool:
        return self.seen is not UNKNOWN


class StaleCells(ValidationError):
    """Someone else saved some of the same cells after the page was loaded.

    Nothing was saved. ``conflicts`` lists the cells both changed; ``kept`` holds the
    cells someone else changed that this user left (they show the newer value).
    """

    def __init__(self, *, conflicts: list[Conflict], kept=frozenset()):
        self.conflicts = list(conflicts)
        self.kept = frozenset(kept)
        if all(conflict.seen_known for conflict in self.conflicts):
            message = _(
                "Someone else saved some of these cells after you opened the page, so "
                "nothing was saved. Your entries are kept below and cells you did not "
                "change show the newer values: check the cells listed and save again."
            )
        else:
            message = _(
                "This page could not be checked against what others saved since you "
                "opened it, so nothing was saved. Your entries are kept below: check the "
                "cells listed against the saved values and save again."
            )
        super().__init__(message, code="stale")


def reconcile(
    *, seen: Mapping[Hashable, Any] | None, now: Mapping[Hashable, Any], posted: Mapping
) -> frozenset:
    """The posted cells that must keep their stored value; raises ``StaleCells``.

    ``posted`` holds every cell the save would write and ``now`` the stored values,
    read under the rows' lock by the caller (a missing key is an empty cell). ``seen``
    is what the page showed (``SnapshotMixin.seen``): None means no check at all
    (imports with their own check, commands); a key it lacks was not on the page, so
    its stored value stays; an ``UNKNOWN`` value makes any difference a conflict.
    """
    if seen is None:
        return frozenset()
    keep, conflicts = set(), []
    for key, value in posted.items():
        if key not in seen:
            keep.add(key)
            continue
        mine, theirs, before = canonical(value), canonical(now.get(key)), canonical(seen[key])
        if mine == theirs or theirs == before:
            continue
        if mine == before:
            keep.add(key)
        else:
            conflicts.append(Conflict(key=key, seen=before, now=theirs, posted=mine))
    if conflicts:
        raise StaleCells(conflicts=conflicts, kept=keep)
    return frozenset(keep)


# --- Forms -------------------------------------------------------------------------------


class SnapshotMixin:
    """A form or formset that carries a snapshot of the values it shows.

    While building its fields the form calls ``self.guard(name, key=..., shown=...)``
    for every guarded field (``shown`` is the stored value, as the service will read
    it); a formset passes ``form=`` for the fields of its forms. The template renders
    ``{{ form.snapshot_input }}`` inside the ``<form>``. ``conflict_label(key)`` names a
    cell the way a person would (by default its ``aria-label``, else its label);
    ``describe(bound_field)`` may be overridden for fields whose value is not in the
    data (files).
    """

    conflicts: tuple[str, ...] | list[str] = ()
    stale_error: StaleCells | None = None

    @property
    def guarded(self) -> dict:
        """{key: (form, field name, canonical shown value)} in page order."""
        if "_guarded" not in self.__dict__:
            self._guarded = {}
        return self._guarded

    def guard(self, name: str, *, key: Hashable, shown, form=None) -> None:
        self.guarded[key] = (form if form is not None else self, name, canonical(shown))

    def snapshot_token(self) -> str:
        return sign_snapshot({key: shown for key, (_form, _name, shown) in self.guarded.items()})

    @property
    def snapshot_input(self) -> str:
        """A bound form sends back the snapshot it came with: after invalid cells the
        page still stands for what the user first saw."""
        token = self.data.get(SNAPSHOT_NAME, "") if self.is_bound else self.snapshot_token()
        return format_html('<input type="hidden" name="{}" value="{}">', SNAPSHOT_NAME, token)

    def seen(self) -> dict[Hashable, Any] | None:
        """What the page showed, by key; every key ``UNKNOWN`` without a valid snapshot."""
        if not self.is_bound:
            return None
        values = read_snapshot(self.data.get(SNAPSHOT_NAME))
        if values is None:
            return dict.fromkeys(self.guarded, UNKNOWN)
        return {key: values[key_text(key)] for key in self.guarded if key_text(key) in values}

    def conflict_label(self, key: Hashable) -> str:
        """The cell's name for screen readers (its row and column), else its label."""
        form, name, _shown = self.guarded[key]
        field = form.fields[name]
        return str(field.widget.attrs.get("aria-label") or field.label or name)

    def describe(self, bound_field) -> str:
        return describe(bound_field)

    def mark_conflicts(self, error: StaleCells, fresh: "SnapshotMixin") -> None:
        """Flag the cells of ``error`` and list them: label, the saved and typed values."""
        by_key = {conflict.key: conflict for conflict in error.conflicts}
        self.stale_error, self.conflicts = error, []
        for key, (form, name, _shown) in self.guarded.items():
            conflict = by_key.get(key)
            if conflict is None or key not in fresh.guarded:
                continue
            fresh_form, fresh_name, _fresh_shown = fresh.guarded[key]
            values = {
                "cell": self.conflict_label(key),
                "theirs": fresh.describe(fresh_form[fresh_name]),
                "yours": self.describe(form[name]),
            }
            if conflict.posted is REMOVED:
                text = _("%(cell)s: someone else saved %(theirs)s, you delete the row") % values
            elif conflict.seen_known:
                text = _("%(cell)s: someone else saved %(theirs)s, you typed %(yours)s") % values
            else:
                text = _("%(cell)s: the saved value is %(theirs)s, you typed %(yours)s") % values
            attrs = form.fields[name].widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-conflict".strip()
            attrs["title"] = text
            self.conflicts.append(text)


def describe(bound_field) -> str:
    """The value a field shows (bound: as typed; unbound: as stored), for a message."""
    field, value = bound_field.field, bound_field.value()
    if isinstance(field.widget, forms.CheckboxInput):
        return _("ticked") if value else _("not ticked")
    if isinstance(field, forms.FileField):
        text = getattr(value, "name", value) or ""
    elif isinstance(field, forms.ChoiceField) and not isinstance(value, list | tuple):
        labels = {str(choice): label for choice, label in field.choices}
        text = "" if value in (None, "") else labels.get(str(value), value)
    else:
        text = field.widget.format_value(value)
        if isinstance(text, list | tuple):
            text = ", ".join(map(str, text))
    text = str(text or "").strip()
    return text or _("(empty)")


def _put(data, name: str, bound_field) -> None:
    """Write the value ``bound_field`` shows into posted ``data`` under ``name``."""
    field, value = bound_field.field, bound_field.initial
    if isinstance(field, forms.FileField):
        return  # files are not in the data; an untouched file input keeps the stored file
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
        return
    if getattr(field.widget, "allow_multiple_selected", False):
        values = [str(canonical(item)) for item in value or []]
        if hasattr(data, "setlist"):
            data.setlist(name, values)
        else:
            data[name] = values
        return
    text = field.widget.format_value(value)
    if isinstance(text, list | tuple):  # a single choice
        text = text[0] if text else ""
    data[name] = "" if text is None else str(text)


def rebased(form, error: StaleCells, make_form: Callable[..., Any]):
    """``form`` again on the current values after ``error``; nothing typed is lost.

    ``make_form(data, files)`` builds the page's form from the current database state
    (``make_form(None, None)``: unbound). Cells others changed that the user left, and
    cells the page did not show, take the stored values; the rest stays as typed;
    conflicts are flagged; the snapshot is fresh, so saving again goes through.
    """
    fresh = make_form(None, None)
    data = form.data.copy()
    seen = form.seen() or {}
    for key, (fresh_form, fresh_name, _shown) in fresh.guarded.items():
        if key in error.kept or key not in seen:
            if key in form.guarded:
                old_form, old_name, _old_shown = form.guarded[key]
                name = old_form.add_prefix(old_name)
            else:
                name = fresh_form.add_prefix(fresh_name)
            _put(data, name, fresh_form[fresh_name])
    data[SNAPSHOT_NAME] = fresh.snapshot_token()
    again = make_form(data, form.files)
    again.is_valid()
    again.mark_conflicts(error, fresh)
    return again
