"""Demo pledges from the source articles.

- Movements named in the articles (launched by the Prime Minister).
- Bắc Kạn, Cụm thi đua các huyện, thành phố: the 2022 pledge with mid-year and
  year-end results (the cluster's budget revenue passed 400 billion đồng; Na Rì leads),
  and the 2023 pledge signed at the conference of 7/2/2023 with mid-year results.
- Lào Cai bloc 2022: 9/9 signed at the 2021 year-end conference in Si Ma Cai, 9/9
  registered for the Government and provincial flags, 1.524 collectives and 18.568
  individuals registered for titles.
- The midland provinces' cluster 2023, with mid-year results (conference of 28/7/2023).

Targets and values are plausible, not official figures. Idempotent: a pledge that
exists is left as it is.
"""

import datetime
from decimal import Decimal

from clusters.models import AwardType, ClusterYear
from clusters.selectors import members_of
from pledges import services
from pledges.models import Movement, Period, Pledge, Target
from pledges.services import Cell

MOVEMENTS = [
    ("Cả nước chung sức xây dựng nông thôn mới", 2011, None),
    ("Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau", 2016, None),
    ("Doanh nghiệp Việt Nam hội nhập và phát triển", 2016, None),
    ("Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở", 2019, 2025),
    ("Đền ơn đáp nghĩa - Uống nước nhớ nguồn", None, None),
    ("Dạy tốt, học tốt", None, None),
]

N, P, B, T = (
    Target.Measure.NUMBER,
    Target.Measure.PERCENT,
    Target.Measure.BOOLEAN,
    Target.Measure.TEXT,
)
UP, DOWN = Target.Direction.HIGHER, Target.Direction.LOWER

# group, name, measure, unit, direction, weight, base commitment, step per member
DISTRICT_TARGETS = [
    ("Kinh tế", "Tốc độ tăng giá trị sản xuất", P, "", UP, 10, "8.5", "0.3"),
    ("Kinh tế", "Thu ngân sách nhà nước trên địa bàn", N, "tỷ đồng", UP, 15, "38", "6"),
    ("Kinh tế", "Số xã đạt chuẩn nông thôn mới tăng thêm", N, "xã", UP, 10, "2", "0"),
    ("Văn hóa - Xã hội", "Tỷ lệ hộ nghèo", P, "", DOWN, 10, "18.5", "-1.5"),
    ("Văn hóa - Xã hội", "Tỷ lệ trường đạt chuẩn quốc gia", P, "", UP, 5, "55", "2"),
    ("Văn hóa - Xã hội", "Tỷ lệ dân số tham gia bảo hiểm y tế", P, "", UP, 5, "95", "0.5"),
    ("Quốc phòng - An ninh", "Hoàn thành chỉ tiêu tuyển quân", B, "", UP, 10, "1", "0"),
    ("Quốc phòng - An ninh", "Số vụ tai nạn giao thông", N, "vụ", DOWN, 5, "6", "-0.5"),
    ("Xây dựng hệ thống chính trị", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
     P, "", UP, 10, "98", "0.2"),
    ("Công tác thi đua, khen thưởng", "Số mô hình, điển hình tiên tiến được nhân rộng",
     N, "mô hình", UP, 10, "5", "1"),
    ("Công tác thi đua, khen thưởng", "Phong trào thi đua theo chuyên đề được phát động",
     T, "", UP, None, None, None),
]  # fmt: skip

PROVINCE_TARGETS = [
    ("Kinh tế", "Tốc độ tăng trưởng kinh tế (GRDP)", P, "", UP, 15, "7", "0.2"),
    ("Kinh tế", "Thu ngân sách nhà nước trên địa bàn", N, "tỷ đồng", UP, 15, "2500", "900"),
    ("Văn hóa - Xã hội", "Tỷ lệ hộ nghèo giảm trong năm", P, "", UP, 10, "3", "0.2"),
    ("Văn hóa - Xã hội", "Số xã đạt chuẩn nông thôn mới tăng thêm", N, "xã", UP, 10, "8", "2"),
    ("Công tác thi đua, khen thưởng", "Tổ chức sơ kết, tổng kết phong trào thi đua đúng hạn",
     B, "", UP, 10, "1", "0"),
]  # fmt: skip

