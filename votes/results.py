"""Counting, in plain functions of numbers: reconciliation of the paper counts, the
comparison of two entries of them, and the results under a vote rule.

Nothing here reads the database or the clock, so the same counts always give the same
results, stored as they came out when the vote closed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from clusters.models import VoteRule

COUNT_FIELDS = ("issued", "returned", "not_returned", "valid", "invalid", "blank")


@dataclass(frozen=True)
class Counts:
    """The counts of a vote: ballots by kind and each candidate's votes (by candidate id)."""

    issued: int = 0
    returned: int = 0
    not_returned: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0
    votes: dict[int, int] = field(default_factory=dict)

    def __add__(self, other: "Counts") -> "Counts":
        ids = dict.fromkeys([*self.votes, *other.votes])
        return Counts(
            **{name: getattr(self, name) + getattr(other, name) for name in COUNT_FIELDS},
            votes={i: self.votes.get(i, 0) + other.votes.get(i, 0) for i in ids},
        )


def reconcile(counts: Counts, *, seats: int, labels: dict[int, str]) -> list[str]:
    """What does not add up in ``counts`` (empty when everything does).

    ``labels`` names every candidate by id, in ballot order; a candidate without votes
    entered is a problem too.
    """
    problems = []
    if counts.issued != counts.returned + counts.not_returned:
        problems.append(
            _(
                "Ballots issued (%(issued)s) must equal ballots returned (%(returned)s) "
                "plus ballots not returned (%(not_returned)s)."
            )
            % vars_of(counts)
        )
    if counts.returned != counts.valid + counts.invalid + counts.blank:
        problems.append(
            _(
                "Ballots returned (%(returned)s) must equal valid (%(valid)s) plus invalid "
                "(%(invalid)s) plus blank ballots (%(blank)s)."
            )
            % vars_of(counts)
        )
    for candidate_id, label in labels.items():
        if candidate_id not in counts.votes:
            problems.append(_("Enter the votes of %(candidate)s.") % {"candidate": label})
        elif counts.votes[candidate_id] > counts.valid:
            problems.append(
                _("%(candidate)s has %(votes)s votes, more than the %(valid)s valid ballots.")
                % {"candidate": label, "votes": counts.votes[candidate_id], "valid": counts.valid}
            )
    total = sum(counts.votes.values())
    if total > counts.valid * seats:
        problems.append(
            _(
                "The candidates have %(total)s votes in all, more than %(valid)s valid "
                "ballots × %(seats)s seats = %(most)s."
            )
            % {"total": total, "valid": counts.valid, "seats": seats, "most": counts.valid * seats}
        )
    return problems


def vars_of(counts: Counts) -> dict:
    return {name: getattr(counts, name) for name in COUNT_FIELDS}


def differences(first: Counts, second: Counts, *, labels: dict[int, str]) -> list[str]:
    """Where two entries of the same counts differ (double entry), field by field."""
    names = {
        "issued": _("ballots issued"),
        "returned": _("ballots returned"),
        "not_returned": _("ballots not returned"),
        "valid": _("valid ballots"),
        "invalid": _("invalid ballots"),
        "blank": _("blank ballots"),
    }
    found = [
        (names[name], getattr(first, name), getattr(second, name))
        for name in COUNT_FIELDS
        if getattr(first, name) != getattr(second, name)
    ]
    found += [
        (label, first.votes.get(i), second.votes.get(i))
        for i, label in labels.items()
        if first.votes.get(i) != second.votes.get(i)
    ]
    return [
        _("%(what)s: %(first)s in the first entry, %(second)s in the second.")
        % {"what": what, "first": "—" if a is None else a, "second": "—" if b is None else b}
        for what, a, b in found
    ]


def percent_of(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def compute_results(
    *,
    rule: VoteRule,
    seats: int,
    eligible: int,
    present: int,
    counts: Counts,
    labels: dict[int, str],
) -> dict:
    """The results of a vote as stored: plain JSON, the same for the same counts.

    A candidate meets the threshold with at least ``needed`` votes of the rule's base.
    When the quorum is not met nobody wins. When more candidates meet the threshold than
    there are seats, the highest votes win; candidates tied for the last seats are listed
    as tied and none of them is declared a winner: the meeting decides (usually a new
    round), never the code.
    """
    base_count = {
        VoteRule.Base.ELIGIBLE: eligible,
        VoteRule.Base.PRESENT: present,
        VoteRule.Base.VALID: counts.valid,
    }[rule.base]
    needed = max(rule.votes_needed(base_count), 1)
    quorum_needed = rule.quorum_needed(eligible)
    quorum_met = counts.returned >= quorum_needed
    order = list(labels)
    passing = sorted(
        (i for i in order if counts.votes.get(i, 0) >= needed),
        key=lambda i: (-counts.votes[i], order.index(i)),
    )
    winners, tied = [], []
    if quorum_met:
        if len(passing) <= seats:
            winners = passing
        else:
            cut = counts.votes[passing[seats - 1]]
            above = [i for i in passing if counts.votes[i] > cut]
            at_cut = [i for i in passing if counts.votes[i] == cut]
            if len(above) + len(at_cut) <= seats:
                winners = above + at_cut
            else:
                winners, tied = above, at_cut
    return {
        "base": rule.base,
        "base_count": base_count,
        "needed": needed,
        "eligible": eligible,
        "present": present,
        **vars_of(counts),
        "seats": seats,
        "quorum_needed": quorum_needed,
        "quorum_met": quorum_met,
        "candidates": [
            {
                "id": i,
                "label": labels[i],
                "votes": counts.votes.get(i, 0),
                "percent": percent_of(counts.votes.get(i, 0), base_count),
                "threshold_met": counts.votes.get(i, 0) >= needed,
                "winner": i in winners,
                "tied": i in tied,
            }
            for i in order
        ],
        "winners": winners,
        "tied": tied,
    }
