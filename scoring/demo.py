"""Demo criteria sheet and scores.

Bắc Kạn, Cụm thi đua các huyện, thành phố, 2022: a 100-point sheet (three groups, bonus
and deduction items, one veto criterion), self-, cluster- and board-level scores for the
eight members. The seed article: Huyện Na Rì received the provincial flag (first), Chợ
Mới and Pác Nặm Bằng khen (second and third). Ba Bể and Chợ Đồn tie on total and the
tie rule (more points in group I) puts Ba Bể above; Bạch Thông fails the veto criterion.
Points are plausible, not official figures.

The ranking is approved at the 2022 year-end meeting if the meetings demo recorded one
(held or approved); no meeting is created here. The 2023 year gets a draft sheet copied
from 2022. Idempotent: an existing sheet keeps its criteria and scores, and only the
approval is added once a meeting exists.
"""

from decimal import Decimal

from clusters.models import ClusterYear
from clusters.selectors import members_of
from scoring import selectors, services
from scoring.models import CriteriaSheet, Criterion, Level, TieRule

C, B, D = Criterion.Kind.CRITERION, Criterion.Kind.BONUS, Criterion.Kind.DEDUCTION
GROUP_1 = "Thực hiện nhiệm vụ chính trị"
GROUP_2 = "Công tác thi đua, khen thưởng"
GROUP_3 = "Xây dựng tổ chức"

