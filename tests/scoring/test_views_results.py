"""The results page: ranking, chart data, pledge attainment, approval and reopening."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.models import Meeting
from pledges import services as pledge_services
from pledges.models import Period
from pledges.services import Cell
from scoring.models import CriteriaSheet
from tests.factories import ClusterYearFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def results_url(sheet):
    return reverse("scoring:criteriasheet-results", args=[sheet.pk])


def test_the_results_page_ranks_members_with_totals_gaps_and_notes(viewer_client, scored):
    response = viewer_client.get(results_url(scored))

    ranking = response.context["ranking"]
    assert [(s.rank, s.unit.name, s.total, s.gap) for s in ranking.standings] == [
        (1, "Huyện Na Rì", Decimal("95.5"), Decimal("3.5")),
        (2, "Huyện Pác Nặm", Decimal(92), Decimal(3)),
        (3, "Huyện Ba Bể", Decimal(89), None),
    ]
    html = response.content.decode()
    assert '<td class="num fw-bold total">95.50</td>' in html
    assert "Cannot rank first: 9.00 of 10.00 points on the veto criterion “Kỷ luật”." in html
    # The charts are SVG drawn on the server: no chart library, no script.
    assert 'aria-label="Total points of each member, in rank order"' in html
    assert "chart.js" not in html and "js/scoring.js" not in html
    # A viewer reads: no approval form, no score entry.
    assert 'id="approve-form"' not in html
    assert response.context["levels"] == []


def test_the_results_page_shows_each_members_pledge_attainment(
    staff_client, scored, cluster_year, members
):
    pledge = pledge_services.pledge_create(cluster_year=cluster_year, theme="Đoàn kết")
    targets = pledge_services.targets_save(
        pledge=pledge,
        rows=[{"order": n, "name": f"Chỉ tiêu {n}", "measure": "number"} for n in (1, 2, 3)],
    )
    pledge_services.commitments_save(
        pledge=pledge,
        cells={(t.pk, m.pk): Cell(Decimal(10)) for t in targets for m in members.values()},
    )
    actual = {"Na Rì": (12, 10, 11), "Pác Nặm": (9, 10, 8), "Ba Bể": (10, 10, 10)}
    pledge_services.results_save(
        period=Period.objects.get(pledge=pledge, kind=Period.Kind.YEAR_END),
        cells={
            (t.pk, members[unit].pk): Cell(Decimal(values[index]))
            for unit, values in actual.items()
            for index, t in enumerate(targets)
        },
    )

    response = staff_client.get(results_url(scored))

    assert [
        (s.unit.short_name, s.attainment.successes, s.attainment.judged)
        for s in response.context["ranking"].standings
    ] == [("Na Rì", 3, 3), ("Pác Nặm", 1, 3), ("Ba Bể", 3, 3)]
    assert "1/3 targets met" in response.content.decode()
    grid = staff_client.get(reverse("scoring:criteriasheet-scores", args=[scored.pk, "board"]))
    assert "3/3 targets met" in grid.content.decode()


def test_the_secretary_records_the_approval_at_the_year_end_meeting(
    secretary_client, secretary, scored, year_end_meeting
):
    page = secretary_client.get(results_url(scored))
    assert page.context["approval_meetings"] == [year_end_meeting]

    response = secretary_client.post(
        reverse("scoring:criteriasheet-approve", args=[scored.pk]),
        {"meeting": year_end_meeting.pk},
        follow=True,
    )

    scored.refresh_from_db()
    assert scored.status == CriteriaSheet.Status.APPROVED
    assert (scored.approved_meeting, scored.approved_by) == (year_end_meeting, secretary)
    assert [str(m) for m in response.context["messages"]] == [
        "The ranking is approved and its scores are now frozen; staff can reopen it, "
        "giving the reason."
    ]
    assert "Approved at “Tổng kết công tác thi đua, khen thưởng năm 2023”" in (
        response.content.decode()
    )


def test_a_meeting_of_another_cluster_cannot_approve(
    staff_client, scored, other_cluster, year_end_meeting
):
    foreign = Meeting.objects.create(
        cluster_year=other_cluster.years.get(),
        kind=Meeting.Kind.YEAR_END,
        title="Tổng kết",
        starts_at=datetime.datetime(2024, 1, 10, tzinfo=datetime.UTC),
        status=Meeting.Status.HELD,
    )

    response = staff_client.post(
        reverse("scoring:criteriasheet-approve", args=[scored.pk]), {"meeting": foreign.pk}
    )

    assert response.status_code == 404
    scored.refresh_from_db()
    assert scored.status == CriteriaSheet.Status.SCORING


def test_without_a_held_year_end_meeting_the_page_says_what_to_do(staff_client, scored, cluster):
    ClusterYearFactory(cluster=cluster, year=2022)  # nothing held for 2023

    response = staff_client.get(results_url(scored))

    assert response.context["approval_meetings"] == []
    assert "record that meeting (held) to approve it here" in response.content.decode()


def test_staff_reopen_an_approved_ranking_and_secretaries_cannot(
    staff_client, secretary_client, scored, year_end_meeting
):
    secretary_client.post(
        reverse("scoring:criteriasheet-approve", args=[scored.pk]),
        {"meeting": year_end_meeting.pk},
    )
    url = reverse("scoring:criteriasheet-reopen", args=[scored.pk])

    assert secretary_client.post(url, {"reason": "Sửa điểm"}).status_code == 403
    staff_client.post(url, {"reason": "Sửa điểm"})

    scored.refresh_from_db()
    assert scored.status == CriteriaSheet.Status.SCORING


def test_missing_scores_are_announced(staff_client, sheet, criteria, members, enter):
    from scoring.models import Level

    enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Na Rì"]): 40})

    response = staff_client.get(results_url(sheet))

    assert "11 scores are still missing; missing scores count as zero." in (
        response.content.decode()
    )


def test_the_cluster_year_page_shows_the_sheet_status_and_the_top_three(
    viewer_client, scored, cluster_year
):
    response = viewer_client.get(cluster_year.get_absolute_url())

    html = response.content.decode()
    assert 'id="scoring-section"' in html
    section = next(s for s in response.context["sections"] if s.template.startswith("scoring/"))
    assert [(s.rank, s.unit.name) for s in section.context["top"]] == [
        (1, "Huyện Na Rì"),
        (2, "Huyện Pác Nặm"),
        (3, "Huyện Ba Bể"),
    ]
    assert "95.50" in html
    assert reverse("scoring:criteriasheet-results", args=[scored.pk]) in html


def test_the_cluster_year_page_offers_to_draw_up_the_sheet(secretary_client, cluster_year):
    response = secretary_client.get(cluster_year.get_absolute_url())

    assert reverse("scoring:criteriasheet-create", args=[cluster_year.pk]) in (
        response.content.decode()
    )
