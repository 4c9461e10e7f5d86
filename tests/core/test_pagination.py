"""Keyset pagination (core.pagination) and the lists paged with it."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters import search
from clusters.models import Person, Unit
from clusters.selectors import people_for_user, search_filter
from core import pagination
from core.pagination import KeysetPaginator, count_up_to
from meetings.models import Meeting
from tests.factories import UnitFactory
from tests.factories.meetings import MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db


def params(query: str) -> dict:
    return dict(pair.split("=") for pair in query.split("&"))


@pytest.fixture
def twelve(body):
    return [UnitFactory(body=body, name=f"Xã Số {n:02d}") for n in range(12)]


def names(page) -> list[str]:
    return [unit.name for unit in page.rows]


def test_pages_follow_on_and_back_with_their_positions(twelve):
    paginator = KeysetPaginator(Unit.objects.all(), ("sort_key", "pk"), 5)

    first = paginator.page_from({})
    second = paginator.page_from(params(first.next_query))
    third = paginator.page_from(params(second.next_query))

    assert names(first) == [f"Xã Số {n:02d}" for n in range(5)]
    assert names(second) == [f"Xã Số {n:02d}" for n in range(5, 10)]
    assert names(third) == ["Xã Số 10", "Xã Số 11"]
    assert [(p.start_index, p.end_index) for p in (first, second, third)] == [
        (1, 5),
        (6, 10),
        (11, 12),
    ]
    assert [(p.has_previous, p.has_next) for p in (first, second, third)] == [
        (False, True),
        (True, True),
        (True, False),
    ]
    back = paginator.page_from(params(third.previous_query))
    assert (names(back), back.start_index) == (names(second), 6)
    assert names(paginator.page_from(params(back.previous_query))) == names(first)
    assert first.total == 12 and first.total_is_exact


def test_the_last_page_is_read_backwards_and_knows_its_position_when_the_total_is_known(twelve):
    paginator = KeysetPaginator(Unit.objects.all(), ("sort_key", "pk"), 5)

    last = paginator.page_from({"last": "1"})

    assert names(last) == ["Xã Số 07", "Xã Số 08", "Xã Số 09", "Xã Số 10", "Xã Số 11"]
    assert (last.start_index, last.has_next, last.has_previous) == (8, False, True)
    before = paginator.page_from(params(last.previous_query))
    assert names(before) == [f"Xã Số {n:02d}" for n in range(2, 7)]
    assert before.has_previous is True


def test_a_descending_order_pages_the_same_way(cluster_year):
    start = datetime.datetime(2024, 1, 1, 8, tzinfo=datetime.UTC)
    meetings = [
        MeetingFactory(cluster_year=cluster_year, starts_at=start + datetime.timedelta(days=n))
        for n in range(7)
    ]
    paginator = KeysetPaginator(Meeting.objects.all(), ("-starts_at", "pk"), 3)

    first = paginator.page_from({})
    second = paginator.page_from(params(first.next_query))
    third = paginator.page_from(params(second.next_query))

    newest_first = [meeting.pk for meeting in reversed(meetings)]
    assert [m.pk for page in (first, second, third) for m in page.rows] == newest_first


@pytest.mark.parametrize("cursor", ["abc", "", "-3", "999999"])
def test_a_cursor_that_names_no_row_leads_to_the_first_page(twelve, cursor):
    paginator = KeysetPaginator(Unit.objects.all(), ("sort_key", "pk"), 5)

    page = paginator.page_from({"after": cursor})

    assert names(page)[0] == "Xã Số 00" and page.start_index == 1


def test_a_cursor_on_a_row_the_user_may_not_see_leads_to_the_first_page(staff, body, other_body):
    hidden = PersonFactory(body=other_body, full_name="Ẩn Danh")
    PersonFactory(body=body, full_name="Nguyễn Văn An")
    paginator = KeysetPaginator(people_for_user(staff), ("sort_key", "pk"), 5)

    page = paginator.page_from({"after": str(hidden.pk)})

    assert [p.full_name for p in page.rows] == ["Nguyễn Văn An"]


def test_totals_are_counted_up_to_the_cap_only(twelve, monkeypatch):
    assert count_up_to(Unit.objects.all(), cap=5) == 6
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    paginator = KeysetPaginator(Unit.objects.all(), ("sort_key", "pk"), 5)

    first = paginator.page_from({})
    last = paginator.page_from({"last": "1"})

    assert (first.total, first.total_is_exact) == (11, False)
    # Past the cap the last page cannot know where it starts: no row numbers.
    assert (last.start_index, names(last)[-1]) == (None, "Xã Số 11")


# --- A search with few matches: ranked once ------------------------------------------------


@pytest.fixture
def yen(body):
    """Eleven units matching "y yen": the short name equal to it, seven names holding both
    words, three found only by their code or a word's middle."""
    UnitFactory(body=body, name="Huyện Ý Yên", short_name="Ý Yên")
    for n in range(7):
        UnitFactory(body=body, name=f"Xã Yên {n:02d}")
    for n in range(3):
        UnitFactory(body=body, name=f"Phường Côn {n}", code=f"Y-YEN-{n}")
    UnitFactory(body=body, name="Xã Bình Minh")  # no match
    return units_of(body)


