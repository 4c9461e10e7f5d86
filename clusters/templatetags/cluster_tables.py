"""The rows of the registers' lists (units, emulation years, people), written directly.

A page of these lists holds 50 rows, each with a link reversed through
``get_absolute_url``, a label of a choice or a number formatted by a filter, and a
handful of lookups: in template language, most of the page's time. Each tag writes the
rows the list's template wrote, with the same markup, words, escaping and numbers (see
``core.rows``).
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from clusters.models import Unit
from core.rows import choice_labels, empty_row, escape, label, local_date, truncated, url_of
from core.templatetags.thidua import active_period, number

register = template.Library()


def _numbered(start, index) -> str:
    """``{{ page_obj.start_index|add:forloop.counter0 }}``: blank where the page's place
    is unknown (a search ranked in tiers)."""
    return "" if not isinstance(start, int) else str(start + index)


@register.simple_tag
def unit_rows(units, *, start=None) -> SafeString:
    """The ``<tr>`` of each unit (read with its register and its parent), numbered from
    ``start``."""
    unit_url = url_of("clusters:unit-detail")
    kinds = choice_labels(Unit, "kind")
    parts = []
    for index, unit in enumerate(units):
        kind = label(kinds, unit.kind)
        parent = unit.parent
        period = escape(active_period(unit.active_from, unit.active_to))
        parts.append(
            f'<tr><td class="num">{_numbered(start, index)}</td>'
            f'<td><a href="{unit_url(unit.pk)}">{escape(unit.name)}</a></td>'
            f"<td>{escape(unit.short_name)}</td>"
            f"<td>{kind}</td>"
            f"<td>{escape(unit.code)}</td>"
            f"<td>{escape(parent.name) if parent is not None else ''}</td>"
            f"<td>{period}</td>"
            f'<td class="small text-muted">{escape(unit.body.name)}</td></tr>'
        )
    if not parts:
        parts.append(empty_row(8, gettext("No units match.")))
    return mark_safe("\n".join(parts))


@register.simple_tag
def cluster_year_rows(cluster_years) -> SafeString:
    """The ``<tr>`` of each year (``selectors.with_leaders``: its member count, and its
    ``head`` and ``deputy`` set by the view from ``selectors.leaders_of``)."""
    year_url = url_of("clusters:clusteryear-detail")
    parts = []
    for cluster_year in cluster_years:
        url = year_url(cluster_year.pk)
        cluster = cluster_year.cluster
        head = getattr(cluster_year, "head", None)
        deputy = getattr(cluster_year, "deputy", None)
        parts.append(
            f'<tr><td><a href="{url}">{cluster_year.year}</a></td>'
            f'<td><a href="{url}">{escape(cluster.name)}</a></td>'
            f"<td>{escape(head.name) if head is not None and head.name else '—'}</td>"
            f"<td>{escape(deputy.name) if deputy is not None and deputy.name else '—'}</td>"
            f'<td class="num">{escape(number(cluster_year.member_count))}</td>'
            f'<td class="small text-muted">{escape(cluster.body.name)}</td></tr>'
        )
    if not parts:
        parts.append(empty_row(6, gettext("No emulation years match.")))
    return mark_safe("\n".join(parts))


@register.simple_tag
def person_rows(people, *, start=None) -> SafeString:
    """The ``<tr>`` of each person (read with their unit and register), numbered from
    ``start``."""
    person_url = url_of("clusters:person-detail")
    parts = []
    for index, person in enumerate(people):
        unit = person.unit
        parts.append(
            f'<tr><td class="num">{_numbered(start, index)}</td>'
            f'<td><a href="{person_url(person.pk)}">{escape(person.full_name)}</a></td>'
            f"<td>{escape(person.position)}</td>"
            f"<td>{escape(unit.name) if unit is not None else ''}</td>"
            f'<td class="small text-muted">{escape(person.body.name)}</td></tr>'
        )
    if not parts:
        parts.append(empty_row(5, gettext("No people match.")))
    return mark_safe("\n".join(parts))


@register.simple_tag
def audit_rows(entries, *, show_record: bool) -> SafeString:
    """The ``<tr>`` of each audit entry (``clusters.audit.entries``, with its ``link``):
    when, who, the record (``show_record``), the kind of change and the values changed,
    or one row saying that nothing was recorded. A page of the audit log holds 50
    entries of several changes each."""
    # (gettext outside the f-strings: makemessages does not read inside them.)
    created, deleted, changed = gettext("created"), gettext("deleted"), gettext("changed")
    badges = {
        "created": f'<span class="badge text-bg-success">{escape(created)}</span>',
        "deleted": f'<span class="badge text-bg-danger">{escape(deleted)}</span>',
    }
    changed = f'<span class="badge text-bg-secondary">{escape(changed)}</span>'
    unchanged = escape(gettext("saved without change"))
    unchanged = f'<span class="text-muted small">{unchanged}</span>'
    system = escape(gettext("system"))
    system = f'<span class="text-muted">{system}</span>'
    parts = []
    for entry in entries:
        row = entry.row
        who = escape(entry.who) if entry.who else system
        cells = [
            f'<td class="text-nowrap">{local_date(row.history_date, "d/m/Y H:i")}</td>',
            f"<td>{who}</td>",
        ]
        if show_record:
            record = f"{escape(capfirst(entry.audited.name))} #{escape(entry.record_id)}"
            if entry.link:
                record = f'<a href="{escape(entry.link)}">{record}</a>'
            cells.append(f"<td>{record}</td>")
        kind = badges.get(entry.kind, changed)
        if row.history_change_reason:
            kind += f'\n        <div class="small">{escape(row.history_change_reason)}</div>'
        cells.append(f"<td>{kind}</td>")
        if entry.changes:
            items = "".join(
                f"<li><strong>{escape(capfirst(change.label))}:</strong> "
                + (f"<del>{escape(truncated(change.old, 120))}</del> → " if change.old else "")
                + f"{escape(truncated(change.new, 120))}</li>"
                for change in entry.changes
            )
            values = f'<ul class="list-unstyled mb-0 small">{items}</ul>'
        else:
            values = unchanged if entry.kind == "changed" else ""
        cells.append(f"<td>{values}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    if not parts:
        empty = escape(gettext("No changes recorded."))
        return mark_safe(f'<tr><td colspan="5" class="text-muted">{empty}</td></tr>')
    return mark_safe("\n".join(parts))
