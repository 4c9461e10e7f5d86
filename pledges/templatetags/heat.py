"""The progress heat table's cells, written directly.

A year's table has 240 cells, each with a tooltip, a status icon, a value and a ratio;
in template language each cell cost ~30 variable lookups, an include and four number
filters (most of the page's time). ``heat_cells`` writes one row's cells as the
template did, the same markup, words and escaping.
"""

from django import template
from django.template.defaultfilters import floatformat, truncatechars
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


@register.simple_tag
def heat_icon(status, named=False) -> SafeString:
    """A status as an icon: named for screen readers with ``named``, otherwise
    decorative, beside its name."""
    icon = ICONS.get(status, "bi-dash")
    if named:
        return mark_safe(
            f'<i class="bi heat-icon {icon}" role="img" aria-label="{escape(status.label)}"></i>'
        )
    return mark_safe(f'<i class="bi heat-icon {icon}" aria-hidden="true"></i>')


@register.filter
def heat_cells(row) -> SafeString:
    """The ``<td>`` of each member on ``row`` (``selectors.ProgressRow``)."""
    number = decimal_formatter()
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
        title = (
            f"{escape(cell.member.unit.display_name)} — {committed_word}: {committed};"
            f"{expected} {escape(status.label)}"
        )
        parts.append(
            f'\n      <td class="heat heat-{status}" data-status="{status}" title="{title}">'
            f"\n        {heat_icon(status, named=True)}\n\n        {_result(cell, measure, number)}"
            "\n      </td>\n      "
        )
    return mark_safe("".join(parts))


def _result(cell, measure, number) -> str:
    """The value reported, and its ratio to what was expected."""
    if not cell.result:
        return ""
    if measure == Target.Measure.TEXT:
        shown = escape(truncatechars(cell.result.text, 24))
    elif measure == Target.Measure.BOOLEAN:
        shown = escape(gettext("Yes") if cell.result.value else gettext("No"))
    else:
        shown = escape(number(cell.result.value))
    percent = cell.attainment.percent
    if percent is not None and measure != Target.Measure.BOOLEAN:
        shown += f'<span class="heat-ratio">{escape(floatformat(percent, "0g"))}%</span>'
    return shown
