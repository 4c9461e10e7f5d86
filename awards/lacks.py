"""What a cluster year's awards still lack, for the dashboard (see ``clusters.dashboard``).

- A confirmed nomination vote (in force: not replaced by a confirmed correction) from
  which no proposal was made, and no proposal of its award for the year either: lacking
  from the day the vote is confirmed ("Chưa lập đề nghị khen thưởng …").
- Proposals the cluster still holds (proposed, or returned to it): lacking while they
  are not sent up ("Chưa gửi đề nghị khen thưởng …"), with their number.

Both link to the cluster year's page, where the awards section lists the proposals and
makes them from the votes. The inbox counts of the upper levels are the dashboard's
own. One query (the awards grouped) however many years: the votes are those the votes'
check read.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import Award
from clusters.dashboard import Lack, lacks
from votes.selectors import dashboard_votes

Status = Award.Status
HELD = (Status.PROPOSED, Status.RETURNED)


def award_lacks(cluster_years, *, today: datetime.date, user) -> dict[int, list[Lack]]:
    by_pk = {cluster_year.pk: cluster_year for cluster_year in cluster_years}
    votes = sorted(
        (
            (vote.starts_at, vote.pk, cluster_year.pk, vote.title, vote.award_type_id)
            for cluster_year in cluster_years
            for vote in dashboard_votes(cluster_year, cluster_years)
            if vote.nomination_in_force
        ),
    )
    votes = [
        (cluster_year_id, pk, title, type_id) for _at, pk, cluster_year_id, title, type_id in votes
    ]
    held: dict[int, int] = {}
    from_votes: set[int] = set()
    proposed_types: set[tuple[int, int]] = set()
    for cluster_year_id, vote_id, award_type_id, waiting in (
        Award.objects.filter(cluster_year__in=list(by_pk))
        .exclude(status=Status.REJECTED)
        .order_by()
        .values("cluster_year_id", "vote_id", "award_type_id")
        .annotate(waiting=Count("pk", filter=Q(status__in=HELD)))
        .values_list("cluster_year_id", "vote_id", "award_type_id", "waiting")
    ):
        held[cluster_year_id] = held.get(cluster_year_id, 0) + waiting
        if vote_id:
            from_votes.add(vote_id)
        proposed_types.add((cluster_year_id, award_type_id))
    found: dict[int, list[Lack]] = {}
    for cluster_year_id, vote_id, title, award_type_id in votes:
        if vote_id in from_votes or (cluster_year_id, award_type_id) in proposed_types:
            continue
        found.setdefault(cluster_year_id, []).append(
            Lack(
                _("No award proposal yet from the nomination “%(title)s”") % {"title": title},
                by_pk[cluster_year_id].get_absolute_url(),
            )
        )
    for cluster_year_id, count in held.items():
        if count:
            found.setdefault(cluster_year_id, []).append(
                Lack(
                    ngettext(
                        "%(count)d award proposal not yet sent up",
                        "%(count)d award proposals not yet sent up",
                        count,
                    )
                    % {"count": count},
                    by_pk[cluster_year_id].get_absolute_url(),
                )
            )
    return found


lacks.register("awards", order=80, check=award_lacks)
