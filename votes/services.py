"""Writes and workflows of votes.

Status moves draft → open → closed → results confirmed only here. The candidates and
the voter list change only in a draft; the paper counts only while the vote is open;
closing computes and stores the results; confirming writes an elected head or deputy to
the cluster year and freezes the vote for good. A change to a closed or confirmed vote is
refused with ``core.permissions.Frozen``; callers check who may act.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import AwardType, ClusterMember, VoteRule
from clusters.selectors import vote_rule_in_force
from core.permissions import Frozen
from meetings.models import Attendance, Meeting
from votes import codes
from votes.models import (
    BallotCode,
    Candidate,
    ElectronicBallot,
    PaperBallot,
    Tally,
    TallyLine,
    Teller,
    Vote,
    Voter,
)
from votes.results import COUNT_FIELDS, Counts, compute_results, differences, reconcile

Purpose = VoteRule.Purpose


def frozen_reason(vote: Vote) -> str:
    """Why ``vote`` may no longer be edited (its set-up), or "" in a draft."""
    if vote.status == Vote.Status.CONFIRMED:
        return _(
            "The results of this vote are confirmed: nothing about it can change. "
            "Record a correction as a new vote."
        )
    if vote.status == Vote.Status.CLOSED:
        return _("This vote is closed: its counts and results can no longer change.")
    if vote.status == Vote.Status.OPEN:
        return _("This vote is open: its candidates and voter list are frozen.")
    return ""


def _locked(vote: Vote) -> Vote:
    # Only the vote's row: the meeting and its year stay free for other writers.
    return (
        Vote.objects.select_for_update(of=("self",))
        .select_related("meeting__cluster_year__cluster")
        .get(pk=vote.pk)
    )


def _require_draft(vote: Vote) -> None:
    reason = frozen_reason(vote)
    if reason:
        raise Frozen(reason)


def _members_of(vote: Vote, members: Iterable[ClusterMember]) -> list[ClusterMember]:
    members = list(members)
    if any(m.cluster_year_id != vote.meeting.cluster_year_id for m in members):
        raise ValidationError(_("Only member units of the meeting's cluster year take part."))
    return members


def vote_date(meeting: Meeting):
    return timezone.localdate(meeting.starts_at)


# --- Set-up ------------------------------------------------------------------------------


@transaction.atomic
def vote_create(
    *,
    meeting: Meeting,
    purpose: str,
    title: str,
    seats: int = 1,
    award_type: AwardType | None = None,
    corrects: Vote | None = None,
    electronic: bool = False,
) -> Vote:
    """A draft vote with the rule in force on the meeting's day and, as its voter list,
    one voter per member unit recorded present at the meeting."""
    body_id = meeting.cluster_year.cluster.body_id
    if purpose != Purpose.NOMINATION:
        award_type = None
    elif award_type is None:
        raise ValidationError({"award_type": _("Choose the award type of the nomination.")})
    elif award_type.body_id not in (None, body_id):
        raise ValidationError({"award_type": _("This award type is not in use here.")})
    rule = vote_rule_in_force(
        body_id=body_id,
        on=vote_date(meeting),
        purpose=purpose,
        award_type_id=award_type.pk if award_type else None,
    )
    if rule is None:
        raise ValidationError(
            _("No vote rule for this purpose is in force on the day of the meeting.")
        )
    vote = Vote(
        meeting=meeting,
        purpose=purpose,
        award_type=award_type,
        title=title,
        seats=seats,
        rule=rule,
        corrects=corrects,
        electronic=electronic,
    )
    vote.full_clean()
    vote.save()
    present = (
        Attendance.objects.filter(meeting=meeting, present=True)
        .order_by("member__unit__sort_key", "member_id")
        .values_list("member_id", flat=True)
    )
    Voter.objects.bulk_create(Voter(vote=vote, member_id=member_id) for member_id in present)
    return vote


@transaction.atomic
def vote_update(*, vote: Vote, title: str, seats: int) -> Vote:
    vote = _locked(vote)
    _require_draft(vote)
    vote.title, vote.seats = title, seats
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def vote_set_candidates(
    *, vote: Vote, members: Iterable[ClusterMember] = (), options: Iterable[str] = ()
) -> list[Candidate]:
    """Replace the candidates: member units, or the options' texts of a free question."""
    vote = _locked(vote)
    _require_draft(vote)
    members = _members_of(vote, members)
    options = [text.strip() for text in options if text.strip()]
    if vote.purpose == Purpose.QUESTION:
        if members:
            raise ValidationError(_("A free question's options are texts, not units."))
        if len(set(options)) != len(options):
            raise ValidationError(_("Each option may appear once."))
    elif options:
        raise ValidationError(_("The candidates are member units of the cluster year."))
    vote.candidates.all().delete()
    rows = [Candidate(vote=vote, member=m, order=i) for i, m in enumerate(members)]
    rows += [Candidate(vote=vote, text=t, order=i) for i, t in enumerate(options)]
    return Candidate.objects.bulk_create(rows)