def units_of(body):
    return Unit.objects.filter(body=body).filter(search_filter("y yen"))


EXPECTED_YEN = ["Huyện Ý Yên", *[f"Xã Yên {n:02d}" for n in range(7)]] + [
    f"Phường Côn {n}" for n in range(3)
]


def ranked(queryset, per_page=4):
    return KeysetPaginator(queryset, ("sort_key", "pk"), per_page, tiers=search.tiers("y yen"))


def test_a_search_with_few_matches_knows_every_pages_place_without_from(yen):
    pages = []
    page = ranked(yen).page_from({})
    while True:
        pages.append(page)
        if not page.has_next:
            break
        # Without "from": the position comes from the ranked matches themselves.
        page = ranked(yen).page_from({"after": page.next_query.split("&")[0].split("=")[1]})

    assert [names(p) for p in pages] == [EXPECTED_YEN[:4], EXPECTED_YEN[4:8], EXPECTED_YEN[8:]]
    assert [(p.start_index, p.end_index, p.total) for p in pages] == [
        (1, 4, 11),
        (5, 8, 11),
        (9, 11, 11),
    ]
    last = ranked(yen).page_from({"last": "1"})
    assert (names(last), last.start_index, last.has_next) == (EXPECTED_YEN[7:], 8, False)
    before = ranked(yen).page_from(params(last.previous_query))
    assert (names(before), before.start_index) == (EXPECTED_YEN[3:7], 4)
    first = ranked(yen).page_from(params(before.previous_query))
    assert (names(first), first.has_previous) == (EXPECTED_YEN[:3], False)


def test_a_search_cursor_on_a_row_it_did_not_find_leads_to_the_first_page(yen, body):
    outside = Unit.objects.get(body=body, name="Xã Bình Minh")

    page = ranked(yen).page_from({"after": str(outside.pk)})

    assert (names(page), page.start_index) == (EXPECTED_YEN[:4], 1)


def test_any_page_of_a_search_with_few_matches_costs_two_queries(yen):
    third = Unit.objects.get(name=EXPECTED_YEN[2])
    for request in ({}, {"after": str(third.pk)}, {"before": str(third.pk)}, {"last": "1"}):
        with CaptureQueriesContext(connection) as queries:
            page = ranked(yen).page_from(request)
            assert page.rows
        # The matches ranked (with the total), then the page's rows by their keys.
        assert len(queries) == 2, [q["sql"] for q in queries]


def test_a_searched_pages_rows_are_read_by_key_from_the_list_before_its_filters(yen, body):
    """The page's rows come by key from the scoped rows the filters were given, without
    the search's conditions compiled and run again, and the page is the same."""
    scoped = Unit.objects.filter(body=body)
    with CaptureQueriesContext(connection) as queries:
        page = KeysetPaginator(
            yen, ("sort_key", "pk"), 4, tiers=search.tiers("y yen"), unfiltered=scoped
        ).page_from({})

    assert names(page) == EXPECTED_YEN[:4]
    by_key = queries[-1]["sql"].split(" WHERE ")[1]
    assert "search_text" not in by_key and "body_id" in by_key, by_key


