"""The ranking's section of the province summary: the leaders of each sheet, the same
whether ranked afresh or taken from the cache, and ranked again when anything they are
ranked from changes."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clusters.models import ClusterYear
from scoring.models import CriteriaSheet, Criterion, Level, Score
from scoring.summary import summary_ranking_blocks

pytestmark = pytest.mark.django_db


def leaders(cluster_year) -> list[str]:
    years = list(ClusterYear.objects.select_related("cluster").filter(pk=cluster_year.pk))
    with translation.override("vi"):
        blocks = summary_ranking_blocks(years, year=cluster_year.year)
    return blocks[1].rows[0].cells[2:]


@pytest.fixture
def scored(sheet, criteria, members, full_marks):
    """Full marks for everyone but Ba Bể (a point short on “Ngân sách”) and Pác Nặm (a
    deduction of two points)."""
    full_marks(
        values={
            (criteria["Ngân sách"], members["Ba Bể"]): Decimal(19),
            (criteria["Báo cáo chậm"], members["Pác Nặm"]): Decimal(2),
        }
    )
    cache.clear()
    return sheet


def test_the_leaders_are_the_rankings_first_three(cluster_year, scored):
    assert leaders(cluster_year) == [
        "Huyện Na Rì (100,00 điểm) — dự thảo",
        "Huyện Ba Bể (99,00 điểm) — dự thảo",
        "Huyện Pác Nặm (98,00 điểm) — dự thảo",
    ]


def test_leaders_from_the_cache_are_those_ranked_afresh(cluster_year, scored):
    fresh = leaders(cluster_year)
    cached = leaders(cluster_year)
    assert cached == fresh


def test_a_changed_score_is_ranked_again(cluster_year, scored, criteria, members, enter):
    leaders(cluster_year)  # in the cache
    enter(scored, Level.BOARD, {(criteria["Báo cáo chậm"], members["Pác Nặm"]): None})
    assert leaders(cluster_year) == [
        "Huyện Na Rì (100,00 điểm) — dự thảo",
        "Huyện Pác Nặm (100,00 điểm) — dự thảo",
        "Huyện Ba Bể (99,00 điểm) — dự thảo",
    ]


def test_a_score_changed_without_the_service_is_ranked_again(cluster_year, scored, members):
    """The cache is keyed by the scores themselves, not by the sheet's revision."""
    leaders(cluster_year)
    Score.objects.filter(member=members["Na Rì"]).update(board_score=Decimal(1))
    assert leaders(cluster_year)[-1] == "Huyện Na Rì (4,00 điểm) — dự thảo"


def test_a_changed_cap_is_ranked_again(cluster_year, scored):
    leaders(cluster_year)
    CriteriaSheet.objects.filter(pk=scored.pk).update(deduction_cap=Decimal(1))
    # Pác Nặm loses one point, not two: level with Ba Bể, ahead on the first group.
    assert leaders(cluster_year) == [
        "Huyện Na Rì (100,00 điểm) — dự thảo",
        "Huyện Pác Nặm (99,00 điểm) — dự thảo",
        "Huyện Ba Bể (99,00 điểm) — dự thảo",
    ]


def test_a_changed_criterion_is_ranked_again(cluster_year, scored, criteria):
    leaders(cluster_year)
    criteria["Ngân sách"].kind = Criterion.Kind.BONUS
    criteria["Ngân sách"].save()
    # Its points are now bonus points, capped at 3: Ba Bể and Na Rì level and sharing
    # the first rank, in Vietnamese order.
    assert leaders(cluster_year) == [
        "Huyện Ba Bể (83,00 điểm) — dự thảo",
        "Huyện Na Rì (83,00 điểm) — dự thảo",
        "Huyện Pác Nặm (81,00 điểm) — dự thảo",
    ]


def test_the_section_takes_the_same_queries_from_the_cache(cluster_year, scored):
    with CaptureQueriesContext(connection) as fresh:
        leaders(cluster_year)
    with CaptureQueriesContext(connection) as cached:
        leaders(cluster_year)
    # The cluster year (this test's own), the sheets, their criteria, the scores, the
    # members.
    assert (len(fresh), len(cached)) == (5, 5)
