"""Writes and workflows of the base app.

Every function is keyword-only and atomic, and re-checks its preconditions because
commands, imports and tasks call it without going through a form. Errors are raised
as ``ValidationError`` with Vietnamese (translatable) messages.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
    Share,
    Unit,
    UnitSuccession,
    VoteRule,
)
from clusters.selectors import ROLE_ORDER, descendants_ids
from core.text import name_key

# --- Units -------------------------------------------------------------------------

UNIT_FIELDS = (
    "kind",
    "name",
    "short_name",
    "code",
    "parent",
    "active_from",
    "active_to",
    "note",
)


def _check_parent(unit: Unit) -> None:
    if unit.parent is not None and unit.parent.body_id != unit.body_id:
        raise ValidationError({"parent": _("The parent unit must be in the same register.")})
    parent = unit.parent
    seen = {unit.pk} if unit.pk else set()
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def unit_create(*, body: OrganizingBody, **fields) -> Unit:
    """Add a unit to ``body``'s register."""
    unit = Unit(body=body, **{name: fields.get(name) for name in UNIT_FIELDS if name in fields})
    for name in ("short_name", "code", "note"):
        setattr(unit, name, getattr(unit, name) or "")
    _check_parent(unit)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, **fields) -> Unit:
    for name in UNIT_FIELDS:
        if name in fields:
            setattr(unit, name, fields[name] if fields[name] is not None else _blank(unit, name))
    _check_parent(unit)
    unit.full_clean()
    unit.save()
    return unit


def _blank(unit: Unit, name: str):
    return "" if name in ("short_name", "code", "note") else None


def check_succession(*, predecessor: Unit, successor: Unit) -> None:
    """Refuse a succession to itself or one that would close a cycle."""
    if predecessor.pk == successor.pk:
        raise ValidationError({"successor": _("A unit cannot succeed itself.")})
    if predecessor.pk in descendants_ids(successor.pk):
        raise ValidationError(
            {
                "successor": _(
                    "%(successor)s already comes after %(predecessor)s in the succession "
                    "chain; recording this would make a cycle."
                )
                % {"successor": successor.name, "predecessor": predecessor.name}
            }
        )


@transaction.atomic
def unit_succession_add(
    *,
    predecessor: Unit,
    successor: Unit,
    kind: str = UnitSuccession.Kind.MERGER,
    effective_date: datetime.date | None = None,
    legal_basis: str = "",
) -> UnitSuccession:
    """Record that ``successor`` carries on ``predecessor``; refuses cycles."""
    check_succession(predecessor=predecessor, successor=successor)
    link = UnitSuccession(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        effective_date=effective_date,
        legal_basis=legal_basis or "",
    )
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def unit_succession_remove(*, succession: UnitSuccession) -> None:
    succession.delete()


# --- Clusters ----------------------------------------------------------------------


@transaction.atomic
def cluster_create(
    *, body: OrganizingBody, name: str, kind: str, level: str, description: str = ""
) -> Cluster:
    cluster = Cluster(body=body, name=name, kind=kind, level=level, description=description)
    cluster.full_clean()
    cluster.save()
    return cluster


@transaction.atomic
def cluster_update(
    *, cluster: Cluster, name: str, kind: str, level: str, description: str = ""
) -> Cluster:
    cluster.name, cluster.kind, cluster.level = name, kind, level
    cluster.description = description
    cluster.full_clean()
    cluster.save()
    return cluster


# --- Cluster years -----------------------------------------------------------------


def check_members(
    *,
    cluster: Cluster,
    year: int,
    members: Iterable[Unit],
    head: Unit | None,
    deputy: Unit | None,
) -> None:
    """The membership rules of a cluster year, raised per form field."""
    members = list(members)
    member_ids = {unit.pk for unit in members}
    errors: dict[str, list[str]] = {}
    foreign = [unit.name for unit in members if unit.body_id != cluster.body_id]
    if foreign:
        errors.setdefault("members", []).append(
            _("Not in this cluster's register of units: %(units)s.") % {"units": ", ".join(foreign)}
        )
    inactive = [unit.name for unit in members if not unit.is_active_in(year)]
    if inactive:
        errors.setdefault("members", []).append(
            _("Not active in %(year)s, so cannot be a member: %(units)s.")
            % {"year": year, "units": ", ".join(inactive)}
        )
    if head is not None and head.pk not in member_ids:
        errors.setdefault("head", []).append(_("The head must be one of the member units."))
    if deputy is not None and deputy.pk not in member_ids:
        errors.setdefault("deputy", []).append(_("The deputy must be one of the member units."))
    if head is not None and deputy is not None and head.pk == deputy.pk:
        errors.setdefault("deputy", []).append(
            _("The head and the deputy must be different units.")
        )
    if errors:
        raise ValidationError(errors)


