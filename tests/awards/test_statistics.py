"""The award statistics: what they count, the page, its Excel export, its queries."""

import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Award, GrantedByPlace, GrantedByType, RecipientKind, ReportedCount
from awards.statistics import (
    award_statistics,
    chart_series,
    granted_counts,
    granted_tallies,
)
from awards.statistics_views import grouped
from clusters.models import AwardType
from tests.factories import UnitFactory
from tests.factories.awards import AwardFactory, DecisionFactory, ReportedCountFactory, award_type

pytestmark = pytest.mark.django_db

URL = reverse("awards:statistics")


def grant(
    body,
    unit,
    *,
    year=2022,
    name="Bằng khen của UBND tỉnh",
    kind=RecipientKind.UNIT,
    cluster_year=None,
    status=Award.Status.DECIDED,
    decision=None,
    recipient_name="",
):
    return AwardFactory(
        body=body,
        unit=unit,
        year=year,
        award_type=award_type(name),
        recipient_kind=kind,
        recipient_name=recipient_name or unit.name,
        cluster_year=cluster_year,
        status=status,
        decision=decision or DecisionFactory(body=body),
    )


@pytest.fixture
def granted(body, units, cluster_year):
    """2022: a flag to Na Rì; Bằng khen to Ba Bể and to a school and a teacher of Pác
    Nặm; 2023: Giấy khen to a household of Na Rì, in the cluster's year. One proposal
    not decided, which counts nowhere."""
    na_ri, ba_be, pac_nam = units
    grant(body, na_ri, name="Cờ thi đua của UBND tỉnh")
    grant(body, ba_be)
    grant(body, pac_nam, kind=RecipientKind.COLLECTIVE, recipient_name="Trường THCS Bộc Bố")
    grant(body, pac_nam, kind=RecipientKind.INDIVIDUAL, recipient_name="Hà Thị Lan")
    grant(body, na_ri, year=2023, name="Giấy khen", kind=RecipientKind.HOUSEHOLD,
          recipient_name="Hộ gia đình ông Lương Văn Thành", cluster_year=cluster_year)  # fmt: skip
    AwardFactory(
        body=body, unit=ba_be, year=2023, status=Award.Status.PROPOSED, decision=None,
        cluster_year=cluster_year, stage="cluster",
    )  # fmt: skip
    ReportedCountFactory(cluster_year=cluster_year, unit=pac_nam, kind="collective", count=1315,
                         period=ReportedCount.Period.MID_YEAR)  # fmt: skip
    # The whole year covers the first six months: this one is taken, the one above not.
    ReportedCountFactory(cluster_year=cluster_year, unit=pac_nam, kind="collective", count=1400)
    ReportedCountFactory(cluster_year=cluster_year, unit=pac_nam, kind="individual", count=9294)
    ReportedCountFactory(cluster_year=cluster_year, unit=na_ri, kind="mixed", count=517,
                         level=AwardType.Level.PROVINCE)  # fmt: skip


def test_it_counts_granted_awards_by_year_and_recipient_apart_from_reported_counts(
    granted, staff, body
):
    stats = award_statistics(staff, body=body)
    assert stats.years == [2022, 2023]
    year_2022, year_2023 = stats.by_year[2022], stats.by_year[2023]
    assert (year_2022.collective, year_2022.individual, year_2022.household) == (3, 1, 0)
    assert year_2022.reported == 0
    assert (year_2023.collective, year_2023.individual, year_2023.household) == (0, 0, 1)
    assert (
        year_2023.reported_collective,
        year_2023.reported_individual,
        year_2023.reported_mixed,
    ) == (1400, 9294, 517)
    assert stats.total.recorded == 5
    assert stats.total.reported == 1400 + 9294 + 517
    assert stats.total.total == 5 + 11211


