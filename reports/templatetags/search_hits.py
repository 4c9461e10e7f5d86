"""The hits of a global search section, written directly.

A section lists up to 20 rows of one kind (units, clusters, people, movements,
exemplars). In template language each row looked up a position, a body, a meeting and
a date on every kind, most of them absent (each absence a caught exception), and
reversed its link: an eighth of a selective search's time. ``{% search_hits %}`` writes the
``<li>`` the template wrote, with the same markup and escaping.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.rows import escape

register = template.Library()


def _note(text) -> str:
    return f' <span class="text-muted small">· {escape(text)}</span>'


@register.simple_tag
def search_hits(rows) -> SafeString:
    """An ``<li class="search-hit">`` per row: its name linked to its page, then what
    tells namesakes apart — a person's position, the register (body) of the row, an
    exemplar's meeting. (The template also wrote a dated row's cluster and date; no kind
    searched has a date.)"""
    parts = []
    for row in rows:
        link = f'<a href="{escape(row.get_absolute_url())}">{escape(row)}</a>'
        html = f'<li class="list-group-item search-hit">{link}'
        position = getattr(row, "position", None)
        if position:
            html += f' <span class="small">— {escape(position)}</span>'
        body = getattr(row, "body", None)
        if body:
            html += _note(body.name)
        meeting = getattr(row, "meeting", None)
        if meeting:
            html += _note(meeting.title)
        parts.append(html + "</li>")
    return mark_safe("\n".join(parts))
