import pytest
from django.urls import reverse

from clusters.models import Cluster
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory

pytestmark = pytest.mark.django_db


def cluster_data(body, **overrides):
    data = {
        "body": body.pk,
        "name": "Khối thi đua các sở, ban, ngành",
        "kind": "khoi",
        "level": "provincial",
        "description": "Các cơ quan chuyên môn thuộc UBND tỉnh.",
    }
    return {**data, **overrides}


def listed(response) -> list[str]:
    return [cluster.name for cluster in response.context["object_list"]]


# --- List --------------------------------------------------------------------------


def test_the_list_shows_the_bodys_clusters_in_vietnamese_order(
    staff_client, cluster, body, other_cluster
):
    ClusterFactory(body=body, name="Khối thi đua các sở")
    ClusterFactory(body=body, name="Cụm thi đua số 2")
    response = staff_client.get(reverse("clusters:cluster-list"))
    assert response.status_code == 200
    assert listed(response) == [
        "Cụm thi đua các huyện, thành phố",
        "Cụm thi đua số 2",
        "Khối thi đua các sở",
    ]
    assert response.context["can_create"] is True


def test_the_list_filters_by_kind_and_folded_name(staff_client, cluster, body):
    ClusterFactory(body=body, name="Khối thi đua các sở", kind=Cluster.Kind.BLOC)
    url = reverse("clusters:cluster-list")
    assert listed(staff_client.get(url, {"kind": "khoi"})) == ["Khối thi đua các sở"]
    assert listed(staff_client.get(url, {"q": "huyen thanh pho"})) == [cluster.name]
    assert listed(staff_client.get(url, {"q": "bac kan"})) == [
        "Cụm thi đua các huyện, thành phố",
        "Khối thi đua các sở",
    ]


def test_a_secretary_lists_only_their_cluster(secretary_client, cluster, body):
    ClusterFactory(body=body, name="Khối thi đua các sở")
    response = secretary_client.get(reverse("clusters:cluster-list"))
    assert listed(response) == [cluster.name]
    assert response.context["can_create"] is False


def test_an_outsider_does_not_list_the_bodys_clusters(outsider_client, cluster, other_cluster):
    assert listed(outsider_client.get(reverse("clusters:cluster-list"))) == [other_cluster.name]


def test_the_list_uses_the_same_queries_for_one_or_three_clusters(
    staff_client, cluster, body, assert_constant_queries
):
    def add_two_more():
        ClusterFactory(body=body, name="Khối thi đua các sở")
        ClusterFactory(body=body, name="Khối thi đua doanh nghiệp")

    first, second = assert_constant_queries(
        staff_client, reverse("clusters:cluster-list"), add_two_more=add_two_more
    )
    assert len(listed(first)) == 1
    assert len(listed(second)) == 3


# --- Detail ------------------------------------------------------------------------


def test_the_detail_lists_the_years_with_their_leaders(staff_client, cluster_year, cluster):
    ClusterYearFactory(cluster=cluster, year=2022)
    response = staff_client.get(cluster.get_absolute_url())
    assert response.status_code == 200
    years = response.context["years"]
    assert [(y.year, y.head and y.head.name, y.member_count) for y in years] == [
        (2023, "Huyện Na Rì", 3),
        (2022, None, 0),
    ]
    html = response.content.decode()
    assert reverse("clusters:clusteryear-create", args=[cluster.pk]) in html
    assert reverse("clusters:cluster-update", args=[cluster.pk]) in html