def _check_next_leaders(cluster: Cluster, next_head: Unit | None, next_deputy: Unit | None) -> None:
    errors: dict[str, str] = {}
    for name, unit in (("next_head", next_head), ("next_deputy", next_deputy)):
        if unit is not None and unit.body_id != cluster.body_id:
            errors[name] = _("Not in this cluster's register of units: %(units)s.") % {
                "units": unit.name
            }
    if next_head is not None and next_deputy is not None and next_head.pk == next_deputy.pk:
        errors["next_deputy"] = _("The elected head and deputy must be different units.")
    if errors:
        raise ValidationError(errors)


def _check_secretaries(cluster: Cluster, secretaries) -> None:
    outsiders = [
        user.get_username()
        for user in secretaries
        if not Role.objects.filter(user=user, body_id=cluster.body_id).exists()
    ]
    if outsiders:
        raise ValidationError(
            {
                "secretaries": _("These accounts do not belong to %(body)s: %(users)s.")
                % {"body": cluster.body.name, "users": ", ".join(outsiders)}
            }
        )


def _set_members(
    cluster_year: ClusterYear, members: list[Unit], head: Unit | None, deputy: Unit | None
) -> None:
    wanted = {unit.pk: unit for unit in members}
    existing = {row.unit_id: row for row in cluster_year.members.select_related("unit")}
    leaving = [row for unit_id, row in existing.items() if unit_id not in wanted]
    for row in leaving:
        try:
            row.delete()
        except ProtectedError:
            raise ValidationError(
                {
                    "members": _(
                        "%(unit)s cannot be removed: data of this year already refers to it."
                    )
                    % {"unit": row.unit.name}
                }
            ) from None
    roles = dict.fromkeys(wanted, ClusterMember.Role.MEMBER)
    if head is not None:
        roles[head.pk] = ClusterMember.Role.HEAD
    if deputy is not None:
        roles[deputy.pk] = ClusterMember.Role.DEPUTY
    # Demote first, then promote, so the one-head/one-deputy constraints hold at
    # every step.
    kept = [row for unit_id, row in existing.items() if unit_id in wanted]
    for row in kept:
        if row.role != ClusterMember.Role.MEMBER and roles[row.unit_id] != row.role:
            row.role = ClusterMember.Role.MEMBER
            row.save()
    for row in kept:
        if roles[row.unit_id] != row.role:
            row.role = roles[row.unit_id]
            row.save()
    for unit_id, unit in wanted.items():
        if unit_id not in existing:
            ClusterMember.objects.create(cluster_year=cluster_year, unit=unit, role=roles[unit_id])


@transaction.atomic
def cluster_year_create(
    *,
    cluster: Cluster,
    year: int,
    members: Iterable[Unit],
    head: Unit | None = None,
    deputy: Unit | None = None,
    secretaries: Iterable = (),
    next_head: Unit | None = None,
    next_deputy: Unit | None = None,
    note: str = "",
) -> ClusterYear:
    """Open a cluster's emulation year with its members, head, deputy and secretaries."""
    members, secretaries = list(members), list(secretaries)
    check_members(cluster=cluster, year=year, members=members, head=head, deputy=deputy)
    _check_next_leaders(cluster, next_head, next_deputy)
    _check_secretaries(cluster, secretaries)
    if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError(
            {"year": _("This cluster already has the year %(year)s.") % {"year": year}}
        )
    cluster_year = ClusterYear(
        cluster=cluster, year=year, next_head=next_head, next_deputy=next_deputy, note=note or ""
    )
    cluster_year.full_clean()
    try:
        with transaction.atomic():
            cluster_year.save()
    except IntegrityError:
        raise ValidationError(
            {"year": _("This cluster already has the year %(year)s.") % {"year": year}}
        ) from None
    _set_members(cluster_year, members, head, deputy)
    cluster_year.secretaries.set(secretaries)
    return cluster_year


@transaction.atomic
def cluster_year_update(
    *,
    cluster_year: ClusterYear,
    members: Iterable[Unit],
    head: Unit | None = None,
    deputy: Unit | None = None,
    secretaries: Iterable = (),
    next_head: Unit | None = None,
    next_deputy: Unit | None = None,
    note: str = "",
) -> ClusterYear:
    """Change a year's members, leaders and secretaries (the year itself is fixed)."""
    members, secretaries = list(members), list(secretaries)
    cluster = cluster_year.cluster
    check_members(
        cluster=cluster, year=cluster_year.year, members=members, head=head, deputy=deputy
    )
    _check_next_leaders(cluster, next_head, next_deputy)
    _check_secretaries(cluster, secretaries)
    cluster_year.next_head, cluster_year.next_deputy = next_head, next_deputy
    cluster_year.note = note or ""
    cluster_year.full_clean()
    cluster_year.save()
    _set_members(cluster_year, members, head, deputy)
    cluster_year.secretaries.set(secretaries)
    return cluster_year


@dataclass
class RollOverResult:
    cluster_year: ClusterYear
    replaced: list[tuple[Unit, list[Unit]]] = field(default_factory=list)
    dropped: list[Unit] = field(default_factory=list)
    leaders_missing: bool = False


