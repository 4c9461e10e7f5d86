"""Demo awards from the seeds, plus a generated history so the statistics have substance.

- Seed 000 (Bắc Kạn, Cụm thi đua các huyện, thành phố, year-end conference of
  7/2/2023): the members nominated huyện Na Rì for Cờ thi đua của UBND tỉnh and huyện
  Chợ Mới and huyện Pác Nặm for Bằng khen của UBND tỉnh (the votes demo). Each confirmed
  nomination becomes proposals (``awards_from_nomination``), sent up in one batch,
  accepted by the Ban TĐKT and the council, and granted by one decision of the
  provincial chairman. The articles give neither the decision's number nor its date:
  "345/QĐ-UBND" of 10/3/2023 is invented, as is the submission letter's number.
- Bắc Kạn's own rule set (invented for the demo, its legal basis says so): one flag and
  at most two Bằng khen per cluster and year, after a confirmed vote, sent by 31/3 of
  the following year; Giấy khen decided within the cluster.
- Seed 001 (Lào Cai bloc, mid-year conference of 22/7/2022): the bloc gave Giấy khen to
  07 collectives and 11 individuals, recorded one by one from one decision; the article
  names none of them, so their names and the decision ("18/QĐ-KTĐ" of 15/6/2022) are
  invented. The figures the bloc reported for the first six months — 517 collectives
  and individuals commended by the Prime Minister and the province, 1.315 collectives
  and 9.294 individuals by the district chairmen — are reported counts. They are the
  whole bloc's, but a count belongs to a member: they are recorded under huyện Bắc Hà,
  the deputy head that hosted the conference, with a note saying they are the bloc's.
- Two recognised initiatives (invented) of people the meetings demo put in the register.
- A generated history, 2016–2021, for Bắc Kạn and Lào Cai: each year the provincial
  chairman's decision (a flag, Bằng khen, Tập thể lao động xuất sắc, Chiến sĩ thi đua
  cấp tỉnh), every other year a Prime Minister's Bằng khen, and the district chairmen's
  Giấy khen; recipients drawn from invented names by a fixed random seed, so every run
  draws the same awards.

Idempotent: every step looks for what it would create (a decision by its number, an
award by its import key, a proposal by its vote) and leaves it; only proposals still
waiting move on. Runs after the votes demo and does nothing of seed 000 without it.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from awards import services
from awards.models import (
    Award,
    AwardStep,
    Decision,
    Initiative,
    Occasion,
    RecipientKind,
    ReportedCount,
)
from clusters.models import AwardRule, AwardType, Chain, ClusterYear, Person, RuleSet, Stage
from votes.selectors import confirmed_nominations

Status = Award.Status
SYSTEM_USER = "du-lieu-mau"

FLAG = "Cờ thi đua của UBND tỉnh"
CERTIFICATE = "Bằng khen của UBND tỉnh"
PM_CERTIFICATE = "Bằng khen của Thủ tướng Chính phủ"
PAPER = "Giấy khen"
EXCELLENT = "Tập thể lao động xuất sắc"
SOLDIER = "Chiến sĩ thi đua cấp tỉnh"

RULE_SET = "Quy định thi đua, khen thưởng cụm, khối thi đua tỉnh Bắc Kạn (dữ liệu mẫu)"
RULE_BASIS = (
    "Luật Thi đua, khen thưởng số 06/2022/QH15; quy chế của tỉnh Bắc Kạn (dữ liệu mẫu, "
    "cần thay bằng văn bản thật của tỉnh)"
)
# award type, chain, quota per cluster, needs a vote, ranking places
BAC_KAN_RULES = [
    (FLAG, Chain.PROVINCE, 1, True, (1, 1)),
    (CERTIFICATE, Chain.PROVINCE, 2, True, (2, 3)),
    (PAPER, Chain.GRASSROOTS, None, False, None),
]
CHECKLIST = "Tờ trình\nBiên bản họp bình xét, suy tôn\nBáo cáo thành tích"

SEED_000_DECISION = ("345/QĐ-UBND", datetime.date(2023, 3, 10))  # invented
SEED_000_LETTER = "02/TTr-CTĐ"  # invented
SEED_001_DECISION = ("18/QĐ-KTĐ", datetime.date(2022, 6, 15))  # invented

# Seed 001's Giấy khen: 07 collectives and 11 individuals (names invented), by district.
LAO_CAI_COLLECTIVES = [
    ("Phòng Nội vụ huyện Bắc Hà", "Bắc Hà"),
    ("Trường Phổ thông dân tộc bán trú Trung học cơ sở xã Bản Phố", "Bắc Hà"),
    ("Phòng Văn hóa và Thông tin thị xã Sa Pa", "Sa Pa"),
    ("Ủy ban nhân dân xã Bản Lầu", "Mường Khương"),
    ("Trung tâm Y tế huyện Si Ma Cai", "Si Ma Cai"),
    ("Phòng Nông nghiệp và Phát triển nông thôn huyện Bảo Thắng", "Bảo Thắng"),
    ("Hội Liên hiệp Phụ nữ huyện Văn Bàn", "Văn Bàn"),
]
LAO_CAI_INDIVIDUALS = [
    ("Hoàng Văn Sinh", "Chủ tịch UBND xã Tả Van Chư", "Bắc Hà"),
    ("Lù Thị Mai", "Giáo viên Trường Tiểu học Na Hối", "Bắc Hà"),
    ("Giàng A Páo", "Trưởng thôn Sín Chải", "Sa Pa"),
    ("Nguyễn Thị Thanh Hà", "Chuyên viên Phòng Nội vụ thành phố Lào Cai", "TP Lào Cai"),
    ("Vàng Văn Chư", "Phó Chủ tịch UBND xã Y Tý", "Bát Xát"),
    ("Phạm Thị Hồng", "Bác sĩ Trung tâm Y tế huyện Bảo Thắng", "Bảo Thắng"),
    ("Lý Văn Sơn", "Trưởng phòng Tài chính - Kế hoạch huyện Bảo Yên", "Bảo Yên"),
    ("Thào Seo Lử", "Công chức Văn hóa - Xã hội xã Lùng Phình", "Mường Khương"),
    ("Sùng Thị Dợ", "Hiệu trưởng Trường Mầm non Sín Chéng", "Si Ma Cai"),
    ("Đặng Văn Tiến", "Chỉ huy trưởng Ban Chỉ huy quân sự xã Nậm Xé", "Văn Bàn"),
    ("Trần Minh Đức", "Chuyên viên Văn phòng HĐND và UBND huyện Bắc Hà", "Bắc Hà"),
]
# Seed 001's figures of the first six months of 2022: level, kind, count, note.
SEED_001_COUNTS = [
    (
        AwardType.Level.PROVINCE,
        ReportedCount.Kind.MIXED,
        517,
        "Thủ tướng Chính phủ, UBND tỉnh Lào Cai khen thưởng; tổng hợp của toàn Khối",
    ),
    (
        AwardType.Level.GRASSROOTS,
        ReportedCount.Kind.COLLECTIVE,
        1315,
        "Chủ tịch UBND các huyện, thị xã, thành phố khen thưởng và công nhận danh hiệu thi "
        "đua; tổng hợp của toàn Khối",
    ),
    (
        AwardType.Level.GRASSROOTS,
        ReportedCount.Kind.INDIVIDUAL,
        9294,
        "Chủ tịch UBND các huyện, thị xã, thành phố khen thưởng và công nhận danh hiệu thi "
        "đua; tổng hợp của toàn Khối",
    ),
]
# Invented initiatives of people the meetings demo registered: name, title, level, by.
INITIATIVES = [
    (
        "Nông Văn Nguyên",
        "Giải pháp nâng cao hiệu quả phong trào thi đua “Cả nước chung sức xây dựng nông "
        "thôn mới” trên địa bàn huyện Na Rì",
        "grassroots",
        "Hội đồng sáng kiến huyện Na Rì",
    ),
    (
        "Dương Hữu Bường",
        "Ứng dụng chuyển đổi số trong quản lý hồ sơ thi đua, khen thưởng của Thành phố Bắc Kạn",
        "province",
        "Hội đồng sáng kiến tỉnh Bắc Kạn",
    ),
]

HISTORY_YEARS = range(2016, 2022)
HISTORY_SEED = 2022
FAMILY = ["Nguyễn", "Hoàng", "Nông", "Lương", "Triệu", "Hà", "Lý", "Đặng", "Ma", "Bế", "Lục"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Thanh", "Hữu"]
GIVEN = [
    "An", "Bình", "Cường", "Dung", "Hạnh", "Hùng", "Lan", "Mai", "Nam", "Phương", "Quân",
    "Thắng", "Thủy", "Trang", "Tuấn", "Hiền", "Khánh", "Long", "Ngân", "Sơn",
]  # fmt: skip
POSITIONS = [
    "Chuyên viên Phòng Nội vụ",
    "Trưởng phòng Tài chính - Kế hoạch",
    "Giáo viên Trường Trung học cơ sở thị trấn",
    "Bác sĩ Trung tâm Y tế",
    "Chủ tịch UBND xã",
    "Phó Chủ tịch UBND",
]
OFFICES = [
    "Phòng Giáo dục và Đào tạo",
    "Trung tâm Y tế",
    "Phòng Nội vụ",
    "Phòng Văn hóa và Thông tin",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Hội Nông dân",
]
OCCASIONS = (
    [Occasion.REGULAR] * 14 + [Occasion.CAMPAIGN] * 3 + [Occasion.AD_HOC] * 2 + [Occasion.SERVICE]
)


def seed(data: dict, log=print) -> None:
    by = _system_user()
    bodies, clusters, units = data["bodies"], data["clusters"], data["units"]
    types = {t.name: t for t in AwardType.objects.filter(body=None)}
    if not all(name in types for name in (FLAG, CERTIFICATE, PM_CERTIFICATE, PAPER)):
        # A database emptied by a test lost what the migrations put in the catalogue.
        log("Demo: awards skipped: the catalogue of award types is missing.")
        return
    _rule_set(bodies["bac_kan"], types)
    districts = ClusterYear.objects.get(cluster=clusters["districts"], year=2022)
    _seed_000(districts, by=by, log=log)
    bloc = ClusterYear.objects.get(cluster=clusters["bloc"], year=2022)
    _seed_001(bloc, units, types, by=by)
    _initiatives(bodies)
    for key in ("bac_kan", "lao_cai"):
        _history(bodies[key], data, types, by=by)
    log(
        f"Demo: {Award.objects.count()} awards, {Decision.objects.count()} decisions, "
        f"{ReportedCount.objects.count()} reported counts."
    )


def _system_user():
    """Who the demo's steps are recorded by: an account nobody can log in with."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USER, defaults={"first_name": "Dữ liệu mẫu", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _rule_set(body, types) -> RuleSet:
    rule_set = RuleSet.objects.filter(body=body, name=RULE_SET).first()
    if rule_set is None:
        rule_set = RuleSet.objects.create(
            body=body,
            name=RULE_SET,
            legal_basis=RULE_BASIS,
            effective_from=datetime.date(2022, 1, 1),
        )
    for name, chain, quota, vote, places in BAC_KAN_RULES:
        if AwardRule.objects.filter(rule_set=rule_set, award_type=types[name]).exists():
            continue
        rule = AwardRule(
            rule_set=rule_set,
            award_type=types[name],
            chain=chain,
            quota_per_cluster=quota,
            requires_vote=vote,
            ranking_from=places[0] if places else None,
            ranking_to=places[1] if places else None,
            checklist=CHECKLIST if chain != Chain.GRASSROOTS else "",
            deadline_day=31 if chain != Chain.GRASSROOTS else None,
            deadline_month=3 if chain != Chain.GRASSROOTS else None,
        )
        rule.full_clean()
        rule.save()
    return rule_set


