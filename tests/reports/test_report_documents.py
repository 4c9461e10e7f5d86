"""The year-end and mid-year reports: what they print, in the PDF and the Word file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import Cluster, ClusterMember, ClusterYear
from clusters.reports import MID_YEAR, YEAR_END, report_sections
from core.documents.model import Paragraph
from core.documents.parity import assert_same_words
from reports.documents import report_document
from reports.models import ReportText
from tests.factories import ClusterMemberFactory, ClusterYearFactory
from tests.reports.conftest import YearData
from tests.reports.helpers import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def load(cluster_year: ClusterYear) -> ClusterYear:
    """The year as views and the command fetch it."""
    return ClusterYear.objects.select_related("cluster__body", "next_head", "next_deputy").get(
        pk=cluster_year.pk
    )


def test_the_year_end_report_prints_the_year_in_both_files(year_data):
    document = report_document(cluster_year=load(year_data.cluster_year), kind=YEAR_END)
    for text in (pdf_text(document), docx_text(document)):
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "Số: /BC-CTĐ" in text
        assert "BÁO CÁO Tổng kết công tác thi đua, khen thưởng năm 2023" in text
        assert "Cụm thi đua các huyện, thành phố năm 2023 gồm 3 đơn vị thành viên" in text
        assert "- Huyện Na Rì; - Huyện Pác Nặm; - Huyện Ba Bể." in text
        assert (
            "Năm 2023, Huyện Na Rì là đơn vị Cụm trưởng; Huyện Pác Nặm là đơn vị Cụm phó." in text
        )
        assert "Chủ đề thi đua năm 2023: “Đoàn kết, sáng tạo”." in text
        assert "Phong trào “Cả nước chung sức xây dựng nông thôn mới”" in text
        assert "110 (110%)" in text  # Na Rì's result against its commitment of 100
        assert "Thời gian: ngày 18/01/2024; địa điểm: Huyện Na Rì." in text
        assert "Chủ trì: đồng chí Nông Văn Nguyên, Chủ tịch UBND huyện Na Rì." in text
        assert "Hoàn thiện hồ sơ đề nghị khen thưởng." in text
        assert "dự thảo, chưa được Hội nghị thông qua" in text
        assert "1 Huyện Na Rì 90,00 90,00 1 2 Huyện Ba Bể 89,00" in text
        assert "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024" in text
        assert "TM. CỤM THI ĐUA CỤM TRƯỞNG Huyện Na Rì Nông Văn Nguyên" in text
        assert "Nơi nhận:" in text
    pdf = pdf_text(document)
    # The head unit issues the report, under the cluster; dated the year-end meeting.
    assert pdf.startswith("CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ HUYỆN NA RÌ")
    assert "ngày 18 tháng 01 năm 2024" in pdf


def test_the_pdf_and_the_word_file_say_the_same(year_data):
    for kind in (YEAR_END, MID_YEAR):
        assert_same_words(report_document(cluster_year=load(year_data.cluster_year), kind=kind))


def test_the_mid_year_report_has_no_ranking_and_its_own_subject(year_data):
    document = report_document(cluster_year=load(year_data.cluster_year), kind=MID_YEAR)
    text = pdf_text(document)
    assert "Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2023" in text
    assert "XẾP HẠNG" not in text
    # Its meetings are those before the year-end review; its period is the mid-year one.
    assert "Chưa có hội nghị nào được tổ chức trong năm." in text
    assert "Chưa có kết quả thực hiện chỉ tiêu." in text
    assert "NHIỆM VỤ 6 THÁNG CUỐI NĂM 2023" in text


def test_an_empty_year_says_what_it_lacks(cluster):
    cluster_year = ClusterYearFactory(cluster=cluster, year=2025)
    document = report_document(cluster_year=load(cluster_year), kind=YEAR_END)
    pdf, _docx = assert_same_words(document)
    text = pdf_text(document)
    assert "Chưa có đơn vị thành viên." in text
    assert "Chưa có giao ước thi đua." in text
    assert "Chưa có hội nghị nào được tổ chức trong năm." in text
    assert "Chưa có kết quả chấm điểm." in text
    # Without a head unit, the cluster issues it under its body; no date yet.
    assert text.startswith(f"{cluster.body.name.upper()} CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ")
    assert "ngày ...... tháng ...... năm ......" in text
    assert not document.landscape


def test_the_texts_staff_wrote_replace_the_defaults(year_data):
    ReportText.objects.create(
        cluster_year=year_data.cluster_year,
        kind=YEAR_END,
        introduction="Năm 2023, các đơn vị thành viên đoàn kết, nỗ lực vượt khó.",
        assessment="Các phong trào thi đua được triển khai sâu rộng.",
        next_tasks="- Tiếp tục đổi mới phong trào thi đua.\n- Nhân rộng điển hình tiên tiến.",
    )
    document = report_document(cluster_year=load(year_data.cluster_year), kind=YEAR_END)
    text = pdf_text(document)
    assert "báo cáo kết quả công tác thi đua" not in text
    assert text.index("Năm 2023, các đơn vị thành viên đoàn kết") < text.index("I. CÁC ĐƠN VỊ")
    assert "V. ĐÁNH GIÁ CHUNG Các phong trào thi đua được triển khai sâu rộng." in text
    assert (
        "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024 - Tiếp tục đổi mới phong trào thi đua. "
        "- Nhân rộng điển hình tiên tiến." in text
    )
    # The mid-year report keeps its own (default) texts.
    mid_year = pdf_text(report_document(cluster_year=load(year_data.cluster_year), kind=MID_YEAR))
    assert "Các phong trào thi đua được triển khai sâu rộng." not in mid_year


def test_a_section_registered_later_takes_its_place_and_an_empty_one_is_left_out(year_data):
    report_sections.register(
        "votes-test",
        title="KẾT QUẢ BỎ PHIẾU SUY TÔN",
        kind=YEAR_END,
        order=50,
        build=lambda cluster_year, *, period: [Paragraph("Huyện Na Rì được suy tôn.")],
    )
    report_sections.register(
        "awards-test", title="KHEN THƯỞNG", order=60, build=lambda cluster_year, *, period: []
    )
    try:
        text = pdf_text(report_document(cluster_year=load(year_data.cluster_year)))
    finally:
        report_sections.unregister("votes-test")
        report_sections.unregister("awards-test")
    assert "IV. KẾT QUẢ CHẤM ĐIỂM" in text
    assert "V. KẾT QUẢ BỎ PHIẾU SUY TÔN Huyện Na Rì được suy tôn. VI. PHƯƠNG HƯỚNG" in text
    assert "KHEN THƯỞNG VI" not in text and "KHEN THƯỞNG Huyện" not in text


def test_a_section_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        report_sections.register("x", title="X", kind="yearly", order=1, build=lambda c, **k: [])
    assert "x" not in report_sections


def test_a_wide_attainment_table_turns_the_page(year_data):
    assert not report_document(cluster_year=load(year_data.cluster_year)).landscape
    for name in ("Huyện Chợ Mới", "Huyện Chợ Đồn", "Huyện Ngân Sơn"):
        year_data.add_member(name)
    assert report_document(cluster_year=load(year_data.cluster_year)).landscape


def test_the_report_data_takes_as_many_queries_for_one_member_as_for_three(cluster, units):
    cluster_year = ClusterYearFactory(cluster=cluster, year=2024)
    head = ClusterMemberFactory(
        cluster_year=cluster_year, unit=units[0], role=ClusterMember.Role.HEAD
    )
    data = YearData(cluster_year, [head])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report_document(cluster_year=load(cluster_year), kind=YEAR_END)
        return len(queries)

    with_one = count()
    data.add_member("Huyện Chợ Mới")
    data.add_member("Huyện Ngân Sơn")
    assert count() == with_one


# --- The seeds as acceptance -----------------------------------------------------------------


def demo_year(body_short_name: str, kind: str, year: int) -> ClusterYear:
    return ClusterYear.objects.select_related("cluster__body", "next_head", "next_deputy").get(
        cluster__body__short_name=body_short_name, cluster__kind=kind, year=year
    )


def test_the_bac_kan_year_end_report_says_what_seed_000_says(demo):
    cluster_year = ClusterYear.objects.select_related(
        "cluster__body", "next_head", "next_deputy"
    ).get(cluster__name="Cụm thi đua các huyện, thành phố", year=2022)
    document = report_document(cluster_year=cluster_year, kind=YEAR_END)
    text = pdf_text(document)
    assert text.startswith("CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ THÀNH PHỐ BẮC KẠN")
    assert "Bắc Kạn, ngày 07 tháng 02 năm 2023" in text
    assert "gồm 8 đơn vị thành viên" in text
    for name in ("Thành phố Bắc Kạn", "Huyện Na Rì", "Huyện Pác Nặm", "Huyện Chợ Mới"):
        assert f"- {name}" in text
    assert (
        "Năm 2022, Thành phố Bắc Kạn là đơn vị Cụm trưởng; Huyện Na Rì là đơn vị Cụm phó." in text
    )
    assert "bầu Huyện Na Rì làm Cụm trưởng, Huyện Pác Nặm làm Cụm phó năm 2023" in text
    assert "“Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau”" in text
    assert "Thời gian: ngày 07/02/2023; địa điểm: Thành phố Bắc Kạn." in text
    assert "Chủ trì: đồng chí Dương Hữu Bường, Tỉnh ủy viên, Phó Bí thư Thành ủy" in text
    assert "đồng chí Nông Văn Nguyên, Phó Bí thư Huyện uỷ, Chủ tịch UBND huyện Na Rì" in text
    assert "đã được Hội nghị tổng kết thông qua" in text
    assert "1 Huyện Na Rì" in text and "2 Huyện Chợ Mới" in text and "3 Huyện Pác Nặm" in text
    assert "TM. CỤM THI ĐUA CỤM TRƯỞNG Thành phố Bắc Kạn Dương Hữu Bường" in text
    # The nominations and the election: unanimous, every one of the eight members present.
    assert "V. KẾT QUẢ BỎ PHIẾU 1. Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh" in text
    assert (
        "Số đơn vị thành viên: 8; có mặt: 8. Số phiếu phát ra: 8; thu vào: 8; hợp lệ: 8; "
        "không hợp lệ: 0; phiếu trắng: 0." in text
    )
    assert "1 Huyện Na Rì 8 100,00 Đạt" in text
    assert "Kết quả: Huyện Na Rì được suy tôn đề nghị tặng Cờ thi đua của UBND tỉnh." in text
    assert (
        "Kết quả: Huyện Chợ Mới và Huyện Pác Nặm được suy tôn đề nghị tặng Bằng khen của UBND "
        "tỉnh." in text
    )
    assert "Kết quả: Huyện Na Rì được bầu làm Cụm trưởng năm 2023." in text
    assert "Kết quả: Huyện Pác Nặm được bầu làm Cụm phó năm 2023." in text
    assert (
        "Đơn vị được bầu cho năm 2023: Huyện Na Rì làm Cụm trưởng, Huyện Pác Nặm làm Cụm phó. "
        "VI. KHEN THƯỞNG 1. Khen thưởng đề nghị và đã có quyết định" in text
    )
    # The awards the nominations became: Na Rì's flag, Chợ Mới's and Pác Nặm's Bằng khen,
    # granted by one decision (its number and date invented by the demo).
    assert (
        "Năm 2022, cụm thi đua đề nghị khen thưởng 3 lượt (3 lượt tập thể, 0 lượt cá nhân); đã "
        "có quyết định khen thưởng cho 3 lượt." in text
    )
    words = docx_text(document)
    decided = "Quyết định số 345/QĐ-UBND ngày 10/03/2023 của Chủ tịch UBND tỉnh Bắc Kạn"
    assert f"1 Huyện Chợ Mới Bằng khen của UBND tỉnh {decided}" in words
    assert f"2 Huyện Pác Nặm Bằng khen của UBND tỉnh {decided}" in words
    assert f"3 Nhân dân và cán bộ huyện Na Rì Cờ thi đua của UBND tỉnh {decided}" in words
    assert "VII. PHƯƠNG HƯỚNG" in text
    assert_same_words(document)


def test_the_lao_cai_report_says_what_seed_001_says(demo):
    cluster_year = demo_year("Lào Cai", Cluster.Kind.BLOC, 2022)
    text = pdf_text(report_document(cluster_year=cluster_year, kind=YEAR_END))
    assert "gồm 9 đơn vị thành viên" in text
    assert "Năm 2022, Huyện Bắc Hà là đơn vị Khối phó." in text
    assert "9/9 đơn vị thành viên đã ký giao ước" in text
    assert "tại huyện Si Ma Cai" in text
    assert "9/9 đơn vị đăng ký Cờ thi đua của Chính phủ; - 9/9 đơn vị đăng ký Cờ thi đua" in text
    assert "Toàn khối có 1.524 lượt tập thể và 18.568 lượt cá nhân đăng ký" in text
    assert "Thời gian: ngày 22/07/2022; địa điểm: Huyện Bắc Hà." in text
    assert "đồng chí Đinh Văn Đăng" in text
    assert "Chưa có kết quả chấm điểm." in text
    # The bloc's Giấy khen to 07 collectives and 11 individuals, recorded one by one, and
    # the counts it reported for the six months (517; 1.315 and 9.294), apart.
    assert (
        "Năm 2022, khối thi đua đề nghị khen thưởng 18 lượt (7 lượt tập thể, 11 lượt cá nhân); "
        "đã có quyết định khen thưởng cho 18 lượt." in text
    )
    assert "2. Số lượng khen thưởng do đơn vị thành viên báo cáo" in text
    mid_year_document = report_document(cluster_year=cluster_year, kind=MID_YEAR)
    mid_year = pdf_text(mid_year_document)
    assert "Lào Cai, ngày 22 tháng 7 năm 2022" in mid_year
    assert "Sơ kết 6 tháng năm 2022" in mid_year  # the attainment of the mid-year period
    assert (
        "Trong 6 tháng đầu năm 2022, 18 lượt khen thưởng được ghi nhận từng trường hợp (7 lượt "
        "tập thể, 11 lượt cá nhân)." in mid_year
    )
    words = docx_text(mid_year_document)
    for count, level, kind in (
        ("517", "Cấp bộ, ngành, tỉnh", "Tập thể, cá nhân"),
        ("1.315", "Cấp cơ sở", "Tập thể"),
        ("9.294", "Cấp cơ sở", "Cá nhân"),
    ):
        assert f"Huyện Bắc Hà 6 tháng đầu năm {level} {kind} {count}" in words
    assert "Giấy khen Quyết định số 18/QĐ-KTĐ ngày 15/06/2022" in words
    assert_same_words(mid_year_document)


def test_the_midland_report_says_what_seed_002_says(demo):
    cluster_year = ClusterYear.objects.select_related(
        "cluster__body", "next_head", "next_deputy"
    ).get(cluster__name="Cụm thi đua các tỉnh trung du và miền núi phía Bắc", year=2023)
    text = pdf_text(report_document(cluster_year=cluster_year, kind=YEAR_END))
    assert text.startswith("CỤM THI ĐUA CÁC TỈNH TRUNG DU VÀ MIỀN NÚI PHÍA BẮC TỈNH BẮC KẠN")
    for name in ("Bắc Kạn", "Tuyên Quang", "Phú Thọ", "Thái Nguyên", "Bắc Giang", "Hòa Bình"):
        assert f"- Tỉnh {name}" in text
    assert "- Tỉnh Yên Bái." in text
    assert (
        "Năm 2023, Tỉnh Bắc Kạn là đơn vị Cụm trưởng; Tỉnh Tuyên Quang là đơn vị Cụm phó." in text
    )
    assert "Thời gian: ngày 28/07/2023; địa điểm: Tỉnh Tuyên Quang." in text
    assert "đồng chí Phạm Đức Toàn, Phó Trưởng ban Thi đua - Khen thưởng Trung ương" in text
    assert "đồng chí Phạm Duy Hưng, Phó Chủ tịch UBND tỉnh Bắc Kạn" in text
    assert "đồng chí Hoàng Việt Phương, Phó Chủ tịch UBND tỉnh Tuyên Quang" in text
