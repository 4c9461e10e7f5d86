"""Who may do what with a criteria sheet and its scores. Visibility comes from the selectors.

- Staff of the body and the year's secretaries draw up the sheet while it is a draft and
  enter self- and cluster-level scores until the ranking is approved.
- Board-verified scores (Ban TĐKT) are entered by staff only.
- An approved ranking is frozen for everyone: staff reopen it with a written reason, and
  it must then be approved again.
- Viewers read.
"""

from django.utils.translation import gettext as _

from clusters.permissions import can_change_clusteryear, is_staff_of
from scoring.models import CriteriaSheet, Level


def _is_staff(user, sheet: CriteriaSheet) -> bool:
    return is_staff_of(user, sheet.cluster_year.cluster.body_id)


def can_create_criteriasheet(user, cluster_year) -> bool:
    return can_change_clusteryear(user, cluster_year)


def can_change_criteriasheet(user, sheet: CriteriaSheet) -> bool:
    """Edit the criteria and settings: only while the sheet is a draft."""
    return not sheet.is_locked and can_change_clusteryear(user, sheet.cluster_year)


def can_unlock_criteriasheet(user, sheet: CriteriaSheet) -> bool:
    return sheet.status == CriteriaSheet.Status.SCORING and _is_staff(user, sheet)


def can_score_criteriasheet(user, sheet: CriteriaSheet) -> bool:
    """Enter self- and cluster-level scores, until the ranking is approved."""
    return not sheet.is_approved and can_change_clusteryear(user, sheet.cluster_year)


def can_verify_criteriasheet(user, sheet: CriteriaSheet) -> bool:
    """Enter board-verified scores: the Ban TĐKT, i.e. staff of the body, until the
    ranking is approved."""
    return not sheet.is_approved and _is_staff(user, sheet)


def frozen_criteriasheet(user, sheet: CriteriaSheet) -> str:
    """Why an approved ranking's scores cannot change, and what to do; "" otherwise."""
    if not sheet.is_approved:
        return ""
    approved = _("The ranking was approved and its scores can no longer be changed.")
    if can_reopen_criteriasheet(user, sheet):
        return f"{approved} " + _(
            "Reopen it first, giving the reason; it must then be approved again."
        )
    return f"{approved} " + _(
        "Ask the staff of the Emulation and Commendation Board to reopen the ranking if it "
        "must change."
    )


def can_approve_criteriasheet(user, sheet: CriteriaSheet) -> bool:
    return sheet.status == CriteriaSheet.Status.SCORING and can_change_clusteryear(
        user, sheet.cluster_year
    )


def can_reopen_criteriasheet(user, sheet: CriteriaSheet) -> bool:
    return sheet.is_approved and _is_staff(user, sheet)


def levels_for(user, sheet: CriteriaSheet) -> list[Level]:
    """The score levels ``user`` may enter on ``sheet``, in order."""
    levels = []
    if can_score_criteriasheet(user, sheet):
        levels += [Level.SELF, Level.CLUSTER]
    if can_verify_criteriasheet(user, sheet):
        levels.append(Level.BOARD)
    return levels
