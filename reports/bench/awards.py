"""The benchmark's awards: ten years of a province's register of titles and commendations.

Most rows are what a province's register is mostly made of: the grassroots titles and
Giấy khen each unit's head grants every year (Lao động tiên tiến, Chiến sĩ thi đua cơ
sở, Giấy khen, Tập thể lao động tiên tiến) to people of the bench's register — their
name, position and unit copied onto the row as on the decision — and to collectives
under the units; fewer provincial ones (Bằng khen and Chiến sĩ thi đua of the province,
Tập thể lao động xuất sắc), a few state ones, and each cluster's flag and Bằng khen to
member units. Every unit-year's grassroots awards share one decision of the unit's
head; the province's and the state's are grouped into decisions of their authorities,
numbered as printed ("1234/QĐ-UBND"). A person of a commune merged on 1/7/2025 was
awarded under the old commune before it and under the new one after, so the new
commune's history through the merger has rows.

Earlier years are decided or presented (a few rejected); the latest year is still
climbing the chain — proposals at the cluster, submitted at each level, returned —
so every inbox has content, with the steps that brought each of that year's awards
where it is. Rows go in with ``bulk_create`` after ``prepare_text()``, as
``reports.bench.data`` does; no history rows are written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import models

from awards.models import (
    Award,
    AwardStep,
    Batch,
    Decision,
    Gender,
    Initiative,
    Occasion,
    Override,
    RecipientKind,
    ReportedCount,
)
from clusters.models import (
    CHAIN_STAGES,
    AwardType,
    Chain,
    InitiativeLevel,
    OrganizingBody,
    Stage,
    Unit,
    UnitSuccession,
)
from pledges.models import Movement
from reports.bench import names

Status = Award.Status
Action = AwardStep.Action
Level = AwardType.Level
INDIVIDUAL, COLLECTIVE, UNIT = (
    RecipientKind.INDIVIDUAL,
    RecipientKind.COLLECTIVE,
    RecipientKind.UNIT,
)

# name, short name, category, recipient, level, decided by — the national catalogue's
# (awards/migrations/0002); a database without it gets them as the bench body's own.
TYPES = {
    "LĐTT": ("Lao động tiên tiến", "title", "individual", Level.GRASSROOTS),
    "CSTĐCS": ("Chiến sĩ thi đua cơ sở", "title", "individual", Level.GRASSROOTS),
    "GK": ("Giấy khen", "commendation", "both", Level.GRASSROOTS),
    "TTLĐTT": ("Tập thể lao động tiên tiến", "title", "collective", Level.GRASSROOTS),
    "BKT": ("Bằng khen của UBND tỉnh", "commendation", "both", Level.PROVINCE),
    "CSTĐT": ("Chiến sĩ thi đua cấp tỉnh", "title", "individual", Level.PROVINCE),
    "TTLĐXS": ("Tập thể lao động xuất sắc", "title", "collective", Level.PROVINCE),
    "CỜT": ("Cờ thi đua của UBND tỉnh", "title", "collective", Level.PROVINCE),
    "BKTTG": ("Bằng khen của Thủ tướng Chính phủ", "commendation", "both", Level.STATE),
    "HCLĐ3": ("Huân chương Lao động hạng Ba", "commendation", "both", Level.STATE),
    "CSTĐTQ": ("Chiến sĩ thi đua toàn quốc", "title", "individual", Level.STATE),
    "CỜCP": ("Cờ thi đua của Chính phủ", "title", "collective", Level.STATE),
}
DECIDED_BY = {
    Level.PROVINCE: "Chủ tịch UBND tỉnh",
    Level.STATE: "Thủ tướng Chính phủ",
    Level.GRASSROOTS: "Thủ trưởng cơ quan, Chủ tịch UBND cấp xã",
}
# What a unit's year is made of, in shares of its awards (the cluster's unit awards aside).
MIX = [
    ("LĐTT", INDIVIDUAL, 44),
    ("CSTĐCS", INDIVIDUAL, 12),
    ("GK", INDIVIDUAL, 18),
    ("GK", COLLECTIVE, 7),
    ("TTLĐTT", COLLECTIVE, 7),
    ("BKT", INDIVIDUAL, 5),
    ("BKT", COLLECTIVE, 2),
    ("TTLĐXS", COLLECTIVE, 2.5),
    ("CSTĐT", INDIVIDUAL, 1.5),
    ("BKTTG", INDIVIDUAL, 0.3),
    ("BKTTG", COLLECTIVE, 0.3),
    ("HCLĐ3", INDIVIDUAL, 0.1),
    ("CSTĐTQ", INDIVIDUAL, 0.05),
]
# Collectives under a unit: an agency's departments, a commune's schools and villages.
AGENCY_COLLECTIVES = [
    "Văn phòng {unit}",
    "Phòng Tổ chức - Hành chính",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Nghiệp vụ {number}",
    "Phòng Thanh tra - Pháp chế",
    "Công đoàn cơ sở {unit}",
    "Chi đoàn Thanh niên {unit}",
]
COMMUNE_COLLECTIVES = [
    "Trường Mầm non {place}",
    "Trường Tiểu học {place}",
    "Trường Trung học cơ sở {place}",
    "Trạm Y tế {place}",
    "Thôn Nà {syllable}",
    "Thôn Bản {syllable}",
    "Tổ dân phố số {number}",
    "Hội Phụ nữ {place}",
    "Đoàn Thanh niên {place}",
    "Hội Cựu chiến binh {place}",
    "Hợp tác xã Nông nghiệp {place}",
    "Công an {unit}",
]
ACHIEVEMENTS = [
    "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm {year}",
    "Đã có thành tích xuất sắc trong phong trào thi đua năm {year}",
    "Đã có thành tích tiêu biểu trong thực hiện nhiệm vụ chính trị năm {year}",
]
RETURN_REASONS = [
    "Hồ sơ thiếu báo cáo thành tích có xác nhận của cấp trình.",
    "Đề nghị bổ sung biên bản họp Hội đồng Thi đua - Khen thưởng cơ sở.",
    "Tỷ lệ đề nghị vượt quá quy định, đề nghị rà soát lại.",
]
# The latest year's proposals, by level: (status, stage, share).
OPEN_MIX = {
    Level.GRASSROOTS: [
        (Status.DECIDED, Stage.AUTHORITY, 75),
        (Status.PROPOSED, Stage.CLUSTER, 10),
        (Status.SUBMITTED, Stage.AUTHORITY, 10),
        (Status.RETURNED, Stage.CLUSTER, 5),
    ],
    Level.PROVINCE: [
        (Status.DECIDED, Stage.AUTHORITY, 30),
        (Status.PROPOSED, Stage.CLUSTER, 15),
        (Status.SUBMITTED, Stage.BOARD, 20),
        (Status.SUBMITTED, Stage.COUNCIL, 20),
        (Status.SUBMITTED, Stage.AUTHORITY, 10),
        (Status.RETURNED, Stage.CLUSTER, 5),
    ],
    Level.STATE: [
        (Status.PROPOSED, Stage.CLUSTER, 20),
        (Status.SUBMITTED, Stage.BOARD, 20),
        (Status.SUBMITTED, Stage.COUNCIL, 20),
        (Status.SUBMITTED, Stage.CENTRE, 40),
    ],
}
CHAINS = {
    Level.GRASSROOTS: Chain.GRASSROOTS,
    Level.PROVINCE: Chain.PROVINCE,
    Level.STATE: Chain.STATE,
}
PROVINCE_DECISION_SIZE = 60  # awards per provincial decision


@dataclass
class _Planned:
    award: Award
    key: tuple  # which decision grants it: (level, year, group)
    level: str


def award_types(body: OrganizingBody) -> dict[str, AwardType]:
    """The catalogue's types the bench grants: the national ones, else the body's own."""
    national = {t.name: t for t in AwardType.objects.filter(body__isnull=True)}
    own = {t.name: t for t in AwardType.objects.filter(body=body)}
    found = {}
    for code, (name, category, recipient, level) in TYPES.items():
        award_type = national.get(name) or own.get(name)
        if award_type is None:
            award_type = AwardType(
                name=name,
                category=category,
                recipient=recipient,
                level=level,
                decided_by=DECIDED_BY[level],
                body=body,
                order=len(found) + 1,
            )
            award_type.prepare_text()
            award_type.save()
        found[code] = award_type
    return found


def _initials(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in ("và", "các", "tỉnh", "chi", "nhánh")]
    return "".join(w[0] for w in words).upper()


def _authority(unit: Unit) -> tuple[str, str, str]:
    """(authority, signer's title, the number's suffix) of a unit's own decisions."""
    if unit.kind in (Unit.Kind.COMMUNE, Unit.Kind.DISTRICT):
        lower = unit.name[:1].lower() + unit.name[1:]
        return f"Chủ tịch UBND {lower}", "CHỦ TỊCH", "QĐ-UBND"
    if unit.name.startswith("Sở"):
        return f"Giám đốc {unit.name}", "GIÁM ĐỐC", f"QĐ-{_initials(unit.name)}"
    return f"Thủ trưởng {unit.name}", "THỦ TRƯỞNG", f"QĐ-{_initials(unit.name)}"