# How each member does against its commitment, by position in the member list
# (1 = exactly on target). The mid-year share applies to cumulative numbers.
PERFORMANCE = [Decimal(x) for x in ("1.08", "0.97", "1.02", "1.12", "0.94", "1.00", "1.05",
                                    "0.99", "1.03")]  # fmt: skip
MID_YEAR_SHARE = Decimal("0.55")


def seed(data: dict, log=print) -> dict:
    movements = {
        name: Movement.objects.get_or_create(
            name=name,
            body=None,
            defaults={
                "launched_by": "Thủ tướng Chính phủ",
                "start_date": datetime.date(start, 1, 1) if start else None,
                "end_date": datetime.date(end, 12, 31) if end else None,
            },
        )[0]
        for name, start, end in MOVEMENTS
    }
    flags = list(
        AwardType.objects.filter(
            body__isnull=True, name__in=["Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh"]
        ).order_by("order")
    )
    clusters = data["clusters"]
    movement_list = list(movements.values())[:4]

    districts = clusters["districts"]
    _pledge(
        ClusterYear.objects.get(cluster=districts, year=2022),
        theme="Đoàn kết, đổi mới, sáng tạo, thi đua hoàn thành thắng lợi nhiệm vụ năm 2022",
        signed_on=datetime.date(2022, 2, 15),
        place="Thành phố Bắc Kạn",
        movements=movement_list,
        targets=DISTRICT_TARGETS,
        leader="Na Rì",
        flags=flags,
        results=("mid_year", "year_end"),
    )
    _pledge(
        ClusterYear.objects.get(cluster=districts, year=2023),
        theme="Đoàn kết, sáng tạo, thi đua hoàn thành thắng lợi nhiệm vụ phát triển "
        "kinh tế - xã hội năm 2023",
        signed_on=datetime.date(2023, 2, 7),
        place="Thành phố Bắc Kạn",
        movements=movement_list,
        targets=DISTRICT_TARGETS,
        leader="Na Rì",
        flags=flags,
        results=("mid_year",),
    )
    _pledge(
        ClusterYear.objects.get(cluster=clusters["bloc"], year=2022),
        theme="Thi đua phấn đấu hoàn thành toàn diện và vượt mức các mục tiêu, nhiệm vụ "
        "phát triển kinh tế - xã hội năm 2022",
        signed_on=datetime.date(2022, 1, 18),
        place="huyện Si Ma Cai",
        movements=movement_list,
        targets=DISTRICT_TARGETS,
        leader="Bắc Hà",
        flags=flags,
        results=("mid_year",),
        registered=(1524, 18568),
    )
    _pledge(
        ClusterYear.objects.get(cluster=clusters["midland"], year=2023),
        theme="Đổi mới phong trào thi đua, tạo động lực thực hiện nhiệm vụ phát triển "
        "kinh tế - xã hội",
        signed_on=datetime.date(2023, 3, 10),
        place="tỉnh Bắc Kạn",
        movements=movement_list[:2],
        targets=PROVINCE_TARGETS,
        leader="Bắc Kạn",
        flags=flags[:1],
        results=("mid_year",),
    )
    log(f"Demo: {Movement.objects.count()} movements, {Pledge.objects.count()} pledges.")
    return {"movements": movements}


