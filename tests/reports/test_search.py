import pytest
from django.db import connection
from django.urls import reverse

from clusters import search
from clusters.models import Person, Unit
from clusters.selectors import people_for_user, search_filter, units_for_user
from core.pagination import KeysetPaginator, count_up_to
from reports.selectors import SEARCH_LIMIT, global_search, ranked_ids_query
from tests.factories import ClusterFactory, UnitFactory
from tests.factories.meetings import PersonFactory
from tests.factories.pledges import MovementFactory

pytestmark = pytest.mark.django_db

TRIGRAM_INDEX = "clusters_unit_search_text_trgm"


@pytest.fixture
def districts(body, other_body):
    names = ["Huyện Na Rì", "Huyện Chợ Đồn", "Huyện Chợ Mới", "Huyện Đồng Hỷ", "Huyện Ba Bể"]
    UnitFactory(body=other_body, name="Huyện Na Rì Lào Cai")
    return {name: UnitFactory(body=body, name=name) for name in names}


def hits(response, key) -> list[str]:
    """The rows of a kind's section; a kind nothing was found of has no section."""
    for section in response.context["sections"]:
        if section.key == key:
            return [str(row) for row in section.rows]
    return []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("na ri", ["Huyện Na Rì"]),
        ("NA RÌ", ["Huyện Na Rì"]),
        ("Na  Rì ", ["Huyện Na Rì"]),
        # Each word starts a word: "don" starts "đồn" and "đồng", but not one inside.
        ("don", ["Huyện Chợ Đồn", "Huyện Đồng Hỷ"]),
        ("uyen", []),
        ("hy", ["Huyện Đồng Hỷ"]),
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
    staff_client, body, assert_constant_queries, django_assert_num_queries
):
    UnitFactory(body=body, name="Xã Côn Minh")

    def add_two_more():
        UnitFactory(body=body, name="Xã Cư Lễ")
        UnitFactory(body=body, name="Xã Đôn Phong")

    # The session, the user and their roles; the ranked ids of every kind; the rows of
    # the one kind found.
    first, second = assert_constant_queries(
        staff_client,
        reverse("reports:search") + "?q=xa",
        add_two_more=add_two_more,
        ceiling=5,
    )
    assert hits(first, "units") == ["Xã Côn Minh"]
    assert hits(second, "units") == ["Xã Côn Minh", "Xã Cư Lễ", "Xã Đôn Phong"]
    with django_assert_num_queries(5):
        staff_client.get(reverse("reports:search"), {"q": "xa"})


def test_search_reads_the_rows_of_each_kind_found_in_one_query(
    staff_client, body, django_assert_num_queries
):
    UnitFactory(body=body, name="Xã Côn Minh")
    ClusterFactory(body=body, name="Cụm thi đua các xã")
    PersonFactory(body=body, full_name="Lý Văn Xá")
    staff_client.get(reverse("reports:search"), {"q": "xa"})  # the session, warmed up

    # The session, the user and their roles; the ranked ids; units, clusters, people.
    with django_assert_num_queries(7):
        response = staff_client.get(reverse("reports:search"), {"q": "xa"})

    assert [section.key for section in response.context["sections"]] == [
        "units",
        "clusters",
        "people",
    ]
    # Nothing found: the ranked ids only.
    with django_assert_num_queries(4):
        response = staff_client.get(reverse("reports:search"), {"q": "khong co"})
    assert response.context["sections"] == []


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


# --- What was meant first ------------------------------------------------------------------


def units_found(user, query) -> list[str]:
    units = next(s for s in global_search(user, query) if s.key == "units")
    return [unit.name for unit in units.rows]


def test_the_unit_named_exactly_comes_first_even_among_many(staff, body):
    """'y yen' once listed 20 "Huyện Yên …" and never Ý Yên itself."""
    for place in ["Bình", "Sơn", "Thế", "Dũng", "Phong", "Khánh", "Mô", "Châu", "Minh", "Lập"]:
        UnitFactory(body=body, name=f"Huyện Yên {place}", short_name=f"Yên {place}")
        UnitFactory(body=body, name=f"Xã Yên {place}", short_name=f"Yên {place}")
    UnitFactory(body=body, name="Huyện Ý Yên", short_name="Ý Yên")
    UnitFactory(body=body, name="Xã Yên Thái", short_name="Yên Thái")

    found = units_found(staff, "y yen")

    assert found[0] == "Huyện Ý Yên"
    assert found[1:4] == ["Huyện Yên Bình", "Huyện Yên Châu", "Huyện Yên Dũng"]
    assert len(found) == SEARCH_LIMIT


