"""The meeting and exemplar lists, the meeting page and the minutes: rows shown, filters,
and the same number of queries for one item or three."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Participant
from tests.factories import ClusterYearFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttachmentFactory,
    AttendanceFactory,
    ConclusionFactory,
    ExemplarFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    at,
)
from tests.meetings.helpers import element_text, page, text_of

pytestmark = pytest.mark.django_db

CEILING = 15


def titles(response) -> list[str]:
    return [meeting.title for meeting in response.context["object_list"]]


def names(response) -> list[str]:
    return [exemplar.name for exemplar in response.context["object_list"]]


# --- Meeting list ---------------------------------------------------------------------------


def test_the_meeting_list_shows_the_newest_first_and_the_same_queries_for_three(
    staff_client, meeting, cluster, cluster_year, units, other_meeting, assert_constant_queries
):
    def add_two_more():
        MeetingFactory(
            cluster_year=ClusterYearFactory(cluster=cluster, year=2022),
            title="Sơ kết 6 tháng đầu năm 2022",
            kind="mid_year",
            starts_at=at(2022, 7, 15),
            host=units[1],
        )
        MeetingFactory(
            cluster_year=cluster_year,
            title="Sơ kết 6 tháng đầu năm 2023",
            kind="mid_year",
            starts_at=at(2023, 7, 14),
            host=units[2],
        )

    first, second = assert_constant_queries(
        staff_client, reverse("meetings:meeting-list"), add_two_more=add_two_more, ceiling=CEILING
    )
    assert titles(first) == [meeting.title]
    assert titles(second) == [
        "Sơ kết 6 tháng đầu năm 2023",
        meeting.title,
        "Sơ kết 6 tháng đầu năm 2022",
    ]
    rows = element_text(second, "meeting-table")
    assert "08:00 14/07/2023 Sơ kết 6 tháng đầu năm 2023 Sơ kết 6 tháng" in rows
    assert "Cụm thi đua các huyện, thành phố (2023) Huyện Pác Nặm Dự kiến" in rows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2022"}, ["Sơ kết 2022"]),
        ({"kind": "mid_year"}, ["Sơ kết 2022"]),
        ({"status": "held"}, ["Tổng kết 2022"]),
        ({"q": "cum huyen thanh pho"}, ["Tổng kết 2022", "Sơ kết 2022"]),
        ({"q": "khoi"}, []),
    ],
)
def test_the_meeting_list_filters_by_year_kind_status_and_cluster(
    staff_client, cluster, query, expected
):
    year = ClusterYearFactory(cluster=cluster, year=2022)
    MeetingFactory(
        cluster_year=year, title="Sơ kết 2022", kind="mid_year", starts_at=at(2022, 7, 1)
    )
    MeetingFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2023),
        title="Tổng kết 2022",
        status="held",
    )
    response = staff_client.get(reverse("meetings:meeting-list"), query)
    assert titles(response) == expected


# --- Exemplar list --------------------------------------------------------------------------


def test_the_exemplar_list_shows_people_and_collectives_with_the_same_queries_for_three(
    staff_client, meeting, body, units, other_meeting, assert_constant_queries
):
    ExemplarFactory(
        meeting=meeting,
        kind="person",
        collective="",
        person=PersonFactory(body=body, full_name="Lục Thị Mai", unit=units[0]),
        unit=units[0],
    )
    ExemplarFactory(meeting=other_meeting, collective="Trường Tiểu học Bắc Hà")

    def add_two_more():
        ExemplarFactory(meeting=meeting, collective="Trường Tiểu học Ba Bể", unit=units[1])
        ExemplarFactory(
            meeting=meeting,
            kind="person",
            collective="",
            person=PersonFactory(body=body, full_name="Hoàng Văn An"),
        )

    first, second = assert_constant_queries(
        staff_client,
        reverse("meetings:exemplar-list"),
        add_two_more=add_two_more,
        ceiling=CEILING,
    )
    assert names(first) == ["Lục Thị Mai"]
    # One meeting: in Vietnamese order of the names as written (family name first).
    assert names(second) == ["Hoàng Văn An", "Lục Thị Mai", "Trường Tiểu học Ba Bể"]
    assert "Huyện Na Rì" in element_text(second, "exemplar-table")


def test_the_exemplar_list_searches_without_diacritics(staff_client, meeting, body):
    ExemplarFactory(meeting=meeting, collective="Trường Tiểu học Na Rì", achievement="Dạy tốt")
    ExemplarFactory(meeting=meeting, collective="Hợp tác xã Đồng Tâm", achievement="Trà thảo mộc")
    url = reverse("meetings:exemplar-list")
    assert names(staff_client.get(url, {"q": "dong tam"})) == ["Hợp tác xã Đồng Tâm"]
    assert names(staff_client.get(url, {"q": "DAY TOT"})) == ["Trường Tiểu học Na Rì"]


# --- The meeting page and its minutes -------------------------------------------------------


@pytest.fixture
def full_meeting(meeting, cluster, members, units, body):
    """One of everything on the meeting page; ``add_two_more()`` adds two of each."""
    earlier = MeetingFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022), starts_at=at(2022, 7, 15)
    )
    order = iter(["Na Rì", "Ba Bể", "Pác Nặm"])

    def add(count):
        for _index in range(count):
            ParticipantFactory(meeting=meeting, person__unit=units[0], role=Participant.Role.CHAIR)
            AttendanceFactory(meeting=meeting, member=members[next(order)], representative="Ông A")
            ConclusionFactory(
                meeting=meeting, is_task=True, owner=units[1], due_on=datetime.date(2023, 3, 1)
            )
            ConclusionFactory(meeting=earlier, is_task=True, owner=units[2])
            AgendaItemFactory(meeting=meeting, presenter="Huyện Na Rì")
            ExemplarFactory(
                meeting=meeting,
                kind="person",
                collective="",
                person=PersonFactory(body=body, unit=units[0]),
                unit=units[0],
            )
            AttachmentFactory(meeting=meeting)
            AttachmentFactory(meeting=meeting, kind="document", original_name="bao-cao.pdf")

    add(1)
    return meeting, lambda: add(2)


def test_the_meeting_page_uses_the_same_queries_for_one_or_three_of_everything(
    secretary_client, full_meeting, assert_constant_queries
):
    meeting, add_two_more = full_meeting
    first, second = assert_constant_queries(
        secretary_client, meeting.get_absolute_url(), add_two_more=add_two_more, ceiling=CEILING
    )
    for response, count in ((first, 1), (second, 3)):
        detail = response.context["detail"]
        assert (
            len(detail.chairs),
            len(detail.present),
            len(detail.conclusions),
            len(detail.open_tasks),
            len(detail.agenda),
            len(detail.exemplars),
            len(detail.attachments),
        ) == (count, count, count, count, count, count, 2 * count)
    assert element_text(second, "attendance").startswith("Tham dự 3/3 ")


def test_the_minutes_pdf_uses_the_same_queries_for_one_or_three_of_everything(
    secretary_client, full_meeting, assert_constant_queries
):
    meeting, add_two_more = full_meeting
    first, second = assert_constant_queries(
        secretary_client,
        reverse("meetings:meeting-minutes-pdf", args=[meeting.pk]),
        add_two_more=add_two_more,
        ceiling=CEILING,
    )
    assert first.content.startswith(b"%PDF-") and second.content.startswith(b"%PDF-")


def test_the_minutes_docx_uses_the_same_queries_for_one_or_three_of_everything(
    secretary_client, full_meeting, assert_constant_queries
):
    meeting, add_two_more = full_meeting
    assert_constant_queries(
        secretary_client,
        reverse("meetings:meeting-minutes-docx", args=[meeting.pk]),
        add_two_more=add_two_more,
        ceiling=CEILING,
    )


def test_the_cluster_year_page_lists_its_meetings_and_exemplars(
    staff_client, cluster_year, meeting, units
):
    MeetingFactory(cluster_year=cluster_year, title="Sơ kết 6 tháng", starts_at=at(2023, 7, 14))
    ExemplarFactory(meeting=meeting, collective="Trường Tiểu học Na Rì", unit=units[0])
    response = staff_client.get(cluster_year.get_absolute_url())
    section = element_text(response, "meetings-section")
    assert section.index(meeting.title) < section.index("Sơ kết 6 tháng")
    assert element_text(response, "year-exemplars").startswith(
        "Trường Tiểu học Na Rì (Huyện Na Rì): "
    )
    assert reverse("meetings:meeting-create", args=[cluster_year.pk]) in response.content.decode()


def test_a_meeting_without_host_or_place_is_listed_with_an_empty_place(staff_client, cluster_year):
    MeetingFactory(cluster_year=cluster_year, title="Họp trực tuyến", host=None, place="")
    response = staff_client.get(reverse("meetings:meeting-list"))
    assert response.status_code == 200
    cells = page(response).xpath("//table[@id='meeting-table']/tbody/tr/td")
    assert [text_of(cell) for cell in cells[1:]] == [
        "Họp trực tuyến",
        "Tổng kết năm",
        "Cụm thi đua các huyện, thành phố (2023)",
        "",
        "Dự kiến",
    ]
