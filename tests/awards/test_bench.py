"""``manage.py bench`` and its awards: the quick scale's award pages, their query counts,
the admin changelist of awards as a baseline, and the awards the data set is made of.

Times are not judged here (budgets live in the command's output); query counts are.
"""

import json
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse

from awards.models import Award, AwardStep, Batch, Decision, Initiative, ReportedCount
from clusters.models import AwardType, Person, Stage, Unit, UnitSuccession
from reports.bench import awards as bench_awards
from reports.bench import data as bench_data
from reports.bench import measure
from reports.bench.budgets import BUDGETS

Status = Award.Status

# Each award page and the view it needs (the pages skipped while a view is missing).
AWARD_PAGES = {
    "award_list": "awards:award-list",
    "award_list_year": "awards:award-list",
    "award_list_type": "awards:award-list",
    "award_list_level": "awards:award-list",
    "award_list_deep": "awards:award-list",
    "award_search_broad": "awards:award-list",
    "award_search_selective": "awards:award-list",
    "decision_list": "awards:decision-list",
    "decision_search": "awards:decision-list",
    "unit_awards_merged": "clusters:unit-detail",
    "award_statistics": "awards:statistics",
    "award_inbox": "awards:inbox",
}
BASELINES = {"admin_changelist", "admin_search", "admin_awards", "admin_awards_search", "floor"}


def _defined(url_name: str) -> bool:
    with override_settings(ROOT_URLCONF="reports.bench.urls"):
        try:
            reverse(url_name, args=[1] if url_name == "clusters:unit-detail" else [])
        except NoReverseMatch:
            return False
    return True


@pytest.mark.django_db
def test_the_award_pages_are_measured_within_their_query_budgets(tmp_path, capsys):
    path = tmp_path / "bench.json"

    call_command("bench", scale="quick", samples=1, only="award,decision", json=str(path))

    figures = json.loads(path.read_text(encoding="utf-8"))
    defined = {name for name, url_name in AWARD_PAGES.items() if _defined(url_name)}
    assert set(figures["pages"]) == defined
    assert set(figures["skipped"]) == {
        name for name in AWARD_PAGES if name not in defined
    }  # fmt: skip
    assert all("is not defined yet" in why for why in figures["skipped"].values())
    assert set(figures["baselines"]) == BASELINES
    over = {
        name: page["queries"]
        for name, page in figures["pages"].items()
        if page["queries"] > BUDGETS[name].queries
    }
    assert over == {}
    # The import of a list of awards ("award" is part of its name), its rows rolled back.
    assert set(figures["excel"]) == {"award_import_preview_rows_per_s", "award_import_rows_per_s"}
    assert all(rate > 0 for rate in figures["excel"].values())
    table = capsys.readouterr().out
    assert "× baseline" in table
    # Each award page against the budget of its kind and its admin baseline.
    assert re.search(r"award_search_selective +search, selective +25 +8 +\d+\.\d\d  ", table)
    assert f"award import of {measure.AWARD_IMPORT_ROWS:,} rows: preview" in table
    for name in figures["skipped"]:
        assert f"skipped {name}: " in table
    # The data set is gone again, its awards with it.
    assert not Award.objects.exists() and not Decision.objects.exists()


@pytest.mark.django_db
def test_the_admin_changelist_of_awards_is_a_baseline_with_and_without_a_search():
    data = bench_data.build(bench_data.SCALES["quick"])
    client = measure.logged_in(data.admin)

    with override_settings(ROOT_URLCONF="reports.bench.urls", ALLOWED_HOSTS=["testserver"]):
        pages = {page.name: page for page in measure.baseline_pages()}
        whole = client.get(pages["admin_awards"].url, secure=True)
        searched = client.get(pages["admin_awards_search"].url, secure=True)

    assert whole.status_code == searched.status_code == 200
    total = Award.objects.filter(body=data.body).count()
    assert whole.context["cl"].result_count == total
    found = searched.context["cl"].result_count
    assert 0 < found < total
    # The admin's search: each word anywhere in the name, as typed.
    words = Award.objects.filter(recipient_name__icontains="Nguyễn").filter(
        recipient_name__icontains="Văn"
    )
    assert found == words.count()


