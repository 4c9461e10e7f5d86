"""The demo votes of seed 000 (``manage.py seed_demo``): the Bắc Kạn year-end conference
of 7/2/2023 nominated Na Rì for the provincial flag, Chợ Mới and Pác Nặm for Bằng khen,
and elected Na Rì head and Pác Nặm deputy for 2023, unanimously."""

import io

import pytest
from django.core.management import call_command

from clusters.models import ClusterYear
from votes.models import Candidate, Tally, TallyLine, Teller, Vote, Voter

pytestmark = pytest.mark.django_db

MODELS = [Vote, Candidate, Voter, Teller, Tally, TallyLine]


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def summary(vote: Vote) -> tuple:
    results = vote.results
    return (
        vote.title,
        vote.purpose,
        vote.award_type.name if vote.award_type_id else None,
        vote.status,
        results["eligible"],
        results["present"],
        results["issued"],
        results["valid"],
        [(c["label"], c["votes"], c["percent"], c["winner"]) for c in results["candidates"]],
    )


def test_the_bac_kan_votes_are_confirmed_with_the_results_of_seed_000():
    seed()
    votes = Vote.objects.filter(meeting__cluster_year__year=2022).select_related("award_type")
    assert [summary(vote) for vote in votes.order_by("pk")] == [
        (
            "Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh năm 2022",
            "nomination", "Cờ thi đua của UBND tỉnh", "confirmed", 8, 8, 8, 8,
            [("Huyện Na Rì", 8, "100.00", True)],
        ),
        (
            "Suy tôn đơn vị đề nghị tặng Bằng khen của UBND tỉnh năm 2022",
            "nomination", "Bằng khen của UBND tỉnh", "confirmed", 8, 8, 8, 8,
            [("Huyện Chợ Mới", 8, "100.00", True), ("Huyện Pác Nặm", 8, "100.00", True)],
        ),
        (
            "Bầu Cụm trưởng Cụm thi đua các huyện, thành phố năm 2023",
            "head", None, "confirmed", 8, 8, 8, 8,
            [("Huyện Na Rì", 8, "100.00", True)],
        ),
        (
            "Bầu Cụm phó Cụm thi đua các huyện, thành phố năm 2023",
            "deputy", None, "confirmed", 8, 8, 8, 8,
            [("Huyện Pác Nặm", 8, "100.00", True)],
        ),
    ]  # fmt: skip
    tellers = Teller.objects.filter(vote=votes.order_by("pk").first()).order_by("order")
    assert [t.full_name for t in tellers] == ["Hoàng Thị Thu Hằng", "Lý Văn Thắng"]
    year = ClusterYear.objects.select_related("next_head", "next_deputy").get(
        cluster__name="Cụm thi đua các huyện, thành phố", year=2022
    )
    assert (year.next_head.name, year.next_deputy.name) == ("Huyện Na Rì", "Huyện Pác Nặm")


def test_seeding_twice_changes_nothing():
    seed()
    first = counts()
    results = list(Vote.objects.order_by("pk").values_list("pk", "status", "results"))
    seed()
    assert counts() == first
    assert first == {"Vote": 4, "Candidate": 5, "Voter": 32, "Teller": 8, "Tally": 8,
                     "TallyLine": 10}  # fmt: skip
    assert list(Vote.objects.order_by("pk").values_list("pk", "status", "results")) == results
