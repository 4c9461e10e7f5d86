"""The rows of the meeting and exemplar lists, written directly.

A page of either list holds 50 rows; in template language each row's date filter, link
``reverse``, ``get_kind_display`` and status badge ``{% include %}`` were most of the
page's time. ``{% meeting_rows %}`` and ``{% exemplar_rows %}`` write the rows the
templates wrote, with the same markup, words and escaping (see ``core.rows``).
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.rows import choice_labels, empty_row, escape, label, local_date, truncated, url_of
from meetings.models import Exemplar, Meeting

register = template.Library()

BADGES = {Meeting.Status.APPROVED: "success", Meeting.Status.HELD: "primary"}

ACHIEVEMENT_LENGTH = 160


@register.simple_tag
def meeting_rows(meetings) -> SafeString:
    """The ``<tr>`` of each meeting (``meetings.selectors.meetings_for_user``: its year,
    cluster and host read with it), or one row saying that none match."""
    meeting_url = url_of("meetings:meeting-detail")
    kinds = choice_labels(Meeting, "kind")
    statuses = choice_labels(Meeting, "status")
    parts = []
    for meeting in meetings:
        if meeting.place:
            place = escape(meeting.place)
        elif meeting.host:
            place = escape(meeting.host.name)
        else:
            place = ""
        cluster_year = meeting.cluster_year
        badge = BADGES.get(meeting.status, "secondary")
        parts.append(
            "<tr>"
            f'<td class="text-nowrap">{local_date(meeting.starts_at, "SHORT_DATETIME_FORMAT")}</td>'
            f'<td><a href="{meeting_url(meeting.pk)}">{escape(meeting.title)}</a></td>'
            f"<td>{label(kinds, meeting.kind)}</td>"
            f"<td>{escape(cluster_year.cluster.name)} ({cluster_year.year})</td>"
            f"<td>{place}</td>"
            f'<td><span class="badge text-bg-{badge} meeting-status">'
            f"{label(statuses, meeting.status)}</span></td>"
            "</tr>"
        )
    if not parts:
        parts.append(empty_row(6, gettext("No meetings match.")))
    return mark_safe("\n".join(parts))


@register.simple_tag
def exemplar_rows(exemplars) -> SafeString:
    """The ``<tr>`` of each exemplary model (``meetings.selectors.exemplars_for_user``: its
    person, unit, meeting and cluster read with it), or one row saying that none match."""
    meeting_url = url_of("meetings:meeting-detail")
    kinds = choice_labels(Exemplar, "kind")
    parts = []
    for exemplar in exemplars:
        meeting = exemplar.meeting
        unit = exemplar.unit
        achievement = escape(truncated(exemplar.achievement, ACHIEVEMENT_LENGTH))
        parts.append(
            "<tr>"
            f'<td><a href="{meeting_url(exemplar.meeting_id)}#exemplar-{exemplar.pk}">'
            f"{escape(exemplar.name)}</a></td>"
            f"<td>{label(kinds, exemplar.kind)}</td>"
            f"<td>{'' if unit is None else escape(unit.name)}</td>"
            f"<td>{achievement}</td>"
            f'<td class="small">{escape(meeting.cluster_year.cluster.name)}, '
            f"{local_date(meeting.starts_at, 'SHORT_DATE_FORMAT')}</td>"
            "</tr>"
        )
    if not parts:
        parts.append(empty_row(5, gettext("No exemplary models match.")))
    return mark_safe("\n".join(parts))
