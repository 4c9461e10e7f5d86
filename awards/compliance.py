"""The checks an award proposal must pass before it is sent up, shown on its page.

Each check names the rule it applies and that rule's legal basis. An **error** blocks
the submission; a **warning** (a prerequisite or an initiative the register may simply
not hold yet, a late submission) blocks it too until the Ban TĐKT accepts it with a
written reason (``services.award_override``). An error is never overridden.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awards.models import Award, Initiative, Override, RecipientKind
from clusters.models import INITIATIVE_RANK, AwardRule, ClusterMember, InitiativeLevel
from clusters.selectors import award_rule_in_force

ERROR = "error"
WARNING = "warning"

Status = Award.Status
LIVE = [Status.PROPOSED, Status.SUBMITTED, Status.RETURNED, Status.DECIDED, Status.PRESENTED]
GRANTED = [Status.DECIDED, Status.PRESENTED]


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    ok: bool
    message: str
    legal_basis: str = ""
    override: Override | None = None

    @property
    def blocks(self) -> bool:
        """Whether this check stops the submission."""
        if self.ok:
            return False
        return self.severity == ERROR or self.override is None

    @property
    def is_error(self) -> bool:
        return not self.ok and self.severity == ERROR

    @property
    def is_warning(self) -> bool:
        return not self.ok and self.severity == WARNING


def rule_day(award: Award) -> datetime.date:
    """The day whose rules judge the award: its decision's date once decided, else today."""
    if award.decision_id:
        return award.decision.signed_on
    return timezone.localdate()


def rule_for(award: Award, on: datetime.date | None = None) -> AwardRule | None:
    return award_rule_in_force(
        body_id=award.body_id, on=on or rule_day(award), award_type_id=award.award_type_id
    )


def _basis(rule: AwardRule | None) -> str:
    if rule is None:
        return ""
    return f"{rule.rule_set.name} — {rule.rule_set.legal_basis}"


def _same_recipient_q(award: Award) -> Q:
    if award.recipient_kind == RecipientKind.INDIVIDUAL and award.person_id:
        return Q(person_id=award.person_id)
    if award.recipient_kind == RecipientKind.UNIT:
        return Q(recipient_kind=RecipientKind.UNIT, unit_id=award.unit_id)
    return Q(recipient_kind=award.recipient_kind, unit_id=award.unit_id, name_fold=award.name_fold)


def check_award(award: Award, *, today: datetime.date | None = None) -> list[Check]:
    """Every check of ``award`` under the rule in force, in a fixed order (a few queries)."""
    today = today or timezone.localdate()
    rule = rule_for(award)
    basis = _basis(rule)
    overrides = {o.check_code: o for o in award.overrides.all()} if award.pk else {}
    checks: list[Check] = []
    type_name = award.award_type.name

    def add(code, severity, ok, message, legal_basis=basis):
        checks.append(
            Check(code, severity, ok, message, legal_basis, overrides.get(code) if not ok else None)
        )

    kind = RecipientKind(award.recipient_kind)
    add(
        "recipient",
        ERROR,
        award.award_type.allows(kind),
        _("%(award)s is not given to a recipient of this kind (%(kind)s).")
        % {"award": type_name, "kind": kind.label.lower()},
        award.award_type.legal_basis,
    )

    if rule is None:
        add(
            "rule",
            WARNING,
            False,
            _(
                "No rule set in force on %(day)s has a rule for %(award)s: its quota, "
                "prerequisites and deadline were not checked."
            )
            % {"day": date_format(rule_day(award), "SHORT_DATE_FORMAT"), "award": type_name},
            "",
        )

    if award.cluster_year_id:
        member = (
            award.unit_id is not None
            and ClusterMember.objects.filter(
                cluster_year_id=award.cluster_year_id, unit_id=award.unit_id
            ).exists()
        )
        add(
            "member",
            ERROR,
            member,
            _("%(unit)s was not a member of %(cluster)s in %(year)s.")
            % {
                "unit": award.unit.name if award.unit_id else award.recipient_name,
                "cluster": award.cluster_year.cluster.name,
                "year": award.cluster_year.year,
            },
        )

    duplicate = (
        Award.objects.filter(
            _same_recipient_q(award),
            award_type_id=award.award_type_id,
            year=award.year,
            status__in=LIVE,
        )
        .exclude(pk=award.pk)
        .exists()
    )
    add(
        "duplicate",
        ERROR,
        not duplicate,
        _("%(name)s already has %(award)s for %(year)s, proposed or granted.")
        % {"name": award.recipient_name, "award": type_name, "year": award.year},
    )

    if rule is not None:
        checks.extend(_rule_checks(award, rule, add, today))
    return checks


