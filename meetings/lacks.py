"""The review meetings a year still lacks, for the dashboard (see ``clusters.dashboard``).

The mid-year review (sơ kết) is due once 30/6 of the year has passed, the year-end
review (tổng kết) once the year is over. A meeting counts as held once its status says
it took place (held, or its minutes approved). A planned meeting of the kind is named
with its date and links to its page, where it is marked held; without one the link
opens a new meeting. The two checks share one query.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusters.dashboard import Lack, is_past, lacks, mid_year_end, year_end
from meetings import permissions
from meetings.models import Meeting

TOOK_PLACE = (Meeting.Status.HELD, Meeting.Status.APPROVED)

TEXTS = {
    Meeting.Kind.MID_YEAR: {
        "none": lambda: _("No mid-year review meeting held"),
        "planned": lambda date: _("Mid-year review meeting planned for %(date)s") % {"date": date},
        "unconfirmed": lambda date: (
            _("Mid-year review meeting of %(date)s not recorded as held") % {"date": date}
        ),
    },
    Meeting.Kind.YEAR_END: {
        "none": lambda: _("No year-end review meeting held"),
        "planned": lambda date: _("Year-end review meeting planned for %(date)s") % {"date": date},
        "unconfirmed": lambda date: (
            _("Year-end review meeting of %(date)s not recorded as held") % {"date": date}
        ),
    },
}
DUE_AFTER = {Meeting.Kind.MID_YEAR: mid_year_end, Meeting.Kind.YEAR_END: year_end}


def review_meetings(cluster_year, cluster_years) -> list[tuple]:
    """(pk, kind, status, start) of the year's review meetings, earliest first.

    One query for all of ``cluster_years`` not asked before: the rows are kept on each
    cluster year object, so every check of one dashboard that reads them (both meeting
    checks here, the votes' check) shares them.
    """
    if not hasattr(cluster_year, "_dashboard_meetings"):
        todo = [cy for cy in cluster_years if not hasattr(cy, "_dashboard_meetings")]
        by_pk = {cy.pk: cy for cy in todo}
        for cy in todo:
            cy._dashboard_meetings = []
        rows = (
            Meeting.objects.filter(cluster_year__in=list(by_pk), kind__in=list(DUE_AFTER))
            .order_by("starts_at", "pk")
            .values_list("cluster_year_id", "pk", "kind", "status", "starts_at")
        )
        for cluster_year_id, *row in rows:
            by_pk[cluster_year_id]._dashboard_meetings.append(tuple(row))
    return cluster_year._dashboard_meetings


def meeting_lacks(kind: str, cluster_years, *, today: datetime.date, user) -> dict[int, list[Lack]]:
    """No ``kind`` review meeting that took place, once it is due."""
    due = [
        cluster_year
        for cluster_year in cluster_years
        if is_past(DUE_AFTER[kind](cluster_year.year), today)
    ]
    if not due:
        return {}
    held: set[int] = set()
    planned: dict[int, tuple[int, datetime.datetime]] = {}
    for cluster_year in due:
        for pk, meeting_kind, status, starts_at in review_meetings(cluster_year, due):
            if meeting_kind != kind:
                continue
            if status in TOOK_PLACE:
                held.add(cluster_year.pk)
            else:
                planned.setdefault(cluster_year.pk, (pk, starts_at))
    texts = TEXTS[kind]
    found: dict[int, list[Lack]] = {}
    for cluster_year in due:
        if cluster_year.pk in held:
            continue
        if cluster_year.pk in planned:
            pk, starts_at = planned[cluster_year.pk]
            day = timezone.localtime(starts_at).date()
            shown = date_format(day, "SHORT_DATE_FORMAT")
            text = texts["unconfirmed" if is_past(day, today) else "planned"](shown)
            lack = Lack(text, reverse("meetings:meeting-detail", args=[pk]))
        elif permissions.can_create_meeting(user, cluster_year):
            create = reverse("meetings:meeting-create", args=[cluster_year.pk])
            lack = Lack(texts["none"](), f"{create}?kind={kind}")
        else:
            lack = Lack(texts["none"](), cluster_year.get_absolute_url())
        found[cluster_year.pk] = [lack]
    return found


lacks.register("mid-year-meeting", order=30, check=partial(meeting_lacks, Meeting.Kind.MID_YEAR))
lacks.register("year-end-meeting", order=50, check=partial(meeting_lacks, Meeting.Kind.YEAR_END))
