"""Names come in one Unicode form, and a unit's or a cluster's name is unique in its body
whatever its case and form: 'Huyện Na Rì' and 'HUYỆN NA RÌ' are the same unit."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from clusters import services
from clusters.models import Cluster, Person, Unit
from core.constraints import violation_error
from tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db

NA_RI = "Huyện Na Rì"
CLUSTER = "Cụm thi đua các huyện, thành phố"
UNIT_TAKEN = "Đã có đơn vị tên “Huyện Na Rì” trong danh mục này, hoạt động trong cùng thời gian."
CLUSTER_TAKEN = "Đã có cụm, khối tên “Cụm thi đua các huyện, thành phố” trong cơ quan này."


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def create_unit(client, body, name, **fields):
    data = {"body": body.pk, "kind": "district", "name": name, **fields}
    return client.post(reverse("clusters:unit-create"), data)


def create_cluster(client, body, name):
    data = {"body": body.pk, "name": name, "kind": "cum", "level": "provincial"}
    return client.post(reverse("clusters:cluster-create"), data)


def refused(response) -> dict:
    assert response.status_code == 200
    return response.context["form"].errors


# --- NFC on the way in --------------------------------------------------------------


def test_a_unit_typed_decomposed_is_stored_composed(staff_client, body):
    response = create_unit(staff_client, body, nfd(NA_RI), short_name=nfd("Na Rì\u200b"))
    assert response.status_code == 302
    name, short_name, key = Unit.objects.values_list("name", "short_name", "name_key").get()
    assert (name, short_name, key) == (NA_RI, "Na Rì", "huyện na rì")
    assert unicodedata.is_normalized("NFC", name)


def test_a_cluster_typed_decomposed_is_stored_composed(staff_client, body):
    response = create_cluster(staff_client, body, nfd(CLUSTER))
    assert response.status_code == 302
    name = Cluster.objects.values_list("name", flat=True).get()
    assert name == CLUSTER
    assert unicodedata.is_normalized("NFC", name)


def test_a_person_typed_decomposed_is_stored_composed(staff_client, body):
    response = staff_client.post(
        reverse("clusters:person-create"),
        {"body": body.pk, "full_name": nfd("Nông Văn Nguyên"), "position": nfd("Chủ tịch")},
    )
    assert response.status_code == 302
    stored = Person.objects.values_list("full_name", "position").get()
    assert stored == ("Nông Văn Nguyên", "Chủ tịch")
    assert unicodedata.is_normalized("NFC", stored[0])


# --- Units: one name in a register at a time ----------------------------------------


@pytest.mark.parametrize(
    "typed", ["HUYỆN NA RÌ", nfd(NA_RI), nfd("huyện na rì"), "Huyện\u200b  Na Rì"]
)
def test_the_same_unit_name_in_another_case_or_form_is_refused(staff_client, body, typed):
    UnitFactory(body=body, name=NA_RI)
    assert refused(create_unit(staff_client, body, typed)) == {"name": [UNIT_TAKEN]}
    assert Unit.objects.count() == 1


def test_the_same_unit_name_is_allowed_in_another_register(staff_client, staff, body, other_body):
    UnitFactory(body=other_body, name=NA_RI)
    response = create_unit(staff_client, body, "HUYỆN NA RÌ")
    assert response.status_code == 302
    assert sorted(Unit.objects.values_list("body__name", "name")) == [
        ("UBND tỉnh Bắc Kạn", "HUYỆN NA RÌ"),
        ("UBND tỉnh Lào Cai", NA_RI),
    ]


def test_a_name_is_free_again_once_the_old_unit_is_no_longer_in_force(staff_client, body):
    UnitFactory(body=body, name=NA_RI, active_to=datetime.date(2025, 6, 30))
    response = create_unit(staff_client, body, "HUYỆN NA RÌ", active_from="01/07/2025")
    assert response.status_code == 302
    assert Unit.objects.filter(name_key="huyện na rì").count() == 2


def test_a_name_still_in_force_when_the_new_unit_starts_is_refused(staff_client, body):
    UnitFactory(body=body, name=NA_RI, active_to=datetime.date(2025, 7, 1))
    response = create_unit(staff_client, body, nfd(NA_RI), active_from="01/07/2025")
    assert refused(response) == {"name": [UNIT_TAKEN]}


def test_an_ended_unit_cannot_take_a_name_in_force_during_its_time(staff_client, body):
    UnitFactory(body=body, name=NA_RI, active_from=datetime.date(2020, 1, 1))
    response = create_unit(
        staff_client, body, "HUYỆN NA RÌ", active_from="01/01/2015", active_to="31/12/2020"
    )
    assert refused(response) == {"name": [UNIT_TAKEN]}


def test_renaming_a_unit_to_a_taken_name_is_refused_but_recasing_its_own_is_not(staff_client, body):
    UnitFactory(body=body, name=NA_RI)
    other = UnitFactory(body=body, name="Huyện Ba Bể")
    url = reverse("clusters:unit-update", args=[other.pk])
    response = staff_client.post(url, {"kind": "district", "name": "HUYỆN NA RÌ"})
    assert refused(response) == {"name": [UNIT_TAKEN]}
    response = staff_client.post(url, {"kind": "district", "name": "HUYỆN BA BỂ"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.name, other.name_key) == ("HUYỆN BA BỂ", "huyện ba bể")


def test_the_service_refuses_on_the_name_field_once(body):
    UnitFactory(body=body, name=NA_RI)
    with pytest.raises(ValidationError) as refusal:
        services.unit_create(body=body, kind="district", name=nfd("HUYỆN NA RÌ"))
    assert refusal.value.message_dict == {"name": [UNIT_TAKEN]}


# --- Clusters: one name in a body ---------------------------------------------------


@pytest.mark.parametrize("typed", ["CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ", nfd(CLUSTER)])
def test_the_same_cluster_name_in_another_case_or_form_is_refused(
    staff_client, body, cluster, typed
):
    assert refused(create_cluster(staff_client, body, typed)) == {"name": [CLUSTER_TAKEN]}
    assert Cluster.objects.count() == 1


def test_the_same_cluster_name_is_allowed_in_another_body(other_body, cluster):
    other = services.cluster_create(
        body=other_body, name=nfd(CLUSTER.upper()), kind="cum", level="provincial"
    )
    assert (other.name, other.name_key) == (CLUSTER.upper(), CLUSTER.lower())


def test_the_cluster_service_refuses_on_the_name_field_once(body, cluster):
    with pytest.raises(ValidationError) as refusal:
        services.cluster_update(
            cluster=ClusterFactory(body=body, name="Khối thi đua các sở"),
            name="cụm thi đua các huyện, thành phố",
            kind="khoi",
            level="provincial",
        )
    assert refusal.value.message_dict == {"name": [CLUSTER_TAKEN]}


# --- The database holds the rule too ------------------------------------------------


def _refused_by_the_database(create) -> IntegrityError:
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        create()
    return refusal.value


def test_the_database_refuses_a_second_cluster_of_the_same_name(body, other_body, cluster):
    error = _refused_by_the_database(
        lambda: Cluster.objects.create(body=body, name=nfd(CLUSTER.upper()), level="provincial")
    )
    assert violation_error(error).messages == ["Cơ quan này đã có một cụm, khối cùng tên."]
    Cluster.objects.create(body=other_body, name=CLUSTER, level="provincial")
    assert Cluster.objects.count() == 2


def test_the_database_refuses_a_second_unit_in_force_of_the_same_name(body, other_body):
    Unit.objects.create(body=body, name=NA_RI, kind="district")
    error = _refused_by_the_database(
        lambda: Unit.objects.create(body=body, name="HUYỆN NA RÌ", kind="district")
    )
    # What a form shows when two people save the same name at the same moment.
    assert violation_error(error).messages == [
        "Danh mục này đã có một đơn vị cùng tên đang hoạt động."
    ]
    Unit.objects.create(body=other_body, name=NA_RI, kind="district")
    Unit.objects.create(
        body=body, name=nfd(NA_RI), kind="district", active_to=datetime.date(2025, 6, 30)
    )
    assert Unit.objects.count() == 3


# --- Existing rows ------------------------------------------------------------------

BEFORE = [("clusters", "0005_award_type_catalogue_moves_to_base")]
AFTER = [("clusters", "0006_names_in_one_unicode_form_unique_by_key")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _back_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_stores_existing_names_composed_with_their_keys():
    old = _migrate(BEFORE)
    body = old.get_model("clusters", "OrganizingBody").objects.create(
        name=nfd("UBND tỉnh Bắc Kạn"), place="Bắc Kạn", level="provincial"
    )
    unit = old.get_model("clusters", "Unit").objects.create(
        body=body, name=nfd("HUYỆN NA RÌ"), short_name=nfd("Na Rì"), kind="district"
    )
    cluster = old.get_model("clusters", "Cluster").objects.create(
        body=body, name=nfd(CLUSTER), level="provincial"
    )
    person = old.get_model("clusters", "Person").objects.create(
        body=body, full_name=nfd("Nông Văn\u200b Nguyên")
    )
    assert not unicodedata.is_normalized("NFC", unit.name)

    new = _migrate(AFTER)
    _back_to_the_latest()

    unit = new.get_model("clusters", "Unit").objects.get(pk=unit.pk)
    assert (unit.name, unit.short_name, unit.name_key) == ("HUYỆN NA RÌ", "Na Rì", "huyện na rì")
    cluster = new.get_model("clusters", "Cluster").objects.get(pk=cluster.pk)
    assert (cluster.name, cluster.name_key) == (CLUSTER, CLUSTER.lower())
    person = new.get_model("clusters", "Person").objects.get(pk=person.pk)
    assert person.full_name == "Nông Văn Nguyên"
    body = new.get_model("clusters", "OrganizingBody").objects.get(pk=body.pk)
    assert body.name == "UBND tỉnh Bắc Kạn"
    assert unicodedata.is_normalized("NFC", unit.name)


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_and_names_existing_duplicates():
    old = _migrate(BEFORE)
    body = old.get_model("clusters", "OrganizingBody").objects.create(
        name="UBND tỉnh Bắc Kạn", place="Bắc Kạn", level="provincial"
    )
    OldCluster = old.get_model("clusters", "Cluster")
    first = OldCluster.objects.create(body=body, name=CLUSTER, level="provincial")
    second = OldCluster.objects.create(body=body, name=nfd(CLUSTER.upper()), level="provincial")
    OldUnit = old.get_model("clusters", "Unit")
    open_unit = OldUnit.objects.create(body=body, name=NA_RI, kind="district")
    OldUnit.objects.create(body=body, name=NA_RI, kind="district", active_to="2025-06-30")
    try:
        with pytest.raises(RuntimeError) as stop:
            _migrate(AFTER)
        message = str(stop.value)
        assert f"- cluster: #{first.pk} “{CLUSTER}”, #{second.pk} “{nfd(CLUSTER.upper())}”" in (
            message
        )
        # An ended unit does not clash with the one in force.
        assert "- unit" not in message
        # Nothing was changed: the rows keep their names, the schema its old columns.
        assert OldCluster.objects.get(pk=second.pk).name == nfd(CLUSTER.upper())
        assert OldUnit.objects.get(pk=open_unit.pk).name == NA_RI
    finally:
        OldCluster.objects.filter(pk=second.pk).delete()
        _back_to_the_latest()
