"""Writes of awards: proposals, the approval chain, decisions, presentations.

Only these functions change an award's ``status`` and ``stage``; each change adds an
``AwardStep`` (who, when, at which level, why) and the row's own history. Every service
re-checks its preconditions, because imports, commands and tasks bypass the forms.
"""

import contextlib
import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from awards import compliance
from awards.models import (
    Award,
    AwardStep,
    Batch,
    Decision,
    Initiative,
    Override,
    RecipientKind,
    ReportedCount,
)
from clusters.models import (
    CHAIN_STAGES,
    AwardRule,
    AwardType,
    Chain,
    ClusterMember,
    ClusterYear,
    OrganizingBody,
    Stage,
    Unit,
)
from clusters.selectors import award_rule_in_force
from clusters.services import person_save
from core.text import search_words

Status = Award.Status
Action = AwardStep.Action

# Units whose people are meant when a flag goes to the whole locality.
TERRITORIAL = (Unit.Kind.PROVINCE, Unit.Kind.DISTRICT, Unit.Kind.COMMUNE)


def default_recipient_name(award_type: AwardType, unit: Unit) -> str:
    """How a unit is named as a recipient: a flag to a district goes to “Nhân dân và cán
    bộ huyện Na Rì” (DOMAIN.md); anything else to the unit by its name."""
    if award_type.category == AwardType.Category.TITLE and unit.kind in TERRITORIAL:
        name = unit.name
        return _("The people and officials of %(unit)s") % {"unit": name[:1].lower() + name[1:]}
    return unit.name


def _step(award, action, *, by, from_stage, to_stage, reason="", **council) -> AwardStep:
    return AwardStep.objects.create(
        award=award,
        action=action,
        from_stage=from_stage,
        to_stage=to_stage,
        by=by,
        reason=reason,
        **council,
    )


def _fill_recipient(award: Award) -> None:
    """Default the printed name, position and unit from the register (editable later)."""
    if award.recipient_kind == RecipientKind.UNIT and award.unit_id and not award.recipient_name:
        award.recipient_name = default_recipient_name(award.award_type, award.unit)
    if award.person_id:
        person = award.person
        award.recipient_name = award.recipient_name or person.full_name
        award.recipient_position = award.recipient_position or person.position
        if person.unit_id and not award.unit_id:
            award.unit_id = person.unit_id
    if (
        award.unit_id
        and not award.recipient_unit_name
        and award.recipient_kind != RecipientKind.UNIT
    ):
        award.recipient_unit_name = award.unit.name


def _check_recipient(award: Award) -> None:
    if award.recipient_kind == RecipientKind.INDIVIDUAL and not (
        award.person_id or award.recipient_name
    ):
        raise ValidationError({"person": _("Choose the person or type their name.")})
    named = award.recipient_kind in (RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD)
    if named and not award.recipient_name:
        raise ValidationError({"recipient_name": _("Type the collective's or household's name.")})
    if award.cluster_year_id and award.cluster_year.cluster.body_id != award.body_id:
        raise ValidationError(_("The cluster year belongs to another body."))
    if award.cluster_year_id and award.year != award.cluster_year.year:
        raise ValidationError({"year": _("The year must be the cluster year's year.")})


@transaction.atomic
def award_propose(
    *,
    by,
    body,
    year: int,
    award_type: AwardType,
    recipient_kind: str,
    cluster_year: ClusterYear | None = None,
    source: str = Award.Source.HAND,
    **fields,
) -> Award:
    """A new proposal at the cluster's level (or the body's, without a cluster year)."""
    if (
        recipient_kind == RecipientKind.INDIVIDUAL
        and fields.get("person") is None
        and fields.get("recipient_name")
    ):
        # A person not yet in the register joins it, so their history follows them.
        fields["person"] = person_save(
            body=body,
            full_name=fields["recipient_name"],
            position=fields.get("recipient_position", ""),
            unit=fields.get("unit"),
        )
    award = Award(
        body=body,
        year=year,
        award_type=award_type,
        recipient_kind=recipient_kind,
        cluster_year=cluster_year,
        source=source,
        created_by=by,
        **fields,
    )
    _fill_recipient(award)
    _check_recipient(award)
    award.full_clean()
    award.save()
    _step(award, Action.PROPOSED, by=by, from_stage=Stage.CLUSTER, to_stage=Stage.CLUSTER)
    return award


