"""Shared fixtures: a province with a cluster, its staff, a secretary and an outsider."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clusters.models import ClusterMember, Role
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    OrganizingBodyFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

# A list page may use at most this many queries, however many rows it shows.
LIST_PAGE_QUERY_CEILING = 8


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.1 s per user; hashing strength is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def body(db):
    return OrganizingBodyFactory(name="UBND tỉnh Bắc Kạn", short_name="Bắc Kạn", place="Bắc Kạn")


@pytest.fixture
def other_body(db):
    return OrganizingBodyFactory(name="UBND tỉnh Lào Cai", short_name="Lào Cai", place="Lào Cai")


@pytest.fixture
def staff(body):
    return RoleFactory(user=UserFactory(username="staff"), body=body, kind=Role.Kind.STAFF).user


@pytest.fixture
def viewer(body):
    return RoleFactory(user=UserFactory(username="viewer"), body=body, kind=Role.Kind.VIEWER).user


@pytest.fixture
def outsider(other_body):
    """Staff of another province: sees none of ``body``'s data."""
    return RoleFactory(
        user=UserFactory(username="outsider"), body=other_body, kind=Role.Kind.STAFF
    ).user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def cluster(body):
    return ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")


@pytest.fixture
def other_cluster(other_body):
    """A cluster of the other province, with one unit of its register as a 2023 member."""
    other_cluster = ClusterFactory(body=other_body, name="Khối thi đua các huyện, thị xã")
    year = ClusterYearFactory(cluster=other_cluster, year=2023)
    ClusterMemberFactory(
        cluster_year=year,
        unit=UnitFactory(body=other_body, name="Huyện Bắc Hà"),
        role=ClusterMember.Role.HEAD,
    )
    return other_cluster


@pytest.fixture
def units(body):
    """Three districts of the cluster's register, in a deliberately unsorted order."""
    return [
        UnitFactory(body=body, name="Huyện Na Rì", short_name="Na Rì"),
        UnitFactory(body=body, name="Huyện Ba Bể", short_name="Ba Bể"),
        UnitFactory(body=body, name="Huyện Pác Nặm", short_name="Pác Nặm"),
    ]


@pytest.fixture
def cluster_year(cluster, units):
    """2023: Na Rì head, Pác Nặm deputy, Ba Bể member."""
    cluster_year = ClusterYearFactory(cluster=cluster, year=2023)
    ClusterMemberFactory(cluster_year=cluster_year, unit=units[0], role=ClusterMember.Role.HEAD)
    ClusterMemberFactory(cluster_year=cluster_year, unit=units[1])
    ClusterMemberFactory(cluster_year=cluster_year, unit=units[2], role=ClusterMember.Role.DEPUTY)
    return cluster_year


@pytest.fixture
def secretary(body, cluster_year):
    user = RoleFactory(
        user=UserFactory(username="secretary"), body=body, kind=Role.Kind.SECRETARY
    ).user
    cluster_year.secretaries.add(user)
    return user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """A logged-in test client for any user: ``client_for(user)``."""
    return _client_for


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def secretary_client(secretary):
    return _client_for(secretary)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def superuser_client(superuser):
    return _client_for(superuser)


def _count_queries(client: Client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return len(queries), response


@pytest.fixture
def assert_constant_queries():
    """Render ``url`` with one item, call ``add_two_more()``, render it again with three.

    Both renderings must use the same number of queries (no query per row), at most
    ``ceiling``. Returns the two responses so the caller can check what they showed.
    """

    def check(client: Client, url: str, *, add_two_more, ceiling=LIST_PAGE_QUERY_CEILING):
        client.get(url)  # warm up per-process caches (content types, sessions)
        with_one, first = _count_queries(client, url)
        add_two_more()
        with_three, second = _count_queries(client, url)
        assert with_one == with_three, (
            f"{url}: {with_one} queries with 1 item but {with_three} with 3 (a query per row)"
        )
        assert with_three <= ceiling, f"{url}: {with_three} queries, more than {ceiling}"
        return first, second

    return check


@pytest.fixture
def default_vote_rules(db):
    """The national vote rules the migrations seed. A test on a real transaction runs in a
    database earlier such tests emptied, the seeded rows with it: put them back the way
    the migration does."""
    from importlib import import_module

    from django.apps import apps

    import_module("clusters.migrations.0010_national_default_vote_rules").seed(apps, None)