def _decision(body, number, signed_on, *, authority, title="CHỦ TỊCH", summary="", by):
    found = Decision.objects.filter(body=body, year=signed_on.year, number=number).first()
    if found is not None:
        return found
    return services.decision_save(
        by=by,
        body=body,
        number=number,
        signed_on=signed_on,
        authority=authority,
        signer_title=title,
        summary=summary,
    )


def _seed_000(cluster_year, *, by, log) -> None:
    """The nominations of the year-end conference, proposed, sent up and decided."""
    nominations = confirmed_nominations(cluster_year)
    if not nominations:
        log("Demo: no confirmed nomination of seed 000: its awards skipped.")
        return
    for nomination in nominations:
        services.awards_from_nomination(nomination=nomination, by=by)
    own = Award.objects.filter(cluster_year=cluster_year, source=Award.Source.VOTE).order_by("pk")
    waiting = list(own.filter(status=Status.PROPOSED).select_related("award_type", "unit"))
    for award in waiting:
        wording = recipient_wording(award.award_type, award.unit)
        if award.recipient_name != wording:
            services.award_update(award=award, by=by, recipient_name=wording)
    if waiting:
        services.award_submit(
            awards=waiting, by=by, number=SEED_000_LETTER, today=datetime.date(2023, 2, 10)
        )
    for award in own.filter(status=Status.SUBMITTED).exclude(stage=Stage.AUTHORITY):
        while award.stage != Stage.AUTHORITY:
            award = services.award_accept(award=award, by=by)
    deciding = list(own.filter(status=Status.SUBMITTED, stage=Stage.AUTHORITY))
    if deciding:
        number, signed_on = SEED_000_DECISION
        decision = _decision(
            cluster_year.cluster.body,
            number,
            signed_on,
            authority="Chủ tịch UBND tỉnh Bắc Kạn",
            summary="Về việc tặng Cờ thi đua, Bằng khen của UBND tỉnh năm 2022",
            by=by,
        )
        services.award_decide(awards=deciding, decision=decision, by=by)