def _active_heirs(unit: Unit, year: int, body_id: int, depth: int = 10) -> list[Unit]:
    """The units active in ``year`` that carry ``unit`` on, following successions through
    units that have themselves ended (a district merged, then merged again)."""
    heirs: list[Unit] = []
    frontier, seen = [unit], {unit.pk}
    for _generation in range(depth):
        successors = list(Unit.objects.filter(successions_in__predecessor__in=frontier).distinct())
        frontier = []
        for successor in successors:
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            if successor.is_active_in(year):
                if successor.body_id == body_id:
                    heirs.append(successor)
            else:
                frontier.append(successor)
        if not frontier:
            break
    return heirs


@transaction.atomic
def cluster_year_roll_over(*, cluster_year: ClusterYear) -> RollOverResult:
    """Create next year's cluster year from this one.

    Members are copied; a member no longer active next year is replaced by its active
    successor(s) (a 2025 merger), or dropped if it has none. Head and deputy are the
    units elected at this year's year-end meeting when they are known and members,
    otherwise left for staff to choose. Refused if next year already exists.
    """
    cluster = cluster_year.cluster
    next_year = cluster_year.year + 1
    # Lock the cluster row so two clicks cannot race past the existence check.
    Cluster.objects.select_for_update().filter(pk=cluster.pk).first()
    if ClusterYear.objects.filter(cluster=cluster, year=next_year).exists():
        raise ValidationError(
            _("%(cluster)s already has the year %(year)s.")
            % {"cluster": cluster.name, "year": next_year}
        )
    result = RollOverResult(cluster_year=cluster_year)
    members: dict[int, Unit] = {}
    rows = cluster_year.members.select_related("unit")
    for row in rows:
        unit = row.unit
        if unit.is_active_in(next_year):
            members.setdefault(unit.pk, unit)
            continue
        heirs = _active_heirs(unit, next_year, cluster.body_id)
        if heirs:
            result.replaced.append((unit, heirs))
            for heir in heirs:
                members.setdefault(heir.pk, heir)
        else:
            result.dropped.append(unit)
    head = cluster_year.next_head if cluster_year.next_head_id in members else None
    deputy = cluster_year.next_deputy if cluster_year.next_deputy_id in members else None
    result.leaders_missing = head is None or deputy is None
    result.cluster_year = cluster_year_create(
        cluster=cluster,
        year=next_year,
        members=members.values(),
        head=head,
        deputy=deputy,
    )
    return result


# --- Next year's elected head and deputy ------------------------------------------


@dataclass(frozen=True)
class ElectedLeader:
    """A unit elected at a year's year-end meeting to lead next year, against next year.

    ``role`` is ``ClusterMember.Role.HEAD`` or ``DEPUTY``; ``current`` the unit next year
    now records in that role (None without next year or without one); ``is_member``
    whether the elected unit is a member of next year.
    """

    role: str
    elected: Unit
    current: Unit | None
    is_member: bool

    @property
    def agrees(self) -> bool:
        return self.current is not None and self.current.pk == self.elected.pk


@dataclass(frozen=True)
class ElectedLeaders:
    """What a year elected for next year and where next year stands.

    ``next_year`` is None until roll-over creates it (and then makes the elected units
    its head and deputy); once it exists, ``changes`` are what taking the election over
    would change there, and ``strangers`` the elected units that are not its members.
    """

    cluster_year: ClusterYear
    next_year: ClusterYear | None
    leaders: tuple[ElectedLeader, ...]

    @property
    def changes(self) -> list[ElectedLeader]:
        return [leader for leader in self.leaders if not leader.agrees]

    @property
    def strangers(self) -> list[ElectedLeader]:
        return [leader for leader in self.leaders if not leader.is_member]

    @property
    def pending(self) -> bool:
        """Something elected is not yet next year's (next year missing, or differing)."""
        return bool(self.leaders) and (self.next_year is None or bool(self.changes))


def elected_leaders(
    cluster_year: ClusterYear,
    *,
    lock: bool = False,
    next_members: list[ClusterMember] | None = None,
) -> ElectedLeaders:
    """``cluster_year``'s ``next_head`` / ``next_deputy`` (select them) against next
    year's head and deputy. Two queries (next year, its members); none of them when
    nothing is elected; none when the caller gives ``next_members``, next year's members
    with their unit and year already loaded, and they are not empty. Reads only; ``lock``
    locks next year's row for a writer."""
    elected = [
        (role, unit)
        for role, unit in (
            (ClusterMember.Role.HEAD, cluster_year.next_head),
            (ClusterMember.Role.DEPUTY, cluster_year.next_deputy),
        )
        if unit is not None
    ]
    if not elected:
        return ElectedLeaders(cluster_year, None, ())
    if next_members and not lock:
        next_year = next_members[0].cluster_year
        members = {m.unit_id: m for m in next_members}
    else:
        years = ClusterYear.objects.filter(
            cluster_id=cluster_year.cluster_id, year=cluster_year.year + 1
        )
        next_year = (years.select_for_update() if lock else years).first()
        members = {}
        if next_year is not None:
            members = {m.unit_id: m for m in next_year.members.select_related("unit")}
    if next_year is not None:
        next_year.cluster = cluster_year.cluster
    current = {m.role: m.unit for m in members.values()}
    leaders = tuple(
        ElectedLeader(
            role=role,
            elected=unit,
            current=current.get(role),
            is_member=next_year is None or unit.pk in members,
        )
        for role, unit in elected
    )
    return ElectedLeaders(cluster_year, next_year, leaders)