def test_a_viewer_reads_the_cluster_without_edit_links(viewer_client, cluster):
    response = viewer_client.get(cluster.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("clusters:clusteryear-create", args=[cluster.pk]) not in html
    assert reverse("clusters:cluster-update", args=[cluster.pk]) not in html


def test_the_detail_uses_the_same_queries_for_one_or_three_years(
    staff_client, cluster, body, assert_constant_queries
):
    def year(number):
        cluster_year = ClusterYearFactory(cluster=cluster, year=number)
        ClusterMemberFactory(cluster_year=cluster_year, unit=UnitFactory(body=body), role="head")
        return cluster_year

    year(2021)
    first, second = assert_constant_queries(
        staff_client,
        cluster.get_absolute_url(),
        add_two_more=lambda: [year(2022), year(2023)],
    )
    assert [y.year for y in second.context["years"]] == [2023, 2022, 2021]


# --- Create and update ---------------------------------------------------------------


def test_staff_create_a_cluster(staff_client, body):
    url = reverse("clusters:cluster-create")
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, cluster_data(body))
    cluster = Cluster.objects.get()
    assert response.status_code == 302
    assert response.url == cluster.get_absolute_url()
    assert (cluster.body, cluster.name, cluster.kind, cluster.level) == (
        body,
        "Khối thi đua các sở, ban, ngành",
        "khoi",
        "provincial",
    )


def test_a_duplicate_cluster_name_is_shown_again_and_not_saved(staff_client, cluster, body):
    response = staff_client.post(
        reverse("clusters:cluster-create"), cluster_data(body, name=cluster.name)
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert Cluster.objects.count() == 1


def test_a_missing_name_is_reported_on_the_name_field(staff_client, body):
    response = staff_client.post(reverse("clusters:cluster-create"), cluster_data(body, name=""))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert not Cluster.objects.exists()


def test_a_cluster_cannot_be_created_in_another_body(outsider_client, body):
    response = outsider_client.post(reverse("clusters:cluster-create"), cluster_data(body))
    assert response.status_code == 404
    assert not Cluster.objects.exists()


@pytest.mark.parametrize("who", ["viewer_client", "secretary_client"])
def test_only_staff_may_create_clusters(request, who, body):
    client = request.getfixturevalue(who)
    assert client.get(reverse("clusters:cluster-create")).status_code == 403
    assert client.post(reverse("clusters:cluster-create"), cluster_data(body)).status_code == 403
    assert not Cluster.objects.filter(name="Khối thi đua các sở, ban, ngành").exists()


def test_staff_rename_a_cluster(staff_client, cluster):
    url = reverse("clusters:cluster-update", args=[cluster.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url, {"name": "Cụm thi đua các huyện", "kind": "cum", "level": "provincial"}
    )
    assert response.status_code == 302
    assert response.url == cluster.get_absolute_url()
    cluster.refresh_from_db()
    assert (cluster.name, cluster.description) == ("Cụm thi đua các huyện", "")


def test_renaming_a_cluster_to_a_taken_name_is_refused(staff_client, cluster, body):
    ClusterFactory(body=body, name="Khối thi đua các sở")
    response = staff_client.post(
        reverse("clusters:cluster-update", args=[cluster.pk]),
        {"name": "Khối thi đua các sở", "kind": "cum", "level": "provincial"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    cluster.refresh_from_db()
    assert cluster.name == "Cụm thi đua các huyện, thành phố"


@pytest.mark.parametrize("who", ["viewer_client", "secretary_client"])
def test_non_staff_get_403_on_the_cluster_edit_page(request, who, cluster):
    client = request.getfixturevalue(who)
    url = reverse("clusters:cluster-update", args=[cluster.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "X", "kind": "cum", "level": "provincial"}).status_code == 403
    cluster.refresh_from_db()
    assert cluster.name == "Cụm thi đua các huyện, thành phố"


def test_an_outsider_gets_404_on_the_clusters_pages(outsider_client, cluster):
    for name in ("cluster-detail", "cluster-update", "clusteryear-create"):
        assert (
            outsider_client.get(reverse(f"clusters:{name}", args=[cluster.pk])).status_code == 404
        )
    response = outsider_client.post(
        reverse("clusters:cluster-update", args=[cluster.pk]),
        {"name": "X", "kind": "cum", "level": "provincial"},
    )
    assert response.status_code == 404
    cluster.refresh_from_db()
    assert cluster.name == "Cụm thi đua các huyện, thành phố"