def _seed_001(cluster_year, units, types, *, by) -> None:
    body = cluster_year.cluster.body
    number, signed_on = SEED_001_DECISION
    decision = _decision(
        body,
        number,
        signed_on,
        authority="Trưởng Khối thi đua các huyện, thị xã, thành phố tỉnh Lào Cai",
        title="TRƯỞNG KHỐI",
        summary="Về việc tặng Giấy khen cho tập thể, cá nhân điển hình tiên tiến",
        by=by,
    )
    rows = [(RecipientKind.COLLECTIVE, name, "", unit) for name, unit in LAO_CAI_COLLECTIVES] + [
        (RecipientKind.INDIVIDUAL, name, position, unit)
        for name, position, unit in LAO_CAI_INDIVIDUALS
    ]
    keys = [services.import_key_of("demo", "seed-001", index) for index in range(len(rows))]
    existing = set(
        Award.objects.filter(body=body, import_key__in=keys).values_list("import_key", flat=True)
    )
    for key, (kind, name, position, unit) in zip(keys, rows, strict=True):
        if key in existing:
            continue
        services.award_record_granted(
            by=by,
            decision=decision,
            import_key=key,
            body=body,
            year=2022,
            cluster_year=cluster_year,
            award_type=types[PAPER],
            recipient_kind=kind,
            recipient_name=name,
            recipient_position=position,
            unit=units[unit],
        )
    reporter = units["Bắc Hà"]
    if not ReportedCount.objects.filter(cluster_year=cluster_year, unit=reporter).exists():
        services.reported_counts_save(
            cluster_year=cluster_year,
            rows=[
                {
                    "unit": reporter,
                    "period": ReportedCount.Period.MID_YEAR,
                    "level": level,
                    "kind": kind,
                    "count": count,
                    "note": note,
                }
                for level, kind, count, note in SEED_001_COUNTS
            ],
        )