def test_a_search_with_more_matches_than_the_cap_is_paged_by_the_index(yen, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)

    first = ranked(yen).page_from({})
    second = ranked(yen).page_from(params(first.next_query))
    last = ranked(yen).page_from({"last": "1"})

    assert (names(first), first.total, first.total_is_exact) == (EXPECTED_YEN[:4], 6, False)
    assert (names(second), second.start_index) == (EXPECTED_YEN[4:8], 5)
    assert (names(last), last.start_index) == (EXPECTED_YEN[7:], None)


# --- The list pages ------------------------------------------------------------------------


def test_the_people_list_pages_by_key_and_says_how_many(staff_client, body, settings):
    settings.PAGE_SIZE = 2
    people = [PersonFactory(body=body, full_name=f"Nguyễn Văn {g}") for g in "ABCDE"]
    url = reverse("clusters:person-list")

    first = staff_client.get(url)
    html = first.content.decode()
    page = first.context["page_obj"]
    assert [p.full_name for p in first.context["object_list"]] == ["Nguyễn Văn A", "Nguyễn Văn B"]
    assert f'href="?after={people[1].pk}&amp;from=3"' in html
    assert "Dòng 1–2 trong tổng số 5" in html
    second = staff_client.get(url, params(page.next_query))
    assert [p.full_name for p in second.context["object_list"]] == ["Nguyễn Văn C", "Nguyễn Văn D"]
    assert "Dòng 3–4 trong tổng số 5" in second.content.decode()
    last = staff_client.get(url, {"last": "1"})
    assert [p.full_name for p in last.context["object_list"]] == ["Nguyễn Văn D", "Nguyễn Văn E"]


def test_a_filter_stays_on_the_next_page_link(staff_client, body, settings):
    settings.PAGE_SIZE = 1
    first = PersonFactory(body=body, full_name="Lý Văn Ma")
    PersonFactory(body=body, full_name="Lý Thị Mai")
    PersonFactory(body=body, full_name="Hoàng Văn An")

    response = staff_client.get(reverse("clusters:person-list"), {"q": "ly", "after": "x"})

    html = response.content.decode()
    assert [p.full_name for p in response.context["object_list"]] == ["Lý Văn Ma"]
    assert f'href="?q=ly&amp;after={first.pk}&amp;from=2"' in html
    assert 'href="?q=ly&amp;last=1"' in html


def test_a_deep_page_of_people_costs_what_the_first_costs(
    staff_client, body, assert_constant_queries
):
    first = PersonFactory(body=body, full_name="Nguyễn Văn An")
    url = reverse("clusters:person-list") + f"?after={first.pk}&from=2"

    def add_two_more():
        PersonFactory(body=body, full_name="Nguyễn Văn Bình")
        PersonFactory(body=body, full_name="Nguyễn Văn Cường")

    one, three = assert_constant_queries(staff_client, url, add_two_more=add_two_more)
    assert list(one.context["object_list"]) == []
    assert [p.full_name for p in three.context["object_list"]] == [
        "Nguyễn Văn Bình",
        "Nguyễn Văn Cường",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
@pytest.mark.parametrize("where", ["deep", "last"])
def test_any_page_of_the_register_is_read_from_its_order_index(staff, body, where):
    people = [Person(body=body, full_name=f"Nguyễn Văn Số {n}") for n in range(3000)]
    for person in people:
        person.refresh_text_keys()
    Person.objects.bulk_create(people)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clusters_person")
    paginator = KeysetPaginator(people_for_user(staff), ("sort_key", "pk"), 50)
    middle = Person.objects.order_by("sort_key", "pk")[1500]
    forward = where == "deep"
    boundary = paginator._boundary(middle.pk) if forward else None

    plan = paginator._queryset(boundary, forward=forward).explain()

    # Read in order from an index on the sort key (the one on the whole key, or the
    # one on ``sort_key`` with ties put in order as they come): never the table sorted.
    # A deep page reads two ranges of the index (the boundary's sort key past its id,
    # then the sort keys past it), each limited to a page: at most those two pages are
    # sorted together.
    assert "Index Scan" in plan and "on clusters_person" in plan, plan
    assert "Seq Scan on clusters_person" not in plan, plan
    sorted_rows = [
        int(rows) for rows in re.findall(r"(?<!Incremental )Sort  \(cost=\S+ rows=(\d+)", plan)
    ]
    assert all(rows <= 2 * 51 for rows in sorted_rows), plan
    if forward:
        assert "(sort_key)::text > " in plan and "(sort_key)::text = " in plan, plan
