"""Shared fixtures: a province with a cluster, its staff, a secretary and an outsider."""

import pytest
from django.test import Client

from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    OrganizingBodyFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)
from clusters.models import ClusterMember, Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
def cluster(body):
    return ClusterFactory(body=body, name="Cụm thi đua các huyện, thành phố")


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
