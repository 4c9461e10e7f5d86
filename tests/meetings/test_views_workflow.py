"""Planned → held → minutes approved (→ reopened by staff), through the screens."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Attachment, Attendance, Meeting, Participant
from tests.factories.meetings import (
    AttachmentFactory,
    ConclusionFactory,
    MeetingFactory,
    png_bytes,
)
from tests.meetings.helpers import form_data, formset_data, messages_of

pytestmark = pytest.mark.django_db

HELD = "Đã ghi nhận hội nghị được tổ chức."
APPROVED = "Biên bản đã được thông qua."
REOPENED = "Biên bản được mở lại để chỉnh sửa."


def post(client, name, meeting, data=None):
    return client.post(reverse(f"meetings:{name}", args=[meeting.pk]), data or {})


def status_of(meeting) -> str:
    meeting.refresh_from_db()
    return meeting.status


def test_the_secretary_marks_the_meeting_held(secretary_client, meeting):
    response = post(secretary_client, "meeting-held", meeting)
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert messages_of(response) == [HELD]
    assert status_of(meeting) == Meeting.Status.HELD


def test_a_meeting_that_has_not_started_is_not_marked_held(secretary_client, cluster_year):
    future = MeetingFactory(
        cluster_year=cluster_year, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    response = post(secretary_client, "meeting-held", future)
    assert response.status_code == 302
    assert messages_of(response) == ["Hội nghị chưa diễn ra."]
    assert status_of(future) == Meeting.Status.PLANNED


def test_a_held_meeting_is_not_marked_held_again(secretary_client, held_meeting):
    response = post(secretary_client, "meeting-held", held_meeting)
    assert response.status_code == 403
    assert status_of(held_meeting) == Meeting.Status.HELD


def test_the_page_offers_only_the_next_step(secretary_client, meeting):
    html = secretary_client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="mark-held"' in html and 'id="approve-minutes"' not in html
    post(secretary_client, "meeting-held", meeting)
    html = secretary_client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="mark-held"' not in html and 'id="approve-minutes"' in html


def test_approval_without_chair_and_attendance_gives_both_reasons(secretary_client, meeting):
    services.meeting_mark_held(meeting=meeting)
    response = post(secretary_client, "meeting-approve", meeting)
    assert response.status_code == 302
    assert messages_of(response) == [
        "Hãy ghi người chủ trì hội nghị.",
        "Hãy điểm danh các đơn vị thành viên.",
    ]
    assert status_of(meeting) == Meeting.Status.HELD


def test_the_secretary_approves_complete_minutes(secretary_client, held_meeting):
    response = post(secretary_client, "meeting-approve", held_meeting)
    assert messages_of(response) == [APPROVED]
    assert status_of(held_meeting) == Meeting.Status.APPROVED
    badge = secretary_client.get(held_meeting.get_absolute_url()).content.decode()
    assert (
        '<span class="badge text-bg-success meeting-status">Đã thông qua biên bản</span>' in badge
    )


def test_planned_minutes_cannot_be_approved(secretary_client, meeting):
    assert post(secretary_client, "meeting-approve", meeting).status_code == 403
    assert status_of(meeting) == Meeting.Status.PLANNED


def test_staff_reopen_approved_minutes(staff_client, approved_meeting):
    response = post(staff_client, "meeting-reopen", approved_meeting)
    assert response.status_code == 302
    assert messages_of(response) == [REOPENED]
    assert status_of(approved_meeting) == Meeting.Status.HELD


def test_a_secretary_cannot_reopen_approved_minutes(secretary_client, approved_meeting):
    assert post(secretary_client, "meeting-reopen", approved_meeting).status_code == 403
    assert status_of(approved_meeting) == Meeting.Status.APPROVED
    html = secretary_client.get(approved_meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:meeting-reopen", args=[approved_meeting.pk]) not in html


# --- Approved minutes are read-only except for staff ---------------------------------------

EDIT_PAGES = [
    "meeting-update",
    "meeting-content",
    "meeting-participants",
    "meeting-attendance",
    "meeting-agenda",
    "meeting-conclusions",
    "meeting-exemplars",
]


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_a_secretary_cannot_edit_approved_minutes(secretary_client, approved_meeting, name):
    url = reverse(f"meetings:{name}", args=[approved_meeting.pk])
    assert secretary_client.get(url).status_code == 403
    assert secretary_client.post(url, formset_data([])).status_code == 403
    assert approved_meeting.participants.count() == 2


def test_a_secretary_cannot_add_or_remove_files_of_approved_minutes(
    secretary_client, approved_meeting
):
    photo = AttachmentFactory(meeting=approved_meeting)
    upload = SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")
    response = post(
        secretary_client, "attachment-upload", approved_meeting, {"kind": "photo", "file": upload}
    )
    assert response.status_code == 403
    response = secretary_client.post(reverse("meetings:attachment-delete", args=[photo.pk]))
    assert response.status_code == 403
    assert list(Attachment.objects.all()) == [photo]


def test_the_secretary_sees_no_edit_links_on_approved_minutes(secretary_client, approved_meeting):
    html = secretary_client.get(approved_meeting.get_absolute_url()).content.decode()
    for name in EDIT_PAGES:
        assert reverse(f"meetings:{name}", args=[approved_meeting.pk]) not in html


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_staff_can_open_every_editor_of_approved_minutes(staff_client, approved_meeting, name):
    url = reverse(f"meetings:{name}", args=[approved_meeting.pk])
    assert staff_client.get(url).status_code == 200


def test_the_secretary_can_still_mark_a_task_of_approved_minutes_done(
    secretary_client, approved_meeting, units
):
    task = ConclusionFactory(meeting=approved_meeting, is_task=True, owner=units[0])
    response = secretary_client.post(reverse("meetings:task-done", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()


def test_every_staff_change_after_approval_is_in_the_history(
    staff_client, staff, approved_meeting, buong, members
):
    meeting = approved_meeting
    history = {
        model: model.history.model.objects.count()
        for model in (Meeting, Participant, Attendance, Attachment)
    }

    data = form_data(staff_client.get(reverse("meetings:meeting-update", args=[meeting.pk])))
    data["title"] = "Tổng kết công tác thi đua, khen thưởng năm 2022 (đã sửa)"
    assert post(staff_client, "meeting-update", meeting, data).status_code == 302
    response = post(
        staff_client,
        "meeting-participants",
        meeting,
        formset_data(
            [{"role": "chair", "person": buong.pk}, {"role": "secretary", "new_name": "Hà Thị Lan"}]
        ),
    )
    assert response.status_code == 302
    data = form_data(staff_client.get(reverse("meetings:meeting-attendance", args=[meeting.pk])))
    data[f"present-{members['Ba Bể'].pk}"] = "0"
    assert post(staff_client, "meeting-attendance", meeting, data).status_code == 302
    upload = SimpleUploadedFile("anh-hoi-nghi.png", png_bytes(), content_type="image/png")
    post(staff_client, "attachment-upload", meeting, {"kind": "photo", "file": upload})

    meeting.refresh_from_db()
    assert meeting.title == "Tổng kết công tác thi đua, khen thưởng năm 2022 (đã sửa)"
    assert status_of(meeting) == Meeting.Status.APPROVED
    new_rows = {
        model.__name__: list(
            model.history.model.objects.order_by("history_id")[history[model] :].values_list(
                "history_type", "history_user"
            )
        )
        for model in history
    }
    assert new_rows == {
        "Meeting": [("~", staff.pk)],
        "Participant": [("-", staff.pk)] * 2 + [("+", staff.pk)] * 2,
        "Attendance": [("~", staff.pk)],
        "Attachment": [("+", staff.pk)],
    }
    assert meeting.history.first().title.endswith("(đã sửa)")
    assert meeting.history.first().history_user == staff
