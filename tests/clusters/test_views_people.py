"""The register of people: chairs, delegates and exemplary individuals of the meetings."""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from clusters.models import Person, Role
from tests.factories import (
    ClusterFactory,
    ClusterYearFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.meetings import (
    ExemplarFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    at,
)

pytestmark = pytest.mark.django_db

# Typed in no particular order; the register sorts by given name (the last word), in
# Vietnamese alphabetical order (a < ă < â ... d < đ), then by the full name.
NAMES = [
    "Nông Văn Nguyên",
    "Dương Hữu Bường",
    "Trần Đức Đông",
    "Hoàng Thị Ánh",
    "Nguyễn Văn An",
    "Đỗ Văn Dũng",
    "Lê Văn An",
]
IN_ORDER = [
    "Lê Văn An",
    "Nguyễn Văn An",
    "Hoàng Thị Ánh",
    "Dương Hữu Bường",
    "Đỗ Văn Dũng",
    "Trần Đức Đông",
    "Nông Văn Nguyên",
]


def listed(response) -> list[str]:
    return [person.full_name for person in response.context["object_list"]]


def element_text(response, element_id) -> str:
    element = lxml.html.fromstring(response.content.decode()).get_element_by_id(element_id)
    return " ".join(" ".join(element.itertext()).split())


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def people(body, units) -> dict[str, Person]:
    return {
        name: PersonFactory(
            body=body,
            full_name=name,
            position="Chủ tịch UBND huyện Na Rì" if name == "Nông Văn Nguyên" else "",
            unit=units[0] if name == "Nông Văn Nguyên" else None,
        )
        for name in NAMES
    }


@pytest.fixture
def stranger(other_body):
    return PersonFactory(body=other_body, full_name="Đinh Văn Đăng")


# --- List ----------------------------------------------------------------------------------


def test_the_list_is_in_vietnamese_given_name_order(staff_client, people, stranger):
    response = staff_client.get(reverse("clusters:person-list"))
    assert response.status_code == 200
    assert listed(response) == IN_ORDER
    html = response.content.decode()
    assert html.index("Dương Hữu Bường") < html.index("Nông Văn Nguyên")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nong van nguyen", ["Nông Văn Nguyên"]),
        ("NÔNG VĂN NGUYÊN", ["Nông Văn Nguyên"]),
        ("nguyen", ["Nguyễn Văn An", "Nông Văn Nguyên"]),
        ("le van an", ["Lê Văn An"]),
        ("chu tich na ri", ["Nông Văn Nguyên"]),
        ("dang", []),
    ],
)
def test_the_list_searches_names_positions_and_units_without_diacritics(
    staff_client, people, stranger, query, found
):
    response = staff_client.get(reverse("clusters:person-list"), {"q": query})
    assert listed(response) == found


def test_an_outsider_lists_only_their_own_register(outsider_client, people, stranger):
    response = outsider_client.get(reverse("clusters:person-list"))
    assert listed(response) == ["Đinh Văn Đăng"]


def test_the_list_uses_the_same_queries_for_one_or_three_people(
    staff_client, body, units, assert_constant_queries
):
    PersonFactory(body=body, full_name="Nông Văn Nguyên", unit=units[0])

    def add_two_more():
        PersonFactory(body=body, full_name="Dương Hữu Bường", unit=units[1])
        PersonFactory(body=body, full_name="Lê Văn An", unit=units[2])

    first, second = assert_constant_queries(
        staff_client, reverse("clusters:person-list"), add_two_more=add_two_more, ceiling=15
    )
    assert listed(first) == ["Nông Văn Nguyên"]
    assert listed(second) == ["Lê Văn An", "Dương Hữu Bường", "Nông Văn Nguyên"]
    assert "Huyện Pác Nặm" in element_text(second, "person-table")


# --- Detail --------------------------------------------------------------------------------


def test_the_person_page_shows_their_meetings_and_exemplary_records(
    viewer_client, cluster_year, people
):
    nguyen = people["Nông Văn Nguyên"]
    meeting = MeetingFactory(
        cluster_year=cluster_year,
        title="Tổng kết công tác thi đua, khen thưởng năm 2022",
        starts_at=at(2023, 2, 7, 14),
    )
    ParticipantFactory(meeting=meeting, person=nguyen, role="chair", position="Cụm phó")
    ExemplarFactory(
        meeting=meeting,
        kind="person",
        person=nguyen,
        collective="",
        achievement="Lãnh đạo huyện hoàn thành xuất sắc nhiệm vụ.",
    )
    response = viewer_client.get(nguyen.get_absolute_url())
    assert response.status_code == 200
    assert element_text(response, "person-meetings") == (
        "Hội nghị "
        "Tổng kết công tác thi đua, khen thưởng năm 2022 "
        "Chủ trì · 07/02/2023 · Cụm thi đua các huyện, thành phố · Cụm phó "
        "Điển hình tiên tiến Tổng kết công tác thi đua, khen thưởng năm 2022 "
        "Lãnh đạo huyện hoàn thành xuất sắc nhiệm vụ."
    )
    assert meeting.get_absolute_url() in response.content.decode()


