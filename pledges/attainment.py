"""Attainment of a target: the actual value against the commitment.

Pure functions, no database. A period is judged against the share of the full-year
commitment expected by its end (``share``, in percent): by default the time elapsed
(30/6 → 50 %, 31/12 → 100 %) for counts, amounts and yes/no targets, the whole value
for percentages (a rate is not halved at mid-year); the cluster may set another share
per target and period. Status rules:
- numbers and percentages, the whole commitment expected (share 100 %): exceeded / met /
  not met by comparing actual and committed in the target's direction;
- numbers and percentages, part of it expected: met when the actual is at or beyond the
  expected value (committed × share; for "lower is better" the allowance so far: at or
  below it), not met when behind; exceeded only when a "higher is better" actual already
  beats the whole year's commitment (an accident count can still grow before year-end);
- the ratio (shown as a percentage) is actual ÷ expected, inverted
  (expected ÷ actual) when lower is better, and only when it means something (no
  division by zero, no negative bases);
- yes/no: met when the answer is what was committed, exceeded when "yes" was reported
  for something not committed; a committed "yes" reported "no" is not met once the
  whole is expected (share 100 %), in progress before;
- text: reported or not, never judged;
- a missing commitment or a missing result gives "no commitment" / "not reported".
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


class Status(StrEnum):
    EXCEEDED = "exceeded"
    MET = "met"
    NOT_MET = "not_met"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    NOT_REPORTED = "not_reported"
    NO_COMMITMENT = "no_commitment"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.EXCEEDED: _("Exceeded"),
    Status.MET: _("Met"),
    Status.NOT_MET: _("Not met"),
    Status.IN_PROGRESS: _("In progress"),
    Status.REPORTED: _("Reported"),
    Status.NOT_REPORTED: _("Not reported"),
    Status.NO_COMMITMENT: _("No commitment"),
}


@dataclass(frozen=True)
class Attainment:
    status: Status
    ratio: Decimal | None = None  # 1.05 means 105 %

    @property
    def percent(self) -> Decimal | None:
        if self.ratio is None:
            return None
        return (self.ratio * HUNDRED).quantize(Decimal("0.1"))

    @property
    def is_success(self) -> bool:
        return self.status in (Status.EXCEEDED, Status.MET)


def elapsed_share(ends_on: datetime.date, *, year: int) -> Decimal:
    """The percentage of ``year`` elapsed by the end of ``ends_on``, in whole months.

    A date on the last day of its month counts that month fully (30/6 → 50 %); another
    date counts the months before it plus the fraction of its month's days. Before the
    year nothing is expected, after it everything.
    """
    if ends_on.year > year:
        return HUNDRED
    if ends_on.year < year:
        return Decimal(0)
    days = calendar.monthrange(ends_on.year, ends_on.month)[1]
    if ends_on.day == days:
        months = Decimal(ends_on.month)
    else:
        months = Decimal(ends_on.month - 1) + Decimal(ends_on.day) / Decimal(days)
    return (months * HUNDRED / 12).quantize(Decimal("0.01"))


def default_share(measure: str, ends_on: datetime.date, *, year: int) -> Decimal:
    """The share expected by ``ends_on`` when the cluster set none: the time elapsed,
    except for percentages, which are rates judged against the whole value."""
    if measure == "percent":
        return HUNDRED
    return elapsed_share(ends_on, year=year)


def expected_value(committed: Decimal, share: Decimal) -> Decimal:
    """The part of ``committed`` expected at ``share`` percent."""
    if share >= HUNDRED:
        return committed
    return committed * share / HUNDRED


def _compare(actual: Decimal, committed: Decimal, lower_is_better: bool) -> Status:
    if actual == committed:
        return Status.MET
    better = actual < committed if lower_is_better else actual > committed
    return Status.EXCEEDED if better else Status.NOT_MET


def _so_far(
    actual: Decimal, expected: Decimal, committed: Decimal, lower_is_better: bool
) -> Status:
    behind = actual > expected if lower_is_better else actual < expected
    if behind:
        return Status.NOT_MET
    if not lower_is_better and actual > committed:
        return Status.EXCEEDED
    return Status.MET


def _ratio(actual: Decimal, committed: Decimal, lower_is_better: bool) -> Decimal | None:
    numerator, denominator = (committed, actual) if lower_is_better else (actual, committed)
    # A zero commitment gives no percentage in either direction: "0 %" of a promised
    # zero accidents would read as nothing achieved.
    if denominator <= 0 or numerator < 0 or committed == 0:
        return None
    return numerator / denominator


def attainment(
    *,
    measure: str,
    direction: str,
    committed: Decimal | None,
    committed_text: str = "",
    actual: Decimal | None,
    actual_text: str = "",
    share: Decimal = HUNDRED,
) -> Attainment:
    """How ``actual`` compares with the ``share`` percent of ``committed`` expected so
    far, for a target of ``measure``."""
    if measure == "text":
        if not actual_text.strip():
            return Attainment(Status.NOT_REPORTED)
        return Attainment(Status.REPORTED)
    if committed is None:
        return Attainment(Status.NO_COMMITMENT)
    if actual is None:
        return Attainment(Status.NOT_REPORTED)
    if measure == "boolean":
        promised, done = committed != 0, actual != 0
        if done == promised:
            return Attainment(Status.MET, Decimal(1) if promised else None)
        if done:
            return Attainment(Status.EXCEEDED)
        return Attainment(Status.NOT_MET if share >= HUNDRED else Status.IN_PROGRESS)
    lower_is_better = direction == "lower"
    expected = expected_value(committed, share)
    if share >= HUNDRED:
        status = _compare(actual, committed, lower_is_better)
    else:
        status = _so_far(actual, expected, committed, lower_is_better)
    return Attainment(status, _ratio(actual, expected, lower_is_better))
