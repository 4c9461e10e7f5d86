"""``core.history.bulk_update_with_history``: the rows get exactly the new values, the
rest stays, and the history rows are those django-simple-history's own function writes.

Runs on whichever database the suite runs on (SQLite takes Django's ``bulk_update``,
PostgreSQL one ``UPDATE … FROM (VALUES …)``): run it on both.
"""

from decimal import Decimal

import pytest
from django.utils import timezone
from simple_history import utils as simple_history_utils

from core.history import bulk_delete_with_history, bulk_update_with_history
from pledges.models import Result, Target
from tests.factories import UserFactory
from tests.factories.pledges import PeriodFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db

FIELDS = ["name", "weight", "cluster_value", "order", "note"]


@pytest.fixture
def targets():
    first = TargetFactory(name="Thu ngân sách", weight=Decimal("15"), note="Ghi chú")
    pledge = first.pledge
    return [
        first,
        TargetFactory(pledge=pledge, name="Tạo việc làm", cluster_value=Decimal("120.5")),
        TargetFactory(pledge=pledge, name="Không đổi", weight=Decimal("3")),
    ]


def _change(targets):
    first, second, _untouched = targets
    first.name, first.weight, first.cluster_value = "Thu ngân sách nhà nước", None, Decimal("1.25")
    first.order, first.note = 7, ""
    second.name, second.weight, second.cluster_value = "Giải quyết việc làm", Decimal("2.5"), None
    second.order, second.note = 8, "Ưu tiên"
    # Not in FIELDS: must not be written.
    first.group = second.group = "Đổi nhóm"
    return [first, second]


def _stored(pk):
    return Target.objects.values(*FIELDS, "group").get(pk=pk)


def test_it_writes_exactly_the_new_values(targets):
    untouched_before = _stored(targets[2].pk)

    updated = bulk_update_with_history(_change(targets), Target, FIELDS)

    assert updated == 2
    assert _stored(targets[0].pk) == {
        "name": "Thu ngân sách nhà nước",
        "weight": None,
        "cluster_value": Decimal("1.25"),
        "order": 7,
        "note": "",
        "group": "Kinh tế",
    }
    assert _stored(targets[1].pk) == {
        "name": "Giải quyết việc làm",
        "weight": Decimal("2.5"),
        "cluster_value": None,
        "order": 8,
        "note": "Ưu tiên",
        "group": "Kinh tế",
    }
    assert _stored(targets[2].pk) == untouched_before


def test_it_writes_one_history_row_per_changed_row(targets):
    user = UserFactory(username="thu-ky")
    before = Target.history.count()

    bulk_update_with_history(
        _change(targets), Target, FIELDS, default_user=user, default_change_reason="Nhập Excel"
    )

    rows = Target.history.order_by("history_id")[before:]
    assert [(row.id, row.history_type) for row in rows] == [
        (targets[0].pk, "~"),
        (targets[1].pk, "~"),
    ]
    for row, target in zip(rows, targets, strict=False):
        assert row.history_user == user
        assert row.history_change_reason == "Nhập Excel"
        assert (row.name, row.weight, row.cluster_value, row.order, row.note) == (
            target.name,
            target.weight,
            target.cluster_value,
            target.order,
            target.note,
        )
        # Every tracked field is recorded as the instance holds it, as the library does.
        assert row.group == "Đổi nhóm"
    assert not Target.history.filter(id=targets[2].pk, history_type="~").exists()


def test_its_history_is_what_the_library_writes(targets):
    """Same rows changed once by the library's function and once by ours: the history
    rows differ only in their ids and dates."""
    user = UserFactory(username="thu-ky")
    period = PeriodFactory()
    ours = [ResultFactory(period=period, value=Decimal(n)) for n in range(3)]
    theirs = [ResultFactory(period=period, value=Decimal(n)) for n in range(3)]
    now = timezone.now()
    for rows in (ours, theirs):
        for index, row in enumerate(rows):
            row.value = None if index == 0 else Decimal("12.3456") * index
            row.text = "có" if index == 0 else ""
            row.updated_by, row.updated_at = user, now
    fields = ["value", "text", "updated_by", "updated_at"]

    bulk_update_with_history(ours, Result, fields, default_user=user)
    simple_history_utils.bulk_update_with_history(theirs, Result, fields, default_user=user)

    def recorded(rows):
        history = Result.history.filter(id__in=[row.pk for row in rows], history_type="~")
        return [
            (
                row.value,
                row.text,
                row.updated_by_id,
                row.updated_at,
                row.history_user_id,
                row.history_change_reason,
                row.target_id,
            )
            for row in history.order_by("id")
        ]

    assert len(recorded(ours)) == 3
    # The library's rows carry the same values, but other target ids (other rows).
    assert [entry[:6] for entry in recorded(ours)] == [entry[:6] for entry in recorded(theirs)]
    stored = Result.objects.filter(pk__in=[row.pk for row in ours]).order_by("pk")
    assert list(stored.values_list("value", "text")) == [
        (None, "có"),
        (Decimal("12.3456"), ""),
        (Decimal("24.6912"), ""),
    ]


def test_it_does_nothing_for_no_rows(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_with_history([], Target, FIELDS) == 0


def test_it_uses_two_queries_however_many_rows(targets, django_assert_max_num_queries):
    """One update and one history insert (plus the savepoint of a nested atomic block
    under the test's transaction)."""
    changed = _change(targets)
    with django_assert_max_num_queries(4) as few:
        bulk_update_with_history(changed[:1], Target, FIELDS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        bulk_update_with_history(changed, Target, FIELDS)


def test_bulk_delete_removes_exactly_the_rows_given_and_records_each():
    user = UserFactory(username="thu-ky")
    period = PeriodFactory()
    gone = [ResultFactory(period=period, value=Decimal(n), text="") for n in (5, 7)]
    kept = ResultFactory(period=period, value=Decimal(9))
    gone[0]._history_user = user
    gone[1]._change_reason = "Xóa khi nhập Excel"

    deleted = bulk_delete_with_history(gone, Result)

    assert deleted == 2
    assert list(Result.objects.filter(period=period)) == [kept]
    history = Result.history.filter(history_type="-").order_by("history_id")
    assert [
        (
            row.id,
            row.value,
            row.target_id,
            row.member_id,
            row.history_user,
            row.history_change_reason,
        )
        for row in history
    ] == [
        (gone[0].pk, Decimal(5), gone[0].target_id, gone[0].member_id, user, None),
        (gone[1].pk, Decimal(7), gone[1].target_id, gone[1].member_id, None, "Xóa khi nhập Excel"),
    ]


def test_bulk_delete_records_what_a_single_delete_records():
    period = PeriodFactory()
    ours, theirs = ResultFactory(period=period, text="a"), ResultFactory(period=period, text="a")

    ours_pk, theirs_pk = ours.pk, theirs.pk  # delete() forgets the key

    bulk_delete_with_history([ours], Result)
    theirs.delete()

    def recorded(pk):
        row = Result.history.get(id=pk, history_type="-")
        return (row.value, row.text, row.history_user_id, row.history_change_reason)

    assert recorded(ours_pk) == recorded(theirs_pk)


def test_bulk_delete_uses_two_queries_however_many_rows(django_assert_max_num_queries):
    period = PeriodFactory()
    rows = [ResultFactory(period=period) for _ in range(4)]
    with django_assert_max_num_queries(4) as few:
        bulk_delete_with_history(rows[:1], Result)
    with django_assert_max_num_queries(len(few.captured_queries)):
        bulk_delete_with_history(rows[1:], Result)
    assert not Result.objects.filter(period=period).exists()
