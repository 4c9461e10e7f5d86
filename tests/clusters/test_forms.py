import datetime

import pytest
from django.http import Http404

from clusters.forms import AccountForm, ClusterForm, ClusterYearForm, UnitForm, UnitSuccessionForm
from clusters.models import Role
from tests.factories import RoleFactory, UnitFactory, UnitSuccessionFactory

pytestmark = pytest.mark.django_db


def year_data(units, **overrides):
    na_ri, ba_be, pac_nam = units
    data = {
        "year": 2024,
        "members": [na_ri.pk, ba_be.pk, pac_nam.pk],
        "head": na_ri.pk,
        "deputy": pac_nam.pk,
    }
    return {**data, **overrides}


# --- Cluster year --------------------------------------------------------------------


def test_the_year_form_accepts_members_and_leaders_of_the_register(cluster, units):
    form = ClusterYearForm(data=year_data(units), cluster=cluster)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["year"] == 2024
    assert set(form.cleaned_data["members"]) == set(units)
    assert (form.cleaned_data["head"], form.cleaned_data["deputy"]) == (units[0], units[2])


def test_the_year_form_offers_only_units_of_the_clusters_register(cluster, units, other_body):
    UnitFactory(body=other_body)
    form = ClusterYearForm(cluster=cluster)
    for name in ("members", "head", "deputy", "next_head", "next_deputy"):
        assert [unit.name for unit in form.fields[name].queryset] == [
            "Huyện Ba Bể",
            "Huyện Na Rì",
            "Huyện Pác Nặm",
        ]


@pytest.mark.parametrize("field", ["members", "head", "deputy", "next_head"])
def test_a_unit_of_another_register_is_answered_with_404(cluster, units, other_body, field):
    foreign = UnitFactory(body=other_body)
    value = [units[0].pk, foreign.pk] if field == "members" else foreign.pk
    form = ClusterYearForm(data=year_data(units, **{field: value}), cluster=cluster)
    with pytest.raises(Http404):
        form.is_valid()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"head": "ba_be", "members": ["na_ri", "pac_nam"]}, "head"),
        ({"deputy": "ba_be", "members": ["na_ri", "pac_nam"]}, "deputy"),
        ({"deputy": "na_ri"}, "deputy"),
        ({"next_head": "ba_be", "next_deputy": "ba_be"}, "next_deputy"),
        ({"members": []}, "members"),
        ({"year": 1989}, "year"),
        ({"year": 2101}, "year"),
        ({"year": ""}, "year"),
    ],
)
def test_the_year_form_puts_each_broken_rule_on_its_field(cluster, units, overrides, field):
    by_name = dict(zip(["na_ri", "ba_be", "pac_nam"], units, strict=True))

    def resolve(value):
        if isinstance(value, list):
            return [by_name[item].pk for item in value]
        return by_name[value].pk if value in by_name else value

    data = year_data(units, **{key: resolve(value) for key, value in overrides.items()})
    form = ClusterYearForm(data=data, cluster=cluster)
    assert not form.is_valid()
    assert field in form.errors


def test_the_year_form_refuses_a_member_inactive_in_the_year(cluster, units, body):
    gone = UnitFactory(body=body, active_to=datetime.date(2023, 12, 31))
    data = year_data(units, members=[*year_data(units)["members"], gone.pk])
    form = ClusterYearForm(data=data, cluster=cluster)
    assert not form.is_valid()
    assert list(form.errors) == ["members"]


def test_the_year_form_refuses_a_year_the_cluster_already_has(cluster_year, units):
    form = ClusterYearForm(data=year_data(units, year=2023), cluster=cluster_year.cluster)
    assert not form.is_valid()
    assert list(form.errors) == ["year"]


def test_editing_a_year_keeps_the_year_and_offers_units_active_then(cluster_year, units, body):
    UnitFactory(body=body, name="Huyện Cũ", active_to=datetime.date(2022, 12, 31))
    UnitFactory(body=body, name="Huyện Mới", active_from=datetime.date(2024, 1, 1))
    form = ClusterYearForm(cluster=cluster_year.cluster, cluster_year=cluster_year)
    assert "year" not in form.fields
    assert [unit.name for unit in form.fields["members"].queryset] == [
        "Huyện Ba Bể",
        "Huyện Na Rì",
        "Huyện Pác Nặm",
    ]


def test_editing_a_year_still_shows_a_member_that_became_inactive(cluster_year, units):
    ba_be = units[1]
    ba_be.active_to = datetime.date(2022, 12, 31)
    ba_be.save()
    form = ClusterYearForm(cluster=cluster_year.cluster, cluster_year=cluster_year)
    assert ba_be in form.fields["members"].queryset
    bound = ClusterYearForm(
        data={"members": [unit.pk for unit in units], "head": units[0].pk},
        cluster=cluster_year.cluster,
        cluster_year=cluster_year,
    )
    assert not bound.is_valid()
    assert list(bound.errors) == ["members"]


