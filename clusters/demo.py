"""Demo data of the base app, from the source articles of real cluster conferences.

- Bắc Kạn: Cụm thi đua các huyện, thành phố — year-end conference of 7/2/2023 (2022:
  Thành phố Bắc Kạn head, Na Rì deputy; elected for 2023: Na Rì head, Pác Nặm deputy).
- Lào Cai: Khối thi đua các huyện, thị xã, thành phố — Bắc Hà deputy head in 2022.
- Cụm thi đua các tỉnh trung du và miền núi phía Bắc — Bắc Kạn head and Tuyên Quang
  deputy in 2023.
- The 2025 reorganisation: district level abolished on 1/7/2025; Bắc Kạn, Hòa Bình,
  Yên Bái and Bắc Giang merged into Thái Nguyên, Phú Thọ, Lào Cai and Bắc Ninh.

Everything is keyed by natural keys, so running it twice changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from clusters import services
from clusters.models import (
    Cluster,
    ClusterYear,
    Level,
    OrganizingBody,
    Role,
    Unit,
    UnitSuccession,
)

DISTRICTS_ABOLISHED = datetime.date(2025, 6, 30)
PROVINCES_MERGED = datetime.date(2025, 6, 30)
MERGER_DATE = datetime.date(2025, 7, 1)
MERGER_BASIS = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp "
    "đơn vị hành chính cấp tỉnh"
)

BAC_KAN_UNITS = [
    ("Thành phố Bắc Kạn", "TP Bắc Kạn"),
    ("Huyện Ba Bể", "Ba Bể"),
    ("Huyện Bạch Thông", "Bạch Thông"),
    ("Huyện Chợ Đồn", "Chợ Đồn"),
    ("Huyện Chợ Mới", "Chợ Mới"),
    ("Huyện Na Rì", "Na Rì"),
    ("Huyện Ngân Sơn", "Ngân Sơn"),
    ("Huyện Pác Nặm", "Pác Nặm"),
]
LAO_CAI_UNITS = [
    ("Thành phố Lào Cai", "TP Lào Cai"),
    ("Thị xã Sa Pa", "Sa Pa"),
    ("Huyện Bát Xát", "Bát Xát"),
    ("Huyện Bảo Thắng", "Bảo Thắng"),
    ("Huyện Bảo Yên", "Bảo Yên"),
    ("Huyện Bắc Hà", "Bắc Hà"),
    ("Huyện Mường Khương", "Mường Khương"),
    ("Huyện Si Ma Cai", "Si Ma Cai"),
    ("Huyện Văn Bàn", "Văn Bàn"),
]
# Province name, short name, the province that carries it on from 1/7/2025 (or None
# if it continues under its own name).
PROVINCES = [
    ("Tỉnh Bắc Kạn", "Bắc Kạn", "Tỉnh Thái Nguyên"),
    ("Tỉnh Tuyên Quang", "Tuyên Quang", None),
    ("Tỉnh Phú Thọ", "Phú Thọ", None),
    ("Tỉnh Thái Nguyên", "Thái Nguyên", None),
    ("Tỉnh Bắc Giang", "Bắc Giang", "Tỉnh Bắc Ninh"),
    ("Tỉnh Hòa Bình", "Hòa Bình", "Tỉnh Phú Thọ"),
    ("Tỉnh Yên Bái", "Yên Bái", "Tỉnh Lào Cai"),
]
OTHER_PROVINCES = [("Tỉnh Bắc Ninh", "Bắc Ninh"), ("Tỉnh Lào Cai", "Lào Cai")]

DEMO_PASSWORD = "thidua@2023"


def _body(name, short_name, level, place) -> OrganizingBody:
    body, _created = OrganizingBody.objects.update_or_create(
        name=name, defaults={"short_name": short_name, "level": level, "place": place}
    )
    return body


def _unit(body, name, short_name, kind, active_to=None) -> Unit:
    unit = Unit.objects.filter(body=body, name=name).first()
    if unit is None:
        unit = services.unit_create(
            body=body, kind=kind, name=name, short_name=short_name, active_to=active_to
        )
    return unit


def _cluster(body, name, kind, level, description) -> Cluster:
    cluster = Cluster.objects.filter(body=body, name=name).first()
    if cluster is None:
        cluster = services.cluster_create(
            body=body, name=name, kind=kind, level=level, description=description
        )
    return cluster


def _year(cluster, year, members, head=None, deputy=None, next_head=None, next_deputy=None):
    existing = ClusterYear.objects.filter(cluster=cluster, year=year).first()
    if existing is not None:
        return existing
    return services.cluster_year_create(
        cluster=cluster,
        year=year,
        members=members,
        head=head,
        deputy=deputy,
        next_head=next_head,
        next_deputy=next_deputy,
    )


def seed(log=print) -> dict:
    """Create (or find) the demo bodies, units, clusters and years. Returns them by key."""
    bac_kan = _body("UBND tỉnh Bắc Kạn", "Bắc Kạn", Level.PROVINCIAL, "Bắc Kạn")
    lao_cai = _body("UBND tỉnh Lào Cai", "Lào Cai", Level.PROVINCIAL, "Lào Cai")
    central = _body("Ban Thi đua - Khen thưởng Trung ương", "Ban TĐKT TW", Level.CENTRAL, "Hà Nội")

    bk = {
        short: _unit(bac_kan, name, short, Unit.Kind.DISTRICT, DISTRICTS_ABOLISHED)
        for name, short in BAC_KAN_UNITS
    }
    lc = {
        short: _unit(lao_cai, name, short, Unit.Kind.DISTRICT, DISTRICTS_ABOLISHED)
        for name, short in LAO_CAI_UNITS
    }
    provinces = {}
    for name, short in OTHER_PROVINCES:
        provinces[name] = _unit(central, name, short, Unit.Kind.PROVINCE)
    for name, short, heir in PROVINCES:
        active_to = PROVINCES_MERGED if heir else None
        provinces[name] = _unit(central, name, short, Unit.Kind.PROVINCE, active_to)
    for name, _short, heir in PROVINCES:
        if (
            heir
            and not UnitSuccession.objects.filter(
                predecessor=provinces[name], successor=provinces[heir]
            ).exists()
        ):
            services.unit_succession_add(
                predecessor=provinces[name],
                successor=provinces[heir],
                kind=UnitSuccession.Kind.MERGER,
                effective_date=MERGER_DATE,
                legal_basis=MERGER_BASIS,
            )

    districts = _cluster(
        bac_kan,
        "Cụm thi đua các huyện, thành phố",
        Cluster.Kind.CLUSTER,
        Level.PROVINCIAL,
        "Cụm thi đua của thành phố Bắc Kạn và các huyện thuộc tỉnh Bắc Kạn.",
    )
    _year(
        districts,
        2022,
        bk.values(),
        head=bk["TP Bắc Kạn"],
        deputy=bk["Na Rì"],
        next_head=bk["Na Rì"],
        next_deputy=bk["Pác Nặm"],
    )
    _year(districts, 2023, bk.values(), head=bk["Na Rì"], deputy=bk["Pác Nặm"])

    bloc = _cluster(
        lao_cai,
        "Khối thi đua các huyện, thị xã, thành phố",
        Cluster.Kind.BLOC,
        Level.PROVINCIAL,
        "Khối thi đua của 9 huyện, thị xã, thành phố thuộc tỉnh Lào Cai.",
    )
    _year(bloc, 2022, lc.values(), deputy=lc["Bắc Hà"])
    _year(bloc, 2023, lc.values())

    midland_members = [provinces[name] for name, _short, _heir in PROVINCES]
    midland = _cluster(
        central,
        "Cụm thi đua các tỉnh trung du và miền núi phía Bắc",
        Cluster.Kind.CLUSTER,
        Level.CENTRAL,
        "Cụm thi đua do Ban Thi đua - Khen thưởng Trung ương tổ chức: Bắc Kạn, Tuyên Quang, "
        "Phú Thọ, Thái Nguyên, Bắc Giang, Hòa Bình, Yên Bái.",
    )
    _year(
        midland,
        2022,
        midland_members,
        next_head=provinces["Tỉnh Bắc Kạn"],
        next_deputy=provinces["Tỉnh Tuyên Quang"],
    )
    _year(
        midland,
        2023,
        midland_members,
        head=provinces["Tỉnh Bắc Kạn"],
        deputy=provinces["Tỉnh Tuyên Quang"],
    )
    log(
        f"Demo: {Cluster.objects.count()} clusters, {ClusterYear.objects.count()} cluster years, "
        f"{Unit.objects.count()} units."
    )
    return {
        "bodies": {"bac_kan": bac_kan, "lao_cai": lao_cai, "central": central},
        "clusters": {"districts": districts, "bloc": bloc, "midland": midland},
        "units": {**bk, **lc, **provinces},
    }


def _account(username, full_name, *, superuser=False):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": full_name, "is_superuser": superuser, "is_staff": superuser},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _role(user, body, kind, position=""):
    Role.objects.get_or_create(user=user, body=body, defaults={"kind": kind, "position": position})


def seed_accounts(data: dict, log=print) -> list[tuple[str, str]]:
    """Demo accounts: a provincial staff member and one cluster's secretary (local use)."""
    bodies, clusters = data["bodies"], data["clusters"]
    staff = _account("sonoivu.backan", "Nguyễn Thị Hương")
    _role(staff, bodies["bac_kan"], Role.Kind.STAFF, "Chuyên viên Ban Thi đua - Khen thưởng")
    secretary = _account("thuky.nari", "Lương Văn Thành")
    _role(secretary, bodies["bac_kan"], Role.Kind.SECRETARY, "Văn phòng HĐND và UBND huyện Na Rì")
    districts_2023 = ClusterYear.objects.get(cluster=clusters["districts"], year=2023)
    districts_2023.secretaries.add(secretary)
    admin = _account("admin", "Quản trị hệ thống", superuser=True)
    accounts = [
        (staff.username, "Sở Nội vụ Bắc Kạn: quản lý mọi cụm, khối của tỉnh Bắc Kạn"),
        (secretary.username, "Thư ký Cụm thi đua các huyện, thành phố (năm 2023)"),
        (admin.username, "Quản trị hệ thống: mọi cụm, khối và trang quản trị"),
    ]
    log(f"Demo accounts (password: {DEMO_PASSWORD}):")
    for username, what in accounts:
        log(f"  {username:<16} {what}")
    return accounts
