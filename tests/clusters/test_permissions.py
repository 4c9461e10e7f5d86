import pytest

from clusters import permissions
from tests.factories import ClusterYearFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(cluster_year, units):
    """The year the secretary is assigned to, another year of its cluster, a unit."""
    return {
        "cluster": cluster_year.cluster,
        "year": cluster_year,
        "other_year": ClusterYearFactory(cluster=cluster_year.cluster, year=2024),
        "unit": units[0],
    }


def abilities(user, objects) -> dict[str, bool]:
    return {
        "create_cluster": permissions.can_create_cluster(user),
        "change_cluster": permissions.can_change_cluster(user, objects["cluster"]),
        "create_clusteryear": permissions.can_create_clusteryear(user, objects["cluster"]),
        "change_year": permissions.can_change_clusteryear(user, objects["year"]),
        "change_other_year": permissions.can_change_clusteryear(user, objects["other_year"]),
        "roll_over": permissions.can_roll_over_clusteryear(user, objects["year"]),
        "create_unit": permissions.can_create_unit(user),
        "change_unit": permissions.can_change_unit(user, objects["unit"]),
        "manage_accounts": permissions.can_manage_accounts(user),
    }


def test_staff_may_change_everything_of_their_body(objects, staff):
    assert set(abilities(staff, objects).values()) == {True}


def test_a_superuser_may_change_everything(objects, superuser):
    assert set(abilities(superuser, objects).values()) == {True}


def test_a_secretary_may_change_only_their_assigned_year(objects, secretary):
    assert abilities(secretary, objects) == {
        "create_cluster": False,
        "change_cluster": False,
        "create_clusteryear": False,
        "change_year": True,
        "change_other_year": False,
        "roll_over": False,
        "create_unit": False,
        "change_unit": False,
        "manage_accounts": False,
    }


def test_a_viewer_may_change_nothing(objects, viewer):
    assert set(abilities(viewer, objects).values()) == {False}


def test_staff_of_another_body_may_change_nothing_here_but_manage_their_own(objects, outsider):
    assert abilities(outsider, objects) == {
        "create_cluster": True,
        "change_cluster": False,
        "create_clusteryear": False,
        "change_year": False,
        "change_other_year": False,
        "roll_over": False,
        "create_unit": True,
        "change_unit": False,
        "manage_accounts": True,
    }


def test_permission_checks_cost_no_query_once_the_scope_is_loaded(
    objects, secretary, django_assert_num_queries
):
    abilities(secretary, objects)
    with django_assert_num_queries(0):
        abilities(secretary, objects)
        permissions.can_change_unit(secretary, UnitFactory.build(body=objects["cluster"].body))
