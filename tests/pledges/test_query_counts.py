"""Every page of the pledge loads in a fixed number of queries, whatever the number of
members and targets: each is rendered with one member × one target, then three × three."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.models import ClusterMember
from pledges import services
from pledges.services import Cell, EvidenceRow
from tests.factories.pledges import MovementFactory
from tests.pledges.helpers import heat_footer, heat_header, heat_statuses, page, text_of

pytestmark = pytest.mark.django_db

GROWN = ["Chợ Đồn", "Chợ Mới", "Ngân Sơn"]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def grid_headers(response) -> list[str]:
    return [text_of(th) for th in page(response).xpath("//table[@id='grid']/thead/tr/th")][1:]


def grid_rows(response) -> int:
    return len(page(response).xpath("//table[@id='grid']/tbody/tr[not(@class='group-row')]"))


def test_the_commitment_grid(staff_client, growing, assert_same_queries):
    url = reverse("pledges:pledge-commitments", args=[growing.pledge.pk])
    small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert (grid_headers(small), grid_rows(small)) == (["Chợ Đồn"], 1)
    assert (grid_headers(large), grid_rows(large)) == (GROWN, 3)


def test_the_results_grid(staff_client, growing, assert_same_queries):
    url = reverse("pledges:period-results", args=[growing.period.pk])
    small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert (grid_headers(small), grid_rows(large)) == (["Chợ Đồn"], 3)


def test_one_members_results(staff_client, growing, assert_same_queries):
    member = ClusterMember.objects.get(cluster_year=growing.cluster_year)
    url = reverse("pledges:period-member", args=[growing.period.pk, member.pk])
    _, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert grid_rows(large) == 3


def test_the_registrations_grid(staff_client, growing, assert_same_queries):
    url = reverse("pledges:pledge-registrations", args=[growing.pledge.pk])
    small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert (grid_rows(small), grid_rows(large)) == (1, 3)


def test_the_signatures_grid(staff_client, growing, assert_same_queries):
    url = reverse("pledges:pledge-signatures", args=[growing.pledge.pk])
    small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert (grid_rows(small), grid_rows(large)) == (1, 3)


def test_the_period_heat_table(staff_client, growing, assert_same_queries):
    url = growing.period.get_absolute_url()
    small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert heat_statuses(small) == {"Thu ngân sách": ["met"]}
    assert heat_header(large) == GROWN
    assert heat_statuses(large) == {
        "Thu ngân sách": ["met"] * 3,
        "Tỷ lệ hộ nghèo": ["met"] * 3,
        "Hoàn thành tuyển quân": ["met"] * 3,
    }
    assert heat_footer(large) == ["3/3"] * 3


def test_the_pledge_page(staff_client, growing, assert_same_queries):
    url = growing.pledge.get_absolute_url()
    small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert len(page(large).xpath("//table[@id='target-table']/tbody/tr[td]")) == 3
    summary = text_of(page(large).get_element_by_id("pledge-summary"))
    assert summary.startswith("3/3 đơn vị đã ký 3/3 đăng ký Cờ thi đua của Chính phủ")


def test_the_excel_templates(staff_client, growing, assert_same_queries):
    assert_same_queries(
        staff_client,
        reverse("pledges:pledge-commitments-xlsx", args=[growing.pledge.pk]),
        grow=growing.grow,
    )


def test_the_results_template(staff_client, growing, assert_same_queries):
    assert_same_queries(
        staff_client,
        reverse("pledges:period-results-xlsx", args=[growing.period.pk]),
        grow=growing.grow,
    )


def test_the_cluster_year_page_with_its_pledge(staff_client, growing, assert_same_queries):
    url = reverse("clusters:clusteryear-detail", args=[growing.cluster_year.pk])
    small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert heat_header(small) == ["Chợ Đồn"]
    assert heat_header(large) == GROWN
    assert text_of(page(large).get_element_by_id("pledge-summary")).startswith(
        "Dự thảo 3/3 đơn vị đã ký"
    )


def test_the_movement_list(staff_client, body, assert_same_queries):
    MovementFactory(name="Cả nước chung sức xây dựng nông thôn mới")

    def two_more():
        MovementFactory(name="Dạy tốt, học tốt", body=body)
        MovementFactory(name="Đền ơn đáp nghĩa - Uống nước nhớ nguồn", body=body)

    url = reverse("pledges:movement-list")
    small, large = assert_same_queries(staff_client, url, grow=two_more)
    rows = page(large).xpath("//table[@id='movement-table']/tbody/tr")
    assert [text_of(row.xpath("./td")[1]) for row in rows] == [
        "Cả nước chung sức xây dựng nông thôn mới",
        "Dạy tốt, học tốt",
        "Đền ơn đáp nghĩa - Uống nước nhớ nguồn",
    ]
    assert [text_of(row.xpath("./td")[4]) for row in rows] == [
        "Toàn quốc",
        "UBND tỉnh Bắc Kạn",
        "UBND tỉnh Bắc Kạn",
    ]


def test_one_members_results_with_evidence_files(staff_client, growing, assert_same_queries):
    member = ClusterMember.objects.get(cluster_year=growing.cluster_year)

    def attach_files():
        for target in growing.pledge.targets.all():
            services.results_save_member(
                period=growing.period,
                member=member,
                rows={
                    target.pk: EvidenceRow(
                        Cell(Decimal(1)),
                        "Báo cáo số 125/BC-UBND",
                        attachment=SimpleUploadedFile(f"minh-chung-{target.order}.pdf", PDF),
                    )
                },
            )

    def grow():
        growing.grow()
        attach_files()

    attach_files()
    url = reverse("pledges:period-member", args=[growing.period.pk, member.pk])
    _, large = assert_same_queries(staff_client, url, grow=grow)
    links = page(large).xpath("//table[@id='grid']//a[contains(@href, '/attachment/')]")
    assert [text_of(link) for link in links] == [
        "minh-chung-10.pdf",
        "minh-chung-20.pdf",
        "minh-chung-30.pdf",
    ]
