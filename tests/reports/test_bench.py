"""``manage.py bench``: the quick scale runs end to end, so the command cannot rot.

The figures themselves are not judged here (budgets live in the command's output, never
in timed unit tests); what is checked is that every page answered 200 and has its
figures, and that a page answering otherwise stops the run.
"""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clusters.models import AwardType, Cluster, Person, Unit, VoteRule
from meetings.models import Meeting
from reports.bench import data as bench_data
from reports.bench import measure
from reports.bench.budgets import BUDGETS
from reports.bench.budgets import verdict as budget_verdict
from tests.factories import UnitFactory
from votes import public, services
from votes.models import BallotCode, Candidate, Vote
from votes.results import compute_results

Purpose = VoteRule.Purpose

PAGES = {
    "dashboard",
    "cluster_list",
    "cluster_year_list",
    "cluster_year",
    "unit_list",
    "unit_list_deep",
    "people_list",
    "people_list_deep",
    "people_list_last",
    "people_search",
    "search_broad",
    "search_selective",
    "search_short_ly_ma",
    "search_short_na_ri",
    "pledge",
    "pledge_targets",
    "pledge_commitments",
    "pledge_registrations",
    "pledge_signatures",
    "results_grid",
    "expectations_grid",
    "heat_table",
    "meeting_list",
    "meeting",
    "exemplar_list",
    "scoring_grid",
    "ranking",
    "unit_history",
    "person",
    "province_summary",
    "audit_log",
    "pledge_history",
    "vote_list",
    "vote",
    "hall_screen",
}
BASELINES = {"admin_changelist", "admin_search", "admin_awards", "admin_awards_search", "floor"}
DOCUMENTS = {"pledge_pdf_s", "minutes_pdf_s", "year_end_pdf_s", "year_zip_s"}


def _is_figure(page: dict) -> bool:
    return (
        set(page) == {"p50_ms", "p95_ms", "queries"}
        and all(isinstance(page[key], float) and page[key] > 0 for key in ("p50_ms", "p95_ms"))
        and page["p95_ms"] >= page["p50_ms"]
        and type(page["queries"]) is int
        and page["queries"] > 0
    )


@pytest.mark.django_db
def test_it_measures_every_page_and_writes_the_figures(tmp_path, capsys):
    path = tmp_path / "bench.json"

    call_command("bench", scale="quick", json=str(path), samples=2)

    figures = json.loads(path.read_text(encoding="utf-8"))
    assert set(figures) == {
        "scale", "pages", "baselines", "skipped", "documents", "excel", "ballots"
    }  # fmt: skip
    assert figures["scale"] == "quick"
    # The award pages too (tests/awards/test_bench.py), but those whose view is missing.
    awards = set(measure.AWARD_PAGES) - set(figures["skipped"])
    assert set(figures["pages"]) == PAGES | awards
    assert set(figures["baselines"]) == BASELINES
    not_figures = {
        name: page
        for name, page in {**figures["pages"], **figures["baselines"]}.items()
        if not _is_figure(page)
    }
    assert not_figures == {}
    assert set(figures["documents"]) == DOCUMENTS
    assert all(seconds > 0 for seconds in figures["documents"].values())
    assert set(figures["excel"]) == {
        "import_rows_per_s", "export_rows_per_s",
        "award_import_preview_rows_per_s", "award_import_rows_per_s",
    }  # fmt: skip
    assert all(rate > 0 for rate in figures["excel"].values())
    ballots = figures["ballots"]
    assert set(ballots) == {
        "cast", "counted", "ballots_per_s", "double_use_refused", "clients", "concurrent", "ok",
        "problems",
    }  # fmt: skip
    # Inside the test's transaction the clients take turns; the race is tested below.
    assert (ballots["cast"], ballots["counted"], ballots["concurrent"]) == (200, 200, False)
    assert ballots["double_use_refused"] == 3 * ballots["clients"] == 24
    assert (ballots["ok"], ballots["problems"]) == (True, [])
    assert ballots["ballots_per_s"] > 0
    table = capsys.readouterr().out
    assert "admin_changelist" in table and "× floor" in table
    # Every page judged against the budget of its kind.
    for name in figures["pages"]:
        assert re.search(rf"^{name} +{BUDGETS[name].kind} .*  (ok|OVER: .+)$", table, re.M), name
    assert "ballots: 200 cast, 200 counted," in table and "ERROR" not in table
    # The data set is gone again.
    assert not Unit.objects.exists() and not Person.objects.exists()


def test_every_page_measured_has_a_budget():
    assert (PAGES | set(measure.AWARD_PAGES)) - set(BUDGETS) == set()


@pytest.mark.parametrize(
    ("name", "page", "expected"),
    [
        ("search_selective", (20, 24, 5), ("0.20", "ok")),
        ("search_selective", (20, 30, 5), ("0.20", "OVER: p95 > 25 ms")),
        ("search_selective", (40, 24, 9), ("0.40", "OVER: 9 queries > 8, × admin_search > 0.35")),
        ("people_list", (20, 30, 5), ("0.40", "OVER: × admin_changelist > 0.35")),
        ("dashboard", (70, 79, 15), ("", "ok")),
        ("province_summary", (90, 151, 16), ("", "OVER: p95 > 150 ms, 16 queries > 15")),
        ("something_new", (1, 1, 1), ("", "no budget")),
    ],
)
def test_a_page_is_judged_by_the_budget_of_its_kind_and_its_baseline(name, page, expected):
    p50, p95, queries = page
    baselines = {"admin_changelist": {"p50_ms": 50.0}, "admin_search": {"p50_ms": 100.0}}
    figures = {"p50_ms": p50, "p95_ms": p95, "queries": queries}

    assert budget_verdict(name, figures, baselines) == expected