@pytest.mark.django_db
def test_the_awards_of_the_data_set():
    data = bench_data.build(bench_data.SCALES["quick"])
    awards = Award.objects.filter(body=data.body)
    last = data.scale.years[-1]

    assert 550 <= awards.count() <= 700
    assert data.counts["awards.Award"] == awards.count()
    # Mostly the grassroots titles and Giấy khen, to individuals.
    levels = Counter(awards.values_list("award_type__level", flat=True))
    assert levels[AwardType.Level.GRASSROOTS] > 0.7 * awards.count()
    kinds = Counter(awards.values_list("recipient_kind", flat=True))
    assert kinds["individual"] > kinds["collective"] > kinds["unit"] > 0
    # Earlier years decided or presented (a few rejected), each with its decision.
    earlier = awards.exclude(year=last)
    assert set(earlier.values_list("status", flat=True)) <= {
        Status.DECIDED, Status.PRESENTED, Status.REJECTED
    }  # fmt: skip
    granted = awards.filter(status__in=[Status.DECIDED, Status.PRESENTED])
    assert not granted.filter(decision__isnull=True).exists()
    assert not awards.exclude(pk__in=granted).filter(decision__isnull=False).exists()
    assert not awards.filter(status=Status.PRESENTED, presented_on__isnull=True).exists()
    # The latest year still climbs: something waits at every level.
    waiting = set(awards.filter(year=last, status=Status.SUBMITTED).values_list("stage", flat=True))
    assert waiting >= {Stage.BOARD, Stage.COUNCIL, Stage.AUTHORITY}
    assert awards.filter(year=last, status=Status.PROPOSED).exists()
    returned = awards.filter(year=last, status=Status.RETURNED)
    assert returned.exists()
    assert all(
        award.steps.filter(action=AwardStep.Action.RETURNED).exclude(reason="").exists()
        for award in returned
    )
    assert Batch.objects.filter(body=data.body).exists()
    # Names as printed: the person's name and position, the unit's name of that year.
    for award in awards.filter(recipient_kind="individual").select_related("person", "unit"):
        assert award.recipient_name == award.person.full_name
        assert award.recipient_position == award.person.position
        assert award.recipient_unit_name == award.unit.name
    # Decisions numbered as printed, a number once a year.
    numbers = list(Decision.objects.filter(body=data.body).values_list("year", "number"))
    assert len(numbers) == len(set(numbers))
    assert all("/QĐ-" in number for _year, number in numbers)
    assert Decision.objects.filter(number=data.decision_number).exists()
    # The commune formed by the merger has a history before it, under its predecessors.
    merged = data.merged_unit
    predecessors = UnitSuccession.objects.filter(successor=merged).values("predecessor")
    assert awards.filter(unit=merged, year=last).exists()
    assert awards.filter(unit__in=predecessors, year__lt=last).exists()
    # (Only the cluster's own awards go to a member unit as the bench's clusters keep it.)
    after = awards.filter(unit__in=predecessors, year=last).exclude(recipient_kind="unit")
    assert not after.exists()
    # The person of the selective search was awarded too.
    assert awards.filter(recipient_name=bench_data.RARE_NAME).count() == 2
    assert Initiative.objects.filter(person__body=data.body).exists()
    assert ReportedCount.objects.filter(cluster_year__cluster__body=data.body).exists()
    # A kept set finds the same rows again.
    loaded = bench_data.load(data.body)
    assert (loaded.merged_unit, loaded.decision_number) == (merged, data.decision_number)

    bench_data.remove(data.body)
    for model in (Award, AwardStep, Batch, Decision, Initiative, ReportedCount):
        assert not model.objects.exists(), model
    assert not Unit.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_the_award_types_are_the_national_ones_else_the_body_s_own(body):
    national = AwardType.objects.filter(body__isnull=True, name="Giấy khen").first()
    AwardType.objects.filter(body__isnull=True, name="Lao động tiên tiến").delete()

    types = bench_awards.award_types(body)

    assert types["GK"] == national
    assert types["LĐTT"].body == body
    assert types["LĐTT"].level == AwardType.Level.GRASSROOTS


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_the_award_search_can_read_the_trigram_indexes():
    from awards.filters import AwardFilter, DecisionFilter

    data = bench_data.build(bench_data.SCALES["quick"])
    awards = AwardFilter({"q": "luc thi thu thuy"}, queryset=Award.objects.all()).qs
    decisions = DecisionFilter({"q": data.decision_number}, queryset=Decision.objects.all()).qs

    with connection.cursor() as cursor:
        # Tiny tables are scanned whatever the indexes; forbid it to see what is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for queryset in (awards, decisions):
            sql, params = queryset.order_by().query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    assert "awards_award_search_text_trgm" in plans[0]
    assert "awards_decision_search_text_trgm" in plans[1]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_award_list_counts_a_type_or_a_level_from_an_index(staff_client, body):
    """The list's capped count by type and by level reads ``award_body_type_idx`` alone:
    without it, a scan of the table until the cap was found (14,000 rows for a type at
    province scale)."""
    from django.test.utils import CaptureQueriesContext

    certificate = AwardType.objects.get(name="Bằng khen của UBND tỉnh", body=None)
    counts = []
    for query in ({"award_type": certificate.pk}, {"level": "province"}):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("awards:award-list"), query).status_code == 200
        (count,) = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*) FROM (")]
        counts.append(count)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: see what is usable
        plans = []
        for sql in counts:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    for plan in plans:
        assert "Index Only Scan using award_body_type_idx" in plan, plan
