"""The dashboard's meeting calendar, and the global search over people and exemplary models."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import ClusterYearFactory
from tests.factories.meetings import ExemplarFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db

CEILING = 15


def element_text(response, element_id) -> str:
    element = lxml.html.fromstring(response.content.decode()).get_element_by_id(element_id)
    return " ".join(" ".join(element.itertext()).split())


def in_days(days: float, hour: int = 8) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def titles(meetings) -> list[str]:
    return [meeting.title for meeting in meetings]


def hits(response, key) -> list[str]:
    """The rows of a kind's section; a kind nothing was found of has no section."""
    for section in response.context["sections"]:
        if section.key == key:
            return [str(row) for row in section.rows]
    return []


# --- Calendar ------------------------------------------------------------------------------


def test_the_dashboard_lists_upcoming_meetings_soonest_first_and_recent_ones_newest_first(
    staff_client, cluster_year, other_cluster
):
    for title, days in [
        ("Sơ kết 6 tháng", 30),
        ("Ký kết giao ước", 2),
        ("Hội nghị chuyên đề", 10),
        ("Tổng kết năm", -3),
        ("Họp cụm tháng trước", -20),
        ("Hội nghị đã lâu", -90),
    ]:
        MeetingFactory(cluster_year=cluster_year, title=title, starts_at=in_days(days))
    MeetingFactory(
        cluster_year=other_cluster.years.get(), title="Hội nghị Lào Cai", starts_at=in_days(1)
    )
    response = staff_client.get(reverse("reports:dashboard"))
    assert titles(response.context["upcoming"]) == [
        "Ký kết giao ước",
        "Hội nghị chuyên đề",
        "Sơ kết 6 tháng",
    ]
    assert titles(response.context["recent"]) == ["Tổng kết năm", "Họp cụm tháng trước"]
    upcoming = element_text(response, "upcoming-meetings")
    soonest = response.context["upcoming"][0]
    assert upcoming.startswith(
        f"Ký kết giao ước Cụm thi đua các huyện, thành phố "
        f"{timezone.localtime(soonest.starts_at):%H:%M %d/%m/%Y} .ics"
    )
    html = response.content.decode()
    assert reverse("meetings:meeting-ics", args=[soonest.pk]) in html
    assert "Hội nghị Lào Cai" not in html and "Hội nghị đã lâu" not in html


def test_the_calendar_shows_at_most_eight_meetings_each_way(staff_client, cluster_year):
    for day in range(1, 11):
        MeetingFactory(
            cluster_year=cluster_year, title=f"Sắp tới {day:02d}", starts_at=in_days(day)
        )
        MeetingFactory(
            cluster_year=cluster_year, title=f"Đã qua {day:02d}", starts_at=in_days(-day)
        )
    response = staff_client.get(reverse("reports:dashboard"))
    assert titles(response.context["upcoming"]) == [f"Sắp tới {day:02d}" for day in range(1, 9)]
    assert titles(response.context["recent"]) == [f"Đã qua {day:02d}" for day in range(1, 9)]


def test_the_calendar_says_when_there_is_nothing(staff_client, cluster_year):
    response = staff_client.get(reverse("reports:dashboard"))
    assert element_text(response, "upcoming-meetings") == "Chưa có hội nghị dự kiến."
    assert element_text(response, "recent-meetings") == "Không có hội nghị nào trong 60 ngày qua."


def test_an_outsider_sees_none_of_the_provinces_meetings(outsider_client, cluster_year):
    MeetingFactory(cluster_year=cluster_year, title="Ký kết giao ước", starts_at=in_days(2))
    MeetingFactory(cluster_year=cluster_year, title="Tổng kết năm", starts_at=in_days(-2))
    response = outsider_client.get(reverse("reports:dashboard"))
    assert (response.context["upcoming"], response.context["recent"]) == ([], [])


def test_the_dashboard_uses_the_same_queries_for_one_or_three_meetings(
    staff_client, cluster, cluster_year, units, assert_constant_queries
):
    last_year = ClusterYearFactory(cluster=cluster, year=cluster_year.year - 1)
    MeetingFactory(cluster_year=cluster_year, starts_at=in_days(3), host=units[0])
    MeetingFactory(cluster_year=cluster_year, starts_at=in_days(-3), status=Meeting.Status.HELD)

    def add_two_more():
        for days in (5, 7):
            MeetingFactory(cluster_year=last_year, starts_at=in_days(days), place="Huyện Ba Bể")
            MeetingFactory(cluster_year=last_year, starts_at=in_days(-days))

    first, second = assert_constant_queries(
        staff_client, reverse("reports:dashboard"), add_two_more=add_two_more, ceiling=CEILING
    )
    assert (len(first.context["upcoming"]), len(first.context["recent"])) == (1, 1)
    assert (len(second.context["upcoming"]), len(second.context["recent"])) == (3, 3)


# --- Search ----------------------------------------------------------------------------------


