"""Reads, scoped to what a user may see.

``visible_clusters_q`` is the one place that decides which clusters a user sees; every
selector of every app filters with it (or builds on ``user_scope`` for registers).
Views fetch single objects with ``get_object_or_404(<selector>(user), pk=...)`` so
another cluster's object is a 404.
"""

import datetime
from collections import deque
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from clusters import search
from clusters.models import (
    AwardRule,
    AwardType,
    Cluster,
    ClusterMember,
    ClusterYear,
    OrganizingBody,
    Person,
    Role,
    RuleSet,
    Unit,
    UnitSuccession,
    VoteRule,
)
from core.sql import CompiledCache, planned_once

_SCOPE_ATTR = "_cluster_scope"
SECRETARY_YEAR = "year"


@dataclass(frozen=True)
class Scope:
    """What one user may reach, loaded once per request (two queries)."""

    is_superuser: bool = False
    staff_body_ids: frozenset[int] = field(default_factory=frozenset)
    viewer_body_ids: frozenset[int] = field(default_factory=frozenset)
    account_body_ids: frozenset[int] = field(default_factory=frozenset)
    secretary_year_ids: frozenset[int] = field(default_factory=frozenset)
    secretary_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    secretary_body_ids: frozenset[int] = field(default_factory=frozenset)
    council_body_ids: frozenset[int] = field(default_factory=frozenset)
    office_body_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def reading_body_ids(self) -> frozenset[int]:
        """Bodies whose every cluster the user may read."""
        return self.staff_body_ids | self.viewer_body_ids

    @property
    def register_body_ids(self) -> frozenset[int]:
        """Bodies whose unit register the user may read."""
        return self.reading_body_ids | self.secretary_body_ids | self.account_body_ids


# The scope's query of each user, compiled once (its union through the ORM took about
# 1 ms of the 3 a page spends on the scope).
_SCOPE_QUERIES = CompiledCache(size=512)


def _scope_query(user_id: int) -> QuerySet:
    no_id = Value(None, output_field=BigIntegerField())
    roles = Role.objects.filter(user_id=user_id).values_list("body_id", "kind", no_id, no_id)
    assignments = ClusterYear.secretaries.through.objects.filter(
        user_id=user_id, clusteryear__cluster__body__roles__user_id=user_id
    ).values_list(
        "clusteryear__cluster__body_id",
        Value(SECRETARY_YEAR, output_field=CharField()),
        "clusteryear_id",
        "clusteryear__cluster_id",
    )
    return roles.union(assignments, all=True)


