import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from clusters.models import (
    Cluster,
    ClusterMember,
    ClusterYear,
    OrganizingBody,
    Role,
    Unit,
    UnitSuccession,
)
from clusters.services import cluster_year_roll_over

pytestmark = pytest.mark.django_db

MODELS = [OrganizingBody, Unit, UnitSuccession, Cluster, ClusterYear, ClusterMember, Role]


def seed(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, **kwargs)
    return out.getvalue()


def counts() -> dict[str, int]:
    result = {model.__name__: model.objects.count() for model in MODELS}
    result["User"] = get_user_model().objects.count()
    return result


def year(cluster_name: str, number: int) -> ClusterYear:
    return ClusterYear.objects.get(cluster__name=cluster_name, year=number)


def leaders(cluster_year: ClusterYear) -> tuple[str | None, str | None]:
    roles = {row.role: row.unit.name for row in cluster_year.members.select_related("unit")}
    return roles.get("head"), roles.get("deputy")


@pytest.fixture
def demo():
    seed()


def test_seeding_twice_changes_nothing():
    seed()
    first = counts()
    seed()
    assert counts() == first
    assert first == {
        "OrganizingBody": 3,
        "Unit": 26,
        "UnitSuccession": 4,
        "Cluster": 3,
        "ClusterYear": 6,
        "ClusterMember": 48,
        "Role": 0,
        # The inactive account the demo's award steps are recorded by (awards.demo).
        "User": 1,
    }


def test_bac_kan_2022_was_led_by_the_city_with_na_ri_as_deputy(demo):
    cluster_year = year("Cụm thi đua các huyện, thành phố", 2022)
    assert leaders(cluster_year) == ("Thành phố Bắc Kạn", "Huyện Na Rì")
    assert (cluster_year.next_head.name, cluster_year.next_deputy.name) == (
        "Huyện Na Rì",
        "Huyện Pác Nặm",
    )
    assert cluster_year.members.count() == 8


def test_bac_kan_2023_is_led_by_na_ri_with_pac_nam_as_deputy(demo):
    assert leaders(year("Cụm thi đua các huyện, thành phố", 2023)) == (
        "Huyện Na Rì",
        "Huyện Pác Nặm",
    )


def test_the_lao_cai_bloc_2022_has_nine_members_and_bac_ha_as_deputy(demo):
    cluster_year = year("Khối thi đua các huyện, thị xã, thành phố", 2022)
    assert cluster_year.cluster.kind == Cluster.Kind.BLOC
    assert cluster_year.members.count() == 9
    assert leaders(cluster_year) == (None, "Huyện Bắc Hà")


def test_the_midland_cluster_2023_is_led_by_bac_kan_with_tuyen_quang_as_deputy(demo):
    cluster_year = year("Cụm thi đua các tỉnh trung du và miền núi phía Bắc", 2023)
    assert cluster_year.members.count() == 7
    assert leaders(cluster_year) == ("Tỉnh Bắc Kạn", "Tỉnh Tuyên Quang")
    assert cluster_year.cluster.body.name == "Ban Thi đua - Khen thưởng Trung ương"


def test_bac_kan_province_is_carried_on_by_thai_nguyen(demo):
    bac_kan = Unit.objects.get(name="Tỉnh Bắc Kạn")
    assert [unit.name for unit in bac_kan.successors.all()] == ["Tỉnh Thái Nguyên"]
    assert str(bac_kan.active_to) == "2025-06-30"
    link = UnitSuccession.objects.get(predecessor=bac_kan)
    assert (link.kind, str(link.effective_date)) == ("merger", "2025-07-01")
    assert link.legal_basis.startswith("Nghị quyết số 202/2025/QH15")


def test_the_demo_years_roll_over_to_2024(demo):
    result = cluster_year_roll_over(cluster_year=year("Cụm thi đua các huyện, thành phố", 2023))
    assert result.cluster_year.members.count() == 8
    assert result.leaders_missing is True


def test_demo_accounts_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        seed("--accounts")
    assert counts()["User"] == 0
    assert counts()["Unit"] == 0


def test_demo_accounts_are_created_once_in_development(settings):
    settings.DEBUG = True
    output = seed("--accounts")
    first = counts()
    seed("--accounts")
    assert counts() == first
    # The two accounts, the superuser, and the awards' inactive recording account.
    assert first["User"] == 4 and first["Role"] == 2
    secretary = get_user_model().objects.get(username="thuky.nari")
    assert [str(y) for y in secretary.secretary_of.all()] == [
        "Cụm thi đua các huyện, thành phố — 2023"
    ]
    assert Role.objects.get(user__username="sonoivu.backan").kind == Role.Kind.STAFF
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "sonoivu.backan" in output
