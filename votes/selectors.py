"""Reads of votes, scoped through ``clusters.selectors``."""

from django.db.models import QuerySet

from clusters.selectors import visible_clusters_q
from votes.models import Vote

CLUSTER_PATH = "meeting__cluster_year__cluster"


def votes_for_user(user) -> QuerySet[Vote]:
    return Vote.objects.filter(visible_clusters_q(user, CLUSTER_PATH)).select_related(
        "meeting__cluster_year__cluster__body", "award_type", "rule__rule_set", "corrects"
    )


def votes_of_meeting(meeting) -> list[Vote]:
    return list(Vote.objects.filter(meeting=meeting).select_related("award_type").order_by("pk"))


def tallies_of(vote, candidates) -> list[dict]:
    """Each committee member's entry with the candidates' votes in ballot order (two
    queries)."""
    tallies = list(
        vote.tallies.select_related("teller").prefetch_related("lines").order_by("teller__order")
    )
    rows = []
    for tally in tallies:
        votes = {line.candidate_id: line.votes for line in tally.lines.all()}
        rows.append({"tally": tally, "votes": [votes.get(c.pk) for c in candidates]})
    return rows