@transaction.atomic
def vote_set_voters(*, vote: Vote, members: Iterable[ClusterMember]) -> None:
    """Replace the voter list (the secretary adjusts the one taken from attendance)."""
    vote = _locked(vote)
    _require_draft(vote)
    members = _members_of(vote, members)
    vote.voters.all().delete()
    Voter.objects.bulk_create(Voter(vote=vote, member=m) for m in members)


@transaction.atomic
def vote_set_tellers(*, vote: Vote, tellers: Iterable[Mapping]) -> list[Teller]:
    """Replace the counting committee: rows of ``full_name`` and ``position``."""
    vote = _locked(vote)
    _require_draft(vote)
    rows = [
        Teller(
            vote=vote,
            full_name=row["full_name"].strip(),
            position=(row.get("position") or "").strip(),
            order=i,
        )
        for i, row in enumerate(tellers)
        if row.get("full_name", "").strip()
    ]
    vote.tellers.all().delete()
    return Teller.objects.bulk_create(rows)


# --- Workflow ----------------------------------------------------------------------------


@transaction.atomic
def vote_open(*, vote: Vote) -> Vote:
    """Open the vote: the voter list and the number of eligible voters are frozen.

    Every member unit of the cluster year is an eligible voter; the voter list holds
    those present.
    """
    vote = _locked(vote)
    _require_draft(vote)
    problems = []
    candidates = vote.candidates.count()
    if candidates == 0:
        problems.append(_("Add the candidates."))
    elif vote.purpose == Purpose.QUESTION and candidates < 2:
        problems.append(_("A question needs at least two options."))
    if not vote.voters.exists():
        problems.append(_("The voter list is empty."))
    if vote.tellers.count() < 2:
        problems.append(
            _("Name at least two members of the counting committee: the counts are entered twice.")
        )
    if problems:
        raise ValidationError(problems)
    vote.eligible_count = ClusterMember.objects.filter(
        cluster_year_id=vote.meeting.cluster_year_id
    ).count()
    vote.present_count = vote.voters.count()
    vote.status = Vote.Status.OPEN
    vote.save()
    vote.issued_codes = _issue_codes(vote) if vote.electronic else []
    return vote


def code_hash(code: str) -> str:
    """The stored form of a code as a voter typed it (see ``votes.codes``)."""
    return codes.code_hash(codes.normalize(code))


def _issue_codes(vote: Vote) -> list[str]:
    """One single-use code per voter present, returned once and stored only hashed.

    The codes are not tied to voters: whoever hands them out gives one to each.
    """
    issued = set()
    while len(issued) < vote.present_count:
        issued.add(codes.new_code())
    issued = sorted(issued)
    BallotCode.objects.bulk_create(
        BallotCode(vote=vote, code_hash=codes.code_hash(code)) for code in issued
    )
    return issued


