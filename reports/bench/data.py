"""The benchmark's data set: one province's register, clusters and years, built in bulk.

Rows go in with ``bulk_create`` in batches, so no history rows are written (no page the
benchmark measures reads them). The search and sort columns are filled the way the
models fill them on save (``prepare_text()``: normalised texts, ``search_text``,
``sort_key``, ``name_key``). Everything hangs from one organizing body, so ``remove``
finds it all again from there.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models, transaction

from clusters.models import (
    AwardType,
    Cluster,
    ClusterMember,
    ClusterYear,
    Level,
    OrganizingBody,
    Person,
    Role,
    Unit,
    UnitSuccession,
    VoteRule,
)
from clusters.selectors import vote_rule_in_force
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Conclusion,
    Exemplar,
    Meeting,
    Participant,
)
from pledges.models import (
    Commitment,
    Movement,
    Period,
    Pledge,
    PledgeMovement,
    Registration,
    Result,
    Signature,
    Target,
    TargetExpectation,
)
from pledges.services import default_periods
from reports.bench import awards as bench_awards
from reports.bench import names
from reports.models import ReportText
from scoring.models import CriteriaSheet, Criterion, Score
from votes.models import (
    BallotCode,
    Candidate,
    ElectronicBallot,
    Tally,
    TallyLine,
    Teller,
    Vote,
    Voter,
)
from votes.results import COUNT_FIELDS, Counts, compute_results

BODY_NAME = "UBND tỉnh Tuyên Quang (dữ liệu đo tốc độ)"
STAFF_USERNAME = "bench-staff"
ADMIN_USERNAME = "bench-admin"
BATCH = 2000
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICTS_ABOLISHED = datetime.date(2025, 6, 30)
MERGER_DATE = datetime.date(2025, 7, 1)
MERGER_BASIS = (
    "Nghị quyết số 1684/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về "
    "việc sắp xếp các đơn vị hành chính cấp xã"
)
# A full name the generator makes rarely, for the selective search.
RARE_NAME = "Lục Thị Thu Thủy"


@dataclass(frozen=True)
class Scale:
    name: str
    clusters: int  # cụm
    blocs: int  # khối
    units: int
    years: tuple[int, ...]
    people: int
    meetings_per_year: int
    score_years: int
    vote_years: int = 3  # the last years whose year-end meeting held the votes
    targets: int = 20
    awards: int = 0  # over all the years (``reports.bench.awards``)
    min_members: int = 8
    max_members: int = 12


SCALES = {
    "quick": Scale(
        name="quick",
        clusters=1,
        blocs=1,
        units=20,
        years=(2024, 2025),
        people=500,
        meetings_per_year=2,
        score_years=1,
        awards=600,
    ),
    "province": Scale(
        name="province",
        clusters=20,
        blocs=10,
        units=300,
        years=tuple(range(2016, 2026)),
        people=100_000,
        meetings_per_year=10,
        score_years=3,
        awards=200_000,
    ),
}

# (group, name, measure, unit of measure, direction, committed value)
TARGETS = [
    ("Kinh tế", "Tốc độ tăng trưởng kinh tế (GRDP)", "percent", "", "higher", "7.5"),
    ("Kinh tế", "Thu ngân sách nhà nước trên địa bàn", "number", "tỷ đồng", "higher", "350"),
    ("Kinh tế", "Tổng vốn đầu tư toàn xã hội", "number", "tỷ đồng", "higher", "1200"),
    ("Kinh tế", "Số xã đạt chuẩn nông thôn mới", "number", "xã", "higher", "3"),
    ("Kinh tế", "Tỷ lệ che phủ rừng", "percent", "", "higher", "65"),
    ("Kinh tế", "Diện tích trồng rừng mới", "number", "ha", "higher", "800"),
    ("Kinh tế", "Số doanh nghiệp thành lập mới", "number", "doanh nghiệp", "higher", "40"),
    ("Văn hóa - xã hội", "Tỷ lệ hộ nghèo", "percent", "", "lower", "8"),
    ("Văn hóa - xã hội", "Số lao động được tạo việc làm mới", "number", "người", "higher", "1500"),
    ("Văn hóa - xã hội", "Tỷ lệ trường học đạt chuẩn quốc gia", "percent", "", "higher", "70"),
    ("Văn hóa - xã hội", "Tỷ lệ dân số tham gia bảo hiểm y tế", "percent", "", "higher", "95"),
    ("Văn hóa - xã hội", "Số bác sĩ trên một vạn dân", "number", "bác sĩ", "higher", "10"),
    ("Văn hóa - xã hội", "Tỷ lệ gia đình văn hóa", "percent", "", "higher", "85"),
    ("Văn hóa - xã hội", "Tỷ lệ dân cư dùng nước hợp vệ sinh", "percent", "", "higher", "98"),
    ("Quốc phòng - an ninh", "Hoàn thành chỉ tiêu tuyển quân", "boolean", "", "higher", "1"),
    ("Quốc phòng - an ninh", "Số vụ tai nạn giao thông", "number", "vụ", "lower", "20"),
    ("Quốc phòng - an ninh", "Tỷ lệ điều tra, khám phá án hình sự", "percent", "", "higher", "80"),
    ("Xây dựng chính quyền", "Chỉ số cải cách hành chính", "number", "điểm", "higher", "85"),
    ("Xây dựng chính quyền", "Tỷ lệ hồ sơ trực tuyến toàn trình", "percent", "", "higher", "60"),
    ("Xây dựng chính quyền", "Kết quả nổi bật khác", "text", "", "higher", ""),
]
CRITERIA_GROUPS = [
    "Thực hiện nhiệm vụ chính trị",
    "Công tác thi đua, khen thưởng",
    "Xây dựng Đảng và hệ thống chính trị",
    "Thực hiện giao ước thi đua",
]
MOVEMENTS = [
    "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
    "Cả nước thi đua xây dựng nông thôn mới",
    "Thi đua đổi mới sáng tạo và chuyển đổi số",
]


@dataclass
class BenchData:
    """What the measuring needs: the bench's own rows to visit, by role."""

    scale: Scale
    body: OrganizingBody
    staff: object
    admin: object
    cluster_year: ClusterYear  # the latest year of the first cluster: 12 members
    previous_year: ClusterYear
    pledge: Pledge
    previous_pledge: Pledge
    mid_year: Period
    year_end: Period
    meeting: Meeting  # the year-end meeting of ``cluster_year``
    sheet: CriteriaSheet
    unit: Unit
    person: Person
    counts: dict = field(default_factory=dict)
    vote: Vote | None = None  # the head vote of ``meeting``: closed, results stored
    # A commune formed by the 2025 merger, awarded before it under its predecessors.
    merged_unit: Unit | None = None
    decision_number: str = ""  # a decision's number, for the register's search


