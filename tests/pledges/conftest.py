"""The 2023 pledge of the Bắc Kạn districts' cluster, built through ``pledges.services``.

``cluster_year`` (tests/conftest.py) has Na Rì (head), Pác Nặm (deputy) and Ba Bể. The
pledge has one target of every measure, in four groups, and every member's commitment.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from clusters.models import AwardType, ClusterMember
from pledges import services
from pledges.models import Period, Target
from pledges.services import Cell
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.pledges import MovementFactory
from tests.pledges.helpers import count_queries

THEME = "Đoàn kết, sáng tạo, thi đua hoàn thành thắng lợi nhiệm vụ năm 2023"
SIGNED_ON = datetime.date(2023, 2, 7)

N, P, B, T = (
    Target.Measure.NUMBER,
    Target.Measure.PERCENT,
    Target.Measure.BOOLEAN,
    Target.Measure.TEXT,
)
UP, DOWN = Target.Direction.HIGHER, Target.Direction.LOWER

# key: (group, order, name, measure, unit of measure, direction, weight)
TARGETS = {
    "budget": ("Kinh tế", 10, "Thu ngân sách nhà nước trên địa bàn", N, "tỷ đồng", UP, "15"),
    "growth": ("Kinh tế", 20, "Tốc độ tăng giá trị sản xuất", P, "", UP, "10"),
    "accidents": ("Văn hóa - Xã hội", 30, "Số vụ tai nạn giao thông", N, "vụ", DOWN, "5"),
    "recruitment": ("Quốc phòng - An ninh", 40, "Hoàn thành chỉ tiêu tuyển quân", B, "", UP, "10"),
    "campaign": (
        "Công tác thi đua, khen thưởng",
        50,
        "Phong trào thi đua theo chuyên đề được phát động",
        T,
        "",
        UP,
        None,
    ),
}

CAMPAIGN = "Thi đua chuyên đề chuyển đổi số"
# (target key, member short name): committed cell
COMMITTED = {
    ("budget", "Na Rì"): Cell(Decimal("1234.5")),
    ("budget", "Ba Bể"): Cell(Decimal("380")),
    ("budget", "Pác Nặm"): Cell(Decimal("45")),
    ("growth", "Na Rì"): Cell(Decimal("8.5")),
    ("growth", "Ba Bể"): Cell(Decimal("9")),
    ("growth", "Pác Nặm"): Cell(Decimal("8.8")),
    ("accidents", "Na Rì"): Cell(Decimal("6")),
    ("accidents", "Ba Bể"): Cell(Decimal("5")),
    ("accidents", "Pác Nặm"): Cell(Decimal("4")),
    ("recruitment", "Na Rì"): Cell(Decimal("1")),
    ("recruitment", "Ba Bể"): Cell(Decimal("1")),
    ("recruitment", "Pác Nặm"): Cell(Decimal("0")),
    ("campaign", "Na Rì"): Cell(text=CAMPAIGN),
    ("campaign", "Ba Bể"): Cell(text=CAMPAIGN),
    ("campaign", "Pác Nặm"): Cell(text=CAMPAIGN),
}

# Mid-year results against COMMITTED, and what the heat table makes of them (columns in
# member order: Na Rì head, Pác Nặm deputy, Ba Bể). By 30/6 half of each count or
# amount is expected (the accidents allowance is halved too), rates in full; a
# committed "yes" not done yet is still in progress.
REPORTED = "Đã phát động, tổ chức sơ kết"
MID_YEAR = {
    ("budget", "Na Rì"): Cell(Decimal("1300")),
    ("budget", "Ba Bể"): Cell(Decimal("380")),
    ("budget", "Pác Nặm"): Cell(Decimal("40")),
    ("growth", "Na Rì"): Cell(Decimal("8.5")),
    ("growth", "Pác Nặm"): Cell(Decimal("9")),
    ("accidents", "Na Rì"): Cell(Decimal("7")),
    ("accidents", "Ba Bể"): Cell(Decimal("5")),
    ("accidents", "Pác Nặm"): Cell(Decimal("3")),
    ("recruitment", "Na Rì"): Cell(Decimal("1")),
    ("recruitment", "Ba Bể"): Cell(Decimal("0")),
    ("recruitment", "Pác Nặm"): Cell(Decimal("1")),
    ("campaign", "Na Rì"): Cell(text=REPORTED),
    ("campaign", "Pác Nặm"): Cell(text=REPORTED),
}
MID_YEAR_HEAT = {
    "Thu ngân sách nhà nước trên địa bàn": ["exceeded", "met", "met"],
    "Tốc độ tăng giá trị sản xuất": ["met", "exceeded", "not_reported"],
    "Số vụ tai nạn giao thông": ["not_met", "not_met", "not_met"],
    "Hoàn thành chỉ tiêu tuyển quân": ["met", "exceeded", "in_progress"],
    "Phong trào thi đua theo chuyên đề được phát động": ["reported", "reported", "not_reported"],
}
MID_YEAR_FOOTER = ["3/4", "3/4", "1/2"]
# The same results judged against the whole year's commitments (a year-end period).
FULL_YEAR_HEAT = {
    "Thu ngân sách nhà nước trên địa bàn": ["exceeded", "not_met", "met"],
    "Tốc độ tăng giá trị sản xuất": ["met", "exceeded", "not_reported"],
    "Số vụ tai nạn giao thông": ["not_met", "exceeded", "met"],
    "Hoàn thành chỉ tiêu tuyển quân": ["met", "exceeded", "not_met"],
    "Phong trào thi đua theo chuyên đề được phát động": ["reported", "reported", "not_reported"],
}
FULL_YEAR_FOOTER = ["3/4", "3/4", "2/3"]


def target_rows(specs: dict = TARGETS) -> list[dict]:
    return [
        {
            "group": group,
            "order": order,
            "name": name,
            "measure": measure,
            "unit_of_measure": unit,
            "direction": direction,
            "weight": Decimal(weight) if weight else None,
        }
        for group, order, name, measure, unit, direction, weight in specs.values()
    ]


def keyed(cells: dict, targets: dict, members: dict) -> dict:
    """{(target key, member short name): cell} → {(target id, member id): cell}."""
    return {
        (targets[target].pk, members[member].pk): cell for (target, member), cell in cells.items()
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def movement(db):
    return MovementFactory(
        name="Cả nước chung sức xây dựng nông thôn mới", launched_by="Thủ tướng Chính phủ"
    )


@pytest.fixture
def pledge(cluster_year, movement):
    return services.pledge_create(
        cluster_year=cluster_year,
        theme=THEME,
        body="Các đơn vị thành viên thống nhất:\n\n- Đẩy mạnh các phong trào thi đua yêu nước.",
        movements=[movement],
        signed_on=SIGNED_ON,
        signed_place="Thành phố Bắc Kạn",
    )


@pytest.fixture
def members(cluster_year) -> dict[str, ClusterMember]:
    """The year's members by short name."""
    return {
        m.unit.short_name: m
        for m in ClusterMember.objects.filter(cluster_year=cluster_year).select_related("unit")
    }


