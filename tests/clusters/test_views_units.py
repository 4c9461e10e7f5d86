import datetime

import pytest
from django.urls import reverse

from clusters.models import Unit, UnitSuccession
from tests.factories import (
    ClusterMemberFactory,
    ClusterYearFactory,
    UnitFactory,
    UnitSuccessionFactory,
)

pytestmark = pytest.mark.django_db


def unit_data(body, **overrides):
    data = {"body": body.pk, "kind": "district", "name": "Huyện Chợ Đồn", "short_name": "Chợ Đồn"}
    return {**data, **overrides}


def table_names(response) -> list[str]:
    return [unit.name for unit in response.context["object_list"]]


# --- List --------------------------------------------------------------------------


def test_the_list_shows_the_register_in_vietnamese_order(staff_client, units, other_cluster):
    response = staff_client.get(reverse("clusters:unit-list"))
    assert response.status_code == 200
    assert table_names(response) == ["Huyện Ba Bể", "Huyện Na Rì", "Huyện Pác Nặm"]
    assert 'id="unit-table"' in response.content.decode()


def test_the_list_searches_without_diacritics(staff_client, units):
    response = staff_client.get(reverse("clusters:unit-list"), {"q": "PAC NAM"})
    assert table_names(response) == ["Huyện Pác Nặm"]


def test_the_list_filters_ceased_units(staff_client, units, body):
    UnitFactory(body=body, name="Huyện Cũ", active_to=datetime.date(2020, 12, 31))
    url = reverse("clusters:unit-list")
    assert table_names(staff_client.get(url, {"status": "ceased"})) == ["Huyện Cũ"]
    assert "Huyện Cũ" not in table_names(staff_client.get(url, {"status": "active"}))


def test_an_outsider_does_not_see_the_register(outsider_client, units, other_cluster):
    response = outsider_client.get(reverse("clusters:unit-list"))
    assert table_names(response) == ["Huyện Bắc Hà"]


def test_the_list_uses_the_same_queries_for_one_or_three_units(
    staff_client, body, assert_constant_queries
):
    parent = UnitFactory(body=body, name="Tỉnh Bắc Kạn")

    def add_two_more():
        UnitFactory(body=body, name="Huyện Na Rì", parent=parent)
        UnitFactory(body=body, name="Huyện Ba Bể", parent=parent)

    first, second = assert_constant_queries(
        staff_client, reverse("clusters:unit-list"), add_two_more=add_two_more
    )
    assert table_names(first) == ["Tỉnh Bắc Kạn"]
    assert table_names(second) == ["Huyện Ba Bể", "Huyện Na Rì", "Tỉnh Bắc Kạn"]


# --- Detail ------------------------------------------------------------------------


def test_the_detail_shows_history_and_memberships(staff_client, cluster_year, units, body):
    na_ri = units[0]
    old = UnitFactory(body=body, name="Huyện Na Rì cũ")
    new = UnitFactory(body=body, name="Huyện Na Rì mới")
    UnitSuccessionFactory(predecessor=old, successor=na_ri)
    UnitSuccessionFactory(predecessor=na_ri, successor=new)
    response = staff_client.get(na_ri.get_absolute_url())
    assert response.status_code == 200
    assert [(m.cluster_year.year, m.role) for m in response.context["memberships"]] == [
        (2023, "head")
    ]
    assert [link.predecessor for link in response.context["predecessors"]] == [old]
    assert [link.successor for link in response.context["successors"]] == [new]
    html = response.content.decode()
    for element_id in ("predecessors", "successors", "memberships"):
        assert f'id="{element_id}"' in html
    assert "Huyện Na Rì cũ" in html and "Huyện Na Rì mới" in html


def test_a_secretary_and_a_viewer_read_a_unit(secretary_client, viewer_client, units):
    for client in (secretary_client, viewer_client):
        response = client.get(units[0].get_absolute_url())
        assert response.status_code == 200
        assert response.context["can_change"] is False


def test_an_outsider_gets_404_on_every_unit_page(outsider_client, units, body):
    link = UnitSuccessionFactory(predecessor=units[0], successor=units[1])
    pk = units[0].pk
    assert outsider_client.get(reverse("clusters:unit-detail", args=[pk])).status_code == 404
    for url in (
        reverse("clusters:unit-update", args=[pk]),
        reverse("clusters:unitsuccession-create", args=[pk]),
    ):
        assert outsider_client.get(url).status_code == 404, url
        assert outsider_client.post(url, {"name": "x"}).status_code == 404, url
    url = reverse("clusters:unitsuccession-delete", args=[link.pk])
    assert outsider_client.post(url).status_code == 404
    assert UnitSuccession.objects.filter(pk=link.pk).exists()
    assert Unit.objects.get(pk=pk).name == "Huyện Na Rì"


# --- Create and update ---------------------------------------------------------------


def test_staff_add_a_unit(staff_client, body):
    response = staff_client.post(
        reverse("clusters:unit-create"),
        unit_data(body, active_from="01/01/2004", code="066"),
    )
    unit = Unit.objects.get()
    assert response.status_code == 302
    assert response.url == unit.get_absolute_url()
    assert (unit.body, unit.name, unit.short_name, unit.code, unit.active_from) == (
        body,
        "Huyện Chợ Đồn",
        "Chợ Đồn",
        "066",
        datetime.date(2004, 1, 1),
    )


def test_an_invalid_unit_is_shown_again_with_the_error_and_not_saved(staff_client, body):
    response = staff_client.post(
        reverse("clusters:unit-create"), unit_data(body, name="", active_to="31/02/2025")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "active_to"}
    assert not Unit.objects.exists()


