import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusters.models import Person
from meetings import services
from meetings.models import AgendaItem, Attendance, Exemplar, Meeting, Participant
from meetings.selectors import open_tasks_before
from tests.factories import ClusterYearFactory, UnitFactory
from tests.factories.meetings import ConclusionFactory, MeetingFactory, at
from tests.meetings.helpers import CONCLUSIONS, record_minutes

pytestmark = pytest.mark.django_db

NOT_STARTED = "Hội nghị chưa diễn ra."
ONLY_PLANNED = "Chỉ hội nghị đang dự kiến mới có thể ghi nhận đã tổ chức."
ONLY_HELD = "Chỉ thông qua được biên bản của hội nghị đã tổ chức."
NO_CHAIR = "Hãy ghi người chủ trì hội nghị."
NO_ATTENDANCE = "Hãy điểm danh các đơn vị thành viên."
NOT_APPROVED = "Biên bản chưa được thông qua."
NOT_IN_REGISTER = "Người này không thuộc danh mục của cụm, khối."
UNIT_NOT_IN_REGISTER = "Đơn vị này không thuộc danh mục của cụm, khối."
TASK_NEEDS_OWNER = "Nhiệm vụ cần có đơn vị thực hiện."
NOT_A_MEMBER = "Có dòng gắn với đơn vị không phải thành viên năm này."


