import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusters.models import Cluster, ClusterMember, ClusterYear, Role, Unit, UnitSuccession
from core.text import sort_key
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    RoleFactory,
    UnitFactory,
    UnitSuccessionFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_the_database(create):
    """Run ``create`` in a savepoint and say whether the database refused it."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


# --- Search and sort columns -----------------------------------------------------


def test_saving_a_unit_fills_its_folded_search_text_and_sort_key(body):
    unit = UnitFactory(body=body, name="Huyện Na Rì", short_name="Na Rì", code="NR-01")
    unit.refresh_from_db()
    assert unit.search_text == "| huyen na ri | na ri | nr 01 |"
    assert unit.sort_key == sort_key("Huyện Na Rì")


def test_saving_with_update_fields_refreshes_the_text_columns(body):
    unit = UnitFactory(body=body, name="Huyện Na Rì")
    unit.name = "Huyện Chợ Đồn"
    unit.save(update_fields=["name"])
    unit.refresh_from_db()
    assert unit.search_text == "| huyen cho don |"
    assert unit.name_text == "| huyen cho don |"
    assert unit.sort_key == sort_key("Huyện Chợ Đồn")


def test_a_cluster_is_found_by_its_body_name_too(body):
    cluster = ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")
    cluster.refresh_from_db()
    assert cluster.search_text == "| cum thi dua cac huyen thanh pho | ubnd tinh bac kan |"


def test_renaming_a_body_keeps_its_clusters_findable_by_the_new_name(body):
    cluster = ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")
    body.name = "UBND tỉnh Thái Nguyên"
    body.save()
    cluster.refresh_from_db()
    assert cluster.search_text == "| cum thi dua cac huyen thanh pho | ubnd tinh thai nguyen |"


def test_the_database_orders_units_in_vietnamese_order(body):
    # Plain string order of the stored keys; the same on SQLite and PostgreSQL.
    expected = [
        "Huyện Ba Bể",
        "Huyện Bạch Thông",
        "Huyện Bảo Yên",
        "Huyện Bắc Hà",
        "Huyện Chợ Đồn",
        "Huyện Chợ Mới",
        "Huyện Đà Bắc",
        "Huyện Na Rì",
        "Huyện Ngân Sơn",
        "Thành phố Bắc Kạn",
        "Thị xã Sa Pa",
        "Ủy ban Mặt trận",
        "Ưu tiên",
    ]
    for name in [expected[i] for i in (7, 3, 12, 0, 5, 10, 1, 8, 4, 11, 2, 9, 6)]:
        UnitFactory(body=body, name=name)
    assert list(Unit.objects.values_list("name", flat=True)) == expected
    assert list(Unit.objects.order_by("-sort_key").values_list("name", flat=True)) == list(
        reversed(expected)
    )


def test_the_database_orders_tones_after_letters(body):
    for name in ["Xã Mạ", "Xã Má", "Xã Mã", "Xã Ma", "Xã Mả", "Xã Mà", "Xã Mác"]:
        UnitFactory(body=body, name=name)
    assert list(Unit.objects.values_list("name", flat=True)) == [
        "Xã Ma", "Xã Mà", "Xã Mả", "Xã Mã", "Xã Má", "Xã Mạ", "Xã Mác",
    ]  # fmt: skip


# --- Units -------------------------------------------------------------------------


def test_a_unit_cannot_end_before_it_starts(body):
    unit = UnitFactory.build(
        body=body, active_from=datetime.date(2020, 1, 1), active_to=datetime.date(2019, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "__all__" in error.value.message_dict
    assert refused_by_the_database(unit.save)


def test_a_unit_may_end_on_the_day_it_starts(body):
    day = datetime.date(2025, 7, 1)
    unit = UnitFactory(body=body, active_from=day, active_to=day)
    assert unit.is_active_on(day)


def test_a_code_is_unique_within_a_register(body):
    UnitFactory(body=body, code="001")
    duplicate = UnitFactory.build(body=body, code="001")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    assert refused_by_the_database(duplicate.save)


def test_units_without_a_code_do_not_clash(body):
    UnitFactory(body=body, code="")
    second = UnitFactory.build(body=body, code="")
    second.full_clean()
    assert not refused_by_the_database(second.save)
    assert Unit.objects.filter(body=body, code="").count() == 2


def test_the_same_code_may_be_used_in_another_register(body, other_body):
    UnitFactory(body=body, code="001")
    other = UnitFactory.build(body=other_body, code="001")
    other.full_clean()
    assert not refused_by_the_database(other.save)


def test_a_unit_is_active_in_a_year_it_overlaps(body):
    merged = UnitFactory(body=body, active_to=datetime.date(2025, 6, 30))
    created = UnitFactory(body=body, active_from=datetime.date(2025, 7, 1))
    assert merged.is_active_in(2025) and not merged.is_active_in(2026)
    assert created.is_active_in(2025) and not created.is_active_in(2024)
    assert set(Unit.objects.active_in(2024)) == {merged}
    assert set(Unit.objects.active_in(2025)) == {merged, created}
    assert set(Unit.objects.active_in(2026)) == {created}
    assert set(Unit.objects.active_on(datetime.date(2025, 7, 1))) == {created}


def test_a_unit_cannot_succeed_itself(body):
    unit = UnitFactory(body=body)
    link = UnitSuccession(predecessor=unit, successor=unit)
    with pytest.raises(ValidationError):
        link.full_clean()
    assert refused_by_the_database(link.save)


def test_a_succession_is_recorded_once(body):
    link = UnitSuccessionFactory(predecessor=UnitFactory(body=body))
    assert refused_by_the_database(
        lambda: UnitSuccession.objects.create(
            predecessor=link.predecessor, successor=link.successor
        )
    )


def test_successors_and_predecessors_are_two_sides_of_one_link(body):
    link = UnitSuccessionFactory(predecessor=UnitFactory(body=body, name="Tỉnh Bắc Kạn"))
    assert list(link.predecessor.successors.all()) == [link.successor]
    assert list(link.successor.predecessors.all()) == [link.predecessor]


# --- Clusters and years ------------------------------------------------------------


def test_a_cluster_name_is_unique_within_a_body(body, other_body):
    ClusterFactory(body=body, name="Cụm thi đua số 1")
    assert refused_by_the_database(lambda: ClusterFactory(body=body, name="Cụm thi đua số 1"))
    assert not refused_by_the_database(
        lambda: ClusterFactory(body=other_body, name="Cụm thi đua số 1")
    )


def test_a_cluster_has_each_year_once(cluster):
    ClusterYearFactory(cluster=cluster, year=2023)
    duplicate = ClusterYear(cluster=cluster, year=2023)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    assert refused_by_the_database(duplicate.save)
    assert ClusterYear.objects.filter(cluster=cluster).count() == 1


@pytest.mark.parametrize(
    ("year", "refused"), [(1989, True), (1990, False), (2100, False), (2101, True)]
)
def test_a_year_lies_between_1990_and_2100(cluster, year, refused):
    cluster_year = ClusterYear(cluster=cluster, year=year)
    if refused:
        with pytest.raises(ValidationError):
            cluster_year.full_clean()
    assert refused_by_the_database(cluster_year.save) is refused


def test_the_elected_head_and_deputy_differ(cluster, units):
    cluster_year = ClusterYear(cluster=cluster, year=2023, next_head=units[0], next_deputy=units[0])
    with pytest.raises(ValidationError):
        cluster_year.full_clean()
    assert refused_by_the_database(cluster_year.save)


def test_a_unit_is_a_member_once_per_year(cluster_year, units):
    duplicate = ClusterMember(cluster_year=cluster_year, unit=units[1])
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    assert refused_by_the_database(duplicate.save)


def test_the_same_unit_cannot_be_both_head_and_deputy(cluster, units):
    cluster_year = ClusterYearFactory(cluster=cluster, year=2024)
    ClusterMemberFactory(cluster_year=cluster_year, unit=units[0], role=ClusterMember.Role.HEAD)
    assert refused_by_the_database(
        lambda: ClusterMember.objects.create(
            cluster_year=cluster_year, unit=units[0], role=ClusterMember.Role.DEPUTY
        )
    )


def test_a_year_has_one_head(cluster_year, body):
    second_head = ClusterMember(
        cluster_year=cluster_year, unit=UnitFactory(body=body), role=ClusterMember.Role.HEAD
    )
    with pytest.raises(ValidationError):
        second_head.full_clean()
    assert refused_by_the_database(second_head.save)


def test_a_year_has_one_deputy(cluster_year, body):
    second_deputy = ClusterMember(
        cluster_year=cluster_year, unit=UnitFactory(body=body), role=ClusterMember.Role.DEPUTY
    )
    with pytest.raises(ValidationError):
        second_deputy.full_clean()
    assert refused_by_the_database(second_deputy.save)


def test_a_year_has_any_number_of_plain_members(cluster_year, body):
    for _ in range(3):
        ClusterMemberFactory(cluster_year=cluster_year, unit=UnitFactory(body=body))
    assert cluster_year.members.filter(role=ClusterMember.Role.MEMBER).count() == 4


def test_another_year_may_have_its_own_head(cluster_year, cluster, units):
    next_year = ClusterYearFactory(cluster=cluster, year=2024)
    assert not refused_by_the_database(
        lambda: ClusterMember.objects.create(
            cluster_year=next_year, unit=units[0], role=ClusterMember.Role.HEAD
        )
    )


def test_members_list_in_vietnamese_order(cluster_year):
    assert [member.unit.name for member in cluster_year.members.all()] == [
        "Huyện Ba Bể",
        "Huyện Na Rì",
        "Huyện Pác Nặm",
    ]


def test_a_user_has_one_role_per_body(staff, body):
    assert refused_by_the_database(
        lambda: RoleFactory(user=staff, body=body, kind=Role.Kind.VIEWER)
    )


def test_objects_link_to_their_pages(cluster_year, units):
    assert units[0].get_absolute_url() == f"/units/{units[0].pk}/"
    assert cluster_year.cluster.get_absolute_url() == f"/clusters/{cluster_year.cluster.pk}/"
    assert cluster_year.get_absolute_url() == f"/years/{cluster_year.pk}/"


def test_a_bloc_names_its_leaders_differently_from_a_cluster(body):
    cluster = ClusterFactory(body=body, kind=Cluster.Kind.CLUSTER)
    bloc = ClusterFactory(body=body, kind=Cluster.Kind.BLOC)
    assert str(cluster.head_label) != str(bloc.head_label)
    assert str(cluster.deputy_label) != str(bloc.deputy_label)
