"""Turning a database constraint violation into the constraint's own message.

Forms check unique rules before saving, but two people saving at the same moment can
both pass the check; the database then refuses the second row. ``violation_error`` finds
which constraint refused it — by name on PostgreSQL, by table and columns on SQLite —
and gives its ``violation_error_message`` as a ``ValidationError``, so the user reads
"Mã đơn vị đã có trong danh mục" instead of an error page.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import BaseConstraint, UniqueConstraint
from django.utils.translation import gettext_lazy as _

GENERIC = _(
    "Someone saved the same record a moment ago, so this was not saved. Check the data "
    "and save again."
)

# PostgreSQL: 'duplicate key value violates unique constraint "unit_code_unique_in_body"'
# (and 'violates check constraint "…"'); SQLite names a CHECK constraint by name, a unique
# index created by a constraint with expressions as "index 'name'".
_NAMED = re.compile(r"""constraint "([^"]+)"|index '([^']+)'|CHECK constraint failed: (\w+)""")
# SQLite: "UNIQUE constraint failed: clusters_unit.body_id, clusters_unit.code"
_COLUMNS = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")


def _constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            yield model, constraint


def _columns(model, constraint: UniqueConstraint) -> set[str]:
    table = model._meta.db_table
    return {f"{table}.{model._meta.get_field(name).column}" for name in constraint.fields}


def find_constraint(error: IntegrityError) -> tuple[type, BaseConstraint] | None:
    """The model and constraint that refused a row, if it is one of the project's."""
    text = str(error)
    named = _NAMED.search(text)
    if named:
        name = next(group for group in named.groups() if group)
        for model, constraint in _constraints():
            if constraint.name == name:
                return model, constraint
    columns = _COLUMNS.search(text)
    if columns:
        wanted = set(columns.group(1).split(", "))
        for model, constraint in _constraints():
            if (
                isinstance(constraint, UniqueConstraint)
                and constraint.fields
                and _columns(model, constraint) == wanted
            ):
                return model, constraint
    return None


def violation_error(error: IntegrityError) -> ValidationError:
    """A ``ValidationError`` with the refusing constraint's message, or a general one."""
    found = find_constraint(error)
    if found is None:
        return ValidationError(GENERIC, code="integrity")
    _model, constraint = found
    return ValidationError(constraint.get_violation_error_message(), code=constraint.name)
