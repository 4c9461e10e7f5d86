"""Charts drawn on the server as SVG (pygal), one look for the web page and the PDF.

WeasyPrint runs no JavaScript, so a chart a document prints must arrive as finished SVG;
the page shows the very same markup, so the screen and the paper never disagree. Every
chart here has the documents' serif font, a palette that stays readable in greyscale,
sizes that fit the width of an A4 page's text (about 16 cm), numbers written the
Vietnamese way in the active language (92,25 and 18.568), full category names wrapped
between words (never cut), and markup that is the same for the same data: no script,
no comment, no random id. ``role="img"`` with an ``aria-label`` and a ``<title>`` give
screen readers the chart's description.

pygal's CSS stays prefixed with the chart's id: WeasyPrint draws the shapes with the
right colours only through those selectors (without the prefix every shape is black).
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from decimal import Decimal

import pygal
from django.utils.formats import number_format
from django.utils.translation import get_language
from lxml import etree
from pygal.style import Style

FONT_FAMILY = '"Times New Roman", Tinos, "Liberation Serif", serif'

# Alternating dark and light tones, so neighbouring series (and stacked segments) stay
# apart when printed in greyscale.
PALETTE = (
    "#1f3a5f",  # navy
    "#e0b04c",  # ochre
    "#9b2d20",  # brick red
    "#9fb8d0",  # light steel blue
    "#2f5d3a",  # dark green
    "#c9c9c9",  # light grey
    "#6b4c8a",  # plum
    "#e8906a",  # salmon
    "#4d4d4d",  # dark grey
    "#b7d3a8",  # pale green
)
# Lines are thin: only strong tones show them, told apart by their dashes as well.
LINE_PALETTE = (
    "#1f3a5f",  # navy
    "#9b2d20",  # brick red
    "#2f5d3a",  # dark green
    "#b07d12",  # dark ochre
    "#6b4c8a",  # plum
    "#4d4d4d",  # dark grey
    "#1f6f78",  # teal
    "#8a5a2b",  # brown
)
DASHES = ("", "10,5", "3,4", "14,4,3,4", "6,3", "2,2", "18,5", "8,3,2,3,2,3")

# The drawing's own units; the page and the PDF scale it to their width. 640 units over
# 16 cm make a 14-unit label about 10 pt on paper.
WIDTH = 640
FONT_SIZE = 14
VALUE_FONT_SIZE = 13
LINE_HEIGHT = 1.2
# A line chart's legend shows a stretch of each line, long enough for its dashes.
KEY_LENGTH = 30
# Characters per line of a category label before it wraps (at a word boundary).
LABEL_CHARACTERS = 26
# Characters of a legend entry that fit half the chart's width.
LEGEND_HALF_WIDTH = 28


def chart_style(**overrides) -> Style:
    """The product's one look for pygal charts."""
    options = {
        "background": "#ffffff",
        "plot_background": "#ffffff",
        "foreground": "#1a1a1a",
        "foreground_strong": "#000000",
        "foreground_subtle": "#b3b3b3",
        "opacity": "1",
        "opacity_hover": "1",
        "transition": "0ms",
        "colors": PALETTE,
        "font_family": FONT_FAMILY,
        "label_font_size": FONT_SIZE,
        "major_label_font_size": FONT_SIZE,
        "legend_font_size": FONT_SIZE,
        "title_font_size": FONT_SIZE + 1,
        "tooltip_font_size": FONT_SIZE,
        "value_font_size": VALUE_FONT_SIZE,
        "value_label_font_size": VALUE_FONT_SIZE,
        "no_data_font_size": FONT_SIZE + 2,
        "stroke_width": 2.5,
    }
    options.update(overrides)
    return Style(**options)


