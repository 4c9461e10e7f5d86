"""Who may change a meeting at each status (the checks read the cached scope: no queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import permissions
from meetings.models import Meeting
from tests.factories.meetings import ConclusionFactory

pytestmark = pytest.mark.django_db

CHECKS = ["change", "mark_held", "approve", "reopen"]

# status: {user: (change, mark held, approve, reopen)}
EXPECTED = {
    Meeting.Status.PLANNED: {
        "staff": (True, True, False, False),
        "secretary": (True, True, False, False),
        "viewer": (False, False, False, False),
        "outsider": (False, False, False, False),
    },
    Meeting.Status.HELD: {
        "staff": (True, False, True, False),
        "secretary": (True, False, True, False),
        "viewer": (False, False, False, False),
        "outsider": (False, False, False, False),
    },
    Meeting.Status.APPROVED: {
        "staff": (True, False, False, True),
        "secretary": (False, False, False, False),
        "viewer": (False, False, False, False),
        "outsider": (False, False, False, False),
    },
}


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_role_may_do_what_the_status_allows(
    status, meeting, staff, secretary, viewer, outsider
):
    meeting.status = status
    users = {"staff": staff, "secretary": secretary, "viewer": viewer, "outsider": outsider}
    for user in users.values():
        permissions.can_change_meeting(user, meeting)  # load each scope once
    with CaptureQueriesContext(connection) as queries:
        found = {
            name: tuple(
                getattr(permissions, f"can_{check}_meeting")(user, meeting) for check in CHECKS
            )
            for name, user in users.items()
        }
    assert found == EXPECTED[status]
    assert len(queries) == 0


def test_only_staff_and_the_clusters_secretaries_may_close_a_task(
    meeting, staff, secretary, viewer, outsider, units
):
    task = ConclusionFactory(meeting=meeting, is_task=True, owner=units[0])
    assert [
        permissions.can_update_task(user, task) for user in (staff, secretary, viewer, outsider)
    ] == [True, True, False, False]


def test_creating_a_meeting_is_for_staff_and_the_years_secretaries(
    cluster_year, staff, secretary, viewer, outsider
):
    assert [
        permissions.can_create_meeting(user, cluster_year)
        for user in (staff, secretary, viewer, outsider)
    ] == [True, True, False, False]