def refused(call, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.messages


def status_of(meeting) -> str:
    meeting.refresh_from_db()
    return meeting.status


def chairs_of(meeting) -> list[str]:
    return [
        p.person.full_name
        for p in meeting.participants.filter(role=Participant.Role.CHAIR).order_by("order")
    ]


# --- Status ----------------------------------------------------------------------------


def test_a_started_planned_meeting_is_marked_held(meeting):
    assert meeting.status == Meeting.Status.PLANNED
    services.meeting_mark_held(meeting=meeting)
    assert status_of(meeting) == Meeting.Status.HELD


def test_a_meeting_cannot_be_marked_held_before_it_starts(cluster_year):
    future = MeetingFactory(
        cluster_year=cluster_year, starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert refused(services.meeting_mark_held, meeting=future) == [NOT_STARTED]
    assert status_of(future) == Meeting.Status.PLANNED


def test_a_meeting_cannot_be_marked_held_twice(meeting):
    services.meeting_mark_held(meeting=meeting)
    assert refused(services.meeting_mark_held, meeting=meeting) == [ONLY_PLANNED]
    assert status_of(meeting) == Meeting.Status.HELD


def test_the_minutes_of_a_held_meeting_with_chair_and_attendance_are_approved(held_meeting):
    services.meeting_approve_minutes(meeting=held_meeting)
    assert status_of(held_meeting) == Meeting.Status.APPROVED
    assert held_meeting.is_approved


def test_the_minutes_of_a_planned_meeting_cannot_be_approved(meeting, buong, members):
    record_minutes(meeting, chairs=[buong], members=members)
    assert refused(services.meeting_approve_minutes, meeting=meeting) == [ONLY_HELD]
    assert status_of(meeting) == Meeting.Status.PLANNED


def test_approval_asks_for_a_chair_and_for_attendance_at_once(meeting):
    services.meeting_mark_held(meeting=meeting)
    assert refused(services.meeting_approve_minutes, meeting=meeting) == [
        NO_CHAIR,
        NO_ATTENDANCE,
    ]
    assert status_of(meeting) == Meeting.Status.HELD


def test_approval_asks_for_a_chair_when_only_a_guest_is_recorded(meeting, buong, members):
    services.participants_save(
        meeting=meeting, rows=[{"person": buong, "role": Participant.Role.GUEST}]
    )
    services.attendance_save(meeting=meeting, rows={members["Na Rì"].pk: {"present": True}})
    services.meeting_mark_held(meeting=meeting)
    assert refused(services.meeting_approve_minutes, meeting=meeting) == [NO_CHAIR]


def test_approval_asks_for_attendance_when_only_the_chair_is_recorded(meeting, buong):
    services.participants_save(
        meeting=meeting, rows=[{"person": buong, "role": Participant.Role.CHAIR}]
    )
    services.meeting_mark_held(meeting=meeting)
    assert refused(services.meeting_approve_minutes, meeting=meeting) == [NO_ATTENDANCE]
    assert status_of(meeting) == Meeting.Status.HELD


def test_reopening_returns_approved_minutes_to_held(approved_meeting):
    services.meeting_reopen(meeting=approved_meeting)
    assert status_of(approved_meeting) == Meeting.Status.HELD


def test_only_approved_minutes_can_be_reopened(held_meeting):
    assert refused(services.meeting_reopen, meeting=held_meeting) == [NOT_APPROVED]
    assert status_of(held_meeting) == Meeting.Status.HELD


def test_a_meeting_cannot_end_before_it_starts(cluster_year):
    errors = refused(
        services.meeting_create,
        cluster_year=cluster_year,
        kind=Meeting.Kind.MID_YEAR,
        title="Sơ kết 6 tháng",
        starts_at=at(2023, 7, 14, 8),
        ends_at=at(2023, 7, 14, 7),
    )
    assert errors == ["Giờ kết thúc không được trước giờ bắt đầu."]
    assert not Meeting.objects.exists()


def test_a_host_of_another_register_is_refused(cluster_year, other_body):
    errors = refused(
        services.meeting_create,
        cluster_year=cluster_year,
        kind=Meeting.Kind.MID_YEAR,
        title="Sơ kết 6 tháng",
        starts_at=at(2023, 7, 14, 8),
        host=UnitFactory(body=other_body, name="Huyện Bắc Hà"),
    )
    assert errors == [UNIT_NOT_IN_REGISTER]
    assert not Meeting.objects.exists()


# --- Participants ------------------------------------------------------------------------


def test_participants_are_saved_in_order_with_their_position_at_the_meeting(meeting, buong, nguyen):
    services.participants_save(
        meeting=meeting,
        rows=[
            {"person": buong, "role": "chair", "position": "Cụm trưởng cụm thi đua"},
            {"person": nguyen, "role": "chair"},
        ],
    )
    rows = [(p.person.full_name, p.role, p.position, p.order) for p in meeting.participants.all()]
    assert rows == [
        ("Dương Hữu Bường", "chair", "Cụm trưởng cụm thi đua", 1),
        ("Nông Văn Nguyên", "chair", "Chủ tịch UBND huyện Na Rì", 2),
    ]


def test_a_new_name_adds_the_person_to_the_clusters_register(meeting, body):
    services.participants_save(
        meeting=meeting,
        rows=[
            {
                "person": None,
                "new_name": "  Hoàng Thị Thu  ",
                "role": "guest",
                "position": "Phó Trưởng ban Thi đua - Khen thưởng tỉnh",
                "organization": "Sở Nội vụ",
            }
        ],
    )
    person = Person.objects.get(full_name="Hoàng Thị Thu")
    assert (person.body, person.position) == (body, "Phó Trưởng ban Thi đua - Khen thưởng tỉnh")
    participant = meeting.participants.get()
    assert (participant.person, participant.role, participant.organization) == (
        person,
        "guest",
        "Sở Nội vụ",
    )


def test_a_person_of_another_register_is_refused_and_nothing_changes(meeting, buong, stranger):
    services.participants_save(meeting=meeting, rows=[{"person": buong, "role": "chair"}])
    errors = refused(
        services.participants_save,
        meeting=meeting,
        rows=[{"person": buong, "role": "chair"}, {"person": stranger, "role": "guest"}],
    )
    assert errors == [NOT_IN_REGISTER]
    assert chairs_of(meeting) == ["Dương Hữu Bường"]
    assert meeting.participants.count() == 1


def test_the_same_person_twice_in_the_same_role_is_refused(meeting, buong):
    errors = refused(
        services.participants_save,
        meeting=meeting,
        rows=[{"person": buong, "role": "chair"}, {"person": buong, "role": "chair"}],
    )
    assert errors == ["Dương Hữu Bường được ghi hai lần với cùng vai trò."]
    assert not meeting.participants.exists()


def test_the_same_person_may_have_two_roles(meeting, buong):
    services.participants_save(
        meeting=meeting,
        rows=[{"person": buong, "role": "chair"}, {"person": buong, "role": "secretary"}],
    )
    assert sorted(meeting.participants.values_list("role", flat=True)) == ["chair", "secretary"]


def test_a_row_without_person_or_name_is_refused(meeting):
    errors = refused(
        services.participants_save, meeting=meeting, rows=[{"new_name": " ", "role": "chair"}]
    )
    assert errors == ["Hãy chọn một người hoặc nhập họ tên người mới."]
    assert not Person.objects.exists()


# --- Attendance --------------------------------------------------------------------------


def attendance_of(meeting) -> dict[str, tuple]:
    return {
        a.member.unit.short_name: (a.present, a.representative, a.representative_position)
        for a in Attendance.objects.filter(meeting=meeting).select_related("member__unit")
    }


def test_attendance_records_present_and_absent_members(meeting, members):
    changed = services.attendance_save(
        meeting=meeting,
        rows={
            members["Na Rì"].pk: {
                "present": True,
                "representative": "Nông Văn Nguyên",
                "representative_position": "Chủ tịch UBND huyện",
            },
            members["Ba Bể"].pk: {"present": False},
        },
    )
    assert changed == 2
    assert attendance_of(meeting) == {
        "Na Rì": (True, "Nông Văn Nguyên", "Chủ tịch UBND huyện"),
        "Ba Bể": (False, "", ""),
    }


def test_attendance_clears_a_record_and_leaves_out_members_alone(meeting, members):
    services.attendance_save(
        meeting=meeting,
        rows={members["Na Rì"].pk: {"present": True}, members["Ba Bể"].pk: {"present": True}},
    )
    changed = services.attendance_save(
        meeting=meeting,
        rows={
            members["Na Rì"].pk: {"present": True},
            members["Ba Bể"].pk: {"present": None},
            members["Pác Nặm"].pk: {"present": False},
        },
    )
    assert changed == 2  # Ba Bể cleared, Pác Nặm added; Na Rì unchanged
    assert attendance_of(meeting) == {"Na Rì": (True, "", ""), "Pác Nặm": (False, "", "")}


def test_attendance_of_a_unit_that_is_not_a_member_is_refused(meeting, members, cluster):
    last_year = ClusterYearFactory(cluster=cluster, year=2022)
    foreign = last_year.members.create(unit=members["Ba Bể"].unit)
    errors = refused(
        services.attendance_save,
        meeting=meeting,
        rows={members["Na Rì"].pk: {"present": True}, foreign.pk: {"present": True}},
    )
    assert errors == [NOT_A_MEMBER]
    assert attendance_of(meeting) == {}


# --- Agenda, conclusions and exemplary models ---------------------------------------------


def test_the_agenda_is_replaced_whole_and_in_order(meeting):
    services.agenda_save(meeting=meeting, rows=[{"title": "Khai mạc"}, {"title": "Bế mạc"}])
    services.agenda_save(
        meeting=meeting,
        rows=[
            {"title": "Báo cáo tổng kết", "presenter": "Huyện Na Rì"},
            {"title": "Thảo luận"},
            {"title": "Kết luận"},
        ],
    )
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("order", "title")) == [
        (1, "Báo cáo tổng kết"),
        (2, "Thảo luận"),
        (3, "Kết luận"),
    ]
    assert meeting.agenda.first().presenter == "Huyện Na Rì"


def test_conclusions_are_replaced_whole_and_in_order(meeting, units):
    services.conclusions_save(meeting=meeting, rows=[{"text": "Cũ"}])
    services.conclusions_save(
        meeting=meeting,
        rows=[
            {"text": CONCLUSIONS[0]},
            {
                "text": CONCLUSIONS[1],
                "is_task": True,
                "owner": units[0],
                "due_on": datetime.date(2023, 2, 28),
            },
        ],
    )
    rows = list(meeting.conclusions.values_list("order", "text", "is_task", "owner", "due_on"))
    assert rows == [
        (1, CONCLUSIONS[0], False, None, None),
        (2, CONCLUSIONS[1], True, units[0].pk, datetime.date(2023, 2, 28)),
    ]


def test_a_conclusion_that_is_not_a_task_keeps_no_owner(meeting, units):
    services.conclusions_save(
        meeting=meeting,
        rows=[{"text": "Ghi nhận", "owner": units[0], "due_on": datetime.date(2023, 3, 1)}],
    )
    assert list(meeting.conclusions.values_list("is_task", "owner", "due_on")) == [
        (False, None, None)
    ]


def test_a_task_needs_an_owner(meeting):
    services.conclusions_save(meeting=meeting, rows=[{"text": "Giữ nguyên"}])
    errors = refused(
        services.conclusions_save, meeting=meeting, rows=[{"text": "Nộp hồ sơ", "is_task": True}]
    )
    assert errors == [TASK_NEEDS_OWNER]
    assert list(meeting.conclusions.values_list("text", flat=True)) == ["Giữ nguyên"]


def test_a_task_owner_of_another_register_is_refused(meeting, other_body):
    owner = UnitFactory(body=other_body, name="Huyện Bắc Hà")
    errors = refused(
        services.conclusions_save,
        meeting=meeting,
        rows=[{"text": "Nộp hồ sơ", "is_task": True, "owner": owner}],
    )
    assert errors == [UNIT_NOT_IN_REGISTER]
    assert not meeting.conclusions.exists()


def test_a_task_is_marked_done_today_or_on_the_day_given(meeting, units):
    services.conclusions_save(
        meeting=meeting,
        rows=[
            {"text": "Nộp hồ sơ", "is_task": True, "owner": units[0]},
            {"text": "Chuẩn bị hội nghị", "is_task": True, "owner": units[2]},
        ],
    )
    first, second = meeting.conclusions.all()
    services.task_mark_done(conclusion=first, note="Đã gửi Ban Thi đua - Khen thưởng")
    services.task_mark_done(conclusion=second, done_on=datetime.date(2023, 6, 20))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.done_on, first.done_note) == (
        timezone.localdate(),
        "Đã gửi Ban Thi đua - Khen thưởng",
    )
    assert (second.done_on, first.is_open_task) == (datetime.date(2023, 6, 20), False)


