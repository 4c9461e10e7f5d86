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
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import (
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


# --- Rule sets and vote rules --------------------------------------------------------
# A vote keeps the vote rule it was counted by, and its page quotes the rule and its rule
# set's name and legal basis: once a vote using a rule has left the draft, that rule and
# what the vote quotes of its rule set never change. New rules take effect through a new
# rule set from a later date. Of one owner (a body, or the nation) at most one rule set is
# in force on any day, so the rule in force (``selectors.vote_rule_in_force``) never
# depends on how overlapping rule sets happen to be ordered.

RULE_SET_FIELDS = ("name", "legal_basis", "effective_from", "effective_to")
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


def vote_rule_in_use(rule: VoteRule) -> bool:
    """Whether a vote that has left the draft was counted (or is being counted) by it."""
    return rule.votes.exclude(status="draft").exists()


def rule_ids_in_use(rule_set: RuleSet) -> set[int]:
    """The ids of ``rule_set``'s vote rules that a vote beyond the draft followed."""
    return set(_counted_votes(rule__rule_set=rule_set).values_list("rule_id", flat=True))


def rule_set_in_use(rule_set: RuleSet) -> bool:
    return rule_set.pk is not None and _counted_votes(rule__rule_set=rule_set).exists()


def in_use_message() -> str:
    return _(
        "Votes have been held under this rule: it can no longer change, so that their "
        "results keep the rule they were counted by. To change the rules, make a new rule "
        "set effective from a later date (“Copy as a new rule set”)."
    )


def _last_counted_day(rule_set: RuleSet) -> datetime.date | None:
    last = _counted_votes(rule__rule_set=rule_set).aggregate(last=Max("meeting__starts_at"))
    return timezone.localdate(last["last"]) if last["last"] else None


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
            raise ValidationError(in_use_message())
        last = _last_counted_day(rule_set)
        end = changed.get("effective_to", rule_set.effective_to)
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
    """A new rule set with a copy of every vote rule of ``rule_set``, in force from
    ``effective_from`` with no end. A copy for the same owner takes over: the source ends
    the day before (refused when it began on that day or later, or a vote was held
    under it from that day on)."""
    source = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
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
    return copy


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
