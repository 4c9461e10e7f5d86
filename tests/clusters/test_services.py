import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from clusters import services
from clusters.models import ClusterMember, ClusterYear, Role, Unit, UnitSuccession
from tests.factories import (
    RoleFactory,
    UnitFactory,
    UnitSuccessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MERGED = datetime.date(2025, 6, 30)


def roles_of(cluster_year) -> dict[str, str]:
    return {row.unit.name: row.role for row in cluster_year.members.select_related("unit")}


def counts() -> tuple[int, int]:
    return ClusterYear.objects.count(), ClusterMember.objects.count()


@pytest.fixture
def four_units(body):
    return [
        UnitFactory(body=body, name="Thành phố Bắc Kạn"),
        UnitFactory(body=body, name="Huyện Na Rì"),
        UnitFactory(body=body, name="Huyện Pác Nặm"),
        UnitFactory(body=body, name="Huyện Ba Bể"),
    ]


# --- Units -------------------------------------------------------------------------


def test_unit_create_adds_a_unit_to_the_register(body):
    unit = services.unit_create(
        body=body, kind=Unit.Kind.DISTRICT, name="Huyện Na Rì", short_name=None, code=None
    )
    unit.refresh_from_db()
    assert (unit.body, unit.name, unit.short_name, unit.code) == (body, "Huyện Na Rì", "", "")
    assert unit.search_text == "| huyen na ri |"


def test_unit_create_refuses_a_duplicate_code(body):
    services.unit_create(body=body, kind=Unit.Kind.DISTRICT, name="Huyện A", code="001")
    with pytest.raises(ValidationError):
        services.unit_create(body=body, kind=Unit.Kind.DISTRICT, name="Huyện B", code="001")
    assert Unit.objects.count() == 1


def test_unit_create_refuses_an_end_before_the_start(body):
    with pytest.raises(ValidationError):
        services.unit_create(
            body=body,
            kind=Unit.Kind.DISTRICT,
            name="Huyện A",
            active_from=datetime.date(2020, 1, 1),
            active_to=datetime.date(2019, 1, 1),
        )
    assert not Unit.objects.exists()


def test_unit_update_changes_the_given_fields_and_blanks_the_cleared_ones(body):
    unit = UnitFactory(body=body, name="Huyện A", short_name="A", code="001")
    services.unit_update(unit=unit, name="Huyện Bạch Thông", short_name=None)
    unit.refresh_from_db()
    assert (unit.name, unit.short_name, unit.code) == ("Huyện Bạch Thông", "", "001")
    assert unit.search_text == "| huyen bach thong | 001 |"


def test_unit_update_refuses_to_place_a_unit_under_its_own_child(body):
    parent = UnitFactory(body=body)
    child = UnitFactory(body=body, parent=parent)
    with pytest.raises(ValidationError) as error:
        services.unit_update(unit=parent, parent=child)
    assert set(error.value.message_dict) == {"parent"}
    parent.refresh_from_db()
    assert parent.parent is None


def test_unit_create_refuses_a_parent_of_another_register(body, other_body):
    foreign_parent = UnitFactory(body=other_body, name="Tỉnh Lào Cai")
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            body=body, kind=Unit.Kind.COMMUNE, name="Xã Côn Minh", parent=foreign_parent
        )
    assert set(error.value.message_dict) == {"parent"}
    assert not Unit.objects.filter(name="Xã Côn Minh").exists()


def test_unit_succession_add_records_the_link(body):
    old, new = UnitFactory(body=body), UnitFactory(body=body)
    link = services.unit_succession_add(
        predecessor=old, successor=new, effective_date=datetime.date(2025, 7, 1)
    )
    assert list(old.successors.all()) == [new]
    assert (link.kind, link.effective_date) == (
        UnitSuccession.Kind.MERGER,
        datetime.date(2025, 7, 1),
    )


