"""Who may do what with a meeting. Visibility comes from the selectors."""

from clusters.permissions import can_change_clusteryear, is_staff_of
from clusters.selectors import user_scope
from meetings.models import Meeting


def can_create_meeting(user, cluster_year) -> bool:
    return can_change_clusteryear(user, cluster_year)


def can_change_meeting(user, meeting: Meeting) -> bool:
    """Secretaries edit until the minutes are approved; afterwards only staff (audited)."""
    if meeting.is_approved:
        return is_staff_of(user, meeting.cluster_year.cluster.body_id)
    return can_change_clusteryear(user, meeting.cluster_year)


def can_delete_attachment(user, attachment) -> bool:
    """Files go with the record: whoever may change the meeting may remove them."""
    return can_change_meeting(user, attachment.meeting)


def can_mark_held_meeting(user, meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.PLANNED and can_change_meeting(user, meeting)


def can_approve_meeting(user, meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.HELD and can_change_meeting(user, meeting)


def can_reopen_meeting(user, meeting: Meeting) -> bool:
    return meeting.is_approved and is_staff_of(user, meeting.cluster_year.cluster.body_id)


def can_update_task(user, conclusion) -> bool:
    """Marking a follow-up task done is work of the cluster, even on approved minutes.

    Tasks carry over to later meetings (often of the next year), so a secretary of any
    year of the cluster may close them, not only one of the task's own year.
    """
    cluster = conclusion.meeting.cluster_year.cluster
    if is_staff_of(user, cluster.body_id):
        return True
    return cluster.pk in user_scope(user).secretary_cluster_ids