def _locked(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("award_type", "cluster_year__cluster", "unit", "person", "decision")
        .get(pk=award.pk)
    )


@transaction.atomic
def award_update(*, award: Award, by, **fields) -> Award:
    """Edit a proposal the cluster still holds."""
    award = _locked(award)
    if not award.is_open:
        raise ValidationError(_("Only a proposal not yet sent, or sent back, can be edited."))
    for name, value in fields.items():
        setattr(award, name, value)
    _fill_recipient(award)
    _check_recipient(award)
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def award_withdraw(*, award: Award, by) -> None:
    """Delete a proposal never sent up (a typing mistake); anything sent stays on record."""
    award = _locked(award)
    if award.status != Status.PROPOSED or award.steps.exclude(action=Action.PROPOSED).exists():
        raise ValidationError(_("Only a proposal never sent up can be deleted."))
    award.delete()


@transaction.atomic
def award_override(*, award: Award, check_code: str, reason: str, by) -> Override:
    """Accept one warning of the checks with a written reason; errors are never accepted."""
    award = _locked(award)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the warning is accepted.")})
    check = next((c for c in compliance.check_award(award) if c.code == check_code), None)
    if check is None or check.ok:
        raise ValidationError(_("This check passes: there is nothing to accept."))
    if check.severity == compliance.ERROR:
        raise ValidationError(
            _("“%(message)s” is an error of the rules: it cannot be accepted, only fixed.")
            % {"message": check.message}
        )
    override, _created = Override.objects.update_or_create(
        award=award, check_code=check_code, defaults={"reason": reason, "by": by}
    )
    _step(
        award,
        Action.OVERRIDDEN,
        by=by,
        from_stage=award.stage,
        to_stage=award.stage,
        reason=f"{check.message} — {reason}",
    )
    return override


def chain_of(award: Award) -> tuple[str, ...]:
    """The levels the award climbs: its rule's chain, else by the award's level."""
    rule = award.rule or compliance.rule_for(award)
    if rule is not None:
        return rule.stages
    by_level = {
        AwardType.Level.STATE: Chain.STATE,
        AwardType.Level.PROVINCE: Chain.PROVINCE,
        AwardType.Level.GRASSROOTS: Chain.GRASSROOTS,
    }
    return CHAIN_STAGES[by_level[AwardType.Level(award.award_type.level)]]


def _next_stage(award: Award) -> str:
    stages = chain_of(award)
    return stages[stages.index(award.stage) + 1]


def _previous_stage(award: Award) -> str:
    stages = chain_of(award)
    return stages[max(stages.index(award.stage) - 1, 0)]


@transaction.atomic
def award_submit(
    *, awards, by, number: str = "", note: str = "", today: datetime.date | None = None
) -> Batch:
    """Send proposals up the chain together, as one batch.

    Every award must be held by the cluster and pass its checks (a warning counts once
    accepted); otherwise nothing is sent and each problem is named with its recipient.
    """
    awards = [_locked(a) for a in sorted(awards, key=lambda a: a.pk)]
    if not awards:
        raise ValidationError(_("Choose at least one proposal."))
    problems = []
    for award in awards:
        if not award.is_open:
            problems.append(
                _("%(award)s: already sent up (%(status)s).")
                % {"award": award, "status": award.get_status_display().lower()}
            )
            continue
        for check in compliance.blocking(compliance.check_award(award, today=today)):
            problems.append(f"{award}: {check.message}")
    if problems:
        raise ValidationError(problems)
    bodies = {a.body_id for a in awards}
    if len(bodies) > 1:
        raise ValidationError(_("Proposals of different bodies are sent separately."))
    years = {a.cluster_year_id for a in awards}
    batch = Batch.objects.create(
        body_id=bodies.pop(),
        cluster_year_id=years.pop() if len(years) == 1 else None,
        number=number,
        note=note,
        submitted_by=by,
    )
    for award in awards:
        award.rule = compliance.rule_for(award)
        returned = award.status == Status.RETURNED
        target = _next_stage(award)
        _step(
            award,
            Action.SUBMITTED,
            by=by,
            from_stage=award.stage,
            to_stage=target,
            reason=_("Sent again after its return.") if returned else "",
        )
        award.stage, award.status, award.batch = target, Status.SUBMITTED, batch
        award.save(update_fields=["stage", "status", "batch", "rule", "updated_at"])
    return batch


