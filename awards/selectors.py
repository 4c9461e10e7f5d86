"""Reads of awards, scoped through ``clusters.selectors.user_scope``.

An award belongs to a body's register: its staff and viewers read all of it, the
council's secretary and the deciding office read it to act at their level, and a
cluster secretary reads the awards of the cluster years assigned to them. Anything else
is a 404.
"""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from awards.models import Award, AwardStep, Decision, Initiative, RecipientKind, ReportedCount
from clusters.models import ClusterMember, Person, Stage, Unit
from clusters.selectors import predecessor_chain, user_scope

Status = Award.Status


def award_scope(user) -> Q | None:
    """Who may read which awards; ``None`` for everything (a superuser). It names the
    award's ``body_id`` and ``cluster_year_id``, which ``GrantedTally`` names alike."""
    scope = user_scope(user)
    if scope.is_superuser:
        return None
    bodies = scope.reading_body_ids | scope.council_body_ids | scope.office_body_ids
    return Q(body_id__in=bodies) | Q(cluster_year_id__in=scope.secretary_year_ids)


def awards_for_user(user) -> QuerySet[Award]:
    q = award_scope(user)
    awards = Award.objects.all() if q is None else Award.objects.filter(q)
    return awards.select_related(
        "award_type", "body", "cluster_year__cluster", "decision", "unit", "person"
    )


# What a table of awards shows besides the row's own columns (the award's name, its
# decision). Every relation more is one more table to join, and the planner's search of
# join orders grows with each: with the six of ``awards_for_user``, PostgreSQL took
# 57–74 ms to plan a page of 50 of 200,000 awards (1 ms to run it) on the bench's
# busy two cores; with these two, under 1 ms.
LISTED = ("award_type", "decision")


# The columns a table of awards shows (``awards.templatetags.award_tables``): a page of
# 50 awards with their types and decisions otherwise reads and builds every column of
# three tables, most of it never shown.
TABLE_FIELDS = (
    "year",
    "sort_key",
    "body_id",
    "cluster_year_id",
    "recipient_name",
    "recipient_position",
    "recipient_unit_name",
    "occasion",
    "status",
    "stage",
    "award_type__name",
    "decision__number",
    "decision__signed_on",
)


def awards_listed(user) -> QuerySet[Award]:
    """``awards_for_user`` for tables of awards: only the relations a table shows."""
    return awards_for_user(user).select_related(None).select_related(*LISTED)


def awards_tabled(user) -> QuerySet[Award]:
    """``awards_listed`` with only the columns the table shows (``TABLE_FIELDS``): for
    pages that print nothing else of each award."""
    return awards_listed(user).only(*TABLE_FIELDS)


def award_or_404(user, pk) -> Award:
    """The award ``pk`` if ``user`` may read it; another body's or cluster's is a 404."""
    return get_object_or_404(awards_for_user(user), pk=pk)


def decisions_for_user(user) -> QuerySet[Decision]:
    """The body's register for its readers and the chain's levels; for a cluster
    secretary, the decisions granting an award of their cluster years."""
    scope = user_scope(user)
    if scope.is_superuser:
        return Decision.objects.all()
    bodies = scope.reading_body_ids | scope.council_body_ids | scope.office_body_ids
    theirs = Award.objects.filter(
        cluster_year_id__in=scope.secretary_year_ids, decision__isnull=False
    ).values("decision_id")
    return Decision.objects.filter(Q(body_id__in=bodies) | Q(pk__in=theirs))


# The columns the decisions register shows (``awards.templatetags.award_tables``).
DECISION_TABLE_FIELDS = ("number", "signed_on", "authority", "summary", "signer_name")


def decisions_tabled(user) -> QuerySet[Decision]:
    """``decisions_for_user`` with only the columns the register's table shows."""
    return decisions_for_user(user).only(*DECISION_TABLE_FIELDS)


def steps_of(award: Award) -> list[AwardStep]:
    return list(award.steps.select_related("by").order_by("at", "pk"))


# --- Inboxes: what waits for the user's level ---------------------------------------


def inbox_q(user, stage: str) -> Q | None:
    """The awards waiting at ``stage`` that ``user`` acts on; ``None`` when the user acts
    at no such level. The cluster's inbox holds its proposals not yet sent and those sent
    back to it; the upper levels hold what was submitted to them."""
    scope = user_scope(user)
    if stage == Stage.CLUSTER:
        waiting = Q(stage=Stage.CLUSTER, status__in=[Status.PROPOSED, Status.RETURNED])
        if scope.is_superuser:
            return waiting
        if not (scope.staff_body_ids or scope.secretary_year_ids):
            return None
        return waiting & (
            Q(body_id__in=scope.staff_body_ids) | Q(cluster_year_id__in=scope.secretary_year_ids)
        )
    waiting = Q(stage=stage, status=Status.SUBMITTED)
    if scope.is_superuser:
        return waiting
    bodies = set(scope.staff_body_ids)
    if stage == Stage.COUNCIL:
        bodies |= scope.council_body_ids
    elif stage == Stage.AUTHORITY:
        bodies |= scope.office_body_ids
    if not bodies:
        return None
    return waiting & Q(body_id__in=bodies)


