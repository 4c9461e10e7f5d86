"""The province summary: what it prints for the seeds, its page, its queries, and the
files prepared from it in the background (re-used while the data has not changed)."""

import datetime
import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.documents import file_stem
from clusters.models import Cluster, ClusterMember, OrganizingBody
from clusters.reports import summary_sections
from core.documents.model import Chart, Paragraph
from core.documents.parity import assert_same_words
from reports import services
from reports.models import Export, ReportText
from reports.summary import summary_document, summary_years
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.awards import AwardFactory
from tests.reports.conftest import YearData
from tests.reports.helpers import docx_text, pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("reports:summary")
EXPORT_URL = reverse("reports:summary-export")


def summary_of(user, body, year):
    return summary_document(summary_years(user, body=body, year=year), body=body, year=year)


def _file_bytes(export: Export) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


# --- What it says ----------------------------------------------------------------------


def test_the_lao_cai_summary_says_what_seed_001_says(demo, superuser):
    body = OrganizingBody.objects.get(short_name="Lào Cai")
    document = summary_of(superuser, body, 2022)
    text = pdf_text(document)
    assert text.startswith("UBND TỈNH LÀO CAI SỞ NỘI VỤ")
    assert "/BC-SNV" in text
    assert "Tổng hợp kết quả hoạt động của các cụm, khối thi đua năm 2022" in text
    assert "I. CÁC CỤM, KHỐI THI ĐUA" in text
    assert "Năm 2022 có 1 khối thi đua với 9 lượt đơn vị thành viên." in text
    assert "Huyện Bắc Hà" in text
    assert "II. GIAO ƯỚC VÀ ĐĂNG KÝ THI ĐUA" in text
    assert "toàn tỉnh có 1.524 lượt tập thể và 18.568 lượt cá nhân đăng ký" in text
    assert "9/9 9/9 1.524 18.568" in text
    assert "- Cờ thi đua của Chính phủ: 9 đơn vị;" in text
    assert "Biểu đồ. Lượt tập thể, cá nhân đăng ký thi đua năm 2022 theo cụm, khối" in text
    chart = next(block for block in document.blocks if isinstance(block, Chart))
    assert "Tập thể" in chart.svg and "Cá nhân" in chart.svg and ">20.000<" in chart.svg
    assert "III. HỘI NGHỊ SƠ KẾT, TỔNG KẾT" in text
    assert "22/07/2022; tại Huyện Bắc Hà; chủ trì: Đinh Văn Đăng" in text
    assert "IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA" in text
    assert "Chưa chấm điểm" in text
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
    # The bloc's awards: Giấy khen to 07 collectives and 11 individuals recorded one by one;
    # 517, 1.315 and 9.294 reported as counts, in columns of their own.
    assert "V. KHEN THƯỞNG" in text
    assert (
        "Năm 2022, có 18 lượt khen thưởng được ghi nhận từng trường hợp (7 lượt tập thể, 11 "
        "lượt cá nhân); các đơn vị thành viên báo cáo thêm 11.126 lượt khen thưởng không kê "
        "từng trường hợp." in text
    )
    assert "1 Giấy khen Cấp cơ sở 7 11 0 18" in text
    assert "2 Cấp bộ, ngành, tỉnh 0 0 0 0 0 517 517" in text
    assert "3 Cấp cơ sở 7 11 0 1.315 9.294 0 10.627" in text
    assert "Biểu đồ. Số lượt khen thưởng theo hình thức, năm 2018–2022" in text
    charts = [block for block in document.blocks if isinstance(block, Chart)]
    assert "Giấy khen" in charts[-1].svg and ">2018<" in charts[-1].svg
    assert_same_words(document)