def test_na_ri_finds_na_ri_before_names_that_only_start_the_same(staff, body):
    UnitFactory(body=body, name="Ban quản lý Nà Rịa")  # every word starts a word: 2nd
    UnitFactory(body=body, name="Huyện Nam Ríu")  # 2nd as well, later in order
    UnitFactory(body=body, name="Huyện Na Rì", short_name="Na Rì")  # the short name: 1st
    UnitFactory(body=body, name="Xã Côn Minh", code="NA-RI-07")  # found by its code only: 3rd

    assert units_found(staff, "na ri") == [
        "Huyện Na Rì",
        "Ban quản lý Nà Rịa",
        "Huyện Nam Ríu",
        "Xã Côn Minh",
    ]


def test_people_named_so_come_before_people_found_by_position_or_unit(staff, body):
    ly_ma = UnitFactory(body=body, name="Xã Lý Ma")
    PersonFactory(body=body, full_name="Hoàng Văn An", position="Chủ tịch", unit=ly_ma)
    PersonFactory(body=body, full_name="Lý Thị Mai")
    PersonFactory(body=body, full_name="Lý Ma")

    people = next(s for s in global_search(staff, "ly ma") if s.key == "people")

    # Alphabetically (by given name) An < Ma < Mai; by what was meant, the reverse.
    assert [person.full_name for person in people.rows] == ["Lý Ma", "Lý Thị Mai", "Hoàng Văn An"]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Đền ơn đáp nghĩa - Uống nước nhớ nguồn", "Đền ơn đáp nghĩa – Uống nước nhớ nguồn"),
        ("Đền ơn đáp nghĩa – Uống nước nhớ nguồn", "Đền ơn đáp nghĩa - Uống nước nhớ nguồn"),
        ("Đền ơn đáp nghĩa — Uống nước nhớ nguồn", "den on dap nghia \u2212 uong nuoc"),
        ("Phong trào “Dân vận khéo”", 'phong trao "dan van kheo"'),
        ('Phong trào "Dân vận khéo"', "Phong trào ‘Dân vận khéo’"),
    ],
)
def test_dashes_and_quotes_of_every_kind_fold_together(staff, stored, typed):
    MovementFactory(name=stored)
    MovementFactory(name="Cả nước chung tay vì người nghèo")

    movements = next(s for s in global_search(staff, typed) if s.key == "movements")

    assert [movement.name for movement in movements.rows] == [stored]


def test_sections_give_their_count_and_a_link_to_all_of_their_kind(staff_client, body):
    for number in range(SEARCH_LIMIT + 2):
        UnitFactory(body=body, name=f"Xã Số {number:02d}")
    ClusterFactory(body=body, name="Cụm thi đua số 1")

    response = staff_client.get(reverse("reports:search"), {"q": "so"})

    sections = {s.key: s for s in response.context["sections"]}
    assert list(sections) == ["units", "clusters"]
    units, clusters = sections["units"], sections["clusters"]
    assert (len(units.rows), units.has_more, units.count) == (SEARCH_LIMIT, True, 22)
    assert (len(clusters.rows), clusters.has_more, clusters.count) == (1, False, 1)
    assert units.list_url == "/units/?q=so"
    html = response.content.decode()
    assert 'href="/units/?q=so"' in html and 'href="/clusters/?q=so"' not in html
    assert 'href="#search-units">Đơn vị <span class="badge text-bg-secondary">22</span>' in html


