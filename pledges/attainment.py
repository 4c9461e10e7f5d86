"""Attainment of a target: the actual value against the commitment.

Pure functions, no database. Status rules:
- numbers and percentages: exceeded / met / not met by comparing actual and committed
  in the target's direction; the ratio (shown as a percentage) is actual ÷ committed,
  inverted (committed ÷ actual) when lower is better, and only when it means something
  (no division by zero, no negative bases);
- yes/no: met when the answer is what was committed, exceeded when "yes" was reported
  for something not committed, not met when a committed "yes" is reported "no";
- text: reported or not, never judged;
- a missing commitment or a missing result gives "no commitment" / "not reported".
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


class Status(StrEnum):
    EXCEEDED = "exceeded"
    MET = "met"
    NOT_MET = "not_met"
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


def _compare(actual: Decimal, committed: Decimal, lower_is_better: bool) -> Status:
    if actual == committed:
        return Status.MET
    better = actual < committed if lower_is_better else actual > committed
    return Status.EXCEEDED if better else Status.NOT_MET


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
) -> Attainment:
    """How ``actual`` compares with ``committed`` for a target of ``measure``."""
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
        return Attainment(Status.EXCEEDED if done else Status.NOT_MET)
    lower_is_better = direction == "lower"
    return Attainment(
        _compare(actual, committed, lower_is_better), _ratio(actual, committed, lower_is_better)
    )