def load_members_with_next_year(cluster_year: ClusterYear) -> list[ClusterMember]:
    """Load the year's members into ``selectors.member_list``'s cache (the cluster year
    page and its blocks share it) and return next year's (with their unit and year), for
    ``elected_leaders``: one query for both years. Reads only."""
    rows = list(
        ClusterMember.objects.filter(
            cluster_year__cluster_id=cluster_year.cluster_id,
            cluster_year__year__in=[cluster_year.year, cluster_year.year + 1],
        )
        .select_related("unit", "cluster_year")
        .order_by(ROLE_ORDER, "unit__sort_key", "pk")
    )
    cluster_year._member_list = [row for row in rows if row.cluster_year_id == cluster_year.pk]
    return [row for row in rows if row.cluster_year_id != cluster_year.pk]


def role_word(cluster: Cluster, role: str) -> str:
    return cluster.head_label if role == ClusterMember.Role.HEAD else cluster.deputy_label


@transaction.atomic
def cluster_year_take_elected(*, cluster_year: ClusterYear) -> ClusterYear:
    """Make the head and deputy elected at ``cluster_year``'s year-end meeting next
    year's head and deputy, when next year already exists (roll-over does it when it
    creates next year). Returns next year.

    The checks of a year's leaders hold: each elected unit must be a member of next year
    (a unit merged away is not: its successor is, and the members must vote again or
    staff choose), and the head and the deputy differ. A role nobody was elected to
    keeps its unit. Every role changed is recorded in the members' history.
    """
    plan = elected_leaders(cluster_year, lock=True)
    cluster, year = cluster_year.cluster, cluster_year.year + 1
    if not plan.leaders:
        raise ValidationError(
            _("No head or deputy for %(year)s has been elected yet.") % {"year": year}
        )
    if plan.next_year is None:
        raise ValidationError(
            _("%(cluster)s has no year %(year)s yet: create it by rolling over.")
            % {"cluster": cluster.name, "year": year}
        )
    if plan.strangers:
        raise ValidationError(
            [
                _(
                    "%(unit)s, elected %(role)s, is not a member of %(year)s (it may have been "
                    "merged into another unit): add it to the members of %(year)s or hold "
                    "the election again."
                )
                % {
                    "unit": leader.elected.name,
                    "role": str(role_word(cluster, leader.role)).lower(),
                    "year": year,
                }
                for leader in plan.strangers
            ]
        )
    if not plan.changes:
        raise ValidationError(
            _("Year %(year)s already has the elected head and deputy.") % {"year": year}
        )
    next_year = plan.next_year
    roles = {ClusterMember.Role.HEAD: None, ClusterMember.Role.DEPUTY: None}
    units = []
    for member in next_year.members.select_related("unit"):
        units.append(member.unit)
        if member.role in roles:
            roles[member.role] = member.unit
    for leader in plan.leaders:
        roles[leader.role] = leader.elected
    head, deputy = roles[ClusterMember.Role.HEAD], roles[ClusterMember.Role.DEPUTY]
    if head is not None and deputy is not None and head.pk == deputy.pk:
        raise ValidationError(
            _(
                "%(unit)s would be both %(head)s and %(deputy)s of %(year)s: the head and "
                "the deputy must be different units. Elect the other one too, or change "
                "the leaders of %(year)s."
            )
            % {
                "unit": head.name,
                "head": str(cluster.head_label).lower(),
                "deputy": str(cluster.deputy_label).lower(),
                "year": year,
            }
        )
    _set_members(next_year, units, head, deputy)
    next_year.save(update_fields=["updated_at"])
    return next_year


# --- People ------------------------------------------------------------------------


@transaction.atomic
def person_save(*, person: Person | None = None, body=None, **fields) -> Person:
    """Create (``person`` None) or change a person of a register."""
    if person is None:
        person = Person(body=body)
    for name in ("full_name", "position", "unit"):
        if name in fields:
            value = fields[name]
            setattr(person, name, value if value is not None or name == "unit" else "")
    person.full_name = " ".join(person.full_name.split())
    if person.unit is not None and person.unit.body_id != person.body_id:
        raise ValidationError({"unit": _("The unit must be in the same register.")})
    person.full_clean()
    person.save()
    return person