def test_unit_succession_add_refuses_a_unit_succeeding_itself(body):
    unit = UnitFactory(body=body)
    with pytest.raises(ValidationError) as error:
        services.unit_succession_add(predecessor=unit, successor=unit)
    assert set(error.value.message_dict) == {"successor"}
    assert not UnitSuccession.objects.exists()


def test_unit_succession_add_refuses_a_cycle(body):
    a, b, c = (UnitFactory(body=body) for _ in range(3))
    services.unit_succession_add(predecessor=a, successor=b)
    services.unit_succession_add(predecessor=b, successor=c)
    with pytest.raises(ValidationError) as error:
        services.unit_succession_add(predecessor=c, successor=a)
    assert set(error.value.message_dict) == {"successor"}
    with pytest.raises(ValidationError):
        services.unit_succession_add(predecessor=b, successor=a)
    assert UnitSuccession.objects.count() == 2


def test_unit_succession_add_refuses_the_same_link_twice(body):
    link = UnitSuccessionFactory(predecessor=UnitFactory(body=body))
    with pytest.raises(ValidationError):
        services.unit_succession_add(predecessor=link.predecessor, successor=link.successor)
    assert UnitSuccession.objects.count() == 1


def test_unit_succession_remove_deletes_only_the_link(body):
    link = UnitSuccessionFactory(predecessor=UnitFactory(body=body))
    services.unit_succession_remove(succession=link)
    assert not UnitSuccession.objects.exists()
    assert Unit.objects.count() == 2


# --- Clusters ----------------------------------------------------------------------


def test_cluster_create_refuses_a_duplicate_name_in_the_body(cluster, body):
    with pytest.raises(ValidationError):
        services.cluster_create(body=body, name=cluster.name, kind="cum", level="provincial")


def test_cluster_update_renames_the_cluster(cluster):
    services.cluster_update(
        cluster=cluster, name="Khối thi đua các sở", kind="khoi", level="provincial"
    )
    cluster.refresh_from_db()
    assert (cluster.name, cluster.kind, cluster.name_text) == (
        "Khối thi đua các sở",
        "khoi",
        "| khoi thi dua cac so |",
    )


# --- Cluster years -----------------------------------------------------------------


def test_cluster_year_create_saves_members_head_and_deputy(cluster, four_units, staff):
    city, na_ri, pac_nam, ba_be = four_units
    cluster_year = services.cluster_year_create(
        cluster=cluster,
        year=2022,
        members=four_units,
        head=city,
        deputy=na_ri,
        secretaries=[staff],
        next_head=na_ri,
        next_deputy=pac_nam,
        note="Hội nghị ngày 07/02/2023",
    )
    cluster_year.refresh_from_db()
    assert (cluster_year.cluster, cluster_year.year) == (cluster, 2022)
    assert roles_of(cluster_year) == {
        "Thành phố Bắc Kạn": "head",
        "Huyện Na Rì": "deputy",
        "Huyện Pác Nặm": "member",
        "Huyện Ba Bể": "member",
    }
    assert list(cluster_year.secretaries.all()) == [staff]
    assert (cluster_year.next_head, cluster_year.next_deputy) == (na_ri, pac_nam)
    assert cluster_year.note == "Hội nghị ngày 07/02/2023"


