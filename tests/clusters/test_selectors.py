import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from clusters import selectors
from clusters.models import Cluster, ClusterMember, ClusterYear, Role, Unit
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    RoleFactory,
    UnitFactory,
    UnitSuccessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(body, cluster, cluster_year, other_cluster):
    """Two clusters of ``body`` (one with two years) and one of another body."""
    second_year = ClusterYearFactory(cluster=cluster, year=2024)
    bloc = ClusterFactory(body=body, name="Khối thi đua các sở, ban, ngành")
    bloc_year = ClusterYearFactory(cluster=bloc, year=2023)
    return {
        "cluster": cluster,
        "bloc": bloc,
        "other": other_cluster,
        "years": {cluster_year, second_year},
        "bloc_year": bloc_year,
        "other_year": other_cluster.years.get(),
    }


def names(queryset) -> set[str]:
    return {str(obj) for obj in queryset}


def test_a_superuser_sees_every_body(world, superuser):
    assert set(selectors.clusters_for_user(superuser)) == {
        world["cluster"],
        world["bloc"],
        world["other"],
    }
    assert set(selectors.cluster_years_for_user(superuser)) == {
        *world["years"],
        world["bloc_year"],
        world["other_year"],
    }
    assert names(selectors.units_for_user(superuser)) == {
        "Huyện Na Rì",
        "Huyện Ba Bể",
        "Huyện Pác Nặm",
        "Huyện Bắc Hà",
    }


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_staff_and_viewers_see_their_whole_body_and_nothing_else(world, request, who):
    user = request.getfixturevalue(who)
    assert set(selectors.clusters_for_user(user)) == {world["cluster"], world["bloc"]}
    assert set(selectors.cluster_years_for_user(user)) == {*world["years"], world["bloc_year"]}
    assert names(selectors.units_for_user(user)) == {"Huyện Na Rì", "Huyện Ba Bể", "Huyện Pác Nặm"}


def test_a_secretary_sees_their_cluster_with_all_its_years_but_not_other_clusters(world, secretary):
    assert list(selectors.clusters_for_user(secretary)) == [world["cluster"]]
    assert set(selectors.cluster_years_for_user(secretary)) == world["years"]
    assert names(selectors.units_for_user(secretary)) == {
        "Huyện Na Rì",
        "Huyện Ba Bể",
        "Huyện Pác Nặm",
    }


@pytest.mark.parametrize("who", ["staff", "secretary", "outsider", "superuser"])
def test_one_rule_decides_from_a_cluster_a_year_or_a_meeting(world, request, who):
    from meetings.models import Meeting
    from tests.factories.meetings import MeetingFactory

    user = request.getfixturevalue(who)
    for year in [*world["years"], world["bloc_year"], world["other_year"]]:
        MeetingFactory(cluster_year=year)
    visible = set(Cluster.objects.filter(selectors.visible_clusters_q(user)))

    years = ClusterYear.objects.filter(selectors.visible_clusters_q(user, "cluster"))
    meetings = Meeting.objects.filter(selectors.visible_clusters_q(user, "cluster_year__cluster"))

    assert visible == set(selectors.clusters_for_user(user))
    assert {year.cluster for year in years} == visible
    assert {meeting.cluster_year.cluster for meeting in meetings} == visible


def test_an_outsider_sees_nothing_of_the_body(world, outsider):
    assert list(selectors.clusters_for_user(outsider)) == [world["other"]]
    assert list(selectors.cluster_years_for_user(outsider)) == [world["other_year"]]
    assert names(selectors.units_for_user(outsider)) == {"Huyện Bắc Hà"}


def test_an_anonymous_or_inactive_user_sees_nothing(world, staff):
    staff.is_active = False
    staff.save()
    inactive = type(staff).objects.get(pk=staff.pk)
    for user in (AnonymousUser(), inactive):
        assert not selectors.clusters_for_user(user).exists()
        assert not selectors.cluster_years_for_user(user).exists()
        assert not selectors.units_for_user(user).exists()


def test_a_user_with_no_role_sees_nothing(world):
    user = UserFactory()
    assert not selectors.clusters_for_user(user).exists()
    assert not selectors.units_for_user(user).exists()


def test_a_secretary_without_an_assigned_year_reads_only_the_register(world, body):
    user = RoleFactory(body=body, kind=Role.Kind.SECRETARY).user
    assert not selectors.clusters_for_user(user).exists()
    assert names(selectors.units_for_user(user)) == {"Huyện Na Rì", "Huyện Ba Bể", "Huyện Pác Nặm"}


