"""The reports page of a cluster year, the downloads and the texts form."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.documents.parity import docx_words, pdf_pages_text
from reports.models import ReportText

pytestmark = pytest.mark.django_db

KINDS = ["year-end", "mid-year"]


def urls_of(cluster_year) -> list[str]:
    pk = cluster_year.pk
    urls = [reverse("reports:report-list", args=[pk])]
    for kind in KINDS:
        urls.append(reverse("reports:reporttext-edit", args=[pk, kind]))
        urls += [
            reverse("reports:report-download", args=[pk, kind, fmt])
            for fmt in ("pdf", "docx", "xlsx")
        ]
    return urls


def test_the_year_page_links_to_the_reports(staff_client, cluster_year):
    response = staff_client.get(cluster_year.get_absolute_url())
    assert reverse("reports:report-list", args=[cluster_year.pk]) in response.content.decode()


def test_the_page_offers_both_reports_and_their_texts_to_staff(staff_client, cluster_year):
    response = staff_client.get(reverse("reports:report-list", args=[cluster_year.pk]))
    page = response.content.decode()
    for kind in KINDS:
        for fmt in ("pdf", "docx", "xlsx"):
            assert reverse("reports:report-download", args=[cluster_year.pk, kind, fmt]) in page
        assert reverse("reports:reporttext-edit", args=[cluster_year.pk, kind]) in page


def test_it_downloads_the_pdf(viewer_client, cluster_year):
    response = viewer_client.get(
        reverse("reports:report-download", args=[cluster_year.pk, "year-end", "pdf"])
    )
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="bao-cao-tong-ket-2023-cum-thi-dua-cac-huyen-thanh-pho.pdf"'
        in (response["Content-Disposition"])
    )
    text = " ".join(" ".join(pdf_pages_text(response.content)).split())
    assert "Tổng kết công tác thi đua, khen thưởng năm 2023" in text
    assert "- Huyện Na Rì; - Huyện Pác Nặm; - Huyện Ba Bể." in text


def test_it_downloads_the_word_file(viewer_client, cluster_year):
    response = viewer_client.get(
        reverse("reports:report-download", args=[cluster_year.pk, "mid-year", "docx"])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = " ".join(docx_words(response.content))
    assert "Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2023" in text


def test_it_downloads_the_tables_of_the_report_as_an_excel_workbook(viewer_client, year_data):
    pk = year_data.cluster_year.pk
    response = viewer_client.get(reverse("reports:report-download", args=[pk, "year-end", "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-tong-ket-2023-cum-thi-dua-cac-huyen-thanh-pho.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng kết năm 2023", "IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG"]
    targets, ranking = workbook.worksheets
    assert [targets.cell(row, 1).value for row in (1, 2, 3)] == [
        "BÁO CÁO",
        "Tổng kết công tác thi đua, khen thưởng năm 2023",
        "Tổng kết năm 2023",
    ]
    assert [cell.value for cell in targets[7]] == [
        1, "Thu ngân sách nhà nước", "tỷ đồng", "110 (110%)", "112 (109,8%)", "111 (109,9%)",
        333, "3/3",
    ]  # fmt: skip
    assert [[cell.value for cell in row] for row in ranking.iter_rows(min_row=6)] == [
        [1, "Huyện Na Rì", 90, 90, 1, None],
        [2, "Huyện Ba Bể", 89, 89, 2, None],
        [3, "Huyện Pác Nặm", 88, 88, 3, None],
    ]
    assert ranking["C6"].number_format == "#,##0.00"


def test_an_unknown_kind_or_format_is_404(staff_client, cluster_year):
    pk = cluster_year.pk
    for url in (
        reverse("reports:report-download", args=[pk, "yearly", "pdf"]),
        reverse("reports:report-download", args=[pk, "year-end", "odt"]),
        reverse("reports:reporttext-edit", args=[pk, "yearly"]),
    ):
        assert staff_client.get(url).status_code == 404, url
    # The same URLs with a known kind and format answer.
    url = reverse("reports:report-download", args=[pk, "year-end", "docx"])
    assert staff_client.get(url).status_code == 200


def test_an_outsider_gets_404_everywhere(outsider_client, cluster_year):
    for url in urls_of(cluster_year):
        assert outsider_client.get(url).status_code == 404, url
    url = reverse("reports:reporttext-edit", args=[cluster_year.pk, "year-end"])
    assert outsider_client.post(url, {"assessment": "x"}).status_code == 404
    assert not ReportText.objects.exists()


def test_a_viewer_downloads_but_does_not_edit(viewer_client, cluster_year):
    page = viewer_client.get(reverse("reports:report-list", args=[cluster_year.pk]))
    assert reverse("reports:reporttext-edit", args=[cluster_year.pk, "year-end"]) not in (
        page.content.decode()
    )
    url = reverse("reports:reporttext-edit", args=[cluster_year.pk, "year-end"])
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"assessment": "x"}).status_code == 403
    assert not ReportText.objects.exists()


def test_the_secretary_saves_the_texts_and_the_report_prints_them(secretary_client, cluster_year):
    url = reverse("reports:reporttext-edit", args=[cluster_year.pk, "year-end"])
    assert secretary_client.get(url).status_code == 200
    response = secretary_client.post(
        url,
        {
            "introduction": "",
            "assessment": "  Các phong trào thi đua được triển khai sâu rộng.  ",
            "next_tasks": "Đẩy mạnh chuyển đổi số.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report-list", args=[cluster_year.pk])
    text = ReportText.objects.get(cluster_year=cluster_year, kind="year-end")
    assert text.assessment == "Các phong trào thi đua được triển khai sâu rộng."
    assert text.next_tasks == "Đẩy mạnh chuyển đổi số."
    assert text.history.count() == 1
    # Saving again updates the same row.
    secretary_client.post(url, {"introduction": "", "assessment": "Khác.", "next_tasks": ""})
    assert ReportText.objects.get().assessment == "Khác."
    pdf = secretary_client.get(
        reverse("reports:report-download", args=[cluster_year.pk, "year-end", "pdf"])
    )
    assert "ĐÁNH GIÁ CHUNG Khác." in " ".join(" ".join(pdf_pages_text(pdf.content)).split())


def test_the_reports_page_takes_as_many_queries_for_one_report_text_as_for_two(
    staff_client, cluster_year, assert_constant_queries
):
    ReportText.objects.create(cluster_year=cluster_year, kind="year-end", assessment="A")
    first, second = assert_constant_queries(
        staff_client,
        reverse("reports:report-list", args=[cluster_year.pk]),
        add_two_more=lambda: ReportText.objects.create(
            cluster_year=cluster_year, kind="mid-year", assessment="B"
        ),
    )
    assert first.context["reports"][1]["text"] is None
    assert second.context["reports"][1]["text"].assessment == "B"
