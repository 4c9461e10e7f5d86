"""The votes a year still lacks, for the dashboard (see ``clusters.dashboard``).

The rules, once the year's year-end review meeting took place (held, or its minutes
approved), where the members nominate and elect:

- next year's head and deputy must be elected: lacking while the year has no
  ``next_head`` (or ``next_deputy``), which confirming an election writes (a head
  recorded by hand counts too; a tied or failed election leaves it lacking);
- the members must have nominated for the awards: lacking while no nomination vote
  of the year has confirmed results in force (not replaced by a confirmed correction).

Both link to the new-vote page of the (last) year-end meeting for a user who may create
votes, else to its votes page. And, whenever it happens, a vote that was counted and
closed but whose results are not confirmed is lacking, linked to the vote itself.

One query (the votes, kept for the awards' check) however many years: the year-end
meetings are the rows the meetings' checks read.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.dashboard import Lack, lacks
from clusters.models import VoteRule
from clusters.permissions import can_change_clusteryear
from meetings.lacks import review_meetings
from meetings.models import Meeting
from votes.models import Vote
from votes.selectors import dashboard_votes

Purpose = VoteRule.Purpose
TOOK_PLACE = (Meeting.Status.HELD, Meeting.Status.APPROVED)


def _election_text(cluster_year, *, head: bool, deputy: bool) -> str:
    cluster = cluster_year.cluster
    values = {
        "head": cluster.head_label,
        "deputy": cluster.deputy_label,
        "year": cluster_year.year + 1,
    }
    if head and deputy:
        return _("No vote yet electing the %(head)s and %(deputy)s for %(year)s") % values
    if head:
        return _("No vote yet electing the %(head)s for %(year)s") % values
    return _("No vote yet electing the %(deputy)s for %(year)s") % values


def vote_lacks(cluster_years, *, today: datetime.date, user) -> dict[int, list[Lack]]:
    """The elections and nominations missing after the year-end meeting, and the votes
    whose results wait for confirmation."""
    by_pk = {cluster_year.pk: cluster_year for cluster_year in cluster_years}
    year_end: dict[int, tuple[int, datetime.date]] = {}
    for cluster_year in cluster_years:
        for pk, kind, status, starts_at in review_meetings(cluster_year, cluster_years):
            if kind == Meeting.Kind.YEAR_END and status in TOOK_PLACE:
                year_end[cluster_year.pk] = (pk, timezone.localtime(starts_at).date())  # the last
    nominated: set[int] = set()
    unconfirmed: dict[int, list[tuple[int, str]]] = {}
    for cluster_year in cluster_years:
        for vote in dashboard_votes(cluster_year, cluster_years):
            if vote.status == Vote.Status.CLOSED:
                unconfirmed.setdefault(cluster_year.pk, []).append((vote.pk, vote.title))
            elif vote.nomination_in_force:
                nominated.add(cluster_year.pk)
    found: dict[int, list[Lack]] = {}
    for pk, cluster_year in by_pk.items():
        items = []
        if pk in year_end:
            meeting_pk, day = year_end[pk]
            if can_change_clusteryear(user, cluster_year):
                url = reverse("votes:vote-create", args=[meeting_pk])
            else:
                url = reverse("votes:vote-list", args=[meeting_pk])
            head, deputy = not cluster_year.next_head_id, not cluster_year.next_deputy_id
            if head or deputy:
                items.append(
                    Lack(_election_text(cluster_year, head=head, deputy=deputy), url, due=day)
                )
            if pk not in nominated:
                items.append(Lack(_("No nomination vote yet for the awards"), url, due=day))
        for vote_pk, title in unconfirmed.get(pk, []):
            items.append(
                Lack(
                    _("Results of the vote “%(title)s” not confirmed") % {"title": title},
                    reverse("votes:vote-detail", args=[vote_pk]),
                )
            )
        if items:
            found[pk] = items
    return found


lacks.register("votes", order=70, check=vote_lacks)
