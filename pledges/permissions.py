"""Who may do what with a pledge. Visibility itself comes from the selectors."""

from clusters.permissions import can_change_clusteryear, is_staff_anywhere, is_staff_of
from pledges.models import Movement, Period, Pledge


def can_create_pledge(user, cluster_year) -> bool:
    return can_change_clusteryear(user, cluster_year)


def can_change_pledge(user, pledge: Pledge) -> bool:
    """Secretaries edit a draft; once signed, only staff may correct it (audited)."""
    cluster_year = pledge.cluster_year
    if pledge.is_signed:
        return is_staff_of(user, cluster_year.cluster.body_id)
    return can_change_clusteryear(user, cluster_year)


def can_sign_pledge(user, pledge: Pledge) -> bool:
    return not pledge.is_signed and can_change_clusteryear(user, pledge.cluster_year)


def can_reopen_pledge(user, pledge: Pledge) -> bool:
    return pledge.is_signed and is_staff_of(user, pledge.cluster_year.cluster.body_id)


def can_record_signatures(user, pledge: Pledge) -> bool:
    """Which members signed is recorded by the year's secretaries, before and after the
    pledge is marked signed (late signatures come in)."""
    return can_change_clusteryear(user, pledge.cluster_year)


def can_create_period(user, pledge: Pledge) -> bool:
    """Progress periods are added all year long, signed pledge or not."""
    return can_change_clusteryear(user, pledge.cluster_year)


def can_enter_results(user, period: Period) -> bool:
    """Results are reported all year long, signed pledge or not."""
    return can_change_clusteryear(user, period.pledge.cluster_year)


def can_set_expectations(user, period: Period) -> bool:
    """The share of each commitment expected by a period is the cluster's choice, made by
    the year's secretaries (or staff) like its results."""
    return can_change_clusteryear(user, period.pledge.cluster_year)


def can_create_movement(user, obj=None) -> bool:
    return is_staff_anywhere(user)


def can_change_movement(user, movement: Movement) -> bool:
    if movement.body_id is None:
        return user.is_superuser
    return is_staff_of(user, movement.body_id)