def candidate_labels(vote: Vote) -> dict[int, str]:
    """Every candidate's name by id, in ballot order."""
    return {
        c.pk: c.label
        for c in Candidate.objects.filter(vote=vote)
        .select_related("member__unit")
        .order_by("order", "pk")
    }


@transaction.atomic
def tally_enter(*, vote: Vote, teller: Teller, votes: Mapping[int, int], **counts) -> Tally:
    """Record (or replace) one committee member's entry of the paper counts.

    An entry that does not reconcile is kept so it can be corrected; closing refuses it.
    """
    vote = _locked(vote)
    if vote.status != Vote.Status.OPEN:
        reason = frozen_reason(vote)
        if vote.is_draft:
            raise ValidationError(_("Counts are entered once the vote is open."))
        raise Frozen(reason)
    if teller.vote_id != vote.pk:
        raise ValidationError(_("Only a member of this vote's counting committee enters counts."))
    if PaperBallot.objects.filter(tally__vote=vote, tally__teller=teller).exists():
        raise ValidationError(
            _(
                "%(name)s enters the ballots one by one: the counts follow from them. "
                "To enter the totals instead, start over on the ballots page."
            )
            % {"name": teller.full_name}
        )
    labels = candidate_labels(vote)
    if set(votes) - set(labels):
        raise ValidationError(_("Votes were entered for someone who is not a candidate."))
    if any(value is None or value < 0 for value in [*counts.values(), *votes.values()]):
        raise ValidationError(_("Counts are whole numbers, zero or more."))
    tally, _created = Tally.objects.update_or_create(
        vote=vote, teller=teller, defaults={name: counts[name] for name in COUNT_FIELDS}
    )
    tally.lines.all().delete()
    TallyLine.objects.bulk_create(
        TallyLine(tally=tally, candidate_id=i, votes=votes[i]) for i in labels if i in votes
    )
    return tally


def tally_counts(tally: Tally) -> Counts:
    return Counts(
        **{name: getattr(tally, name) for name in COUNT_FIELDS},
        votes={line.candidate_id: line.votes for line in tally.lines.all()},
    )


def paper_check(vote: Vote) -> tuple[Counts | None, list[str]]:
    """The paper counts both entries agree on, or None and what stands in the way."""
    labels = candidate_labels(vote)
    tallies = list(
        vote.tallies.select_related("teller").prefetch_related("lines").order_by("teller__order")
    )
    if len(tallies) < 2:
        return None, [
            _("Two members of the counting committee must each enter the counts; %(n)s did.")
            % {"n": len(tallies)}
        ]
    problems = []
    for tally in tallies:
        for problem in reconcile(tally_counts(tally), seats=vote.seats, labels=labels):
            problems.append(f"{tally.teller.full_name}: {problem}")
    first = tally_counts(tallies[0])
    for other in tallies[1:]:
        found = differences(first, tally_counts(other), labels=labels)
        if found:
            problems.append(
                _("The entries of %(first)s and %(second)s differ:")
                % {"first": tallies[0].teller.full_name, "second": other.teller.full_name}
            )
            problems += found
    return (None if problems else first), problems


def electronic_counts(vote: Vote) -> Counts:
    """The electronic ballots as counts: a code used is a ballot returned; a ballot
    without a choice is blank; the form never lets one choose more than the seats."""
    codes = list(vote.codes.values_list("used", flat=True))
    votes = dict.fromkeys(candidate_labels(vote), 0)
    valid = blank = 0
    for choices in vote.ballots.values_list("choices", flat=True):
        if choices:
            valid += 1
            for candidate_id in choices:
                votes[candidate_id] += 1
        else:
            blank += 1
    used = sum(codes)
    return Counts(
        issued=len(codes),
        returned=used,
        not_returned=len(codes) - used,
        valid=valid,
        blank=blank,
        votes=votes,
    )


