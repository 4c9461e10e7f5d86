"""The composite pages (dashboard, province summary) and the audit log take an
exact number of queries: the same for one item as for three, and the same however long
the history behind them grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.audit import audited, entries, newest_rows
from clusters.models import Cluster, ClusterMember
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.reports.test_summary import _clusters_with_data

pytestmark = pytest.mark.django_db

AUDIT_URL = reverse("reports:audit-log")


def queries_of(client, url) -> tuple[int, object]:
    client.get(url)  # per-process caches (content types, sessions) warm up first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


# --- The dashboard -----------------------------------------------------------------------


def test_the_dashboard_reads_the_same_queries_for_one_year_of_history_as_for_three(
    staff_client, body
):
    cluster = ClusterFactory(body=body, name="Cụm thi đua số 1")
    ClusterYearFactory(cluster=cluster, year=2020)
    url = reverse("reports:dashboard") + "?year=2024"

    one, _response = queries_of(staff_client, url)
    for year in (2021, 2022):
        cluster_year = ClusterYearFactory(cluster=cluster, year=year)
        ClusterMemberFactory(
            cluster_year=cluster_year, unit=UnitFactory(body=body), role=ClusterMember.Role.HEAD
        )
    ClusterYearFactory(cluster=cluster, year=2025)  # after the year asked: not shown
    three, response = queries_of(staff_client, url)

    # … and the awards waiting at the user's levels of the approval chain (one query).
    assert (one, three) == (8, 8)
    [row] = [row for row in response.context["rows"] if row["cluster"] == cluster]
    assert (row["year"].year, row["is_current"], row["year"].member_count) == (2022, False, 1)
    assert row["year"].head is not None
    # The years offered: from the earliest to the latest of the clusters' years, read
    # with the clusters, with this year and the year asked.
    this_year = timezone.localdate().year
    assert response.context["years"] == sorted({this_year, *range(2020, 2026)}, reverse=True)


# --- The province summary ------------------------------------------------------------------


def test_the_summary_page_takes_as_many_queries_for_one_cluster_as_for_three(staff_client, body):
    _clusters_with_data(body, 1)
    url = reverse("reports:summary") + f"?body={body.pk}&year=2023"

    one, _first = queries_of(staff_client, url)
    _clusters_with_data(body, 2, start=1)
    three, second = queries_of(staff_client, url)

    # … with the awards' sections: by type, level and recipient, and the chart's years
    # (2); the years' members, counts and leaders from one query; the sheets with the
    # years, the chairs with the meetings, the years to choose from with the bodies.
    assert (one, three) == (15, 15)
    assert "Cụm thi đua số 3" in second.content.decode()


# --- The audit log -------------------------------------------------------------------------


def rename(cluster: Cluster, name: str, user) -> None:
    cluster.name = name
    cluster._history_user = user
    cluster.save()


def test_the_audit_log_takes_seven_queries_for_one_change_and_for_three(staff_client, staff, body):
    cluster = ClusterFactory(body=body, name="Tên 0")
    one, _first = queries_of(staff_client, AUDIT_URL)
    rename(cluster, "Tên 1", staff)
    rename(cluster, "Tên 2", staff)
    three, second = queries_of(staff_client, AUDIT_URL)

    # Session, user, scope; when each history table last changed; the page's rows across
    # the tables changed last; the rows of every kind on the page (the body and the staff
    # role of the fixtures, the cluster) with their earlier rows; the names they point
    # to and of the users who changed them.
    assert (one, three) == (7, 7)
    clusters = [e for e in second.context["entries"] if e.audited.label == "clusters.cluster"]
    assert [entry.kind for entry in clusters] == ["changed", "changed", "created"]
    assert second.context["entries"][0] is clusters[0]
    assert [change.new for change in second.context["entries"][0].changes] == ["Tên 2"]
    assert [change.old for change in second.context["entries"][0].changes] == ["Tên 1"]


def test_the_audit_log_takes_as_many_queries_for_six_kinds_of_record_as_for_three(
    staff_client, staff, body
):
    ClusterFactory(body=body)
    one, _response = queries_of(staff_client, AUDIT_URL)
    year = ClusterYearFactory(cluster=ClusterFactory(body=body), year=2023)
    ClusterMemberFactory(cluster_year=year, unit=UnitFactory(body=body))
    six_kinds, response = queries_of(staff_client, AUDIT_URL)

    labels = {entry.audited.label for entry in response.context["entries"]}
    assert labels == {
        "clusters.organizingbody",
        "clusters.role",
        "clusters.cluster",
        "clusters.clusteryear",
        "clusters.clustermember",
        "clusters.unit",
    }
    assert six_kinds == one == 7


def test_newest_rows_interleave_the_kinds_newest_first(staff, body):
    cluster = ClusterFactory(body=body, name="Cụm A")
    year = ClusterYearFactory(cluster=cluster, year=2023)
    rename(cluster, "Cụm B", staff)
    trails = [
        (audited(label), audited(label).history.objects.all())
        for label in ("clusters.cluster", "clusters.clusteryear")
    ]

    rows, earlier = newest_rows(trails, limit=2)

    assert [(entry.label, row.history_type) for entry, row in rows] == [
        ("clusters.cluster", "~"),
        ("clusters.clusteryear", "+"),
    ]
    assert rows[1][1].id == year.pk
    assert sorted(row.name for row in earlier[audited("clusters.cluster")]) == ["Cụm A", "Cụm B"]


def test_a_trail_with_a_key_is_compiled_once_and_still_finds_the_newest_rows(staff, body):
    """The audit log's first page names each trail by its kind and scope: its query is
    compiled once (the ORM took a millisecond a page for eight of them), and the rows
    found are still the newest at each reading."""
    cluster = ClusterFactory(body=body, name="Tên 0")
    built = []

    def trail():
        built.append(1)
        return audited("clusters.cluster").history.objects.filter(body_id__in=[body.pk])

    key = ("clusters.cluster", (body.pk,), "keyed trail test")
    trails = [(audited("clusters.cluster"), trail, key)]

    first, _earlier = newest_rows(trails, limit=1)
    rename(cluster, "Tên 1", staff)
    second, _earlier = newest_rows(trails, limit=1)

    assert [row.name for _entry, row in first] == ["Tên 0"]
    assert [row.name for _entry, row in second] == ["Tên 1"]
    assert len(built) == 1


def test_newest_rows_read_one_earlier_row_of_each_record_however_often_it_changed(staff, body):
    """What a row changed is read against the row before it: a record changed a hundred
    times costs the page no more than one changed twice."""
    cluster = ClusterFactory(body=body, name="Tên 0")
    for n in range(1, 8):
        rename(cluster, f"Tên {n}", staff)
    trails = [(audited("clusters.cluster"), audited("clusters.cluster").history.objects.all())]

    rows, earlier = newest_rows(trails, limit=2)

    assert [row.name for _entry, row in rows] == ["Tên 7", "Tên 6"]
    assert sorted(row.name for row in earlier[audited("clusters.cluster")]) == [
        "Tên 5", "Tên 6", "Tên 7",
    ]  # fmt: skip
    entries_read = entries(rows, earlier)
    assert [(c.old, c.new) for e in entries_read for c in e.changes if c.label == "tên"] == [
        ("Tên 6", "Tên 7"),
        ("Tên 5", "Tên 6"),
    ]


def _trails(labels):
    return [(audited(label), audited(label).history.objects.all()) for label in labels]


def _picked(rows):
    return [(entry.label, row.history_id) for entry, row in rows]


def test_newest_rows_read_a_few_kinds_first_and_more_until_none_left_out_could_be_newer(
    staff, body, other_body, monkeypatch
):
    """Whatever the kinds read first, the page is the one the union of every kind gives:
    the reading widens while a kind left out may hold a newer row than the last found
    (here another body's cluster, changed last, hides nothing of this body's trail)."""
    cluster = ClusterFactory(body=body, name="Cụm A")
    year = ClusterYearFactory(cluster=cluster, year=2023)
    ClusterMemberFactory(cluster_year=year, unit=UnitFactory(body=body))
    rename(cluster, "Cụm B", staff)
    ClusterYearFactory(cluster=cluster, year=2024)
    theirs = ClusterFactory(body=other_body, name="Cụm khác")
    rename(theirs, "Cụm khác nữa", staff)
    labels = ("clusters.cluster", "clusters.clusteryear", "clusters.clustermember", "clusters.unit")
    trails = [
        (entry, history.filter(**{f"{entry.body_path}__in": [body.pk]}))
        for entry, history in _trails(labels)
    ]
    monkeypatch.setattr("clusters.audit.FIRST_KINDS", len(labels))
    with CaptureQueriesContext(connection) as whole:
        expected, _earlier = newest_rows(trails, limit=4)

    monkeypatch.setattr("clusters.audit.FIRST_KINDS", 1)
    with CaptureQueriesContext(connection) as widened:
        rows, _earlier = newest_rows(trails, limit=4)

    assert _picked(rows) == _picked(expected)
    assert [(entry.label, row.history_type) for entry, row in rows] == [
        ("clusters.clusteryear", "+"),
        ("clusters.cluster", "~"),
        ("clusters.clustermember", "+"),
        ("clusters.unit", "+"),
    ]
    # One kind, then two, then four: two more reads than when all were read at once.
    assert len(widened) == len(whole) + 2


def test_newest_rows_stop_at_the_kinds_changed_last_when_they_fill_the_page(
    staff, body, monkeypatch
):
    cluster = ClusterFactory(body=body, name="Cụm A")
    ClusterYearFactory(cluster=cluster, year=2023)
    for name in ("Cụm B", "Cụm C", "Cụm D"):
        rename(cluster, name, staff)
    monkeypatch.setattr("clusters.audit.FIRST_KINDS", 1)
    trails = _trails(("clusters.clusteryear", "clusters.cluster"))

    with CaptureQueriesContext(connection) as queries:
        rows, _earlier = newest_rows(trails, limit=3)

    assert [row.name for _entry, row in rows] == ["Cụm D", "Cụm C", "Cụm B"]
    # When each table last changed; the clusters' newest rows (the years' table holds
    # nothing newer); the clusters' rows with their earlier ones.
    assert len(queries) == 3


def test_newest_rows_below_a_moment_bound_each_table_by_its_rows_before_it(staff, body):
    cluster = ClusterFactory(body=body, name="Cụm A")
    rename(cluster, "Cụm B", staff)
    first_change = cluster.history.order_by("history_date")[1].history_date
    rename(cluster, "Cụm C", staff)
    trails = [
        (entry, history.filter(history_date__lte=first_change))
        for entry, history in _trails(("clusters.cluster", "clusters.clusteryear"))
    ]

    rows, _earlier = newest_rows(trails, limit=5, below=first_change + timezone.timedelta(0, 1))

    assert [row.name for _entry, row in rows] == ["Cụm B", "Cụm A"]
