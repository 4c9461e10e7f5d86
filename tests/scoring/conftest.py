"""A 2023 criteria sheet for the shared cluster year (Na Rì head, Pác Nặm deputy, Ba Bể).

The sheet: group I “Thực hiện nhiệm vụ chính trị” (1.1 max 40, 1.2 max 20), group II
“Công tác thi đua, khen thưởng” (2.1 max 30, 2.2 max 10, a veto criterion), one bonus item
(max 4, cap 3) and two deduction items (max 5 each, cap 6): 100 points.
"""

import datetime
from decimal import Decimal

import pytest

from clusters.models import ClusterMember, Role
from meetings.models import Meeting
from scoring import services
from scoring.models import Criterion, Level
from tests.factories import ClusterMemberFactory, RoleFactory, UnitFactory, UserFactory
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory

GROUP_1 = "Thực hiện nhiệm vụ chính trị"
GROUP_2 = "Công tác thi đua, khen thưởng"


@pytest.fixture
def members(cluster_year):
    """{short name: ClusterMember} of the shared 2023 year."""
    return {
        m.unit.short_name: m
        for m in ClusterMember.objects.filter(cluster_year=cluster_year).select_related("unit")
    }


@pytest.fixture
def sheet(cluster_year):
    sheet = CriteriaSheetFactory(
        cluster_year=cluster_year, bonus_cap=Decimal(3), deduction_cap=Decimal(6)
    )
    CriterionFactory(sheet=sheet, group=GROUP_1, order=10, name="Kinh tế", max_points=40)
    CriterionFactory(sheet=sheet, group=GROUP_1, order=20, name="Ngân sách", max_points=20)
    CriterionFactory(sheet=sheet, group=GROUP_2, order=30, name="Phong trào", max_points=30)
    CriterionFactory(
        sheet=sheet, group=GROUP_2, order=40, name="Kỷ luật", max_points=10, is_veto=True
    )
    CriterionFactory(
        sheet=sheet, kind=Criterion.Kind.BONUS, group="", order=50, name="Mô hình mới", max_points=4
    )
    CriterionFactory(
        sheet=sheet,
        kind=Criterion.Kind.DEDUCTION,
        group="",
        order=60,
        name="Báo cáo chậm",
        max_points=5,
    )
    CriterionFactory(
        sheet=sheet,
        kind=Criterion.Kind.DEDUCTION,
        group="",
        order=70,
        name="Vắng họp",
        max_points=5,
    )
    return sheet


@pytest.fixture
def criteria(sheet):
    """{name: Criterion} of the sheet."""
    return {c.name: c for c in Criterion.objects.filter(sheet=sheet)}


@pytest.fixture
def enter():
    """``enter(sheet, level, {(criterion, member): "12.5" or None}, user=…, reason=…)``:
    save scores through the service at the sheet's current revision."""

    def save(sheet, level, values, *, user=None, reason="", evidence=None):
        sheet.refresh_from_db()
        cells = {
            (criterion.pk, member.pk): None if value is None else Decimal(str(value))
            for (criterion, member), value in values.items()
        }
        return services.scores_save(
            sheet=sheet,
            level=level,
            cells=cells,
            revision=sheet.revision,
            user=user,
            reason=reason,
            evidence=evidence,
        )

    return save


@pytest.fixture
def full_marks(sheet, criteria, members, enter):
    """Board scores for everyone: full marks on the criteria, nothing else (100 each)."""

    def fill(level=Level.BOARD, **overrides):
        values = {}
        for member in members.values():
            for criterion in criteria.values():
                if criterion.kind == Criterion.Kind.CRITERION:
                    values[(criterion, member)] = criterion.max_points
        values.update(overrides.get("values", {}))
        enter(sheet, level, values)

    return fill


@pytest.fixture
def year_end_meeting(cluster_year):
    return Meeting.objects.create(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title="Tổng kết công tác thi đua, khen thưởng năm 2023",
        starts_at=datetime.datetime(2024, 1, 20, 8, 0, tzinfo=datetime.UTC),
        status=Meeting.Status.HELD,
    )


@pytest.fixture
def add_member(cluster_year, body):
    def add(name):
        return ClusterMemberFactory(
            cluster_year=cluster_year, unit=UnitFactory(body=body, name=name, short_name=name)
        )

    return add


@pytest.fixture
def other_secretary(body, cluster):
    """A secretary of the same body but of another year of the cluster."""
    from tests.factories import ClusterYearFactory

    other_year = ClusterYearFactory(cluster=cluster, year=2022)
    user = RoleFactory(
        user=UserFactory(username="secretary2022"), body=body, kind=Role.Kind.SECRETARY
    ).user
    other_year.secretaries.add(user)
    return user


@pytest.fixture
def scored(sheet, criteria, members, enter, secretary):
    """Board scores: Na Rì 95,50 (first), Pác Nặm 92,00, Ba Bể 89,00 (failed the veto)."""
    table = {
        "Na Rì": {"Kinh tế": 38, "Ngân sách": "19.5", "Phong trào": 28, "Kỷ luật": 10,
                  "Mô hình mới": 2, "Báo cáo chậm": 2},
        "Pác Nặm": {"Kinh tế": 36, "Ngân sách": 18, "Phong trào": 27, "Kỷ luật": 10,
                    "Mô hình mới": 1},
        "Ba Bể": {"Kinh tế": 35, "Ngân sách": 18, "Phong trào": 28, "Kỷ luật": 9,
                  "Vắng họp": 1},
    }  # fmt: skip
    enter(
        sheet,
        Level.BOARD,
        {
            (criteria[name], members[unit]): value
            for unit, values in table.items()
            for name, value in values.items()
        },
        user=secretary,
    )
    sheet.refresh_from_db()
    return sheet