def vote_counts(vote: Vote) -> tuple[Counts | None, list[str]]:
    """The vote's counts, paper and electronic together, or None and what is wrong.

    An electronic vote in which nobody entered paper counts is counted from its
    electronic ballots alone; otherwise the paper counts must be entered twice.
    """
    if vote.electronic and not vote.tallies.exists():
        counts, problems = electronic_counts(vote), []
    else:
        counts, problems = paper_check(vote)
        if counts is not None and vote.electronic:
            counts = counts + electronic_counts(vote)
    if counts is not None:
        problems = reconcile(counts, seats=vote.seats, labels=candidate_labels(vote))
    return (None if problems else counts), problems


@transaction.atomic
def vote_close(*, vote: Vote) -> Vote:
    """Close the vote: the counts must reconcile and both entries match; the results are
    computed and stored."""
    vote = _locked(vote)
    if vote.status != Vote.Status.OPEN:
        if vote.is_draft:
            raise ValidationError(_("Only an open vote can be closed."))
        raise Frozen(frozen_reason(vote))
    counts, problems = vote_counts(vote)
    if problems:
        raise ValidationError(problems)
    vote.results = compute_results(
        rule=vote.rule,
        seats=vote.seats,
        eligible=vote.eligible_count,
        present=vote.present_count,
        counts=counts,
        labels=candidate_labels(vote),
    )
    vote.status = Vote.Status.CLOSED
    vote.save()
    return vote


@transaction.atomic
def vote_confirm(*, vote: Vote) -> Vote:
    """Confirm the results. An elected head or deputy (one winner, no tie) becomes the
    cluster year's ``next_head`` / ``next_deputy``, which roll-over makes next year's."""
    vote = _locked(vote)
    if vote.status == Vote.Status.CONFIRMED:
        raise Frozen(frozen_reason(vote))
    if vote.status != Vote.Status.CLOSED:
        raise ValidationError(_("Only a closed vote's results can be confirmed."))
    winners = vote.results["winners"]
    if vote.purpose in (Purpose.HEAD, Purpose.DEPUTY) and len(winners) == 1:
        _write_leader(vote, Candidate.objects.select_related("member").get(pk=winners[0]))
    vote.status = Vote.Status.CONFIRMED
    vote.save()
    return vote


def _write_leader(vote: Vote, candidate: Candidate) -> None:
    cluster_year = (
        type(vote.meeting.cluster_year)
        .objects.select_for_update()
        .get(pk=vote.meeting.cluster_year_id)
    )
    unit_id = candidate.member.unit_id
    if vote.purpose == Purpose.HEAD:
        if cluster_year.next_deputy_id == unit_id:
            raise ValidationError(_("This unit is already elected deputy for next year."))
        cluster_year.next_head_id = unit_id
    else:
        if cluster_year.next_head_id == unit_id:
            raise ValidationError(_("This unit is already elected head for next year."))
        cluster_year.next_deputy_id = unit_id
    cluster_year.save(update_fields=["next_head", "next_deputy", "updated_at"])


@transaction.atomic
def vote_correct(*, vote: Vote) -> Vote:
    """A new draft vote correcting a confirmed one: same purpose, seats, candidates,
    voters and committee, linked to it. The confirmed vote stays as it was."""
    vote = _locked(vote)
    if vote.status != Vote.Status.CONFIRMED:
        raise ValidationError(_("Only a vote with confirmed results is corrected by a new vote."))
    correction = Vote(
        meeting=vote.meeting,
        purpose=vote.purpose,
        award_type=vote.award_type,
        title=vote.title,
        seats=vote.seats,
        rule=vote.rule,
        corrects=vote,
        electronic=vote.electronic,
    )
    correction.full_clean()
    correction.save()
    Candidate.objects.bulk_create(
        Candidate(vote=correction, member_id=c.member_id, text=c.text, order=c.order)
        for c in vote.candidates.order_by("order", "pk")
    )
    Voter.objects.bulk_create(
        Voter(vote=correction, member_id=v.member_id) for v in vote.voters.order_by("pk")
    )
    Teller.objects.bulk_create(
        Teller(vote=correction, full_name=t.full_name, position=t.position, order=t.order)
        for t in vote.tellers.order_by("order", "pk")
    )
    return correction