# --- Accounts ----------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    body: OrganizingBody,
    kind: str,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    position: str = "",
):
    """Create a user account belonging to ``body`` (secretary or viewer)."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    # Vietnamese names read family name first, so the whole name is kept in one
    # field and get_full_name() returns it unchanged.
    user = user_model(username=username, email=email, first_name=full_name.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    role = Role(user=user, body=body, kind=kind, position=position)
    role.full_clean()
    role.save()
    return user


# --- Rule sets, vote rules and award rules ---------------------------------------------
# A vote keeps the vote rule it was counted by, and its page quotes the rule and its rule
# set's name and legal basis: once a vote using a rule has left the draft, that rule and
# what the vote quotes of its rule set never change; so for an award rule once an award
# judged by it is decided (see "Award rules" below). New rules take effect through a new
# rule set from a later date. Of one owner (a body, or the nation) at most one rule set is
# in force on any day, so the rule in force (``selectors.vote_rule_in_force``) never
# depends on how overlapping rule sets happen to be ordered.

RULE_SET_FIELDS = ("name", "legal_basis", "effective_from", "effective_to")
AWARD_RULE_FIELDS = (
    "award_type",
    "chain",
    "quota_per_cluster",
    "quota_percent",
    "requires_vote",
    "prerequisite",
    "prerequisite_years",
    "initiative_level",
    "ranking_from",
    "ranking_to",
    "checklist",
    "deadline_day",
    "deadline_month",
    "deadline_next_year",
)
VOTE_RULE_FIELDS = (
    "purpose",
    "award_type",
    "base",
    "threshold",
    "threshold_percent",
    "quorum",
    "quorum_percent",
    "selection",
)


def _counted_votes(**lookup):
    """The votes beyond the draft that follow the vote rules matching ``lookup``. Votes sit
    above this app: they are reached through the vote rule's reverse relation, not
    imported."""
    vote_model = VoteRule._meta.get_field("votes").related_model
    return vote_model._default_manager.filter(**lookup).exclude(status="draft")


# An award decided (or presented) keeps the award rule it was judged by, the way a vote
# keeps its vote rule; awards sit above this app and are reached the same way.
DECIDED_AWARD_STATUSES = ("decided", "presented")


def _decided_awards(**lookup):
    """The decided or presented awards judged by the award rules matching ``lookup``."""
    award_model = AwardRule._meta.get_field("awards").related_model
    return award_model._default_manager.filter(status__in=DECIDED_AWARD_STATUSES, **lookup)


def vote_rule_in_use(rule: VoteRule) -> bool:
    """Whether a vote that has left the draft was counted (or is being counted) by it."""
    return rule.votes.exclude(status="draft").exists()


def rule_ids_in_use(rule_set: RuleSet) -> set[int]:
    """The ids of ``rule_set``'s vote rules that a vote beyond the draft followed."""
    return set(_counted_votes(rule__rule_set=rule_set).values_list("rule_id", flat=True))


def rule_set_in_use(rule_set: RuleSet) -> bool:
    """Whether a vote beyond the draft followed one of its vote rules, or an award was
    decided under one of its award rules: then only its end date may change."""
    return rule_set.pk is not None and (
        _counted_votes(rule__rule_set=rule_set).exists()
        or _decided_awards(rule__rule_set=rule_set).exists()
    )


def in_use_message() -> str:
    return _(
        "Votes have been held under this rule: it can no longer change, so that their "
        "results keep the rule they were counted by. To change the rules, make a new rule "
        "set effective from a later date (“Copy as a new rule set”)."
    )


def _last_counted_day(rule_set: RuleSet) -> datetime.date | None:
    last = _counted_votes(rule__rule_set=rule_set).aggregate(last=Max("meeting__starts_at"))
    return timezone.localdate(last["last"]) if last["last"] else None


def _last_decided_day(rule_set: RuleSet) -> datetime.date | None:
    """The latest decision date of the awards decided under ``rule_set``'s award rules
    (the day whose rules judged them)."""
    return _decided_awards(rule__rule_set=rule_set).aggregate(last=Max("decision__signed_on"))[
        "last"
    ]


def _check_no_overlap(rule_set: RuleSet) -> None:
    """Refuse a period that overlaps another rule set of the same owner (locked first, so
    two simultaneous saves cannot both pass)."""
    if rule_set.body_id is not None:
        OrganizingBody.objects.select_for_update().filter(pk=rule_set.body_id).first()
    others = RuleSet.objects.select_for_update().filter(body_id=rule_set.body_id)
    if rule_set.pk:
        others = others.exclude(pk=rule_set.pk)
    start, end = rule_set.effective_from, rule_set.effective_to
    for other in others.order_by("effective_from", "pk"):
        if (other.effective_to is None or other.effective_to >= start) and (
            end is None or other.effective_from <= end
        ):
            raise ValidationError(
                {
                    "effective_from": _(
                        "The period overlaps the rule set “%(name)s” (%(start)s – %(end)s) of "
                        "the same body: on any day one rule set of a body is in force. End "
                        "that one first, or choose other dates."
                    )
                    % {
                        "name": other.name,
                        "start": other.effective_from.strftime("%d/%m/%Y"),
                        "end": other.effective_to.strftime("%d/%m/%Y")
                        if other.effective_to
                        else "…",
                    }
                }
            )


@transaction.atomic
def rule_set_create(*, body: OrganizingBody | None, **fields) -> RuleSet:
    """A rule set of ``body`` (None: national), with no vote rule yet."""
    rule_set = RuleSet(body=body, **{name: fields.get(name) for name in RULE_SET_FIELDS})
    rule_set.full_clean()
    _check_no_overlap(rule_set)
    rule_set.save()
    return rule_set


