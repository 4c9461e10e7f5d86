"""Who may do what with a vote. Visibility comes from the selectors."""

from clusters.permissions import can_change_clusteryear
from votes.models import Vote


def can_create_vote(user, meeting) -> bool:
    """The secretary of the meeting's cluster year or staff of its body."""
    return can_change_clusteryear(user, meeting.cluster_year)


def can_change_vote(user, vote: Vote) -> bool:
    """Set up a draft (title, candidates, voters, committee)."""
    return vote.is_draft and can_change_clusteryear(user, vote.meeting.cluster_year)


def can_count_vote(user, vote: Vote) -> bool:
    """Enter the paper counts of an open vote, and close it."""
    return vote.status == Vote.Status.OPEN and can_change_clusteryear(
        user, vote.meeting.cluster_year
    )


def can_open_vote(user, vote: Vote) -> bool:
    return can_change_vote(user, vote)


def can_confirm_vote(user, vote: Vote) -> bool:
    return vote.status == Vote.Status.CLOSED and can_change_clusteryear(
        user, vote.meeting.cluster_year
    )


def can_correct_vote(user, vote: Vote) -> bool:
    return vote.is_confirmed and can_change_clusteryear(user, vote.meeting.cluster_year)