def test_a_person_without_records_says_so(viewer_client, people):
    # (Staff see the empty initiatives register there, with its button to add one.)
    response = viewer_client.get(people["Lê Văn An"].get_absolute_url())
    assert "Chưa có thông tin nào về người này." in response.content.decode()
    assert 'id="person-meetings"' not in response.content.decode()


def test_a_secretary_sees_only_the_meetings_of_their_cluster(
    client_for, body, cluster_year, people
):
    nguyen = people["Nông Văn Nguyên"]
    ours = MeetingFactory(cluster_year=cluster_year, title="Hội nghị của cụm")
    bloc_year = ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối các sở"))
    theirs = MeetingFactory(cluster_year=bloc_year, title="Hội nghị của khối")
    ParticipantFactory(meeting=ours, person=nguyen)
    ParticipantFactory(meeting=theirs, person=nguyen, role="guest")
    user = RoleFactory(user=UserFactory(username="thuky"), body=body, kind=Role.Kind.SECRETARY).user
    cluster_year.secretaries.add(user)

    section = element_text(client_for(user).get(nguyen.get_absolute_url()), "person-meetings")
    assert "Hội nghị của cụm" in section
    assert "Hội nghị của khối" not in section


def test_an_outsider_gets_404_on_the_person_pages(outsider_client, people):
    nguyen = people["Nông Văn Nguyên"]
    assert outsider_client.get(nguyen.get_absolute_url()).status_code == 404
    url = reverse("clusters:person-update", args=[nguyen.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"full_name": "Đổi tên"}).status_code == 404
    nguyen.refresh_from_db()
    assert nguyen.full_name == "Nông Văn Nguyên"


def test_the_person_page_uses_the_same_queries_for_one_or_three_meetings(
    staff_client, cluster_year, people, assert_constant_queries
):
    nguyen = people["Nông Văn Nguyên"]
    ParticipantFactory(meeting=MeetingFactory(cluster_year=cluster_year), person=nguyen)

    def add_two_more():
        for _index in range(2):
            ParticipantFactory(meeting=MeetingFactory(cluster_year=cluster_year), person=nguyen)
            ExemplarFactory(
                meeting=MeetingFactory(cluster_year=cluster_year),
                kind="person",
                person=nguyen,
                collective="",
            )

    assert_constant_queries(
        staff_client, nguyen.get_absolute_url(), add_two_more=add_two_more, ceiling=15
    )


# --- Create and update ---------------------------------------------------------------------


def test_staff_add_a_person_to_their_register(staff_client, body, units):
    response = staff_client.post(
        reverse("clusters:person-create"),
        {
            "body": body.pk,
            "full_name": "  Hoàng   Thị Thu ",
            "position": "Phó Chủ tịch UBND huyện",
            "unit": units[1].pk,
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == person.get_absolute_url()
    assert messages_of(response) == ["Đã thêm “Hoàng Thị Thu” vào danh mục."]
    assert (person.body, person.full_name, person.unit) == (body, "Hoàng Thị Thu", units[1])
    assert person.search_text == "| hoang thi thu | pho chu tich ubnd huyen | huyen ba be |"


def test_the_clusters_secretary_may_add_a_person(secretary_client, body):
    response = secretary_client.post(
        reverse("clusters:person-create"), {"body": body.pk, "full_name": "Hà Thị Lan"}
    )
    assert response.status_code == 302
    assert Person.objects.get().body == body


def test_a_unit_of_another_register_posted_by_id_is_404(staff_client, body, other_body):
    response = staff_client.post(
        reverse("clusters:person-create"),
        {"body": body.pk, "full_name": "Hà Thị Lan", "unit": UnitFactory(body=other_body).pk},
    )
    assert response.status_code == 404
    assert not Person.objects.exists()


def test_a_viewer_cannot_add_or_change_people(viewer_client, body, people):
    assert viewer_client.get(reverse("clusters:person-create")).status_code == 403
    response = viewer_client.post(
        reverse("clusters:person-create"), {"body": body.pk, "full_name": "Hà Thị Lan"}
    )
    assert response.status_code == 403
    url = reverse("clusters:person-update", args=[people["Lê Văn An"].pk])
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"full_name": "Đổi tên"}).status_code == 403
    assert Person.objects.count() == len(NAMES)


def test_staff_correct_a_name_and_the_list_resorts(staff_client, people):
    person = people["Lê Văn An"]
    response = staff_client.post(
        reverse("clusters:person-update", args=[person.pk]),
        {"full_name": "Lê Văn Xuân", "position": "Trưởng phòng Nội vụ", "unit": ""},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Đã lưu “Lê Văn Xuân”."]
    names = listed(staff_client.get(reverse("clusters:person-list")))
    assert names[-1] == "Lê Văn Xuân"
    assert person.history.first().history_type == "~"


def test_anonymous_visitors_are_sent_to_log_in(client, people):
    person = people["Lê Văn An"]
    for url in (
        reverse("clusters:person-list"),
        reverse("clusters:person-create"),
        person.get_absolute_url(),
        reverse("clusters:person-update", args=[person.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"
