"""Real parallel requests on every create form with a unique rule and on every grid.

Each thread has its own database connection, against PostgreSQL (SQLite serialises
writers, so the races cannot happen there); the approach of
tests/core/test_concurrent_creates.py. Asserted: no server error, no duplicate row, and
no lost update — two saves of different cells both land (or, where a grid refuses any
stale save, the second is told), two saves of the same cell keep one and tell the other.
"""

import threading
from decimal import Decimal

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from clusters.models import Cluster, ClusterYear, Role, Unit, UnitSuccession
from pledges.models import Period, Pledge
from scoring.models import CriteriaSheet
from tests.factories import ClusterYearFactory, UnitFactory
from tests.security.conftest import FAST_HASHERS, build_side
from tests.security.crawl import form_fields, page_forms

THREADS = 6

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]


@pytest.fixture
def side(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    side = build_side("A")
    cluster = side[Cluster]
    side.fresh_year = ClusterYearFactory(cluster=cluster, year=2024)  # no pledge, no sheet
    side.loose_unit = UnitFactory(body=cluster.body, name="Huyện Mới Lập")
    return side


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _at_once(clients, url, datas) -> list:
    """POST ``datas[i]`` with ``clients[i]``, all released at the same moment."""
    barrier = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def post(index):
        try:
            barrier.wait(timeout=30)
            answers[index] = clients[index].post(url, datas[index])
        except Exception as error:  # noqa: BLE001 - the assertions show it
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return answers


def _form_data(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return form_fields(page_forms(response.content)[0])[0]


# name: (URL of the form, the fields that make the row, the rows it may make). A person
# has no unique rule (two people may share a name), so the people register is not here.
CREATES = {
    "a cluster named twice in a body": (
        lambda s: reverse("clusters:cluster-create"),
        {"name": "Cụm thi đua song song", "level": "provincial"},
        lambda s: Cluster.objects.filter(body=s[Cluster].body, name="Cụm thi đua song song"),
    ),
    "a unit named twice in a register": (
        lambda s: reverse("clusters:unit-create"),
        {"name": "Huyện Song Song", "kind": Unit.Kind.DISTRICT},
        lambda s: Unit.objects.filter(body=s[Cluster].body, name="Huyện Song Song"),
    ),
    "a year of a cluster": (
        lambda s: reverse("clusters:clusteryear-create", args=[s[Cluster].pk]),
        {"year": "2025", "members": lambda s: [str(s[Unit].pk), str(s.loose_unit.pk)]},
        lambda s: ClusterYear.objects.filter(cluster=s[Cluster], year=2025),
    ),
    "a pledge of a cluster year": (
        lambda s: reverse("pledges:pledge-create", args=[s.fresh_year.pk]),
        {"theme": "Thi đua song song"},
        lambda s: Pledge.objects.filter(cluster_year=s.fresh_year),
    ),
    "a criteria sheet of a cluster year": (
        lambda s: reverse("scoring:criteriasheet-create", args=[s.fresh_year.pk]),
        {"name": "Bảng điểm song song"},
        lambda s: CriteriaSheet.objects.filter(cluster_year=s.fresh_year),
    ),
    "a period named twice in a pledge": (
        lambda s: reverse("pledges:period-create", args=[s[Pledge].pk]),
        {"name": "Quý III song song", "ends_on": "30/09/2023"},
        lambda s: Period.objects.filter(pledge=s[Pledge], name="Quý III song song"),
    ),
    "a succession of the same pair": (
        lambda s: reverse("clusters:unitsuccession-create", args=[s.loose_unit.pk]),
        {"successor": lambda s: str(s[Unit].pk), "kind": UnitSuccession.Kind.MERGER},
        lambda s: UnitSuccession.objects.filter(predecessor=s.loose_unit),
    ),
    "an account with one user name": (
        lambda s: reverse("clusters:account-create"),
        {
            "username": "thuky.songsong",
            "full_name": "Thư ký Song Song",
            "password1": "Song-song-2023!",
            "password2": "Song-song-2023!",
        },
        lambda s: get_user_model().objects.filter(username="thuky.songsong"),
    ),
}


@pytest.mark.parametrize("case", list(CREATES))
def test_simultaneous_creates_make_one_row_and_no_error_page(case, side):
    url_of, fields, rows_of = CREATES[case]
    url = url_of(side)
    staff = side.users[Role.Kind.STAFF]
    data = _form_data(_client(staff), url)
    data.update({k: (v(side) if callable(v) else v) for k, v in fields.items()})
    before = rows_of(side).count()
    answers = _at_once([_client(staff) for _ in range(THREADS)], url, [data] * THREADS)
    codes = [getattr(answer, "status_code", repr(answer)) for answer in answers]
    assert all(code in (200, 302) for code in codes), codes
    assert 302 in codes, f"no request saved {case}: {codes}"
    assert rows_of(side).count() == before + 1


# name: (URL of the grid, whether two stale saves of different cells both land)
GRIDS = {
    "commitments": (lambda s: reverse("pledges:pledge-commitments", args=[s[Pledge].pk]), True),
    "mid-year results": (lambda s: reverse("pledges:period-results", args=[s[Period].pk]), True),
    "board scores": (
        lambda s: reverse("scoring:criteriasheet-scores", args=[s[CriteriaSheet].pk, "board"]),
        False,  # the score grid refuses any save made from an older revision
    ),
}


def _number_cells(client, url) -> tuple[dict, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    form = page_forms(response.content)[0]
    cells = [e.get("name") for e in form.xpath(".//input[@inputmode='decimal'][@name]")]
    return form_fields(form)[0], cells


def _shown(client, url) -> dict:
    form = lxml.html.fromstring(client.get(url).content).xpath("//main//form[@method='post']")[0]
    return {e.get("name"): e.get("value") or "" for e in form.xpath(".//input[@name]")}


def _number(text: str) -> Decimal | None:
    text = text.replace(".", "").replace(",", ".").strip()
    return Decimal(text) if text else None


@pytest.mark.parametrize("grid", list(GRIDS))
def test_two_saves_of_different_cells_lose_nothing(grid, side):
    url_of, merges = GRIDS[grid]
    url = url_of(side)
    staff = side.users[Role.Kind.STAFF]
    clients = [_client(staff), _client(staff)]
    loaded = [_number_cells(client, url) for client in clients]
    (data, cells), _ = loaded
    first, second = cells[:2]
    datas = [{**loaded[0][0], first: "11"}, {**loaded[1][0], second: "22"}]
    answers = _at_once(clients, url, datas)
    codes = [getattr(answer, "status_code", repr(answer)) for answer in answers]
    shown = _shown(clients[0], url)
    stored = (_number(shown[first]), _number(shown[second]))
    if merges:
        assert codes == [302, 302]
        assert stored == (Decimal(11), Decimal(22))
    else:
        assert sorted(codes) == [200, 302], codes
        saved = codes.index(302)
        assert stored[saved] == (Decimal(11), Decimal(22))[saved]
        refused = lxml.html.fromstring(answers[1 - saved].content)
        kept = refused.xpath(f"//input[@name='{(first, second)[1 - saved]}']")[0].get("value")
        assert _number(kept) == (Decimal(11), Decimal(22))[1 - saved]


@pytest.mark.parametrize("grid", list(GRIDS))
def test_two_saves_of_the_same_cell_keep_one_and_tell_the_other(grid, side):
    url_of, _merges = GRIDS[grid]
    url = url_of(side)
    staff = side.users[Role.Kind.STAFF]
    clients = [_client(staff), _client(staff)]
    loaded = [_number_cells(client, url) for client in clients]
    cell = loaded[0][1][0]
    values = ["33", "44"]
    answers = _at_once(clients, url, [{**loaded[i][0], cell: values[i]} for i in range(2)])
    codes = [getattr(answer, "status_code", repr(answer)) for answer in answers]
    assert sorted(codes) == [200, 302], codes
    saved = codes.index(302)
    assert _number(_shown(clients[0], url)[cell]) == Decimal(values[saved])
    told = lxml.html.fromstring(answers[1 - saved].content)
    assert told.xpath("//*[contains(@class, 'alert-danger') or contains(@class, 'alert-warning')]")
    # What the other one typed is still in the cell, for them to decide.
    kept = told.xpath(f"//input[@name='{cell}']")[0].get("value")
    assert _number(kept) == Decimal(values[1 - saved])
