"""The cells of the progress heat table, written in Python.

A heat table has a cell per target and member (240 on a 12-member, 20-target pledge,
on the cluster year page and the period's page); written by the template language,
with its conditions, filters and an included icon per cell, they cost ~80 ms of the
year page. This writes the same markup directly, from the same ``ProgressTable``.
"""

from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django import template
from django.template.defaultfilters import truncatechars, yesno
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from pledges.attainment import HUNDRED, Status
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
OTHER_ICON = "bi-dash"
ONE = Decimal(1)


class Numbers:
    """The ``decimal`` filter and ``floatformat:"0g"`` of the active language, with its
    separators looked up once per table rather than three times per number (the lookups
    through the active language were a third of the table's time)."""

    def __init__(self):
        language = get_language()
        self.separator = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        self.thousands = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def _format(self, value, places: int) -> str:
        return numberformat.format(
            value,
            self.separator,
            places,
            self.grouping,
            self.thousands,
            force_grouping=True,
            use_l10n=True,
        )

    def decimal(self, value) -> str:
        """As ``core.text.format_decimal``: no trailing zeros, grouped."""
        if value is None:
            return ""
        normalized = value.normalize()
        exponent = normalized.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return self._format(normalized, places)

    def whole(self, value: Decimal) -> str:
        """As ``floatformat:"0g"`` for a finite decimal: rounded half up, grouped."""
        return self._format(int(value.quantize(ONE, ROUND_HALF_UP)), 0)


def _committed(cell, measure: str, numbers: Numbers) -> str:
    if not cell.commitment:
        return "—"
    if measure == Target.Measure.TEXT:
        return cell.commitment.text
    if measure == Target.Measure.BOOLEAN:
        return yesno(cell.commitment.value, gettext("yes,no"))
    return numbers.decimal(cell.commitment.value)


def _shown(cell, measure: str, words: dict, numbers: Numbers) -> str:
    """The result in the cell, escaped (``html.escape``, as Django's ``escape`` does
    without its check for lazy strings, which cost more than the escaping here), with
    its ratio to the expected value."""
    result = cell.result
    if not result:
        return ""
    if measure == Target.Measure.TEXT:
        shown = escape(truncatechars(result.text, 24))
    elif measure == Target.Measure.BOOLEAN:
        shown = words["yes"] if result.value else words["no"]
    else:
        shown = escape(numbers.decimal(result.value))
    percent = cell.attainment.percent
    if percent is not None and measure != Target.Measure.BOOLEAN:
        shown += f'<span class="heat-ratio">{escape(numbers.whole(percent))}%</span>'
    return shown


@register.simple_tag(takes_context=True)
def heat_cells(context, row):
    """``{% heat_cells row %}``: the ``<td>`` of every member on one ``ProgressRow``.

    The words and separators of the language are looked up once per table (kept in the
    template context's render state)."""
    words, numbers = _language(context)
    measure = row.target.measure
    expected_note = ""
    if row.share < HUNDRED:
        expected_note = gettext("expected by now (%(share)s%%)") % {
            "share": numbers.decimal(row.share)
        }
    cells = []
    for cell in row.cells:
        status = cell.attainment.status
        label = words[status]
        title = f"{cell.member.unit.display_name} — {words['committed']}: "
        title += f"{_committed(cell, measure, numbers)};"
        if cell.expected is not None and expected_note:
            title += f" {expected_note}: {numbers.decimal(cell.expected)};"
        title += f" {label}"
        cells.append(
            f'<td class="heat heat-{status}" data-status="{status}" title="{escape(title)}">\n'
            f'        <i class="bi heat-icon {ICONS.get(status, OTHER_ICON)}" role="img" '
            f'aria-label="{escape(label)}"></i>\n'
            f"\n        {_shown(cell, measure, words, numbers)}\n      </td>"
        )
    return mark_safe("\n      ".join(cells))


def _language(context) -> tuple[dict, Numbers]:
    key = (__name__, get_language())
    found = context.render_context.get(key)
    if found is None:
        words = {status: str(status.label) for status in Status}
        words.update(
            committed=gettext("committed"),
            yes=escape(gettext("Yes")),
            no=escape(gettext("No")),
        )
        found = context.render_context[key] = (words, Numbers())
    return found
