"""The Bắc Kạn cluster's 2022 year and its year-end meeting of 7/2/2023, where the
members voted on awards and on next year's head and deputy.

Seven members; six attended (Chợ Đồn did not), so 7 are eligible and 6 present.
"""

import pytest

from clusters.models import AwardType, ClusterMember, Role
from meetings import services as meeting_services
from meetings.models import Attendance, Meeting
from tests.factories import (
    ClusterMemberFactory,
    ClusterYearFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.meetings import at
from tests.votes.helpers import NAMES


@pytest.fixture
def year_2022(cluster):
    cluster_year = ClusterYearFactory(cluster=cluster, year=2022)
    roles = {"Thành phố Bắc Kạn": ClusterMember.Role.HEAD, "Na Rì": ClusterMember.Role.DEPUTY}
    for name in NAMES:
        full_name = name if name.startswith("Thành phố") else f"Huyện {name}"
        unit = UnitFactory(body=cluster.body, name=full_name, short_name=name)
        ClusterMemberFactory(
            cluster_year=cluster_year, unit=unit, role=roles.get(name, ClusterMember.Role.MEMBER)
        )
    return cluster_year


@pytest.fixture
def members(year_2022) -> dict[str, ClusterMember]:
    return {m.unit.short_name: m for m in year_2022.members.select_related("unit")}


@pytest.fixture
def year_end(year_2022, members) -> Meeting:
    meeting = meeting_services.meeting_create(
        cluster_year=year_2022,
        kind=Meeting.Kind.YEAR_END,
        title="Hội nghị tổng kết công tác thi đua, khen thưởng năm 2022",
        starts_at=at(2023, 2, 7),
    )
    for name, member in members.items():
        Attendance.objects.create(meeting=meeting, member=member, present=name != "Chợ Đồn")
    return meeting


@pytest.fixture
def flag(db):
    return AwardType.objects.get(name="Cờ thi đua của UBND tỉnh", body=None)


@pytest.fixture
def certificate(db):
    return AwardType.objects.get(name="Bằng khen của UBND tỉnh", body=None)


@pytest.fixture
def secretary_2022(body, year_2022):
    user = RoleFactory(
        user=UserFactory(username="thuky2022"), body=body, kind=Role.Kind.SECRETARY
    ).user
    year_2022.secretaries.add(user)
    return user
