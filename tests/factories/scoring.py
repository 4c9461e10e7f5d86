"""Factories of the scoring app. Scores that go through a workflow (revision, history,
the lock) are entered with ``scoring.services.scores_save`` instead."""

from decimal import Decimal

import factory

from scoring.models import CriteriaSheet, Criterion, Score, TieRule
from tests.factories import ClusterMemberFactory, ClusterYearFactory


class CriteriaSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSheet

    cluster_year = factory.SubFactory(ClusterYearFactory)
    name = factory.LazyAttribute(lambda o: f"Bảng chấm điểm thi đua năm {o.cluster_year.year}")
    bonus_cap = Decimal(5)
    deduction_cap = Decimal(10)
    tie_rule = TieRule.FIRST_GROUP_THEN_DEDUCTIONS


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    sheet = factory.SubFactory(CriteriaSheetFactory)
    kind = Criterion.Kind.CRITERION
    group = "Thực hiện nhiệm vụ chính trị"
    order = factory.Sequence(lambda n: (n + 1) * 10)
    name = factory.Sequence(lambda n: f"Tiêu chí số {n}")
    max_points = Decimal(10)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    criterion = factory.SubFactory(CriterionFactory)
    member = factory.SubFactory(
        ClusterMemberFactory, cluster_year=factory.SelfAttribute("..criterion.sheet.cluster_year")
    )
