"""The awards' sections of the year-end report and of the province summary."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import Award, RecipientKind, ReportedCount
from awards.reports import award_blocks, summary_award_blocks
from clusters.models import AwardType, ClusterYear
from clusters.reports import MID_YEAR, YEAR_END, report_sections, summary_sections
from core.documents.model import Chart, Heading, Paragraph, Table
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.awards import AwardFactory, DecisionFactory, ReportedCountFactory, award_type

pytestmark = pytest.mark.django_db


def table_rows(blocks, index=0):
    tables = [block for block in blocks if isinstance(block, Table)]
    return [row.cells for row in tables[index].rows]


@pytest.fixture
def year_awards(body, units, cluster_year):
    """2023: Na Rì's flag decided (decision 345/QĐ-UBND of 10/3/2024), Pác Nặm's Bằng
    khen at the council, Ba Bể's proposal not yet sent; Na Rì reported its Giấy khen."""
    na_ri, ba_be, pac_nam = units
    decision = DecisionFactory(
        body=body, number="345/QĐ-UBND", signed_on=datetime.date(2024, 3, 10),
        authority="Chủ tịch UBND tỉnh Bắc Kạn",
    )  # fmt: skip
    AwardFactory(body=body, cluster_year=cluster_year, year=2023, unit=na_ri,
                 award_type=award_type("Cờ thi đua của UBND tỉnh"),
                 recipient_name="Nhân dân và cán bộ huyện Na Rì", decision=decision)  # fmt: skip
    AwardFactory(body=body, cluster_year=cluster_year, year=2023, unit=pac_nam,
                 status=Award.Status.SUBMITTED, stage="council", decision=None)  # fmt: skip
    AwardFactory(body=body, cluster_year=cluster_year, year=2023, unit=ba_be,
                 status=Award.Status.PROPOSED, stage="cluster", decision=None)  # fmt: skip
    ReportedCountFactory(
        cluster_year=cluster_year,
        unit=na_ri,
        count=1315,
        period=ReportedCount.Period.MID_YEAR,
        note="Chủ tịch UBND huyện",
    )
    ReportedCountFactory(cluster_year=cluster_year, unit=na_ri, count=9294, kind="individual")
    return cluster_year


def test_the_sections_are_registered_after_the_votes():
    assert report_sections["awards"].order > report_sections["votes"].order
    assert report_sections["awards"].title == "KHEN THƯỞNG"
    assert "awards" in summary_sections


def test_the_year_end_section_lists_each_award_and_where_it_is(year_awards):
    blocks = award_blocks(year_awards, period=YEAR_END)
    assert blocks[0] == Heading("1. Khen thưởng đề nghị và đã có quyết định", level=2)
    assert blocks[1].text == (
        "Năm 2023, cụm thi đua đề nghị khen thưởng 3 lượt (3 lượt tập thể, 0 lượt cá nhân); "
        "đã có quyết định khen thưởng cho 1 lượt."
    )
    assert table_rows(blocks) == [
        ["1", "Huyện Ba Bể", "Bằng khen của UBND tỉnh", "Đề nghị, chưa gửi"],
        ["2", "Huyện Pác Nặm", "Bằng khen của UBND tỉnh",
         "Đã gửi đề nghị; đang ở Hội đồng Thi đua - Khen thưởng"],
        ["3", "Nhân dân và cán bộ huyện Na Rì", "Cờ thi đua của UBND tỉnh",
         "Quyết định số 345/QĐ-UBND ngày 10/03/2024 của Chủ tịch UBND tỉnh Bắc Kạn"],
    ]  # fmt: skip
    assert Heading("2. Số lượng khen thưởng do đơn vị thành viên báo cáo", level=2) in blocks
    assert table_rows(blocks, 1) == [
        ["1", "Huyện Na Rì", "6 tháng đầu năm", "Cấp cơ sở", "Tập thể", "1.315",
         "Chủ tịch UBND huyện"],
        ["2", "Huyện Na Rì", "Cả năm", "Cấp cơ sở", "Cá nhân", "9.294", ""],
    ]  # fmt: skip


def test_the_mid_year_section_keeps_what_was_decided_by_june_and_the_six_months_counts(
    year_awards,
):
    blocks = award_blocks(year_awards, period=MID_YEAR)
    assert blocks[1] == Paragraph("Chưa có khen thưởng nào được ghi nhận từng trường hợp.")
    assert table_rows(blocks) == [
        ["1", "Huyện Na Rì", "6 tháng đầu năm", "Cấp cơ sở", "Tập thể", "1.315",
         "Chủ tịch UBND huyện"],
    ]  # fmt: skip


def test_an_individual_is_named_with_position_and_unit(cluster_year, units, body):
    AwardFactory(
        body=body, cluster_year=cluster_year, year=2023, unit=units[0],
        recipient_kind=RecipientKind.INDIVIDUAL, recipient_name="Hà Thị Lan",
        recipient_position="Giáo viên", recipient_unit_name="Huyện Na Rì",
    )  # fmt: skip
    assert table_rows(award_blocks(cluster_year))[0][1] == "Hà Thị Lan, Giáo viên, Huyện Na Rì"


def test_a_year_without_awards_or_counts_leaves_the_section_out(cluster_year):
    assert award_blocks(cluster_year) == []


