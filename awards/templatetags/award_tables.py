"""The rows of a table of awards, and of the decisions register, written directly.

A page of the list, an inbox or a decision holds 50 awards, each row with two links, a
status badge, three labels of choices and a date: in template language, about 30
lookups a row and most of the page's time. ``{% award_rows awards %}`` writes the rows
the template wrote, with the same markup, words and escaping; ``{% decision_rows %}``
the register's (a link ``reverse``d and a date filtered a row).
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from awards.models import Award
from core.rows import choice_labels, empty_row, escape, local_date, url_of

register = template.Library()

Status = Award.Status

BADGES = {
    Status.PRESENTED: "success",
    Status.DECIDED: "success",
    Status.SUBMITTED: "primary",
    Status.RETURNED: "warning",
    Status.REJECTED: "danger",
}


@register.simple_tag
def award_rows(awards, *, bulk=False, numbered=False, start=None, empty="") -> SafeString:
    """The ``<tr>`` of each award (``awards.selectors.awards_listed``: its type and its
    decision read with it); ``bulk`` adds a tick box for the form ``bulk``, ``numbered``
    the row's number counted from ``start`` (blank where the page's place is unknown)."""
    award_url = url_of("awards:award-detail")
    decision_url = url_of("awards:decision-detail")
    choose = escape(gettext("Choose"))
    # The labels of the choices, translated once (``get_FOO_display`` hashes and
    # translates every choice of the field for each row).
    occasions, statuses, stages = (
        choice_labels(Award, name) for name in ("occasion", "status", "stage")
    )
    columns = 6 + bool(bulk) + bool(numbered)
    parts = []
    for index, award in enumerate(awards):
        cells = []
        name = escape(award.recipient_name)
        if bulk:
            cells.append(
                f'<td class="text-center"><input class="form-check-input" type="checkbox" '
                f'name="awards" value="{award.pk}" form="bulk" id="pick-{award.pk}" '
                f'aria-label="{choose} {name}"></td>'
            )
        if numbered:
            cells.append(f'<td class="num">{"" if start is None else start + index}</td>')
        cells.append(f"<td>{award.year}</td>")
        detail = ""
        if award.recipient_position:
            detail = escape(award.recipient_position)
            if award.recipient_unit_name:
                detail += ", " + escape(award.recipient_unit_name)
        elif award.recipient_unit_name:
            detail = escape(award.recipient_unit_name)
        if detail:
            detail = f'<div class="small text-muted">{detail}</div>'
        cells.append(f'<td><a href="{award_url(award.pk)}">{name}</a>{detail}</td>')
        cells.append(f"<td>{escape(award.award_type.name)}</td>")
        cells.append(f'<td class="small">{occasions.get(award.occasion, "")}</td>')
        status = statuses.get(award.status, "")
        if award.status == Status.SUBMITTED:
            status += ": " + stages.get(award.stage, "")
        badge = BADGES.get(award.status, "secondary")
        cells.append(f'<td><span class="badge award-status text-bg-{badge}">{status}</span></td>')
        decision = award.decision
        if decision is not None:
            cells.append(
                f'<td class="small"><a href="{decision_url(decision.pk)}">'
                f"{escape(decision.number)}</a> {decision.signed_on:%d/%m/%Y}</td>"
            )
        else:
            cells.append('<td class="small"></td>')
        parts.append("<tr>" + "".join(cells) + "</tr>")
    if not parts:
        parts.append(empty_row(columns, empty or gettext("No awards match.")))
    return mark_safe("\n".join(parts))


@register.simple_tag
def decision_rows(decisions, *, start=None) -> SafeString:
    """The ``<tr>`` of each decision of the register (``awards.selectors.decisions_tabled``),
    numbered from ``start`` (blank where the page's place is unknown), or one row saying
    that none match."""
    decision_url = url_of("awards:decision-detail")
    parts = []
    for index, decision in enumerate(decisions):
        number = start + index if isinstance(start, int) else ""
        parts.append(
            "<tr>"
            f'<td class="num">{number}</td>'
            f'<td class="text-nowrap"><a href="{decision_url(decision.pk)}">'
            f"{escape(decision.number)}</a></td>"
            f"<td>{local_date(decision.signed_on, 'd/m/Y')}</td>"
            f"<td>{escape(decision.authority)}</td>"
            f"<td>{escape(decision.summary)}</td>"
            f"<td>{escape(decision.signer_name)}</td>"
            "</tr>"
        )
    if not parts:
        parts.append(empty_row(6, gettext("No decisions match.")))
    return mark_safe("\n".join(parts))
