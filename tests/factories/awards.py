"""Factories of the awards: decisions, awards (granted by default), initiatives, rules."""

import datetime

import factory

from awards.models import Award, Decision, Initiative, RecipientKind, ReportedCount
from clusters.models import AwardRule, AwardType, RuleSet, Stage
from tests.factories import OrganizingBodyFactory, UnitFactory


def award_type(name: str) -> AwardType:
    """An award type of the national catalogue the migrations seed, by its name."""
    return AwardType.objects.get(name=name, body=None)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    body = factory.SubFactory(OrganizingBodyFactory)
    number = factory.Sequence(lambda n: f"{n + 1:02d}/QĐ-UBND")
    signed_on = datetime.date(2023, 3, 15)
    authority = "Chủ tịch UBND tỉnh Bắc Kạn"
    signer_name = "Nguyễn Văn A"
    signer_title = "CHỦ TỊCH"


class AwardFactory(factory.django.DjangoModelFactory):
    """A granted award to a member unit (status decided, with its decision)."""

    class Meta:
        model = Award

    body = factory.SubFactory(OrganizingBodyFactory)
    year = 2022
    award_type = factory.LazyFunction(lambda: award_type("Bằng khen của UBND tỉnh"))
    recipient_kind = RecipientKind.UNIT
    unit = factory.SubFactory(UnitFactory, body=factory.SelfAttribute("..body"))
    recipient_name = factory.LazyAttribute(lambda o: o.unit.name if o.unit else "Tập thể")
    status = Award.Status.DECIDED
    stage = Stage.AUTHORITY
    decision = factory.SubFactory(DecisionFactory, body=factory.SelfAttribute("..body"))


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Sáng kiến số {n + 1}")
    year = 2022
    recognised_by = "Hội đồng sáng kiến tỉnh Bắc Kạn"
    level = "province"


class ReportedCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedCount

    period = ReportedCount.Period.YEAR
    level = AwardType.Level.GRASSROOTS
    kind = ReportedCount.Kind.COLLECTIVE
    count = 1


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    name = factory.Sequence(lambda n: f"Quy chế thi đua, khen thưởng {n + 1}")
    legal_basis = "Quyết định số 15/2024/QĐ-UBND của UBND tỉnh Bắc Kạn"
    effective_from = datetime.date(2020, 1, 1)


class AwardRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRule

    rule_set = factory.SubFactory(RuleSetFactory)