def _rule_checks(award: Award, rule: AwardRule, add, today) -> list[Check]:
    type_name = award.award_type.name
    rule_name = rule.rule_set.name
    if award.cluster_year_id and (rule.quota_per_cluster is not None or rule.quota_percent):
        quota = rule.quota_per_cluster
        if rule.quota_percent:
            members = ClusterMember.objects.filter(cluster_year_id=award.cluster_year_id).count()
            by_share = int(rule.quota_percent * members // 100)
            quota = by_share if quota is None else min(quota, by_share)
        proposed = (
            Award.objects.filter(
                cluster_year_id=award.cluster_year_id,
                award_type_id=award.award_type_id,
                status__in=LIVE,
            )
            .exclude(pk=award.pk)
            .count()
            + 1
        )
        add(
            "quota",
            ERROR,
            proposed <= quota,
            _(
                "%(rule)s allows at most %(quota)s %(award)s per cluster and year; "
                "with this one the cluster proposes %(count)s."
            )
            % {"rule": rule_name, "quota": quota, "award": type_name, "count": proposed},
        )

    if rule.requires_vote:
        add("vote", ERROR, _vote_met(award), _vote_message(award, rule_name))

    if rule.prerequisite_id and award.recipient_kind != RecipientKind.HOUSEHOLD:
        years = list(range(award.year - rule.prerequisite_years, award.year))
        held = set(
            Award.objects.filter(
                _same_recipient_q(award),
                award_type_id=rule.prerequisite_id,
                year__in=years,
                status__in=GRANTED,
            ).values_list("year", flat=True)
        )
        missing = [year for year in years if year not in held]
        add(
            "prerequisite",
            WARNING,
            not missing,
            _("%(rule)s requires %(needed)s in each of %(years)s; missing: %(missing)s.")
            % {
                "rule": rule_name,
                "needed": rule.prerequisite.name,
                "years": ", ".join(map(str, years)),
                "missing": ", ".join(map(str, missing)),
            },
        )

    if rule.initiative_level and award.recipient_kind == RecipientKind.INDIVIDUAL:
        least = INITIATIVE_RANK[InitiativeLevel(rule.initiative_level)]
        first = award.year - max(rule.prerequisite_years, 1) + 1
        found = award.person_id is not None and any(
            INITIATIVE_RANK[InitiativeLevel(level)] >= least
            for level in Initiative.objects.filter(
                person_id=award.person_id, year__gte=first, year__lte=award.year
            ).values_list("level", flat=True)
        )
        add(
            "initiative",
            WARNING,
            found,
            _(
                "%(rule)s requires a recognised initiative with effect at %(level)s level "
                "or wider in %(first)s–%(year)s; the register holds none."
            )
            % {
                "rule": rule_name,
                "level": InitiativeLevel(rule.initiative_level).label.lower(),
                "first": first,
                "year": award.year,
            },
        )

    deadline = rule.deadline_for(award.year)
    if deadline is not None and award.is_open:
        add(
            "deadline",
            WARNING,
            today <= deadline,
            _("%(rule)s sets %(deadline)s as the last day to submit %(award)s for %(year)s.")
            % {
                "rule": rule_name,
                "deadline": date_format(deadline, "SHORT_DATE_FORMAT"),
                "award": type_name,
                "year": award.year,
            },
        )
    return []


def _vote_met(award: Award) -> bool:
    # Read through the votes' own entry point: confirmed, not corrected, in force.
    from votes.selectors import confirmed_nominations

    if not award.cluster_year_id or not award.unit_id:
        return False
    for nomination in confirmed_nominations(award.cluster_year, award.award_type):
        if any(member.unit_id == award.unit_id for member in nomination.winners):
            return True
    return False


def _vote_message(award: Award, rule_name: str) -> str:
    return _(
        "%(rule)s requires a confirmed nomination vote of the cluster putting %(name)s "
        "forward for %(award)s; there is none."
    ) % {"rule": rule_name, "name": award.recipient_name, "award": award.award_type.name}


def blocking(checks: list[Check]) -> list[Check]:
    return [check for check in checks if check.blocks]