def _initiatives(bodies) -> None:
    for full_name, title, level, recognised_by in INITIATIVES:
        person = Person.objects.filter(body=bodies["bac_kan"], full_name=full_name).first()
        if person is None or Initiative.objects.filter(person=person, title=title).exists():
            continue
        services.initiative_save(
            person=person, title=title, year=2022, recognised_by=recognised_by, level=level
        )


# --- The generated history ------------------------------------------------------------


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def recipient_wording(award_type, unit) -> str:
    """A flag to a district goes to “Nhân dân và cán bộ huyện Na Rì” (the issue's
    wording), anything else to the unit by its name. Written here in Vietnamese, as the
    demo's data is, whatever the translations say."""
    if award_type.category == AwardType.Category.TITLE:
        return f"Nhân dân và cán bộ {_lower_first(unit.name)}"
    return unit.name


def history_plan(body, districts, types) -> list[dict]:
    """The generated awards of ``body`` for 2016–2021: always the same for the same
    districts (a fixed random seed)."""
    draw = random.Random(f"{HISTORY_SEED}-{body.short_name}")
    province = body.short_name
    plan = []

    def person():
        return f"{draw.choice(FAMILY)} {draw.choice(MIDDLE)} {draw.choice(GIVEN)}"

    def add(year, decision, award_type, kind, unit, **fields):
        plan.append(
            {
                "key": services.import_key_of("demo-history", province, year, len(plan)),
                "decision": decision,
                "year": year,
                "award_type": types[award_type],
                "recipient_kind": kind,
                "unit": unit,
                "occasion": draw.choice(OCCASIONS)
                if award_type in (CERTIFICATE, PAPER)
                else Occasion.REGULAR,
                **fields,
            }
        )

    def collective(year, decision, award_type):
        unit = draw.choice(districts)
        name = f"{draw.choice(OFFICES)} {_lower_first(unit.name)}"
        add(year, decision, award_type, RecipientKind.COLLECTIVE, unit, recipient_name=name)

    def individual(year, decision, award_type):
        unit = draw.choice(districts)
        position = f"{draw.choice(POSITIONS)}, {_lower_first(unit.name)}"
        add(
            year,
            decision,
            award_type,
            RecipientKind.INDIVIDUAL,
            unit,
            recipient_name=person(),
            recipient_position=position,
        )

    for year in HISTORY_YEARS:
        province_decision = (
            f"{draw.randint(100, 900)}/QĐ-UBND",
            datetime.date(year + 1, draw.randint(1, 3), draw.randint(1, 28)),
            f"Chủ tịch UBND tỉnh {province}",
        )
        flagged = draw.sample(districts, 3)
        add(year, province_decision, FLAG, RecipientKind.UNIT, flagged[0])
        for unit in flagged[1:]:
            add(year, province_decision, CERTIFICATE, RecipientKind.UNIT, unit)
        for _index in range(draw.randint(4, 7)):
            collective(year, province_decision, CERTIFICATE)
        for _index in range(draw.randint(5, 9)):
            individual(year, province_decision, CERTIFICATE)
        for _index in range(2):
            collective(year, province_decision, EXCELLENT)
        individual(year, province_decision, SOLDIER)
        if year % 2 == 0:
            state = (
                f"{draw.randint(1000, 2000)}/QĐ-TTg",
                datetime.date(year + 1, draw.randint(4, 9), draw.randint(1, 28)),
                "Thủ tướng Chính phủ",
            )
            collective(year, state, PM_CERTIFICATE)
            individual(year, state, PM_CERTIFICATE)
        district = draw.choice(districts)
        paper = (
            f"{draw.randint(10, 99)}/QĐ-UBND",
            datetime.date(year, 12, draw.randint(1, 28)),
            f"Chủ tịch UBND {_lower_first(district.name)}",
        )
        for _index in range(draw.randint(3, 5)):
            collective(year, paper, PAPER)
        for _index in range(draw.randint(3, 5)):
            individual(year, paper, PAPER)
        add(
            year,
            paper,
            PAPER,
            RecipientKind.HOUSEHOLD,
            district,
            recipient_name=f"Hộ gia đình ông {person()}",
        )
    return plan