@transaction.atomic
def award_accept(
    *,
    award: Award,
    by,
    reason: str = "",
    council_members: int | None = None,
    council_for: int | None = None,
    council_against: int | None = None,
) -> Award:
    """The level holding the award accepts it and sends it to the next one. The council
    may record its own deliberation's result (entered, not cast)."""
    award = _locked(award)
    if award.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal moves up the chain."))
    if award.stage == Stage.AUTHORITY:
        raise ValidationError(_("The deciding authority answers with a decision."))
    council = {}
    if council_members is not None:
        if award.stage != Stage.COUNCIL:
            raise ValidationError(_("Only the council records its own vote."))
        council = {
            "council_members": council_members,
            "council_for": council_for,
            "council_against": council_against,
        }
        if council_for is None or council_against is None:
            raise ValidationError(_("Give the votes for and against."))
        if council_for + council_against > council_members:
            raise ValidationError(_("For and against together exceed the council's members."))
    target = _next_stage(award)
    step = AwardStep(
        award=award,
        action=Action.ACCEPTED,
        from_stage=award.stage,
        to_stage=target,
        by=by,
        reason=reason,
        **council,
    )
    step.full_clean()
    step.save()
    award.stage = target
    award.save(update_fields=["stage", "updated_at"])
    return award


@transaction.atomic
def award_return(*, award: Award, by, reason: str) -> Award:
    """Send the award back one level with a reason; back at the cluster it may be edited
    and submitted again."""
    award = _locked(award)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the proposal is returned.")})
    if award.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal can be returned."))
    target = _previous_stage(award)
    _step(award, Action.RETURNED, by=by, from_stage=award.stage, to_stage=target, reason=reason)
    award.stage = target
    if target == Stage.CLUSTER:
        award.status = Status.RETURNED
    award.save(update_fields=["stage", "status", "updated_at"])
    return award


@transaction.atomic
def award_reject(*, award: Award, by, reason: str) -> Award:
    award = _locked(award)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the proposal is rejected.")})
    if award.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal can be rejected."))
    _step(
        award, Action.REJECTED, by=by, from_stage=award.stage, to_stage=award.stage, reason=reason
    )
    award.status = Status.REJECTED
    award.save(update_fields=["status", "updated_at"])
    return award


@transaction.atomic
def decision_save(*, by, decision: Decision | None = None, body=None, **fields) -> Decision:
    if decision is None:
        decision = Decision(body=body, created_by=by)
    else:
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.full_clean()
    decision.save()
    return decision


def _freeze_recipient(award: Award) -> None:
    """The names as they are on the decision's date: the register's current position and
    unit fill what the proposal left empty; after this nothing rewrites them."""
    if award.person_id and not award.recipient_position:
        award.recipient_position = award.person.position
    if (
        award.unit_id
        and not award.recipient_unit_name
        and award.recipient_kind != RecipientKind.UNIT
    ):
        award.recipient_unit_name = award.unit.name


@transaction.atomic
def award_decide(*, awards, decision: Decision, by) -> list[Award]:
    """Record one decision granting many awards at once.

    Each award must wait at the deciding authority, belong to the decision's body and be
    of an authority that may be named on it; otherwise nothing is recorded. The rule
    set in force on the decision's date becomes the award's rule.
    """
    awards = [_locked(a) for a in sorted(awards, key=lambda a: a.pk)]
    if not awards:
        raise ValidationError(_("Choose at least one proposal."))
    problems = []
    for award in awards:
        if award.body_id != decision.body_id:
            problems.append(_("%(award)s: belongs to another body's register.") % {"award": award})
        elif not (award.status == Status.SUBMITTED and award.stage == Stage.AUTHORITY):
            problems.append(
                _("%(award)s: not waiting for the deciding authority (%(status)s, %(stage)s).")
                % {
                    "award": award,
                    "status": award.get_status_display().lower(),
                    "stage": award.get_stage_display(),
                }
            )
    if problems:
        raise ValidationError(problems)
    for award in awards:
        award.decision = decision
        award.status = Status.DECIDED
        award.rule = compliance.rule_for(award, decision.signed_on)
        _freeze_recipient(award)
        award.save()
        _step(
            award,
            Action.DECIDED,
            by=by,
            from_stage=award.stage,
            to_stage=award.stage,
            reason=decision.label,
        )
    return awards