def test_the_bac_kan_summary_names_the_heads_and_the_ranking_leaders(demo, superuser):
    body = OrganizingBody.objects.get(short_name="Bắc Kạn")
    text = pdf_text(summary_of(superuser, body, 2022))
    assert "Cụm thi đua các huyện, thành phố 8 Thành phố Bắc Kạn Huyện Na Rì" in text
    assert "1/1 cụm, khối đã thông qua kết quả chấm điểm, xếp hạng thi đua năm 2022" in text
    assert "Huyện Na Rì (" in text and "Huyện Chợ Mới (" in text and "Huyện Pác Nặm (" in text
    assert (
        text.index("Huyện Na Rì (") < text.index("Huyện Chợ Mới (") < text.index("Huyện Pác Nặm (")
    )
    assert "1/1 cụm, khối đã tổ chức hội nghị tổng kết năm 2022." in text
    assert "chưa có số liệu lượt tập thể, cá nhân đăng ký các danh hiệu thi đua." in text
    assert "07/02/2023; tại Thành phố Bắc Kạn; chủ trì: Dương Hữu Bường" in text
    # Na Rì's flag and the Bằng khen of Chợ Mới and Pác Nặm, counted.
    assert (
        "Năm 2022, có 3 lượt khen thưởng được ghi nhận từng trường hợp (3 lượt tập thể, 0 lượt "
        "cá nhân)." in text
    )
    assert "1 Bằng khen của UBND tỉnh Cấp bộ, ngành, tỉnh 2 0 0 2" in text
    assert "2 Cờ thi đua của UBND tỉnh Cấp bộ, ngành, tỉnh 1 0 0 1" in text


def test_the_word_file_says_what_the_pdf_says(demo, superuser):
    body = OrganizingBody.objects.get(short_name="Bắc Kạn")
    document = summary_of(superuser, body, 2022)
    assert "18.568" not in docx_text(document)  # Bắc Kạn's cluster registered no counts
    assert_same_words(document)


def test_a_year_without_clusters_says_so(body, staff):
    text = pdf_text(summary_of(staff, body, 2030))
    assert "Chưa có cụm, khối thi đua nào của năm 2030." in text
    assert "II." not in text  # the other sections have nothing to say


def test_a_section_registered_later_takes_its_place(cluster_year, staff, body):
    summary_sections.register(
        "later",
        title="KHEN THƯỞNG",
        order=50,
        build=lambda years, *, year: [Paragraph(f"{len(years)} cụm có khen thưởng.")],
    )
    try:
        text = pdf_text(summary_of(staff, body, cluster_year.year))
    finally:
        summary_sections.unregister("later")
    assert "V. KHEN THƯỞNG 1 cụm có khen thưởng." in text


def test_a_secretary_summary_holds_only_their_cluster(secretary, cluster_year, body):
    ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối các sở"), year=2023)
    text = pdf_text(summary_of(secretary, body, cluster_year.year))
    assert cluster_year.cluster.name in text
    assert "Khối các sở" not in text


def _clusters_with_data(body, count, start=0):
    for index in range(start, start + count):
        cluster = ClusterFactory(body=body, name=f"Cụm thi đua số {index + 1}")
        cluster_year = ClusterYearFactory(cluster=cluster, year=2023)
        members = [
            ClusterMemberFactory(
                cluster_year=cluster_year,
                unit=UnitFactory(body=body, name=f"Huyện {index}-{n}"),
                role=ClusterMember.Role.HEAD if n == 0 else ClusterMember.Role.MEMBER,
            )
            for n in range(2)
        ]
        YearData(cluster_year, members)
        AwardFactory(body=body, year=2023, unit=members[0].unit, cluster_year=cluster_year)


