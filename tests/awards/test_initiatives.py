"""A person's register of initiatives: listed on their page, added, edited, deleted."""

import pytest
from django.urls import reverse

from awards.models import Initiative
from tests.factories.awards import InitiativeFactory
from tests.factories.meetings import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(body, units):
    return PersonFactory(
        body=body, full_name="Hoàng Thị Thu Hà", position="Trưởng phòng Nội vụ", unit=units[0]
    )


def form_data(**changes):
    data = {
        "title": "Số hoá hồ sơ thi đua, khen thưởng cấp huyện",
        "year": "2023",
        "recognised_by": "Hội đồng sáng kiến tỉnh Bắc Kạn",
        "level": "province",
        "decision": "Quyết định số 125/QĐ-SKHCN ngày 20/11/2023",
    }
    return {**data, **changes}


def test_the_person_page_lists_the_initiatives_newest_first(staff_client, person):
    InitiativeFactory(person=person, title="Sổ tay bình xét thi đua", year=2021)
    InitiativeFactory(person=person, title="Phần mềm chấm điểm cụm", year=2023, level="nationwide")
    response = staff_client.get(person.get_absolute_url())
    assert response.status_code == 200
    section = response.context["sections"]
    initiatives = next(s for s in section if s.template == "awards/includes/_initiatives.html")
    assert [i.title for i in initiatives.context["initiatives"]] == [
        "Phần mềm chấm điểm cụm",
        "Sổ tay bình xét thi đua",
    ]
    html = response.content.decode()
    assert 'id="person-initiatives"' in html
    assert reverse("awards:initiative-create", args=[person.pk]) in html


def test_a_viewer_sees_the_initiatives_without_the_buttons(viewer_client, person):
    InitiativeFactory(person=person, title="Sổ tay bình xét thi đua")
    html = viewer_client.get(person.get_absolute_url()).content.decode()
    assert "Sổ tay bình xét thi đua" in html
    assert reverse("awards:initiative-create", args=[person.pk]) not in html


def test_a_person_without_initiatives_shows_no_section_to_a_viewer(viewer_client, person):
    response = viewer_client.get(person.get_absolute_url())
    templates = [s.template for s in response.context["sections"]]
    assert "awards/includes/_initiatives.html" not in templates


def test_staff_add_an_initiative(staff_client, person):
    url = reverse("awards:initiative-create", args=[person.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, form_data())
    assert response.status_code == 302
    assert response.url == person.get_absolute_url() + "#person-initiatives"
    initiative = Initiative.objects.get(person=person)
    assert (initiative.title, initiative.year, initiative.level, initiative.decision) == (
        "Số hoá hồ sơ thi đua, khen thưởng cấp huyện",
        2023,
        "province",
        "Quyết định số 125/QĐ-SKHCN ngày 20/11/2023",
    )


def test_a_bad_year_is_refused_on_the_form(staff_client, person):
    url = reverse("awards:initiative-create", args=[person.pk])
    response = staff_client.post(url, form_data(year="1890"))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not Initiative.objects.exists()


def test_staff_edit_an_initiative(staff_client, person):
    initiative = InitiativeFactory(person=person, title="Sổ tay", year=2021)
    url = reverse("awards:initiative-update", args=[initiative.pk])
    response = staff_client.post(
        url, form_data(title="Sổ tay bình xét thi đua", level="grassroots")
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.year, initiative.level) == (
        "Sổ tay bình xét thi đua",
        2023,
        "grassroots",
    )
    assert initiative.person == person


def test_staff_delete_an_initiative(staff_client, person):
    initiative = InitiativeFactory(person=person)
    url = reverse("awards:initiative-delete", args=[initiative.pk])
    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url)
    assert response.status_code == 302
    assert response.url == person.get_absolute_url() + "#person-initiatives"
    assert not Initiative.objects.exists()


def test_a_viewer_may_not_change_initiatives(viewer_client, person):
    initiative = InitiativeFactory(person=person)
    assert (
        viewer_client.get(reverse("awards:initiative-create", args=[person.pk])).status_code == 403
    )
    assert (
        viewer_client.post(reverse("awards:initiative-update", args=[initiative.pk]), form_data())
    ).status_code == 403
    assert (
        viewer_client.post(reverse("awards:initiative-delete", args=[initiative.pk])).status_code
        == 403
    )
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_an_outsider_gets_404_everywhere(outsider_client, person):
    initiative = InitiativeFactory(person=person)
    assert (
        outsider_client.get(reverse("awards:initiative-create", args=[person.pk])).status_code
        == 404
    )
    assert (
        outsider_client.post(reverse("awards:initiative-create", args=[person.pk]), form_data())
    ).status_code == 404
    assert (
        outsider_client.get(reverse("awards:initiative-update", args=[initiative.pk])).status_code
        == 404
    )
    assert (
        outsider_client.post(reverse("awards:initiative-update", args=[initiative.pk]), form_data())
    ).status_code == 404
    assert (
        outsider_client.post(reverse("awards:initiative-delete", args=[initiative.pk])).status_code
        == 404
    )
    initiative.refresh_from_db()
    assert initiative.title.startswith("Sáng kiến số")


def test_the_person_page_costs_the_same_queries_with_1_and_3_initiatives(
    staff_client, person, assert_constant_queries
):
    InitiativeFactory(person=person)

    def add_two_more():
        InitiativeFactory(person=person)
        InitiativeFactory(person=person)

    _first, second = assert_constant_queries(
        staff_client, person.get_absolute_url(), add_two_more=add_two_more, ceiling=15
    )
    assert second.content.decode().count('class="list-group-item d-flex') == 3