@transaction.atomic
def award_present(*, awards, by, on: datetime.date, meeting=None) -> list[Award]:
    """The awards were handed over (at ``meeting`` if given) on ``on``."""
    awards = [_locked(a) for a in sorted(awards, key=lambda a: a.pk)]
    problems = [
        _("%(award)s: not decided yet.") % {"award": a}
        for a in awards
        if a.status != Status.DECIDED
    ]
    problems += [
        _("%(award)s: presented before its decision.") % {"award": a}
        for a in awards
        if a.status == Status.DECIDED and on < a.decision.signed_on
    ]
    if problems:
        raise ValidationError(problems)
    for award in awards:
        award.status = Status.PRESENTED
        award.presented_at = meeting
        award.presented_on = on
        award.save(update_fields=["status", "presented_at", "presented_on", "updated_at"])
        _step(
            award,
            Action.PRESENTED,
            by=by,
            from_stage=award.stage,
            to_stage=award.stage,
            reason=str(meeting) if meeting else "",
        )
    return awards


_UNSET = object()


def _granted(*, by, decision: Decision, import_key: str = "", rule=_UNSET, **fields) -> Award:
    """The unsaved award ``award_record_granted`` records: decided at the authority, its
    recipient's names filled from the register and frozen, its rule the one in force on
    the decision's date (``rule`` when the caller found it already). Checks the
    recipient; the fields are validated by the caller."""
    award = Award(
        decision=decision,
        status=Status.DECIDED,
        stage=Stage.AUTHORITY,
        created_by=by,
        import_key=import_key,
        **fields,
    )
    person = award.person
    if person is not None and person.unit_id and award.unit_id is None:
        # The person's unit, as ``_fill_recipient`` takes it, from the object already
        # loaded rather than by one more query.
        award.unit = person.unit
    _fill_recipient(award)
    _check_recipient(award)
    award.rule = compliance.rule_for(award, decision.signed_on) if rule is _UNSET else rule
    _freeze_recipient(award)
    return award


@transaction.atomic
def award_record_granted(*, by, decision: Decision, import_key: str = "", **fields) -> Award:
    """An award granted earlier, entered from its decision (history, imports, the demo):
    it never climbed the chain here, so it is recorded decided at once."""
    award = _granted(by=by, decision=decision, import_key=import_key, **fields)
    award.full_clean()
    award.save()
    _step(
        award,
        Action.DECIDED,
        by=by,
        from_stage=Stage.AUTHORITY,
        to_stage=Stage.AUTHORITY,
        reason=decision.label,
    )
    return award


