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
