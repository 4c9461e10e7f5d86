"""Who may do what with a pledge. Visibility itself comes from the selectors."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusters.permissions import can_change_clusteryear, is_staff_anywhere, is_staff_of
from pledges.models import Movement, Period, Pledge


def can_create_pledge(user, cluster_year) -> bool:
    return can_change_clusteryear(user, cluster_year)


def can_change_pledge(user, pledge: Pledge) -> bool:
    """The year's secretaries and staff edit a draft. A signed pledge is frozen for
    everyone: what was signed stays what prints until staff reopen it (``frozen_pledge``)."""
    return not pledge.is_signed and can_change_clusteryear(user, pledge.cluster_year)


def frozen_pledge(user, pledge: Pledge) -> str:
    """Why a signed pledge (its text, targets and commitments) cannot change, and what to
    do about it; "" for a draft."""
    if not pledge.is_signed:
        return ""
    signed = (
        _("This pledge was signed on %(date)s and can no longer be changed.")
        % {"date": date_format(pledge.signed_on, "SHORT_DATE_FORMAT")}
        if pledge.signed_on
        else _("This pledge was signed and can no longer be changed.")
    )
    if can_reopen_pledge(user, pledge):
        return f"{signed} " + _("Reopen it first, giving the reason; it must then be signed again.")
    return f"{signed} " + _(
        "Ask the staff of the Emulation and Commendation Board to reopen it if it must change."
    )


def can_record_registrations(user, pledge: Pledge) -> bool:
    """Title registrations are not part of the signed text: the year's secretaries record
    them before and after the signing (counts come in late)."""
    return can_change_clusteryear(user, pledge.cluster_year)


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