def test_the_summary_takes_as_many_queries_for_one_cluster_as_for_three(body, staff):
    _clusters_with_data(body, 1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            summary_of(staff, body, 2023)
        return len(queries)

    count()  # warm up per-process caches
    one = count()
    _clusters_with_data(body, 2, start=1)
    assert count() == one


# --- The page ----------------------------------------------------------------------------


def test_the_page_shows_the_summary_as_it_prints(staff_client, cluster_year, body):
    response = staff_client.get(URL, {"body": body.pk, "year": cluster_year.year})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="summary-preview"' in page
    assert "I. CÁC CỤM, KHỐI THI ĐUA" in page
    assert cluster_year.cluster.name in page
    assert 'name="what" id="what-summary" value="summary" checked' in page


def test_the_page_takes_as_many_queries_for_one_cluster_as_for_three(
    staff_client, body, assert_constant_queries, django_assert_num_queries
):
    _clusters_with_data(body, 1)
    url = f"{URL}?body={body.pk}&year=2023"
    first, second = assert_constant_queries(
        staff_client,
        url,
        add_two_more=lambda: _clusters_with_data(body, 2, start=1),
        ceiling=15,
    )
    assert "Cụm thi đua số 3" in second.content.decode()
    # The session, the user and their roles, the bodies with the span of their years;
    # the cluster years with their sheets, and their members; the pledges and their
    # registrations; the meetings with their chairs; the criteria and the scores; the
    # awards by type, their types and the reported counts; the recent files.
    with django_assert_num_queries(15):
        staff_client.get(url)


def test_another_bodys_summary_is_a_404(staff_client, cluster, other_cluster, other_body):
    assert staff_client.get(URL, {"body": other_body.pk}).status_code == 404
    response = staff_client.post(
        EXPORT_URL, {"body": other_body.pk, "year": 2023, "what": "summary", "fmt": "pdf"}
    )
    assert response.status_code == 404
    assert not Export.objects.exists()


def test_a_user_without_clusters_is_told_so(outsider_client):
    response = outsider_client.get(URL)
    assert response.status_code == 200
    assert 'id="summary-empty"' in response.content.decode()


# --- Files prepared in the background -------------------------------------------------------


def _prepare(client, body, year, capture, **data):
    with capture(execute=True):
        response = client.post(EXPORT_URL, {"body": body.pk, "year": year, **data})
    assert response.status_code == 302
    export = Export.objects.order_by("-pk").first()
    assert response["Location"] == export.get_absolute_url()
    return export


def test_the_summary_pdf_is_prepared_and_then_reused_until_the_data_changes(
    staff_client, staff, year_data, body, django_capture_on_commit_callbacks
):
    year = year_data.cluster_year.year
    first = _prepare(
        staff_client,
        body,
        year,
        django_capture_on_commit_callbacks,
        what="summary",
        fmt="pdf",
    )
    assert first.status == Export.Status.DONE
    assert first.progress == 100
    assert first.file.name.rsplit("/", 1)[-1] == f"tong-hop-cum-khoi-thi-dua-{year}-bac-kan.pdf"
    assert _file_bytes(first)[:5] == b"%PDF-"

    again = _prepare(
        staff_client, body, year, django_capture_on_commit_callbacks, what="summary", fmt="pdf"
    )
    assert again.pk != first.pk
    assert again.reused_from == first
    assert again.file.name == first.file.name
    page = staff_client.get(again.get_absolute_url()).content.decode()
    assert "dữ liệu chưa thay đổi" in page

    # Another format is another file.
    word = _prepare(
        staff_client, body, year, django_capture_on_commit_callbacks, what="summary", fmt="docx"
    )
    assert word.reused_from is None and word.file.name.endswith(".docx")

    # A change anywhere in the audited data: the next request builds a new file.
    services.report_text_save(
        cluster_year=year_data.cluster_year,
        kind=ReportText.Kind.YEAR_END,
        introduction="Mở đầu",
        assessment="",
        next_tasks="",
    )
    fresh = _prepare(
        staff_client, body, year, django_capture_on_commit_callbacks, what="summary", fmt="pdf"
    )
    assert fresh.reused_from is None
    assert fresh.file.name != first.file.name


def test_a_file_is_reused_only_for_a_user_who_sees_the_same(
    staff_client, secretary_client, year_data, body, django_capture_on_commit_callbacks
):
    ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối các sở"), year=2023)
    year = year_data.cluster_year.year
    staff_file = _prepare(
        staff_client, body, year, django_capture_on_commit_callbacks, what="summary", fmt="pdf"
    )
    secretary_file = _prepare(
        secretary_client, body, year, django_capture_on_commit_callbacks, what="summary", fmt="pdf"
    )
    assert secretary_file.reused_from is None
    assert "Khối các sở" in pdf_text_of(staff_file)
    assert "Khối các sở" not in pdf_text_of(secretary_file)


def pdf_text_of(export: Export) -> str:
    from core.documents.parity import pdf_pages_text

    return " ".join(" ".join(pdf_pages_text(_file_bytes(export))).split())


def test_every_clusters_report_of_the_year_comes_in_one_zip(
    staff_client, year_data, body, django_capture_on_commit_callbacks
):
    ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Khối các sở", kind=Cluster.Kind.BLOC), year=2023
    )
    export = _prepare(
        staff_client,
        body,
        year_data.cluster_year.year,
        django_capture_on_commit_callbacks,
        what="reports",
        kind="year-end",
        fmt="docx",
    )
    assert export.status == Export.Status.DONE
    assert export.params == {"year": 2023, "kind": "year-end", "format": "docx"}
    with zipfile.ZipFile(io.BytesIO(_file_bytes(export))) as archive:
        names = sorted(archive.namelist())
    assert names == sorted(
        [
            "khoi-cac-so.docx",
            f"{file_stem(year_data.cluster_year.cluster.name)}.docx",
        ]
    )
    assert export.file.name.rsplit("/", 1)[-1].startswith("bao-cao-tong-ket-cac-cum-khoi-2023-")