def test_a_conclusion_that_is_not_a_task_cannot_be_marked_done(meeting):
    conclusion = ConclusionFactory(meeting=meeting)
    errors = refused(services.task_mark_done, conclusion=conclusion)
    assert errors == ["Kết luận này không phải là nhiệm vụ cần thực hiện."]
    conclusion.refresh_from_db()
    assert conclusion.done_on is None


def test_exemplars_name_a_person_or_a_collective(meeting, units, body):
    services.exemplars_save(
        meeting=meeting,
        rows=[
            {
                "kind": "collective",
                "collective": "Trường Tiểu học Na Rì",
                "unit": units[0],
                "achievement": "Dẫn đầu phong trào “Dạy tốt, học tốt”.",
            },
            {
                "kind": "person",
                "person": None,
                "new_name": "Lục Thị Mai",
                "collective": "bỏ qua",
                "achievement": "Giáo viên dạy giỏi cấp tỉnh.",
            },
        ],
    )
    exemplars = list(Exemplar.objects.filter(meeting=meeting).order_by("pk"))
    assert [(e.kind, e.name, e.collective, e.unit) for e in exemplars] == [
        ("collective", "Trường Tiểu học Na Rì", "Trường Tiểu học Na Rì", units[0]),
        ("person", "Lục Thị Mai", "", None),
    ]
    assert exemplars[1].person.body == body
    assert exemplars[1].search_text == "| luc thi mai | giao vien day gioi cap tinh |"


