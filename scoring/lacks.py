"""What a year's scoring still lacks, for the dashboard (see ``clusters.dashboard``).

Scoring is due once the year is over, or earlier as soon as a year-end review meeting
is on the calendar: members score themselves and the cluster cross-checks before that
meeting, which approves the ranking. Then: no criteria sheet; a sheet without criteria;
members not scored on every criterion (at any level); the ranking not approved. One
query (the members' counts come with the dashboard's years).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusters.dashboard import Lack, is_past, lacks, member_counts, year_end
from clusters.models import ClusterMember, ClusterYear
from meetings.models import Meeting
from scoring import permissions
from scoring.models import CriteriaSheet, Criterion, Score


def _sheets(cluster_years) -> dict[int, tuple[CriteriaSheet | None, bool]]:
    """{cluster year pk: (its sheet bound to it, with ``criterion_count`` and
    ``fully_scored`` — the members with a score on every criterion —, or None; whether
    a year-end meeting is on its calendar)}: one query."""
    by_pk = {cluster_year.pk: cluster_year for cluster_year in cluster_years}
    criteria = (
        Criterion.objects.filter(sheet__cluster_year=OuterRef("pk"), kind=Criterion.Kind.CRITERION)
        .order_by()
        .values("sheet__cluster_year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    scored = (
        Score.objects.filter(member=OuterRef("pk"), criterion__kind=Criterion.Kind.CRITERION)
        .filter(
            Q(self_score__isnull=False)
            | Q(cluster_score__isnull=False)
            | Q(board_score__isnull=False)
        )
        .order_by()
        .values("member")
        .annotate(n=Count("criterion", distinct=True))
        .values("n")
    )
    fully_scored = (
        ClusterMember.objects.filter(cluster_year=OuterRef("pk"))
        .annotate(scored=Coalesce(Subquery(scored, output_field=IntegerField()), 0))
        .filter(scored__gte=OuterRef("criterion_count"))
        .order_by()
        .values("cluster_year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        ClusterYear.objects.filter(pk__in=list(by_pk))
        .select_related("criteria_sheet")
        .annotate(
            criterion_count=Coalesce(Subquery(criteria, output_field=IntegerField()), 0),
            has_year_end=Exists(
                Meeting.objects.filter(cluster_year=OuterRef("pk"), kind=Meeting.Kind.YEAR_END)
            ),
        )
        .annotate(fully_scored=Coalesce(Subquery(fully_scored, output_field=IntegerField()), 0))
    )
    found = {}
    for row in rows:
        sheet = getattr(row, "criteria_sheet", None)
        if sheet is not None:
            sheet.cluster_year = by_pk[row.pk]
            sheet.criterion_count = row.criterion_count
            sheet.fully_scored = row.fully_scored
        found[row.pk] = (sheet, row.has_year_end)
    return found


def scoring_lacks(cluster_years, *, today: datetime.date, user) -> dict[int, list[Lack]]:
    candidates = [cluster_year for cluster_year in cluster_years if cluster_year.year <= today.year]
    if not candidates:
        return {}
    sheets = _sheets(candidates)
    due = [
        cluster_year
        for cluster_year in candidates
        if is_past(year_end(cluster_year.year), today) or sheets[cluster_year.pk][1]
    ]
    members = member_counts(due)
    found: dict[int, list[Lack]] = {}
    for cluster_year in due:
        sheet = sheets[cluster_year.pk][0]
        if sheet is None:
            if permissions.can_create_criteriasheet(user, cluster_year):
                url = reverse("scoring:criteriasheet-create", args=[cluster_year.pk])
            else:
                url = cluster_year.get_absolute_url()
            found[cluster_year.pk] = [Lack(_("No criteria sheet yet"), url)]
            continue
        if not sheet.criterion_count:
            if permissions.can_change_criteriasheet(user, sheet):
                url = reverse("scoring:criteriasheet-edit", args=[sheet.pk])
            else:
                url = sheet.get_absolute_url()
            found[cluster_year.pk] = [Lack(_("The criteria sheet has no criteria yet"), url)]
            continue
        results = reverse("scoring:criteriasheet-results", args=[sheet.pk])
        items = []
        missing = members[cluster_year.pk] - sheet.fully_scored
        if missing > 0:
            levels = permissions.levels_for(user, sheet)
            if levels:
                url = reverse("scoring:criteriasheet-scores", args=[sheet.pk, levels[0].value])
            else:
                url = results
            text = ngettext(
                "%(missing)s/%(total)s member not scored on every criterion",
                "%(missing)s/%(total)s members not scored on every criterion",
                missing,
            ) % {"missing": missing, "total": members[cluster_year.pk]}
            items.append(Lack(text, url))
        if not sheet.is_approved:
            items.append(Lack(_("The ranking is not approved yet"), results))
        if items:
            found[cluster_year.pk] = items
    return found


lacks.register("scoring", order=60, check=scoring_lacks)