@pytest.fixture
def targets(pledge) -> dict[str, Target]:
    saved = services.targets_save(pledge=pledge, rows=target_rows())
    return dict(zip(TARGETS, saved, strict=True))


@pytest.fixture
def commitments(pledge, targets, members):
    services.commitments_save(pledge=pledge, cells=keyed(COMMITTED, targets, members))
    return COMMITTED


@pytest.fixture
def mid_year(pledge) -> Period:
    return pledge.periods.get(kind=Period.Kind.MID_YEAR)


@pytest.fixture
def year_end(pledge) -> Period:
    return pledge.periods.get(kind=Period.Kind.YEAR_END)


@pytest.fixture
def mid_year_results(mid_year, targets, members, commitments):
    services.results_save(period=mid_year, cells=keyed(MID_YEAR, targets, members))
    return MID_YEAR


@pytest.fixture
def signed_pledge(pledge, targets, commitments):
    return services.pledge_sign(pledge=pledge, signed_on=SIGNED_ON, signed_place="Bắc Kạn")


@pytest.fixture
def neighbour_pledge(body, units):
    """Another cluster of the same province (staff see it) with a pledge and one target."""
    cluster_year = ClusterYearFactory(
        cluster=ClusterFactory(body=body, name="Khối thi đua các sở, ban, ngành"), year=2023
    )
    member = ClusterMemberFactory(
        cluster_year=cluster_year,
        unit=UnitFactory(body=body, name="Sở Nội vụ", short_name="Sở Nội vụ"),
        role=ClusterMember.Role.HEAD,
    )
    pledge = services.pledge_create(cluster_year=cluster_year, theme="Đổi mới, sáng tạo")
    target = services.targets_save(
        pledge=pledge, rows=[{"name": "Tỷ lệ hồ sơ giải quyết đúng hạn", "measure": P}]
    )[0]
    return {"pledge": pledge, "member": member, "target": target}


