"""What a year's pledge still lacks, for the dashboard (see ``clusters.dashboard``).

- From the start of the year: no pledge; a pledge without targets; members that have
  not entered any commitment (the pledge is signed in February or March: until it is,
  these are the year's first to-dos).
- Once the pledge's mid-year period has ended (30/6 if it has none): members that have
  not reported any mid-year result; once its year-end period has ended (31/12 if none):
  the same for the year-end results.

A member counts as having committed (reported) once it has a value or a text for at
least one target, not necessarily for every one: some targets are the cluster's as a
whole, which not every member commits to.
The three checks share one query.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db.models import CharField, Count, DateField, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusters.dashboard import Lack, is_past, lacks, member_counts, mid_year_end, year_end
from pledges import permissions
from pledges.models import Commitment, Period, Pledge, Result, Target


def _count(queryset, group: str, counted: str, *, distinct: bool = False) -> Coalesce:
    """A correlated count over ``queryset`` rows grouped by ``group`` (0 for none)."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(group)
            .annotate(n=Count(counted, distinct=distinct))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _filled() -> Q:
    return Q(value__isnull=False) | ~Q(text="")


def _periods(kind: str):
    return Period.objects.filter(pledge=OuterRef("pk"), kind=kind)


def _reported(kind: str) -> Coalesce:
    return _count(
        Result.objects.filter(period__pledge=OuterRef("pk"), period__kind=kind).filter(_filled()),
        "period__pledge",
        "member",
        distinct=True,
    )


KIND_FIELDS = {Period.Kind.MID_YEAR: "mid", Period.Kind.YEAR_END: "end"}


def _annotations() -> dict:
    fields = {
        "target_count": _count(Target.objects.filter(pledge=OuterRef("pk")), "pledge", "pk"),
        "committed": _count(
            Commitment.objects.filter(target__pledge=OuterRef("pk")).filter(_filled()),
            "target__pledge",
            "member",
            distinct=True,
        ),
    }
    for kind, prefix in KIND_FIELDS.items():
        periods = _periods(kind)
        fields |= {
            f"{prefix}_period_pk": Subquery(periods.values("pk")[:1], output_field=IntegerField()),
            f"{prefix}_period_ends": Subquery(
                periods.values("ends_on")[:1], output_field=DateField()
            ),
            f"{prefix}_period_name": Subquery(periods.values("name")[:1], output_field=CharField()),
            f"{prefix}_reported": _reported(kind),
        }
    return fields


def _pledges(cluster_years) -> dict[int, Pledge]:
    """{cluster year pk: its pledge, bound to it, with the counts the checks read}.

    One query for the years not asked before: the result is kept on each cluster year
    object, so the three checks of one dashboard share it.
    """
    todo = [cy for cy in cluster_years if not hasattr(cy, "_dashboard_pledge")]
    if todo:
        by_pk = {cluster_year.pk: cluster_year for cluster_year in todo}
        for cluster_year in todo:
            cluster_year._dashboard_pledge = None
        for pledge in Pledge.objects.filter(cluster_year__in=list(by_pk)).annotate(
            **_annotations()
        ):
            pledge.cluster_year = by_pk[pledge.cluster_year_id]
            pledge.cluster_year._dashboard_pledge = pledge
    return {cy.pk: cy._dashboard_pledge for cy in cluster_years if cy._dashboard_pledge is not None}


def _pledge_url(user, pledge: Pledge, name: str) -> str:
    """A page of the pledge ``user`` may change, else the pledge itself."""
    if permissions.can_change_pledge(user, pledge):
        return reverse(name, args=[pledge.pk])
    return pledge.get_absolute_url()


