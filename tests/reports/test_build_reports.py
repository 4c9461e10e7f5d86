"""``manage.py build_reports``: one report per cluster year of a year, into a folder."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from clusters.models import Cluster, ClusterMember
from core.documents.parity import docx_words, pdf_pages_text

pytestmark = pytest.mark.django_db

NAMES = [
    "cum-thi-dua-cac-huyen-thanh-pho",
    "cum-thi-dua-cac-tinh-trung-du-va-mien-nui-phia-bac",
    "khoi-thi-dua-cac-huyen-thi-xa-thanh-pho",
]


def build(*args) -> list[str]:
    out = io.StringIO()
    call_command("build_reports", *args, stdout=out)
    return out.getvalue().split()


def test_it_writes_one_pdf_per_cluster_year_and_prints_each_path(demo, tmp_path):
    paths = build("--year", "2022", "--kind", "year-end", "--output-dir", str(tmp_path))
    assert paths == [str(tmp_path / f"{name}.pdf") for name in NAMES]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.pdf" for name in NAMES]
    text = " ".join(" ".join(pdf_pages_text((tmp_path / f"{NAMES[2]}.pdf").read_bytes())).split())
    assert "Tổng kết công tác thi đua, khen thưởng năm 2022" in text
    assert "Toàn khối có 1.524 lượt tập thể và 18.568 lượt cá nhân" in text


def test_it_writes_word_files_of_one_cluster(demo, tmp_path):
    cluster = Cluster.objects.get(name="Cụm thi đua các huyện, thành phố")
    paths = build(
        "--year", "2023", "--kind", "mid-year", "--format", "docx",
        "--cluster", str(cluster.pk), "--output-dir", str(tmp_path / "new"),
    )  # fmt: skip
    assert paths == [str(tmp_path / "new" / f"{NAMES[0]}.docx")]
    words = " ".join(docx_words((tmp_path / "new" / f"{NAMES[0]}.docx").read_bytes()))
    assert "Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2023" in words
    assert "Năm 2023, Huyện Na Rì là đơn vị Cụm trưởng; Huyện Pác Nặm là đơn vị Cụm phó." in words


VOTE_HEAD = ["TT", "Đơn vị", "Số phiếu", "Tỷ lệ (%)", "Kết quả"]


def sheet_texts(path) -> list[list[str]]:
    """Each sheet's cells as text, the sheets in order."""
    workbook = load_workbook(path)
    return [
        [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
        for sheet in workbook.worksheets
    ]


def test_it_writes_the_tables_of_each_report_as_an_excel_workbook(demo, tmp_path):
    paths = build("--year", "2022", "--format", "xlsx", "--output-dir", str(tmp_path))
    assert paths == [str(tmp_path / f"{name}.xlsx") for name in NAMES]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.xlsx" for name in NAMES]
    members = ClusterMember.objects.filter(cluster_year__year=2022).select_related(
        "unit", "cluster_year__cluster"
    )
    by_cluster = {}
    for member in members:
        by_cluster.setdefault(member.cluster_year.cluster.name, []).append(member.unit)

    sheets = sheet_texts(tmp_path / f"{NAMES[0]}.xlsx")
    targets, ranking = sheets[:2]
    votes = [sheet for sheet in sheets[2:] if "Khen thưởng" not in sheet[2]]
    # The awards' tables after the votes: the flag and the two Bằng khen of the demo's
    # decision among them.
    awards = next(sheet for sheet in sheets if sheet[2].startswith("1. Khen thưởng"))
    assert {"Nhân dân và cán bộ huyện Na Rì", "Huyện Chợ Mới", "Huyện Pác Nặm"} <= set(awards)
    # A sheet for each vote's table (the votes of seed 000), after the ranking.
    assert [sheet[2:] for sheet in votes] == [
        ["1. Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh năm 2022", *VOTE_HEAD,
         "1", "Huyện Na Rì", "8", "100", "Đạt"],
        ["2. Suy tôn đơn vị đề nghị tặng Bằng khen của UBND tỉnh năm 2022", *VOTE_HEAD,
         "1", "Huyện Chợ Mới", "8", "100", "Đạt", "2", "Huyện Pác Nặm", "8", "100", "Đạt"],
        ["3. Bầu Cụm trưởng Cụm thi đua các huyện, thành phố năm 2023", *VOTE_HEAD,
         "1", "Huyện Na Rì", "8", "100", "Đạt"],
        ["4. Bầu Cụm phó Cụm thi đua các huyện, thành phố năm 2023", *VOTE_HEAD,
         "1", "Huyện Pác Nặm", "8", "100", "Đạt"],
    ]  # fmt: skip
    districts = by_cluster["Cụm thi đua các huyện, thành phố"]
    assert len(districts) == 8
    # The targets have a column per member (short names), the ranking a row per member.
    assert {unit.short_name for unit in districts} <= set(targets)
    assert {unit.name for unit in districts} <= set(ranking)
    assert ranking[:3] == [
        "BÁO CÁO",
        "Tổng kết công tác thi đua, khen thưởng năm 2022",
        "IV. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA",
    ]

    # The Lào Cai bloc: its targets, then its awards (the demo's Giấy khen).
    bloc, *bloc_awards = sheet_texts(tmp_path / f"{NAMES[2]}.xlsx")
    assert all("Khen thưởng" in sheet[2] or "khen thưởng" in sheet[2] for sheet in bloc_awards)
    towns = by_cluster["Khối thi đua các huyện, thị xã, thành phố"]
    assert len(towns) == 9
    assert {unit.short_name for unit in towns} <= set(bloc)

    # The provinces' report of 2022 has no table: its workbook says so.
    assert sheet_texts(tmp_path / f"{NAMES[1]}.xlsx") == [
        [
            "BÁO CÁO",
            "Tổng kết công tác thi đua, khen thưởng năm 2022",
            "Văn bản không có bảng số liệu.",
        ]
    ]


def test_a_year_without_clusters_is_an_error(db, tmp_path):
    with pytest.raises(CommandError):
        build("--year", "1999", "--output-dir", str(tmp_path))
    assert not list(tmp_path.iterdir())
