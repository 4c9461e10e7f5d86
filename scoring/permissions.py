"""Who may do what with a criteria sheet and its scores. Visibility comes from the selectors.

- Staff of the body and the year's secretaries draw up the sheet while it is a draft and
  enter self- and cluster-level scores until the ranking is approved.
- Board-verified scores (Ban TĐKT) are entered by staff only.
- After approval only staff change scores, each change with a reason; staff may reopen.
- Viewers read.
"""

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
    """Enter self- and cluster-level scores (after approval: staff, with a reason)."""
    if sheet.is_approved:
        return _is_staff(user, sheet)
    return can_change_clusteryear(user, sheet.cluster_year)


def can_verify_criteriasheet(user, sheet: CriteriaSheet) -> bool:
    """Enter board-verified scores: the Ban TĐKT, i.e. staff of the body."""
    return _is_staff(user, sheet)


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
