"""A constraint the database enforces speaks with its own message, on both databases."""

import pytest
from django.db import IntegrityError, transaction

from clusters.models import Cluster, Unit
from core.constraints import find_constraint, violation_error


def _refusal(create) -> IntegrityError:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        create()
    return excinfo.value


@pytest.mark.django_db
def test_a_duplicate_unit_code_gives_the_constraint_s_message(body):
    Unit.objects.create(body=body, name="Huyện Na Rì", code="NR")
    error = _refusal(lambda: Unit.objects.create(body=body, name="Huyện Na Rì 2", code="NR"))
    model, constraint = find_constraint(error)
    assert (model, constraint.name) == (Unit, "unit_code_unique_in_body")
    assert violation_error(error).messages == [
        "Mã này đã được dùng cho một đơn vị khác trong danh mục."
    ]


@pytest.mark.django_db
def test_a_duplicate_cluster_name_gives_the_constraint_s_message(body):
    Cluster.objects.create(body=body, name="Cụm thi đua số 1")
    error = _refusal(lambda: Cluster.objects.create(body=body, name="Cụm thi đua số 1"))
    assert violation_error(error).messages == ["Cơ quan này đã có một cụm, khối cùng tên."]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            'duplicate key value violates unique constraint "cluster_name_unique_in_body"\n'
            "DETAIL:  Key (body_id, name)=(1, x) already exists.",
            "cluster_name_unique_in_body",
        ),
        ("UNIQUE constraint failed: clusters_cluster.body_id, clusters_cluster.name_key",
         "cluster_name_unique_in_body"),
        ("CHECK constraint failed: unit_active_dates_in_order", "unit_active_dates_in_order"),
        ('new row for relation "clusters_unit" violates check constraint '
         '"unit_active_dates_in_order"', "unit_active_dates_in_order"),
    ],
)  # fmt: skip
def test_both_databases_wordings_name_the_constraint(text, name):
    _model, constraint = find_constraint(IntegrityError(text))
    assert constraint.name == name


def test_an_unknown_violation_gets_a_general_message_not_an_error_page():
    error = violation_error(IntegrityError("FOREIGN KEY constraint failed"))
    assert error.messages == [
        "Vừa có người lưu cùng bản ghi này nên dữ liệu chưa được lưu. Hãy kiểm tra lại "
        "và lưu lần nữa."
    ]
