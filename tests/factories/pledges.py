"""One factory per model of the pledges app.

They write rows straight through the ORM for setting up a state quickly; tests of the
workflows themselves go through ``pledges.services`` (see ``tests/pledges/conftest.py``).
"""

import datetime
from decimal import Decimal

import factory

from pledges.models import (
    Commitment,
    Movement,
    Period,
    Pledge,
    Registration,
    Result,
    Signature,
    Target,
)
from tests.factories import ClusterMemberFactory, ClusterYearFactory


class MovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Movement

    name = factory.Sequence(lambda n: f"Phong trào thi đua số {n}")
    launched_by = "Thủ tướng Chính phủ"
    body = None


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    cluster_year = factory.SubFactory(ClusterYearFactory)
    theme = "Đoàn kết, sáng tạo, thi đua hoàn thành thắng lợi nhiệm vụ năm 2023"
    signed_place = "Thành phố Bắc Kạn"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    pledge = factory.SubFactory(PledgeFactory)
    group = "Kinh tế"
    order = factory.Sequence(lambda n: (n + 1) * 10)
    name = factory.Sequence(lambda n: f"Chỉ tiêu số {n}")
    measure = Target.Measure.NUMBER
    direction = Target.Direction.HIGHER


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    pledge = factory.SubFactory(PledgeFactory)
    kind = Period.Kind.CUSTOM
    name = factory.Sequence(lambda n: f"Quý {n}")
    ends_on = datetime.date(2023, 3, 31)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    target = factory.SubFactory(TargetFactory)
    member = factory.SubFactory(
        ClusterMemberFactory, cluster_year=factory.SelfAttribute("..target.pledge.cluster_year")
    )
    value = Decimal("100")


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    period = factory.SubFactory(PeriodFactory)
    target = factory.SubFactory(TargetFactory, pledge=factory.SelfAttribute("..period.pledge"))
    member = factory.SubFactory(
        ClusterMemberFactory, cluster_year=factory.SelfAttribute("..period.pledge.cluster_year")
    )
    value = Decimal("100")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    pledge = factory.SubFactory(PledgeFactory)
    member = factory.SubFactory(
        ClusterMemberFactory, cluster_year=factory.SelfAttribute("..pledge.cluster_year")
    )

    @factory.post_generation
    def titles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.titles.set(extracted)


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    pledge = factory.SubFactory(PledgeFactory)
    member = factory.SubFactory(
        ClusterMemberFactory, cluster_year=factory.SelfAttribute("..pledge.cluster_year")
    )
    signer_name = "Nông Văn Nguyên"
    signer_position = "Chủ tịch UBND huyện"
    signed_on = datetime.date(2023, 2, 7)
