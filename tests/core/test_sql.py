"""Compiled SQL with holes (core.sql), and the global search that keeps its scoped parts."""

from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from clusters.models import Role, Unit
from core.sql import (
    CompiledCache,
    from_json_row,
    hole,
    integer_hole,
    json_row,
    planned_once,
    splice,
)
from reports import selectors as report_selectors
from reports.selectors import global_search
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _rows(sql, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def test_each_hole_takes_its_sql_and_its_parameters_in_their_place(body, other_body):
    kept = UnitFactory(body=body, name="Huyện Na Rì")
    UnitFactory(body=body, name="Huyện Ba Bể")
    UnitFactory(body=other_body, name="Huyện Na Rì Lào Cai")
    table = connection.ops.quote_name(Unit._meta.db_table)
    # Parameters before the first hole (the body), between the holes and after them.
    queryset = (
        Unit.objects.filter(body_id=body.pk)
        .filter(hole("named"))
        .exclude(name="Huyện Chợ Mới")
        .annotate(rank=integer_hole("rank"), key=F("sort_key"))
        .values_list("pk", "rank")
    )
    sql, params = queryset.query.sql_with_params()

    spliced = splice(
        sql,
        params,
        {
            "named": (f'{table}."name" LIKE %s AND {table}."name" <> %s', ["%Na%", "x"]),
            "rank": ("(CASE WHEN 1 = %s THEN %s ELSE 0 END)", [1, 42]),
        },
    )

    assert _rows(*spliced) == [(kept.pk, 42)]


def test_a_hole_missing_from_the_sql_is_refused():
    with pytest.raises(ValueError, match="named"):
        splice("SELECT 1", [], {"named": ("1 = 1", [])})


def test_an_escaped_percent_sign_is_not_a_placeholder(body):
    UnitFactory(body=body, name="Đạt 100%")
    UnitFactory(body=body, name="Đạt 90")
    queryset = (
        Unit.objects.filter(name__endswith="%").filter(hole("body")).values_list("name", flat=True)
    )
    sql, params = queryset.query.sql_with_params()

    spliced = splice(sql, params, {"body": ('"clusters_unit"."body_id" = %s', [body.pk])})

    assert _rows(*spliced) == [("Đạt 100%",)]


def test_the_cache_compiles_once_per_key_and_forgets_the_oldest():
    cache = CompiledCache(size=2)
    built = []

    def build(name):
        def compile_():
            built.append(name)
            return Unit.objects.filter(name=name)

        return compile_

    first = cache.get("a", build("a"))
    assert cache.get("a", build("a")) == first
    cache.get("b", build("b"))
    cache.get("a", build("a"))  # used last: "b" is now the oldest
    cache.get("c", build("c"))
    cache.get("a", build("a"))
    cache.get("b", build("b"))

    assert built == ["a", "b", "c", "b"]


def test_the_global_search_compiles_each_scope_once_and_follows_a_new_role(staff, body, other_body):
    parts = report_selectors._SCOPED_PARTS
    parts.clear()
    UnitFactory(body=body, name="Huyện Na Rì")
    UnitFactory(body=other_body, name="Xã Na Rì")
    kinds = len(report_selectors.SEARCH_KINDS)

    first = global_search(staff, "na ri")
    again = global_search(staff, "Na Rì")
    assert len(parts) == kinds
    # Given the other body's register too, the next request (a fresh user object, so a
    # fresh scope) compiles its own parts and finds that body's unit.
    Role.objects.create(user=staff, body=other_body, kind=Role.Kind.VIEWER)
    widened = global_search(type(staff).objects.get(pk=staff.pk), "na ri")
    assert len(parts) == 2 * kinds

    def units(sections):
        return [str(row) for s in sections if s.key == "units" for row in s.rows]

    assert units(first) == units(again) == ["Huyện Na Rì"]
    assert units(widened) == ["Huyện Na Rì", "Xã Na Rì"]


def test_a_model_selects_options_are_read_without_a_cursor_on_the_server(body):
    """``QuerySet.iterator()`` (what a form's model select reads its options with) would
    declare a cursor on PostgreSQL, fetch from it and close it: three round trips for a
    few dozen rows. The settings turn server-side cursors off."""
    UnitFactory(body=body, name="Huyện Na Rì")
    field = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"))
    with CaptureQueriesContext(connection) as queries:
        html = field.widget.render("unit", None)

    assert "Huyện Na Rì" in html
    assert [q["sql"].split()[0] for q in queries] == ["SELECT"]


# --- Whole rows as JSON (json_row, from_json_row) ---------------------------------------


def _through_json(model) -> list:
    table = connection.ops.quote_name(model._meta.db_table)
    rows = _rows(f"SELECT {json_row(model, 'r')} FROM {table} r", [])
    return sorted(
        (from_json_row(model, text, connection.alias) for (text,) in rows),
        key=lambda instance: instance.pk,
    )


def _values(instance) -> list:
    return [
        (field.attname, type(value).__name__, str(value))
        for field in instance._meta.concrete_fields
        for value in [getattr(instance, field.attname)]
    ]


@pytest.mark.parametrize(
    "label",
    [
        "pledges.result",  # decimals, moments
        "pledges.historicalresult",  # a history table: its user, type and reason
        "awards.award",  # dates, choices, nullable keys
        "scoring.criterion",  # booleans and decimals
        "reports.export",  # a JSON column holding an object with text and numbers
    ],
)
def test_a_row_read_as_json_is_the_row_the_orm_reads(label, staff, cluster_year):
    from django.apps import apps

    from reports.models import Export
    from tests.factories.awards import AwardFactory
    from tests.factories.pledges import ResultFactory
    from tests.factories.scoring import CriterionFactory

    result = ResultFactory(value=Decimal("12.50"), text="Đạt 100% – vượt")
    result.value = Decimal("-0.25")
    result.save()  # a second history row of the same result
    ResultFactory(value=None, target=result.target, period=result.period)
    AwardFactory(body=cluster_year.cluster.body, year=2023)
    CriterionFactory()
    Export.objects.create(
        user=staff,
        kind=Export.Kind.choices[0][0],
        object_id=7,
        params={"đơn vị": "Na Rì", "số": [1, 2.5, None], "có": True},
        title="Báo cáo",
    )
    model = apps.get_model(label)
    through_orm = sorted(model._default_manager.all(), key=lambda instance: instance.pk)
    through_json = _through_json(model)
    assert through_orm, f"no {label} to compare"
    assert [_values(row) for row in through_json] == [_values(row) for row in through_orm]
    assert through_json[0]._state.adding is False


def test_a_row_of_many_columns_is_built_in_several_calls():
    """A JSON-building call takes a bounded number of arguments (PostgreSQL 100): a wide
    table's row is merged from several objects."""
    from clusters.audit import audited_models

    widest = max(audited_models(), key=lambda audited: len(audited.history._meta.concrete_fields))
    sql = json_row(widest.history, "h")
    calls = sql.count("json_object(") + sql.count("jsonb_build_object(")
    assert calls == -(-len(widest.history._meta.concrete_fields) // 40) >= 1


@pytest.mark.django_db
def test_a_query_planned_once_answers_as_a_plain_one_and_is_counted(body):
    UnitFactory(body=body, name="Huyện Na Rì")
    UnitFactory(body=body, name="Huyện Pác Nặm")
    sql = 'SELECT "name" FROM "clusters_unit" WHERE "body_id" = %s ORDER BY "name"'
    answers = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            with planned_once() as cursor:
                cursor.execute(sql, [body.pk])
                answers.append(cursor.fetchall())

    assert answers == [[("Huyện Na Rì",), ("Huyện Pác Nặm",)]] * 3
    # Seen by the query log and its tests like any other, its text included (as sent:
    # PostgreSQL receives the parameter apart).
    value = "$1" if connection.vendor == "postgresql" else str(body.pk)
    logged = f'SELECT "name" FROM "clusters_unit" WHERE "body_id" = {value} ORDER BY "name"'
    assert [q["sql"] for q in queries] == [logged] * 3


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")
def test_postgresql_plans_a_query_planned_once_once_per_connection(body):
    """The statement is prepared at its first run and the same one serves the next runs
    on the connection (a query of the audit log's: 3.4 ms planned each time, 0.3 ms
    prepared)."""
    sql = 'SELECT COUNT(*) FROM "clusters_unit" WHERE "body_id" = %s'

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%FROM "clusters_unit" WHERE "body_id" = $1'],
            )
            return [row[0] for row in cursor.fetchall()]

    before = prepared()
    for _ in range(3):
        with planned_once() as cursor:
            cursor.execute(sql, [body.pk])
            assert cursor.fetchone() == (0,)

    assert len(prepared()) == len(before) + 1
    # The product's other queries are still bound on the client and never prepared.
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute('SELECT COUNT(*) FROM "clusters_unit" WHERE "body_id" = %s', [body.pk])
    assert len(prepared()) == len(before) + 1
