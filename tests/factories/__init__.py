"""One factory per model. Units, clusters and years are created through the ORM;
tests of workflows go through services."""

import factory
from django.contrib.auth import get_user_model

from clusters.models import (
    Cluster,
    ClusterMember,
    ClusterYear,
    Level,
    OrganizingBody,
    Role,
    Unit,
    UnitSuccession,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizingBody

    name = factory.Sequence(lambda n: f"UBND tỉnh Số {n}")
    short_name = factory.Sequence(lambda n: f"Tỉnh {n}")
    level = Level.PROVINCIAL
    place = "Bắc Kạn"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(OrganizingBodyFactory)
    kind = Role.Kind.STAFF


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    body = factory.SubFactory(OrganizingBodyFactory)
    kind = Unit.Kind.DISTRICT
    name = factory.Sequence(lambda n: f"Huyện Thứ {n}")
    short_name = ""


class UnitSuccessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitSuccession

    predecessor = factory.SubFactory(UnitFactory)
    successor = factory.SubFactory(UnitFactory, body=factory.SelfAttribute("..predecessor.body"))
    kind = UnitSuccession.Kind.MERGER


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    body = factory.SubFactory(OrganizingBodyFactory)
    name = factory.Sequence(lambda n: f"Cụm thi đua số {n}")
    kind = Cluster.Kind.CLUSTER
    level = Level.PROVINCIAL


class ClusterYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterYear

    cluster = factory.SubFactory(ClusterFactory)
    year = 2023


class ClusterMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMember

    cluster_year = factory.SubFactory(ClusterYearFactory)
    unit = factory.SubFactory(
        UnitFactory, body=factory.SelfAttribute("..cluster_year.cluster.body")
    )
    role = ClusterMember.Role.MEMBER