def test_it_counts_by_award_type_level_cluster_and_unit(granted, staff, body):
    stats = award_statistics(staff, body=body)
    assert [(row.award_type.name, row.tally.recorded, row.by_year) for row in stats.by_type] == [
        # The catalogue's order: the forms of commendation, then the titles.
        ("Bằng khen của UBND tỉnh", 3, {2022: 3}),
        ("Giấy khen", 1, {2023: 1}),
        ("Cờ thi đua của UBND tỉnh", 1, {2022: 1}),
    ]
    levels = {level: tally for level, _label, tally in stats.by_level}
    assert levels["province"].recorded == 4 and levels["province"].reported_mixed == 517
    assert levels["grassroots"].household == 1
    assert levels["grassroots"].reported == 1400 + 9294
    assert levels["state"].total == 0
    assert [(row.name, row.tally.recorded, row.tally.reported) for row in stats.by_cluster] == [
        ("Cụm thi đua các huyện, thành phố", 1, 11211),
        ("", 4, 0),  # entered without a cluster year
    ]
    assert [(row.name, row.tally.recorded, row.tally.reported) for row in stats.by_unit] == [
        ("Huyện Ba Bể", 1, 0),
        ("Huyện Na Rì", 2, 517),
        ("Huyện Pác Nặm", 2, 1400 + 9294),
    ]


def test_the_years_asked_bound_the_counts(granted, staff, body):
    stats = award_statistics(staff, body=body, year_from=2023, year_to=2023)
    assert stats.years == [2023]
    assert stats.total.recorded == 1 and stats.total.reported == 11211
    assert award_statistics(staff, body=body, year_to=2022).total.reported == 0


def test_a_secretary_counts_only_their_cluster_years(granted, secretary, body):
    stats = award_statistics(secretary, body=body)
    assert stats.total.recorded == 1  # the household's Giấy khen of the cluster's year
    assert stats.total.reported == 11211


def test_the_chart_names_the_most_given_types_and_sums_the_rest(granted, staff, body):
    stats = award_statistics(staff, body=body)
    series = chart_series(stats.by_type, stats.years, others="Khác")
    assert series == [
        ("Bằng khen của UBND tỉnh", [3, 0]),
        ("Giấy khen", [0, 1]),
        ("Cờ thi đua của UBND tỉnh", [1, 0]),
    ]


# --- The page ---------------------------------------------------------------------------


