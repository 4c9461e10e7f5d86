"""The periodic statistics: which awards and counts fall in a period, the document in
PDF, Word and Excel, and the page."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Occasion, RecipientKind, ReportedCount
from awards.periodic import periodic_data, periodic_document
from clusters.models import AwardType
from core.documents.parity import assert_same_words
from tests.factories.awards import AwardFactory, DecisionFactory, ReportedCountFactory, award_type
from tests.reports.helpers import pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("awards:periodic")


def decided_on(body, day, **fields):
    fields.setdefault("unit", None)
    return AwardFactory(body=body, decision=DecisionFactory(body=body, signed_on=day), **fields)


@pytest.fixture
def period_awards(body, units, cluster_year):
    """Decided in 2023: 15/3 a flag to Na Rì; 20/6 Bằng khen to a teacher (ad hoc); 1/7 a
    Prime Minister's Bằng khen to a school; 2/1/2024 a Giấy khen to a household. Reported
    for 2023 by Pác Nặm: 1.315 collectives in the first six months, 1.400 over the year;
    9.294 individuals over the year; 517 collectives and individuals in six months."""
    na_ri, ba_be, pac_nam = units
    decided_on(body, datetime.date(2023, 3, 15), unit=na_ri, year=2022,
               award_type=award_type("Cờ thi đua của UBND tỉnh"))  # fmt: skip
    decided_on(body, datetime.date(2023, 6, 20), unit=ba_be, year=2023,
               recipient_kind=RecipientKind.INDIVIDUAL, recipient_name="Hà Thị Lan",
               occasion=Occasion.AD_HOC)  # fmt: skip
    decided_on(body, datetime.date(2023, 7, 1), unit=pac_nam, year=2023,
               recipient_kind=RecipientKind.COLLECTIVE, recipient_name="Trường THCS Bộc Bố",
               award_type=award_type("Bằng khen của Thủ tướng Chính phủ"))  # fmt: skip
    decided_on(body, datetime.date(2024, 1, 2), unit=na_ri, year=2023,
               recipient_kind=RecipientKind.HOUSEHOLD, award_type=award_type("Giấy khen"),
               recipient_name="Hộ gia đình ông Lương Văn Thành")  # fmt: skip
    six_months = ReportedCount.Period.MID_YEAR
    ReportedCountFactory(cluster_year=cluster_year, unit=pac_nam, count=1315, period=six_months)
    ReportedCountFactory(cluster_year=cluster_year, unit=pac_nam, count=1400)
    ReportedCountFactory(cluster_year=cluster_year, unit=pac_nam, count=9294, kind="individual")
    ReportedCountFactory(cluster_year=cluster_year, unit=pac_nam, count=517, kind="mixed",
                         level=AwardType.Level.PROVINCE, period=six_months)  # fmt: skip


def data_of(user, body, start, end):
    return periodic_data(user, body=body, date_from=start, date_to=end)


def test_the_first_six_months_take_their_decisions_and_six_month_counts(period_awards, staff, body):
    data = data_of(staff, body, datetime.date(2023, 1, 1), datetime.date(2023, 6, 30))
    assert data.recorded.recorded == 2
    assert (data.recorded.collective, data.recorded.individual) == (1, 1)
    assert data.reported.reported_collective == 1315
    assert data.reported.reported_mixed == 517
    assert data.reported.reported_individual == 0  # reported for the whole year only
    assert data.by_occasion["ad_hoc"].individual == 1
    assert data.by_level["province"].recorded == 2


def test_the_whole_year_takes_the_year_figure_over_the_six_months(period_awards, staff, body):
    data = data_of(staff, body, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    assert data.recorded.recorded == 3
    assert data.by_level["state"].collective == 1
    assert data.reported.reported_collective == 1400
    assert data.reported.reported_individual == 9294
    assert data.reported.reported_mixed == 517  # only the six months were reported
    assert data.total.total == 3 + 1400 + 9294 + 517


def test_counts_whose_period_only_overlaps_are_left_out(period_awards, staff, body):
    data = data_of(staff, body, datetime.date(2023, 3, 1), datetime.date(2024, 1, 31))
    assert data.recorded.recorded == 4 and data.recorded.household == 1
    assert data.reported.reported == 0


def test_the_document_prints_the_figures_apart_and_the_same_in_word(period_awards, staff, body):
    data = data_of(staff, body, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    document = periodic_document(data)
    text = pdf_text(document)
    assert text.startswith("UBND TỈNH BẮC KẠN SỞ NỘI VỤ")
    assert "BÁO CÁO THỐNG KÊ" in text
    assert "Số lượng khen thưởng từ ngày 01/01/2023 đến ngày 31/12/2023" in text
    assert "Thông tư số 18/2025/TT-BNV" in text
    assert (
        "có 3 lượt khen thưởng được ghi nhận từng trường hợp (2 lượt tập thể, 1 lượt cá nhân, "
        "0 lượt hộ gia đình) và 11.211 lượt do các đơn vị thành viên báo cáo số lượng (1.400 "
        "lượt tập thể, 9.294 lượt cá nhân, 517 lượt tập thể, cá nhân không tách); tổng cộng "
        "11.214 lượt." in text
    )
    assert "A. KHEN THƯỞNG GHI NHẬN TỪNG TRƯỜNG HỢP" in text
    assert "1 Bằng khen của Thủ tướng Chính phủ 1 0 0 — 1" in text
    assert "Cộng A 2 1 0 — 3" in text
    assert "III Khen thưởng cấp cơ sở 1.400 9.294 — 0 10.694" in text
    assert "Cộng B 1.400 9.294 — 517 11.211" in text
    assert "Tổng cộng (A + B) 1.402 9.295 0 517 11.214" in text
    assert "2 Khen thưởng theo đợt, chuyên đề 0 0 0 0" in text
    assert "3 Khen thưởng đột xuất 0 1 0 1" in text
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
    pdf, word = assert_same_words(document)
    assert pdf.startswith(b"%PDF-") and word.startswith(b"PK")


def test_the_page_shows_the_document_with_its_downloads(period_awards, staff_client, body):
    query = {"body": body.pk, "date_from": "2023-01-01", "date_to": "2023-06-30"}
    response = staff_client.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Biểu 1. Số lượng khen thưởng theo cấp, hình thức và đối tượng" in html
    assert "1.315" in html and "517" in html
    for fmt, kind in (
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        download = staff_client.get(reverse("awards:periodic-download", args=[fmt]), query)
        assert download.status_code == 200 and download["Content-Type"] == kind
        assert "thong-ke-khen-thuong-20230101-20230630-bac-kan" in download["Content-Disposition"]
    workbook = load_workbook(
        io.BytesIO(
            staff_client.get(reverse("awards:periodic-download", args=["xlsx"]), query).content
        )
    )
    assert len(workbook.worksheets) == 2


def test_a_period_ending_before_it_begins_is_refused(staff_client, body):
    query = {"body": body.pk, "date_from": "2023-12-31", "date_to": "2023-01-01"}
    response = staff_client.get(URL, query)
    assert response.status_code == 200 and response.context["document"] is None
    assert 'id="periodic-errors"' in response.content.decode()
    assert (
        staff_client.get(reverse("awards:periodic-download", args=["pdf"]), query).status_code
        == 404
    )


def test_an_unknown_format_is_a_404(staff_client, body):
    assert staff_client.get(reverse("awards:periodic-download", args=["odt"])).status_code == 404


def test_another_bodys_statistics_are_a_404(period_awards, outsider_client, body):
    assert outsider_client.get(URL, {"body": body.pk}).status_code == 404
    url = reverse("awards:periodic-download", args=["pdf"])
    assert outsider_client.get(url, {"body": body.pk}).status_code == 404


def test_the_page_takes_as_many_queries_for_one_award_as_for_three(
    staff_client, body, units, assert_constant_queries
):
    day = datetime.date(2023, 5, 1)
    decided_on(body, day, unit=units[0], year=2023)

    def add_two_more():
        decided_on(body, day, unit=units[1], year=2023, award_type=award_type("Giấy khen"))
        decided_on(body, day, unit=units[2], year=2023, recipient_kind=RecipientKind.INDIVIDUAL,
                   recipient_name="Nông Thị Hoa", occasion=Occasion.SERVICE)  # fmt: skip

    url = f"{URL}?body={body.pk}&date_from=2023-01-01&date_to=2023-12-31"
    assert_constant_queries(staff_client, url, add_two_more=add_two_more, ceiling=12)