def inbox_stages(user) -> list[str]:
    """The levels ``user`` acts at, in the chain's order."""
    return [stage for stage in Stage.values if inbox_q(user, stage) is not None]


# The statuses of awards waiting somewhere on the chain: a few thousand of 200,000 rows,
# read from ``award_inbox_idx`` (status, stage, body) alone, without the table.
WAITING = (Status.PROPOSED, Status.RETURNED, Status.SUBMITTED)


def inbox_counts(user) -> dict[str, int]:
    """How many awards wait at each of the user's levels: one query grouped by body,
    level and status from the inbox index (and, for a cluster secretary, one count of
    their cluster years' proposals not yet sent)."""
    stages = inbox_stages(user)
    if not stages:
        return {}
    scope = user_scope(user)
    counts = dict.fromkeys(stages, 0)
    waiting = Award.objects.filter(status__in=WAITING)
    by_body = {
        Stage.CLUSTER: set(scope.staff_body_ids),
        Stage.BOARD: set(scope.staff_body_ids),
        Stage.COUNCIL: set(scope.staff_body_ids) | scope.council_body_ids,
        Stage.CENTRE: set(scope.staff_body_ids),
        Stage.AUTHORITY: set(scope.staff_body_ids) | scope.office_body_ids,
    }
    bodies = set().union(*(by_body[stage] for stage in stages))
    if scope.is_superuser or bodies:
        rows = waiting if scope.is_superuser else waiting.filter(body_id__in=bodies)
        # Grouped in the index's order (status, stage, body): PostgreSQL counts the rows
        # as the index gives them instead of hashing 6,000 keys (2.0 → 1.3 ms).
        grouped = rows.values_list("status", "stage", "body_id").annotate(count=Count("*"))
        for status, stage, body_id, count in grouped.order_by("status", "stage", "body_id"):
            if stage not in counts or (stage == Stage.CLUSTER) != (status != Status.SUBMITTED):
                continue
            if scope.is_superuser or body_id in by_body[stage]:
                counts[stage] += count
    if Stage.CLUSTER in counts and scope.secretary_year_ids and not scope.is_superuser:
        counts[Stage.CLUSTER] += (
            waiting.filter(
                stage=Stage.CLUSTER,
                status__in=[Status.PROPOSED, Status.RETURNED],
                cluster_year_id__in=scope.secretary_year_ids,
            )
            .exclude(body_id__in=scope.staff_body_ids)
            .count()
        )
    return counts


def inbox(user, stage: str) -> QuerySet[Award]:
    q = inbox_q(user, stage)
    if q is None:
        return Award.objects.none()
    return awards_tabled(user).filter(q).order_by("year", "cluster_year_id", "sort_key", "pk")


# --- Histories -------------------------------------------------------------------------


def unit_lineage(unit: Unit) -> list[Unit]:
    """The unit and every unit it carries on (its predecessors through mergers, renames
    and splits), nearest first."""
    seen = {unit.pk: unit}
    for succession in predecessor_chain(unit):
        seen.setdefault(succession.predecessor_id, succession.predecessor)
    return list(seen.values())


def unit_awards(unit: Unit, *, user) -> QuerySet[Award]:
    """The awards granted to the unit itself and to its predecessors, as they were
    decided: the recipient's name is the one on the decision. Newest year first. (Its
    collectives' and people's awards, thousands for a large commune, are found by the
    list's search on the unit's name.)"""
    ids = [u.pk for u in unit_lineage(unit)]
    return (
        awards_listed(user)
        .select_related("unit")
        .filter(
            unit_id__in=ids,
            recipient_kind=RecipientKind.UNIT,
            status__in=[Status.DECIDED, Status.PRESENTED],
        )
        .order_by("-year", "award_type__category", "award_type__order", "sort_key", "pk")
    )


def person_awards(person: Person, *, user) -> QuerySet[Award]:
    return (
        awards_listed(user)
        .filter(person=person)
        .exclude(status=Status.REJECTED)
        .order_by("-year", "pk")
    )


def cluster_year_awards(cluster_year) -> list[Award]:
    """A cluster year's proposals and awards (rejected ones last), in the list order."""
    return list(
        Award.objects.filter(cluster_year=cluster_year)
        .select_related("award_type", "decision", "unit", "person")
        .order_by("award_type__category", "award_type__order", "rank", "sort_key", "pk")
    )


def initiatives_of(person: Person) -> list[Initiative]:
    return list(person.initiatives.order_by("-year", "pk"))


def reported_counts_of(cluster_year) -> list[ReportedCount]:
    return list(
        ReportedCount.objects.filter(cluster_year=cluster_year)
        .select_related("unit")
        .order_by("unit__sort_key", "period", "level", "kind")
    )


def member_unit_ids(cluster_year) -> set[int]:
    return set(
        ClusterMember.objects.filter(cluster_year=cluster_year).values_list("unit_id", flat=True)
    )
