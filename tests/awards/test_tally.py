"""The granted awards' tally: the database keeps it equal to a count of the awards,
whatever writes them, and installs its triggers again when they go missing."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Coalesce

from awards import services
from awards import tally as tally_module
from awards.models import Award, RecipientKind
from clusters.models import AwardType
from tests.factories import UnitFactory
from tests.factories.awards import AwardFactory, DecisionFactory, award_type

pytestmark = pytest.mark.django_db

GRANTED = (Award.Status.DECIDED, Award.Status.PRESENTED)
KEY = ("body_id", "year", "award_type_id", "unit_id", "cluster_year_id", "recipient_kind")


def counted() -> dict[tuple, int]:
    """The granted awards counted afresh by every column either tally keys by (0 for no
    unit, no cluster year)."""
    rows = (
        Award.objects.filter(status__in=GRANTED)
        .order_by()
        .annotate(unit_key=Coalesce("unit_id", 0), year_key=Coalesce("cluster_year_id", 0))
        .values("body_id", "year", "award_type_id", "unit_key", "year_key", "recipient_kind")
        .annotate(n=Count("*"))
    )
    return {
        (r["body_id"], r["year"], r["award_type_id"], r["unit_key"], r["year_key"],
         r["recipient_kind"]): r["n"]
        for r in rows
    }  # fmt: skip


def kept(tally) -> dict[tuple, int]:
    """A tally's count by key (its rows added up: on PostgreSQL a key may have several
    until they are compacted), the keys that count something; none below 0."""
    sums: dict[tuple, int] = {}
    for *key, count in tally.objects.values_list(*tally.KEY, "count"):
        sums[tuple(key)] = sums.get(tuple(key), 0) + count
    assert all(n >= 0 for n in sums.values()), sums
    return {key: n for key, n in sums.items() if n}


def checked() -> dict[tuple, int]:
    """The awards counted afresh, once each tally was found to hold their count by its
    key."""
    fresh = counted()
    for tally in tally_module.TALLIES:
        positions = [KEY.index(column) for column in tally.KEY]
        expected: dict[tuple, int] = {}
        for key, n in fresh.items():
            own = tuple(key[p] for p in positions)
            expected[own] = expected.get(own, 0) + n
        assert kept(tally) == expected, tally.__name__
    return fresh


def consistent() -> bool:
    try:
        checked()
    except AssertionError:
        return False
    return True


def decided(body, unit, **fields):
    return AwardFactory(
        body=body,
        unit=unit,
        recipient_name=unit.name,
        status=Award.Status.DECIDED,
        decision=DecisionFactory(body=body),
        **fields,
    )


def test_the_tally_follows_every_way_of_writing_awards(body, units, cluster_year):
    na_ri, ba_be, pac_nam = units
    certificate = award_type("Bằng khen của UBND tỉnh")
    flag = award_type("Cờ thi đua của UBND tỉnh")
    AwardFactory(body=body, unit=na_ri, status=Award.Status.PROPOSED, decision=None)
    assert checked() == {}  # a proposal counts nowhere

    # Saved one by one.
    first = decided(body, na_ri, year=2022, award_type=certificate)
    second = decided(body, na_ri, year=2022, award_type=certificate)
    decided(body, ba_be, year=2023, award_type=flag, cluster_year=cluster_year)
    assert checked() == {
        (body.pk, 2022, certificate.pk, na_ri.pk, 0, "unit"): 2,
        (body.pk, 2023, flag.pk, ba_be.pk, cluster_year.pk, "unit"): 1,
    }

    # Moved to another year, unit, cluster year and kind; a change of name moves nothing.
    first.year, first.unit, first.cluster_year = 2023, pac_nam, cluster_year
    first.recipient_kind = RecipientKind.COLLECTIVE
    first.save()
    second.recipient_name = "Nhân dân và cán bộ huyện Na Rì"
    second.save()
    assert checked() == {
        (body.pk, 2022, certificate.pk, na_ri.pk, 0, "unit"): 1,
        (body.pk, 2023, certificate.pk, pac_nam.pk, cluster_year.pk, "collective"): 1,
        (body.pk, 2023, flag.pk, ba_be.pk, cluster_year.pk, "unit"): 1,
    }

    # Presented still counts; in bulk, several rows at once.
    Award.objects.filter(status=Award.Status.DECIDED).update(status=Award.Status.PRESENTED)
    assert sum(checked().values()) == 3
    Award.objects.filter(unit=ba_be).update(year=2021, award_type=certificate)
    Award.objects.bulk_update([Award(pk=second.pk, year=2020)], ["year"])
    Award.objects.bulk_create(
        [
            Award(
                body=body,
                year=2024,
                award_type=flag,
                unit=unit,
                recipient_kind=RecipientKind.UNIT,
                recipient_name=unit.name,
                status=Award.Status.DECIDED,
                decision=second.decision,
                occasion=second.occasion,
                source=second.source,
                stage=second.stage,
            )
            for unit in units
        ]
    )
    fresh = checked()
    assert fresh[(body.pk, 2024, flag.pk, ba_be.pk, 0, "unit")] == 1
    assert fresh[(body.pk, 2020, certificate.pk, na_ri.pk, 0, "unit")] == 1

    # Taken back: a status that no longer counts, deletions one by one and in bulk.
    Award.objects.filter(pk=first.pk).update(status=Award.Status.REJECTED, decision=None)
    second.delete()
    Award.objects.filter(year=2024).exclude(unit=na_ri).delete()
    assert checked() == {
        (body.pk, 2021, certificate.pk, ba_be.pk, cluster_year.pk, "unit"): 1,
        (body.pk, 2024, flag.pk, na_ri.pk, 0, "unit"): 1,
    }


def test_the_services_and_the_import_are_counted(body, units, staff):
    certificate = AwardType.objects.get(name="Bằng khen của UBND tỉnh", body=None)
    decision = DecisionFactory(body=body, signed_on=datetime.date(2022, 12, 15))
    services.award_record_granted(
        by=staff,
        decision=decision,
        body=body,
        year=2022,
        award_type=certificate,
        recipient_kind=RecipientKind.UNIT,
        unit=units[0],
    )
    rows = [
        {
            "row": index,
            "import_key": f"key-{index}",
            "decision": {
                "number": "2021/QĐ-UBND",
                "signed_on": datetime.date(2022, 12, 15),
                "authority": "Chủ tịch UBND tỉnh Bắc Kạn",
            },
            "year": 2022,
            "award_type": certificate,
            "recipient_kind": RecipientKind.COLLECTIVE,
            "unit": unit,
            "person": None,
            "recipient_name": f"Trường Tiểu học số {index}",
        }
        for index, unit in enumerate([units[0], units[1], units[1]], start=5)
    ]
    assert services.awards_import(body=body, by=staff, rows=rows) == (3, 0)
    assert checked() == {
        (body.pk, 2022, certificate.pk, units[0].pk, 0, "unit"): 1,
        (body.pk, 2022, certificate.pk, units[0].pk, 0, "collective"): 1,
        (body.pk, 2022, certificate.pk, units[1].pk, 0, "collective"): 2,
    }


def test_missing_triggers_are_installed_again_and_the_tally_counted_again(body, units):
    """What a migration rebuilding the awards' table on SQLite does (it drops the
    triggers): the awards written meanwhile are counted once they are back."""
    assert tally_module.installed() == set(tally_module.TRIGGERS.values())
    assert tally_module.install() is False  # nothing missing: nothing done
    decided(body, units[0], year=2022)
    tally_module.drop()
    assert tally_module.installed() == set()
    decided(body, units[1], year=2022)
    Award.objects.filter(unit=units[0]).update(year=2021)
    assert not consistent()

    tally_module.on_post_migrate(sender=None, using=connection.alias)

    assert tally_module.installed() == set(tally_module.TRIGGERS.values())
    assert sum(checked().values()) == 2
    decided(body, UnitFactory(body=body, name="Huyện Chợ Đồn"), year=2023)
    assert sum(checked().values()) == 3


def rows_and_keys(tally) -> tuple[int, int]:
    return tally.objects.count(), tally.objects.values(*tally.KEY).distinct().count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps one row a key")
def test_changes_add_rows_which_compacting_adds_up(body, units, cluster_year):
    """On PostgreSQL each change adds rows and never updates one (no transaction waits
    for another's row); compacting leaves one row per key that counts, the same
    counts."""
    awards = [decided(body, units[0], year=2022) for _ in range(3)]
    awards[0].year = 2023
    awards[0].save()
    awards[1].delete()
    fresh = checked()
    for tally in tally_module.TALLIES:
        rows, keys = rows_and_keys(tally)
        assert rows > keys
    tally_module.compact()
    assert checked() == fresh
    for tally in tally_module.TALLIES:
        assert rows_and_keys(tally) == (2, 2)  # 2022 and 2023, one award each


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps one row a key")
def test_the_transaction_adding_the_row_past_the_mark_compacts(body, units, monkeypatch):
    monkeypatch.setattr(tally_module, "COMPACT_EVERY", 4)
    tally_module.drop()
    tally_module.install()  # with the mark every 4 rows; undone with the test's transaction
    for _ in range(6):
        decided(body, units[0], year=2022)
        assert sum(checked().values()) == _ + 1
    # Six rows added one by one (all of one key), a mark every four numbers: some
    # transaction past a mark added the rows up, so fewer rows than changes remain.
    for tally in tally_module.TALLIES:
        assert tally.objects.count() < 6, tally.__name__
