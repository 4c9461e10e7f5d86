import pytest
from django.db import connection
from django.urls import reverse

from clusters.models import Unit
from clusters.selectors import search_filter, units_for_user
from reports.selectors import SEARCH_LIMIT, global_search
from tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db

TRIGRAM_INDEX = "clusters_unit_search_text_trgm"


@pytest.fixture
def districts(body, other_body):
    names = ["Huyện Na Rì", "Huyện Chợ Đồn", "Huyện Chợ Mới", "Huyện Đồng Hỷ", "Huyện Ba Bể"]
    UnitFactory(body=other_body, name="Huyện Na Rì Lào Cai")
    return {name: UnitFactory(body=body, name=name) for name in names}


def hits(response, key) -> list[str]:
    for section in response.context["sections"]:
        if section.key == key:
            return [str(row) for row in section.rows]
    raise AssertionError(f"no section {key}")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("na ri", ["Huyện Na Rì"]),
        ("NA RÌ", ["Huyện Na Rì"]),
        ("Na  Rì ", ["Huyện Na Rì"]),
        # Words match inside words: "don" is in "huyen cho don" and in "huyen dong hy".
        ("don", ["Huyện Chợ Đồn", "Huyện Đồng Hỷ"]),
        ("đồn", ["Huyện Chợ Đồn", "Huyện Đồng Hỷ"]),
        ("dong", ["Huyện Đồng Hỷ"]),
        ("cho don", ["Huyện Chợ Đồn"]),
        ("cho", ["Huyện Chợ Đồn", "Huyện Chợ Mới"]),
        (
            "huyen",
            ["Huyện Ba Bể", "Huyện Chợ Đồn", "Huyện Chợ Mới", "Huyện Đồng Hỷ", "Huyện Na Rì"],
        ),
        ("ri na", ["Huyện Na Rì"]),
        ("na moi", []),
    ],
)
def test_search_ignores_case_and_diacritics_and_needs_every_word(
    staff_client, districts, query, found
):
    response = staff_client.get(reverse("reports:search"), {"q": query})
    assert response.status_code == 200
    assert hits(response, "units") == found


def test_search_shows_units_and_clusters_in_their_own_sections(staff_client, districts, cluster):
    response = staff_client.get(reverse("reports:search"), {"q": "bac kan"})
    html = response.content.decode()
    assert hits(response, "clusters") == ["Cụm thi đua các huyện, thành phố"]
    assert hits(response, "units") == []
    assert 'id="search-clusters"' in html and 'id="search-units"' not in html
    response = staff_client.get(reverse("reports:search"), {"q": "cho"})
    html = response.content.decode()
    assert 'id="search-units"' in html and 'id="search-clusters"' not in html
    assert html.index("Huyện Chợ Đồn") < html.index("Huyện Chợ Mới")


def test_an_empty_search_searches_nothing(staff_client, districts):
    response = staff_client.get(reverse("reports:search"), {"q": "   "})
    assert response.status_code == 200
    assert response.context["sections"] == []


def test_an_outsider_does_not_find_the_bodys_units(outsider_client, districts, cluster):
    response = outsider_client.get(reverse("reports:search"), {"q": "na ri"})
    assert hits(response, "units") == ["Huyện Na Rì Lào Cai"]
    assert "Huyện Na Rì<" not in response.content.decode()
    response = outsider_client.get(reverse("reports:search"), {"q": "bac kan"})
    assert hits(response, "clusters") == []


def test_a_secretary_finds_only_their_cluster(secretary_client, cluster, body):
    ClusterFactory(body=body, name="Cụm thi đua các xã")
    response = secretary_client.get(reverse("reports:search"), {"q": "cum thi dua"})
    assert hits(response, "clusters") == ["Cụm thi đua các huyện, thành phố"]


def test_search_stops_at_the_limit_and_says_there_is_more(staff, body):
    for number in range(SEARCH_LIMIT + 1):
        UnitFactory(body=body, name=f"Xã Số {number:02d}")
    units = next(section for section in global_search(staff, "xa so") if section.key == "units")
    assert len(units.rows) == SEARCH_LIMIT
    assert units.has_more is True
    assert units.rows[0].name == "Xã Số 00"


def test_search_uses_the_same_queries_for_one_or_three_hits(
    staff_client, body, assert_constant_queries
):
    UnitFactory(body=body, name="Xã Côn Minh")

    def add_two_more():
        UnitFactory(body=body, name="Xã Cư Lễ")
        ClusterFactory(body=body, name="Cụm thi đua các xã")

    first, second = assert_constant_queries(
        staff_client, reverse("reports:search") + "?q=xa", add_two_more=add_two_more
    )
    assert (hits(first, "units"), hits(first, "clusters")) == (["Xã Côn Minh"], [])
    assert (hits(second, "units"), hits(second, "clusters")) == (
        ["Xã Côn Minh", "Xã Cư Lễ"],
        ["Cụm thi đua các xã"],
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_the_unit_search_uses_the_trigram_index(staff, body):
    units = [Unit(body=body, kind=Unit.Kind.COMMUNE, name=f"Xã Thứ {n}") for n in range(2000)]
    units += [Unit(body=body, kind=Unit.Kind.DISTRICT, name="Huyện Chợ Đồn")]
    for unit in units:
        unit.refresh_text_keys()
    Unit.objects.bulk_create(units)
    # The query of the search page's unit section (reports.selectors.global_search).
    queryset = (
        units_for_user(staff)
        .filter(search_filter("chợ đồn"))
        .order_by("sort_key", "pk")[: SEARCH_LIMIT + 1]
    )
    assert [unit.name for unit in queryset] == ["Huyện Chợ Đồn"]
    with connection.cursor() as cursor:
        # Rows just inserted sit in the GIN index's pending list, which makes the
        # index look costly until (auto)vacuum merges it: merge it as vacuum would.
        cursor.execute(f"SELECT gin_clean_pending_list('{TRIGRAM_INDEX}')")
        cursor.execute("ANALYZE clusters_unit")
        # Small tables tempt the planner into a scan; what matters is that the
        # ``contains`` lookup can use the index. Undone with the test's transaction.
        cursor.execute("SET enable_seqscan = off")
    plan = queryset.explain()
    assert f"Bitmap Index Scan on {TRIGRAM_INDEX}" in plan, plan
    # ``icontains`` wraps the column in UPPER() and cannot use the index: the trap
    # that storing the folded text lower-cased avoids.
    upper_plan = Unit.objects.filter(search_text__icontains="cho").explain()
    assert TRIGRAM_INDEX not in upper_plan, upper_plan