# code, kind, group, name, maximum, veto
CRITERIA = [
    ("c1", C, GROUP_1, "Hoàn thành các chỉ tiêu phát triển kinh tế - xã hội trong năm", 20, False),
    ("c2", C, GROUP_1, "Thu ngân sách nhà nước trên địa bàn đạt và vượt dự toán", 10, False),
    ("c3", C, GROUP_1, "Kết quả xây dựng nông thôn mới", 10, False),
    ("c4", C, GROUP_1, "Giảm nghèo bền vững, bảo đảm an sinh xã hội", 10, False),
    ("c5", C, GROUP_2, "Ban hành kế hoạch, hướng dẫn tổ chức các phong trào thi đua", 10, False),
    ("c6", C, GROUP_2, "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 10, False),
    ("c7", C, GROUP_2, "Thực hiện chế độ thông tin, báo cáo đúng thời hạn", 5, False),
    ("c8", C, GROUP_2, "Tham gia đầy đủ các hoạt động của Cụm thi đua", 5, False),
    ("c9", C, GROUP_3, "Cải cách hành chính, chuyển đổi số", 10, False),
    ("c10", C, GROUP_3, "Không có cán bộ lãnh đạo, quản lý bị kỷ luật từ khiển trách trở lên",
     10, True),
    ("b1", B, "", "Có mô hình mới, cách làm hay được cấp tỉnh công nhận, nhân rộng", 3, False),
    ("b2", B, "", "Được Chính phủ, bộ, ngành Trung ương khen thưởng đột xuất", 3, False),
    ("d1", D, "", "Gửi báo cáo chậm so với thời hạn (mỗi lần trừ 1 điểm)", 2, False),
    ("d2", D, "", "Không tham dự hội nghị của Cụm không có lý do", 3, False),
    ("d3", D, "", "Để xảy ra đơn thư khiếu nại, tố cáo vượt cấp kéo dài", 5, False),
]  # fmt: skip

# Points lost on each criterion, and bonus / deduction points, per member (board level).
# Totals: Na Rì 96,50 · Chợ Mới 94,25 · Pác Nặm 93,00 · TP Bắc Kạn 91,75 ·
# Ba Bể 89,50 (group I 47) · Chợ Đồn 89,50 (group I 44) · Ngân Sơn 87,00 · Bạch Thông 86,25
# (5 of 10 points on the veto criterion).
BOARD = {
    "Na Rì": ({"c1": "1.5", "c2": "0.5", "c4": "0.5", "c6": "1", "c9": "1"}, {"b1": "2"},
              {"d1": "1"}),
    "Chợ Mới": ({"c1": "2", "c3": "1", "c5": "1", "c6": "1.25", "c9": "1"}, {"b2": "1.5"},
                {"d1": "1"}),
    "Pác Nặm": ({"c1": "2.5", "c2": "1", "c4": "1", "c6": "1.5", "c9": "1"}, {"b1": "1"},
                {"d1": "1"}),
    "TP Bắc Kạn": ({"c1": "3", "c2": "1", "c3": "1", "c5": "1.25", "c7": "1", "c9": "1"},
                   {"b2": "1"}, {"d1": "1"}),
    "Ba Bể": ({"c1": "3", "c5": "2", "c6": "2", "c8": "1", "c9": "2.5"}, {}, {}),
    "Chợ Đồn": ({"c1": "4", "c2": "1", "c3": "1", "c6": "1", "c9": "2.5"}, {}, {"d1": "1"}),
    "Ngân Sơn": ({"c1": "4", "c2": "2", "c3": "2", "c4": "1", "c6": "2", "c9": "1"},
                 {"b1": "1"}, {"d2": "2"}),
    "Bạch Thông": ({"c1": "4", "c2": "1.5", "c3": "1", "c6": "1.25", "c10": "5"}, {},
                   {"d1": "1"}),
}  # fmt: skip

EVIDENCE = {
    "c1": "Báo cáo số {n}/BC-UBND ngày 15/12/2022 về tình hình kinh tế - xã hội năm 2022",
    "c2": "Báo cáo quyết toán thu ngân sách năm 2022 của Chi cục Thuế",
    "c5": "Kế hoạch số {n}/KH-UBND ngày 20/02/2022 phát động phong trào thi đua",
    "c6": "Danh sách điển hình tiên tiến được biểu dương năm 2022",
}


def seed(data: dict, log=print) -> None:
    districts = data["clusters"]["districts"]
    year_2022 = ClusterYear.objects.filter(cluster=districts, year=2022).first()
    if year_2022 is None:
        return
    sheet = CriteriaSheet.objects.filter(cluster_year=year_2022).first()
    if sheet is None:
        sheet = _sheet_2022(year_2022)
    _approve(sheet, log)
    year_2023 = ClusterYear.objects.filter(cluster=districts, year=2023).first()
    if year_2023 is not None and not CriteriaSheet.objects.filter(cluster_year=year_2023).exists():
        services.sheet_copy(cluster_year=year_2023, source=sheet)
    log(f"Demo: {CriteriaSheet.objects.count()} criteria sheets.")


def _sheet_2022(cluster_year: ClusterYear) -> CriteriaSheet:
    sheet = services.sheet_create(
        cluster_year=cluster_year,
        name="Bảng chấm điểm thi đua năm 2022",
        bonus_cap=Decimal(5),
        deduction_cap=Decimal(10),
        tie_rule=TieRule.FIRST_GROUP_THEN_DEDUCTIONS,
        note="Theo Hướng dẫn chấm điểm thi đua của Ban Thi đua - Khen thưởng tỉnh.",
    )
    services.sheet_save(
        sheet=sheet,
        rows=[
            {
                "order": index * 10,
                "kind": kind,
                "group": group,
                "name": name,
                "max_points": Decimal(maximum),
                "is_veto": veto,
            }
            for index, (_code, kind, group, name, maximum, veto) in enumerate(CRITERIA, start=1)
        ],
    )
    criteria = dict(
        zip(
            [code for code, *_rest in CRITERIA],
            selectors.criteria_of(sheet),
            strict=True,
        )
    )
    members = {m.unit.short_name: m for m in members_of(cluster_year)}
    board = {}
    for short_name, (losses, bonus, deductions) in BOARD.items():
        member = members[short_name]
        for code, criterion in criteria.items():
            if criterion.kind == C:
                value = criterion.max_points - Decimal(losses.get(code, "0"))
            else:
                value = Decimal((bonus if criterion.kind == B else deductions).get(code, "0"))
            board[(criterion.pk, member.pk)] = value
    by_pk = {criterion.pk: criterion for criterion in criteria.values()}
    self_scores = {key: _self_score(by_pk[key[0]], value) for key, value in board.items()}
    cluster_scores = {key: _cluster_score(by_pk[key[0]], value) for key, value in board.items()}
    evidence = {}
    for number, (_short_name, member) in enumerate(sorted(members.items()), start=101):
        for code, text in EVIDENCE.items():
            evidence[(criteria[code].pk, member.pk)] = text.format(n=number)
    for level, cells in (
        (Level.SELF, self_scores),
        (Level.CLUSTER, cluster_scores),
        (Level.BOARD, board),
    ):
        sheet.refresh_from_db()
        services.scores_save(
            sheet=sheet,
            level=level,
            cells=cells,
            evidence=evidence if level == Level.SELF else None,
            revision=sheet.revision,
        )
    sheet.refresh_from_db()
    return sheet


def _self_score(criterion: Criterion, board: Decimal) -> Decimal:
    """Members score themselves generously: a full mark where the board took off a point
    or less, and half of the loss otherwise; they claim no deductions."""
    if criterion.kind == D:
        return Decimal(0)
    if criterion.kind == B:
        return min(board + Decimal("0.5"), criterion.max_points) if board else Decimal(0)
    lost = criterion.max_points - board
    if lost <= 1:
        return criterion.max_points
    return (criterion.max_points - lost / 2).quantize(Decimal("0.01"))


def _cluster_score(criterion: Criterion, board: Decimal) -> Decimal:
    """The cluster's cross-check is close to the board's, a quarter point kinder."""
    if criterion.kind == C and board < criterion.max_points:
        return min(board + Decimal("0.25"), criterion.max_points)
    return board


def _approve(sheet: CriteriaSheet, log) -> None:
    if sheet.is_approved or sheet.status != CriteriaSheet.Status.SCORING:
        return
    meeting = selectors.approval_meetings(sheet).order_by("starts_at", "pk").first()
    if meeting is None:
        return
    services.ranking_approve(sheet=sheet, meeting=meeting)
    log(f"Demo: the 2022 ranking is approved at “{meeting.title}”.")
