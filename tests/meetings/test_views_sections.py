"""The sections of the minutes, edited as tables (formsets) and saved whole."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import Person
from meetings import services
from meetings.models import AgendaItem, Attendance, Conclusion, Exemplar, Participant
from tests.factories import ClusterYearFactory, RoleFactory, UnitFactory, UserFactory
from tests.factories.meetings import ConclusionFactory, MeetingFactory, at
from tests.meetings.helpers import (
    element_text,
    form_data,
    formset_data,
    has_element,
    messages_of,
    page,
    row_errors,
    text_of,
)

pytestmark = pytest.mark.django_db

NOTHING_SAVED = "Chưa lưu dữ liệu nào."
REQUIRED = "Trường này là bắt buộc."
CHOOSE_PERSON = "Hãy chọn một người hoặc nhập họ tên người mới."
TASK_NEEDS_OWNER = "Nhiệm vụ cần có đơn vị thực hiện."


def url(name, meeting) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk])


def participants(meeting) -> list[tuple[str, str, str]]:
    return [
        (p.person.full_name, p.role, p.position)
        for p in meeting.participants.select_related("person").order_by("order")
    ]


def agenda(meeting) -> list[tuple[str, str]]:
    return list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "presenter"))


# --- Participants ------------------------------------------------------------------------


def test_chairs_are_saved_from_the_register_and_from_a_new_name(
    secretary_client, meeting, buong, body
):
    response = secretary_client.post(
        url("meeting-participants", meeting),
        formset_data(
            [
                {"role": "chair", "person": buong.pk, "position": "Cụm trưởng"},
                {"role": "chair", "new_name": "Nông Văn Nguyên", "position": "Cụm phó"},
            ],
            blank=1,
        ),
    )
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert participants(meeting) == [
        ("Dương Hữu Bường", "chair", "Cụm trưởng"),
        ("Nông Văn Nguyên", "chair", "Cụm phó"),
    ]
    new = Person.objects.get(full_name="Nông Văn Nguyên")
    assert (new.body, new.position) == (body, "Cụm phó")
    assert messages_of(response) == ["Đã lưu: Chủ trì, thư ký và khách mời."]


def test_the_participants_page_offers_only_the_clusters_register(
    secretary_client, meeting, buong, stranger
):
    response = secretary_client.get(url("meeting-participants", meeting))
    assert response.status_code == 200
    people = response.context["formset"].forms[0].fields["person"].queryset
    assert list(people) == [buong]


def test_a_person_of_another_register_posted_by_id_is_404_and_nothing_is_saved(
    secretary_client, meeting, buong, stranger
):
    services.participants_save(meeting=meeting, rows=[{"person": buong, "role": "chair"}])
    response = secretary_client.post(
        url("meeting-participants", meeting),
        formset_data([{"role": "guest", "person": stranger.pk}]),
    )
    assert response.status_code == 404
    assert participants(meeting) == [
        ("Dương Hữu Bường", "chair", "Chủ tịch UBND Thành phố Bắc Kạn")
    ]


def test_the_same_person_twice_in_one_role_re_renders_and_saves_nothing(
    secretary_client, meeting, buong
):
    response = secretary_client.post(
        url("meeting-participants", meeting),
        formset_data(
            [{"role": "chair", "person": buong.pk}, {"role": "chair", "person": buong.pk}]
        ),
    )
    assert response.status_code == 200
    errors = element_text(response, "section-errors")
    assert errors == f"{NOTHING_SAVED} Dương Hữu Bường được ghi hai lần với cùng vai trò."
    assert not Participant.objects.exists()


def test_one_invalid_row_keeps_every_row_typed_and_saves_nothing(secretary_client, meeting, buong):
    response = secretary_client.post(
        url("meeting-participants", meeting),
        formset_data(
            [
                {"role": "chair", "person": buong.pk},
                {"role": "guest", "position": "Phó Trưởng ban"},
                {"role": "", "new_name": "Hoàng Thị Thu"},
            ]
        ),
    )
    assert response.status_code == 200
    assert row_errors(response) == [
        {},
        {"person": [CHOOSE_PERSON]},
        {"role": ["Hãy chọn vai trò."]},
    ]
    html = response.content.decode()
    assert 'value="Phó Trưởng ban"' in html and 'value="Hoàng Thị Thu"' in html
    assert element_text(response, "section-errors").startswith(NOTHING_SAVED)
    assert not Participant.objects.exists()
    assert not Person.objects.filter(full_name="Hoàng Thị Thu").exists()


def test_saving_the_participants_page_unchanged_keeps_every_row(
    secretary_client, meeting, buong, nguyen
):
    services.participants_save(
        meeting=meeting,
        rows=[
            {"person": buong, "role": "chair", "position": "Cụm trưởng"},
            {"person": nguyen, "role": "chair", "position": "Cụm phó"},
        ],
    )
    before = participants(meeting)
    page = secretary_client.get(url("meeting-participants", meeting))
    response = secretary_client.post(url("meeting-participants", meeting), form_data(page))
    assert response.status_code == 302
    assert participants(meeting) == before


def test_editing_one_participant_keeps_the_others(secretary_client, meeting, buong, nguyen):
    services.participants_save(
        meeting=meeting,
        rows=[
            {"person": buong, "role": "chair", "position": "Cụm trưởng"},
            {"person": nguyen, "role": "chair", "position": "Cụm phó"},
        ],
    )
    data = form_data(secretary_client.get(url("meeting-participants", meeting)))
    data["form-1-position"] = "Phó Trưởng cụm thi đua"
    data["form-2-role"] = "secretary"
    data["form-2-new_name"] = "Hà Thị Lan"
    secretary_client.post(url("meeting-participants", meeting), data)
    assert participants(meeting) == [
        ("Dương Hữu Bường", "chair", "Cụm trưởng"),
        ("Nông Văn Nguyên", "chair", "Phó Trưởng cụm thi đua"),
        ("Hà Thị Lan", "secretary", ""),
    ]


def test_a_ticked_delete_removes_the_row(secretary_client, meeting, buong, nguyen):
    services.participants_save(
        meeting=meeting,
        rows=[{"person": buong, "role": "chair"}, {"person": nguyen, "role": "chair"}],
    )
    data = form_data(secretary_client.get(url("meeting-participants", meeting)))
    data["form-0-DELETE"] = "on"
    secretary_client.post(url("meeting-participants", meeting), data)
    assert [name for name, _role, _position in participants(meeting)] == ["Nông Văn Nguyên"]


def test_untouched_extra_rows_are_ignored(secretary_client, meeting, buong):
    data = form_data(secretary_client.get(url("meeting-participants", meeting)))
    assert data["form-TOTAL_FORMS"] == "2"
    data.update({"form-0-role": "chair", "form-0-person": str(buong.pk)})
    response = secretary_client.post(url("meeting-participants", meeting), data)
    assert response.status_code == 302
    assert [name for name, _role, _position in participants(meeting)] == ["Dương Hữu Bường"]


# --- Attendance --------------------------------------------------------------------------


def attendance_of(meeting) -> dict[str, tuple]:
    return {
        a.member.unit.short_name: (a.present, a.representative)
        for a in Attendance.objects.filter(meeting=meeting).select_related("member__unit")
    }


def test_attendance_is_recorded_present_absent_or_cleared(secretary_client, meeting, members):
    na_ri, ba_be, pac_nam = members["Na Rì"].pk, members["Ba Bể"].pk, members["Pác Nặm"].pk
    response = secretary_client.post(
        url("meeting-attendance", meeting),
        {
            f"present-{na_ri}": "1",
            f"rep-{na_ri}": "Nông Văn Nguyên",
            f"present-{ba_be}": "0",
            f"present-{pac_nam}": "1",
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Đã lưu điểm danh."]
    assert attendance_of(meeting) == {
        "Na Rì": (True, "Nông Văn Nguyên"),
        "Ba Bể": (False, ""),
        "Pác Nặm": (True, ""),
    }

    page = secretary_client.get(url("meeting-attendance", meeting))
    data = form_data(page)
    assert (data[f"present-{na_ri}"], data[f"present-{ba_be}"]) == ("1", "0")
    data[f"present-{pac_nam}"] = ""
    secretary_client.post(url("meeting-attendance", meeting), data)
    assert attendance_of(meeting) == {"Na Rì": (True, "Nông Văn Nguyên"), "Ba Bể": (False, "")}


def test_the_attendance_grid_lists_only_this_years_members_head_first(secretary_client, meeting):
    response = secretary_client.get(url("meeting-attendance", meeting))
    assert [member.unit.name for member in response.context["form"].members] == [
        "Huyện Na Rì",
        "Huyện Pác Nặm",
        "Huyện Ba Bể",
    ]


def test_attendance_posted_for_a_unit_that_is_not_a_member_is_ignored(
    secretary_client, meeting, members, cluster
):
    foreign = ClusterYearFactory(cluster=cluster, year=2022).members.create(
        unit=members["Ba Bể"].unit
    )
    response = secretary_client.post(
        url("meeting-attendance", meeting),
        {f"present-{members['Na Rì'].pk}": "1", f"present-{foreign.pk}": "1"},
    )
    assert response.status_code == 302
    assert attendance_of(meeting) == {"Na Rì": (True, "")}
    assert not Attendance.objects.filter(member=foreign).exists()


def test_an_unknown_attendance_value_re_renders_and_saves_nothing(
    secretary_client, meeting, members
):
    response = secretary_client.post(
        url("meeting-attendance", meeting),
        {f"present-{members['Na Rì'].pk}": "1", f"present-{members['Ba Bể'].pk}": "yes"},
    )
    assert response.status_code == 200
    alert = page(response).xpath("//main//div[contains(@class, 'alert-danger')]")
    assert [text_of(element) for element in alert] == [NOTHING_SAVED]
    assert attendance_of(meeting) == {}


# --- Agenda ------------------------------------------------------------------------------


def test_the_agenda_is_replaced_whole_and_in_order(secretary_client, meeting):
    services.agenda_save(meeting=meeting, rows=[{"title": "Cũ"}])
    response = secretary_client.post(
        url("meeting-agenda", meeting),
        formset_data(
            [
                {"title": "Khai mạc hội nghị", "presenter": "Đồng chí Dương Hữu Bường"},
                {"title": "Báo cáo tổng kết"},
                {"title": "Kết luận hội nghị"},
            ],
            initial=0,
            blank=2,
        ),
    )
    assert response.status_code == 302
    assert agenda(meeting) == [
        ("Khai mạc hội nghị", "Đồng chí Dương Hữu Bường"),
        ("Báo cáo tổng kết", ""),
        ("Kết luận hội nghị", ""),
    ]
    assert list(meeting.agenda.values_list("order", flat=True)) == [1, 2, 3]


def test_an_agenda_row_without_a_title_saves_nothing(secretary_client, meeting):
    services.agenda_save(meeting=meeting, rows=[{"title": "Cũ"}])
    response = secretary_client.post(
        url("meeting-agenda", meeting),
        formset_data([{"title": "Khai mạc"}, {"title": "", "presenter": "Huyện Na Rì"}]),
    )
    assert response.status_code == 200
    assert row_errors(response) == [{}, {"title": [REQUIRED]}]
    assert agenda(meeting) == [("Cũ", "")]


def test_saving_the_agenda_unchanged_keeps_every_item(secretary_client, meeting):
    services.agenda_save(
        meeting=meeting, rows=[{"title": "Khai mạc"}, {"title": "Thảo luận"}, {"title": "Bế mạc"}]
    )
    page = secretary_client.get(url("meeting-agenda", meeting))
    secretary_client.post(url("meeting-agenda", meeting), form_data(page))
    assert agenda(meeting) == [("Khai mạc", ""), ("Thảo luận", ""), ("Bế mạc", "")]


# --- Conclusions and tasks ----------------------------------------------------------------


def test_conclusions_and_a_task_are_saved_in_order(secretary_client, meeting, units):
    response = secretary_client.post(
        url("meeting-conclusions", meeting),
        formset_data(
            [
                {"text": "Triển khai các phong trào thi đua năm 2023."},
                {
                    "text": "Hoàn thiện hồ sơ đề nghị khen thưởng.",
                    "is_task": "on",
                    "owner": units[0].pk,
                    "due_on": "28/02/2023",
                },
            ],
            blank=1,
        ),
    )
    assert response.status_code == 302
    assert list(meeting.conclusions.values_list("order", "text", "is_task", "owner", "due_on")) == [
        (1, "Triển khai các phong trào thi đua năm 2023.", False, None, None),
        (2, "Hoàn thiện hồ sơ đề nghị khen thưởng.", True, units[0].pk, datetime.date(2023, 2, 28)),
    ]


def test_a_task_without_an_owner_is_refused_on_its_row(secretary_client, meeting):
    response = secretary_client.post(
        url("meeting-conclusions", meeting),
        formset_data([{"text": "Ghi nhận"}, {"text": "Nộp hồ sơ", "is_task": "on"}]),
    )
    assert response.status_code == 200
    assert row_errors(response) == [{}, {"owner": [TASK_NEEDS_OWNER]}]
    assert TASK_NEEDS_OWNER in response.content.decode()
    assert not Conclusion.objects.exists()


def test_a_task_owner_of_another_register_posted_by_id_is_404(
    secretary_client, meeting, other_body
):
    foreign = UnitFactory(body=other_body, name="Huyện Bắc Hà")
    response = secretary_client.post(
        url("meeting-conclusions", meeting),
        formset_data([{"text": "Nộp hồ sơ", "is_task": "on", "owner": foreign.pk}]),
    )
    assert response.status_code == 404
    assert not Conclusion.objects.exists()


def test_saving_the_conclusions_unchanged_keeps_a_done_task_as_it_was(
    secretary_client, meeting, units
):
    services.conclusions_save(
        meeting=meeting,
        rows=[
            {"text": "Ghi nhận"},
            {"text": "Nộp hồ sơ", "is_task": True, "owner": units[0]},
        ],
    )
    services.task_mark_done(
        conclusion=meeting.conclusions.get(is_task=True),
        done_on=datetime.date(2023, 2, 20),
        note="Đã gửi Ban Thi đua - Khen thưởng tỉnh",
    )
    page = secretary_client.get(url("meeting-conclusions", meeting))
    secretary_client.post(url("meeting-conclusions", meeting), form_data(page))
    assert list(meeting.conclusions.values_list("text", "owner", "done_on", "done_note")) == [
        ("Ghi nhận", None, None, ""),
        (
            "Nộp hồ sơ",
            units[0].pk,
            datetime.date(2023, 2, 20),
            "Đã gửi Ban Thi đua - Khen thưởng tỉnh",
        ),
    ]


def test_open_tasks_of_earlier_meetings_show_on_a_later_meeting_until_done(
    secretary_client, meeting, cluster_year, units, other_meeting
):
    services.conclusions_save(
        meeting=meeting,
        rows=[
            {"text": "Ghi nhận"},
            {"text": "Chuẩn bị hội nghị sơ kết", "is_task": True, "owner": units[0]},
        ],
    )
    ConclusionFactory(meeting=other_meeting, text="Nhiệm vụ của khối Lào Cai", is_task=True)
    later = MeetingFactory(cluster_year=cluster_year, starts_at=at(2023, 7, 14))

    response = secretary_client.get(later.get_absolute_url())
    assert element_text(response, "open-tasks") == (
        "Nhiệm vụ chưa hoàn thành từ các hội nghị trước "
        "Chuẩn bị hội nghị sơ kết — Huyện Na Rì "
        "(Tổng kết công tác thi đua, khen thưởng năm 2022, …, 07/02/2023) đánh dấu hoàn thành"
    )
    assert not has_element(secretary_client.get(meeting.get_absolute_url()), "open-tasks")

    task = meeting.conclusions.get(is_task=True)
    done = secretary_client.post(
        reverse("meetings:task-done", args=[task.pk]), {"next": later.get_absolute_url()}
    )
    assert done.status_code == 302
    assert done.url == later.get_absolute_url()
    assert messages_of(done) == ["Đã ghi nhận hoàn thành nhiệm vụ."]
    task.refresh_from_db()
    assert task.done_on is not None
    assert not has_element(secretary_client.get(later.get_absolute_url()), "open-tasks")


def test_marking_done_does_not_redirect_to_another_site(secretary_client, meeting, units):
    task = ConclusionFactory(meeting=meeting, is_task=True, owner=units[0])
    response = secretary_client.post(
        reverse("meetings:task-done", args=[task.pk]), {"next": "https://example.com/phish"}
    )
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()


def test_a_task_of_another_cluster_cannot_be_marked_done(secretary_client, other_meeting):
    task = ConclusionFactory(meeting=other_meeting, is_task=True)
    response = secretary_client.post(reverse("meetings:task-done", args=[task.pk]))
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_on is None


# --- Exemplary models ----------------------------------------------------------------------


def test_exemplars_are_saved_as_a_person_or_a_collective(secretary_client, meeting, units):
    response = secretary_client.post(
        url("meeting-exemplars", meeting),
        formset_data(
            [
                {
                    "kind": "collective",
                    "collective": "Trường Tiểu học Na Rì",
                    "unit": units[0].pk,
                    "achievement": "Dẫn đầu phong trào “Dạy tốt, học tốt”.",
                },
                {"kind": "person", "new_name": "Lục Thị Mai", "achievement": "Giáo viên giỏi."},
            ],
            blank=1,
        ),
    )
    assert response.status_code == 302
    assert [(e.kind, e.name) for e in Exemplar.objects.order_by("pk")] == [
        ("collective", "Trường Tiểu học Na Rì"),
        ("person", "Lục Thị Mai"),
    ]


def test_an_exemplar_row_without_its_name_saves_nothing(secretary_client, meeting):
    response = secretary_client.post(
        url("meeting-exemplars", meeting),
        formset_data(
            [
                {"kind": "collective", "achievement": "Dạy tốt."},
                {"kind": "person", "achievement": "Học tốt."},
                {"achievement": "Không rõ loại."},
            ]
        ),
    )
    assert response.status_code == 200
    assert row_errors(response) == [
        {"collective": ["Hãy ghi tên tập thể."]},
        {"person": [CHOOSE_PERSON]},
        {"kind": ["Hãy chọn cá nhân hoặc tập thể."]},
    ]
    assert not Exemplar.objects.exists()


@pytest.mark.parametrize("field", ["person", "unit"])
def test_an_exemplar_of_another_register_posted_by_id_is_404(
    secretary_client, meeting, stranger, other_body, field
):
    foreign = {"person": stranger, "unit": UnitFactory(body=other_body)}[field]
    response = secretary_client.post(
        url("meeting-exemplars", meeting),
        formset_data(
            [{"kind": "person", "new_name": "Lục Thị Mai", field: foreign.pk, "achievement": "."}]
        ),
    )
    assert response.status_code == 404
    assert not Exemplar.objects.exists()


def test_the_next_years_secretary_closes_a_task_carried_over_from_last_year(
    client_for, body, cluster, cluster_year, units
):
    last_year = ClusterYearFactory(cluster=cluster, year=2022)
    year_end = MeetingFactory(cluster_year=last_year, starts_at=at(2023, 2, 7, 14))
    task = ConclusionFactory(meeting=year_end, text="Chuẩn bị hội nghị sơ kết", is_task=True)
    mid_year = MeetingFactory(cluster_year=cluster_year, starts_at=at(2023, 7, 14))
    user = RoleFactory(user=UserFactory(username="thuky2023"), body=body, kind="secretary").user
    cluster_year.secretaries.add(user)  # of 2023 only
    client = client_for(user)

    page_html = client.get(mid_year.get_absolute_url()).content.decode()
    assert reverse("meetings:task-done", args=[task.pk]) in page_html
    response = client.post(
        reverse("meetings:task-done", args=[task.pk]), {"done_on": "30/06/2023", "note": "Xong"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.done_on, task.done_note) == (datetime.date(2023, 6, 30), "Xong")


def test_a_viewer_cannot_mark_a_task_done(viewer_client, meeting, units):
    task = ConclusionFactory(meeting=meeting, is_task=True, owner=units[0])
    html = viewer_client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:task-done", args=[task.pk]) not in html
    assert viewer_client.post(reverse("meetings:task-done", args=[task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.done_on is None