def format_number(value, decimals: int | None = None, unit: str = "") -> str:
    """``value`` in the active language's notation: 18.568, 92,25 (with ``decimals``
    places, or as many as the value needs); ``unit`` after it ("92,25%", "95,50 điểm")."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if decimals is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        number = number.quantize(Decimal(1).scaleb(-decimals))
    text = number_format(number, decimals, use_l10n=True, force_grouping=True)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def wrap_label(label: str, width: int = LABEL_CHARACTERS) -> list[str]:
    """``label`` in lines of at most ``width`` characters, broken between words only (a
    single word longer than that keeps its own line)."""
    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [""]


def bar_chart(
    *,
    categories: list[str],
    series: list[tuple[str, list]],
    horizontal: bool = True,
    stacked: bool = False,
    unit: str = "",
    max_value=None,
    description: str = "",
    decimals: int | None = None,
) -> str:
    """Bars, one group per category (drawn top to bottom in the given order when
    ``horizontal``), one bar per series, or one stacked bar of every series.

    ``series`` is ``[(name, values)]`` with one value per category (Decimal, int,
    float or None for no value). A single series prints its values on the bars and has
    no legend. ``max_value`` fixes the end of the value axis (a sheet's maximum).
    """
    labels = [wrap_label(category) for category in categories]
    single = len(series) == 1
    kind = pygal.StackedBar if stacked else pygal.Bar
    if horizontal:
        kind = pygal.HorizontalStackedBar if stacked else pygal.HorizontalBar
    bars_per_category = 1 if stacked or single else len(series)
    # Below a vertical chart, the lines of the category names after the first.
    extra_lines = 0 if horizontal else max((len(label) for label in labels), default=1) - 1
    if horizontal:
        # Room for each category's wrapped name and its bars, the value axis, the legend.
        rows = sum(
            max(len(label) * FONT_SIZE * LINE_HEIGHT, bars_per_category * 16) + 14
            for label in labels
        )
        height = round(rows + 50 + _legend_height(series))
    else:
        height = round(300 + extra_lines * FONT_SIZE * LINE_HEIGHT + _legend_height(series))
    known = [_float(v) for _name, values in series for v in values if v is not None]
    config = _common_config(series, height=max(height, 140), description=description)
    config["margin_bottom"] += extra_lines * FONT_SIZE * LINE_HEIGHT
    chart = kind(
        **config,
        print_values=single and not stacked,
        print_values_position="top",
        print_zeroes=True,
        formatter=lambda v: format_number(v, decimals, unit),
        # The axis names a short unit (%), the printed values any unit.
        value_formatter=lambda v: format_number(v, None, unit if unit == "%" else ""),
        truncate_label=-1,
        show_y_guides=not horizontal,
        show_x_guides=horizontal,
        # Room for the printed value after the longest bar.
        margin_right=56 if single and not stacked else 24,
        range=(0, _float(max_value)) if max_value is not None else None,
    )
    if known:
        top = _float(max_value) if max_value is not None else _stack_top(series, stacked)
        chart.y_labels = _ticks(0, top)
    tokens = _label_tokens(labels)
    order = list(range(len(categories)))
    if horizontal:
        # pygal draws the first category at the bottom; the reader expects the top.
        order.reverse()
    chart.x_labels = [tokens[i] for i in order]
    for name, values in series:
        chart.add(name, [_float(values[i]) if i < len(values) else None for i in order])
    content = {
        "bar": [categories, series, stacked, unit, max_value, decimals, height],
        "horizontal": horizontal,
        "label_overflow": extra_lines * FONT_SIZE * LINE_HEIGHT,
        "language": get_language(),
    }
    return _finish(chart, content, description, {tokens[i]: labels[i] for i in order})


def line_chart(
    *,
    x_labels: list[str],
    series: list[tuple[str, list]],
    inverse_y: bool = False,
    integer_y: bool = False,
    description: str = "",
    decimals: int | None = None,
) -> str:
    """One line per series over ``x_labels`` (years, periods). A missing value (None)
    leaves a gap. ``inverse_y`` puts the smallest value on top (rank 1); ``integer_y``
    ticks whole numbers only."""
    known = [_float(v) for _name, values in series for v in values if v is not None]
    height = round(330 + _legend_height(series))
    config = _common_config(series, height=height, description=description)
    config["style"] = chart_style(colors=LINE_PALETTE)
    chart = pygal.Line(
        **config,
        allow_interruptions=True,
        inverse_y_axis=inverse_y,
        show_dots=True,
        dots_size=4.5,
        truncate_label=-1,
        show_x_guides=False,
        show_y_guides=True,
        margin_right=24,
        formatter=lambda v: format_number(v, 0 if integer_y else decimals),
        value_formatter=lambda v: format_number(v, 0 if integer_y else None),
    )
    if known:
        low, high = min(known), max(known)
        if integer_y:
            low, high = int(low), int(high + 0.999)
            if low == high:
                low, high = max(low - 1, 0), high + 1
            step = max(1, -(-(high - low) // 12))
            chart.y_labels = list(range(low, high + 1, step))
            chart.range = (low, high)
        else:
            chart.y_labels = _ticks(min(low, 0), high)
    chart.x_labels = list(x_labels)
    for index, (name, values) in enumerate(series):
        dash = DASHES[index % len(DASHES)]
        style = {"width": 2.5, "linecap": "round", "linejoin": "round"}
        if dash:
            style["dasharray"] = dash
        chart.add(name, [_float(v) for v in values], stroke_style=style)
    content = {
        "line": [x_labels, series, inverse_y, integer_y, decimals],
        "dashes": [DASHES[index % len(DASHES)] for index in range(len(series))],
        "inverse_y": inverse_y,
        "language": get_language(),
    }
    return _finish(chart, content, description, {})


# --- Building blocks --------------------------------------------------------------------


def _float(value):
    """pygal computes in floats; None stays None (no value)."""
    if value is None:
        return None
    return float(value)


def _legend_columns(series) -> int:
    names = [name for name, _values in series]
    return 2 if names and max(len(name) for name in names) <= LEGEND_HALF_WIDTH else 1


def _legend_height(series) -> float:
    if len(series) < 2:
        return 0
    rows = -(-len(series) // _legend_columns(series))
    return rows * FONT_SIZE * 1.6 + 12


def _legend_shortfall(series) -> float:
    """pygal keeps room for ``len // columns`` legend rows; an odd count needs one more."""
    columns = _legend_columns(series)
    if len(series) < 2 or len(series) % columns == 0:
        return 0
    return FONT_SIZE * 1.5


def _common_config(series, *, height: int, description: str) -> dict:
    return {
        "style": chart_style(),
        "width": WIDTH,
        "height": height,
        "js": [],
        "css": ["file://style.css", "file://graph.css"],
        "disable_xml_declaration": True,
        "show_legend": len(series) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": _legend_columns(series),
        "legend_box_size": 12,
        "truncate_legend": -1,
        "spacing": 8,
        "margin": 6,
        "margin_bottom": 6 + _legend_shortfall(series),
        "tooltip_border_radius": 0,
        "title": None,
        "explicit_size": False,
    }


def _stack_top(series, stacked: bool) -> float:
    if stacked:
        width = max((len(values) for _name, values in series), default=0)
        totals = [
            sum(_float(values[i]) or 0 for _name, values in series if i < len(values))
            for i in range(width)
        ]
        return max(totals, default=0)
    return max((_float(v) for _name, values in series for v in values if v is not None), default=0)


def _ticks(low: float, high: float) -> list[float]:
    """About five round ticks from ``low`` to at least ``high``: 0, 20, 40 … 100."""
    if high <= low:
        return [low, low + 1]
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks, tick = [], low
    while tick < high + step / 2:
        ticks.append(round(tick, 6))
        tick += step
    return ticks


def _label_tokens(labels: list[list[str]]) -> list[str]:
    """Stand-ins pygal draws (and sizes its margin for) in place of the wrapped labels: as
    long as the longest line, unique, replaced by the real lines afterwards."""
    longest = max((len(line) for label in labels for line in label), default=1)
    width = max(longest, len(str(len(labels))) + 1)
    return [f"§{index:0{width - 1}d}" for index in range(len(labels))]


# Bumped when the drawing code changes, so that no drawing of the old code is served.
DRAWING_VERSION = 1
KEEP_SECONDS = 24 * 3600


def drawn(draw, **content) -> str:
    """``draw(**content)`` (``bar_chart``, or an app's function drawing with it), from the
    cache when the same chart was drawn before in the active language: pygal takes about
    20 ms a chart, and pages draw the same ones on every visit while their figures rarely
    change. The same data draws the same SVG, and new data is drawn afresh: nothing to
    invalidate."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    text = json.dumps(
        [DRAWING_VERSION, draw.__module__, draw.__name__, get_language(), content],
        default=str,
        sort_keys=True,
    )
    key = "chart:" + hashlib.sha256(text.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = draw(**content)
        cache.set(key, svg, KEEP_SECONDS)
    return svg


def _fingerprint(content: dict) -> str:
    """The same data and options give the same id (and so the same SVG)."""
    text = json.dumps(content, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _finish(chart, content: dict, description: str, labels: dict[str, list[str]]) -> str:
    chart.uuid = _fingerprint({**content, "description": description})
    chart.config.css = [*chart.config.css, f"inline:{_house_css(f'#chart-{chart.uuid}')}"]
    dashes = content.get("dashes", [])
    horizontal = bool(content.get("horizontal"))
    inverse_y = bool(content.get("inverse_y"))

    overflow = content.get("label_overflow", 0)

    def finish(root):
        if inverse_y:
            _drop_top_baseline(root)
        if overflow:
            _lower_bottom_legend(root, overflow)
        return _clean(root, description, labels, dashes=dashes, horizontal=horizontal)

    chart.add_xml_filter(finish)
    return chart.render(is_unicode=True)


def _house_css(prefix: str) -> str:
    """Quiet solid guides instead of pygal's black dashes; values in the text colour."""
    return (
        f"{prefix} .axis .guide.line,{prefix} .axis .major.guide.line"
        "{stroke:#c8c8c8;stroke-dasharray:none}"
        f"{prefix} .axis .line{{stroke:#1a1a1a}}"
        f"{prefix} .text-overlay text.value{{fill:#1a1a1a}}"
    )


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _clean(root, description: str, labels: dict, *, dashes: list[str], horizontal: bool):
    """No comment, script, hover-only text or id but the chart's; the real labels,
    wrapped; values after the end of horizontal bars; dashed keys for dashed lines."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            element.getparent().remove(element)
            continue
        name = _local(element)
        if element is not root:
            # pygal's ids serve its scripts only, and would repeat with a second chart.
            element.attrib.pop("id", None)
        hover_only = name == "desc" or (name == "title" and element.getparent() is not root)
        if name == "script" or hover_only:
            element.getparent().remove(element)
        elif name == "text" and element.text in labels:
            _wrap(element, labels[element.text], centred=horizontal)
        elif name == "text" and horizontal and "value" in element.get("class", "").split():
            element.set("text-anchor", "start")
            element.set("x", f"{float(element.get('x', 0)) + 6:g}")
        elif name == "rect" and dashes and "legend" in element.getparent().get("class", ""):
            _line_key(element, dashes)
    for element in root:
        if _local(element) == "title":
            element.text = description
    root.set("role", "img")
    if description:
        root.set("aria-label", description)
    return root


def _lower_bottom_legend(root, by: float) -> None:
    """Under vertical bars pygal leaves one line for the names; the legend goes below
    the lines a wrapped name takes (the bottom margin has room for them)."""
    for group in root.iter():
        transform = group.get("transform", "") if _local(group) == "g" else ""
        if group.get("class") == "legends" and transform.startswith("translate("):
            x, y = (float(part) for part in transform[len("translate(") : -1].split(","))
            group.set("transform", f"translate({x:g}, {y + by:g})")


def _drop_top_baseline(root) -> None:
    """pygal draws the value axis's base line where the smallest value is: at the top
    once the axis is inverted, where it reads as a frame. The guides remain."""
    for group in root.iter():
        if _local(group) == "g" and group.get("class", "").startswith("axis y"):
            for path in list(group):
                if _local(path) == "path" and path.get("class") == "line":
                    group.remove(path)


def _line_key(rect, dashes: list[str]) -> None:
    """A legend's colour square turned into a short stretch of the series' line."""
    colour = next((c for c in rect.get("class", "").split() if c.startswith("color-")), "")
    index = int(colour.split("-")[1]) if colour else 0
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0)) + float(rect.get("height", 12)) / 2
    key = etree.Element(rect.tag.replace("rect", "path"))
    key.set("d", f"M{x:g} {y:g} h{KEY_LENGTH:g}")
    key.set("class", f"{colour} legend-line")
    # Attributes, not a style: WeasyPrint reads presentation attributes on SVG shapes.
    key.set("fill", "none")
    key.set("stroke-width", "2.5")
    if dashes[index % len(dashes)]:
        key.set("stroke-dasharray", dashes[index % len(dashes)])
    shift = KEY_LENGTH - float(rect.get("width", 12))
    for text in rect.itersiblings():
        if _local(text) == "text":
            text.set("x", f"{float(text.get('x', 0)) + shift:g}")
    rect.getparent().replace(rect, key)


def _wrap(text, lines: list[str], *, centred: bool) -> None:
    """Replace a stand-in by the label's lines: centred on its baseline beside a
    horizontal bar, hanging down from it under a vertical one."""
    text.text = None
    x = text.get("x", "0")
    step = FONT_SIZE * LINE_HEIGHT
    namespace = etree.QName(text).namespace
    for index, line in enumerate(lines):
        span = etree.SubElement(text, f"{{{namespace}}}tspan" if namespace else "tspan", x=x)
        if index:
            span.set("dy", f"{step:g}")
        elif centred and len(lines) > 1:
            span.set("dy", f"{-(len(lines) - 1) * step / 2:g}")
        span.text = line