@transaction.atomic
def vote_set_up(
    *,
    vote: Vote,
    title: str,
    seats: int,
    candidates: Iterable[ClusterMember] = (),
    options: Iterable[str] = (),
    voters: Iterable[ClusterMember] = (),
    tellers: Iterable[Mapping] = (),
) -> Vote:
    """Save the whole set-up of a draft from its page, all or nothing."""
    vote = vote_update(vote=vote, title=title, seats=seats)
    vote_set_candidates(vote=vote, members=candidates, options=options)
    vote_set_voters(vote=vote, members=voters)
    vote_set_tellers(vote=vote, tellers=tellers)
    return vote


# --- Electronic ballots ------------------------------------------------------------------


def ballot_cast(*, vote: Vote, code: str, choices: Iterable[int]) -> None:
    """Cast one electronic ballot with a single-use code.

    The code is consumed by one conditional UPDATE (``used`` false → true) in the same
    transaction as the ballot's INSERT: of two submissions of one code, however close,
    the database lets exactly one change the row and the other finds it used. The
    ballot keeps no reference to the code, the voter or the time.
    """
    choices = sorted(set(choices))
    with transaction.atomic():
        # Locked so that closing waits for a ballot being cast, and counts it.
        current = Vote.objects.select_for_update().only("status", "seats").get(pk=vote.pk)
        if current.status != Vote.Status.OPEN:
            raise ValidationError(_("This vote is not open."))
        if len(choices) > current.seats:
            raise ValidationError(_("Choose at most %(seats)s.") % {"seats": current.seats})
        if choices and Candidate.objects.filter(vote_id=vote.pk, pk__in=choices).count() != len(
            choices
        ):
            raise ValidationError(_("Choose among this vote's candidates."))
        consumed = BallotCode.objects.filter(
            vote_id=vote.pk, code_hash=code_hash(code), used=False
        ).update(used=True)
        if consumed != 1:
            raise ValidationError(_("This code is not valid or has already been used."))
        ElectronicBallot.objects.create(vote_id=vote.pk, choices=choices)


# --- Paper ballots entered one by one ------------------------------------------------------


def _counting(vote: Vote, teller: Teller) -> Vote:
    """The vote's row locked, once it is open and ``teller`` is on its committee."""
    vote = _locked(vote)
    if vote.status != Vote.Status.OPEN:
        if vote.is_draft:
            raise ValidationError(_("Counts are entered once the vote is open."))
        raise Frozen(frozen_reason(vote))
    if teller.vote_id != vote.pk:
        raise ValidationError(_("Only a member of this vote's counting committee enters counts."))
    return vote


def entered_as_totals(tally: Tally | None) -> bool:
    """Whether ``tally`` holds totals typed in directly (not derived from ballots): it
    counts returned ballots or votes but has no ballot behind them."""
    if tally is None or tally.paper_ballots.exists():
        return False
    return tally.returned > 0 or tally.lines.filter(votes__gt=0).exists()


def _ballot_tally(vote: Vote, teller: Teller) -> Tally:
    """The teller's entry to derive from ballots, made empty when there is none yet
    (issued: the voters present; nothing returned yet)."""
    tally = Tally.objects.filter(vote=vote, teller=teller).first()
    if tally is None:
        return Tally.objects.create(
            vote=vote,
            teller=teller,
            issued=vote.present_count or 0,
            returned=0,
            not_returned=0,
            valid=0,
            invalid=0,
            blank=0,
        )
    if entered_as_totals(tally):
        raise ValidationError(
            _(
                "%(name)s has entered the totals directly. To enter the ballots one by "
                "one, start over: the totals entered are deleted."
            )
            % {"name": teller.full_name}
        )
    return tally


