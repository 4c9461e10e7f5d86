"""Twenty people pressing "save" at once with the same unique value: one row, no error page.

Real parallel requests, each thread with its own database connection, against
PostgreSQL (SQLite serialises writers, so the race cannot happen there).
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from clusters.models import Cluster, Role, Unit
from tests.factories import OrganizingBodyFactory, RoleFactory, UserFactory

THREADS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]


def _post_at_once(user, url, data) -> list:
    barrier = threading.Barrier(THREADS)
    responses = [None] * THREADS

    def post(index):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            barrier.wait(timeout=30)
            responses[index] = client.post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def _form_errors(response) -> list[str]:
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


@pytest.fixture
def staff_user(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    body = OrganizingBodyFactory(name="UBND tỉnh Nam Định", short_name="Nam Định")
    user = RoleFactory(user=UserFactory(username="sonoivu"), body=body, kind=Role.Kind.STAFF).user
    return body, user


def test_twenty_simultaneous_units_with_one_code_make_one_unit_and_no_error_page(staff_user):
    body, user = staff_user
    data = {"body": body.pk, "kind": "district", "name": "Huyện Hải Hậu", "code": "HH"}
    responses = _post_at_once(user, reverse("clusters:unit-create"), data)
    codes = sorted(response.status_code for response in responses)
    assert 500 not in codes
    assert codes.count(302) == 1
    assert Unit.objects.filter(body=body, code="HH").count() == 1
    refused = [response for response in responses if response.status_code == 200]
    assert len(refused) == THREADS - 1
    # Name and code both clash; which of the two constraints the database checks first
    # is a race, so each refusal must name at least one of them and nothing else.
    clashes = {
        "Mã này đã được dùng cho một đơn vị khác trong danh mục.",
        "Đã có đơn vị tên “Huyện Hải Hậu” trong danh mục này, hoạt động trong cùng thời gian.",
        "Danh mục này đã có một đơn vị cùng tên đang hoạt động.",
    }
    for response in refused:
        assert set(_form_errors(response)) <= clashes
        assert _form_errors(response)


def test_twenty_simultaneous_clusters_with_one_name_make_one_cluster(staff_user):
    body, user = staff_user
    data = {"body": body.pk, "name": "Cụm thi đua số 1", "kind": "cum", "level": "provincial"}
    responses = _post_at_once(user, reverse("clusters:cluster-create"), data)
    assert 500 not in [response.status_code for response in responses]
    assert Cluster.objects.filter(body=body, name="Cụm thi đua số 1").count() == 1
    # Refused by the form once the first row is committed (naming it), or by the
    # database's unique rule while the first save is still in flight.
    told = {
        "Đã có cụm, khối tên “Cụm thi đua số 1” trong cơ quan này.",
        "Cơ quan này đã có một cụm, khối cùng tên.",
    }
    for response in responses:
        if response.status_code == 200:
            errors = _form_errors(response)
            assert len(errors) == 1 and errors[0] in told