def import_key_of(*parts) -> str:
    """A digest of an imported row's meaning: the same row imported twice is one award."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:64]


# --- From the cluster's own records ----------------------------------------------------


@transaction.atomic
def _propose_for_member(*, cluster_year: ClusterYear, unit, award_type, by, taken, **fields):
    """A proposal of ``award_type`` to the member ``unit`` for the cluster year; ``None``
    when ``taken`` (conditions on the year's unit awards not rejected) finds one already."""
    already = Award.objects.filter(
        cluster_year=cluster_year, recipient_kind=RecipientKind.UNIT, unit=unit, **taken
    ).exclude(status=Status.REJECTED)
    if already.exists():
        return None
    return award_propose(
        by=by,
        body=cluster_year.cluster.body,
        year=cluster_year.year,
        award_type=award_type,
        recipient_kind=RecipientKind.UNIT,
        cluster_year=cluster_year,
        unit=unit,
        **fields,
    )


def awards_from_nomination(*, nomination, by) -> list[Award]:
    """One proposal per winner of a confirmed nomination vote, with the vote as evidence.
    A winner already proposed for that award and year is skipped."""
    proposals = (
        _propose_for_member(
            cluster_year=nomination.cluster_year,
            unit=member.unit,
            award_type=nomination.award_type,
            by=by,
            taken={"award_type": nomination.award_type},
            vote=nomination.vote,
            source=Award.Source.VOTE,
        )
        for member in nomination.winners
    )
    return [award for award in proposals if award is not None]


@transaction.atomic
def awards_from_ranking(*, cluster_year: ClusterYear, ranking, by, on=None) -> list[Award]:
    """Proposals suggested from the approved ranking, as the rule set says: each award
    type whose rule names places in the ranking (the first for the flag, the next ones for
    Bằng khen …) gets a proposal for the members at those places. Members already
    proposed for any award of the year are skipped; tied members at a place are all
    suggested."""
    on = on or timezone.localdate()
    body_id = cluster_year.cluster.body_id
    # The rules naming places, each kept only if it is the one in force for its award.
    rules = [
        rule
        for rule in AwardRule.objects.filter(ranking_from__isnull=False)
        .select_related("rule_set", "award_type")
        .order_by("ranking_from", "pk")
        if award_rule_in_force(body_id=body_id, on=on, award_type_id=rule.award_type_id) == rule
    ]
    created = []
    for rule in rules:
        for standing in ranking.standings:
            if standing.rank is None or not (rule.ranking_from <= standing.rank <= rule.ranking_to):
                continue
            if rule.ranking_from == 1 and not standing.eligible_first:
                continue
            award = _propose_for_member(
                cluster_year=cluster_year,
                unit=standing.member.unit,
                award_type=rule.award_type,
                by=by,
                taken={"year": cluster_year.year},
                rank=standing.rank,
                source=Award.Source.RANKING,
            )
            if award is not None:
                created.append(award)
    return created


# --- Registers -------------------------------------------------------------------------


@transaction.atomic
def initiative_save(*, initiative: Initiative | None = None, person=None, **fields) -> Initiative:
    if initiative is None:
        initiative = Initiative(person=person)
    else:
        initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save()
    return initiative


@transaction.atomic
def initiative_delete(*, initiative: Initiative) -> None:
    initiative.delete()


@transaction.atomic
def reported_counts_save(*, cluster_year: ClusterYear, rows: list[dict], deleted=()) -> int:
    """Save a cluster year's reported counts as a table (``rows`` to keep, ``deleted`` to
    drop). A row's ``id`` is the stored count it edits (of this year), or None for a new
    one; each member must belong to the year, and a member reports one count per period,
    level and kind. Nothing is saved if any row is refused. Returns the rows kept."""
    members = set(cluster_year.members.values_list("unit_id", flat=True))
    problems, seen = [], set()
    for row in rows:
        if row["unit"].pk not in members:
            problems.append(_("%(unit)s is not a member of this year.") % {"unit": row["unit"]})
        key = (row["unit"].pk, row.get("period"), row.get("level"), row.get("kind"))
        if key in seen:
            problems.append(
                _("%(unit)s: the same period, level and kind appear twice.") % {"unit": row["unit"]}
            )
        seen.add(key)
        stored = row.get("id")
        if stored is not None and stored.cluster_year_id != cluster_year.pk:
            problems.append(_("A count of another year cannot be changed here."))
    if any(count.cluster_year_id != cluster_year.pk for count in deleted):
        problems.append(_("A count of another year cannot be deleted here."))
    if problems:
        raise ValidationError(problems)
    ReportedCount.objects.filter(
        cluster_year=cluster_year, pk__in=[count.pk for count in deleted]
    ).delete()
    for row in rows:
        instance = row.get("id") or ReportedCount(cluster_year=cluster_year)
        for name in ("unit", "period", "level", "kind", "count", "note"):
            setattr(instance, name, row.get(name, getattr(instance, name, None)))
        instance.full_clean()
        instance.save()
    return len(rows)


# --- Import of historical award lists ----------------------------------------------------


@transaction.atomic
def awards_import(*, body, by, rows: list[dict]) -> tuple[int, int]:
    """Record the awards of an imported list (``awards.imports``), all or nothing.

    Each row holds the award's fields for ``award_record_granted``, its ``import_key``
    and its ``decision`` as ``{"number", "signed_on", "authority"}``: the decision is
    found in the body's register by year and number (compared without diacritics, so
    "05/QD-UBND" is "05/QĐ-UBND") or created once for all its rows. A row imported
    before (same key) is skipped, so importing the same file again adds nothing. A unit
    recipient that was a member of exactly one of the body's clusters that year gets
    that cluster year. Every row is checked first; any refused row refuses the whole
    list, each problem naming its row.

    Writes what ``award_record_granted`` writes for each row — the decided award with its
    history row and its "decided" step — and the new decisions with theirs, in bulk: a
    few queries per 500 rows. Imports into one body wait for each other (a lock on the
    body's row), so the same list confirmed twice at once is recorded once: the second
    finds its rows imported before.

    Returns (awards created, rows already imported).
    """
    # No key update: rows referring to the body (anyone's new award) are not held up.
    list(OrganizingBody.objects.select_for_update(no_key=True).filter(pk=body.pk).values("pk"))
    keys = [row["import_key"] for row in rows]
    done = set()
    for start in range(0, len(keys), 500):
        # The index's condition said, so PostgreSQL reads the partial unique index.
        done |= set(
            Award.objects.filter(body=body, import_key__in=keys[start : start + 500])
            .exclude(import_key="")
            .values_list("import_key", flat=True)
        )
    fresh = [row for row in rows if row["import_key"] not in done]
    problems = _import_problems(body, fresh)
    if problems:
        raise ValidationError(problems)
    with _recorded_meanwhile():
        decisions = _import_decisions(body, by, fresh)
    cluster_years = _unit_cluster_years(body, fresh)
    rules = _import_rules(
        body, {(row["award_type"].pk, row["decision"]["signed_on"]) for row in fresh}
    )
    prefetch_related_objects([row["person"] for row in fresh if row.get("person")], "unit")
    awards, problems = [], []
    for row in fresh:
        fields = {k: v for k, v in row.items() if k not in ("decision", "import_key", "row")}
        unit = fields.get("unit")
        if (
            fields["recipient_kind"] == RecipientKind.UNIT
            and unit is not None
            and not {"cluster_year", "cluster_year_id"} & fields.keys()
        ):
            fields["cluster_year"] = cluster_years.get((unit.pk, fields["year"]))
        decision = decisions[_decision_key(row["decision"])]
        try:
            award = _granted(
                by=by,
                decision=decision,
                import_key=row["import_key"],
                rule=rules.get((fields["award_type"].pk, decision.signed_on)),
                body=body,
                source=Award.Source.IMPORT,
                **fields,
            )
            _validate_unsaved(award)
        except ValidationError as error:
            problems += [
                _("Row %(row)s: %(problem)s") % {"row": row.get("row", "?"), "problem": m}
                for m in error.messages
            ]
            continue
        awards.append(award)
    if problems:
        raise ValidationError(problems)
    with _recorded_meanwhile():
        for start in range(0, len(awards), 500):
            _insert_imported(body, awards[start : start + 500], by=by)
    return len(awards), len(rows) - len(fresh)


@contextlib.contextmanager
def _recorded_meanwhile():
    """A row written meanwhile by another way in than this service (or on a database
    without row locks) refuses the list whole, saying so, rather than failing."""
    try:
        yield
    except IntegrityError:
        raise ValidationError(
            _(
                "Some of these awards were recorded by another import at the same time: "
                "nothing was saved. Check the file again."
            )
        ) from None


def _insert_imported(body, awards: list[Award], *, by) -> None:
    """Write what ``award_record_granted`` writes for each of ``awards`` (unsaved, valid,
    their import keys set): the rows, their history rows ("+", by ``by``, as
    ``simple_history``'s ``bulk_create_with_history`` writes them) and their "decided"
    steps, in a few statements whatever the number of rows.

    The awards go in as ``bulk_create`` puts them, but with their values taken as they
    are (``bulk_create`` prepares its SQL value by value, which was most of an import's
    time), by COPY on PostgreSQL and in rows of many values per statement elsewhere. The
    history rows and the steps are copied from the rows just written, found by their
    import keys (the partial unique index), so nothing is read back into Python."""
    fields = [field for field in Award._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    now = timezone.now()
    for award in awards:
        award.created_at = award.updated_at = now  # auto_now_add, auto_now
    # After ``full_clean`` every value is of its field's Python type: only dates need the
    # database's own form, and the creation times are one.
    stamped = connection.ops.adapt_datetimefield_value(now)
    dates = {field.attname: field for field in fields if isinstance(field, models.DateField)}
    values = []
    for award in awards:
        row = []
        for field in fields:
            value = getattr(award, field.attname)
            if field.attname in ("created_at", "updated_at"):
                value = stamped
            elif field.attname in dates:
                value = field.get_db_prep_save(value, connection)
            row.append(value)
        values.append(row)
    keys = [award.import_key for award in awards]
    these = (
        f"a.{quote('body_id')} = %s AND a.{quote('import_key')} IN"
        f" ({', '.join(['%s'] * len(keys))}) AND NOT a.{quote('import_key')} = ''"
    )
    table = quote(Award._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: less than half the time of the same rows as INSERT … VALUES. (Django
            # does not see it: it is missing from the queries a test counts.)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            per_statement = max(1, connection.ops.bulk_batch_size(fields, awards))
            for start in range(0, len(values), per_statement):
                batch = values[start : start + per_statement]
                cursor.execute(
                    f"INSERT INTO {table} ({columns})"
                    f" VALUES {', '.join([f'({marks})'] * len(batch))}",
                    [value for row in batch for value in row],
                )
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history = Award.history.model._meta
            tracked = [history.get_field(f.name).column for f in Award._meta.concrete_fields]
            extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
            cursor.execute(
                f"INSERT INTO {quote(history.db_table)}"
                f" ({', '.join(quote(c) for c in tracked + extra)})"
                f" SELECT {', '.join('a.' + quote(c) for c in tracked)}, %s, NULL, '+', %s"
                f" FROM {quote(Award._meta.db_table)} a WHERE {these}",
                [stamped, by.pk if by else None, body.pk, *keys],
            )
        # Each step's reason names its decision: the labels joined by decision.
        labels = {award.decision_id: award.decision.label for award in awards}
        step = AwardStep._meta
        step_columns = ["award_id", "action", "from_stage", "to_stage", "by_id", "at", "reason"]
        cursor.execute(
            f"INSERT INTO {quote(step.db_table)} ({', '.join(quote(c) for c in step_columns)})"
            f" SELECT a.{quote('id')}, %s, %s, %s, %s, %s, labels.column2"
            f" FROM {quote(Award._meta.db_table)} a"
            f" JOIN (VALUES {', '.join(['(%s, %s)'] * len(labels))}) labels"
            f" ON labels.column1 = a.{quote('decision_id')}"
            f" WHERE {these}",
            [
                Action.DECIDED,
                Stage.AUTHORITY,
                Stage.AUTHORITY,
                by.pk if by else None,
                stamped,
                *(value for pair in labels.items() for value in pair),
                body.pk,
                *keys,
            ],
        )


def _validate_unsaved(instance) -> None:
    """``full_clean`` without its queries, for rows checked together: the related objects
    given were read from the database (so they exist), and the unique and check
    constraints are the caller's to hold (the import's keys, the recipient checks) and
    the database's."""
    related = [
        field.name
        for field in instance._meta.concrete_fields
        if field.is_relation and getattr(instance, field.attname) is not None
    ]
    instance.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
    if instance.recipient_kind == RecipientKind.UNIT and instance.unit_id is None:
        raise ValidationError(_("Choose the member unit."))


def _import_problems(body, rows) -> list[str]:
    """What refuses rows before anything is built: a unit or person of another register,
    the same key twice."""
    problems, seen = [], {}
    for row in rows:
        number = row.get("row", "?")
        if any(
            row.get(name) is not None and row[name].body_id != body.pk
            for name in ("unit", "person")
        ):
            problems.append(
                _("Row %(row)s: the unit or person belongs to another register.") % {"row": number}
            )
        key = row["import_key"]
        if not key:
            raise ValueError("An imported row needs its import key.")
        if key in seen:
            problems.append(
                _("Row %(row)s: %(problem)s")
                % {
                    "row": number,
                    "problem": _("The same award as row %(row)s.") % {"row": seen[key]},
                }
            )
        seen.setdefault(key, number)
    return problems


def _decision_key(decision: dict) -> tuple[int, str]:
    return decision["signed_on"].year, " ".join(search_words(decision["number"]))


def _import_decisions(body, by, rows) -> dict:
    """{(year, folded number): Decision} for the rows, created where the register has
    none (in bulk, with their history rows); a decision found with another date than the
    row's, or one that is not valid, refuses the import."""
    wanted = {}
    for row in rows:
        wanted.setdefault(_decision_key(row["decision"]), (row["decision"], row.get("row", "?")))
    found = {}
    if wanted:
        for decision in Decision.objects.filter(
            body=body,
            year__in={year for year, _number in wanted},
            name_fold__in={number for _year, number in wanted},
        ):
            found[(decision.year, decision.name_fold)] = decision
    problems, new = [], []
    for key, (data, row_number) in wanted.items():
        decision = found.get(key)
        if decision is None:
            decision = Decision(
                body=body,
                created_by=by,
                number=data["number"],
                signed_on=data["signed_on"],
                authority=data["authority"],
            )
            try:
                # Unique by (year, number): none of the register's has the key.
                _validate_decision(decision)
            except ValidationError as error:
                problems += [
                    _("Row %(row)s: %(problem)s") % {"row": row_number, "problem": m}
                    for m in error.messages
                ]
                continue
            found[key] = decision
            new.append(decision)
        elif decision.signed_on != data["signed_on"]:
            problems.append(
                _("Row %(row)s: the register has %(decision)s, with another date.")
                % {"row": row_number, "decision": decision.label}
            )
    if problems:
        raise ValidationError(problems)
    if new:
        bulk_create_with_history(new, Decision, batch_size=500, default_user=by)
    return found


def _validate_decision(decision: Decision) -> None:
    related = [
        field.name
        for field in Decision._meta.concrete_fields
        if field.is_relation and getattr(decision, field.attname) is not None
    ]
    decision.full_clean(exclude=related, validate_unique=False, validate_constraints=False)


def _import_rules(body, pairs: set) -> dict:
    """{(award type id, day): the award rule in force}, as
    ``clusters.selectors.award_rule_in_force`` picks it — the body's own rule sets before
    the national ones, the latest in force first — for every pair in one query."""
    if not pairs:
        return {}
    rules = sorted(
        AwardRule.objects.filter(
            Q(rule_set__body__isnull=True) | Q(rule_set__body=body),
            award_type_id__in={type_id for type_id, _day in pairs},
        ).select_related("rule_set", "award_type", "prerequisite"),
        key=lambda rule: (
            rule.rule_set.body_id is None,
            -rule.rule_set.effective_from.toordinal(),
            -rule.pk,
        ),
    )
    found = {}
    for type_id, day in pairs:
        found[(type_id, day)] = next(
            (
                rule
                for rule in rules
                if rule.award_type_id == type_id
                and rule.rule_set.effective_from <= day
                and (rule.rule_set.effective_to is None or rule.rule_set.effective_to >= day)
            ),
            None,
        )
    return found


def _unit_cluster_years(body, rows) -> dict:
    """{(unit id, year): cluster year} for the unit recipients that were members of
    exactly one of the body's clusters that year (with its cluster: two queries)."""
    units = {row["unit"].pk for row in rows if row.get("unit") is not None}
    years = {row["year"] for row in rows}
    if not units:
        return {}
    found: dict = {}
    for unit_id, year, cluster_year_id in ClusterMember.objects.filter(
        unit_id__in=units, cluster_year__year__in=years, cluster_year__cluster__body=body
    ).values_list("unit_id", "cluster_year__year", "cluster_year_id"):
        found.setdefault((unit_id, year), set()).add(cluster_year_id)
    single = {key: ids.pop() for key, ids in found.items() if len(ids) == 1}
    loaded = ClusterYear.objects.select_related("cluster").in_bulk(set(single.values()))
    return {key: loaded[pk] for key, pk in single.items()}
