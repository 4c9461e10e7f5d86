"""The demo meetings built from the source articles (``manage.py seed_demo``)."""

import io

import pytest
from django.core.management import call_command

from clusters.models import Person
from meetings.models import (
    AgendaItem,
    Attendance,
    Conclusion,
    Exemplar,
    Meeting,
    Participant,
)
from meetings.selectors import meeting_detail
from tests.factories.meetings import at

pytestmark = pytest.mark.django_db

MODELS = [Meeting, Participant, Attendance, AgendaItem, Conclusion, Exemplar, Person]


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def chairs(meeting) -> list[str]:
    return [p.person.full_name for p in meeting_detail(meeting).chairs]


@pytest.fixture
def demo():
    seed()


def test_the_bac_kan_year_end_meeting_is_approved_with_its_chairs_and_full_attendance(demo):
    meeting = Meeting.objects.get(
        cluster_year__cluster__body__name="UBND tỉnh Bắc Kạn", starts_at=at(2023, 2, 7, 14)
    )
    assert (meeting.kind, meeting.status) == ("year_end", "approved")
    assert meeting.cluster_year.year == 2022
    detail = meeting_detail(meeting)
    assert chairs(meeting) == ["Dương Hữu Bường", "Nông Văn Nguyên"]
    assert (len(detail.present), len(detail.attendance), len(detail.absent)) == (8, 8, 0)
    assert [task.text for task in detail.conclusions if task.is_open_task] == [
        "Chuẩn bị nội dung và địa điểm hội nghị sơ kết 6 tháng đầu năm 2023 của Cụm."
    ]


def test_the_open_task_appears_on_the_planned_mid_year_meeting(demo, client_for):
    year_end = Meeting.objects.get(starts_at=at(2023, 2, 7, 14))
    mid_year = Meeting.objects.get(
        cluster_year__cluster=year_end.cluster_year.cluster, cluster_year__year=2023
    )
    assert (mid_year.kind, mid_year.status, mid_year.starts_at) == (
        "mid_year",
        "planned",
        at(2023, 7, 14, 8),
    )
    open_tasks = meeting_detail(mid_year).open_tasks
    assert [(task.meeting, task.owner.name) for task in open_tasks] == [(year_end, "Huyện Na Rì")]


def test_the_lao_cai_meeting_in_bac_ha_is_chaired_by_dinh_van_dang(demo):
    meeting = Meeting.objects.get(starts_at=at(2022, 7, 22, 8))
    assert meeting.cluster_year.cluster.body.name == "UBND tỉnh Lào Cai"
    assert (meeting.place, meeting.host.name, meeting.status) == (
        "Huyện Bắc Hà",
        "Huyện Bắc Hà",
        "approved",
    )
    assert chairs(meeting) == ["Đinh Văn Đăng"]
    assert meeting.exemplars.count() == 2


def test_the_midland_meeting_has_three_chairs(demo):
    meeting = Meeting.objects.get(starts_at=at(2023, 7, 28, 8))
    assert meeting.status == "held"
    assert chairs(meeting) == ["Phạm Đức Toàn", "Phạm Duy Hưng", "Hoàng Việt Phương"]


def test_seeding_twice_keeps_the_counts():
    seed()
    first = counts()
    seed()
    assert counts() == first
    assert first == {
        "Meeting": 4,
        "Participant": 6,
        "Attendance": 24,
        "AgendaItem": 4,
        "Conclusion": 9,
        "Exemplar": 2,
        "Person": 6,
    }
