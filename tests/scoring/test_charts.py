"""The scoring charts: on the results page and in the score summary (PDF; the Word file
has their titles), in the year-end report's ranking section; each member's rank over
the years with its gaps; queries that do not grow with the members or the years."""

import datetime
import io
import subprocess

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from clusters.models import ClusterYear
from clusters.selectors import member_list
from core.documents.model import Chart, Document, DocumentHeader, Paragraph
from core.documents.parity import assert_same_words
from meetings.models import Meeting
from scoring import services
from scoring.documents import (
    FEW_YEARS,
    render_results_docx,
    render_results_pdf,
    report_ranking_blocks,
)
from scoring.models import CriteriaSheet, Score
from scoring.rank_history import rank_history
from scoring.selectors import ranking_of
from tests.factories import ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory

SVG = "{http://www.w3.org/2000/svg}"
TOTALS_2023 = "Tổng điểm thi đua năm 2023 của các đơn vị thành viên, theo thứ hạng"
GROUPS_2023 = "Điểm theo từng nhóm tiêu chí năm 2023 của các đơn vị thành viên"


def loaded(sheet) -> CriteriaSheet:
    return CriteriaSheet.objects.select_related(
        "cluster_year__cluster__body", "approved_meeting"
    ).get(pk=sheet.pk)


def svg_in(html: str, card_id: str):
    """The <svg> element of the page's card ``card_id``, parsed."""
    card = html[html.index(f'id="{card_id}"') :]
    start, end = card.index("<svg"), card.index("</svg>") + len("</svg>")
    return etree.fromstring(card[start:end].encode())


def labels_top_down(root) -> list[str]:
    """The category names beside horizontal bars, from the top of the chart down."""
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("axis y"))
    texts = [(float(t.get("y")), " ".join(t.itertext())) for t in axis.iter(f"{SVG}text")]
    return [name for _y, name in sorted(texts)]


def drawn(root) -> list[str]:
    return [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.fixture
def past_year(cluster, body, units):
    """``past_year(2021, {"Na Rì": 90, …}, approved=True)``: an earlier year of the cluster
    whose members (by short name; new names make new units) scored these totals on a
    one-criterion sheet."""
    by_short_name = {unit.short_name: unit for unit in units}

    def make(year, totals, approved=True):
        cluster_year = ClusterYearFactory(cluster=cluster, year=year)
        sheet = CriteriaSheetFactory(cluster_year=cluster_year, status=CriteriaSheet.Status.SCORING)
        criterion = CriterionFactory(sheet=sheet, group="I", max_points=100)
        for short_name, points in totals.items():
            unit = by_short_name.get(short_name) or UnitFactory(
                body=body, name=f"Huyện {short_name}", short_name=short_name
            )
            member = ClusterMemberFactory(cluster_year=cluster_year, unit=unit)
            Score.objects.create(criterion=criterion, member=member, board_score=points)
        if approved:
            services.ranking_approve(sheet=sheet, meeting=_year_end(cluster_year))
        return cluster_year

    return make


def _year_end(cluster_year) -> Meeting:
    return Meeting.objects.create(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title=f"Tổng kết công tác thi đua, khen thưởng năm {cluster_year.year}",
        starts_at=datetime.datetime(cluster_year.year + 1, 1, 15, 1, 0, tzinfo=datetime.UTC),
        status=Meeting.Status.HELD,
    )


@pytest.fixture
def approved(scored, year_end_meeting):
    """The 2023 ranking of ``scored`` (Na Rì, Pác Nặm, Ba Bể), approved."""
    services.ranking_approve(sheet=scored, meeting=year_end_meeting)
    return loaded(scored)


# --- The results page -------------------------------------------------------------------------


def test_the_results_page_draws_the_totals_in_rank_order_as_svg(viewer_client, scored):
    response = viewer_client.get(reverse("scoring:criteriasheet-results", args=[scored.pk]))

    html = response.content.decode()
    totals = svg_in(html, "totals-chart")
    assert totals.get("aria-label") == "Tổng điểm của từng đơn vị theo thứ hạng"
    assert labels_top_down(totals) == ["Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể"]
    assert {"95,50", "92,00", "89,00"} <= set(drawn(totals))
    groups = svg_in(html, "groups-chart")
    assert labels_top_down(groups) == ["Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể"]
    assert {"I. Thực hiện nhiệm vụ chính trị", "II. Công tác thi đua, khen thưởng"} <= set(
        drawn(groups)
    )
    # One year of rankings (not even approved): a sentence, not a chart.
    assert "ranks" not in response.context["charts"]
    ranks_card = html[html.index('id="ranks-chart"') :]
    assert "Cần kết quả xếp hạng đã được thông qua của ít nhất hai năm" in ranks_card[:800]
    assert "<script" not in html[html.index('id="totals-chart"') : html.index('id="change-log"')]


def test_the_results_page_draws_the_ranks_over_the_years(viewer_client, approved, past_year):
    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90})

    response = viewer_client.get(reverse("scoring:criteriasheet-results", args=[approved.pk]))

    ranks = svg_in(response.content.decode(), "ranks-chart")
    printed = drawn(ranks)
    assert {"2022", "2023", "Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể"} <= set(printed)
    assert ranks.get("aria-label") == "Thứ hạng của từng đơn vị qua các năm, hạng 1 ở trên cùng"


