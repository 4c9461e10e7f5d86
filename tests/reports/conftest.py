"""A cluster year with something in every section of the reports, and the demo data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from clusters.models import ClusterMember, ClusterYear
from meetings.models import Meeting
from pledges.models import Period
from scoring.models import CriteriaSheet
from tests.factories import ClusterMemberFactory, UnitFactory
from tests.factories.meetings import (
    ConclusionFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    at,
)
from tests.factories.pledges import (
    CommitmentFactory,
    MovementFactory,
    PeriodFactory,
    PledgeFactory,
    ResultFactory,
    TargetFactory,
)
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory, ScoreFactory


class YearData:
    """The 2023 year of ``cluster_year`` (tests/conftest.py) with a pledge, a target and
    its year-end results, a year-end meeting with a chair and a conclusion, and a
    locked criteria sheet with scores, for the members given; ``add_member`` adds one
    member with its commitment, result and score."""

    def __init__(self, cluster_year: ClusterYear, members: list[ClusterMember]):
        self.cluster_year = cluster_year
        self.pledge = PledgeFactory(cluster_year=cluster_year, theme="Đoàn kết, sáng tạo")
        self.pledge.movements.add(MovementFactory(name="Cả nước chung sức xây dựng nông thôn mới"))
        self.target = TargetFactory(
            pledge=self.pledge, name="Thu ngân sách nhà nước", unit_of_measure="tỷ đồng"
        )
        self.period = PeriodFactory(
            pledge=self.pledge,
            kind=Period.Kind.YEAR_END,
            name="Tổng kết năm 2023",
            ends_on=datetime.date(2023, 12, 31),
        )
        self.meeting = MeetingFactory(
            cluster_year=cluster_year,
            kind=Meeting.Kind.YEAR_END,
            status=Meeting.Status.HELD,
            title="Hội nghị tổng kết năm 2023",
            starts_at=at(2024, 1, 18, 8),
            place="Huyện Na Rì",
        )
        head = next((m.unit for m in members if m.role == ClusterMember.Role.HEAD), None)
        ParticipantFactory(
            meeting=self.meeting,
            person=PersonFactory(
                body=cluster_year.cluster.body,
                full_name="Nông Văn Nguyên",
                position="Chủ tịch UBND huyện Na Rì",
                unit=head,
            ),
        )
        ConclusionFactory(meeting=self.meeting, text="Hoàn thiện hồ sơ đề nghị khen thưởng.")
        self.sheet = CriteriaSheetFactory(
            cluster_year=cluster_year, status=CriteriaSheet.Status.SCORING
        )
        self.criterion = CriterionFactory(sheet=self.sheet, max_points=Decimal(100))
        for index, member in enumerate(members):
            self.fill(member, index)

    def fill(self, member: ClusterMember, index: int) -> None:
        CommitmentFactory(target=self.target, member=member, value=Decimal(100 + index))
        ResultFactory(
            period=self.period, target=self.target, member=member, value=Decimal(110 + index)
        )
        ScoreFactory(criterion=self.criterion, member=member, self_score=Decimal(90 - index))

    def add_member(self, name: str) -> ClusterMember:
        member = ClusterMemberFactory(
            cluster_year=self.cluster_year,
            unit=UnitFactory(body=self.cluster_year.cluster.body, name=name),
        )
        self.fill(member, ClusterMember.objects.filter(cluster_year=self.cluster_year).count())
        return member


@pytest.fixture
def year_data(cluster_year):
    members = list(cluster_year.members.select_related("unit").order_by("pk"))
    return YearData(cluster_year, members)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