class _Numbers:
    """Decision numbers, one series per year, as a register numbers them."""

    def __init__(self, rng):
        self.next = defaultdict(lambda: rng.randint(5, 40))
        self.rng = rng

    def take(self, year: int, suffix: str) -> str:
        number = self.next[year]
        self.next[year] += self.rng.randint(1, 4)
        return f"{number:02d}/{suffix}"


def build(rng, scale, body, *, staff, units, people, years, members, counts, insert) -> dict:
    """Create the awards of ``scale`` under ``body``. Returns what the pages visit:
    ``merged_unit`` (a commune formed by the 2025 merger) and ``decision_number``."""
    types = award_types(body)
    movements = list(Movement.objects.filter(body=body).order_by("pk"))
    last = scale.years[-1]
    successor_of = dict(
        UnitSuccession.objects.filter(predecessor__body=body).values_list(
            "predecessor_id", "successor_id"
        )
    )
    predecessors = defaultdict(list)
    for predecessor, successor in successor_of.items():
        predecessors[successor].append(predecessor)
    by_pk = {unit.pk: unit for unit in units}
    people_of = defaultdict(list)
    for person in people:
        people_of[person.unit_id].append(person)

    def staff_of(unit: Unit, year: int) -> list:
        """The people who worked at ``unit`` in ``year``: its own, and those the register
        now files under the unit it merged into (a third each, by their number)."""
        own = list(people_of[unit.pk])
        if year < last and unit.pk in successor_of:
            successor = successor_of[unit.pk]
            index = sorted(predecessors[successor]).index(unit.pk)
            share = len(predecessors[successor])
            own += [p for p in people_of[successor] if p.pk % share == index]
        if year >= last and unit.pk in predecessors:
            for predecessor in predecessors[unit.pk]:
                own += people_of[predecessor]
        return own

    def active(unit: Unit, year: int) -> bool:
        if year >= last:  # decided after the merger of 1/7/2025
            return unit.active_to is None
        return unit.active_from is None

    per_year = max(1, scale.awards // len(scale.years))
    planned: list[_Planned] = []
    numbers = _Numbers(rng)
    for year in scale.years:
        giving = [unit for unit in units if active(unit, year)]
        per_unit = per_year / len(giving)
        for unit in giving:
            workers = staff_of(unit, year)
            count = max(1, round(per_unit * rng.uniform(0.6, 1.4)))
            for code, kind, share in MIX:
                wanted = count * share / 100
                how_many = int(wanted) + (1 if rng.random() < wanted - int(wanted) else 0)
                if not how_many:
                    continue
                level = types[code].level
                if kind == INDIVIDUAL:
                    chosen = rng.sample(workers, min(how_many, len(workers)))
                    for person in chosen:
                        planned.append(
                            _plan(rng, types[code], year, unit, level, person=person,
                                  movements=movements)
                        )  # fmt: skip
                else:
                    for _ in range(how_many):
                        planned.append(
                            _plan(rng, types[code], year, unit, level, movements=movements)
                        )
        # Each cluster's and bloc's year: the flag to its leader, Bằng khen to two more,
        # the Government's flag to a few leaders.
        for year_members in members.values():
            cluster_year = year_members[0].cluster_year
            if cluster_year.year != year:
                continue
            ranked = rng.sample(year_members, min(3, len(year_members)))
            for place, member in enumerate(ranked):
                code = "CỜT" if place == 0 else "BKT"
                planned.append(
                    _plan(rng, types[code], year, member.unit, types[code].level,
                          cluster_year=cluster_year, movements=movements, rank=place + 1)
                )  # fmt: skip
                if place == 0 and rng.random() < 0.15:
                    planned.append(
                        _plan(rng, types["CỜCP"], year, member.unit, Level.STATE,
                              cluster_year=cluster_year, movements=movements, rank=1)
                    )  # fmt: skip
    # The rare name of the selective search was awarded too.
    rare = people[0]
    for year in scale.years[:2]:
        unit = by_pk[rare.unit_id]
        planned.append(
            _plan(rng, types["LĐTT"], year, unit, Level.GRASSROOTS, person=rare, movements=[])
        )

    # Statuses: earlier years decided or presented, a few rejected; the latest climbing.
    for plan in planned:
        award = plan.award
        if award.year == last:
            status, stage = _pick(rng, OPEN_MIX[plan.level])
        elif rng.random() < 0.02:
            status, stage = Status.REJECTED, Stage.COUNCIL
        else:
            status = Status.PRESENTED if rng.random() < 0.65 else Status.DECIDED
            stage = Stage.AUTHORITY
        if plan.level == Level.GRASSROOTS and stage not in (Stage.CLUSTER, Stage.AUTHORITY):
            stage = Stage.AUTHORITY
        award.status, award.stage = status, stage

    decisions = _decisions(rng, body, planned, by_pk, numbers, last)
    insert(Decision, _prepared(list({id(d): d for d in decisions.values()}.values())), counts)
    batches = {}
    for plan in planned:
        award = plan.award
        if award.status in (Status.DECIDED, Status.PRESENTED):
            award.decision = decisions[id(plan)]
            signed = award.decision.signed_on
            if award.status == Status.PRESENTED:
                award.presented_on = signed + datetime.timedelta(days=rng.randint(7, 60))
        if award.year == last and award.status == Status.SUBMITTED:
            batch_key = (award.unit.pk, plan.level)
            if batch_key not in batches:
                batches[batch_key] = Batch(
                    body=body,
                    cluster_year=award.cluster_year,
                    number=f"{len(batches) + 1:02d}/TTr-TĐKT",
                    submitted_by=staff,
                )
            award.batch = batches[batch_key]
    insert(Batch, list(batches.values()), counts)
    awards = insert(Award, _prepared_awards([plan.award for plan in planned]), counts)
    insert(AwardStep, _steps(rng, planned, staff, last), counts)
    _initiatives(rng, planned, counts, insert)
    _reported_counts(rng, members, counts, insert)
    merged = next((by_pk[pk] for pk in sorted(predecessors)), None)
    first = min((a.decision for a in awards if a.decision is not None), key=lambda d: d.pk)
    return {"merged_unit": merged, "decision_number": first.number}


def _pick(rng, shares):
    status, stage, _share = rng.choices(shares, weights=[s[2] for s in shares])[0]
    return status, stage


def _prepared(rows: list) -> list:
    for row in rows:
        row.prepare_text()
    return rows


def _prepared_awards(rows: list[Award]) -> list[Award]:
    """``prepare_text()`` once per recipient as printed (a person is awarded most years,
    a school now and then): the rows repeating one copy its derived columns."""
    derived = ("recipient_name", "recipient_position", "recipient_unit_name",
               *Award.text_key_fields)  # fmt: skip
    done = {}
    for row in rows:
        key = (row.recipient_kind, row.recipient_name, row.recipient_position,
               row.recipient_unit_name)  # fmt: skip
        first = done.get(key)
        if first is None:
            row.prepare_text()
            done[key] = row
        else:
            for name in derived:
                setattr(row, name, getattr(first, name))
    return rows


def _place(unit: Unit) -> str:
    return unit.short_name or unit.name.split(" ", 1)[-1]


def _plan(rng, award_type, year, unit, level, *, person=None, cluster_year=None,
          movements=(), rank=None) -> _Planned:  # fmt: skip
    occasion, movement = Occasion.REGULAR, None
    roll = rng.random()
    if movements and roll < 0.06:
        occasion, movement = Occasion.CAMPAIGN, rng.choice(movements)
    elif roll < 0.075:
        occasion = Occasion.AD_HOC
    elif roll < 0.085 and person is not None:
        occasion = Occasion.SERVICE
    award = Award(
        body_id=unit.body_id,
        year=year,
        award_type=award_type,
        occasion=occasion,
        movement=movement,
        unit=unit,
        achievement=rng.choice(ACHIEVEMENTS).format(year=year),
        source=Award.Source.IMPORT if year < 2024 else Award.Source.HAND,
        cluster_year=cluster_year,
        rank=rank,
    )
    if person is not None:
        award.recipient_kind = INDIVIDUAL
        award.person = person
        award.recipient_name = person.full_name
        award.recipient_position = person.position
        award.recipient_unit_name = unit.name
        award.gender = Gender.FEMALE if " Thị " in f" {person.full_name} " else Gender.MALE
        award.birth_year = 1965 + person.pk % 36
        group = ("unit", unit.pk)
    elif cluster_year is not None:
        award.recipient_kind = UNIT
        if award_type.category == AwardType.Category.TITLE and unit.kind in (
            Unit.Kind.DISTRICT,
            Unit.Kind.COMMUNE,
        ):
            award.recipient_name = f"Nhân dân và cán bộ {unit.name[:1].lower()}{unit.name[1:]}"
        else:
            award.recipient_name = unit.name
        group = ("cluster", cluster_year.pk)
    else:
        award.recipient_kind = COLLECTIVE
        territorial = unit.kind in (Unit.Kind.COMMUNE, Unit.Kind.DISTRICT)
        pattern = rng.choice(COMMUNE_COLLECTIVES if territorial else AGENCY_COLLECTIVES)
        award.recipient_name = pattern.format(
            unit=unit.name[:1].lower() + unit.name[1:] if territorial else unit.name,
            place=_place(unit),
            syllable=rng.choice(names.PLACE_SYLLABLES),
            number=rng.randint(1, 15),
        )
        award.recipient_unit_name = unit.name
        group = ("unit", unit.pk)
    # The unit's head decides its grassroots awards; the province and the state theirs.
    key = (level, year, group if level == Level.GRASSROOTS else award_type.pk)
    return _Planned(award=award, key=key, level=level)


def _decisions(rng, body, planned, by_pk, numbers, last) -> dict:
    """The decision of each decided award, by ``id`` of its plan: one of a unit's head
    for its grassroots awards of the year; the chairman of the province's or the Prime
    Minister's for theirs, in decisions of up to ``PROVINCE_DECISION_SIZE`` awards."""
    granted = defaultdict(list)
    for plan in planned:
        if plan.award.status in (Status.DECIDED, Status.PRESENTED):
            granted[plan.key].append(plan)
    decisions = {}
    signers = names.full_names(rng, 64)
    for key in sorted(granted, key=lambda k: (k[1], str(k[0]), str(k[2]))):
        level, year, group = key
        plans = granted[key]
        if level == Level.GRASSROOTS:
            unit = by_pk[group[1]] if group[0] == "unit" else plans[0].award.unit
            authority, title, suffix = _authority(unit)
            signed_on = datetime.date(year, 12, rng.randint(10, 28))
            chunks = [plans]
        else:
            authority = DECIDED_BY[level]
            title = "KT. CHỦ TỊCH" if level == Level.PROVINCE else "KT. THỦ TƯỚNG"
            suffix = "QĐ-UBND" if level == Level.PROVINCE else "QĐ-TTg"
            if level == Level.PROVINCE:
                authority = "Chủ tịch UBND tỉnh Tuyên Quang"
            signed_year = year if year == last else year + 1
            month = 12 if year == last else rng.randint(1, 4)
            signed_on = datetime.date(signed_year, month, rng.randint(1, 28))
            plans.sort(key=lambda p: (p.award.unit_id, p.award.recipient_name))
            chunks = [
                plans[start : start + PROVINCE_DECISION_SIZE]
                for start in range(0, len(plans), PROVINCE_DECISION_SIZE)
            ]
        subject = (
            "danh hiệu thi đua và Giấy khen"
            if level == Level.GRASSROOTS
            else plans[0].award.award_type.name
        )
        for index, chunk in enumerate(chunks):
            on = signed_on + datetime.timedelta(days=index)
            decision = Decision(
                body=body,
                number=numbers.take(on.year, suffix),
                signed_on=on,
                authority=authority,
                signer_name=rng.choice(signers),
                signer_title=title,
                summary=f"Về việc tặng {subject} năm {year}",
            )
            for plan in chunk:
                decisions[id(plan)] = decision
    return decisions


def _steps(rng, planned, staff, last) -> list[AwardStep]:
    """The latest year's steps: how each award got where it is."""
    steps = []
    for plan in planned:
        award = plan.award
        if award.year != last:
            continue
        chain = CHAIN_STAGES[CHAINS[plan.level]]

        def step(action, from_stage, to_stage, reason="", award=award):
            steps.append(AwardStep(award=award, action=action, from_stage=from_stage,
                                   to_stage=to_stage, by=staff, reason=reason))  # fmt: skip

        step(Action.PROPOSED, Stage.CLUSTER, Stage.CLUSTER)
        if award.status == Status.PROPOSED:
            continue
        step(Action.SUBMITTED, chain[0], chain[1])
        if award.status == Status.RETURNED:
            step(Action.RETURNED, chain[1], chain[0], rng.choice(RETURN_REASONS))
            continue
        reached = chain.index(award.stage)
        for position in range(1, reached):
            step(Action.ACCEPTED, chain[position], chain[position + 1])
        if award.status in (Status.DECIDED, Status.PRESENTED):
            step(Action.DECIDED, award.stage, award.stage, award.decision.number)
    return steps


def _initiatives(rng, planned, counts, insert) -> None:
    """An initiative recognised the year of each provincial or national Chiến sĩ thi đua."""
    rows = []
    seen = set()
    for plan in planned:
        award = plan.award
        if award.person is None or award.award_type.name not in (
            "Chiến sĩ thi đua cấp tỉnh",
            "Chiến sĩ thi đua toàn quốc",
        ):
            continue
        if (award.person.pk, award.year) in seen:
            continue
        seen.add((award.person.pk, award.year))
        rows.append(
            Initiative(
                person=award.person,
                title=f"Giải pháp nâng cao hiệu quả công tác tại {award.recipient_unit_name}",
                year=award.year,
                recognised_by="Hội đồng Sáng kiến tỉnh",
                level=InitiativeLevel.PROVINCE,
                decision=f"Quyết định số {rng.randint(10, 300)}/QĐ-HĐSK",
            )
        )
    insert(Initiative, _prepared(rows), counts)


def _reported_counts(rng, members, counts, insert) -> None:
    """Each member's year: how many collectives and individuals its head commended."""
    rows = []
    for year_members in members.values():
        for member in year_members:
            for kind, low, high in (
                (ReportedCount.Kind.COLLECTIVE, 5, 120),
                (ReportedCount.Kind.INDIVIDUAL, 40, 900),
            ):
                rows.append(
                    ReportedCount(
                        cluster_year=member.cluster_year,
                        unit=member.unit,
                        period=ReportedCount.Period.YEAR,
                        level=Level.GRASSROOTS,
                        kind=kind,
                        count=rng.randint(low, high),
                    )
                )
    insert(ReportedCount, rows, counts)


def load(body: OrganizingBody) -> dict:
    """What ``build`` returned, found again in a kept data set (none in one kept before
    the awards were added)."""
    merged = (
        Unit.objects.filter(body=body, successions_in__kind=UnitSuccession.Kind.MERGER)
        .order_by("pk")
        .first()
    )
    decision = Decision.objects.filter(body=body).order_by("pk").first()
    return {"merged_unit": merged, "decision_number": decision.number if decision else ""}


def removal(body: OrganizingBody) -> list[models.QuerySet]:
    """The deletions of the awards' rows under ``body``, in an order the keys allow."""
    return [
        AwardStep.objects.filter(award__body=body),
        Override.objects.filter(award__body=body),
        Award.objects.filter(body=body),
        Batch.objects.filter(body=body),
        Decision.objects.filter(body=body),
        Initiative.objects.filter(person__body=body),
        ReportedCount.objects.filter(cluster_year__cluster__body=body),
    ]
