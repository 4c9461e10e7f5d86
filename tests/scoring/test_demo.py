"""The demo: Bắc Kạn's 2022 ranking as the seed article tells it, approved when the
year-end meeting is on record, and seeding twice changes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from clusters import demo as clusters_demo
from clusters.models import ClusterYear
from meetings.models import Meeting
from pledges import demo as pledges_demo
from scoring import demo as scoring_demo
from scoring.models import CriteriaSheet, Criterion, Score
from scoring.ranking import NoteKind
from scoring.selectors import ranking_of

pytestmark = pytest.mark.django_db

DISTRICTS = "Cụm thi đua các huyện, thành phố"


def _quiet(*args):
    pass


@pytest.fixture
def data():
    data = clusters_demo.seed(log=_quiet)
    pledges_demo.seed(data, log=_quiet)
    return data


def _sheet(year=2022) -> CriteriaSheet:
    return CriteriaSheet.objects.get(cluster_year__cluster__name=DISTRICTS, cluster_year__year=year)


def test_na_ri_ranks_first_then_cho_moi_and_pac_nam(data):
    scoring_demo.seed(data, log=_quiet)

    ranking = ranking_of(_sheet())

    assert [(s.rank, s.unit.name, s.total) for s in ranking.standings] == [
        (1, "Huyện Na Rì", Decimal("96.5")),
        (2, "Huyện Chợ Mới", Decimal("94.25")),
        (3, "Huyện Pác Nặm", Decimal(93)),
        (4, "Thành phố Bắc Kạn", Decimal("91.75")),
        (5, "Huyện Ba Bể", Decimal("89.5")),
        (6, "Huyện Chợ Đồn", Decimal("89.5")),
        (7, "Huyện Ngân Sơn", Decimal(87)),
        (8, "Huyện Bạch Thông", Decimal("86.25")),
    ]
    assert ranking.is_complete


def test_the_demo_sheet_is_a_100_point_sheet_with_a_tie_and_a_veto(data):
    scoring_demo.seed(data, log=_quiet)
    sheet = _sheet()

    ranking = ranking_of(sheet)
    standings = {s.unit.short_name: s for s in ranking.standings}

    assert ranking.max_total == Decimal(100)
    assert [g.title for g in ranking.groups] == [
        "I. Thực hiện nhiệm vụ chính trị",
        "II. Công tác thi đua, khen thưởng",
        "III. Xây dựng tổ chức",
    ]
    assert sheet.criteria.filter(kind=Criterion.Kind.BONUS).exists()
    assert sheet.criteria.filter(kind=Criterion.Kind.DEDUCTION).exists()
    tie = standings["Ba Bể"].notes[0]
    assert (tie.kind, tie.others, tie.mine, tie.theirs) == (
        NoteKind.GROUP,
        ["Huyện Chợ Đồn"],
        Decimal(47),
        Decimal(44),
    )
    assert [f.criterion.is_veto for f in standings["Bạch Thông"].veto_failures] == [True]
    # Every member has all three levels, and evidence for its self-scores.
    scores = Score.objects.filter(criterion__sheet=sheet)
    assert scores.count() == 8 * 15
    assert not scores.filter(board_score__isnull=True).exists()
    assert not scores.filter(cluster_score__isnull=True).exists()
    assert scores.exclude(evidence="").count() == 8 * 4


def test_without_a_year_end_meeting_the_ranking_stays_unapproved(data):
    scoring_demo.seed(data, log=_quiet)

    assert _sheet().status == CriteriaSheet.Status.SCORING


def test_with_the_year_end_meeting_on_record_the_ranking_is_approved_there(data):
    scoring_demo.seed(data, log=_quiet)
    meeting = Meeting.objects.create(
        cluster_year=ClusterYear.objects.get(cluster__name=DISTRICTS, year=2022),
        kind=Meeting.Kind.YEAR_END,
        title="Tổng kết công tác thi đua, khen thưởng năm 2022",
        starts_at=datetime.datetime(2023, 2, 7, 1, 0, tzinfo=datetime.UTC),
        status=Meeting.Status.APPROVED,
    )

    scoring_demo.seed(data, log=_quiet)  # a later run, after the meetings demo

    sheet = _sheet()
    assert sheet.status == CriteriaSheet.Status.APPROVED
    assert sheet.approved_meeting == meeting


def test_2023_gets_a_draft_copied_from_2022(data):
    scoring_demo.seed(data, log=_quiet)

    draft = _sheet(2023)
    assert draft.status == CriteriaSheet.Status.DRAFT
    assert draft.name == "Bảng chấm điểm thi đua năm 2023"
    assert draft.criteria.count() == 15
    assert not Score.objects.filter(criterion__sheet=draft).exists()


def test_seeding_twice_changes_nothing(data):
    scoring_demo.seed(data, log=_quiet)
    before = (
        CriteriaSheet.objects.count(),
        Criterion.objects.count(),
        Score.objects.count(),
        Score.history.count(),
        _sheet().revision,
    )

    scoring_demo.seed(data, log=_quiet)

    assert before == (
        CriteriaSheet.objects.count(),
        Criterion.objects.count(),
        Score.objects.count(),
        Score.history.count(),
        _sheet().revision,
    )
    assert before[:3] == (2, 30, 120)


def test_the_seed_command_ranks_na_ri_first_and_approves_only_at_a_held_meeting():
    call_command("seed_demo", stdout=io.StringIO())

    sheet = _sheet()
    held = Meeting.objects.filter(
        cluster_year=sheet.cluster_year,
        kind=Meeting.Kind.YEAR_END,
        status__in=[Meeting.Status.HELD, Meeting.Status.APPROVED],
    ).exists()
    assert ranking_of(sheet).standings[0].unit.name == "Huyện Na Rì"
    assert sheet.is_approved == held