def test_a_unit_cannot_be_added_to_another_bodys_register(outsider_client, body):
    response = outsider_client.post(reverse("clusters:unit-create"), unit_data(body))
    assert response.status_code == 404
    assert not Unit.objects.exists()


@pytest.mark.parametrize("who", ["viewer_client", "secretary_client"])
def test_only_staff_may_add_units(request, who, body):
    client = request.getfixturevalue(who)
    assert client.get(reverse("clusters:unit-create")).status_code == 403
    assert client.post(reverse("clusters:unit-create"), unit_data(body)).status_code == 403
    assert Unit.objects.filter(name="Huyện Chợ Đồn").count() == 0


def test_staff_edit_a_unit(staff_client, units):
    na_ri = units[0]
    url = reverse("clusters:unit-update", args=[na_ri.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {"kind": "district", "name": "Huyện Na Rì", "code": "061", "active_to": "30/06/2025"},
    )
    assert response.status_code == 302
    assert response.url == na_ri.get_absolute_url()
    na_ri.refresh_from_db()
    assert (na_ri.code, na_ri.active_to, na_ri.short_name) == (
        "061",
        datetime.date(2025, 6, 30),
        "",
    )


def test_editing_a_unit_to_a_taken_code_is_refused(staff_client, units):
    UnitFactory(body=units[0].body, code="061")
    response = staff_client.post(
        reverse("clusters:unit-update", args=[units[0].pk]),
        {"kind": "district", "name": "Huyện Na Rì", "code": "061"},
    )
    assert response.status_code == 200
    assert "__all__" in response.context["form"].errors
    units[0].refresh_from_db()
    assert units[0].code == ""


def test_a_unit_cannot_be_placed_under_its_own_child(staff_client, body):
    province = UnitFactory(body=body, name="Tỉnh Bắc Kạn")
    district = UnitFactory(body=body, name="Huyện Na Rì", parent=province)
    response = staff_client.post(
        reverse("clusters:unit-update", args=[province.pk]),
        {"kind": "province", "name": "Tỉnh Bắc Kạn", "parent": district.pk},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parent"]
    province.refresh_from_db()
    assert province.parent is None


@pytest.mark.parametrize("who", ["viewer_client", "secretary_client"])
def test_non_staff_get_403_on_the_unit_edit_pages(request, who, units):
    client = request.getfixturevalue(who)
    pk = units[0].pk
    for url in (
        reverse("clusters:unit-update", args=[pk]),
        reverse("clusters:unitsuccession-create", args=[pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x", "kind": "district"}).status_code == 403, url
    units[0].refresh_from_db()
    assert units[0].name == "Huyện Na Rì"


# --- Successions ---------------------------------------------------------------------


def test_staff_record_a_successor(staff_client, units):
    ba_be, na_ri = units[1], units[0]
    url = reverse("clusters:unitsuccession-create", args=[ba_be.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "successor": na_ri.pk,
            "kind": "merger",
            "effective_date": "01/07/2025",
            "legal_basis": "Nghị quyết số 202/2025/QH15",
        },
    )
    assert response.status_code == 302
    assert response.url == ba_be.get_absolute_url()
    link = UnitSuccession.objects.get()
    assert (link.predecessor, link.successor, link.effective_date, link.legal_basis) == (
        ba_be,
        na_ri,
        datetime.date(2025, 7, 1),
        "Nghị quyết số 202/2025/QH15",
    )


def test_a_successor_that_closes_a_cycle_is_refused(staff_client, units):
    UnitSuccessionFactory(predecessor=units[0], successor=units[1])
    response = staff_client.post(
        reverse("clusters:unitsuccession-create", args=[units[1].pk]),
        {"successor": units[0].pk, "kind": "merger"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["successor"]
    assert UnitSuccession.objects.count() == 1


def test_the_same_successor_twice_is_refused(staff_client, units):
    UnitSuccessionFactory(predecessor=units[0], successor=units[1])
    response = staff_client.post(
        reverse("clusters:unitsuccession-create", args=[units[0].pk]),
        {"successor": units[1].pk, "kind": "merger"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert UnitSuccession.objects.count() == 1


def test_a_successor_of_another_register_is_answered_with_404(staff_client, units, other_body):
    foreign = UnitFactory(body=other_body)
    response = staff_client.post(
        reverse("clusters:unitsuccession-create", args=[units[0].pk]),
        {"successor": foreign.pk, "kind": "merger"},
    )
    assert response.status_code == 404
    assert not UnitSuccession.objects.exists()


def test_staff_remove_a_succession_by_post_only(staff_client, viewer_client, units):
    link = UnitSuccessionFactory(predecessor=units[0], successor=units[1])
    url = reverse("clusters:unitsuccession-delete", args=[link.pk])
    assert staff_client.get(url).status_code == 405
    assert viewer_client.post(url).status_code == 403
    assert UnitSuccession.objects.exists()
    response = staff_client.post(url)
    assert response.status_code == 302
    assert response.url == units[0].get_absolute_url()
    assert not UnitSuccession.objects.exists()


def test_the_unit_detail_uses_the_same_queries_for_one_or_three_memberships(
    staff_client, cluster, body, assert_constant_queries
):
    unit = UnitFactory(body=body, name="Huyện Na Rì")
    ClusterMemberFactory(cluster_year=ClusterYearFactory(cluster=cluster, year=2021), unit=unit)

    def add_two_more():
        for year in (2022, 2023):
            ClusterMemberFactory(
                cluster_year=ClusterYearFactory(cluster=cluster, year=year), unit=unit
            )

    # A detail page with its sections: the awards (awards.receivers) add one query.
    first, second = assert_constant_queries(
        staff_client, unit.get_absolute_url(), add_two_more=add_two_more, ceiling=9
    )
    assert [m.cluster_year.year for m in second.context["memberships"]] == [2023, 2022, 2021]