def test_the_progress_page_shows_how_far_the_work_is(staff_client, staff, cluster_year, body):
    export = Export.objects.create(
        user=staff,
        kind=Export.Kind.PROVINCE_SUMMARY,
        object_id=body.pk,
        params={"year": 2023, "format": "pdf"},
        title="Tổng hợp",
    )
    services._progress_of(export.pk)(3, 4)
    export.refresh_from_db()
    assert export.progress == 75
    page = staff_client.get(export.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<progress class="export-progress" id="export-progress" max="100" value="75"' in page
    services._progress_of(export.pk)(1, 4)  # never goes back
    export.refresh_from_db()
    assert export.progress == 75


def test_a_broken_summary_is_reported_not_raised(staff, body, cluster_year, monkeypatch):
    def broken(years, *, year):
        raise RuntimeError("section failed")

    summary_sections.register("broken", title="X", order=99, build=broken)
    try:
        export = services.export_start(
            user=staff,
            kind=Export.Kind.PROVINCE_SUMMARY,
            object_id=body.pk,
            params={"year": 2023, "format": "pdf"},
            title="Tổng hợp",
        )
        export = services.export_build(export_id=export.pk)
    finally:
        summary_sections.unregister("broken")
    assert export.status == Export.Status.FAILED
    assert "section failed" in export.error


# --- No worker answering ------------------------------------------------------------------


def _waiting(user, body, *, seconds_ago, status=Export.Status.PENDING):
    export = Export.objects.create(
        user=user,
        kind=Export.Kind.PROVINCE_SUMMARY,
        object_id=body.pk,
        params={"year": 2023, "format": "pdf"},
        title="Tổng hợp",
        status=status,
    )
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    export.refresh_from_db()
    return export


def test_a_file_no_worker_took_up_can_be_built_at_once(staff_client, staff, cluster_year, body):
    fresh = _waiting(staff, body, seconds_ago=10)
    page = staff_client.get(fresh.get_absolute_url()).content.decode()
    assert 'id="export-stalled"' not in page
    staff_client.post(reverse("reports:export-build-now", args=[fresh.pk]))
    fresh.refresh_from_db()
    assert fresh.status == Export.Status.PENDING  # a worker may still take it up

    stalled = _waiting(staff, body, seconds_ago=600)
    page = staff_client.get(stalled.get_absolute_url()).content.decode()
    assert 'id="export-stalled"' in page
    assert "Dịch vụ chạy nền không phản hồi" in page
    response = staff_client.post(reverse("reports:export-build-now", args=[stalled.pk]))
    assert response["Location"] == stalled.get_absolute_url()
    stalled.refresh_from_db()
    assert stalled.status == Export.Status.DONE
    assert cluster_year.cluster.name in pdf_text_of(stalled)


def test_a_build_that_stopped_is_taken_over(staff_client, staff, cluster_year, body):
    stuck = _waiting(staff, body, seconds_ago=7200, status=Export.Status.RUNNING)
    assert stuck.is_stalled
    staff_client.post(reverse("reports:export-build-now", args=[stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == Export.Status.DONE


def test_nobody_builds_another_users_file(viewer_client, staff, cluster_year, body):
    stalled = _waiting(staff, body, seconds_ago=600)
    assert (
        viewer_client.post(reverse("reports:export-build-now", args=[stalled.pk])).status_code
        == 404
    )
    stalled.refresh_from_db()
    assert stalled.status == Export.Status.PENDING


def test_a_user_has_only_a_few_files_prepared_at_once(staff_client, staff, cluster_year, body):
    for _ in range(3):
        _waiting(staff, body, seconds_ago=5)
    response = staff_client.post(
        EXPORT_URL,
        {"body": body.pk, "year": 2023, "what": "reports", "kind": "year-end", "fmt": "pdf"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?body={body.pk}&year=2023"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Bạn đang có 3 tệp đang được lập: hãy chờ các tệp này xong rồi mới yêu cầu tệp khác."
    ]
    assert Export.objects.count() == 3
    package = staff_client.post(reverse("reports:year-package", args=[cluster_year.pk]))
    assert package["Location"] == cluster_year.get_absolute_url()
    assert Export.objects.count() == 3
