"""Named permission checks of the awards: who proposes, who acts at which level of the
approval chain, who records decisions. They read the user's cached scope, so they cost
no queries; visibility itself is decided by ``awards.selectors``."""

from awards.models import Award
from clusters.models import Stage
from clusters.permissions import can_change_clusteryear, can_change_person, is_staff_of
from clusters.selectors import user_scope

Status = Award.Status


def _is_council_of(user, body_id: int) -> bool:
    return body_id in user_scope(user).council_body_ids or is_staff_of(user, body_id)


def _is_office_of(user, body_id: int) -> bool:
    return body_id in user_scope(user).office_body_ids or is_staff_of(user, body_id)


def can_create_award(user, cluster_year=None) -> bool:
    """Staff of the body, or the secretary of the cluster year proposing."""
    if cluster_year is None:
        scope = user_scope(user)
        return scope.is_superuser or bool(scope.staff_body_ids or scope.secretary_year_ids)
    return can_change_clusteryear(user, cluster_year)


def _proposer(user, award: Award) -> bool:
    if is_staff_of(user, award.body_id):
        return True
    return award.cluster_year_id in user_scope(user).secretary_year_ids


def can_change_award(user, award: Award) -> bool:
    """A proposal not yet sent (or sent back) is edited by whoever proposes it."""
    return award.is_open and _proposer(user, award)


def can_submit_award(user, award: Award) -> bool:
    return award.is_open and _proposer(user, award)


def can_act_on_award(user, award: Award) -> bool:
    """Accept (send up), return or reject at the level that holds the award now."""
    if award.status != Status.SUBMITTED:
        return False
    if award.stage == Stage.COUNCIL:
        return _is_council_of(user, award.body_id)
    if award.stage == Stage.AUTHORITY:
        return _is_office_of(user, award.body_id)
    return is_staff_of(user, award.body_id)


def can_decide_award(user, award: Award) -> bool:
    """Record the deciding authority's decision: the award waits at the last level."""
    return (
        award.status == Status.SUBMITTED
        and award.stage == Stage.AUTHORITY
        and _is_office_of(user, award.body_id)
    )


def can_present_award(user, award: Award) -> bool:
    return award.status == Status.DECIDED and _proposer(user, award)


def can_override_award(user, award: Award) -> bool:
    """Only the Ban TĐKT accepts a warning, with a written reason."""
    return award.is_open and is_staff_of(user, award.body_id)


def can_create_decision(user, body=None) -> bool:
    scope = user_scope(user)
    if body is None:
        return scope.is_superuser or bool(scope.staff_body_ids or scope.office_body_ids)
    return _is_office_of(user, body.pk)


def can_change_decision(user, decision) -> bool:
    return _is_office_of(user, decision.body_id)


def can_change_initiatives(user, person) -> bool:
    return can_change_person(user, person)


def can_report_award_counts(user, cluster_year) -> bool:
    return can_change_clusteryear(user, cluster_year)


def can_import_awards(user, body=None) -> bool:
    scope = user_scope(user)
    if body is None:
        return scope.is_superuser or bool(scope.staff_body_ids)
    return is_staff_of(user, body.pk)


def can_view_award_statistics(user, obj=None) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(
        scope.reading_body_ids | scope.council_body_ids | scope.office_body_ids
    )