@transaction.atomic
def rule_set_update(*, rule_set: RuleSet, **fields) -> RuleSet:
    """Change a rule set. Once votes have been held under it only its end date may
    change, and not to a day before the last of those votes."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    changed = {
        name: fields[name]
        for name in RULE_SET_FIELDS
        if name in fields and fields[name] != getattr(rule_set, name)
    }
    if rule_set_in_use(rule_set):
        if set(changed) - {"effective_to"}:
            raise ValidationError(
                in_use_message()
                if _counted_votes(rule__rule_set=rule_set).exists()
                else award_rule_in_use_message()
            )
        end = changed.get("effective_to", rule_set.effective_to)
        last = _last_counted_day(rule_set)
        if last and end and end < last:
            raise ValidationError(
                {
                    "effective_to": _(
                        "A vote was held under this rule set on %(day)s: it cannot end "
                        "before that day."
                    )
                    % {"day": last.strftime("%d/%m/%Y")}
                }
            )
        last = _last_decided_day(rule_set)
        if last and end and end < last:
            raise ValidationError(
                {
                    "effective_to": _(
                        "An award was decided under this rule set on %(day)s: it cannot end "
                        "before that day."
                    )
                    % {"day": last.strftime("%d/%m/%Y")}
                }
            )
    for name, value in changed.items():
        setattr(rule_set, name, value)
    rule_set.full_clean()
    _check_no_overlap(rule_set)
    rule_set.save()
    return rule_set


@transaction.atomic
def rule_set_copy(
    *,
    rule_set: RuleSet,
    body: OrganizingBody | None,
    name: str,
    legal_basis: str,
    effective_from: datetime.date,
) -> RuleSet:
    """A new rule set with a copy of every vote rule and award rule of ``rule_set``, in
    force from ``effective_from`` with no end. A copy for the same owner takes over: the
    source ends the day before (refused when it began on that day or later, or a vote
    was held or an award decided under it from that day on). A copy for another owner
    is refused when a rule names an award type of the source's own body."""
    source = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    owner = body.pk if body else None
    if owner != source.body_id:
        _check_award_types_travel(source, owner)
    if (body.pk if body else None) == source.body_id:
        if effective_from <= source.effective_from:
            raise ValidationError(
                {
                    "effective_from": _(
                        "The new rule set takes effect after the one it replaces, which "
                        "took effect on %(day)s."
                    )
                    % {"day": source.effective_from.strftime("%d/%m/%Y")}
                }
            )
        if source.effective_to is None or source.effective_to >= effective_from:
            rule_set_update(
                rule_set=source, effective_to=effective_from - datetime.timedelta(days=1)
            )
    copy = rule_set_create(
        body=body,
        name=name,
        legal_basis=legal_basis,
        effective_from=effective_from,
        effective_to=None,
    )
    VoteRule.objects.bulk_create(
        VoteRule(rule_set=copy, **{field: getattr(rule, field) for field in VOTE_RULE_FIELDS})
        for rule in source.vote_rules.order_by("pk")
    )
    AwardRule.objects.bulk_create(
        AwardRule(rule_set=copy, **{field: getattr(rule, field) for field in AWARD_RULE_FIELDS})
        for rule in source.award_rules.order_by("pk")
    )
    return copy


def _check_award_types_travel(source: RuleSet, owner: int | None) -> None:
    """Refuse copying into another owner's rule set a rule naming an award type only the
    source's body has: the copy's owner could not use it."""
    foreign = [
        award_type
        for rule in [
            *source.vote_rules.select_related("award_type"),
            *source.award_rules.select_related("award_type", "prerequisite"),
        ]
        for award_type in (rule.award_type, getattr(rule, "prerequisite", None))
        if award_type is not None and award_type.body_id not in (None, owner)
    ]
    if foreign:
        raise ValidationError(
            {
                "body": _(
                    "A rule of this rule set names “%(award)s”, an award type of its own "
                    "body only: copy it for that body, or delete the rule first."
                )
                % {"award": foreign[0].name}
            }
        )


def _check_rule(rule: VoteRule) -> None:
    """What the constraints let through: a check constraint passes on NULL, so a
    percentage share without its percentage is refused here."""
    for share, percent in (("threshold", "threshold_percent"), ("quorum", "quorum_percent")):
        if getattr(rule, share) == Share.PERCENT and getattr(rule, percent) is None:
            raise ValidationError({percent: _("Give the percentage.")})
    award_type = rule.award_type
    if award_type is not None and award_type.body_id not in (None, rule.rule_set.body_id):
        raise ValidationError({"award_type": _("This award type is not in use here.")})