@pytest.fixture
def people(body, other_body, units):
    return {
        name: PersonFactory(body=register, full_name=name, position=position, unit=unit)
        for name, register, position, unit in [
            ("Nông Văn Nguyên", body, "Chủ tịch UBND huyện Na Rì", units[0]),
            ("Dương Hữu Bường", body, "Chủ tịch UBND Thành phố Bắc Kạn", None),
            ("Nguyễn Văn Nguyên", other_body, "Chủ tịch UBND huyện Bắc Hà", None),
        ]
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nong van nguyen", ["Nông Văn Nguyên"]),
        ("Nông Văn Nguyên", ["Nông Văn Nguyên"]),
        ("nguyen", ["Nông Văn Nguyên"]),
        ("chu tich", ["Dương Hữu Bường", "Nông Văn Nguyên"]),
        ("huyen bac ha", []),
    ],
)
def test_the_search_finds_people_of_the_users_registers(staff_client, people, query, found):
    response = staff_client.get(reverse("reports:search"), {"q": query})
    assert hits(response, "people") == found


def test_a_person_hit_links_to_their_page_with_position_and_register(staff_client, people):
    response = staff_client.get(reverse("reports:search"), {"q": "nong van nguyen"})
    nguyen = people["Nông Văn Nguyên"]
    assert element_text(response, "search-people") == (
        "Cá nhân 1 Nông Văn Nguyên — Chủ tịch UBND huyện Na Rì · UBND tỉnh Bắc Kạn"
    )
    assert f'href="{nguyen.get_absolute_url()}"' in response.content.decode()


def test_the_search_finds_exemplary_models_by_name_and_achievement(
    staff_client, cluster_year, other_cluster, people
):
    meeting = MeetingFactory(cluster_year=cluster_year, title="Sơ kết 6 tháng đầu năm 2023")
    school = ExemplarFactory(
        meeting=meeting, collective="Trường Tiểu học Na Rì", achievement="Dạy tốt, học tốt."
    )
    ExemplarFactory(
        meeting=meeting,
        kind="person",
        collective="",
        person=people["Nông Văn Nguyên"],
        achievement="Xây dựng nông thôn mới.",
    )
    ExemplarFactory(
        meeting=MeetingFactory(cluster_year=other_cluster.years.get()),
        collective="Trường Tiểu học Bắc Hà",
        achievement="Dạy tốt.",
    )
    search = reverse("reports:search")
    assert hits(staff_client.get(search, {"q": "truong tieu hoc"}), "exemplars") == [
        "Trường Tiểu học Na Rì"
    ]
    assert hits(staff_client.get(search, {"q": "nong thon moi"}), "exemplars") == [
        "Nông Văn Nguyên"
    ]
    response = staff_client.get(search, {"q": "day tot"})
    assert element_text(response, "search-exemplars") == (
        "Điển hình tiên tiến 1 Trường Tiểu học Na Rì · Sơ kết 6 tháng đầu năm 2023"
    )
    assert f'href="{school.get_absolute_url()}"' in response.content.decode()
    assert school.get_absolute_url() == f"/meetings/{meeting.pk}/#exemplar-{school.pk}"


def test_an_outsider_finds_neither_the_people_nor_the_exemplars(
    outsider_client, cluster_year, people
):
    ExemplarFactory(
        meeting=MeetingFactory(cluster_year=cluster_year), collective="Trường Tiểu học Na Rì"
    )
    response = outsider_client.get(reverse("reports:search"), {"q": "nguyen"})
    assert hits(response, "people") == ["Nguyễn Văn Nguyên"]
    response = outsider_client.get(reverse("reports:search"), {"q": "truong tieu hoc"})
    assert hits(response, "exemplars") == []


def test_the_search_uses_the_same_queries_for_one_or_three_hits(
    staff_client, body, cluster_year, units, assert_constant_queries
):
    meeting = MeetingFactory(cluster_year=cluster_year)
    PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=units[0])
    ExemplarFactory(meeting=meeting, collective="Hợp tác xã Nông nghiệp Na Rì", unit=units[0])

    def add_two_more():
        PersonFactory(body=body, full_name="Nông Thị Hoa", unit=units[1])
        PersonFactory(body=body, full_name="Nông Văn Bình")
        ExemplarFactory(meeting=meeting, collective="Tổ hợp tác nông sản Ba Bể", unit=units[1])
        ExemplarFactory(
            meeting=meeting,
            kind="person",
            collective="",
            person=PersonFactory(body=body, full_name="Hoàng Văn Nông"),
        )

    url = reverse("reports:search") + "?q=nong"
    first, second = assert_constant_queries(
        staff_client, url, add_two_more=add_two_more, ceiling=CEILING
    )
    assert hits(first, "people") == ["Nông Văn Nguyên"]
    assert hits(second, "people") == [
        "Nông Văn Bình",
        "Nông Thị Hoa",
        "Nông Văn Nguyên",
        "Hoàng Văn Nông",
    ]
    assert len(hits(second, "exemplars")) == 3


def test_a_past_year_on_the_dashboard_lists_that_years_meetings(staff_client, cluster_year):
    MeetingFactory(cluster_year=cluster_year, title="Tổng kết năm 2023", starts_at=in_days(-900))
    MeetingFactory(cluster_year=cluster_year, title="Sơ kết năm 2023", starts_at=in_days(-1000))

    response = staff_client.get(reverse("reports:dashboard"), {"year": cluster_year.year})

    assert titles(response.context["recent"]) == ["Tổng kết năm 2023", "Sơ kết năm 2023"]
    assert "Hội nghị năm 2023" in response.content.decode()