def test_the_list_behind_see_all_ranks_the_same_way(staff_client, body):
    for place in ["Bình", "Sơn", "Thế"]:
        UnitFactory(body=body, name=f"Huyện Yên {place}", short_name=f"Yên {place}")
    UnitFactory(body=body, name="Huyện Ý Yên", short_name="Ý Yên")

    response = staff_client.get(reverse("clusters:unit-list"), {"q": "y yen"})

    assert [unit.name for unit in response.context["object_list"]] == [
        "Huyện Ý Yên",
        "Huyện Yên Bình",
        "Huyện Yên Sơn",
        "Huyện Yên Thế",
    ]


def test_every_page_of_a_ranked_list_follows_on_from_the_one_before(staff, body):
    """Ranks and keys together: walking forward, then back, meets every row once."""
    names = [f"Huyện Yên {n:02d}" for n in range(7)] + ["Huyện Ý Yên", "Xã Ý Yên Mới"]
    for name in names:
        UnitFactory(body=body, name=name, short_name="Ý Yên" if name == "Huyện Ý Yên" else "")
    UnitFactory(body=body, name="Xã Côn Minh", code="Y-YEN")
    queryset = units_for_user(staff).filter(search_filter("y yen"))
    paginator = KeysetPaginator(queryset, ("sort_key", "pk"), 3, tiers=search.tiers("y yen"))
    # The whole short name; every word starting a name's word ("yen" starts "y" too),
    # in Vietnamese order; found by the code only.
    expected = ["Huyện Ý Yên", *names[:7], "Xã Ý Yên Mới", "Xã Côn Minh"]

    pages, params = [], {}
    while True:
        page = paginator.page_from(params)
        pages.append([unit.name for unit in page.rows])
        if not page.has_next:
            break
        params = dict(pair.split("=") for pair in page.next_query.split("&"))
    assert [name for rows in pages for name in rows] == expected
    assert [len(rows) for rows in pages] == [3, 3, 3, 1]
    assert page.start_index == 10

    back, params = [], dict(pair.split("=") for pair in page.previous_query.split("&"))
    while True:
        page = paginator.page_from(params)
        back.insert(0, [unit.name for unit in page.rows])
        if not page.has_previous:
            break
        params = dict(pair.split("=") for pair in page.previous_query.split("&"))
    assert back == pages[:-1]
    assert page.start_index == 1


# --- The indexes that answer them (PostgreSQL) --------------------------------------------

PERSON_TRIGRAMS = ("clusters_person_search_text_trgm", "clusters_person_name_text_trgm")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("kind", "query"),
    [("short", "ly ma"), ("selective", "luc thi thu thuy"), ("broad", "nguyen van")],
)
def test_people_searches_are_answered_from_an_index(staff, body, kind, query):
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    middles = ["Văn", "Thị", "Đức", "Minh", "Ngọc"]
    given = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Lan", "Mai", "Nam", "Yến"]
    people = [
        Person(body=body, full_name=f"{f} {m} {g}", position="Chuyên viên")
        for f in families
        for m in middles
        for g in given
        for _ in range(6)
    ]
    people += [
        Person(body=body, full_name="Lý Ma"),
        Person(body=body, full_name="Lục Thị Thu Thủy"),
    ]
    for person in people:
        person.refresh_text_keys()
    Person.objects.bulk_create(people)
    queryset = people_for_user(staff).filter(search_filter(query))
    paginator = KeysetPaginator(
        queryset, ("sort_key", "pk"), SEARCH_LIMIT, tiers=search.tiers(query)
    )
    rows, _ = paginator.first_rows()
    assert len(rows) == {"short": 1, "selective": 1, "broad": SEARCH_LIMIT}[kind]
    with connection.cursor() as cursor:
        for index in PERSON_TRIGRAMS:
            cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
        cursor.execute("ANALYZE clusters_person")
        cursor.execute("SET enable_seqscan = off")
    # The count, and the rows (on PostgreSQL each rank is its own part of one query).
    plans = [
        queryset.order_by().values("pk")[:1001].explain(),
        paginator.first_queryset().explain(),
    ]
    for plan in plans:
        assert "Seq Scan" not in plan, plan
        if kind != "broad":  # a broad search may rather read the register's order and stop
            assert any(f"Bitmap Index Scan on {index}" in plan for index in PERSON_TRIGRAMS), plan


