"""The progress heat table's cells, written directly.

A year's table has 240 cells, each with a tooltip, a status icon, a value and a ratio;
in template language each cell cost ~30 variable lookups, an include and four number
filters (most of the page's time, on the period's page and the cluster year page).
``{% heat_cells row %}`` writes one row's cells as the template did, the same markup,
words and escaping; the icons are those of ``_heat_status.html``, which the legend
still includes.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.forms import decimal_formatter
from core.widgets import conditional_escape as escape
from pledges.attainment import Status
from pledges.models import Target

register = template.Library()

ICONS = {
    Status.EXCEEDED: "bi-chevron-double-up",
    Status.MET: "bi-check-lg",
    Status.NOT_MET: "bi-x-lg",
    Status.IN_PROGRESS: "bi-arrow-repeat",
    Status.REPORTED: "bi-chat-left-text",
    Status.NOT_REPORTED: "bi-hourglass-split",
}


def _named_icon(status) -> str:
    """``_heat_status.html`` with ``named=True``: the icon, named for screen readers."""
    icon = ICONS.get(status, "bi-dash")
    return f'<i class="bi heat-icon {icon}" role="img" aria-label="{escape(status.label)}"></i>\n'


def whole_percent(number, percent: Decimal) -> str:
    """``{{ percent|floatformat:"0g" }}`` with ``number`` (``decimal_formatter``):
    rounded half up to a whole number, grouped, never "-0"."""
    return number(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@register.simple_tag
def heat_cells(row) -> SafeString:
    """The ``<td>`` of each member on ``row`` (``selectors.ProgressRow``)."""
    number = decimal_formatter()
    icons = {}  # by status: the same icon and name for every cell
    words = {True: escape(gettext("Yes")), False: escape(gettext("No"))}
    target = row.target
    measure = target.measure
    committed_word = escape(gettext("committed"))
    yes_no = gettext("yes,no").split(",")
    expected_text = ""
    if row.share < 100:
        expected_text = gettext("expected by now (%(share)s%%)") % {
            "share": escape(number(row.share))
        }
    parts = []
    for cell in row.cells:
        status = cell.attainment.status
        if not cell.commitment:
            committed = "—"
        elif measure == Target.Measure.TEXT:
            committed = escape(cell.commitment.text)
        elif measure == Target.Measure.BOOLEAN:
            committed = escape(yes_no[0] if cell.commitment.value else yes_no[1])
        else:
            committed = escape(number(cell.commitment.value))
        expected = ""
        if cell.expected is not None and expected_text:
            expected = f" {expected_text}: {escape(number(cell.expected))};"
        if status not in icons:
            icons[status] = (_named_icon(status), escape(status.label))
        icon, label = icons[status]
        title = (
            f"{escape(cell.member.unit.display_name)} — {committed_word}: {committed};"
            f"{expected} {label}"
        )
        parts.append(
            f'\n      <td class="heat heat-{status}" data-status="{status}" title="{title}">'
            f"\n        {icon}\n        {_result(cell, measure, number, words)}"
            "\n      </td>\n      "
        )
    return mark_safe("".join(parts))


def _result(cell, measure, number, words) -> str:
    """The value reported, and its ratio to what was expected."""
    if not cell.result:
        return ""
    if measure == Target.Measure.TEXT:
        shown = escape(truncatechars(cell.result.text, 24))
    elif measure == Target.Measure.BOOLEAN:
        shown = words[bool(cell.result.value)]
    else:
        shown = escape(number(cell.result.value))
    percent = cell.attainment.percent
    if percent is not None and measure != Target.Measure.BOOLEAN:
        shown += f'<span class="heat-ratio">{escape(whole_percent(number, percent))}%</span>'
    return shown


@register.simple_tag
def heat_rows(table) -> SafeString:
    """The body of the heat table (``selectors.ProgressTable``): under each group's
    heading (when it has a name), each target's row — its number, name, unit and set
    share, the members' cells (``heat_cells``) and the cluster's total."""
    number = decimal_formatter()
    span = len(table.members) + 2
    not_judged = escape(gettext("not judged"))
    parts = []
    for group in table.groups:
        if group.name:
            parts.append(
                f'<tr class="group-row"><th colspan="{span}">{escape(group.numeral)}.'
                f" {escape(group.name)}</th></tr>"
            )
        for row in table.rows:
            if row.target.group != group.name:
                continue
            target = row.target
            heading = (
                f'<span class="text-muted">{escape(target.number)}</span> {escape(target.name)}'
            )
            if target.unit_label:
                heading += f' <span class="text-muted small">({escape(target.unit_label)})</span>'
            if target.share_is_set:
                share = gettext("%(share)s%% expected") % {"share": escape(number(row.share))}
                heading += f' <span class="badge text-bg-light border heat-share">{share}</span>'
            parts.append(
                f'<tr>\n      <th class="sticky-col fw-normal">{heading}</th>\n      '
                f"{heat_cells(row)}"
                f'<td class="text-center heat-total">\n        '
                f"{_total(row, number, not_judged)}</td>\n    </tr>"
            )
    return mark_safe("\n".join(parts))


def _total(row, number, not_judged: str) -> str:
    """The cluster's total on a row: the sum or mean (the yes answers of a yes/no), and
    how many of the members committed met it."""
    total, measure = row.total, row.target.measure
    shown = ""
    if measure == Target.Measure.BOOLEAN:
        if total.answered:
            text = gettext("%(yes)s/%(answered)s yes") % {
                "yes": escape(localize(total.yes)),
                "answered": escape(localize(total.answered)),
            }
            shown = f'<span class="heat-total-value">{text}</span>'
    elif total.value is not None:
        percent = "%" if measure == Target.Measure.PERCENT else ""
        shown = f'<span class="heat-total-value">{escape(number(total.value))}{percent}</span>'
    met = ""
    if total.committed:
        text = gettext("%(attained)s/%(committed)s units met") % {
            "attained": escape(localize(total.attained)),
            "committed": escape(localize(total.committed)),
        }
        met = f'<span class="heat-total-attained d-block small">{text}</span>'
    elif measure == Target.Measure.TEXT:
        met = f'<span class="text-muted small">{not_judged}</span>'
    return f"{shown}\n        {met}\n      "