def test_cluster_year_create_allows_a_year_without_leaders(cluster, four_units):
    cluster_year = services.cluster_year_create(cluster=cluster, year=2022, members=four_units)
    assert set(roles_of(cluster_year).values()) == {"member"}


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("head_not_member", "head"),
        ("deputy_not_member", "deputy"),
        ("head_is_deputy", "deputy"),
        ("inactive_member", "members"),
        ("foreign_member", "members"),
        ("foreign_next_head", "next_head"),
        ("same_next_leaders", "next_deputy"),
        ("foreign_secretary", "secretaries"),
    ],
)
def test_cluster_year_create_refuses_broken_rules_and_saves_nothing(
    cluster, four_units, other_body, body, case, field
):
    city, na_ri, pac_nam, ba_be = four_units
    arguments = {"members": [city, na_ri, pac_nam], "head": city, "deputy": na_ri}
    if case == "head_not_member":
        arguments["head"] = ba_be
    elif case == "deputy_not_member":
        arguments["deputy"] = ba_be
    elif case == "head_is_deputy":
        arguments["deputy"] = city
    elif case == "inactive_member":
        ba_be.active_to = datetime.date(2021, 12, 31)
        ba_be.save()
        arguments["members"].append(ba_be)
    elif case == "foreign_member":
        arguments["members"].append(UnitFactory(body=other_body, name="Huyện Bắc Hà"))
    elif case == "foreign_next_head":
        arguments["next_head"] = UnitFactory(body=other_body)
    elif case == "same_next_leaders":
        arguments["next_head"] = arguments["next_deputy"] = pac_nam
    elif case == "foreign_secretary":
        arguments["secretaries"] = [RoleFactory(body=other_body).user]
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.cluster_year_create(cluster=cluster, year=2022, **arguments)
    assert field in error.value.message_dict
    assert counts() == before


def test_cluster_year_create_refuses_a_unit_that_starts_after_the_year(cluster, four_units, body):
    later = UnitFactory(body=body, active_from=datetime.date(2025, 7, 1))
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.cluster_year_create(cluster=cluster, year=2024, members=[*four_units, later])
    assert set(error.value.message_dict) == {"members"}
    assert counts() == before


def test_cluster_year_create_refuses_an_existing_year(cluster_year, units):
    before = counts()
    with pytest.raises(ValidationError):
        services.cluster_year_create(cluster=cluster_year.cluster, year=2023, members=units)
    assert counts() == before


def test_cluster_year_create_refuses_a_year_out_of_range(cluster, units):
    with pytest.raises(ValidationError):
        services.cluster_year_create(cluster=cluster, year=1989, members=units)
    assert counts() == (0, 0)


def test_cluster_year_update_swaps_head_and_deputy(cluster_year, units):
    na_ri, ba_be, pac_nam = units
    services.cluster_year_update(
        cluster_year=cluster_year, members=units, head=pac_nam, deputy=na_ri
    )
    assert roles_of(cluster_year) == {
        "Huyện Pác Nặm": "head",
        "Huyện Na Rì": "deputy",
        "Huyện Ba Bể": "member",
    }


def test_cluster_year_update_promotes_a_member_over_the_old_head(cluster_year, units):
    na_ri, ba_be, pac_nam = units
    services.cluster_year_update(
        cluster_year=cluster_year, members=units, head=ba_be, deputy=pac_nam
    )
    assert roles_of(cluster_year) == {
        "Huyện Ba Bể": "head",
        "Huyện Pác Nặm": "deputy",
        "Huyện Na Rì": "member",
    }


def test_cluster_year_update_removes_and_adds_members(cluster_year, units, body):
    na_ri, ba_be, pac_nam = units
    cho_don = UnitFactory(body=body, name="Huyện Chợ Đồn")
    kept_row = cluster_year.members.get(unit=na_ri)
    services.cluster_year_update(
        cluster_year=cluster_year, members=[na_ri, cho_don], head=cho_don, deputy=na_ri
    )
    assert roles_of(cluster_year) == {"Huyện Chợ Đồn": "head", "Huyện Na Rì": "deputy"}
    assert cluster_year.members.get(unit=na_ri).pk == kept_row.pk


def test_cluster_year_update_can_clear_the_leaders(cluster_year, units):
    services.cluster_year_update(cluster_year=cluster_year, members=units)
    assert set(roles_of(cluster_year).values()) == {"member"}


def test_cluster_year_update_refuses_a_head_that_is_not_a_member_and_changes_nothing(
    cluster_year, units
):
    na_ri, ba_be, pac_nam = units
    with pytest.raises(ValidationError) as error:
        services.cluster_year_update(
            cluster_year=cluster_year, members=[na_ri, pac_nam], head=ba_be, deputy=na_ri
        )
    assert set(error.value.message_dict) == {"head"}
    assert roles_of(cluster_year) == {
        "Huyện Na Rì": "head",
        "Huyện Ba Bể": "member",
        "Huyện Pác Nặm": "deputy",
    }


