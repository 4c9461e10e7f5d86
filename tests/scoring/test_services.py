"""Writes and workflows: the sheet lock, copying, score checks, revisions, approval, history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings.models import Meeting
from scoring import services
from scoring.models import CriteriaSheet, Criterion, Level, Score, TieRule
from tests.factories import ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory

LOCKED = (
    "The criteria sheet is locked because scoring has started: its criteria, maxima, caps "
    "and tie rule can no longer change."
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- The sheet -------------------------------------------------------------------------------


def test_a_year_gets_one_sheet_named_after_its_year(cluster_year):
    sheet = services.sheet_create(cluster_year=cluster_year)

    assert sheet.name == "Bảng chấm điểm thi đua năm 2023"
    assert sheet.status == CriteriaSheet.Status.DRAFT
    with pytest.raises(ValidationError, match="already has a criteria sheet"):
        services.sheet_create(cluster_year=cluster_year)


def test_saving_the_sheet_adds_changes_and_deletes_criteria(sheet, criteria):
    services.sheet_save(
        sheet=sheet,
        settings={"name": "Bảng 1.000 điểm", "bonus_cap": Decimal(30), "deduction_cap": 60},
        rows=[
            {"criterion": criteria["Kinh tế"], "name": "Phát triển kinh tế", "max_points": 400},
            {"kind": "bonus", "group": "ignored", "order": 80, "name": "Sáng kiến",
             "max_points": Decimal(20), "is_veto": True},
        ],
        delete=[criteria["Vắng họp"]],
    )  # fmt: skip

    sheet.refresh_from_db()
    rows = list(Criterion.objects.filter(sheet=sheet).values_list("name", "max_points", "group"))
    assert sheet.name == "Bảng 1.000 điểm"
    assert ("Phát triển kinh tế", Decimal(400), "Thực hiện nhiệm vụ chính trị") in rows
    assert ("Sáng kiến", Decimal(20), "") in rows
    assert Criterion.objects.get(name="Sáng kiến").is_veto is False
    assert "Vắng họp" not in [name for name, *_rest in rows]


def test_bonus_items_need_a_bonus_cap(sheet):
    with pytest.raises(ValidationError) as error:
        services.sheet_save(sheet=sheet, settings={"bonus_cap": Decimal(0)})

    assert error.value.message_dict == {
        "bonus_cap": ["The sheet has bonus items: set the cap on bonus points."]
    }


def test_the_first_saved_score_locks_the_sheet(sheet, criteria, members, enter):
    enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Na Rì"]): 35})

    sheet.refresh_from_db()
    assert sheet.status == CriteriaSheet.Status.SCORING
    assert sheet.locked_at is not None
    assert sheet.is_locked


def test_editing_a_locked_sheet_is_refused_and_changes_nothing(sheet, criteria, members, enter):
    enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Na Rì"]): 35})

    with pytest.raises(ValidationError) as error:
        services.sheet_save(
            sheet=sheet,
            settings={"tie_rule": TieRule.GROUPS_IN_ORDER},
            rows=[{"criterion": criteria["Kinh tế"], "max_points": Decimal(30)}],
        )

    assert error.value.messages == [LOCKED]
    sheet.refresh_from_db()
    assert sheet.tie_rule == TieRule.FIRST_GROUP_THEN_DEDUCTIONS
    assert Criterion.objects.get(pk=criteria["Kinh tế"].pk).max_points == Decimal(40)


def test_a_locked_sheet_unlocks_only_once_every_score_is_cleared(sheet, criteria, members, enter):
    key = (criteria["Kinh tế"], members["Na Rì"])
    enter(sheet, Level.SELF, {key: 35})

    with pytest.raises(ValidationError, match="clear every score"):
        services.sheet_unlock(sheet=sheet)
    enter(sheet, Level.SELF, {key: None})
    services.sheet_unlock(sheet=sheet)

    sheet.refresh_from_db()
    assert sheet.status == CriteriaSheet.Status.DRAFT
    assert sheet.locked_at is None


# --- Copying ---------------------------------------------------------------------------------


@pytest.fixture
def year_2024(cluster):
    return ClusterYearFactory(cluster=cluster, year=2024)


def test_a_sheet_is_copied_from_an_earlier_year_with_criteria_caps_and_rule(sheet, year_2024):
    sheet.tie_rule = TieRule.GROUPS_IN_ORDER
    sheet.save()

    copy = services.sheet_copy(cluster_year=year_2024, source=sheet)

    assert copy.cluster_year == year_2024
    assert copy.name == "Bảng chấm điểm thi đua năm 2024"
    assert (copy.bonus_cap, copy.deduction_cap, copy.tie_rule) == (
        Decimal(3),
        Decimal(6),
        TieRule.GROUPS_IN_ORDER,
    )
    fields = ("kind", "group", "order", "name", "max_points", "is_veto")
    assert list(copy.criteria.order_by("order").values_list(*fields)) == list(
        sheet.criteria.order_by("order").values_list(*fields)
    )
    assert copy.status == CriteriaSheet.Status.DRAFT
    assert not Score.objects.filter(criterion__sheet=copy).exists()


def test_copying_fills_an_empty_draft_sheet(sheet, year_2024):
    empty = CriteriaSheetFactory(cluster_year=year_2024, name="Bảng riêng", bonus_cap=0)

    copy = services.sheet_copy(cluster_year=year_2024, source=sheet)

    assert copy.pk == empty.pk
    assert copy.name == "Bảng riêng"
    assert copy.criteria.count() == 7
    assert copy.bonus_cap == Decimal(3)


def test_copying_is_refused_from_a_later_year_or_into_a_sheet_with_criteria(
    sheet, cluster, year_2024
):
    earlier = ClusterYearFactory(cluster=cluster, year=2021)
    with pytest.raises(ValidationError, match="earlier year"):
        services.sheet_copy(cluster_year=earlier, source=sheet)

    target = CriteriaSheetFactory(cluster_year=year_2024)
    CriterionFactory(sheet=target)
    with pytest.raises(ValidationError, match="already has criteria"):
        services.sheet_copy(cluster_year=year_2024, source=sheet)
    assert target.criteria.count() == 1


# --- Scores ----------------------------------------------------------------------------------


def test_a_score_above_the_maximum_is_refused(sheet, criteria, members, enter):
    with pytest.raises(ValidationError) as error:
        enter(sheet, Level.CLUSTER, {(criteria["Ngân sách"], members["Ba Bể"]): "20.5"})

    assert error.value.messages == ["Ba Bể: Above the maximum of 20.00 points for “Ngân sách”."]
    assert not Score.objects.exists()


def test_a_score_with_more_than_two_decimals_is_refused(sheet, criteria, members, enter):
    with pytest.raises(ValidationError, match="At most 2 digits after the decimal comma"):
        enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Ba Bể"]): "9.375"})
    enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Ba Bể"]): "9.250"})

    assert Score.objects.get().self_score == Decimal("9.25")


def test_a_negative_score_is_refused(sheet, criteria, members, enter):
    with pytest.raises(ValidationError, match="cannot be negative"):
        enter(sheet, Level.SELF, {(criteria["Vắng họp"], members["Ba Bể"]): -1})


def test_one_bad_value_saves_nothing_of_the_grid(sheet, criteria, members, enter):
    with pytest.raises(ValidationError):
        enter(
            sheet,
            Level.SELF,
            {
                (criteria["Kinh tế"], members["Na Rì"]): 30,
                (criteria["Ngân sách"], members["Na Rì"]): 15,
                (criteria["Kỷ luật"], members["Pác Nặm"]): 11,
            },
        )

    sheet.refresh_from_db()
    assert not Score.objects.exists()
    assert (sheet.revision, sheet.status) == (0, CriteriaSheet.Status.DRAFT)


def test_values_for_another_sheet_or_year_are_refused(sheet, criteria, other_cluster):
    outsider_member = other_cluster.years.get().members.get()
    with pytest.raises(ValidationError, match="not a member this year"):
        services.scores_save(
            sheet=sheet,
            level=Level.SELF,
            cells={(criteria["Kinh tế"].pk, outsider_member.pk): Decimal(1)},
            revision=0,
        )
    foreign = CriterionFactory()
    with pytest.raises(ValidationError, match="not on this sheet"):
        services.scores_save(
            sheet=sheet,
            level=Level.SELF,
            cells={(foreign.pk, outsider_member.pk): Decimal(1)},
            revision=0,
        )


def test_only_changed_values_are_written_and_each_save_moves_the_revision(
    sheet, criteria, members, enter
):
    economy, budget = criteria["Kinh tế"], criteria["Ngân sách"]
    na_ri = members["Na Rì"]
    assert enter(sheet, Level.SELF, {(economy, na_ri): 30, (budget, na_ri): None}) == 1
    assert enter(sheet, Level.SELF, {(economy, na_ri): "30.00", (budget, na_ri): None}) == 0
    assert enter(sheet, Level.CLUSTER, {(economy, na_ri): 28}) == 1

    sheet.refresh_from_db()
    score = Score.objects.get()
    assert sheet.revision == 2
    assert (score.self_score, score.cluster_score, score.board_score) == (30, 28, None)
    assert score.revision == 2
    assert score.history.count() == 2


def test_evidence_is_saved_with_the_self_score(sheet, criteria, members, enter):
    key = (criteria["Kinh tế"], members["Na Rì"])
    enter(sheet, Level.SELF, {key: 38}, evidence={(key[0].pk, key[1].pk): " Báo cáo số 12/BC "})

    assert Score.objects.get().evidence == "Báo cáo số 12/BC"
    with pytest.raises(ValidationError, match="Evidence notes go with self-scores"):
        enter(sheet, Level.BOARD, {key: 38}, evidence={(key[0].pk, key[1].pk): "x"})


def test_a_save_from_an_older_revision_is_refused_with_what_changed(
    sheet, criteria, members, enter, staff
):
    economy, na_ri = criteria["Kinh tế"], members["Na Rì"]
    enter(sheet, Level.CLUSTER, {(economy, na_ri): 30})
    enter(sheet, Level.CLUSTER, {(economy, na_ri): 32}, user=staff)

    with pytest.raises(services.StaleScores) as error:
        services.scores_save(
            sheet=sheet,
            level=Level.CLUSTER,
            cells={(economy.pk, na_ri.pk): Decimal(25)},
            revision=1,
        )

    assert error.value.revision == 2
    assert [
        (c.member.unit.name, c.criterion.name, c.field, c.old, c.new, c.user)
        for c in error.value.changes
    ] == [("Huyện Na Rì", "Kinh tế", "cluster_score", Decimal(30), Decimal(32), staff)]
    assert Score.objects.get().cluster_score == Decimal(32)


# --- Approval --------------------------------------------------------------------------------


def test_the_year_end_meeting_approves_the_ranking(
    sheet, criteria, members, enter, year_end_meeting, staff
):
    enter(sheet, Level.BOARD, {(criteria["Kinh tế"], members["Na Rì"]): 40})

    services.ranking_approve(sheet=sheet, meeting=year_end_meeting, user=staff)

    sheet.refresh_from_db()
    assert sheet.status == CriteriaSheet.Status.APPROVED
    assert (sheet.approved_meeting, sheet.approved_by) == (year_end_meeting, staff)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": Meeting.Kind.MID_YEAR}, "Only the year-end review meeting"),
        ({"status": Meeting.Status.PLANNED}, "has not been held yet"),
    ],
)
def test_approval_needs_a_held_year_end_meeting(
    sheet, criteria, members, enter, year_end_meeting, change, message
):
    enter(sheet, Level.BOARD, {(criteria["Kinh tế"], members["Na Rì"]): 40})
    Meeting.objects.filter(pk=year_end_meeting.pk).update(**change)
    year_end_meeting.refresh_from_db()

    with pytest.raises(ValidationError, match=message):
        services.ranking_approve(sheet=sheet, meeting=year_end_meeting)
    sheet.refresh_from_db()
    assert sheet.status == CriteriaSheet.Status.SCORING


def test_approval_needs_a_meeting_of_the_same_year(sheet, criteria, members, enter, cluster):
    enter(sheet, Level.BOARD, {(criteria["Kinh tế"], members["Na Rì"]): 40})
    other_year = ClusterYearFactory(cluster=cluster, year=2022)
    meeting = Meeting.objects.create(
        cluster_year=other_year,
        kind=Meeting.Kind.YEAR_END,
        title="Tổng kết năm 2022",
        starts_at="2023-02-07T08:00:00+07:00",
        status=Meeting.Status.HELD,
    )

    with pytest.raises(ValidationError, match="another cluster year"):
        services.ranking_approve(sheet=sheet, meeting=meeting)


def test_nothing_to_approve_before_the_first_score(sheet, year_end_meeting):
    with pytest.raises(ValidationError, match="no score has been entered"):
        services.ranking_approve(sheet=sheet, meeting=year_end_meeting)


def test_an_approved_ranking_is_frozen_until_staff_reopen_it_with_a_reason(
    sheet, criteria, members, enter, year_end_meeting, staff, secretary
):
    key = (criteria["Kinh tế"], members["Na Rì"])
    enter(sheet, Level.BOARD, {key: 38}, user=secretary)
    services.ranking_approve(sheet=sheet, meeting=year_end_meeting)

    with pytest.raises(ValidationError) as error:
        enter(sheet, Level.BOARD, {key: 36}, user=staff, reason="Sai sót khi cộng điểm")
    assert error.value.messages == [
        "The ranking is approved and its scores can no longer change: reopen it first."
    ]
    for reason, message in [
        (" ", "Give the reason for reopening the approved ranking."),
        ("x" * 91, "Keep the reason under 90 characters."),
    ]:
        with pytest.raises(ValidationError) as error:
            services.ranking_reopen(sheet=sheet, reason=reason, user=staff)
        assert error.value.messages == [message]
    assert Score.objects.get().board_score == Decimal(38)

    services.ranking_reopen(sheet=sheet, reason="Sai sót khi cộng điểm", user=staff)
    enter(sheet, Level.BOARD, {key: 36}, user=staff)

    sheet.refresh_from_db()
    assert (sheet.status, sheet.approved_meeting) == (CriteriaSheet.Status.SCORING, None)
    reopened = sheet.history.filter(history_change_reason__isnull=False).get()
    assert (reopened.history_change_reason, reopened.history_user) == (
        "Reopened: Sai sót khi cộng điểm",
        staff,
    )
    score = Score.objects.get()
    latest, previous = score.history.order_by("-history_date", "-history_id")[:2]
    assert (previous.board_score, previous.history_user) == (Decimal(38), secretary)
    assert (latest.board_score, latest.history_user) == (Decimal(36), staff)


def test_reopening_withdraws_the_approval(sheet, criteria, members, enter, year_end_meeting):
    enter(sheet, Level.BOARD, {(criteria["Kinh tế"], members["Na Rì"]): 40})
    services.ranking_approve(sheet=sheet, meeting=year_end_meeting)

    services.ranking_reopen(sheet=sheet, reason="Thiếu điểm thưởng")

    sheet.refresh_from_db()
    assert sheet.status == CriteriaSheet.Status.SCORING
    assert sheet.approved_meeting is None
    assert sheet.history.filter(status=CriteriaSheet.Status.APPROVED).exists()
    enter(sheet, Level.BOARD, {(criteria["Kinh tế"], members["Na Rì"]): 39})


def test_a_member_added_after_scoring_started_gets_an_empty_column(
    sheet, criteria, members, enter, cluster_year, body
):
    enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Na Rì"]): 40})
    late = ClusterMemberFactory(cluster_year=cluster_year, unit=UnitFactory(body=body))

    assert enter(sheet, Level.SELF, {(criteria["Kinh tế"], late): 20}) == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_revision_let_exactly_one_through(
    sheet, criteria, members
):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    economy, na_ri = criteria["Kinh tế"], members["Na Rì"]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(value):
        try:
            barrier.wait()
            services.scores_save(
                sheet=sheet,
                level=Level.CLUSTER,
                cells={(economy.pk, na_ri.pk): Decimal(value)},
                revision=0,
            )
            outcomes.append(("saved", value))
        except services.StaleScores as error:
            outcomes.append(("refused", [c.new for c in error.changes]))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(value,)) for value in (30, 35)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = [value for outcome, value in outcomes if outcome == "saved"]
    refused = [changes for outcome, changes in outcomes if outcome == "refused"]
    assert len(saved) == 1 and len(refused) == 1
    assert refused[0] == [Decimal(saved[0])]
    assert Score.objects.get().cluster_score == Decimal(saved[0])
    sheet.refresh_from_db()
    assert sheet.revision == 1
