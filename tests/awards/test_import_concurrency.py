"""The same award list confirmed twice at the same moment is recorded once.

Each thread has its own database connection, against PostgreSQL (SQLite serialises
writers, so the race cannot happen there), as tests/security/test_concurrency.py does.
"""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from awards.models import Award, AwardStep, Decision
from clusters.models import AwardType
from tests.awards.test_import import URL, line, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]


@pytest.fixture
def catalogue(db):
    """A test on a real transaction runs in a database earlier such tests emptied, the
    seeded catalogue with it: put back the row the list names."""
    AwardType.objects.get_or_create(
        name="Bằng khen của UBND tỉnh",
        body=None,
        defaults={"category": "commendation", "recipient": "both", "level": "province"},
    )


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_two_confirmations_of_one_list_at_once_record_it_once(staff, body, units, catalogue):
    rows = [line(**{"Đơn vị": unit.name}) for unit in units] + [
        line(**{"Đối tượng": "Cá nhân", "Tên": f"Hoàng Văn {name}", "Đơn vị": "Na Rì"})
        for name in ("An", "Bình", "Cường", "Dũng", "Giang")
    ]
    clients = [_client(staff), _client(staff)]
    tokens = []
    for client in clients:
        checked = client.post(URL, {"body": body.pk, "file": upload(body, rows)})
        assert checked.status_code == 200
        assert checked.context["result"].ok
        tokens.append(checked.context["token"])
    barrier = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def confirm(index):
        try:
            barrier.wait(timeout=30)
            answers[index] = clients[index].post(URL, {"token": tokens[index]})
        except Exception as error:  # noqa: BLE001 - the assertions show it
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert [getattr(answer, "status_code", answer) for answer in answers] == [302, 302]
    assert {answer.url for answer in answers} == {reverse("awards:award-list")}
    # One set of awards, each with its history row and its step; one decision.
    assert Award.objects.count() == len(rows)
    assert len(set(Award.objects.values_list("import_key", flat=True))) == len(rows)
    assert AwardStep.objects.count() == len(rows)
    assert Award.history.count() == len(rows)
    assert Decision.objects.count() == 1
    # One was recorded; the other found every row imported before, and says so.
    said = sorted(
        [str(message) for message in get_messages(answer.wsgi_request)] for answer in answers
    )
    assert said == [
        ["Đã nhập 0 khen thưởng. 8 dòng đã được nhập trước đó và được giữ nguyên."],
        ["Đã nhập 8 khen thưởng."],
    ]