def test_a_page_without_scores_has_no_bar_chart(viewer_client, sheet):
    response = viewer_client.get(reverse("scoring:criteriasheet-results", args=[sheet.pk]))

    html = response.content.decode()
    assert 'id="totals-chart"' not in html and 'id="groups-chart"' not in html
    assert 'id="ranks-chart"' in html


# --- Ranks over the years ---------------------------------------------------------------------


def test_the_rank_history_has_each_members_rank_per_approved_year_with_gaps(
    approved, cluster_year, past_year
):
    past_year(2020, {"Na Rì": 70, "Ba Bể": 75, "Chợ Đồn": 80})
    past_year(2021, {"Na Rì": 70, "Ba Bể": 60}, approved=False)  # not approved: left out
    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90, "Ba Bể": 85})

    history = rank_history(cluster_year, ranking_of(approved))

    assert history.years == [2020, 2022, 2023]
    assert [(line.unit.name, line.ranks) for line in history.lines] == [
        ("Huyện Na Rì", [3, 3, 1]),
        ("Huyện Pác Nặm", [None, 1, 2]),  # not a member in 2020
        ("Huyện Ba Bể", [2, 2, 3]),
    ]  # Chợ Đồn, no longer a member, has no line
    assert history.is_enough


def test_a_ranking_not_yet_approved_is_not_a_year_of_the_history(scored, cluster_year, past_year):
    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90, "Ba Bể": 85})

    history = rank_history(cluster_year, ranking_of(scored))

    assert history.years == [2022]
    assert not history.is_enough
    # In the order of this year's members, as nothing ranks them yet.
    assert [line.unit.name for line in history.lines] == [
        "Huyện Na Rì",
        "Huyện Pác Nặm",
        "Huyện Ba Bể",
    ]


def test_another_clusters_years_are_not_in_the_history(approved, cluster_year, other_cluster):
    other_year = ClusterYear.objects.get(cluster=other_cluster, year=2023)
    earlier = ClusterYearFactory(cluster=other_cluster, year=2022)
    sheet = CriteriaSheetFactory(cluster_year=earlier, status=CriteriaSheet.Status.SCORING)
    CriterionFactory(sheet=sheet, group="I", max_points=100)
    services.ranking_approve(sheet=sheet, meeting=_year_end(earlier))

    assert rank_history(cluster_year, ranking_of(approved)).years == [2023]
    assert rank_history(other_year).years == []


def test_the_rank_history_takes_three_queries_for_one_earlier_year_as_for_three(
    approved, cluster_year, past_year
):
    ranking = ranking_of(approved)
    member_list(cluster_year)  # loaded by the page before

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rank_history(cluster_year, ranking)
        return len(queries)

    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90})
    with_one = count()
    past_year(2021, {"Na Rì": 80, "Ba Bể": 90})
    past_year(2020, {"Pác Nặm": 80, "Ba Bể": 90, "Chợ Mới": 70})
    assert count() == with_one == 3  # criteria with sheets, members, scores
    assert rank_history(cluster_year, ranking).years == [2020, 2021, 2022, 2023]


def test_the_results_page_takes_as_many_queries_with_one_earlier_year_as_with_three(
    staff_client, approved, past_year, assert_constant_queries
):
    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90})
    url = reverse("scoring:criteriasheet-results", args=[approved.pk])

    def add_two_more():
        past_year(2021, {"Na Rì": 80, "Ba Bể": 90})
        past_year(2020, {"Pác Nặm": 80, "Ba Bể": 90})

    first, second = assert_constant_queries(
        staff_client, url, add_two_more=add_two_more, ceiling=15
    )
    assert "2020" not in drawn(svg_in(first.content.decode(), "ranks-chart"))
    assert "2020" in drawn(svg_in(second.content.decode(), "ranks-chart"))