def table_rows(html: str, key: str) -> list[list[str]]:
    """The rows of the page's table ``statistics-<key>`` as they read, its total last:
    each row's header and cells, tags dropped."""
    section = html.split(f'id="statistics-{key}"', 1)[1].split("</section>", 1)[0]
    body = section.split("</thead>", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_page_shows_recorded_and_reported_apart(granted, staff_client, body):
    response = staff_client.get(URL, {"body": body.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="statistics-chart"' in html and "<svg" in html
    assert "Trường THCS Bộc Bố" not in html  # counts only, never names
    assert response.context["stats"].total.recorded == 5
    # Recorded: collectives, individuals, households, sum; reported: collectives,
    # individuals, both, sum; the total.
    assert table_rows(html, "years") == [
        ["2022", "3", "1", "0", "4", "0", "0", "0", "0", "4"],
        ["2023", "0", "0", "1", "1", "1.400", "9.294", "517", "11.211", "11.212"],
        ["Tổng cộng", "3", "1", "1", "5", "1.400", "9.294", "517", "11.211", "11.216"],
    ]
    assert table_rows(html, "clusters") == [
        ["Cụm thi đua các huyện, thành phố", "0", "0", "1", "1", "1.400", "9.294", "517",
         "11.211", "11.212"],
        ["Không thuộc cụm, khối", "3", "1", "0", "4", "0", "0", "0", "0", "4"],
        ["Tổng cộng", "3", "1", "1", "5", "1.400", "9.294", "517", "11.211", "11.216"],
    ]  # fmt: skip
    assert table_rows(html, "units") == [
        ["Huyện Ba Bể", "1", "0", "0", "1", "0", "0", "0", "0", "1"],
        ["Huyện Na Rì", "1", "0", "1", "2", "0", "0", "517", "517", "519"],
        ["Huyện Pác Nặm", "1", "1", "0", "2", "1.400", "9.294", "0", "10.694", "10.696"],
        ["Tổng cộng", "3", "1", "1", "5", "1.400", "9.294", "517", "11.211", "11.216"],
    ]
    # The award types: a count per year (2022, 2023), per recipient group, and the sum.
    assert [row[2:] for row in table_rows(html, "types")] == [
        ["3", "0", "2", "1", "0", "3"],
        ["0", "1", "0", "0", "1", "1"],
        ["1", "0", "1", "0", "0", "1"],
    ]


def test_the_page_groups_thousands_as_the_language_does(granted, staff_client, body):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = staff_client.get(URL, {"body": body.pk}).content.decode()
    assert table_rows(html, "years")[1][5:] == ["1,400", "9,294", "517", "11,211", "11,212"]
    assert grouped(".")(18568) == "18.568" and grouped(".")(1234567) == "1.234.567"
    assert grouped(",")(18568) == "18,568" and grouped(".")(0) == "0"


def test_a_six_months_count_counts_where_no_whole_year_covers_it(granted, staff, body, units):
    na_ri, ba_be, _pac_nam = units
    cluster_year = ReportedCount.objects.get(count=517).cluster_year
    ReportedCountFactory(cluster_year=cluster_year, unit=ba_be, kind="individual", count=40,
                         period=ReportedCount.Period.MID_YEAR)  # fmt: skip
    stats = award_statistics(staff, body=body)
    assert stats.total.reported == 1400 + 9294 + 517 + 40
    assert [(row.name, row.tally.reported_individual) for row in stats.by_unit] == [
        ("Huyện Ba Bể", 40),
        ("Huyện Na Rì", 0),
        ("Huyện Pác Nặm", 9294),
    ]
    levels = {level: tally for level, _label, tally in stats.by_level}
    assert levels["grassroots"].reported == 1400 + 9294 + 40


def test_the_year_filter_is_applied_and_a_bad_year_ignored(granted, staff_client, body):
    response = staff_client.get(URL, {"body": body.pk, "year_from": 2023})
    assert response.context["stats"].years == [2023]
    response = staff_client.get(URL, {"body": body.pk, "year_from": "abc"})
    assert response.context["stats"].years == [2022, 2023]


def test_another_bodys_statistics_are_a_404(granted, outsider_client, body):
    assert outsider_client.get(URL, {"body": body.pk}).status_code == 404
    assert (
        outsider_client.get(reverse("awards:statistics-export"), {"body": body.pk}).status_code
        == 404
    )


def test_a_user_without_any_body_gets_a_404(client_for, db):
    from tests.factories import UserFactory

    assert client_for(UserFactory(username="nobody")).get(URL).status_code == 404


def test_the_excel_export_has_a_sheet_per_table(granted, staff_client, body):
    response = staff_client.get(reverse("awards:statistics-export"), {"body": body.pk})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 5
    years = workbook.worksheets[0]
    assert [years.cell(row=4, column=c).value for c in range(1, 11)] == [
        "2022",
        3,
        1,
        0,
        4,
        0,
        0,
        0,
        0,
        4,
    ]
    assert [years.cell(row=5, column=c).value for c in range(1, 11)] == [
        "2023",
        0,
        0,
        1,
        1,
        1400,
        9294,
        517,
        11211,
        11212,
    ]
    types = workbook.worksheets[4]
    assert types.cell(row=4, column=1).value == "Bằng khen của UBND tỉnh"
    assert [types.cell(row=4, column=c).value for c in range(3, 9)] == [3, 0, 2, 1, 0, 3]


# Session, user, scope, bodies; the awards by year and type and by unit and cluster
# year (on PostgreSQL in one query, in a transaction planning without parallel workers:
# in a request its beginning, the setting, its rollback, 12 queries; in a test, inside
# the test's transaction, a savepoint rolled back to and released); the reported
# counts; the award types, units and cluster years named.
PAGE_QUERIES = {"postgresql": 9, "sqlite": 9}


def test_the_page_takes_as_many_queries_for_one_award_as_for_three(
    staff_client, body, units, cluster_year, django_assert_num_queries
):
    grant(body, units[0], cluster_year=cluster_year)
    url = f"{URL}?body={body.pk}"
    staff_client.get(url)  # per-process caches (content types, sessions)
    queries = PAGE_QUERIES[connection.vendor]
    with django_assert_num_queries(queries):
        assert staff_client.get(url).context["stats"].total.recorded == 1
    grant(body, units[1], year=2021, cluster_year=None)
    grant(body, UnitFactory(body=body, name="Huyện Chợ Mới"), kind=RecipientKind.INDIVIDUAL,
          recipient_name="Nông Thị Hoa")  # fmt: skip
    ReportedCountFactory(cluster_year=cluster_year, unit=units[2], count=3)
    with django_assert_num_queries(queries):
        response = staff_client.get(url)
    assert response.context["stats"].total.recorded == 3
    assert response.context["stats"].total.reported == 3
    assert len(table_rows(response.content.decode(), "units")) == 4 + 1  # and the total


def test_the_granted_awards_are_counted_by_type_and_by_place(granted, staff, body, units):
    na_ri, ba_be, pac_nam = units
    by_type, by_place = granted_counts(granted_tallies(staff, body=body))
    names = dict(AwardType.objects.values_list("pk", "name"))
    assert sorted((year, names[pk], kind, n) for year, pk, kind, n in by_type) == [
        (2022, "Bằng khen của UBND tỉnh", "collective", 1),
        (2022, "Bằng khen của UBND tỉnh", "individual", 1),
        (2022, "Bằng khen của UBND tỉnh", "unit", 1),
        (2022, "Cờ thi đua của UBND tỉnh", "unit", 1),
        (2023, "Giấy khen", "household", 1),
    ]
    cluster_year = Award.objects.get(recipient_kind="household").cluster_year_id
    assert sorted(by_place, key=str) == sorted(
        [
            (na_ri.pk, None, "unit", 1),
            (na_ri.pk, cluster_year, "household", 1),
            (ba_be.pk, None, "unit", 1),
            (pac_nam.pk, None, "collective", 1),
            (pac_nam.pk, None, "individual", 1),
        ],
        key=str,
    )


def test_a_scope_matching_nothing_counts_nothing(granted):
    nothing = (GrantedByType.objects.none(), GrantedByPlace.objects.none())
    assert granted_counts(nothing) == ([], [])


def test_awards_no_longer_granted_are_no_longer_counted(granted, staff, body, units):
    """An award deleted, or moved to another year, leaves the counts of its old key: on
    PostgreSQL the tallies then hold a row taking it back (−1) beside the one adding it,
    and the readers add them up rather than keep only what adds."""
    na_ri, ba_be, _pac_nam = units
    Award.objects.get(unit=ba_be, year=2022).delete()
    moved = Award.objects.get(unit=na_ri, year=2022)
    moved.year = 2021
    moved.save()
    stats = award_statistics(staff, body=body)
    assert stats.years == [2021, 2022, 2023]
    assert stats.by_year[2022].recorded == 2  # the school and the teacher of Pác Nặm
    assert stats.by_year[2021].recorded == 1
    assert stats.total.recorded == 4
    assert [(row.award_type.name, row.tally.recorded) for row in stats.by_type] == [
        ("Bằng khen của UBND tỉnh", 2),
        ("Giấy khen", 1),
        ("Cờ thi đua của UBND tỉnh", 1),
    ]
    assert [(row.name, row.tally.recorded) for row in stats.by_unit] == [
        ("Huyện Na Rì", 2),
        ("Huyện Pác Nặm", 2),
    ]