def user_scope(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    cached = getattr(user, _SCOPE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope()
    elif user.is_superuser:
        scope = Scope(is_superuser=True)
    else:
        # One query: the user's roles, and (marked "year") the years they are secretary
        # of. A secretary assignment counts only while the account still belongs to the
        # cluster's body: removing the role revokes the access.
        sql, params = _SCOPE_QUERIES.get((connection.alias, user.pk), lambda: _scope_query(user.pk))
        # Every page asks it, in the same text for every user: PostgreSQL planned its
        # union in 0.4 ms each time, and runs it in 0.1.
        with planned_once() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        roles = [(body, kind) for body, kind, _year, _cluster in rows if kind != SECRETARY_YEAR]
        years = [
            (year, cluster, body) for body, kind, year, cluster in rows if kind == SECRETARY_YEAR
        ]
        scope = Scope(
            staff_body_ids=frozenset(b for b, kind in roles if kind == Role.Kind.STAFF),
            viewer_body_ids=frozenset(b for b, kind in roles if kind == Role.Kind.VIEWER),
            council_body_ids=frozenset(b for b, kind in roles if kind == Role.Kind.COUNCIL),
            office_body_ids=frozenset(b for b, kind in roles if kind == Role.Kind.OFFICE),
            account_body_ids=frozenset(b for b, _kind in roles),
            secretary_year_ids=frozenset(y for y, _c, _b in years),
            secretary_cluster_ids=frozenset(c for _y, c, _b in years),
            secretary_body_ids=frozenset(b for _y, _c, b in years),
        )
    setattr(user, _SCOPE_ATTR, scope)
    return scope


# --- Organizing bodies -----------------------------------------------------------


def person_bodies_for_user(user) -> QuerySet[OrganizingBody]:
    """Registers the user may add people to: staff bodies and their clusters' bodies."""
    scope = user_scope(user)
    if scope.is_superuser:
        return OrganizingBody.objects.all()
    return OrganizingBody.objects.filter(pk__in=scope.staff_body_ids | scope.secretary_body_ids)


def staff_bodies_for_user(user) -> QuerySet[OrganizingBody]:
    """Bodies the user manages (creates clusters, units and accounts in)."""
    scope = user_scope(user)
    if scope.is_superuser:
        return OrganizingBody.objects.all()
    return OrganizingBody.objects.filter(pk__in=scope.staff_body_ids)


# --- Clusters and years ----------------------------------------------------------


def visible_clusters_q(user, path: str = "") -> Q:
    """The visibility rule: every cluster of the bodies the user reads, plus the clusters
    they are secretary of; everything for superusers, nothing for anonymous users.

    A filter for any model that reaches its cluster through the lookup ``path``
    ("cluster" for a year, "cluster_year__cluster" for a meeting, "" for a cluster).
    """
    scope = user_scope(user)
    if scope.is_superuser:
        return Q()
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}body_id__in": scope.reading_body_ids}) | Q(
        **{f"{prefix}pk__in": scope.secretary_cluster_ids}
    )


def clusters_for_user(user) -> QuerySet[Cluster]:
    """Clusters the user may see."""
    return Cluster.objects.select_related("body").filter(visible_clusters_q(user))


def cluster_years_for_user(user) -> QuerySet[ClusterYear]:
    """Years of the clusters the user may see (read access)."""
    return ClusterYear.objects.select_related("cluster", "cluster__body").filter(
        visible_clusters_q(user, "cluster")
    )


def _leaders_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        # Only what a list shows of the leaders: their names (a unit row is wide).
        queryset=ClusterMember.objects.filter(
            role__in=[ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY]
        )
        .select_related("unit")
        .only("cluster_year_id", "role", "unit__name"),
        to_attr="leader_rows",
    )


def with_leaders(queryset: QuerySet[ClusterYear]) -> QuerySet[ClusterYear]:
    """Annotate member counts and prefetch head and deputy (one extra query).

    The count is a subquery per year shown, not a ``GROUP BY`` of the whole join: the
    database then counts the members of the page's years only, after ordering and
    limiting, instead of every year's before it can sort them.
    """
    members = (
        ClusterMember.objects.filter(cluster_year=OuterRef("pk"))
        .order_by()
        .values("cluster_year")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0)
    ).prefetch_related(_leaders_prefetch())


def leaders_of(cluster_year: ClusterYear) -> tuple[Unit | None, Unit | None]:
    """(head, deputy) of a year loaded through ``with_leaders`` (no query)."""
    return leaders_in(getattr(cluster_year, "leader_rows", []))


def leaders_in(members) -> tuple[Unit | None, Unit | None]:
    """(head, deputy) units among members already loaded with their unit (no query)."""
    head = deputy = None
    for member in members:
        if member.role == ClusterMember.Role.HEAD:
            head = member.unit
        elif member.role == ClusterMember.Role.DEPUTY:
            deputy = member.unit
    return head, deputy


