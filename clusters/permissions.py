"""Named permission checks: ``can_<verb>_<model>(user, obj) -> bool``.

They read the user's cached scope (see ``selectors.user_scope``), so calling them in a
loop or a template costs no queries. Visibility itself is decided by the selectors;
these decide what a user who can see an object may do with it.
"""

from clusters.models import Cluster, ClusterYear, Unit
from clusters.selectors import user_scope


def is_staff_of(user, body_id: int) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or body_id in scope.staff_body_ids


def is_staff_anywhere(user) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.staff_body_ids)


def can_create_cluster(user, obj=None) -> bool:
    return is_staff_anywhere(user)


def can_change_cluster(user, cluster: Cluster) -> bool:
    return is_staff_of(user, cluster.body_id)


def can_create_clusteryear(user, cluster: Cluster) -> bool:
    return is_staff_of(user, cluster.body_id)


def can_change_clusteryear(user, cluster_year: ClusterYear) -> bool:
    """Staff of the body, or a secretary assigned to this very year."""
    if is_staff_of(user, cluster_year.cluster.body_id):
        return True
    return cluster_year.pk in user_scope(user).secretary_year_ids


def can_assign_secretaries(user, cluster_year: ClusterYear) -> bool:
    """Only staff give secretaries access to a year."""
    return is_staff_of(user, cluster_year.cluster.body_id)


def can_roll_over_clusteryear(user, cluster_year: ClusterYear) -> bool:
    return is_staff_of(user, cluster_year.cluster.body_id)


def can_create_unit(user, obj=None) -> bool:
    return is_staff_anywhere(user)


def can_change_unit(user, unit: Unit) -> bool:
    return is_staff_of(user, unit.body_id)


def can_manage_accounts(user, obj=None) -> bool:
    return is_staff_anywhere(user)


def can_create_person(user, obj=None) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.staff_body_ids or scope.secretary_body_ids)


def can_change_person(user, person) -> bool:
    """Staff of the register, or a secretary of one of its clusters (they record meetings)."""
    scope = user_scope(user)
    return is_staff_of(user, person.body_id) or person.body_id in scope.secretary_body_ids


def can_view_rule_sets(user, obj=None) -> bool:
    """Staff read the rule sets their votes follow."""
    return is_staff_anywhere(user)


def can_create_ruleset(user, obj=None) -> bool:
    """Staff make rule sets for their bodies; a superuser makes national ones too."""
    return is_staff_anywhere(user)


def can_change_ruleset(user, rule_set) -> bool:
    """Staff of the rule set's body; a national rule set only a superuser."""
    if rule_set.body_id is None:
        return user_scope(user).is_superuser
    return is_staff_of(user, rule_set.body_id)


def can_create_award_type(user, obj=None) -> bool:
    """Staff add award types to their bodies' lists, as they make rule sets."""
    return can_create_ruleset(user)


def can_change_award_type(user, award_type) -> bool:
    """As a rule set of the same list (both read only ``body_id``): staff of its body, a
    national one only a superuser."""
    return can_change_ruleset(user, award_type)