def bench_body() -> OrganizingBody | None:
    return OrganizingBody.objects.filter(name=BODY_NAME).first()


def load(body: OrganizingBody) -> BenchData:
    """The ``BenchData`` of a data set an earlier run kept (``--keep``), found again the
    way ``build`` chose its rows: the first cluster's latest years, its first member,
    the first person."""
    user_model = get_user_model()
    people = Person.objects.filter(body=body)
    scale = SCALES["province" if people.count() > SCALES["quick"].people else "quick"]
    first = Cluster.objects.filter(body=body).order_by("pk").first()
    cluster_year = ClusterYear.objects.get(cluster=first, year=scale.years[-1])
    previous_year = ClusterYear.objects.get(cluster=first, year=scale.years[-2])
    pledge = Pledge.objects.get(cluster_year=cluster_year)
    periods = {period.kind: period for period in Period.objects.filter(pledge=pledge)}
    return BenchData(
        scale=scale,
        body=body,
        staff=user_model.objects.get(username=STAFF_USERNAME),
        admin=user_model.objects.get(username=ADMIN_USERNAME),
        cluster_year=cluster_year,
        previous_year=previous_year,
        pledge=pledge,
        previous_pledge=Pledge.objects.get(cluster_year=previous_year),
        mid_year=periods[Period.Kind.MID_YEAR],
        year_end=periods[Period.Kind.YEAR_END],
        meeting=Meeting.objects.filter(cluster_year=cluster_year).order_by("pk").last(),
        sheet=CriteriaSheet.objects.get(cluster_year=cluster_year),
        unit=cluster_year.members.order_by("pk").first().unit,
        person=people.order_by("pk").first(),
        vote=Vote.objects.filter(meeting__cluster_year=cluster_year, purpose=VoteRule.Purpose.HEAD)
        .order_by("pk")
        .last(),
        **bench_awards.load(body),
    )


def _insert(model, rows: list, counts: dict) -> list:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])
    counts[model._meta.label] = counts.get(model._meta.label, 0) + len(rows)
    return rows


def _prepared(rows: list) -> list:
    for row in rows:
        row.prepare_text()
    return rows


@transaction.atomic
def build(scale: Scale, *, log: Callable[[str], None] = lambda message: None) -> BenchData:
    """Create the data set of ``scale`` under a new organizing body."""
    rng = random.Random(2025)
    counts: dict = {}
    body = OrganizingBody.objects.create(
        name=BODY_NAME, short_name="Tuyên Quang", level=Level.PROVINCIAL, place="Tuyên Quang"
    )
    user_model = get_user_model()
    staff = user_model.objects.create_user(STAFF_USERNAME, first_name="Nguyễn Thị Hằng")
    Role.objects.create(user=staff, body=body, kind=Role.Kind.STAFF, position="Chuyên viên")
    admin = user_model.objects.create_user(ADMIN_USERNAME, is_staff=True, is_superuser=True)

    units, eligible = _units(rng, scale, body, counts)
    log(f"units: {len(units)}")
    people = _people(rng, scale, body, units, counts)
    log(f"people: {len(people)}")
    clusters = _clusters(scale, body, counts)
    years, members = _years(rng, scale, clusters, eligible, counts)
    log(f"cluster years: {len(years)}, members: {sum(len(m) for m in members.values())}")
    pledges, periods = _pledges(rng, scale, body, years, members, counts)
    log(f"pledges: {len(pledges)}, results: {counts.get('pledges.Result', 0)}")
    meetings = _meetings(rng, scale, years, members, people, counts)
    log(f"meetings: {counts.get('meetings.Meeting', 0)}")
    sheets = _scores(rng, scale, years, members, meetings, counts)
    log(f"criteria sheets: {len(sheets)}, scores: {counts.get('scoring.Score', 0)}")
    votes = _votes(rng, scale, body, years, members, meetings, counts)
    log(f"votes: {counts.get('votes.Vote', 0)}, voters: {counts.get('votes.Voter', 0)}")
    awarded = bench_awards.build(
        rng, scale, body, staff=staff, units=units, people=people, years=years,
        members=members, counts=counts, insert=_insert,
    )  # fmt: skip
    log(f"awards: {counts.get('awards.Award', 0)}, decisions: {counts.get('awards.Decision', 0)}")

    first = clusters[0]
    cluster_year = years[(first.pk, scale.years[-1])]
    previous_year = years[(first.pk, scale.years[-2])]
    pledge = pledges[cluster_year.pk]
    return BenchData(
        scale=scale,
        body=body,
        staff=staff,
        admin=admin,
        cluster_year=cluster_year,
        previous_year=previous_year,
        pledge=pledge,
        previous_pledge=pledges[previous_year.pk],
        mid_year=periods[(pledge.pk, Period.Kind.MID_YEAR)],
        year_end=periods[(pledge.pk, Period.Kind.YEAR_END)],
        meeting=meetings[cluster_year.pk][-1],
        sheet=sheets[cluster_year.pk],
        unit=members[cluster_year.pk][0].unit,
        person=people[0],
        counts=counts,
        vote=votes[(meetings[cluster_year.pk][-1].pk, VoteRule.Purpose.HEAD)],
        **awarded,
    )