# --- Roll-over ---------------------------------------------------------------------


@pytest.fixture
def year_2025(cluster, four_units):
    """2025, with next year's head (Na Rì) and deputy (Pác Nặm) elected."""
    city, na_ri, pac_nam, ba_be = four_units
    return services.cluster_year_create(
        cluster=cluster,
        year=2025,
        members=four_units,
        head=city,
        deputy=na_ri,
        next_head=na_ri,
        next_deputy=pac_nam,
    )


def test_roll_over_copies_the_members_and_uses_the_elected_leaders(year_2025):
    result = services.cluster_year_roll_over(cluster_year=year_2025)
    new_year = result.cluster_year
    assert (new_year.cluster, new_year.year) == (year_2025.cluster, 2026)
    assert roles_of(new_year) == {
        "Thành phố Bắc Kạn": "member",
        "Huyện Na Rì": "head",
        "Huyện Pác Nặm": "deputy",
        "Huyện Ba Bể": "member",
    }
    assert (result.replaced, result.dropped, result.leaders_missing) == ([], [], False)
    assert (new_year.next_head, new_year.next_deputy) == (None, None)


def test_roll_over_refuses_when_next_year_exists(year_2025):
    services.cluster_year_roll_over(cluster_year=year_2025)
    with pytest.raises(ValidationError):
        services.cluster_year_roll_over(cluster_year=year_2025)
    assert ClusterYear.objects.filter(cluster=year_2025.cluster, year=2026).count() == 1


def test_roll_over_replaces_a_merged_member_by_its_successor(year_2025, four_units, body):
    city, na_ri, pac_nam, ba_be = four_units
    ba_be.active_to = MERGED
    ba_be.save()
    heir = UnitFactory(body=body, name="Huyện Ba Bể mới", active_from=datetime.date(2025, 7, 1))
    services.unit_succession_add(predecessor=ba_be, successor=heir)
    result = services.cluster_year_roll_over(cluster_year=year_2025)
    assert result.replaced == [(ba_be, [heir])]
    assert result.dropped == []
    assert roles_of(result.cluster_year) == {
        "Thành phố Bắc Kạn": "member",
        "Huyện Na Rì": "head",
        "Huyện Pác Nặm": "deputy",
        "Huyện Ba Bể mới": "member",
    }


def test_roll_over_skips_a_successor_of_another_register_or_inactive(
    year_2025, four_units, body, other_body
):
    city, na_ri, pac_nam, ba_be = four_units
    ba_be.active_to = MERGED
    ba_be.save()
    services.unit_succession_add(predecessor=ba_be, successor=UnitFactory(body=other_body))
    services.unit_succession_add(
        predecessor=ba_be, successor=UnitFactory(body=body, active_to=MERGED)
    )
    result = services.cluster_year_roll_over(cluster_year=year_2025)
    assert result.replaced == []
    assert result.dropped == [ba_be]
    assert "Huyện Ba Bể" not in roles_of(result.cluster_year)


def test_roll_over_follows_a_chain_of_successions_to_the_active_unit(year_2025, four_units, body):
    city, na_ri, pac_nam, ba_be = four_units
    ba_be.active_to = MERGED
    ba_be.save()
    interim = UnitFactory(body=body, name="Huyện Ba Bể tạm", active_to=MERGED)
    final = UnitFactory(body=body, name="Xã Ba Bể", active_from=datetime.date(2025, 7, 1))
    services.unit_succession_add(predecessor=ba_be, successor=interim)
    services.unit_succession_add(predecessor=interim, successor=final)

    result = services.cluster_year_roll_over(cluster_year=year_2025)

    assert result.replaced == [(ba_be, [final])]
    assert "Xã Ba Bể" in roles_of(result.cluster_year)