def test_the_scope_is_loaded_once_per_request_user(
    world, staff, other_body, django_assert_num_queries
):
    with django_assert_num_queries(1):
        selectors.user_scope(staff)
    with django_assert_num_queries(0):
        selectors.user_scope(staff)
    RoleFactory(user=staff, body=other_body, kind=Role.Kind.VIEWER)
    assert world["other"] not in selectors.clusters_for_user(staff)
    next_request_user = type(staff).objects.get(pk=staff.pk)
    assert world["other"] in selectors.clusters_for_user(next_request_user)
    # Each user's query is compiled once and kept: another user's is their own.
    stranger = RoleFactory(body=other_body, kind=Role.Kind.STAFF).user
    assert selectors.user_scope(stranger).staff_body_ids == {other_body.pk}
    staff_bodies = set(
        Role.objects.filter(user=staff, kind=Role.Kind.STAFF).values_list("body", flat=True)
    )
    assert selectors.user_scope(next_request_user).staff_body_ids == staff_bodies


def test_staff_bodies_are_only_the_bodies_a_user_manages(body, other_body, viewer):
    RoleFactory(user=viewer, body=other_body, kind=Role.Kind.STAFF)
    assert list(selectors.staff_bodies_for_user(viewer)) == [other_body]


# --- Successions -------------------------------------------------------------------


@pytest.fixture
def generations(body):
    """Huyện A → Huyện B → Huyện C → Huyện D, and Huyện A2 → Huyện B (a merger)."""
    units = {key: UnitFactory(body=body, name=f"Huyện {key}") for key in ("A", "A2", "B", "C", "D")}
    for old, new in (("A", "B"), ("A2", "B"), ("B", "C"), ("C", "D")):
        UnitSuccessionFactory(predecessor=units[old], successor=units[new])
    return units


def pairs(links) -> list[tuple[str, str]]:
    return sorted((link.predecessor.name, link.successor.name) for link in links)


def test_successor_chain_follows_three_generations(generations):
    assert pairs(selectors.successor_chain(generations["A"])) == [
        ("Huyện A", "Huyện B"),
        ("Huyện B", "Huyện C"),
        ("Huyện C", "Huyện D"),
    ]
    assert pairs(selectors.successor_chain(generations["D"])) == []


def test_predecessor_chain_follows_three_generations(generations):
    assert pairs(selectors.predecessor_chain(generations["D"])) == [
        ("Huyện A", "Huyện B"),
        ("Huyện A2", "Huyện B"),
        ("Huyện B", "Huyện C"),
        ("Huyện C", "Huyện D"),
    ]
    assert pairs(selectors.predecessor_chain(generations["B"])) == [
        ("Huyện A", "Huyện B"),
        ("Huyện A2", "Huyện B"),
    ]


def test_descendants_are_every_later_unit(generations):
    ids = selectors.descendants_ids(generations["A"].pk)
    assert ids == {generations[key].pk for key in ("B", "C", "D")}


# --- Years, members and the dashboard ------------------------------------------------


def test_members_of_lists_head_then_deputy_then_the_others_in_order(cluster_year, body):
    ClusterMemberFactory(
        cluster_year=cluster_year, unit=UnitFactory(body=body, name="Huyện Ân Thi")
    )
    assert [(member.unit.name, member.role) for member in selectors.members_of(cluster_year)] == [
        ("Huyện Na Rì", "head"),
        ("Huyện Pác Nặm", "deputy"),
        ("Huyện Ân Thi", "member"),
        ("Huyện Ba Bể", "member"),
    ]


def test_with_leaders_counts_members_and_finds_head_and_deputy(
    cluster_year, django_assert_num_queries
):
    with django_assert_num_queries(2):
        loaded = list(selectors.with_leaders(type(cluster_year).objects.all()))
    with django_assert_num_queries(0):
        head, deputy = selectors.leaders_of(loaded[0])
    assert (loaded[0].member_count, head.name, deputy.name) == (3, "Huyện Na Rì", "Huyện Pác Nặm")


def test_leaders_in_reads_head_and_deputy_from_loaded_members(
    cluster_year, django_assert_num_queries
):
    members = selectors.member_list(cluster_year)
    with django_assert_num_queries(0):
        head, deputy = selectors.leaders_in(members)
    assert (head.name, deputy.name) == ("Huyện Na Rì", "Huyện Pác Nặm")


def test_a_year_without_leaders_has_neither(cluster_year):
    cluster_year.members.exclude(role="member").update(role="member")
    assert selectors.leaders_in(selectors.members_of(cluster_year)) == (None, None)


def test_units_for_cluster_year_offers_active_units_of_the_register(
    cluster, units, body, other_body
):
    UnitFactory(body=body, name="Huyện Cũ", active_to=datetime.date(2020, 12, 31))
    UnitFactory(body=other_body, name="Huyện Bắc Hà")
    assert [unit.name for unit in selectors.units_for_cluster_year(cluster, 2023)] == [
        "Huyện Ba Bể",
        "Huyện Na Rì",
        "Huyện Pác Nặm",
    ]
    assert "Huyện Cũ" in names(selectors.units_for_cluster_year(cluster, None))


