"""The registry of what a cluster year still lacks: the dashboard's to-do list.

The dashboard shows, under each cluster of the year asked, what is still missing in
that year's cycle (no pledge, results not reported, no review meeting held, scores not
entered …), each with a link to the page where it is done. The base knows no feature
app: each app registers the checks of its own data here, from its ``ready()``, as it
registers its report sections in ``clusters.reports``; an app added later (votes,
awards) adds its checks without touching the base or the dashboard.

A check is ``check(cluster_years, *, today, user)``. It gets the cluster years the
dashboard shows, already scoped to ``user`` and bound to their cluster (``.cluster``
loaded), and the day to judge by. It answers ``{cluster year pk: [Lack, …]}`` (a year
that lacks nothing may be left out) in a fixed number of queries, one or two, however
many years it gets; it reports only what is due by ``today`` (everything still missing
for a year that is over), and links each lack to a page ``user`` may open: the page
that fixes it if the user may fix it, else a page that shows it.

``order`` places the checks in the order of the year's cycle:

====  ===========================================================
5     the member units (the base's own check)
10    the pledge, its targets and the members' commitments
20    the mid-year results
30    the mid-year review meeting
40    the year-end results
50    the year-end review meeting
60    the criteria sheet, the scores and the approved ranking
70+   later steps: votes, proposals, dossiers
====  ===========================================================
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from clusters.models import ClusterMember, ClusterYear
from clusters.permissions import can_change_clusteryear

# The default end of the first half of the emulation year (30/6) and of the year.
MID_YEAR_END = (6, 30)


def mid_year_end(year: int) -> datetime.date:
    """30/6 of ``year``: the mid-year review covers the year up to here."""
    return datetime.date(year, *MID_YEAR_END)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def is_past(day: datetime.date, today: datetime.date) -> bool:
    """``day`` is over: something due by its end is due ``today``."""
    return day < today


@dataclass(frozen=True)
class Lack:
    """One thing a cluster year still lacks.

    ``text`` says what is missing in one short sentence (translated when made);
    ``url`` is the page to fix it (or to see it, for a user who may not fix it);
    ``due`` the day it should have been (or should be) done by, when there is one.
    """

    text: str
    url: str
    due: datetime.date | None = None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due is not None and is_past(self.due, today)


Check = Callable[..., Mapping[int, Sequence[Lack]]]


@dataclass(frozen=True)
class LackCheck:
    """One check, as an app registered it."""

    key: str
    order: int
    check: Check


class Lacks:
    """The registry: ``register`` from an app's ``ready()``, iterate in ``order``."""

    def __init__(self):
        self._checks: dict[str, LackCheck] = {}

    def register(self, key: str, *, order: int, check: Check) -> LackCheck:
        """Add (or, under the same key, replace) a check."""
        entry = LackCheck(key, order, check)
        self._checks[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._checks.pop(key, None)

    def __iter__(self) -> Iterator[LackCheck]:
        return iter(sorted(self._checks.values(), key=lambda entry: (entry.order, entry.key)))

    def __contains__(self, key: str) -> bool:
        return key in self._checks

    def __getitem__(self, key: str) -> LackCheck:
        return self._checks[key]

    def of(
        self, cluster_years: Sequence[ClusterYear], *, today: datetime.date, user
    ) -> dict[int, list[Lack]]:
        """{cluster year pk: what it lacks, in the order of the checks} for every year
        given (an empty list when it lacks nothing). No query without years."""
        cluster_years = list(cluster_years)
        found: dict[int, list[Lack]] = {cluster_year.pk: [] for cluster_year in cluster_years}
        if not cluster_years:
            return found
        for entry in self:
            answer = entry.check(cluster_years, today=today, user=user)
            for pk, items in answer.items():
                if pk in found:
                    found[pk].extend(items)
        return found


lacks = Lacks()


def member_counts(cluster_years: Sequence[ClusterYear]) -> dict[int, int]:
    """{cluster year pk: number of members}.

    No query when the years were loaded through ``selectors.with_leaders``, else one,
    whose counts are kept on the years as that annotation (``member_count``).
    """
    todo = [cy for cy in cluster_years if not hasattr(cy, "member_count")]
    if todo:
        counts = dict(
            ClusterMember.objects.filter(cluster_year__in=[cy.pk for cy in todo])
            .order_by()
            .values("cluster_year_id")
            .annotate(count=Count("pk"))
            .values_list("cluster_year_id", "count")
        )
        for cluster_year in todo:
            cluster_year.member_count = counts.get(cluster_year.pk, 0)
    return {cluster_year.pk: cluster_year.member_count for cluster_year in cluster_years}


# --- The base's own check: the members ------------------------------------------------


def member_lacks(cluster_years, *, today: datetime.date, user) -> dict[int, list[Lack]]:
    """A year without members, from its first day: every later step needs them (and the
    other checks, counting members, would find nothing missing). No query when the
    years carry their ``member_count``."""
    due = [cluster_year for cluster_year in cluster_years if cluster_year.year <= today.year]
    counts = member_counts(due)
    found = {}
    for cluster_year in due:
        if counts[cluster_year.pk]:
            continue
        if can_change_clusteryear(user, cluster_year):
            url = reverse("clusters:clusteryear-update", args=[cluster_year.pk])
        else:
            url = cluster_year.get_absolute_url()
        found[cluster_year.pk] = [Lack(_("The year has no member units yet"), url)]
    return found


lacks.register("members", order=5, check=member_lacks)
