import re

import pytest
from django.urls import reverse

from clusters.models import ClusterMember, ClusterYear
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory

pytestmark = pytest.mark.django_db


def roles_of(cluster_year) -> dict[str, str]:
    return {row.unit.name: row.role for row in cluster_year.members.select_related("unit")}


def counts() -> tuple[int, int]:
    return ClusterYear.objects.count(), ClusterMember.objects.count()


def element_text(html: str, element_id: str) -> str:
    """The text inside the element with ``element_id`` (tags stripped, spaces collapsed)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no element #{element_id}"
    tag, start = match.group(1), match.end()
    depth, position = 1, start
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>")
    while depth:
        found = pattern.search(html, position)
        depth += -1 if found.group(1) else 1
        position = found.end()
    text = re.sub(r"<[^>]+>", " ", html[start : found.start()])
    return " ".join(text.split())


def member_rows(html: str) -> list[str]:
    table = html[html.index('id="member-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return re.findall(r'<a href="/units/\d+/">([^<]+)</a>', body)


@pytest.fixture
def ba_be_2024(cluster, units):
    """Open data for a 2024 year: Ba Bể head, Na Rì deputy, all three members."""
    na_ri, ba_be, pac_nam = units
    return {
        "year": 2024,
        "members": [na_ri.pk, ba_be.pk, pac_nam.pk],
        "head": ba_be.pk,
        "deputy": na_ri.pk,
        "note": "Hội nghị ký kết giao ước thi đua",
    }


# --- List --------------------------------------------------------------------------


def test_the_list_shows_years_newest_first_with_leaders(staff_client, cluster_year, cluster, body):
    ClusterYearFactory(cluster=cluster, year=2022)
    ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối thi đua các sở"), year=2023)
    response = staff_client.get(reverse("clusters:clusteryear-list"))
    assert response.status_code == 200
    rows = [
        (y.year, y.cluster.name, y.head and y.head.name, y.deputy and y.deputy.name)
        for y in response.context["object_list"]
    ]
    assert rows == [
        (2023, "Cụm thi đua các huyện, thành phố", "Huyện Na Rì", "Huyện Pác Nặm"),
        (2023, "Khối thi đua các sở", None, None),
        (2022, "Cụm thi đua các huyện, thành phố", None, None),
    ]


def test_the_list_filters_by_year_and_cluster_name(staff_client, cluster_year, cluster, body):
    ClusterYearFactory(cluster=cluster, year=2022)
    ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối thi đua các sở"), year=2022)
    url = reverse("clusters:clusteryear-list")
    response = staff_client.get(url, {"year": 2022, "q": "khoi"})
    assert [(y.year, y.cluster.name) for y in response.context["object_list"]] == [
        (2022, "Khối thi đua các sở")
    ]


def test_an_outsider_does_not_list_the_bodys_years(outsider_client, cluster_year, other_cluster):
    response = outsider_client.get(reverse("clusters:clusteryear-list"))
    assert [y.cluster for y in response.context["object_list"]] == [other_cluster]


def test_the_list_uses_the_same_queries_for_one_or_three_years(
    staff_client, cluster_year, cluster, body, assert_constant_queries
):
    def add_two_more():
        for number in (2021, 2022):
            year = ClusterYearFactory(
                cluster=ClusterFactory(body=body, name=f"Cụm thi đua {number}"), year=number
            )
            ClusterMemberFactory(cluster_year=year, role="head")
            ClusterMemberFactory(cluster_year=year, role="deputy")

    first, second = assert_constant_queries(
        staff_client, reverse("clusters:clusteryear-list"), add_two_more=add_two_more
    )
    assert len(first.context["object_list"]) == 1
    assert len(second.context["object_list"]) == 3


# --- Detail ------------------------------------------------------------------------


def test_the_detail_shows_head_deputy_and_members(staff_client, cluster_year, secretary):
    response = staff_client.get(cluster_year.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert element_text(html, "head") == "Huyện Na Rì"
    assert element_text(html, "deputy") == "Huyện Pác Nặm"
    assert member_rows(html) == ["Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể"]
    assert reverse("clusters:clusteryear-update", args=[cluster_year.pk]) in html
    assert reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk]) in html


def test_the_secretary_may_edit_but_not_roll_over_their_year(secretary_client, cluster_year):
    response = secretary_client.get(cluster_year.get_absolute_url())
    assert response.status_code == 200
    assert (response.context["can_change"], response.context["can_roll_over"]) == (True, False)
    html = response.content.decode()
    assert reverse("clusters:clusteryear-update", args=[cluster_year.pk]) in html
    assert reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk]) not in html


def test_a_viewer_reads_the_year_without_actions(viewer_client, cluster_year):
    response = viewer_client.get(cluster_year.get_absolute_url())
    assert response.status_code == 200
    assert (response.context["can_change"], response.context["can_roll_over"]) == (False, False)
    assert member_rows(response.content.decode()) == ["Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể"]


def test_the_detail_uses_the_same_queries_for_one_or_three_members(
    staff_client, cluster, body, assert_constant_queries
):
    cluster_year = ClusterYearFactory(cluster=cluster, year=2023)
    ClusterMemberFactory(cluster_year=cluster_year, unit=UnitFactory(body=body), role="head")

    def add_two_more():
        ClusterMemberFactory(cluster_year=cluster_year, unit=UnitFactory(body=body), role="deputy")
        ClusterMemberFactory(cluster_year=cluster_year, unit=UnitFactory(body=body))

    # A composite page (the year with its pledge, meetings and scoring blocks): its
    # budget is 15 queries (shared/PERFORMANCE.md).
    first, second = assert_constant_queries(
        staff_client, cluster_year.get_absolute_url(), add_two_more=add_two_more, ceiling=15
    )
    assert len(first.context["members"]) == 1
    assert len(second.context["members"]) == 3


# --- Create ------------------------------------------------------------------------


def test_the_create_form_proposes_the_year_after_the_latest(staff_client, cluster_year, cluster):
    response = staff_client.get(reverse("clusters:clusteryear-create", args=[cluster.pk]))
    assert response.status_code == 200
    assert response.context["form"]["year"].value() == 2024


def test_staff_open_a_year_with_members_and_leaders(staff_client, cluster, units, ba_be_2024):
    response = staff_client.post(
        reverse("clusters:clusteryear-create", args=[cluster.pk]), ba_be_2024
    )
    cluster_year = ClusterYear.objects.get(cluster=cluster, year=2024)
    assert response.status_code == 302
    assert response.url == cluster_year.get_absolute_url()
    assert roles_of(cluster_year) == {
        "Huyện Ba Bể": "head",
        "Huyện Na Rì": "deputy",
        "Huyện Pác Nặm": "member",
    }
    assert cluster_year.note == "Hội nghị ký kết giao ước thi đua"


def test_a_head_that_is_not_a_member_is_shown_again_and_nothing_saved(
    staff_client, cluster, units, ba_be_2024
):
    data = {**ba_be_2024, "members": [units[0].pk, units[2].pk]}
    before = counts()
    response = staff_client.post(reverse("clusters:clusteryear-create", args=[cluster.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["head"]
    assert counts() == before


def test_an_existing_year_is_refused_on_the_year_field(staff_client, cluster_year, ba_be_2024):
    before = counts()
    response = staff_client.post(
        reverse("clusters:clusteryear-create", args=[cluster_year.cluster.pk]),
        {**ba_be_2024, "year": 2023},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["year"]
    assert counts() == before


@pytest.mark.parametrize("field", ["members", "head", "deputy"])
def test_a_unit_of_another_body_in_the_form_is_a_404_and_nothing_saved(
    staff_client, cluster, units, ba_be_2024, other_body, field
):
    foreign = UnitFactory(body=other_body, name="Huyện Bắc Hà")
    value = [*ba_be_2024["members"], foreign.pk] if field == "members" else foreign.pk
    before = counts()
    response = staff_client.post(
        reverse("clusters:clusteryear-create", args=[cluster.pk]), {**ba_be_2024, field: value}
    )
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize("who", ["viewer_client", "secretary_client"])
def test_only_staff_may_open_a_year(request, who, cluster, ba_be_2024):
    client = request.getfixturevalue(who)
    url = reverse("clusters:clusteryear-create", args=[cluster.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, ba_be_2024).status_code == 403
    assert not ClusterYear.objects.filter(year=2024).exists()


def test_an_outsider_cannot_open_a_year_of_the_bodys_cluster(outsider_client, cluster, ba_be_2024):
    url = reverse("clusters:clusteryear-create", args=[cluster.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, ba_be_2024).status_code == 404
    assert not ClusterYear.objects.exists()


# --- Update ------------------------------------------------------------------------


def test_staff_swap_head_and_deputy(staff_client, cluster_year, units):
    na_ri, ba_be, pac_nam = units
    url = reverse("clusters:clusteryear-update", args=[cluster_year.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["head"].value() == na_ri.pk
    response = staff_client.post(
        url,
        {"members": [u.pk for u in units], "head": pac_nam.pk, "deputy": na_ri.pk},
    )
    assert response.status_code == 302
    assert response.url == cluster_year.get_absolute_url()
    assert roles_of(cluster_year) == {
        "Huyện Pác Nặm": "head",
        "Huyện Na Rì": "deputy",
        "Huyện Ba Bể": "member",
    }


def test_the_secretary_changes_the_members_of_their_year(
    secretary_client, secretary, cluster_year, units, body
):
    na_ri, ba_be, pac_nam = units
    cho_don = UnitFactory(body=body, name="Huyện Chợ Đồn")
    response = secretary_client.post(
        reverse("clusters:clusteryear-update", args=[cluster_year.pk]),
        {
            "members": [na_ri.pk, pac_nam.pk, cho_don.pk],
            "head": na_ri.pk,
            "deputy": pac_nam.pk,
            "secretaries": [secretary.pk],
        },
    )
    assert response.status_code == 302
    assert roles_of(cluster_year) == {
        "Huyện Na Rì": "head",
        "Huyện Pác Nặm": "deputy",
        "Huyện Chợ Đồn": "member",
    }
    assert list(cluster_year.secretaries.all()) == [secretary]


def test_an_invalid_edit_is_shown_again_and_changes_nothing(staff_client, cluster_year, units):
    na_ri, ba_be, pac_nam = units
    response = staff_client.post(
        reverse("clusters:clusteryear-update", args=[cluster_year.pk]),
        {"members": [u.pk for u in units], "head": na_ri.pk, "deputy": na_ri.pk},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["deputy"]
    assert roles_of(cluster_year) == {
        "Huyện Na Rì": "head",
        "Huyện Ba Bể": "member",
        "Huyện Pác Nặm": "deputy",
    }


def test_the_secretary_gets_403_on_another_year_of_the_same_cluster(
    secretary_client, cluster_year, cluster
):
    other_year = ClusterYearFactory(cluster=cluster, year=2022)
    assert secretary_client.get(other_year.get_absolute_url()).status_code == 200
    url = reverse("clusters:clusteryear-update", args=[other_year.pk])
    assert secretary_client.get(url).status_code == 403
    assert secretary_client.post(url, {"members": []}).status_code == 403


def test_the_secretary_gets_404_on_another_cluster_of_the_same_body(secretary_client, body):
    other_year = ClusterYearFactory(cluster=ClusterFactory(body=body), year=2023)
    assert secretary_client.get(other_year.get_absolute_url()).status_code == 404
    url = reverse("clusters:clusteryear-update", args=[other_year.pk])
    assert secretary_client.get(url).status_code == 404


def test_a_viewer_gets_403_on_the_year_edit_page(viewer_client, cluster_year, units):
    url = reverse("clusters:clusteryear-update", args=[cluster_year.pk])
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"members": [units[1].pk]}).status_code == 403
    assert len(roles_of(cluster_year)) == 3


def test_a_unit_of_another_body_in_the_edit_form_is_a_404(
    staff_client, cluster_year, units, other_body
):
    foreign = UnitFactory(body=other_body)
    response = staff_client.post(
        reverse("clusters:clusteryear-update", args=[cluster_year.pk]),
        {"members": [*(u.pk for u in units), foreign.pk]},
    )
    assert response.status_code == 404
    assert len(roles_of(cluster_year)) == 3


# --- Roll-over ---------------------------------------------------------------------


def test_staff_roll_a_year_over(staff_client, cluster_year, units):
    cluster_year.next_head, cluster_year.next_deputy = units[1], units[0]
    cluster_year.save()
    response = staff_client.post(reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk]))
    new_year = ClusterYear.objects.get(cluster=cluster_year.cluster, year=2024)
    assert response.status_code == 302
    assert response.url == new_year.get_absolute_url()
    assert roles_of(new_year) == {
        "Huyện Ba Bể": "head",
        "Huyện Na Rì": "deputy",
        "Huyện Pác Nặm": "member",
    }


def test_the_roll_over_summary_comes_before_what_is_left_to_do(staff_client, cluster_year):
    response = staff_client.post(
        reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk]), follow=True
    )

    levels = [message.level_tag for message in response.context["messages"]]
    assert levels == ["success", "warning"]


def test_rolling_over_twice_creates_one_next_year(staff_client, cluster_year):
    url = reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk])
    staff_client.post(url)
    response = staff_client.post(url)
    assert response.status_code == 302
    assert response.url == cluster_year.get_absolute_url()
    assert ClusterYear.objects.filter(cluster=cluster_year.cluster, year=2024).count() == 1


def test_roll_over_is_post_only(staff_client, cluster_year):
    response = staff_client.get(reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk]))
    assert response.status_code == 405
    assert ClusterYear.objects.count() == 1


@pytest.mark.parametrize("who", ["viewer_client", "secretary_client"])
def test_only_staff_may_roll_over(request, who, cluster_year):
    client = request.getfixturevalue(who)
    response = client.post(reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk]))
    assert response.status_code == 403
    assert ClusterYear.objects.count() == 1


def test_an_outsider_gets_404_on_every_year_page(outsider_client, cluster_year, units):
    pk = cluster_year.pk
    assert outsider_client.get(reverse("clusters:clusteryear-detail", args=[pk])).status_code == 404
    url = reverse("clusters:clusteryear-update", args=[pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"members": [units[1].pk]}).status_code == 404
    url = reverse("clusters:clusteryear-roll-over", args=[pk])
    assert outsider_client.post(url).status_code == 404
    assert ClusterYear.objects.count() == 1
    assert len(roles_of(cluster_year)) == 3


def test_a_secretary_cannot_change_who_the_secretaries_are(
    secretary_client, secretary, cluster_year, viewer, units
):
    url = reverse("clusters:clusteryear-update", args=[cluster_year.pk])

    page = secretary_client.get(url)
    response = secretary_client.post(
        url,
        {
            "members": [unit.pk for unit in units],
            "head": units[0].pk,
            "deputy": units[2].pk,
            "secretaries": [viewer.pk],
        },
    )

    assert "secretaries" not in page.context["form"].fields
    assert response.status_code == 302
    assert list(cluster_year.secretaries.all()) == [secretary]
