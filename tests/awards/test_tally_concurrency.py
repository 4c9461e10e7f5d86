"""Two transactions granting awards counted under the same key at the same moment do not
wait for each other on the tallies (PostgreSQL: the triggers only add rows).

Each thread has its own database connection, as tests/awards/test_import_concurrency.py
does; SQLite writes one transaction at a time, so the question does not arise there.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from awards.models import GrantedByPlace, GrantedByType
from clusters.models import AwardType
from tests.awards.test_tally import decided

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]


def test_two_grants_under_one_key_at_once_neither_waits(body, units):
    # A test on a real transaction may run in a database an earlier such test emptied,
    # the seeded catalogue with it: put back the award type it grants.
    certificate, _ = AwardType.objects.get_or_create(
        name="Bằng khen của UBND tỉnh",
        body=None,
        defaults={"category": "commendation", "recipient": "both", "level": "province"},
    )
    written, finished = threading.Event(), threading.Event()
    problems = []

    def first():
        try:
            with transaction.atomic():
                decided(body, units[0], year=2022, award_type=certificate)
                written.set()
                # Holds its transaction open until the second has written and committed.
                assert finished.wait(20)
        except Exception as error:  # noqa: BLE001 (reported by the test)
            problems.append(error)
            written.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert written.wait(20)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Waiting on the first transaction's rows would fail here, not hang.
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            decided(body, units[0], year=2022, award_type=certificate)
    finally:
        finished.set()
        thread.join(30)
    assert problems == []

    key = {"body_id": body.pk, "year": 2022, "cluster_year_id": 0, "recipient_kind": "unit"}
    by_type = GrantedByType.objects.filter(**key, award_type_id=certificate.pk)
    by_place = GrantedByPlace.objects.filter(**key, unit_id=units[0].pk)
    assert sum(by_type.values_list("count", flat=True)) == 2
    assert sum(by_place.values_list("count", flat=True)) == 2