def paper_ballot_kind(*, choices: list[int], unreadable: bool, seats: int) -> str:
    """Invalid when the committee found it unreadable or it marks more than the seats;
    blank when nothing is marked; valid otherwise."""
    if unreadable or len(choices) > seats:
        return PaperBallot.Kind.INVALID
    if not choices:
        return PaperBallot.Kind.BLANK
    return PaperBallot.Kind.VALID


def _derive_tally(tally: Tally, labels: Mapping[int, str]) -> Tally:
    """Set the teller's returned, valid, invalid and blank ballots and each candidate's
    votes from the ballots entered (a candidate's votes come from valid ballots only).
    Issued and not returned stay as the teller counted them, so reconciling still checks
    them against the ballots entered."""
    kinds = dict.fromkeys(PaperBallot.Kind.values, 0)
    votes = dict.fromkeys(labels, 0)
    for kind, choices in tally.paper_ballots.values_list("kind", "choices"):
        kinds[kind] += 1
        if kind == PaperBallot.Kind.VALID:
            for candidate_id in choices:
                votes[candidate_id] += 1
    tally.returned = sum(kinds.values())
    tally.valid = kinds[PaperBallot.Kind.VALID]
    tally.invalid = kinds[PaperBallot.Kind.INVALID]
    tally.blank = kinds[PaperBallot.Kind.BLANK]
    tally.save()
    tally.lines.all().delete()
    TallyLine.objects.bulk_create(
        TallyLine(tally=tally, candidate_id=i, votes=n) for i, n in votes.items()
    )
    return tally


@transaction.atomic
def paper_ballot_add(
    *, vote: Vote, teller: Teller, choices: Iterable[int], unreadable: bool = False
) -> PaperBallot:
    """Record one paper ballot as ``teller`` read it, and derive the teller's counts again
    under the vote's lock. The ballot returned knows its ``number`` among the teller's."""
    vote = _counting(vote, teller)
    choices = sorted(set(choices))
    labels = candidate_labels(vote)
    if set(choices) - set(labels):
        raise ValidationError(_("Choose among this vote's candidates."))
    tally = _ballot_tally(vote, teller)
    ballot = PaperBallot.objects.create(
        tally=tally,
        choices=choices,
        kind=paper_ballot_kind(choices=choices, unreadable=unreadable, seats=vote.seats),
    )
    tally = _derive_tally(tally, labels)
    ballot.number = tally.returned
    return ballot


@transaction.atomic
def paper_ballot_delete(*, vote: Vote, teller: Teller, ballot_id) -> Tally:
    """Remove a ballot entered by mistake and derive the teller's counts again."""
    vote = _counting(vote, teller)
    deleted, _rows = PaperBallot.objects.filter(
        pk=ballot_id, tally__vote=vote, tally__teller=teller
    ).delete()
    if not deleted:
        raise ValidationError(_("This ballot is not among those entered by this member."))
    return _derive_tally(Tally.objects.get(vote=vote, teller=teller), candidate_labels(vote))


@transaction.atomic
def paper_tally_set_issued(*, vote: Vote, teller: Teller, issued: int, not_returned: int) -> Tally:
    """The ballots issued and not returned, as the teller counted them, beside the
    ballots entered one by one."""
    vote = _counting(vote, teller)
    if issued is None or not_returned is None or issued < 0 or not_returned < 0:
        raise ValidationError(_("Counts are whole numbers, zero or more."))
    tally = _ballot_tally(vote, teller)
    tally.issued, tally.not_returned = issued, not_returned
    return _derive_tally(tally, candidate_labels(vote))


@transaction.atomic
def paper_tally_start_over(*, vote: Vote, teller: Teller) -> None:
    """Delete the teller's entry — totals or ballots — so it can be made again either way."""
    vote = _counting(vote, teller)
    Tally.objects.filter(vote=vote, teller=teller).delete()