ROLE_ORDER = Case(
    When(role=ClusterMember.Role.HEAD, then=Value(0)),
    When(role=ClusterMember.Role.DEPUTY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def members_of(cluster_year: ClusterYear) -> QuerySet[ClusterMember]:
    """Members of a year the caller already fetched through a scoped selector:
    head first, then deputy, then the others in Vietnamese order."""
    return (
        ClusterMember.objects.filter(cluster_year=cluster_year)
        .select_related("unit")
        .order_by(ROLE_ORDER, "unit__sort_key", "pk")
    )


def member_list(cluster_year: ClusterYear) -> list[ClusterMember]:
    """``members_of`` as a list, loaded once per cluster-year object.

    The cluster-year page and the blocks other apps add to it share one query this way.
    """
    cached = getattr(cluster_year, "_member_list", None)
    if cached is None:
        cached = list(members_of(cluster_year))
        cluster_year._member_list = cached
    return cached


def preload_member_lists(cluster_years: list[ClusterYear]) -> None:
    """Load the members of many years in one query into ``member_list``'s cache (years
    already loaded are left as they are)."""
    wanted = [cy for cy in cluster_years if getattr(cy, "_member_list", None) is None]
    if not wanted:
        return
    by_year: dict[int, list[ClusterMember]] = {cy.pk: [] for cy in wanted}
    for member in (
        ClusterMember.objects.filter(cluster_year__in=wanted)
        .select_related("unit")
        .order_by(ROLE_ORDER, "unit__sort_key", "pk")
    ):
        by_year[member.cluster_year_id].append(member)
    for cluster_year in wanted:
        cluster_year._member_list = by_year[cluster_year.pk]


def years_of_cluster(cluster: Cluster) -> QuerySet[ClusterYear]:
    return with_leaders(ClusterYear.objects.filter(cluster=cluster)).order_by("-year")


def dashboard_rows(user, *, year: int) -> list[dict]:
    """My clusters with their year ``year`` (or their latest earlier year) — 3 queries.

    The latest year of each cluster is picked in SQL before loading its members:
    loading every earlier year to keep one made the page grow with the years of history
    (300 rows to keep 30). Each year's members are loaded whole, into ``member_list``'s
    cache (its count, its head and deputy, and whatever else the page's sections read
    of them, e.g. the ranking's leaders)."""
    clusters = list(with_year_span(clusters_for_user(user)).order_by("sort_key", "pk"))
    latest_year = (
        ClusterYear.objects.filter(cluster_id=OuterRef("cluster_id"), year__lte=year)
        .order_by("-year")
        .values("year")[:1]
    )
    years = list(
        ClusterYear.objects.filter(cluster__in=[c.pk for c in clusters], year=Subquery(latest_year))
    )
    preload_member_lists(years)
    leading = (ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY)
    for cluster_year in years:
        members = member_list(cluster_year)
        cluster_year.member_count = len(members)
        cluster_year.leader_rows = [member for member in members if member.role in leading]
    latest = {cluster_year.cluster_id: cluster_year for cluster_year in years}
    rows = []
    for cluster in clusters:
        cluster_year = latest.get(cluster.pk)
        if cluster_year is not None:
            cluster_year.cluster = cluster
        rows.append(
            {
                "cluster": cluster,
                "year": cluster_year,
                "is_current": cluster_year is not None and cluster_year.year == year,
            }
        )
    return rows


def with_year_span(queryset: QuerySet, path: str = "cluster") -> QuerySet:
    """``queryset`` with ``first_year`` and ``last_year``: the earliest and latest of
    the cluster years whose ``path`` is the row (``"cluster"`` for clusters,
    ``"cluster__body"`` for bodies) — a year picker read with the rows beside it."""
    years = ClusterYear.objects.filter(**{path: OuterRef("pk")}).order_by().values(path)
    return queryset.annotate(
        first_year=Subquery(years.annotate(y=Min("year")).values("y")),
        last_year=Subquery(years.annotate(y=Max("year")).values("y")),
    )


def years_between(spans, *also: int) -> list[int]:
    """Newest first: every year from ``first_year`` to ``last_year`` of each of ``spans``
    (rows of ``with_year_span``), and ``also``."""
    years = set(also)
    for item in spans:
        if item.first_year is not None:
            years.update(range(item.first_year, item.last_year + 1))
    return sorted(years, reverse=True)


def years_for_user_choices(user) -> list[int]:
    """Distinct years among the user's clusters, newest first (for year pickers)."""
    return list(
        cluster_years_for_user(user).order_by("-year").values_list("year", flat=True).distinct()
    )


# --- Units -------------------------------------------------------------------------


def units_for_user(user) -> QuerySet[Unit]:
    """Units of the registers the user may read."""
    scope = user_scope(user)
    queryset = Unit.objects.select_related("body")
    if scope.is_superuser:
        return queryset
    return queryset.filter(body_id__in=scope.register_body_ids)


def units_for_cluster_year(cluster: Cluster, year: int | None) -> QuerySet[Unit]:
    """Candidate members: units in the cluster's register, active in ``year`` if given."""
    queryset = Unit.objects.filter(body_id=cluster.body_id)
    if year is not None:
        queryset = queryset.active_in(year)
    return queryset.order_by("sort_key", "pk")


def memberships_of(unit: Unit, *, user) -> QuerySet[ClusterMember]:
    """The unit's memberships in the years of the clusters ``user`` may see."""
    return (
        ClusterMember.objects.filter(unit=unit)
        .filter(visible_clusters_q(user, "cluster_year__cluster"))
        .select_related("cluster_year", "cluster_year__cluster")
        .order_by("-cluster_year__year", "cluster_year__cluster__sort_key")
    )


def _walk(start: Unit, *, forward: bool, limit: int = 50) -> list[UnitSuccession]:
    """Successions reachable from ``start`` going forward (successors) or back."""
    seen_units = {start.pk}
    found: list[UnitSuccession] = []
    frontier = deque([start.pk])
    while frontier and len(found) < limit:
        ids = list(frontier)
        frontier.clear()
        lookup = {"predecessor_id__in": ids} if forward else {"successor_id__in": ids}
        links = UnitSuccession.objects.filter(**lookup).select_related("predecessor", "successor")
        for link in links:
            found.append(link)
            nxt = link.successor_id if forward else link.predecessor_id
            if nxt not in seen_units:
                seen_units.add(nxt)
                frontier.append(nxt)
    return found


def successor_chain(unit: Unit) -> list[UnitSuccession]:
    """Every succession after ``unit``, transitively (one query per generation)."""
    return _walk(unit, forward=True)


def predecessor_chain(unit: Unit) -> list[UnitSuccession]:
    """Every succession before ``unit``, transitively: the unit's history. Kept on the
    unit object, so the page's sections that also need it (its awards) read it once."""
    cached = getattr(unit, "_predecessor_chain", None)
    if cached is None:
        cached = unit._predecessor_chain = _walk(unit, forward=False)
    return cached


def successions_for_user(user) -> QuerySet[UnitSuccession]:
    """Successions recorded from a unit of a register the user may read."""
    return UnitSuccession.objects.select_related("predecessor", "successor").filter(
        predecessor__in=units_for_user(user)
    )


def descendants_ids(unit_id: int) -> set[int]:
    """Ids of all units that (transitively) succeed ``unit_id``."""
    seen: set[int] = set()
    frontier = {unit_id}
    while frontier:
        nxt = set(
            UnitSuccession.objects.filter(predecessor_id__in=frontier).values_list(
                "successor_id", flat=True
            )
        )
        frontier = nxt - seen
        seen |= nxt
    return seen


# --- Search ------------------------------------------------------------------------


def search_filter(query: str, column: str = "search_text") -> Q | None:
    """Rows matching every word of ``query`` (see ``clusters.search``)."""
    return search.matches(query, column)


# --- People -------------------------------------------------------------------------


def people_for_user(user) -> QuerySet[Person]:
    """People in the registers the user may read."""
    scope = user_scope(user)
    queryset = Person.objects.select_related("unit", "body")
    if scope.is_superuser:
        return queryset
    return queryset.filter(body_id__in=scope.register_body_ids)


# --- Accounts ----------------------------------------------------------------------


def accounts_for_user(user):
    """User accounts of the bodies the user manages, with their roles there."""
    scope = user_scope(user)
    roles = Role.objects.select_related("user", "body")
    if not scope.is_superuser:
        roles = roles.filter(body_id__in=scope.staff_body_ids)
    return roles.order_by("body__name", "user__username")


def secretary_candidates(cluster: Cluster):
    """Accounts of the cluster's body: those who can be made its secretaries."""
    return (
        get_user_model()
        .objects.filter(is_active=True, cluster_roles__body_id=cluster.body_id)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- Rule sets ---------------------------------------------------------------------------


def vote_rule_in_force(
    *, body_id: int | None, on: datetime.date, purpose: str, award_type_id: int | None = None
) -> VoteRule | None:
    """The vote rule a vote of ``purpose`` held ``on`` that day under ``body_id`` follows.

    Rule sets in force that day are tried in order: the body's own before the national
    one, and among those of one owner the latest effective date first. The first rule set
    that has a rule for the purpose decides, with its rule for ``award_type_id`` before
    its rule for the purpose alone; a rule set without any rule for the purpose leaves
    the choice to the next. One query.
    """
    in_force = Q(rule_set__effective_from__lte=on) & (
        Q(rule_set__effective_to__isnull=True) | Q(rule_set__effective_to__gte=on)
    )
    owners = Q(rule_set__body__isnull=True)
    if body_id is not None:
        owners |= Q(rule_set__body_id=body_id)
    types = Q(award_type__isnull=True)
    if award_type_id is not None:
        types |= Q(award_type_id=award_type_id)
    candidates = (
        VoteRule.objects.filter(in_force, owners, types, purpose=purpose)
        .select_related("rule_set", "award_type")
        .order_by(
            F("rule_set__body_id").asc(nulls_last=True),
            "-rule_set__effective_from",
            "-rule_set_id",
            F("award_type_id").asc(nulls_last=True),
        )
    )
    return candidates.first()


def award_rule_in_force(*, body_id: int | None, on: datetime.date, award_type_id: int):
    """The award rule an award of ``award_type_id`` follows on day ``on`` under
    ``body_id``: the body's own rule sets in force that day before the national ones,
    the latest effective date first; ``None`` when no rule set in force has a rule for
    it. One query."""
    in_force = Q(rule_set__effective_from__lte=on) & (
        Q(rule_set__effective_to__isnull=True) | Q(rule_set__effective_to__gte=on)
    )
    owners = Q(rule_set__body__isnull=True)
    if body_id is not None:
        owners |= Q(rule_set__body_id=body_id)
    return (
        AwardRule.objects.filter(in_force, owners, award_type_id=award_type_id)
        .select_related("rule_set", "award_type", "prerequisite")
        .order_by(F("rule_set__body_id").asc(nulls_last=True), "-rule_set__effective_from", "-pk")
        .first()
    )


def rule_sets_for_user(user) -> QuerySet[RuleSet]:
    """The national rule sets and those of the bodies the user works for (staff)."""
    scope = user_scope(user)
    if scope.is_superuser:
        queryset = RuleSet.objects.all()
    else:
        queryset = RuleSet.objects.filter(
            Q(body__isnull=True) | Q(body_id__in=scope.staff_body_ids)
        )
    return queryset.select_related("body")


def award_rules_for_user(user) -> QuerySet[AwardRule]:
    """The award rules of the rule sets the user may read."""
    return AwardRule.objects.filter(rule_set__in=rule_sets_for_user(user)).select_related(
        "rule_set__body", "award_type", "prerequisite"
    )


def award_types_for_user(user) -> QuerySet[AwardType]:
    """The national award types and those of the bodies the user works for as staff (a
    superuser: every body's)."""
    scope = user_scope(user)
    queryset = AwardType.objects.select_related("body")
    if scope.is_superuser:
        return queryset
    return queryset.filter(Q(body__isnull=True) | Q(body_id__in=scope.staff_body_ids))


def vote_rules_for_user(user) -> QuerySet[VoteRule]:
    """The vote rules of the rule sets the user may read."""
    return VoteRule.objects.filter(rule_set__in=rule_sets_for_user(user)).select_related(
        "rule_set__body", "award_type"
    )
