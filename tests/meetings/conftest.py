"""The Bắc Kạn districts' year-end meeting of 7/2/2023, built through ``meetings.services``.

``cluster_year`` (tests/conftest.py) is 2023 with Na Rì (head), Ba Bể and Pác Nặm
(deputy). The meeting is chaired by Dương Hữu Bường and Nông Văn Nguyên.
"""

import pytest

from clusters.models import ClusterMember
from meetings import services
from meetings.models import Meeting
from tests.factories.meetings import MeetingFactory, PersonFactory, at
from tests.meetings.helpers import STARTS_AT, TITLE, record_minutes


@pytest.fixture
def members(cluster_year) -> dict[str, ClusterMember]:
    """The year's members by short name: Na Rì, Ba Bể, Pác Nặm."""
    return {m.unit.short_name: m for m in cluster_year.members.select_related("unit")}


@pytest.fixture
def buong(body):
    return PersonFactory(
        body=body, full_name="Dương Hữu Bường", position="Chủ tịch UBND Thành phố Bắc Kạn"
    )


@pytest.fixture
def nguyen(body, units):
    return PersonFactory(
        body=body,
        full_name="Nông Văn Nguyên",
        position="Chủ tịch UBND huyện Na Rì",
        unit=units[0],
    )


@pytest.fixture
def stranger(other_body):
    """A person of the other province's register."""
    return PersonFactory(body=other_body, full_name="Đinh Văn Đăng")


@pytest.fixture
def meeting(cluster_year, units) -> Meeting:
    """Planned, nothing recorded yet; it started in the past, so it can be marked held."""
    return services.meeting_create(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title=TITLE,
        starts_at=STARTS_AT,
        ends_at=at(2023, 2, 7, 17),
        host=units[0],
        place="Huyện Na Rì",
        minutes_number=5,
    )


@pytest.fixture
def held_meeting(meeting, buong, nguyen, members) -> Meeting:
    """Held, with chairs, full attendance and conclusions: ready to approve."""
    record_minutes(meeting, chairs=[buong, nguyen], members=members)
    return services.meeting_mark_held(meeting=meeting)


@pytest.fixture
def approved_meeting(held_meeting) -> Meeting:
    return services.meeting_approve_minutes(meeting=held_meeting)


@pytest.fixture
def other_meeting(other_cluster) -> Meeting:
    """A meeting of the other province's cluster (what the outsider manages)."""
    return MeetingFactory(
        cluster_year=other_cluster.years.get(), title="Hội nghị khối thi đua Lào Cai"
    )
