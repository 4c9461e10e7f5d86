"""Template helpers shared by every app: numbers, dates and permission checks."""

import math
from functools import lru_cache

from django import template
from django.utils import formats

from core.permissions import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    """``{% can "change_clusteryear" cluster_year as allowed %}``

    ``action`` names a check an app registered (see ``core.permissions``); an unknown
    name raises ``ImproperlyConfigured`` instead of quietly denying.
    """
    return registry.get(action)(context["request"].user, obj)


@register.filter
def number(value, decimals=None):
    """Group thousands the way the active language does: 18.568 in Vietnamese."""
    if value is None or value == "":
        return ""
    try:
        decimal_pos = int(decimals) if decimals is not None else None
    except (TypeError, ValueError):
        decimal_pos = None
    return formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)


@register.filter
def vn_long_date(value):
    """'ngày 07 tháng 02 năm 2023', as official documents write dates.

    Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero.
    """
    if not value:
        return ""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def markdown(value):
    """User text (plain or Markdown) as sanitised HTML."""
    from core.markup import render_markdown

    return render_markdown(value)


@register.filter
def decimal(value):
    """A stored number without trailing zeros, grouped: Decimal("1234.5000") → 1.234,5."""
    from core.text import format_decimal

    return format_decimal(value) if value is not None else ""


@register.simple_tag(takes_context=True)
def chart(context, svg):
    """``{% chart svg %}``: a server-drawn chart (``core.charts``) placed in a page.

    The chart's look is a ``<style>`` element inside the SVG, which the page's
    Content-Security-Policy refuses unless it carries the request's nonce (django-csp's
    ``request.csp_nonce``); refused, every shape is drawn black. The nonce goes on every
    ``<style>`` of the chart, and ``style`` attributes (only pygal's hidden tooltip has
    one; the policy refuses them and nothing shows the tooltip) are dropped. Without a
    request (a PDF) the markup is left as it is, and so is text not marked safe (it is
    escaped, as ``{{ svg }}`` would).
    """
    from django.utils.html import escape
    from django.utils.safestring import SafeData, mark_safe

    # django-csp's lazy nonce is falsy until read: compare with None, never test its truth.
    nonce = getattr(context.get("request"), "csp_nonce", None)
    if nonce is None or not isinstance(svg, SafeData):
        return svg
    # Our own chart, parsed and written back once: its text was escaped when it was drawn.
    return mark_safe(_chart_markup(str(svg)).replace(_NONCE_MARK, escape(str(nonce))))


# Where the request's nonce goes in a chart's markup (``_chart_markup``).
_NONCE_MARK = "csp-nonce-8d0f3b1e"


@lru_cache(maxsize=32)
def _chart_markup(svg: str) -> str:
    """The chart without ``style`` attributes, each ``<style>`` marked for the nonce:
    parsed once per chart (a page of three charts otherwise parsed them all again)."""
    from lxml import etree

    root = etree.fromstring(svg.strip().encode())
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element.attrib.pop("style", None)
        if etree.QName(element).localname == "style":
            element.set("nonce", _NONCE_MARK)
    return etree.tostring(root, encoding="unicode")


@register.filter
def minutes(value):
    """A duration (``timedelta``) in whole minutes, rounded up: 15 for 0:14:30."""
    if value is None or value == "":
        return ""
    return math.ceil(value.total_seconds() / 60)


@register.simple_tag
def active_period(start, end):
    """``{% active_period unit.active_from unit.active_to %}``: "01/07/2025 – now", "… –
    30/06/2025" (the end marked), or "since establishment" — written in Python, as the
    include it replaces cost a list of 50 units a third of its rendering."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    if not start and not end:
        return gettext("since establishment")
    shown_start = formats.date_format(start, "SHORT_DATE_FORMAT") if start else "…"
    if end:
        shown_end = format_html(
            '<span class="badge text-bg-secondary">{}</span>',
            formats.date_format(end, "SHORT_DATE_FORMAT"),
        )
    else:
        shown_end = gettext("now")
    return format_html("{} – {}", shown_start, shown_end)


@register.simple_tag
def qr(data, title="", scale=4):
    """``{% qr url "Mã phiếu" %}``: a QR code of ``data`` as inline SVG."""
    from core.qr import qr_svg

    return qr_svg(str(data), title=str(title), scale=int(scale))


@register.simple_tag
def document_table(item):
    """``{% document_table item %}``: a document's bordered table (``item`` from
    ``core.documents.pdf``: its block, widths, header rows and body), written as
    ``documents/_table.html`` wrote it: widths from the columns, header rows repeated on
    every page (``thead``), group rows merged across the table, alignments per column.

    The province summary and the year-end report hold tables of hundreds of cells; the
    template's loops cost 10 ms a page of them, this a tenth of it."""
    from django.utils.formats import localize
    from django.utils.safestring import mark_safe

    from core.widgets import conditional_escape

    def text(value) -> str:  # ``{{ value }}``: numbers and dates localized, then escaped
        if type(value) is not str and not hasattr(value, "__html__"):
            value = localize(value)
        return conditional_escape(value)

    parts = []
    caption = item["block"].caption
    if caption:
        parts.append(f'<p class="table-caption">{text(caption)}</p>\n')
    widths = "".join(f'<col width="{text(width)}">' for width in item["widths"])
    parts.append(f'<table class="grid">\n  <colgroup>{widths}</colgroup>\n  <thead>\n')
    for row in item["head"]:
        cells = []
        for cell in row:
            spans = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            spans += f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            cells.append(f"<th{spans}>{text(cell.text)}</th>")
        parts.append(f"    <tr>{''.join(cells)}</tr>\n")
    parts.append("  </thead>\n  <tbody>\n")
    for row in item["body"]:
        cells = []
        for cell in row["cells"]:
            span = f' colspan="{cell["colspan"]}"' if cell["colspan"] > 1 else ""
            cells.append(f'<td class="align-{text(cell["align"])}"{span}>{text(cell["text"])}</td>')
        parts.append(f'    <tr class="row-{text(row["kind"])}">{"".join(cells)}</tr>\n')
    parts.append("  </tbody>\n</table>\n")
    return mark_safe("".join(parts))


# {(URL name, URLconf, script prefix, language): its address}
_LINKS: dict[tuple, str] = {}


@register.simple_tag
def link(name: str) -> str:
    """``{% link "app:name" %}``: ``{% url "app:name" %}`` of an address without
    arguments, reversed once per URLconf, script prefix and language. The navigation
    bar on every page holds 25 such links; reversing them was a third of its time."""
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf, reverse
    from django.utils.translation import get_language

    # Outside a request (a task, a test) the URLconf is the settings' own.
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = (name, urlconf, get_script_prefix(), get_language())
    found = _LINKS.get(key)
    if found is None:
        found = _LINKS[key] = reverse(name)
    return found
