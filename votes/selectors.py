"""Reads of votes, scoped through ``clusters.selectors``."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404

from clusters.models import AwardType, ClusterMember, ClusterYear, Unit, VoteRule
from clusters.permissions import can_change_clusteryear, can_roll_over_clusteryear
from clusters.selectors import visible_clusters_q
from clusters.services import elected_leaders
from votes.models import Candidate, Vote

Purpose = VoteRule.Purpose

CLUSTER_PATH = "meeting__cluster_year__cluster"


def votes_for_user(user) -> QuerySet[Vote]:
    return Vote.objects.filter(visible_clusters_q(user, CLUSTER_PATH)).select_related(
        "meeting__cluster_year__cluster__body", "award_type", "rule__rule_set", "corrects"
    )


def vote_or_404(user, pk) -> Vote:
    """The vote ``pk`` if ``user`` may see it; another cluster's vote is a 404."""
    return get_object_or_404(votes_for_user(user), pk=pk)


def candidates_of(vote) -> list[Candidate]:
    """The vote's candidates in ballot order, with their units (one query)."""
    return list(
        Candidate.objects.filter(vote=vote).select_related("member__unit").order_by("order", "pk")
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


# --- What the awards read ------------------------------------------------------------------


@dataclass(frozen=True)
class Nomination:
    """One confirmed nomination vote, as the awards read it.

    ``winners`` are the member units the vote put forward for ``award_type`` (in the
    order of their votes, as stored); ``tied`` those tied for the last seats, whom the
    meeting still has to decide between; ``results`` the results stored when the vote
    closed (counts, threshold, each candidate's votes), as they were.
    """

    vote: Vote
    award_type: AwardType
    cluster_year: ClusterYear
    rule: VoteRule
    winners: tuple[ClusterMember, ...]
    tied: tuple[ClusterMember, ...]
    results: dict

    @property
    def units(self) -> list[Unit]:
        return [member.unit for member in self.winners]


def in_force_q() -> Q:
    """Confirmed votes that no confirmed correction replaces: a correction (a new vote
    pointing to the one it corrects) counts once it is confirmed, and from then on only
    it does; a correction still in draft or not yet confirmed replaces nothing."""
    return Q(status=Vote.Status.CONFIRMED) & ~Q(
        pk__in=Vote.objects.filter(status=Vote.Status.CONFIRMED, corrects__isnull=False).values(
            "corrects_id"
        )
    )


@dataclass(frozen=True)
class DashboardVote:
    """A vote the dashboard's checks look at: a nomination in force, or one counted and
    closed whose results wait for confirmation."""

    pk: int
    title: str
    status: str
    award_type_id: int | None
    starts_at: datetime.datetime
    nomination_in_force: bool


def dashboard_votes(cluster_year, cluster_years) -> list[DashboardVote]:
    """The votes of ``cluster_year`` the dashboard's checks need (the votes' own and the
    awards'), in order of meeting and vote.

    One query for all of ``cluster_years`` not asked before, kept on each cluster year
    object, as ``meetings.lacks.review_meetings`` keeps the meetings.
    """
    if not hasattr(cluster_year, "_dashboard_votes"):
        todo = [cy for cy in cluster_years if not hasattr(cy, "_dashboard_votes")]
        by_pk = {cy.pk: cy for cy in todo}
        for cy in todo:
            cy._dashboard_votes = []
        nomination = in_force_q() & Q(purpose=VoteRule.Purpose.NOMINATION)
        rows = (
            Vote.objects.filter(meeting__cluster_year__in=list(by_pk))
            .filter(nomination | Q(status=Vote.Status.CLOSED))
            .annotate(_nomination=ExpressionWrapper(nomination, output_field=BooleanField()))
            .order_by("meeting__starts_at", "pk")
            .values_list(
                "meeting__cluster_year_id",
                "pk",
                "title",
                "status",
                "award_type_id",
                "meeting__starts_at",
                "_nomination",
            )
        )
        for cluster_year_id, *row in rows:
            by_pk[cluster_year_id]._dashboard_votes.append(DashboardVote(*row))
    return cluster_year._dashboard_votes


def confirmed_nominations(
    cluster_year: ClusterYear | None = None, award_type: AwardType | None = None, *, user=None
) -> list[Nomination]:
    """The nominations in force: the awards app's entry point to the votes.

    Every nomination vote whose results are confirmed and not replaced by a confirmed
    correction (drafts, open and closed-but-unconfirmed votes are left out), of
    ``cluster_year`` and of ``award_type`` when given; with ``user``, only those the user
    may see (``votes_for_user``), else all of them (for tasks and commands). In order of
    cluster year, meeting and vote. Two queries however many votes and winners; no
    writes.
    """
    votes = Vote.objects.filter(in_force_q(), purpose=Purpose.NOMINATION)
    if user is not None:
        votes = votes.filter(visible_clusters_q(user, CLUSTER_PATH))
    if cluster_year is not None:
        votes = votes.filter(meeting__cluster_year=cluster_year)
    if award_type is not None:
        votes = votes.filter(award_type=award_type)
    votes = list(
        votes.select_related(
            "meeting__cluster_year__cluster__body", "award_type", "rule__rule_set"
        ).order_by(
            "meeting__cluster_year__year", "meeting__cluster_year_id", "meeting__starts_at", "pk"
        )
    )
    candidates = {
        candidate.pk: candidate.member
        for candidate in Candidate.objects.filter(vote__in=votes, member__isnull=False)
        .select_related("member__unit")
        .order_by()
    }
    nominations = []
    for vote in votes:
        results = vote.results or {}
        nominations.append(
            Nomination(
                vote=vote,
                award_type=vote.award_type,
                cluster_year=vote.meeting.cluster_year,
                rule=vote.rule,
                winners=tuple(candidates[i] for i in results.get("winners", []) if i in candidates),
                tied=tuple(candidates[i] for i in results.get("tied", []) if i in candidates),
                results=results,
            )
        )
    return nominations


def elections_of_year(cluster_year) -> list[Vote]:
    """The elections of next year's head and deputy held in ``cluster_year`` whose
    results are in force, head first (one query)."""
    votes = Vote.objects.filter(
        in_force_q(), meeting__cluster_year=cluster_year, purpose__in=[Purpose.HEAD, Purpose.DEPUTY]
    ).order_by("pk")
    return sorted(votes, key=lambda vote: vote.purpose != Purpose.HEAD)


def next_year_notice(vote: Vote, user) -> dict | None:
    """What the vote page says of next year after a head or deputy election is
    confirmed (``votes/includes/_next_year.html``): the year's election against next
    year, and what ``user`` may do. None for any other vote. Two or three queries."""
    if not vote.is_confirmed or vote.purpose not in (Purpose.HEAD, Purpose.DEPUTY):
        return None
    cluster_year = (
        ClusterYear.objects.select_related("cluster__body", "next_head", "next_deputy")
        .filter(pk=vote.meeting.cluster_year_id)
        .first()
    )
    elected = elected_leaders(cluster_year)
    if not elected.leaders:
        return None
    return {
        "elected": elected,
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "can_take_elected": elected.next_year is not None
        and can_change_clusteryear(user, elected.next_year),
        "can_roll_over": can_roll_over_clusteryear(user, cluster_year),
    }