def test_roll_over_drops_a_member_with_no_successor(year_2025, four_units):
    city, na_ri, pac_nam, ba_be = four_units
    city.active_to = MERGED
    city.save()
    result = services.cluster_year_roll_over(cluster_year=year_2025)
    assert result.dropped == [city]
    assert sorted(roles_of(result.cluster_year)) == ["Huyện Ba Bể", "Huyện Na Rì", "Huyện Pác Nặm"]


def test_roll_over_merges_two_members_into_one_successor_once(year_2025, four_units, body):
    city, na_ri, pac_nam, ba_be = four_units
    heir = UnitFactory(body=body, name="Huyện Ba Bể - Pác Nặm")
    for unit in (ba_be, pac_nam):
        unit.active_to = MERGED
        unit.save()
        services.unit_succession_add(predecessor=unit, successor=heir)
    result = services.cluster_year_roll_over(cluster_year=year_2025)
    assert sorted(old.name for old, _heirs in result.replaced) == ["Huyện Ba Bể", "Huyện Pác Nặm"]
    assert roles_of(result.cluster_year) == {
        "Thành phố Bắc Kạn": "member",
        "Huyện Na Rì": "head",
        "Huyện Ba Bể - Pác Nặm": "member",
    }
    # The elected deputy (Pác Nặm) no longer exists: staff must choose one.
    assert result.leaders_missing is True


def test_roll_over_leaves_the_leaders_open_when_none_were_elected(cluster, four_units):
    cluster_year = services.cluster_year_create(
        cluster=cluster, year=2023, members=four_units, head=four_units[0], deputy=four_units[1]
    )
    result = services.cluster_year_roll_over(cluster_year=cluster_year)
    assert result.leaders_missing is True
    assert set(roles_of(result.cluster_year).values()) == {"member"}


def test_roll_over_past_the_last_year_is_refused_cleanly(cluster, four_units):
    cluster_year = services.cluster_year_create(cluster=cluster, year=2100, members=four_units)
    with pytest.raises(ValidationError):
        services.cluster_year_roll_over(cluster_year=cluster_year)
    assert counts() == (1, 4)


def test_roll_over_does_not_copy_the_secretaries(cluster_year, secretary):
    result = services.cluster_year_roll_over(cluster_year=cluster_year)
    assert list(result.cluster_year.secretaries.all()) == []
    assert list(cluster_year.secretaries.all()) == [secretary]


# --- Accounts ----------------------------------------------------------------------


def test_account_create_creates_a_user_with_a_role(body):
    user = services.account_create(
        body=body,
        kind=Role.Kind.SECRETARY,
        username="thuky.nari",
        password="Thidua@2023-strong",
        full_name=" Lương Văn Thành ",
        email="thuky@example.vn",
        position="Văn phòng UBND huyện Na Rì",
    )
    user.refresh_from_db()
    assert (user.username, user.get_full_name(), user.email) == (
        "thuky.nari",
        "Lương Văn Thành",
        "thuky@example.vn",
    )
    assert user.check_password("Thidua@2023-strong")
    assert list(Role.objects.filter(user=user).values_list("body", "kind", "position")) == [
        (body.pk, "secretary", "Văn phòng UBND huyện Na Rì")
    ]


def test_account_create_refuses_a_taken_user_name_whatever_its_case(body):
    UserFactory(username="thuky.nari")
    with pytest.raises(ValidationError) as error:
        services.account_create(
            body=body, kind=Role.Kind.VIEWER, username="ThuKy.NaRi", password="x-strong-pass-1"
        )
    assert set(error.value.message_dict) == {"username"}
    assert get_user_model().objects.count() == 1
    assert not Role.objects.exists()


def test_account_create_refuses_an_unknown_role_and_saves_no_user(body):
    with pytest.raises(ValidationError):
        services.account_create(
            body=body, kind="chairman", username="someone", password="x-strong-pass-1"
        )
    assert not get_user_model().objects.filter(username="someone").exists()