@pytest.mark.django_db
def test_with_force_it_runs_beside_other_data_and_keeps_its_own_when_asked():
    other = UnitFactory(name="Huyện Na Rì")

    call_command("bench", scale="quick", samples=1, keep=True, force=True)

    assert Cluster.objects.count() == 2
    assert Person.objects.filter(full_name="Lục Thị Thu Thủy").exists()
    assert Unit.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_reuse_measures_a_kept_data_set_and_only_the_pages_asked_for(tmp_path):
    call_command("bench", scale="quick", samples=1, keep=True)
    people = Person.objects.count()
    path = tmp_path / "bench.json"

    call_command("bench", reuse=True, only="people_list,ranking", samples=1, json=str(path))

    figures = json.loads(path.read_text(encoding="utf-8"))
    assert figures["scale"] == "quick"
    assert set(figures["pages"]) == {
        "people_list",
        "people_list_deep",
        "people_list_last",
        "ranking",
    }
    assert set(figures["baselines"]) == BASELINES
    assert (figures["documents"], figures["excel"]) == ({}, {})
    # Nothing was built or removed.
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_reuse_without_a_kept_data_set_says_so():
    with pytest.raises(CommandError, match="--keep"):
        call_command("bench", reuse=True, samples=1)


@pytest.mark.django_db
def test_a_page_not_answering_200_stops_the_run(monkeypatch):
    pages = measure.main_pages

    def with_a_missing_page(data):
        return [*pages(data), measure.Page("missing", "/no-such-page/")]

    monkeypatch.setattr(measure, "main_pages", with_a_missing_page)
    other = UnitFactory(name="Huyện Na Rì")

    with pytest.raises(CommandError, match=r"missing: GET /no-such-page/ answered 404"):
        call_command("bench", scale="quick", samples=1, force=True)
    # Its own data set is deleted all the same; the other data is left alone.
    assert list(Unit.objects.all()) == [other]
    assert not Cluster.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_database_holding_other_units():
    UnitFactory(name="Huyện Na Rì")

    with pytest.raises(CommandError, match="--force"):
        call_command("bench", scale="quick", samples=1)
    assert Unit.objects.count() == 1


@pytest.mark.django_db
def test_the_votes_of_the_year_end_meetings_are_stored_as_counted_and_removed_with_the_set():
    call_command("bench", scale="quick", samples=1, keep=True, only="vote")

    body = bench_data.bench_body()
    votes = list(
        Vote.objects.filter(meeting__cluster_year__cluster__body=body)
        .select_related("meeting__cluster_year", "rule")
        .order_by("pk")
    )
    # Two clusters (a cluster and a bloc) × two years × head, deputy and a nomination.
    assert len(votes) == 12
    assert {vote.meeting.kind for vote in votes} == {Meeting.Kind.YEAR_END}
    for vote in votes:
        counts, problems = services.vote_counts(vote)
        assert problems == []
        assert vote.results == compute_results(
            rule=vote.rule,
            seats=vote.seats,
            eligible=vote.eligible_count,
            present=vote.present_count,
            counts=counts,
            labels=services.candidate_labels(vote),
        )
        assert vote.present_count == vote.voters.count() == counts.issued
        year = vote.meeting.cluster_year
        if year.year == 2025:
            assert vote.status == Vote.Status.CLOSED
        else:
            assert vote.status == Vote.Status.CONFIRMED
            if vote.purpose in (Purpose.HEAD, Purpose.DEPUTY):
                (winner,) = vote.results["winners"]
                elected = Candidate.objects.get(pk=winner).member.unit_id
                next_leader = (
                    year.next_head_id if vote.purpose == Purpose.HEAD else (year.next_deputy_id)
                )
                assert elected == next_leader

    bench_data.remove(body)
    assert not Vote.objects.exists() and not Candidate.objects.exists()
    assert not AwardType.objects.filter(body__isnull=False).exists()
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_ballots_that_do_not_count_right_fail_the_run(monkeypatch, tmp_path, capsys):
    # A page that thanks the voter but stores nothing: cast, never counted.
    monkeypatch.setattr(public.services, "ballot_cast", lambda **kwargs: None)
    path = tmp_path / "bench.json"

    with pytest.raises(CommandError, match=r"ballots: 200 codes: 200 cast, 0 counted"):
        call_command("bench", scale="quick", samples=1, only="ballots", json=str(path))

    ballots = json.loads(path.read_text(encoding="utf-8"))["ballots"]
    assert (ballots["cast"], ballots["counted"], ballots["ok"]) == (200, 0, False)
    assert ballots["double_use_refused"] == 0
    assert "ERROR ballots: 24 used codes sent again, only 0 refused" in capsys.readouterr().out
    assert not Unit.objects.exists() and not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
def test_concurrent_clients_cast_every_ballot_once(default_vote_rules, tmp_path):
    path = tmp_path / "bench.json"

    call_command("bench", scale="quick", samples=1, only="ballots", json=str(path))

    ballots = json.loads(path.read_text(encoding="utf-8"))["ballots"]
    assert (ballots["concurrent"], ballots["clients"]) == (True, 8)
    assert (ballots["cast"], ballots["counted"], ballots["double_use_refused"]) == (200, 200, 24)
    assert (ballots["ok"], ballots["problems"]) == (True, [])
    assert not Unit.objects.exists() and not BallotCode.objects.exists()