def test_the_results_page_takes_as_many_queries_with_one_member_as_with_three(
    staff_client, sheet, criteria, members, add_member, past_year, assert_constant_queries
):
    for member in members.values():
        if member.unit.short_name != "Na Rì":
            member.delete()
    for criterion in criteria.values():
        Score.objects.create(criterion=criterion, member=members["Na Rì"], board_score=1)
    CriteriaSheet.objects.filter(pk=sheet.pk).update(status=CriteriaSheet.Status.SCORING)
    services.ranking_approve(sheet=sheet, meeting=_year_end(sheet.cluster_year))
    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90, "Ba Bể": 70})
    url = reverse("scoring:criteriasheet-results", args=[sheet.pk])

    def add_two_more():
        for name in ("Huyện Chợ Đồn", "Huyện Chợ Mới"):
            member = add_member(name)
            for criterion in criteria.values():
                Score.objects.create(criterion=criterion, member=member, board_score=1)

    first, second = assert_constant_queries(
        staff_client, url, add_two_more=add_two_more, ceiling=15
    )
    assert len(first.context["ranking"].standings) == 1
    assert len(second.context["ranking"].standings) == 3
    assert (
        set(first.context["charts"])
        == set(second.context["charts"])
        == {
            "totals",
            "groups",
            "ranks",
        }
    )


# --- The documents ---------------------------------------------------------------------------


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "results.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_score_summary_pdf_draws_the_totals_and_the_groups(scored, tmp_path):
    text = _pdf_text(render_results_pdf(sheet=loaded(scored)), tmp_path)

    assert TOTALS_2023 in text and GROUPS_2023 in text
    # The groups' names are the chart's legend (the table says "Nhóm I (60)").
    assert "I. Thực hiện nhiệm vụ chính trị" in text
    assert "II. Công tác thi đua, khen thưởng" in text
    # Each total twice: in the table and beside its bar.
    assert text.count("95,50") == 2 and text.count("89,00") == 2


def test_the_score_summary_word_file_has_the_chart_titles_only(scored):
    body = docx.Document(io.BytesIO(render_results_docx(sheet=loaded(scored))))
    paragraphs = [paragraph.text for paragraph in body.paragraphs]

    assert TOTALS_2023 in paragraphs and GROUPS_2023 in paragraphs
    assert "I. Thực hiện nhiệm vụ chính trị" not in "\n".join(paragraphs)


def test_the_report_section_has_the_charts_and_says_when_years_are_too_few(scored, cluster_year):
    blocks = report_ranking_blocks(ClusterYear.objects.get(pk=cluster_year.pk))

    charts = [block.title for block in blocks if isinstance(block, Chart)]
    assert charts == [TOTALS_2023, GROUPS_2023]
    assert blocks[-1] == Paragraph(FEW_YEARS)


def test_the_report_section_draws_the_ranks_of_the_approved_years(
    approved, cluster_year, past_year
):
    past_year(2021, {"Na Rì": 80, "Pác Nặm": 90, "Ba Bể": 70})

    blocks = report_ranking_blocks(ClusterYear.objects.get(pk=cluster_year.pk))

    chart = blocks[-1]
    assert chart.title == "Thứ hạng của các đơn vị thành viên từ năm 2021 đến năm 2023"
    printed = drawn(etree.fromstring(chart.svg.encode()))
    assert {"2021", "2023", "Huyện Na Rì", "Huyện Ba Bể", "1", "2", "3"} <= set(printed)
    # Printed, the section says in Word what it says in the PDF, the charts aside.
    header = DocumentHeader(parent_body="UBND tỉnh Bắc Kạn", issuer="Cụm thi đua")
    assert_same_words(Document(header=header, title="Báo cáo tổng kết", blocks=blocks))


def test_the_report_section_takes_as_many_queries_for_one_earlier_year_as_for_three(
    approved, cluster_year, past_year
):
    def count() -> int:
        year = ClusterYear.objects.get(pk=cluster_year.pk)
        with CaptureQueriesContext(connection) as queries:
            report_ranking_blocks(year)
        return len(queries)

    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90})
    with_one = count()
    past_year(2021, {"Na Rì": 80})
    past_year(2020, {"Ba Bể": 80})
    # Sheet, members, scores of this year; criteria, members, scores of the others.
    assert count() == with_one == 6


def test_approving_through_the_service_puts_this_year_on_the_chart(
    scored, year_end_meeting, cluster_year, past_year
):
    past_year(2022, {"Na Rì": 80, "Pác Nặm": 90, "Ba Bể": 85})
    services.ranking_approve(sheet=scored, meeting=year_end_meeting)

    history = rank_history(cluster_year, ranking_of(loaded(scored)))

    assert history.years == [2022, 2023]
    assert [line.ranks for line in history.lines] == [[3, 1], [1, 2], [2, 3]]