def _history(body, data, types, *, by) -> None:
    """Write the generated history in bulk: the same rows ``award_record_granted`` writes
    (a decided award with its snapshot of names, its history row and its "decided" step)
    without its per-row validation, which took ~26 queries an award and made the demo
    slow for every test that loads it. The rows are ours and valid by construction."""
    districts = sorted(
        (u for u in data["units"].values() if u.body_id == body.pk), key=lambda u: u.name
    )
    if not districts:
        return
    plan = history_plan(body, districts, types)
    done = set(
        Award.objects.filter(body=body, import_key__in=[row["key"] for row in plan]).values_list(
            "import_key", flat=True
        )
    )
    decisions: dict[tuple, Decision] = {}
    awards = []
    for row in plan:
        if row["key"] in done:
            continue
        number, signed_on, authority = row.pop("decision")
        decision = decisions.get((number, signed_on))
        if decision is None:
            decision = decisions[(number, signed_on)] = _decision(
                body, number, signed_on, authority=authority, by=by
            )
        award = Award(
            body=body,
            decision=decision,
            status=Status.DECIDED,
            stage=Stage.AUTHORITY,
            source=Award.Source.IMPORT,
            created_by=by,
            import_key=row.pop("key"),
            **row,
        )
        if award.recipient_kind == RecipientKind.UNIT:
            award.recipient_name = recipient_wording(award.award_type, award.unit)
        else:
            award.recipient_unit_name = award.unit.name
        award.prepare_text()
        awards.append(award)
    if not awards:
        return
    awards = bulk_create_with_history(awards, Award, default_user=by)
    AwardStep.objects.bulk_create(
        AwardStep(
            award=award,
            action=AwardStep.Action.DECIDED,
            from_stage=Stage.AUTHORITY,
            to_stage=Stage.AUTHORITY,
            by=by,
            reason=award.decision.label,
        )
        for award in awards
    )