@pytest.fixture
def foreign_pledge(other_body):
    """A pledge of another province: outsiders' data."""
    cluster_year = ClusterYearFactory(
        cluster=ClusterFactory(body=other_body, name="Khối thi đua các huyện, thị xã"), year=2023
    )
    member = ClusterMemberFactory(
        cluster_year=cluster_year,
        unit=UnitFactory(body=other_body, name="Huyện Bắc Hà", short_name="Bắc Hà"),
        role=ClusterMember.Role.HEAD,
    )
    pledge = services.pledge_create(cluster_year=cluster_year, theme="Thi đua yêu nước")
    target = services.targets_save(
        pledge=pledge, rows=[{"name": "Thu ngân sách", "measure": N, "unit_of_measure": "tỷ"}]
    )[0]
    return {"pledge": pledge, "member": member, "target": target}


@pytest.fixture
def assert_same_queries():
    """Render ``url``, call ``grow()`` (one member and target → three of each), render again.

    Both renderings must run the same number of queries: no query per row or column.
    Returns the two responses so the caller can check that the growth shows.
    """

    def check(client: Client, url: str, *, grow):
        client.get(url)  # warm up per-process caches (content types, the session)
        small, first = count_queries(client, url)
        grow()
        large, second = count_queries(client, url)
        assert small == large, f"{url}: {small} queries for 1 × 1 but {large} for 3 × 3"
        return first, second

    return check


class GrowingPledge:
    """A pledge of its own cluster year that starts with one member and one target.

    Every cell is filled (commitment, mid-year result, registration, signature), so a
    page that queried per member or per target would show it when ``grow()`` adds two
    more of each.
    """

    UNITS = [
        ("Huyện Chợ Đồn", "Chợ Đồn"),
        ("Huyện Chợ Mới", "Chợ Mới"),
        ("Huyện Ngân Sơn", "Ngân Sơn"),
    ]
    TARGETS = [
        {"group": "Kinh tế", "order": 10, "name": "Thu ngân sách", "measure": N,
         "unit_of_measure": "tỷ đồng"},
        {"group": "Văn hóa - Xã hội", "order": 20, "name": "Tỷ lệ hộ nghèo", "measure": P,
         "direction": DOWN},
        {"group": "Quốc phòng - An ninh", "order": 30, "name": "Hoàn thành tuyển quân",
         "measure": B},
    ]  # fmt: skip

    def __init__(self, body):
        self.body = body
        self.cluster_year = ClusterYearFactory(
            cluster=ClusterFactory(body=body, name="Cụm thi đua phía Nam"), year=2023
        )
        self.pledge = services.pledge_create(
            cluster_year=self.cluster_year, theme="Thi đua yêu nước", movements=[]
        )
        self.period = self.pledge.periods.get(kind=Period.Kind.MID_YEAR)
        self.titles = list(
            AwardType.objects.filter(body__isnull=True, name__startswith="Cờ thi đua của")
        )
        self.size = 0
        self._add(1)

    def grow(self):
        self._add(3)

    def _add(self, size: int):
        for name, short_name in self.UNITS[self.size : size]:
            ClusterMemberFactory(
                cluster_year=self.cluster_year,
                unit=UnitFactory(body=self.body, name=name, short_name=short_name),
                role=ClusterMember.Role.HEAD if self.size == 0 else ClusterMember.Role.MEMBER,
            )
        services.targets_save(pledge=self.pledge, rows=self.TARGETS[self.size : size])
        self.size = size
        members = list(ClusterMember.objects.filter(cluster_year=self.cluster_year))
        targets = list(self.pledge.targets.all())
        committed = {
            (t.pk, m.pk): Cell(Decimal(1) if t.measure == B else Decimal("1234.5"))
            for t in targets
            for m in members
        }
        services.commitments_save(pledge=self.pledge, cells=committed)
        services.results_save(period=self.period, cells=committed)
        services.registrations_save(
            pledge=self.pledge,
            rows={
                m.pk: {"titles": self.titles, "collectives": 500, "individuals": 6000}
                for m in members
            },
        )
        services.signatures_save(
            pledge=self.pledge,
            rows={
                m.pk: {"signed": True, "signer_name": "Nông Văn Nguyên", "signed_on": SIGNED_ON}
                for m in members
            },
        )


@pytest.fixture
def growing(body):
    return GrowingPledge(body)