def _pledge(
    cluster_year, *, theme, signed_on, place, movements, targets, leader, flags, results,
    registered=None,
):  # fmt: skip
    if Pledge.objects.filter(cluster_year=cluster_year).exists():
        return
    pledge = services.pledge_create(
        cluster_year=cluster_year,
        theme=theme,
        body=(
            "Các đơn vị thành viên thống nhất:\n\n"
            "- Đẩy mạnh các phong trào thi đua yêu nước gắn với thực hiện nhiệm vụ chính trị;\n"
            "- Phấn đấu hoàn thành và hoàn thành vượt mức các chỉ tiêu dưới đây;\n"
            "- Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến."
        ),
        movements=movements,
        signed_place=place,
    )
    saved = services.targets_save(
        pledge=pledge,
        rows=[
            {
                "order": index * 10,
                "group": group,
                "name": name,
                "measure": measure,
                "unit_of_measure": unit,
                "direction": direction,
                "weight": Decimal(weight) if weight is not None else None,
            }
            for index, (group, name, measure, unit, direction, weight, *_rest) in enumerate(
                targets, start=1
            )
        ],
    )
    members = list(members_of(cluster_year))
    # The leading unit performs best; the others follow the table.
    order = sorted(members, key=lambda m: m.unit.short_name != leader)
    commitments, plans = {}, {}
    for position, member in enumerate(order):
        for target, spec in zip(saved, targets, strict=True):
            base, step = spec[6], spec[7]
            if target.measure == Target.Measure.TEXT:
                cell = Cell(text="Thi đua chuyên đề chuyển đổi số")
            elif target.measure == Target.Measure.BOOLEAN:
                cell = Cell(value=Decimal(1))
            else:
                value = Decimal(base) + Decimal(step) * (position % 5)
                cell = Cell(value=_plausible(target, value))
            commitments[(target.pk, member.pk)] = cell
            plans[(target.pk, member.pk)] = (target, cell, _factor(position, leader_first=True))
    services.commitments_save(pledge=pledge, cells=commitments)
    services.signatures_save(
        pledge=pledge,
        rows={m.pk: {"signed": True, "signed_on": signed_on} for m in members},
    )
    services.registrations_save(pledge=pledge, rows=_registrations(members, flags, registered))
    services.pledge_sign(pledge=pledge, signed_on=signed_on, signed_place=place)
    for kind in results:
        period = Period.objects.get(pledge=pledge, kind=kind)
        share = MID_YEAR_SHARE if kind == Period.Kind.MID_YEAR else Decimal(1)
        services.results_save(
            period=period,
            cells={key: _result(*plan, share) for key, plan in plans.items()},
        )


def _factor(position: int, leader_first: bool) -> Decimal:
    if leader_first and position == 0:
        return Decimal("1.15")
    return PERFORMANCE[position % len(PERFORMANCE)]


def _result(target: Target, committed: Cell, factor: Decimal, share: Decimal) -> Cell:
    if target.measure == Target.Measure.TEXT:
        return Cell(text="Đã phát động, tổ chức sơ kết")
    if target.measure == Target.Measure.BOOLEAN:
        return Cell(value=Decimal(1) if factor >= 1 or share < 1 else Decimal(0))
    counted = target.measure == Target.Measure.NUMBER
    if target.direction == Target.Direction.LOWER:
        value = committed.value / factor * (share if counted else 1)
    else:
        value = committed.value * factor * (share if counted else 1)
    return Cell(value=_plausible(target, value))


def _plausible(target: Target, value: Decimal) -> Decimal:
    """Whole numbers for counts (xã, vụ, mô hình), at most 100 for shares of a whole."""
    if target.measure == Target.Measure.PERCENT:
        if target.name.startswith("Tỷ lệ") and target.direction == Target.Direction.HIGHER:
            value = min(value, Decimal(100))
        return value.quantize(Decimal("0.01")).normalize()
    if target.unit_of_measure in ("xã", "vụ", "mô hình"):
        return value.quantize(Decimal(1))
    return value.quantize(Decimal("0.1")).normalize()


def _registrations(members, flags, registered) -> dict:
    rows = {}
    collectives, individuals = registered or (None, None)
    count = len(members)
    for index, member in enumerate(members):
        row = {"titles": flags}
        if collectives is not None:
            # Split the totals exactly: the first members take the remainder.
            row["collectives"] = collectives // count + (1 if index < collectives % count else 0)
            row["individuals"] = individuals // count + (1 if index < individuals % count else 0)
        rows[member.pk] = row
    return rows