def test_the_section_takes_two_queries_however_many_awards(year_awards, units, body):
    with CaptureQueriesContext(connection) as one:
        award_blocks(year_awards)
    for unit in units:
        AwardFactory(body=body, cluster_year=year_awards, year=2023, unit=unit,
                     award_type=award_type("Giấy khen"))  # fmt: skip
    with CaptureQueriesContext(connection) as more:
        award_blocks(year_awards)
    assert len(one) == len(more) == 2


# --- The province summary --------------------------------------------------------------


def summary_years(*years):
    return list(
        ClusterYear.objects.select_related("cluster__body")
        .filter(pk__in=[y.pk for y in years])
        .order_by("pk")
    )


def test_the_summary_counts_the_year_by_type_level_and_recipient(year_awards, body, units):
    # History outside any cluster counts for a reader who sees every cluster.
    AwardFactory(body=body, year=2023, unit=units[1], recipient_kind=RecipientKind.INDIVIDUAL,
                 recipient_name="Lương Văn Thành", award_type=award_type("Giấy khen"))  # fmt: skip
    AwardFactory(body=body, year=2020, unit=units[1])
    blocks = summary_award_blocks(summary_years(year_awards), year=2023)
    assert blocks[0].text == (
        "Năm 2023, có 2 lượt khen thưởng được ghi nhận từng trường hợp (1 lượt tập thể, 1 "
        "lượt cá nhân); các đơn vị thành viên báo cáo thêm 10.609 lượt khen thưởng không kê "
        "từng trường hợp."
    )
    assert table_rows(blocks) == [
        ["1", "Giấy khen", "Cấp cơ sở", "0", "1", "0", "1"],
        ["2", "Cờ thi đua của UBND tỉnh", "Cấp bộ, ngành, tỉnh", "1", "0", "0", "1"],
        ["", "Cộng", "", "1", "1", "0", "2"],
    ]
    assert table_rows(blocks, 1) == [
        ["1", "Cấp Nhà nước", "0", "0", "0", "0", "0", "0", "0"],
        ["2", "Cấp bộ, ngành, tỉnh", "1", "0", "0", "0", "0", "0", "1"],
        ["3", "Cấp cơ sở", "0", "1", "0", "1.315", "9.294", "0", "10.610"],
        ["", "Tổng cộng", "1", "1", "0", "1.315", "9.294", "0", "10.611"],
    ]
    chart = blocks[-1]
    assert isinstance(chart, Chart)
    assert chart.title == "Biểu đồ. Số lượt khen thưởng theo hình thức, năm 2019–2023"
    assert "Bằng khen của UBND tỉnh" in chart.svg and ">2020<" in chart.svg


def test_a_reader_of_some_clusters_counts_only_theirs(year_awards, body, units):
    other = ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối các sở"), year=2023)
    member = UnitFactory(body=body, name="Sở Nội vụ")
    ClusterMemberFactory(cluster_year=other, unit=member)
    AwardFactory(body=body, year=2023, unit=units[1])  # no cluster year: the body's
    AwardFactory(body=body, year=2023, unit=member, cluster_year=other)
    blocks = summary_award_blocks(summary_years(other), year=2023)
    assert blocks[0].text == (
        "Năm 2023, có 1 lượt khen thưởng được ghi nhận từng trường hợp (1 lượt tập thể, 0 "
        "lượt cá nhân)."
    )
    everything = summary_award_blocks(summary_years(year_awards, other), year=2023)
    assert everything[0].text.startswith("Năm 2023, có 3 lượt khen thưởng")


def test_a_year_without_awards_says_so(cluster_year):
    assert summary_award_blocks(summary_years(cluster_year), year=2023) == [
        Paragraph("Năm 2023 chưa có khen thưởng nào được ghi nhận.")
    ]


def test_the_summary_section_takes_as_many_queries_for_one_cluster_as_for_three(year_awards, body):
    with CaptureQueriesContext(connection) as one:
        summary_award_blocks(summary_years(year_awards), year=2023)
    more_years = [year_awards]
    for name in ("Khối các sở", "Khối doanh nghiệp"):
        year = ClusterYearFactory(cluster=ClusterFactory(body=body, name=name), year=2023)
        unit = UnitFactory(body=body, name=f"Đơn vị {name}")
        ClusterMemberFactory(cluster_year=year, unit=unit)
        AwardFactory(body=body, year=2023, unit=unit, cluster_year=year)
        more_years.append(year)
    with CaptureQueriesContext(connection) as three:
        summary_award_blocks(summary_years(*more_years), year=2023)
    assert len(one) == len(three)


def test_levels_are_worded_for_every_level():
    from awards.reports import LEVEL_WORDS

    assert set(LEVEL_WORDS) == set(AwardType.Level.values)


def test_the_summary_does_not_count_an_award_taken_back(year_awards, body, units):
    """The tally of a deleted award holds its −1 beside its +1 on PostgreSQL: added up."""
    taken_back = AwardFactory(
        body=body, year=2023, unit=units[1], award_type=award_type("Giấy khen")
    )
    taken_back.delete()
    blocks = summary_award_blocks(summary_years(year_awards), year=2023)
    assert blocks[0].text.startswith("Năm 2023, có 1 lượt khen thưởng")
    assert table_rows(blocks) == [
        ["1", "Cờ thi đua của UBND tỉnh", "Cấp bộ, ngành, tỉnh", "1", "0", "0", "1"],
        ["", "Cộng", "", "1", "0", "0", "1"],
    ]
