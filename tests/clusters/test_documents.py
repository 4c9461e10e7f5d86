"""What a cluster's documents share: the header, short names for narrow columns, the
signatures, and the registry of a year's documents."""

import datetime

import pytest

from clusters.documents import (
    YearDocuments,
    cluster_header,
    cluster_signature,
    file_stem,
    issuer_code,
    representative_signature,
    short_unit_name,
    year_documents,
)
from clusters.models import Cluster, ClusterMember, Unit
from clusters.selectors import leaders_in, member_list

pytestmark = pytest.mark.django_db


def test_the_header_names_the_body_over_the_cluster_with_the_bodys_place(cluster):
    header = cluster_header(cluster, number="05/BB-CTĐ", date=datetime.date(2023, 2, 7))

    assert (header.parent_body, header.issuer) == (
        "UBND tỉnh Bắc Kạn",
        "Cụm thi đua các huyện, thành phố",
    )
    assert header.number_line == "Số: 05/BB-CTĐ"
    assert header.date_line == "Bắc Kạn, ngày 07 tháng 02 năm 2023"
    assert issuer_code(cluster) == "CTĐ"


@pytest.mark.parametrize(
    ("name", "short_name", "expected"),
    [
        ("Huyện Nghĩa Hưng", "Nghĩa Hưng", "Nghĩa Hưng"),
        ("Huyện Xuân Trường", "", "Xuân Trường"),
        ("Thành phố Nam Định", "", "TP Nam Định"),
        ("Thị xã Quảng Yên", "", "TX Quảng Yên"),
        ("Sở Nội vụ", "", "Sở Nội vụ"),
        ("Huyện", "", "Huyện"),
    ],
)
def test_a_column_head_takes_the_short_name_or_drops_the_prefix(name, short_name, expected):
    assert short_unit_name(Unit(name=name, short_name=short_name)) == expected


def test_file_stems_have_no_diacritics():
    assert file_stem("Tổng kết công tác thi đua năm 2023") == "tong-ket-cong-tac-thi-dua-nam-2023"
    assert file_stem("Đền ơn đáp nghĩa", limit=7) == "den-on"
    assert file_stem("…") == "van-ban"


def test_head_and_deputy_are_read_from_loaded_members_without_a_query(
    cluster_year, units, django_assert_num_queries
):
    members = member_list(cluster_year)

    with django_assert_num_queries(0):
        head, deputy = leaders_in(members)

    assert (head, deputy) == (units[0], units[2])
    assert leaders_in([m for m in members if m.role == ClusterMember.Role.MEMBER]) == (
        None,
        None,
    )


def test_the_cluster_signs_through_its_head_unit(cluster, units):
    block = cluster_signature(cluster, units[0], name="Nông Văn Nguyên")

    assert (block.capacity, block.title, block.unit, block.name) == (
        "TM. Cụm thi đua",
        "Cụm trưởng",
        "Huyện Na Rì",
        "Nông Văn Nguyên",
    )
    bloc = Cluster(name="Khối thi đua các sở", kind=Cluster.Kind.BLOC, body=cluster.body)
    assert cluster_signature(bloc, None).title == "Khối trưởng"
    assert cluster_signature(bloc, None).unit == ""


def test_a_member_signs_through_its_representative(units):
    block = representative_signature(
        units[0], name="Nông Văn Nguyên", position="Chủ tịch UBND huyện"
    )

    assert (block.capacity, block.title, block.name) == (
        "Đại diện Huyện Na Rì",
        "Chủ tịch UBND huyện",
        "Nông Văn Nguyên",
    )


def test_the_registry_lists_kinds_in_order_and_replaces_a_key_registered_again():
    registry = YearDocuments()
    registry.register("b", label="B", order=20, build=lambda year: [("b", year)])
    registry.register("a", label="A", order=10, build=lambda year: [("a1", year), ("a2", year)])
    registry.register("c", label="C", order=5, build=lambda year: [], folder="cong-van")
    registry.register("b", label="B", order=30, build=lambda year: [("b2", year)])

    assert [kind.key for kind in registry] == ["c", "a", "b"]
    assert registry["c"].path("x.pdf") == "cong-van/x.pdf"
    assert registry["a"].path("a1.pdf") == "a/a1.pdf"
    assert list(registry.documents("Y")) == [("a/a1", "Y"), ("a/a2", "Y"), ("b/b2", "Y")]
    registry.unregister("b")
    assert "b" not in registry


def test_the_apps_register_their_documents_of_the_year():
    assert [(kind.key, kind.folder) for kind in year_documents][:3] == [
        ("pledge", "giao-uoc"),
        ("minutes", "hoi-nghi"),
        ("results", "cham-diem"),
    ]