def test_secretaries_are_chosen_among_the_bodys_accounts(cluster, staff, viewer, outsider):
    form = ClusterYearForm(cluster=cluster)
    assert list(form.fields["secretaries"].queryset) == [staff, viewer]


# --- Units -------------------------------------------------------------------------


def test_the_unit_form_preselects_the_only_body_staff_manage(staff, body):
    form = UnitForm(user=staff)
    assert form.fields["body"].initial == body
    assert list(form.fields["body"].queryset) == [body]


def test_the_unit_form_reads_day_first_dates(staff, body):
    form = UnitForm(
        data={
            "body": body.pk,
            "kind": "district",
            "name": "Huyện Na Rì",
            "active_from": "03/04/2023",
            "active_to": "30/06/2025",
        },
        user=staff,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["active_from"] == datetime.date(2023, 4, 3)
    assert form.cleaned_data["active_to"] == datetime.date(2025, 6, 30)


def test_the_unit_form_answers_a_body_the_user_does_not_manage_with_404(staff, other_body):
    form = UnitForm(data={"body": other_body.pk, "kind": "district", "name": "X"}, user=staff)
    with pytest.raises(Http404):
        form.is_valid()


def test_the_unit_form_refuses_a_parent_of_another_register(staff, body, other_body):
    RoleFactory(user=staff, body=other_body, kind=Role.Kind.STAFF)
    parent = UnitFactory(body=other_body)
    form = UnitForm(
        data={"body": body.pk, "kind": "commune", "name": "Xã Côn Minh", "parent": parent.pk},
        user=staff,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["parent"]


def test_the_unit_form_refuses_an_end_before_the_start(staff, body):
    form = UnitForm(
        data={
            "body": body.pk,
            "kind": "district",
            "name": "Huyện Na Rì",
            "active_from": "01/07/2025",
            "active_to": "30/06/2025",
        },
        user=staff,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["__all__"]


def test_the_unit_form_refuses_a_code_taken_in_the_register(staff, body):
    UnitFactory(body=body, code="001")
    form = UnitForm(
        data={"body": body.pk, "kind": "district", "name": "Huyện B", "code": "001"}, user=staff
    )
    assert not form.is_valid()
    assert list(form.errors) == ["__all__"]


def test_editing_a_unit_keeps_its_register_and_excludes_it_as_its_own_parent(staff, units):
    form = UnitForm(user=staff, instance=units[0])
    assert "body" not in form.fields
    assert units[0] not in form.fields["parent"].queryset
    assert set(form.fields["parent"].queryset) == {units[1], units[2]}


def test_the_succession_form_refuses_a_cycle_on_the_successor_field(staff, body):
    link = UnitSuccessionFactory(predecessor=UnitFactory(body=body))
    form = UnitSuccessionForm(
        data={"successor": link.predecessor.pk, "kind": "merger"},
        user=staff,
        predecessor=link.successor,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["successor"]


def test_the_succession_form_does_not_offer_the_unit_itself(staff, units):
    form = UnitSuccessionForm(user=staff, predecessor=units[0])
    assert units[0] not in form.fields["successor"].queryset
    bound = UnitSuccessionForm(
        data={"successor": units[0].pk, "kind": "merger"}, user=staff, predecessor=units[0]
    )
    with pytest.raises(Http404):
        bound.is_valid()


# --- Clusters and accounts -------------------------------------------------------------


def test_the_cluster_form_refuses_a_name_the_body_already_uses(staff, cluster, body):
    form = ClusterForm(
        data={"body": body.pk, "name": cluster.name, "kind": "cum", "level": "provincial"},
        user=staff,
    )
    assert not form.is_valid()
    assert form.errors == {
        "name": ["Đã có cụm, khối tên “Cụm thi đua các huyện, thành phố” trong cơ quan này."]
    }


def test_editing_a_cluster_keeps_its_body(staff, cluster):
    assert "body" not in ClusterForm(user=staff, instance=cluster).fields


def account_data(body, **overrides):
    data = {
        "body": body.pk,
        "kind": "secretary",
        "full_name": "Lương Văn Thành",
        "username": "thuky.nari",
        "password1": "Cum-thi-dua-2023",
        "password2": "Cum-thi-dua-2023",
    }
    return {**data, **overrides}


def test_the_account_form_accepts_a_new_secretary(staff, body):
    form = AccountForm(data=account_data(body), user=staff)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "STAFF"}, "username"),
        ({"username": "thư ký"}, "username"),
        ({"password2": "something-else-9"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"kind": "staff"}, "kind"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_the_account_form_puts_each_problem_on_its_field(staff, body, overrides, field):
    form = AccountForm(data=account_data(body, **overrides), user=staff)
    assert not form.is_valid()
    assert field in form.errors


def test_the_account_form_offers_only_the_bodies_the_user_manages(staff, body, other_body):
    form = AccountForm(user=staff)
    assert list(form.fields["body"].queryset) == [body]
    assert form.fields["body"].initial == body
