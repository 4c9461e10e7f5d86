"""Who may do what with a criteria sheet, in every state."""

import pytest

from scoring import permissions
from scoring.models import CriteriaSheet, Level


def _with_status(sheet, status):
    sheet.status = status
    return sheet


@pytest.fixture
def people(staff, secretary, viewer, other_secretary, superuser):
    return {
        "staff": staff,
        "secretary": secretary,
        "viewer": viewer,
        "other_secretary": other_secretary,
        "superuser": superuser,
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (CriteriaSheet.Status.DRAFT, {"staff", "secretary", "superuser"}),
        (CriteriaSheet.Status.SCORING, set()),
        (CriteriaSheet.Status.APPROVED, set()),
    ],
)
def test_the_sheet_is_edited_by_staff_and_its_secretaries_while_a_draft(
    sheet, people, status, expected
):
    _with_status(sheet, status)

    allowed = {
        who for who, user in people.items() if permissions.can_change_criteriasheet(user, sheet)
    }

    assert allowed == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (CriteriaSheet.Status.DRAFT, {"staff", "secretary", "superuser"}),
        (CriteriaSheet.Status.SCORING, {"staff", "secretary", "superuser"}),
        (CriteriaSheet.Status.APPROVED, set()),
    ],
)
def test_scores_are_entered_until_approval_then_frozen_for_everyone(
    sheet, people, status, expected
):
    _with_status(sheet, status)

    allowed = {
        who for who, user in people.items() if permissions.can_score_criteriasheet(user, sheet)
    }

    assert allowed == expected


def test_board_scores_are_for_staff_until_approval(sheet, people):
    for status in CriteriaSheet.Status:
        _with_status(sheet, status)
        allowed = {
            who for who, user in people.items() if permissions.can_verify_criteriasheet(user, sheet)
        }
        expected = set() if status == CriteriaSheet.Status.APPROVED else {"staff", "superuser"}
        assert allowed == expected
        frozen = {
            who for who, user in people.items() if permissions.frozen_criteriasheet(user, sheet)
        }
        assert frozen == (set(people) if status == CriteriaSheet.Status.APPROVED else set())


def test_levels_a_user_may_enter(sheet, staff, secretary, viewer):
    assert permissions.levels_for(staff, sheet) == [Level.SELF, Level.CLUSTER, Level.BOARD]
    assert permissions.levels_for(secretary, sheet) == [Level.SELF, Level.CLUSTER]
    assert permissions.levels_for(viewer, sheet) == []
    _with_status(sheet, CriteriaSheet.Status.APPROVED)
    assert permissions.levels_for(secretary, sheet) == []
    assert permissions.levels_for(staff, sheet) == []


def test_approval_is_recorded_while_scoring_and_reopened_by_staff(sheet, staff, secretary, viewer):
    _with_status(sheet, CriteriaSheet.Status.SCORING)
    assert permissions.can_approve_criteriasheet(secretary, sheet)
    assert not permissions.can_approve_criteriasheet(viewer, sheet)
    assert not permissions.can_reopen_criteriasheet(staff, sheet)
    assert permissions.can_unlock_criteriasheet(staff, sheet)
    assert not permissions.can_unlock_criteriasheet(secretary, sheet)

    _with_status(sheet, CriteriaSheet.Status.APPROVED)
    assert not permissions.can_approve_criteriasheet(staff, sheet)
    assert permissions.can_reopen_criteriasheet(staff, sheet)
    assert not permissions.can_reopen_criteriasheet(secretary, sheet)