def test_an_exemplar_of_a_unit_of_another_register_is_refused(meeting, other_body):
    errors = refused(
        services.exemplars_save,
        meeting=meeting,
        rows=[
            {
                "kind": "collective",
                "collective": "Trường Tiểu học Bắc Hà",
                "unit": UnitFactory(body=other_body, name="Huyện Bắc Hà"),
                "achievement": "Dạy tốt.",
            }
        ],
    )
    assert errors == [UNIT_NOT_IN_REGISTER]
    assert not Exemplar.objects.exists()


# --- Open tasks ---------------------------------------------------------------------------


def test_open_tasks_of_earlier_meetings_of_the_same_cluster_are_listed(
    meeting, cluster, cluster_year, units, other_cluster
):
    earlier = MeetingFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022), starts_at=at(2022, 7, 15)
    )
    open_task = ConclusionFactory(meeting=earlier, text="Còn mở", is_task=True, owner=units[0])
    ConclusionFactory(
        meeting=earlier,
        text="Đã xong",
        is_task=True,
        owner=units[0],
        done_on=datetime.date(2022, 12, 1),
    )
    ConclusionFactory(meeting=earlier, text="Không phải nhiệm vụ")
    later = MeetingFactory(cluster_year=cluster_year, starts_at=at(2023, 7, 14))
    ConclusionFactory(meeting=later, text="Của hội nghị sau", is_task=True, owner=units[1])
    elsewhere = MeetingFactory(cluster_year=other_cluster.years.get(), starts_at=at(2022, 7, 22))
    ConclusionFactory(meeting=elsewhere, text="Cụm khác", is_task=True, owner=units[1])

    assert open_tasks_before(meeting) == [open_task]
    assert [task.text for task in open_tasks_before(later)] == ["Còn mở"]


def test_renaming_a_person_keeps_their_exemplar_findable(db):
    from clusters.selectors import search_filter
    from meetings.models import Exemplar
    from tests.factories.meetings import ExemplarFactory, PersonFactory

    person = PersonFactory(full_name="Nguyễn Thị Lan")
    exemplar = ExemplarFactory(kind="person", person=person, collective="")
    person.full_name = "Hà Thị Lụa"
    person.save()

    assert list(Exemplar.objects.filter(search_filter("ha thi lua"))) == [exemplar]