def _units(rng, scale: Scale, body, counts) -> tuple[list[Unit], list[Unit]]:
    """Districts (abolished on 1/7/2025), agencies, communes (some merged in 2025) and the
    communes that carry the merged ones on. Returns all units and those of every year."""
    new_count = max(1, scale.units // 15)
    merged_count = 3 * new_count
    district_count = min(len(names.DISTRICTS), max(2, scale.units // 40))
    agency_count = min(len(names.AGENCIES), max(2, scale.units // 9))
    commune_count = scale.units - new_count - district_count - agency_count
    places = names.place_names(rng, commune_count + new_count)
    # The short searches ("na ri", "ly ma") find a commune too.
    places[1:3] = ["Na Rì", "Lý Ma"]

    districts = _prepared(
        [
            Unit(body=body, kind=Unit.Kind.DISTRICT, name=name, short_name=name.split(" ", 1)[1],
                 active_to=DISTRICTS_ABOLISHED)
            for name in names.DISTRICTS[:district_count]
        ]
    )  # fmt: skip
    _insert(Unit, districts, counts)
    agencies = []
    for name in names.AGENCIES[:agency_count]:
        kind = Unit.Kind.ENTERPRISE if name.startswith(("Công ty", "Ngân hàng")) else None
        agencies.append(Unit(body=body, kind=kind or Unit.Kind.AGENCY, name=name))
    communes = []
    for index, place in enumerate(places[:commune_count]):
        district = districts[index % len(districts)]
        prefix = "Phường" if district.name.startswith("Thành phố") else "Xã"
        communes.append(
            Unit(
                body=body,
                kind=Unit.Kind.COMMUNE,
                name=f"{prefix} {place}",
                short_name=place,
                parent=district,
                active_to=DISTRICTS_ABOLISHED if index < merged_count else None,
            )
        )
    successors = [
        Unit(body=body, kind=Unit.Kind.COMMUNE, name=f"Xã {place}", short_name=place,
             active_from=MERGER_DATE)
        for place in places[commune_count:]
    ]  # fmt: skip
    _insert(Unit, _prepared(agencies + communes + successors), counts)
    successions = [
        UnitSuccession(
            predecessor=communes[index],
            successor=successors[index // 3],
            kind=UnitSuccession.Kind.MERGER,
            effective_date=MERGER_DATE,
            legal_basis=MERGER_BASIS,
        )
        for index in range(merged_count)
    ]
    _insert(UnitSuccession, successions, counts)
    every_year = districts + agencies + communes
    return every_year + successors, every_year


def _people(rng, scale: Scale, body, units, counts) -> list[Person]:
    full_names = names.full_names(rng, scale.people)
    full_names[0] = RARE_NAME
    positions = names.weighted(rng, names.POSITIONS, scale.people)
    people = []
    for full_name, position in zip(full_names, positions, strict=True):
        unit = rng.choice(units)
        if position.endswith("UBND") and unit.kind in (Unit.Kind.DISTRICT, Unit.Kind.COMMUNE):
            position = f"{position} {unit.name[0].lower()}{unit.name[1:]}"
        people.append(Person(body=body, full_name=full_name, position=position, unit=unit))
    return _insert(Person, _prepared(people), counts)


def _clusters(scale: Scale, body, counts) -> list[Cluster]:
    clusters = [
        Cluster(body=body, name=f"Cụm thi đua số {number}", kind=Cluster.Kind.CLUSTER,
                level=Level.PROVINCIAL, description="Các xã, phường, đặc khu và các huyện cũ.")
        for number in range(1, scale.clusters + 1)
    ]  # fmt: skip
    clusters += [
        Cluster(body=body, name=name, kind=Cluster.Kind.BLOC, level=Level.PROVINCIAL)
        for name in names.BLOC_NAMES[: scale.blocs]
    ]
    return _insert(Cluster, _prepared(clusters), counts)


def _years(rng, scale: Scale, clusters, eligible, counts):
    """Every cluster's years, the same 8–12 members each year (the first cluster 12),
    head and deputy passing on each year as elected the year before."""
    pool = list(eligible)
    rng.shuffle(pool)
    cursor = 0
    member_units = {}
    for index, cluster in enumerate(clusters):
        size = (
            scale.max_members if index == 0 else rng.randint(scale.min_members, scale.max_members)
        )
        chosen = []
        while len(chosen) < size:
            unit = pool[cursor % len(pool)]
            cursor += 1
            if unit not in chosen:
                chosen.append(unit)
        member_units[cluster.pk] = chosen
    years, members = {}, {}
    for cluster in clusters:
        units = member_units[cluster.pk]
        for position, year in enumerate(scale.years):
            next_head = units[(position + 1) % len(units)]
            next_deputy = units[(position + 2) % len(units)]
            last = year == scale.years[-1]
            years[(cluster.pk, year)] = ClusterYear(
                cluster=cluster,
                year=year,
                next_head=None if last else next_head,
                next_deputy=None if last else next_deputy,
            )
    _insert(ClusterYear, list(years.values()), counts)
    rows = []
    for (cluster_pk, _year), cluster_year in years.items():
        units = member_units[cluster_pk]
        position = scale.years.index(cluster_year.year)
        head, deputy = units[position % len(units)], units[(position + 1) % len(units)]
        members[cluster_year.pk] = [
            ClusterMember(
                cluster_year=cluster_year,
                unit=unit,
                role=(
                    ClusterMember.Role.HEAD
                    if unit is head
                    else ClusterMember.Role.DEPUTY
                    if unit is deputy
                    else ClusterMember.Role.MEMBER
                ),
            )
            for unit in sorted(units, key=lambda unit: unit.sort_key)
        ]
        rows += members[cluster_year.pk]
    _insert(ClusterMember, rows, counts)
    return years, members


def _value(rng, measure: str, base: str, spread: float) -> tuple[Decimal | None, str]:
    if measure == "text":
        return None, rng.choice(
            [
                "Hoàn thành xuất sắc các nhiệm vụ được giao",
                "Tổ chức thành công đại hội đảng bộ các cấp",
                "Đạt giải Nhất hội thi cải cách hành chính",
            ]
        )
    if measure == "boolean":
        return Decimal(1 if rng.random() < 0.9 else 0), ""
    factor = 1 + rng.uniform(-spread, spread)
    return (Decimal(base) * Decimal(str(round(factor, 3)))).quantize(Decimal("0.01")), ""


def _pledges(rng, scale: Scale, body, years, members, counts):
    movements = _insert(
        Movement,
        _prepared([Movement(name=name, launched_by="Thủ tướng Chính phủ", body=body)
                   for name in MOVEMENTS]),
        counts,
    )  # fmt: skip
    pledges = {}
    for cluster_year in years.values():
        year = cluster_year.year
        pledges[cluster_year.pk] = Pledge(
            cluster_year=cluster_year,
            theme=f"Đoàn kết, kỷ cương, đổi mới, sáng tạo, thi đua hoàn thành thắng lợi "
            f"nhiệm vụ năm {year}",
            body="Các đơn vị thành viên thống nhất ký kết giao ước thi đua với các chỉ tiêu "
            "dưới đây và cam kết tổ chức thực hiện thắng lợi.",
            signed_on=datetime.date(year, 2, 20),
            signed_place="Thành phố Tuyên Quang",
            # The latest year's pledges are still being prepared: their grids open for
            # editing, the heaviest form of those pages.
            status=Pledge.Status.DRAFT if year == scale.years[-1] else Pledge.Status.SIGNED,
        )
    _insert(Pledge, list(pledges.values()), counts)
    _insert(
        PledgeMovement,
        [PledgeMovement(pledge=pledge, movement=movement, order=order)
         for pledge in pledges.values() for order, movement in enumerate(movements)],
        counts,
    )  # fmt: skip
    targets, periods = {}, {}
    for pledge in pledges.values():
        targets[pledge.pk] = [
            Target(pledge=pledge, group=group, order=(index + 1) * 10, name=name,
                   measure=measure, unit_of_measure=unit, direction=direction)
            for index, (group, name, measure, unit, direction, _base)
            in enumerate(TARGETS[: scale.targets])
        ]  # fmt: skip
        for kind, name, ends_on in default_periods(pledge.cluster_year.year):
            periods[(pledge.pk, kind)] = Period(
                pledge=pledge, kind=kind, name=name, ends_on=ends_on
            )
    _insert(Target, [t for rows in targets.values() for t in rows], counts)
    _insert(Period, list(periods.values()), counts)
    commitments, results, registrations, signatures = [], [], [], []
    for cluster_year_pk, pledge in pledges.items():
        year = pledge.cluster_year.year
        for member in members[cluster_year_pk]:
            registrations.append(
                Registration(pledge=pledge, member=member, collectives=rng.randint(10, 200),
                             individuals=rng.randint(100, 3000))
            )  # fmt: skip
            signatures.append(
                Signature(pledge=pledge, member=member,
                          signer_name=names.full_names(rng, 1)[0],
                          signer_position="Chủ tịch Ủy ban nhân dân",
                          signed_on=datetime.date(year, 2, 20))
            )  # fmt: skip
            for target, row in zip(targets[pledge.pk], TARGETS, strict=False):
                value, text = _value(rng, target.measure, row[5], 0.2)
                commitments.append(Commitment(target=target, member=member, value=value, text=text))
                for kind, share in ((Period.Kind.MID_YEAR, 0.5), (Period.Kind.YEAR_END, 1.0)):
                    actual, text = _value(rng, target.measure, row[5], 0.25)
                    if actual is not None and target.measure == "number":
                        actual = (actual * Decimal(str(share))).quantize(Decimal("0.01"))
                    results.append(
                        Result(period=periods[(pledge.pk, kind)], target=target, member=member,
                               value=actual, text=text)
                    )  # fmt: skip
    _insert(Registration, registrations, counts)
    _insert(Signature, signatures, counts)
    _insert(Commitment, commitments, counts)
    _insert(Result, results, counts)
    return pledges, periods


MEETING_KINDS = {
    Meeting.Kind.PLEDGE_SIGNING: "Hội nghị ký kết giao ước thi đua năm {year}",
    Meeting.Kind.MID_YEAR: "Hội nghị sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm {year}",
    Meeting.Kind.YEAR_END: "Hội nghị tổng kết công tác thi đua, khen thưởng năm {year}",
    Meeting.Kind.OTHER: "Hội nghị giao ban cụm thi đua lần {number} năm {year}",
}


def _meeting_plan(count: int) -> list[tuple[str, int]]:
    """(kind, month) of a year's meetings: signing, other ones, mid-year, year-end."""
    if count <= 2:
        return [(Meeting.Kind.MID_YEAR, 7), (Meeting.Kind.YEAR_END, 12)][-count:]
    others = count - 3
    plan = [(Meeting.Kind.PLEDGE_SIGNING, 2)]
    plan += [(Meeting.Kind.OTHER, 3 + index * 8 // max(others, 1)) for index in range(others)]
    return plan + [(Meeting.Kind.MID_YEAR, 7), (Meeting.Kind.YEAR_END, 12)]


def _meetings(rng, scale: Scale, years, members, people, counts) -> dict:
    meetings = {}
    plan = _meeting_plan(scale.meetings_per_year)
    for cluster_year in years.values():
        head = next(m for m in members[cluster_year.pk] if m.role == ClusterMember.Role.HEAD)
        rows = []
        for number, (kind, month) in enumerate(plan, start=1):
            starts_at = datetime.datetime(cluster_year.year, month, 10 + number % 15, 8, tzinfo=TZ)
            rows.append(
                Meeting(
                    cluster_year=cluster_year,
                    kind=kind,
                    title=MEETING_KINDS[kind].format(year=cluster_year.year, number=number),
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=3),
                    host=head.unit,
                    place=f"Hội trường {head.unit.name}",
                    report="Báo cáo kết quả thực hiện giao ước thi đua của các đơn vị.",
                    discussion="Các đại biểu thảo luận, thống nhất các nội dung trình hội nghị.",
                    minutes_number=number,
                    status=Meeting.Status.APPROVED,
                )
            )
        meetings[cluster_year.pk] = rows
    all_meetings = _insert(Meeting, [m for rows in meetings.values() for m in rows], counts)
    attendances, participants, agenda, conclusions, exemplars = [], [], [], [], []
    for meeting in all_meetings:
        year_members = members[meeting.cluster_year.pk]
        for member in year_members:
            attendances.append(
                Attendance(meeting=meeting, member=member, present=rng.random() < 0.95,
                           representative=names.full_names(rng, 1)[0],
                           representative_position="Phó Chủ tịch Ủy ban nhân dân")
            )  # fmt: skip
        chair, secretary = rng.sample(people, 2)
        participants += [
            Participant(meeting=meeting, person=chair, role=Participant.Role.CHAIR,
                        position=chair.position, order=1),
            Participant(meeting=meeting, person=secretary, role=Participant.Role.SECRETARY,
                        position=secretary.position, order=2),
        ]  # fmt: skip
        agenda += [
            AgendaItem(meeting=meeting, order=1, title="Báo cáo kết quả công tác thi đua",
                       presenter="Cụm trưởng"),
            AgendaItem(meeting=meeting, order=2, title="Thảo luận, góp ý", presenter=""),
        ]  # fmt: skip
        conclusions += [
            Conclusion(meeting=meeting, order=1, text="Thống nhất đánh giá kết quả thi đua."),
            Conclusion(meeting=meeting, order=2, text="Hoàn thiện hồ sơ đề nghị khen thưởng.",
                       is_task=True, owner=year_members[0].unit,
                       due_on=meeting.starts_at.date() + datetime.timedelta(days=30),
                       done_on=meeting.starts_at.date() + datetime.timedelta(days=20)),
        ]  # fmt: skip
        if meeting.kind in (Meeting.Kind.MID_YEAR, Meeting.Kind.YEAR_END):
            person = rng.choice(people)
            exemplars.append(
                Exemplar(meeting=meeting, kind=Exemplar.Kind.PERSON, person=person,
                         unit=person.unit,
                         achievement="Điển hình tiên tiến trong phong trào thi đua "
                         "“Cả nước chung tay vì người nghèo”.")
            )  # fmt: skip
    _insert(Attendance, attendances, counts)
    _insert(Participant, participants, counts)
    _insert(AgendaItem, agenda, counts)
    _insert(Conclusion, conclusions, counts)
    _insert(Exemplar, _prepared(exemplars), counts)
    return meetings


def _scores(rng, scale: Scale, years, members, meetings, counts) -> dict:
    scored_years = scale.years[-scale.score_years :]
    last = scale.years[-1]
    sheets = {}
    for cluster_year in years.values():
        if cluster_year.year not in scored_years:
            continue
        approved = cluster_year.year != last
        sheets[cluster_year.pk] = CriteriaSheet(
            cluster_year=cluster_year,
            name=f"Bảng chấm điểm thi đua năm {cluster_year.year}",
            bonus_cap=Decimal(5),
            deduction_cap=Decimal(10),
            status=CriteriaSheet.Status.APPROVED if approved else CriteriaSheet.Status.SCORING,
            revision=1,
            approved_meeting=meetings[cluster_year.pk][-1] if approved else None,
        )
    _insert(CriteriaSheet, list(sheets.values()), counts)
    criteria = {}
    for sheet in sheets.values():
        rows = [
            Criterion(sheet=sheet, kind=Criterion.Kind.CRITERION, group=group,
                      order=(g * 5 + i + 1) * 10, name=f"{group}: nội dung {i + 1}",
                      max_points=Decimal(10 if i < 2 else 5), is_veto=(g == 0 and i == 0))
            for g, group in enumerate(CRITERIA_GROUPS) for i in range(5)
        ]  # fmt: skip
        rows += [
            Criterion(sheet=sheet, kind=Criterion.Kind.BONUS, order=900 + i,
                      name=f"Điểm thưởng: sáng kiến {i + 1}", max_points=Decimal("2.5"))
            for i in range(2)
        ]  # fmt: skip
        rows += [
            Criterion(sheet=sheet, kind=Criterion.Kind.DEDUCTION, order=950 + i,
                      name=f"Điểm trừ: chậm báo cáo lần {i + 1}", max_points=Decimal(5))
            for i in range(2)
        ]  # fmt: skip
        criteria[sheet.pk] = rows
    _insert(Criterion, [c for rows in criteria.values() for c in rows], counts)
    scores = []
    for cluster_year_pk, sheet in sheets.items():
        for member in members[cluster_year_pk]:
            for criterion in criteria[sheet.pk]:
                board = (criterion.max_points * Decimal(str(rng.uniform(0.6, 1)))).quantize(
                    Decimal("0.01")
                )
                if criterion.kind == Criterion.Kind.DEDUCTION:
                    board = Decimal(0) if rng.random() < 0.8 else board
                scores.append(
                    Score(criterion=criterion, member=member, revision=1,
                          self_score=min(criterion.max_points, board + Decimal("0.5")),
                          cluster_score=board, board_score=board,
                          evidence="Báo cáo số 15/BC-UBND kèm theo.")
                )  # fmt: skip
    _insert(Score, scores, counts)
    return sheets


# --- Votes -----------------------------------------------------------------------------

TELLERS = [
    ("Hoàng Thị Hà", "Chánh Văn phòng Ủy ban nhân dân"),
    ("Lý Văn Minh", "Trưởng phòng Nội vụ"),
]
VOTE_TITLES = {
    VoteRule.Purpose.HEAD: "Bầu Cụm trưởng năm {next}",
    VoteRule.Purpose.DEPUTY: "Bầu Cụm phó năm {next}",
    VoteRule.Purpose.NOMINATION: "Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh năm {year}",
}


def _votes(rng, scale: Scale, body, years, members, meetings, counts) -> dict:
    """At the year-end meeting of each of the last ``vote_years`` years: the paper votes
    for next year's head and deputy and one nomination, counted twice by two tellers and
    closed with the results ``compute_results`` gives. Those of earlier years are
    confirmed (their winners are the years' ``next_head`` and ``next_deputy``); those of
    the latest year, whose next leaders are not yet written, are closed.

    Returns the votes by (meeting pk, purpose)."""
    Purpose = VoteRule.Purpose
    voting_years = scale.years[-scale.vote_years :]
    flag = AwardType(
        name="Cờ thi đua của UBND tỉnh",
        short_name="Cờ thi đua",
        category=AwardType.Category.TITLE,
        recipient=AwardType.Recipient.COLLECTIVE,
        level=AwardType.Level.PROVINCE,
        decided_by="Chủ tịch UBND tỉnh",
        body=body,
    )
    flag.prepare_text()
    flag.save()
    held = {
        cluster_year.pk: meetings[cluster_year.pk][-1]
        for cluster_year in years.values()
        if cluster_year.year in voting_years
    }
    present = {}
    for meeting_id, member_id in Attendance.objects.filter(
        meeting__in=held.values(), present=True
    ).values_list("meeting_id", "member_id"):
        present.setdefault(meeting_id, set()).add(member_id)
    rules = {}
    for year in voting_years:
        on = datetime.date(year, 12, 31)
        for purpose in (Purpose.HEAD, Purpose.DEPUTY, Purpose.NOMINATION):
            rule = vote_rule_in_force(
                body_id=body.pk,
                on=on,
                purpose=purpose,
                award_type_id=flag.pk if purpose == Purpose.NOMINATION else None,
            )
            if rule is None:
                raise ValueError(f"No vote rule for {purpose} in force on {on}.")
            rules[(year, purpose)] = rule

    plans = []  # (vote, candidates in ballot order, the intended winner, confirm?)
    for cluster_year_pk, meeting in held.items():
        cluster_year = meeting.cluster_year
        year_members = members[cluster_year_pk]
        by_unit = {member.unit_id: member for member in year_members}
        by_role = {member.role: member for member in year_members}
        last = cluster_year.next_head_id is None
        head = by_role[ClusterMember.Role.DEPUTY] if last else by_unit[cluster_year.next_head_id]
        others = [m for m in year_members if m is not head]
        deputy = others[0] if last else by_unit[cluster_year.next_deputy_id]
        rest = [m for m in others if m is not deputy]
        chosen = {
            Purpose.HEAD: (head, [head, rng.choice(rest)]),
            Purpose.DEPUTY: (deputy, [deputy, rng.choice(rest)]),
            Purpose.NOMINATION: (year_members[0], year_members[:3]),
        }
        for purpose, (winner, candidates) in chosen.items():
            vote = Vote(
                meeting=meeting,
                purpose=purpose,
                award_type=flag if purpose == Purpose.NOMINATION else None,
                title=VOTE_TITLES[purpose].format(
                    year=cluster_year.year, next=cluster_year.year + 1
                ),
                seats=1,
                rule=rules[(cluster_year.year, purpose)],
                status=Vote.Status.CLOSED,
                eligible_count=len(year_members),
                present_count=len(present.get(meeting.pk, ())),
            )
            candidates = sorted(candidates, key=lambda member: member.unit.sort_key)
            plans.append((vote, candidates, winner, not last))
    _insert(Vote, [plan[0] for plan in plans], counts)

    rows = [
        Candidate(vote=vote, member=member, order=order)
        for vote, candidates, _winner, _confirm in plans
        for order, member in enumerate(candidates)
    ]
    _insert(Candidate, rows, counts)
    candidate_rows = {}
    for row in rows:
        candidate_rows.setdefault(row.vote_id, []).append(row)
    _insert(
        Voter,
        [
            Voter(vote=vote, member_id=member_id)
            for vote, *_rest in plans
            for member_id in sorted(present.get(vote.meeting_id, ()))
        ],
        counts,
    )
    tellers = _insert(
        Teller,
        [
            Teller(vote=vote, full_name=name, position=position, order=order)
            for vote, *_rest in plans
            for order, (name, position) in enumerate(TELLERS)
        ],
        counts,
    )
    tallies, lines = [], []
    by_vote = {}
    for vote, candidates, winner, confirm in plans:
        present_count = vote.present_count
        blank = 1 if present_count > 4 and rng.random() < 0.3 else 0
        valid = present_count - blank
        votes = {}
        left = valid
        for row in candidate_rows[vote.pk]:
            if row.member is not winner:
                votes[row.pk] = rng.randint(0, valid // (2 * len(candidates)))
                left -= votes[row.pk]
        winner_row = next(row for row in candidate_rows[vote.pk] if row.member is winner)
        votes[winner_row.pk] = left
        ordered = {row.pk: votes[row.pk] for row in candidate_rows[vote.pk]}
        result_counts = Counts(
            issued=present_count,
            returned=present_count,
            not_returned=0,
            valid=valid,
            invalid=0,
            blank=blank,
            votes=ordered,
        )
        vote.results = compute_results(
            rule=vote.rule,
            seats=vote.seats,
            eligible=vote.eligible_count,
            present=present_count,
            counts=result_counts,
            labels={row.pk: row.label for row in candidate_rows[vote.pk]},
        )
        elected = vote.results["winners"] == [winner_row.pk]
        if confirm and (elected or vote.purpose == Purpose.NOMINATION):
            vote.status = Vote.Status.CONFIRMED
        by_vote[vote.pk] = result_counts
    for teller in tellers:
        result_counts = by_vote[teller.vote_id]
        tallies.append(
            Tally(
                vote_id=teller.vote_id,
                teller=teller,
                **{name: getattr(result_counts, name) for name in COUNT_FIELDS},
            )
        )
    _insert(Tally, tallies, counts)
    for tally in tallies:
        for candidate_id, votes in by_vote[tally.vote_id].votes.items():
            lines.append(TallyLine(tally=tally, candidate_id=candidate_id, votes=votes))
    _insert(TallyLine, lines, counts)
    Vote.objects.bulk_update([plan[0] for plan in plans], ["results", "status"], batch_size=BATCH)
    return {(vote.meeting_id, vote.purpose): vote for vote, *_rest in plans}


# --- The hall of the ballots benchmark -------------------------------------------------

HALL_CLUSTER = "Cụm bỏ phiếu điện tử (đo tốc độ)"
HALL_UNIT = "Đơn vị bỏ phiếu thử số "


def ballot_hall(body: OrganizingBody, *, voters: int, year: int) -> Vote:
    """An open electronic vote of ``voters`` voters present, through the services as a
    secretary would set it up: a cluster of its own (``voters`` units made for it), its
    year-end meeting with everyone present, three candidates and two tellers. The vote's
    ``issued_codes`` are the codes to hand out. ``remove_ballot_hall`` deletes it all."""
    from votes import services

    units = _prepared(
        [
            Unit(body=body, kind=Unit.Kind.AGENCY, name=f"{HALL_UNIT}{number:03d}")
            for number in range(1, voters + 1)
        ]
    )
    _insert(Unit, units, {})
    cluster = Cluster(body=body, name=HALL_CLUSTER, kind=Cluster.Kind.CLUSTER,
                      level=Level.PROVINCIAL)  # fmt: skip
    cluster.prepare_text()
    cluster.save()
    cluster_year = ClusterYear.objects.create(cluster=cluster, year=year)
    roles = [ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY]
    members = [
        ClusterMember(
            cluster_year=cluster_year,
            unit=unit,
            role=roles[index] if index < len(roles) else ClusterMember.Role.MEMBER,
        )
        for index, unit in enumerate(units)
    ]
    _insert(ClusterMember, members, {})
    starts_at = datetime.datetime(year, 12, 20, 8, tzinfo=TZ)
    meeting = Meeting.objects.create(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title=MEETING_KINDS[Meeting.Kind.YEAR_END].format(year=year),
        starts_at=starts_at,
        place="Hội trường Ủy ban nhân dân tỉnh",
    )
    _insert(Attendance, [Attendance(meeting=meeting, member=m, present=True) for m in members], {})
    vote = services.vote_create(
        meeting=meeting,
        purpose=VoteRule.Purpose.HEAD,
        title=VOTE_TITLES[VoteRule.Purpose.HEAD].format(next=year + 1),
        electronic=True,
    )
    services.vote_set_candidates(vote=vote, members=members[:3])
    services.vote_set_tellers(
        vote=vote, tellers=[{"full_name": name, "position": position} for name, position in TELLERS]
    )
    return services.vote_open(vote=vote)


def remove_ballot_hall(body: OrganizingBody) -> None:
    """Delete what ``ballot_hall`` made under ``body``, the ballots cast with it."""
    clusters = Cluster.objects.filter(body=body, name=HALL_CLUSTER)
    with transaction.atomic():
        for queryset in [
            *_vote_steps(meeting__cluster_year__cluster__in=clusters),
            Attendance.objects.filter(meeting__cluster_year__cluster__in=clusters),
            Meeting.objects.filter(cluster_year__cluster__in=clusters),
            ClusterMember.objects.filter(cluster_year__cluster__in=clusters),
            ClusterYear.objects.filter(cluster__in=clusters),
            Cluster.objects.filter(pk__in=clusters.values("pk")),
            Unit.objects.filter(body=body, name__startswith=HALL_UNIT),
        ]:
            _delete(queryset)


def _vote_steps(**votes) -> list[models.QuerySet]:
    """The deletions of the votes ``Vote.objects.filter(**votes)`` and of their rows."""
    of_votes = {f"vote__{key}": value for key, value in votes.items()}
    return [
        ElectronicBallot.objects.filter(**of_votes),
        BallotCode.objects.filter(**of_votes),
        TallyLine.objects.filter(**{f"tally__{key}": v for key, v in of_votes.items()}),
        Tally.objects.filter(**of_votes),
        Teller.objects.filter(**of_votes),
        Voter.objects.filter(**of_votes),
        Candidate.objects.filter(**of_votes),
        Vote.objects.filter(**votes),
    ]


# --- Removal ---------------------------------------------------------------------------


def _delete(queryset: models.QuerySet) -> None:
    """Delete without loading the rows: no signals, so no history rows of the deletion.

    ``QuerySet.delete()`` would fetch every row (the history app listens to deletions),
    minutes for 100,000 people and 120,000 results; ``_raw_delete`` is one statement.
    """
    model = queryset.model
    history = getattr(model, "history", None)
    if history is not None and hasattr(history, "model"):
        ids = queryset.values("pk")
        history_rows = history.model.objects.filter(id__in=ids)
        history_rows._raw_delete(history_rows.db)
    queryset._raw_delete(queryset.db)


@transaction.atomic
def remove(body: OrganizingBody) -> None:
    """Delete everything ``build`` made under ``body`` (and what the run added to it)."""
    in_years = {"cluster_year__cluster__body": body}
    steps = [
        *bench_awards.removal(body),
        Score.objects.filter(criterion__sheet__cluster_year__cluster__body=body),
        Criterion.objects.filter(sheet__cluster_year__cluster__body=body),
        CriteriaSheet.objects.filter(**in_years),
        *_vote_steps(meeting__cluster_year__cluster__body=body),
        Attendance.objects.filter(meeting__cluster_year__cluster__body=body),
        Participant.objects.filter(meeting__cluster_year__cluster__body=body),
        AgendaItem.objects.filter(meeting__cluster_year__cluster__body=body),
        Conclusion.objects.filter(meeting__cluster_year__cluster__body=body),
        Exemplar.objects.filter(meeting__cluster_year__cluster__body=body),
        Attachment.objects.filter(meeting__cluster_year__cluster__body=body),
        Meeting.objects.filter(**in_years),
        Result.objects.filter(period__pledge__cluster_year__cluster__body=body),
        TargetExpectation.objects.filter(period__pledge__cluster_year__cluster__body=body),
        Commitment.objects.filter(target__pledge__cluster_year__cluster__body=body),
        Registration.titles.through.objects.filter(
            registration__pledge__cluster_year__cluster__body=body
        ),
        Registration.objects.filter(pledge__cluster_year__cluster__body=body),
        Signature.objects.filter(pledge__cluster_year__cluster__body=body),
        Period.objects.filter(pledge__cluster_year__cluster__body=body),
        Target.objects.filter(pledge__cluster_year__cluster__body=body),
        PledgeMovement.objects.filter(pledge__cluster_year__cluster__body=body),
        Pledge.objects.filter(**in_years),
        Movement.objects.filter(body=body),
        ReportText.objects.filter(**in_years),
        ClusterMember.objects.filter(**in_years),
        ClusterYear.secretaries.through.objects.filter(clusteryear__cluster__body=body),
        ClusterYear.objects.filter(cluster__body=body),
        Cluster.objects.filter(body=body),
        Person.objects.filter(body=body),
        AwardType.objects.filter(body=body),
        UnitSuccession.objects.filter(predecessor__body=body),
        Unit.objects.filter(body=body, parent__isnull=False),
        Unit.objects.filter(body=body),
        Role.objects.filter(body=body),
    ]
    for queryset in steps:
        _delete(queryset)
    users = get_user_model().objects.filter(username__in=[STAFF_USERNAME, ADMIN_USERNAME])
    user_ids = list(users.values_list("pk", flat=True))
    users.delete()  # sessions, exports and the like go with them
    history = get_user_model().history.model.objects.filter(id__in=user_ids)
    history._raw_delete(history.db)
    _delete(OrganizingBody.objects.filter(pk=body.pk))