@transaction.atomic
def vote_rule_create(*, rule_set: RuleSet, **fields) -> VoteRule:
    """Add a vote rule to ``rule_set``. Votes already held keep the rule they followed."""
    rule = VoteRule(
        rule_set=rule_set, **{n: fields.get(n) for n in VOTE_RULE_FIELDS if n in fields}
    )
    _check_rule(rule)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def vote_rule_update(*, rule: VoteRule, **fields) -> VoteRule:
    """Change a vote rule no vote beyond the draft has followed (see ``in_use_message``)."""
    rule = VoteRule.objects.select_for_update().select_related("rule_set").get(pk=rule.pk)
    if vote_rule_in_use(rule):
        raise ValidationError(in_use_message())
    for name in VOTE_RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    _check_rule(rule)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def vote_rule_delete(*, rule: VoteRule) -> None:
    """Delete a vote rule no vote follows; a vote beyond the draft refuses it the way an
    edit is refused, a draft vote asks for the draft to go first."""
    rule = VoteRule.objects.select_for_update().get(pk=rule.pk)
    if vote_rule_in_use(rule):
        raise ValidationError(in_use_message())
    try:
        rule.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("A draft vote follows this rule: delete the draft or set it up again first.")
        ) from error


# --- Award rules -------------------------------------------------------------------------
# What a rule set says of one award type (quota, prerequisite, checklist, deadline,
# chain). An award decided under a rule keeps it (``awards.models.Award.rule``), so that
# rule no longer changes once one is, as a vote rule once a vote followed it; new rules
# come with a new rule set from a later date.


def award_rule_in_use(rule: AwardRule) -> bool:
    """Whether an award judged by ``rule`` was decided (or presented)."""
    return rule.awards.filter(status__in=DECIDED_AWARD_STATUSES).exists()


def award_rule_ids_in_use(rule_set: RuleSet) -> set[int]:
    """The ids of ``rule_set``'s award rules a decided award was judged by."""
    return set(_decided_awards(rule__rule_set=rule_set).values_list("rule_id", flat=True))


def award_rule_in_use_message() -> str:
    return _(
        "Awards have been decided under this rule: it can no longer change, so that those "
        "decisions keep the rule they were judged by. To change the rules, make a new rule "
        "set effective from a later date (“Copy as a new rule set”)."
    )


def _in_catalogue_of(award_type: AwardType | None, rule_set: RuleSet) -> bool:
    return award_type is None or award_type.body_id in (None, rule_set.body_id)


def award_rule_errors(rule: AwardRule) -> dict[str, str]:
    """What is wrong with ``rule`` (unsaved or changed), by field: what the constraints
    let through (a check constraint passes on NULL, so a half given pair is found here),
    what they would report without naming the field, and what spans rows. Forms show
    these on their fields; the services refuse them."""
    errors: dict[str, str] = {}
    rule_set = rule.rule_set
    if rule.award_type_id and not _in_catalogue_of(rule.award_type, rule_set):
        errors["award_type"] = _("This award type is not in use here.")
    elif (
        rule.award_type_id
        and AwardRule.objects.filter(rule_set=rule_set, award_type_id=rule.award_type_id)
        .exclude(pk=rule.pk)
        .exists()
    ):
        errors["award_type"] = _("The rule set already has a rule for this award.")
    if rule.prerequisite_id:
        if not _in_catalogue_of(rule.prerequisite, rule_set):
            errors["prerequisite"] = _("This award type is not in use here.")
        elif rule.prerequisite_id == rule.award_type_id:
            errors["prerequisite"] = _("An award cannot be its own prerequisite.")
        if not rule.prerequisite_years:
            errors["prerequisite_years"] = _("Give at least one year.")
    if rule.quota_per_cluster is not None and rule.quota_per_cluster < 1:
        errors["quota_per_cluster"] = _("Give at least 1, or leave it empty for no quota.")
    if rule.quota_percent is not None and not 0 < rule.quota_percent <= 100:
        errors["quota_percent"] = _("A percentage is above 0 and at most 100.")
    errors.update(_ranking_errors(rule))
    errors.update(_deadline_errors(rule))
    return errors


def _check_award_rule(rule: AwardRule) -> None:
    if not rule.prerequisite_id:
        rule.prerequisite_years = 1
    errors = award_rule_errors(rule)
    if errors:
        raise ValidationError(errors)


def _ranking_errors(rule: AwardRule) -> dict[str, str]:
    start, end = rule.ranking_from, rule.ranking_to
    if start is None and end is None:
        return {}
    if start is None or end is None:
        field = "ranking_to" if end is None else "ranking_from"
        return {
            field: _("Give the first and the last place suggested from the ranking, or neither.")
        }
    if start < 1:
        return {"ranking_from": _("Places in the ranking start at 1.")}
    if end < start:
        return {"ranking_to": _("The last place cannot come before the first.")}
    if rule.award_type_id and not rule.award_type.allows("unit"):
        return {
            "ranking_from": _(
                "Only an award a member unit may receive is suggested from the ranking."
            )
        }
    return {}


def _deadline_errors(rule: AwardRule) -> dict[str, str]:
    day, month = rule.deadline_day, rule.deadline_month
    if day is None and month is None:
        return {}
    if day is None or month is None:
        field = "deadline_month" if month is None else "deadline_day"
        return {field: _("Give the deadline's day and month, or neither.")}
    if not 1 <= month <= 12:
        return {"deadline_month": _("A month is from 1 to 12.")}
    if (day, month) == (29, 2):
        return {
            "deadline_day": _(
                "29/2 comes in leap years only: choose 28/2 or 1/3 so that every year has "
                "its deadline."
            )
        }
    try:
        datetime.date(2023, month, day)
    except ValueError:
        return {"deadline_day": _("This day does not exist in that month.")}
    return {}