def _many_namesakes(body, *more: Person) -> None:
    """3,000 people named "Nguyễn Văn …", Lục Thị Thu Thủy, her secretary, and ``more``."""
    people = [
        Person(body=body, full_name=f"Nguyễn Văn {given} {index}", position="Chuyên viên")
        for given in ["An", "Bình", "Cường", "Dũng", "Hà"]
        for index in range(600)
    ]
    people += [
        *more,
        Person(body=body, full_name="Lục Thị Thu Thủy"),
        Person(body=body, full_name="Hà Văn Nam", position="Thư ký của Lục Thị Thu Thủy"),
    ]
    for person in people:
        person.refresh_text_keys()
    Person.objects.bulk_create(people)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_few_matches_are_read_by_the_search_index_and_sorted_not_in_the_registers_order(
    staff, body
):
    """A selective search's last rank ("the rest") once read 18,000 people in the
    register's order to find 22 (42 ms): PostgreSQL cannot estimate substring matches.
    Counted first, few matches are read by the trigram index and sorted."""
    _many_namesakes(body)
    query = "luc thi thu thuy"
    queryset = people_for_user(staff).filter(search_filter(query))
    total = count_up_to(queryset)
    paginator = KeysetPaginator(
        queryset, ("sort_key", "pk"), SEARCH_LIMIT, tiers=search.tiers(query), total=total
    )
    rows, more = paginator.first_rows()
    assert [person.full_name for person in rows] == ["Lục Thị Thu Thủy", "Hà Văn Nam"]
    assert (total, more) == (2, False)
    with connection.cursor() as cursor:
        for index in PERSON_TRIGRAMS:
            cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
        cursor.execute("ANALYZE clusters_person")
    rest = paginator.tier_queryset(2)
    # Ordered by an expression no index holds (at this size the planner would sort
    # anyway; at 100,000 people it walked the order's index without it).
    sql = str(rest.query)
    assert """("clusters_person"."sort_key" || '') AS "_k0",""" in sql, sql
    assert sql.endswith("ORDER BY 11 ASC, 12 ASC LIMIT 21"), sql
    plan = rest.explain()
    assert "clusters_person_sort_key" not in plan, plan
    assert any(f"Bitmap Index Scan on {index}" in plan for index in PERSON_TRIGRAMS), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_a_list_search_ranks_its_matches_read_by_the_trigram_index(staff, body):
    """A list page searched ranks every match in one query (total, page and cursor
    together): that query reads the matches by a trigram index and sorts only them."""
    _many_namesakes(body)
    query = "luc thi thu thuy"
    queryset = people_for_user(staff).filter(search_filter(query))
    paginator = KeysetPaginator(queryset, ("sort_key", "pk"), 20, tiers=search.tiers(query))
    page = paginator.page_from({})
    assert [person.full_name for person in page.rows] == ["Lục Thị Thu Thủy", "Hà Văn Nam"]
    assert (page.total, page.has_next) == (2, False)
    with connection.cursor() as cursor:
        for index in PERSON_TRIGRAMS:
            cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
        cursor.execute("ANALYZE clusters_person")
        sql, params = paginator.ranked_keys_query()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on clusters_person" not in plan, plan
    assert "clusters_person_sort_key" not in plan, plan
    assert any(f"Bitmap Index Scan on {index}" in plan for index in PERSON_TRIGRAMS), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("query", "found"),
    [("ly ma", ["Lý Ma"]), ("luc thi thu thuy", ["Lục Thị Thu Thủy", "Hà Văn Nam"])],
)
def test_the_search_pages_one_query_reads_the_people_by_their_trigram_index(
    staff, body, query, found
):
    """The search page ranks the ids of every kind in one query: the people's part is
    read by a trigram index, never by scanning the register."""
    _many_namesakes(body, Person(body=body, full_name="Lý Ma"))
    section = next(s for s in global_search(staff, query) if s.key == "people")
    assert [person.full_name for person in section.rows] == found
    with connection.cursor() as cursor:
        for index in PERSON_TRIGRAMS:
            cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
        cursor.execute("ANALYZE clusters_person")
        sql, params = ranked_ids_query(staff, query)
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on clusters_person" not in plan, plan
    assert any(f"Bitmap Index Scan on {index}" in plan for index in PERSON_TRIGRAMS), plan
