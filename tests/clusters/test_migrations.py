"""The award-type catalogue moved from ``awards`` to the base app without losing a row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("clusters", "0004_people_search_index"),
    ("awards", "0002_national_award_types"),
    ("pledges", "0001_pledges_targets_progress"),
]
AFTER = [
    ("clusters", "0005_award_type_catalogue_moves_to_base"),
    ("awards", "0003_award_type_catalogue_moved_to_base"),
    ("pledges", "0002_titles_point_to_base_catalogue"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_award_types_and_registered_titles_survive_the_move():
    old = _migrate(BEFORE)
    OldAwardType = old.get_model("awards", "AwardType")
    body = old.get_model("clusters", "OrganizingBody").objects.create(
        name="UBND tỉnh Nam Định", short_name="Nam Định", place="Nam Định"
    )
    own = OldAwardType.objects.create(
        name="Cờ đơn vị dẫn đầu phong trào thi đua",
        category="title",
        recipient="collective",
        level="province",
        body=body,
    )
    # The seeded national list may have been flushed by an earlier test: add one.
    OldAwardType.objects.create(
        name="Danh hiệu thử nghiệm của Trung ương",
        category="title",
        recipient="collective",
        level="state",
    )
    national = OldAwardType.objects.filter(body__isnull=True).count()
    cluster = old.get_model("clusters", "Cluster").objects.create(
        body=body, name="Cụm thi đua số 1", kind="cluster"
    )
    year = old.get_model("clusters", "ClusterYear").objects.create(cluster=cluster, year=2023)
    unit = old.get_model("clusters", "Unit").objects.create(
        body=body, name="Huyện Nghĩa Hưng", code="NH"
    )
    member = old.get_model("clusters", "ClusterMember").objects.create(cluster_year=year, unit=unit)
    pledge = old.get_model("pledges", "Pledge").objects.create(cluster_year=year)
    registration = old.get_model("pledges", "Registration").objects.create(
        pledge=pledge, member=member
    )
    registration.titles.add(own)

    new = _migrate(AFTER)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    NewAwardType = new.get_model("clusters", "AwardType")
    moved = NewAwardType.objects.get(pk=own.pk)
    assert moved.name == "Cờ đơn vị dẫn đầu phong trào thi đua"
    assert moved.body_id == body.pk
    assert NewAwardType.objects.filter(body__isnull=True).count() == national > 0
    registration = new.get_model("pledges", "Registration").objects.get(pk=registration.pk)
    assert [t.name for t in registration.titles.all()] == ["Cờ đơn vị dẫn đầu phong trào thi đua"]