def pledge_lacks(cluster_years, *, today: datetime.date, user) -> dict[int, list[Lack]]:
    """No pledge, no targets, commitments missing: due from the start of the year."""
    due = [cluster_year for cluster_year in cluster_years if cluster_year.year <= today.year]
    if not due:
        return {}
    pledges = _pledges(due)
    members = member_counts(due)
    found: dict[int, list[Lack]] = {}
    for cluster_year in due:
        pledge = pledges.get(cluster_year.pk)
        if pledge is None:
            if permissions.can_create_pledge(user, cluster_year):
                url = reverse("pledges:pledge-create", args=[cluster_year.pk])
            else:
                url = cluster_year.get_absolute_url()
            found[cluster_year.pk] = [Lack(_("No emulation pledge yet"), url)]
        elif not pledge.target_count:
            found[cluster_year.pk] = [
                Lack(
                    _("The pledge has no targets yet"),
                    _pledge_url(user, pledge, "pledges:pledge-targets"),
                )
            ]
        elif pledge.committed < members[cluster_year.pk]:
            missing, total = members[cluster_year.pk] - pledge.committed, members[cluster_year.pk]
            text = ngettext(
                "%(missing)s/%(total)s member has not entered its commitments",
                "%(missing)s/%(total)s members have not entered their commitments",
                missing,
            ) % {"missing": missing, "total": total}
            found[cluster_year.pk] = [
                Lack(text, _pledge_url(user, pledge, "pledges:pledge-commitments"))
            ]
    return found


RESULT_TEXTS = {
    Period.Kind.MID_YEAR: (
        lambda: _("No mid-year reporting period"),
        lambda missing, total: (
            ngettext(
                "%(missing)s/%(total)s member has not reported its mid-year results",
                "%(missing)s/%(total)s members have not reported their mid-year results",
                missing,
            )
            % {"missing": missing, "total": total}
        ),
        mid_year_end,
    ),
    Period.Kind.YEAR_END: (
        lambda: _("No year-end reporting period"),
        lambda missing, total: (
            ngettext(
                "%(missing)s/%(total)s member has not reported its year-end results",
                "%(missing)s/%(total)s members have not reported their year-end results",
                missing,
            )
            % {"missing": missing, "total": total}
        ),
        year_end,
    ),
}


def result_lacks(kind: str, cluster_years, *, today: datetime.date, user) -> dict[int, list[Lack]]:
    """Results of the ``kind`` period missing, once the period has ended (its default
    end when the pledge has no such period). Years without a pledge or without targets
    are left to ``pledge_lacks``."""
    no_period_text, missing_text, default_end = RESULT_TEXTS[kind]
    candidates = [cluster_year for cluster_year in cluster_years if cluster_year.year <= today.year]
    if not candidates:
        return {}
    pledges = _pledges(candidates)
    prefix = KIND_FIELDS[kind]
    members = member_counts([pledge.cluster_year for pledge in pledges.values()])
    found: dict[int, list[Lack]] = {}
    for pk, pledge in pledges.items():
        if not pledge.target_count:
            continue
        cluster_year = pledge.cluster_year
        period_pk, ends_on, name, reported = (
            getattr(pledge, f"{prefix}_{field}")
            for field in ("period_pk", "period_ends", "period_name", "reported")
        )
        if period_pk is None:
            end = default_end(cluster_year.year)
            if is_past(end, today):
                if permissions.can_create_period(user, pledge):
                    url = reverse("pledges:period-create", args=[pledge.pk])
                else:
                    url = pledge.get_absolute_url()
                found[pk] = [Lack(no_period_text(), url, due=end)]
            continue
        if not is_past(ends_on, today) or reported >= members[pk]:
            continue
        period = Period(pk=period_pk, pledge=pledge, kind=kind, name=name, ends_on=ends_on)
        if permissions.can_enter_results(user, period):
            url = reverse("pledges:period-results", args=[period.pk])
        else:
            url = period.get_absolute_url()
        text = missing_text(members[pk] - reported, members[pk])
        found[pk] = [Lack(text, url, due=period.ends_on)]
    return found


lacks.register("pledge", order=10, check=pledge_lacks)
lacks.register("mid-year-results", order=20, check=partial(result_lacks, Period.Kind.MID_YEAR))
lacks.register("year-end-results", order=40, check=partial(result_lacks, Period.Kind.YEAR_END))
