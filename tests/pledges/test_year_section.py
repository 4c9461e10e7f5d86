"""The pledge's block on the cluster year page (pledges/receivers.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pledges import selectors, services
from pledges.services import Cell
from tests.pledges.conftest import MID_YEAR_FOOTER, MID_YEAR_HEAT, keyed
from tests.pledges.helpers import (
    element_text,
    heat_footer,
    heat_header,
    heat_statuses,
    page,
    text_of,
)

pytestmark = pytest.mark.django_db


def year_page(client, cluster_year):
    response = client.get(reverse("clusters:clusteryear-detail", args=[cluster_year.pk]))
    assert response.status_code == 200
    return response


@pytest.fixture
def signed_and_registered(pledge, members):
    flags = selectors.registrable_titles(body_id=None)[:2]
    government, province = list(flags)
    services.signatures_save(pledge=pledge, rows={m.pk: {"signed": True} for m in members.values()})
    services.registrations_save(
        pledge=pledge,
        rows={
            members["Na Rì"].pk: {
                "titles": [government, province], "collectives": 508, "individuals": 6190},
            members["Ba Bể"].pk: {
                "titles": [government, province], "collectives": 508, "individuals": 6189},
            members["Pác Nặm"].pk: {
                "titles": [government], "collectives": 508, "individuals": 6189},
        },
    )  # fmt: skip


def test_a_year_without_a_pledge_offers_staff_to_draw_it_up(staff_client, cluster_year):
    response = year_page(staff_client, cluster_year)
    section = page(response).get_element_by_id("pledge-section")
    assert "Năm này chưa có giao ước thi đua." in text_of(section)
    link = section.xpath(".//a[contains(@href, '/pledge/new/')]")[0]
    assert (text_of(link), link.get("href")) == (
        "Lập giao ước",
        reverse("pledges:pledge-create", args=[cluster_year.pk]),
    )


def test_a_viewer_is_not_offered_to_draw_up_the_pledge(viewer_client, cluster_year):
    section = page(year_page(viewer_client, cluster_year)).get_element_by_id("pledge-section")
    assert "Năm này chưa có giao ước thi đua." in text_of(section)
    assert not section.xpath(".//a[contains(@href, '/pledge/new/')]")


def test_the_section_counts_signatures_and_registrations(
    staff_client, cluster_year, signed_pledge, signed_and_registered
):
    response = year_page(staff_client, cluster_year)
    assert element_text(response, "pledge-summary") == (
        "Đã ký kết · 07/02/2023 3/3 đơn vị đã ký 3/3 đăng ký Cờ thi đua của Chính phủ "
        "2/3 đăng ký Cờ thi đua của UBND tỉnh "
        "1.524 tập thể và 18.568 cá nhân đăng ký danh hiệu thi đua"
    )
    section = page(response).get_element_by_id("pledge-section")
    assert section.xpath(".//a[text()='Mở giao ước']")[0].get("href") == (
        signed_pledge.get_absolute_url()
    )


def test_the_section_shows_the_heat_table_of_the_latest_period_with_results(
    staff_client, cluster_year, mid_year, mid_year_results
):
    response = year_page(staff_client, cluster_year)
    heading = page(response).xpath("//div[@id='pledge-section']//h3")[0]
    assert text_of(heading) == "Tiến độ — Sơ kết 6 tháng năm 2023 chi tiết"
    assert heading.xpath("./a")[0].get("href") == mid_year.get_absolute_url()
    assert heat_header(response) == ["Na Rì", "Pác Nặm", "Ba Bể"]
    assert heat_statuses(response) == MID_YEAR_HEAT
    assert heat_footer(response) == MID_YEAR_FOOTER


def test_year_end_results_take_over_the_section(
    staff_client, cluster_year, year_end, targets, members, mid_year_results
):
    services.results_save(
        period=year_end,
        cells=keyed({("budget", "Ba Bể"): Cell(Decimal("400"))}, targets, members),
    )
    response = year_page(staff_client, cluster_year)
    heading = page(response).xpath("//div[@id='pledge-section']//h3")[0]
    assert text_of(heading) == "Tiến độ — Tổng kết năm 2023 chi tiết"
    statuses = heat_statuses(response)
    assert statuses["Thu ngân sách nhà nước trên địa bàn"] == [
        "not_reported",
        "not_reported",
        "exceeded",
    ]
    assert heat_footer(response) == ["—", "—", "1/1"]


def test_without_results_the_section_shows_the_mid_year_period_not_reported(
    staff_client, cluster_year, commitments
):
    response = year_page(staff_client, cluster_year)
    statuses = heat_statuses(response)
    assert statuses["Số vụ tai nạn giao thông"] == ["not_reported"] * 3
    assert "Tiến độ — Sơ kết 6 tháng năm 2023" in text_of(
        page(response).get_element_by_id("pledge-section")
    )