@transaction.atomic
def award_rule_create(*, rule_set: RuleSet, **fields) -> AwardRule:
    """Add to ``rule_set`` the rule of one award type. Awards already decided keep the
    rule they were judged by."""
    rule = AwardRule(rule_set=rule_set, **{n: fields[n] for n in AWARD_RULE_FIELDS if n in fields})
    _check_award_rule(rule)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def award_rule_update(*, rule: AwardRule, **fields) -> AwardRule:
    """Change an award rule no decided award was judged by (``award_rule_in_use_message``).
    Its award type stays while proposals under way follow it."""
    rule = AwardRule.objects.select_for_update().select_related("rule_set").get(pk=rule.pk)
    if award_rule_in_use(rule):
        raise ValidationError(award_rule_in_use_message())
    new_type = fields.get("award_type")
    if new_type is not None and new_type.pk != rule.award_type_id and rule.awards.exists():
        raise ValidationError(
            {
                "award_type": _(
                    "Proposals under way follow this rule for its award: add a rule for "
                    "the other award instead."
                )
            }
        )
    for name in AWARD_RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    _check_award_rule(rule)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def award_rule_delete(*, rule: AwardRule) -> None:
    """Delete an award rule no award follows: a decided award refuses it the way an edit
    is refused, a proposal under way asks to change the rule instead."""
    rule = AwardRule.objects.select_for_update().get(pk=rule.pk)
    if award_rule_in_use(rule):
        raise ValidationError(award_rule_in_use_message())
    try:
        rule.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("Proposals under way follow this rule: change it instead of deleting it.")
        ) from error


# --- The award-type catalogue ------------------------------------------------------------
# The national list (seeded by migrations, changed by a superuser) and each body's own
# (changed by its staff). Once an award of a type is decided, what history and statistics
# read of it — its name, its catalogue, its level — stays; a type that changes is a new
# type, and the old one is taken out of use.

AWARD_TYPE_FIELDS = (
    "name",
    "short_name",
    "category",
    "level",
    "recipient",
    "for_households",
    "annual",
    "decided_by",
    "legal_basis",
    "criteria",
    "order",
    "is_active",
)
AWARD_TYPE_FROZEN_FIELDS = ("name", "category", "level")


def award_type_in_use(award_type: AwardType) -> bool:
    """Whether an award of ``award_type`` was decided (or presented)."""
    return (
        award_type.pk is not None
        and award_type.awards.filter(status__in=DECIDED_AWARD_STATUSES).exists()
    )


def award_type_in_use_message() -> str:
    return _(
        "Awards of this type have been decided: its name, catalogue and level no longer "
        "change, so that those awards read as they were granted. Add a new award type and "
        "take this one out of use instead."
    )


def _check_award_type_name(award_type: AwardType) -> None:
    """One name once in what a body chooses from (the national list and its own), whatever
    the case or Unicode form. The body is locked first, so two simultaneous saves cannot
    both pass."""
    if award_type.body_id is not None:
        OrganizingBody.objects.select_for_update().filter(pk=award_type.body_id).first()
        others = AwardType.objects.filter(Q(body__isnull=True) | Q(body_id=award_type.body_id))
    else:
        others = AwardType.objects.all()
    if award_type.pk:
        others = others.exclude(pk=award_type.pk)
    key = name_key(award_type.name)
    for name, owner in others.values_list("name", "body__name"):
        if name_key(name) == key:
            raise ValidationError(
                {
                    "name": _("The national list already has “%(name)s”.") % {"name": name}
                    if owner is None
                    else _("%(body)s already has “%(name)s” in its own list.")
                    % {"body": owner, "name": name}
                }
            )


@transaction.atomic
def award_type_save(
    *, award_type: AwardType | None = None, body: OrganizingBody | None = None, **fields
) -> AwardType:
    """Add an award type to ``body``'s own list (``body`` None: the national list), or
    change ``award_type`` (its list never changes). Its name, catalogue and level stay
    once an award of it was decided (``award_type_in_use_message``)."""
    if award_type is None:
        award_type = AwardType(body=body)
    else:
        award_type = AwardType.objects.select_for_update().get(pk=award_type.pk)
        changed = {
            name
            for name in AWARD_TYPE_FROZEN_FIELDS
            if name in fields and fields[name] != getattr(award_type, name)
        }
        if changed and award_type_in_use(award_type):
            raise ValidationError(award_type_in_use_message())
    for name in AWARD_TYPE_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name in ("short_name", "decided_by", "legal_basis", "criteria"):
                value = ""
            setattr(award_type, name, value)
    award_type.name = " ".join(award_type.name.split())
    award_type.full_clean()
    _check_award_type_name(award_type)
    award_type.save()
    return award_type