def test_dashboard_rows_pick_the_year_asked_or_the_latest_earlier_one(
    staff, cluster, cluster_year, body, django_assert_max_num_queries
):
    bloc = ClusterFactory(body=body, name="Khối thi đua các sở")
    ClusterYearFactory(cluster=bloc, year=2021)
    ClusterYearFactory(cluster=bloc, year=2022)
    ClusterYearFactory(cluster=bloc, year=2025)
    empty = ClusterFactory(body=body, name="Cụm thi đua chưa có năm")
    selectors.user_scope(staff)
    with django_assert_max_num_queries(3):
        rows = selectors.dashboard_rows(staff, year=2023)
    summary = [
        (row["cluster"].name, row["year"] and row["year"].year, row["is_current"]) for row in rows
    ]
    # "các" < "chưa" (a < h): Vietnamese order of the cluster names.
    assert summary == [
        ("Cụm thi đua các huyện, thành phố", 2023, True),
        ("Cụm thi đua chưa có năm", None, False),
        ("Khối thi đua các sở", 2022, False),
    ]
    assert rows[1]["cluster"] == empty
    current = rows[0]["year"]
    assert selectors.leaders_of(current)[0].name == "Huyện Na Rì"
    assert current.member_count == 3


def test_dashboard_rows_ignore_later_years(staff, cluster_year):
    rows = selectors.dashboard_rows(staff, year=2022)
    assert [(row["cluster"], row["year"], row["is_current"]) for row in rows] == [
        (cluster_year.cluster, None, False)
    ]


def test_years_for_user_choices_are_distinct_and_newest_first(staff, cluster, cluster_year, body):
    ClusterYearFactory(cluster=cluster, year=2021)
    ClusterYearFactory(cluster=ClusterFactory(body=body), year=2023)
    assert selectors.years_for_user_choices(staff) == [2023, 2021]


def test_memberships_of_lists_a_units_years_newest_first(staff, cluster, cluster_year, units):
    earlier = ClusterYearFactory(cluster=cluster, year=2022)
    ClusterMemberFactory(cluster_year=earlier, unit=units[0], role=ClusterMember.Role.DEPUTY)
    memberships = selectors.memberships_of(units[0], user=staff)
    assert [(m.cluster_year.year, m.role) for m in memberships] == [
        (2023, "head"),
        (2022, "deputy"),
    ]


def test_memberships_of_leaves_out_clusters_the_user_may_not_see(
    secretary, body, cluster_year, units
):
    other = ClusterYearFactory(cluster=ClusterFactory(body=body), year=2023)
    ClusterMemberFactory(cluster_year=other, unit=units[0])
    memberships = selectors.memberships_of(units[0], user=secretary)
    assert [m.cluster_year for m in memberships] == [cluster_year]


# --- Search and accounts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("na ri", ["Huyện Na Rì"]),
        ("NA RÌ", ["Huyện Na Rì"]),
        ("  huyen   ri ", ["Huyện Na Rì"]),
        ("huyen", ["Huyện Ba Bể", "Huyện Na Rì", "Huyện Pác Nặm"]),
        ("nam pac", ["Huyện Pác Nặm"]),
        ("na bac", []),
    ],
)
def test_search_filter_matches_every_word_in_any_order(units, query, found):
    condition = selectors.search_filter(query)
    assert [unit.name for unit in Unit.objects.filter(condition)] == found


def test_search_filter_ignores_an_empty_query():
    assert selectors.search_filter("   ") is None


def test_accounts_for_user_lists_the_roles_of_the_bodies_managed(
    staff, viewer, outsider, superuser
):
    assert [role.user.username for role in selectors.accounts_for_user(staff)] == [
        "staff",
        "viewer",
    ]
    assert [role.user.username for role in selectors.accounts_for_user(viewer)] == []
    assert [role.user.username for role in selectors.accounts_for_user(superuser)] == [
        "staff",
        "viewer",
        "outsider",
    ]


def test_secretary_candidates_are_the_active_accounts_of_the_body(cluster, staff, viewer, outsider):
    viewer.is_active = False
    viewer.save()
    assert list(selectors.secretary_candidates(cluster)) == [staff]


def test_removing_a_secretarys_role_revokes_their_access(secretary, cluster_year):
    from clusters.models import Role
    from clusters.selectors import cluster_years_for_user

    assert list(cluster_years_for_user(secretary)) == [cluster_year]
    Role.objects.filter(user=secretary).delete()
    next_request_user = type(secretary).objects.get(pk=secretary.pk)

    assert list(cluster_years_for_user(next_request_user)) == []
