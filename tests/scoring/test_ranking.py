"""The scoring maths: counted levels, caps, veto, tie rules, shared ranks, gaps."""

from decimal import Decimal

from django.utils import translation

from scoring.models import Level, TieRule
from scoring.ranking import NoteKind
from scoring.selectors import ranking_of, score_grid


def _by_unit(ranking):
    return {s.unit.short_name: s for s in ranking.standings}


def _order(ranking):
    return [(s.unit.short_name, s.rank, s.total) for s in ranking.standings]


def test_the_board_score_counts_over_the_cluster_score_over_the_self_score(
    sheet, criteria, members, enter
):
    economy = criteria["Kinh tế"]
    na_ri, ba_be, pac_nam = members["Na Rì"], members["Ba Bể"], members["Pác Nặm"]
    enter(sheet, Level.SELF, {(economy, na_ri): 40, (economy, ba_be): 38, (economy, pac_nam): 33})
    enter(sheet, Level.CLUSTER, {(economy, na_ri): 35, (economy, ba_be): "36.5"})
    enter(sheet, Level.BOARD, {(economy, na_ri): 30})

    standings = _by_unit(ranking_of(sheet))

    assert standings["Na Rì"].group_points == [Decimal(30), Decimal(0)]
    assert standings["Ba Bể"].group_points == [Decimal("36.5"), Decimal(0)]
    assert standings["Pác Nặm"].group_points == [Decimal(33), Decimal(0)]


def test_bonus_and_deductions_count_only_up_to_their_caps(
    sheet, criteria, members, enter, full_marks
):
    na_ri = members["Na Rì"]
    full_marks()
    enter(
        sheet,
        Level.BOARD,
        {
            (criteria["Mô hình mới"], na_ri): 4,
            (criteria["Báo cáo chậm"], na_ri): 5,
            (criteria["Vắng họp"], na_ri): 5,
        },
    )

    na_ri_standing = _by_unit(ranking_of(sheet))["Na Rì"]

    assert na_ri_standing.bonus_raw == Decimal(4)
    assert na_ri_standing.bonus == Decimal(3)
    assert na_ri_standing.deductions_raw == Decimal(10)
    assert na_ri_standing.deductions == Decimal(6)
    assert na_ri_standing.total == Decimal(97)  # 100 + min(4, 3) − min(10, 6)
    assert na_ri_standing.bonus_capped and na_ri_standing.deductions_capped


def test_members_are_ranked_by_total_with_the_gap_to_the_next(
    sheet, criteria, members, enter, full_marks
):
    full_marks()
    enter(
        sheet,
        Level.BOARD,
        {
            (criteria["Ngân sách"], members["Ba Bể"]): "17.75",
            (criteria["Vắng họp"], members["Pác Nặm"]): "0.5",
        },
    )

    ranking = ranking_of(sheet)

    assert _order(ranking) == [
        ("Na Rì", 1, Decimal(100)),
        ("Pác Nặm", 2, Decimal("99.5")),
        ("Ba Bể", 3, Decimal("97.75")),
    ]
    assert [s.gap for s in ranking.standings] == [Decimal("0.5"), Decimal("1.75"), None]
    assert ranking.max_total == Decimal(100)
    assert ranking.is_complete


def test_a_member_failing_a_veto_criterion_cannot_rank_first(
    sheet, criteria, members, enter, full_marks
):
    full_marks()
    enter(
        sheet,
        Level.BOARD,
        {
            (criteria["Mô hình mới"], members["Na Rì"]): 3,
            (criteria["Kỷ luật"], members["Na Rì"]): 9,
            (criteria["Báo cáo chậm"], members["Pác Nặm"]): 1,
        },
    )

    ranking = ranking_of(sheet)
    standings = _by_unit(ranking)

    # Na Rì has the best total (102) but scored 9 of 10 on the veto criterion.
    assert _order(ranking) == [
        ("Ba Bể", 1, Decimal(100)),
        ("Na Rì", 2, Decimal(102)),
        ("Pác Nặm", 3, Decimal(99)),
    ]
    assert [f.criterion.name for f in standings["Na Rì"].veto_failures] == ["Kỷ luật"]
    assert standings["Ba Bể"].notes[0].kind == NoteKind.VETO
    assert standings["Ba Bể"].notes[0].others == ["Huyện Na Rì"]
    with translation.override("en"):
        assert standings["Na Rì"].veto_failures[0].text == (
            "Cannot rank first: 9.00 of 10.00 points on the veto criterion “Kỷ luật”."
        )
        assert standings["Ba Bể"].notes[0].text == (
            "Ranked above Huyện Na Rì, which failed a veto criterion."
        )


def test_a_missing_score_on_a_veto_criterion_is_a_failure(sheet, criteria, members, enter):
    enter(sheet, Level.SELF, {(criteria["Kinh tế"], members["Na Rì"]): 40})

    ranking = ranking_of(sheet)
    standings = _by_unit(ranking)

    assert standings["Na Rì"].total == Decimal(40)
    assert [f.counted for f in standings["Na Rì"].veto_failures] == [None]
    assert ranking.nobody_first
    assert [s.rank for s in ranking.standings] == [2, 3, 3]
    assert ranking.missing == 4 + 4 + 3
    assert standings["Na Rì"].missing == 3


def test_equal_totals_are_ordered_by_the_first_group_then_explained(
    sheet, criteria, members, enter, full_marks
):
    full_marks()
    enter(
        sheet,
        Level.BOARD,
        {
            (criteria["Ngân sách"], members["Ba Bể"]): 18,  # group I 58, group II 40
            (criteria["Kinh tế"], members["Pác Nặm"]): 35,  # group I 55, group II 40 …
            (criteria["Mô hình mới"], members["Pác Nặm"]): 3,  # … bonus 3: total 98 too
        },
    )

    ranking = ranking_of(sheet)
    standings = _by_unit(ranking)

    assert _order(ranking) == [
        ("Na Rì", 1, Decimal(100)),
        ("Ba Bể", 2, Decimal(98)),
        ("Pác Nặm", 3, Decimal(98)),
    ]
    note = standings["Ba Bể"].notes[0]
    assert (note.kind, note.others, note.group.numeral) == (NoteKind.GROUP, ["Huyện Pác Nặm"], "I")
    assert (note.mine, note.theirs) == (Decimal(58), Decimal(55))
    assert standings["Pác Nặm"].notes == []
    with translation.override("en"):
        assert note.text == (
            "Ranked above Huyện Pác Nặm: more points in group I (58.00 against 55.00)."
        )


def _deductions_tie(sheet, criteria, members, enter, full_marks):
    """Ba Bể: 100 − 6 deductions; Pác Nặm: 57 + 40 + 1 bonus − 4 deductions. Both 94."""
    full_marks()
    enter(
        sheet,
        Level.BOARD,
        {
            (criteria["Báo cáo chậm"], members["Ba Bể"]): 3,
            (criteria["Vắng họp"], members["Ba Bể"]): 3,
            (criteria["Kinh tế"], members["Pác Nặm"]): 37,
            (criteria["Mô hình mới"], members["Pác Nặm"]): 1,
            (criteria["Báo cáo chậm"], members["Pác Nặm"]): 4,
        },
    )


def test_the_deductions_rule_puts_fewer_deductions_first(
    sheet, criteria, members, enter, full_marks
):
    sheet.tie_rule = TieRule.DEDUCTIONS_THEN_FIRST_GROUP
    sheet.save()
    _deductions_tie(sheet, criteria, members, enter, full_marks)

    ranking = ranking_of(sheet)
    note = _by_unit(ranking)["Pác Nặm"].notes[0]

    assert _order(ranking)[1:] == [("Pác Nặm", 2, Decimal(94)), ("Ba Bể", 3, Decimal(94))]
    assert (note.kind, note.mine, note.theirs) == (NoteKind.DEDUCTIONS, Decimal(4), Decimal(6))
    with translation.override("en"):
        assert note.text == "Ranked above Huyện Ba Bể: fewer deductions (4.00 against 6.00)."


def test_the_same_tie_goes_the_other_way_under_the_first_group_rule(
    sheet, criteria, members, enter, full_marks
):
    _deductions_tie(sheet, criteria, members, enter, full_marks)

    ranking = ranking_of(sheet)
    note = _by_unit(ranking)["Ba Bể"].notes[0]

    assert _order(ranking)[1:] == [("Ba Bể", 2, Decimal(94)), ("Pác Nặm", 3, Decimal(94))]
    assert (note.kind, note.mine, note.theirs) == (NoteKind.GROUP, Decimal(60), Decimal(57))


def _second_group_tie(sheet, criteria, members, enter, full_marks):
    """Both 95 with group I 60: Ba Bể 60 + 35; Pác Nặm 60 + 33 + 2 bonus."""
    full_marks()
    enter(
        sheet,
        Level.BOARD,
        {
            (criteria["Phong trào"], members["Ba Bể"]): 25,
            (criteria["Phong trào"], members["Pác Nặm"]): 23,
            (criteria["Mô hình mới"], members["Pác Nặm"]): 2,
        },
    )


def test_the_groups_in_order_rule_looks_at_the_second_group_when_the_first_is_equal(
    sheet, criteria, members, enter, full_marks
):
    sheet.tie_rule = TieRule.GROUPS_IN_ORDER
    sheet.save()
    _second_group_tie(sheet, criteria, members, enter, full_marks)

    ranking = ranking_of(sheet)
    note = _by_unit(ranking)["Ba Bể"].notes[0]

    assert _order(ranking)[1:] == [("Ba Bể", 2, Decimal(95)), ("Pác Nặm", 3, Decimal(95))]
    assert (note.group.numeral, note.mine, note.theirs) == ("II", Decimal(35), Decimal(33))


def test_members_still_tied_after_the_rule_share_the_rank(
    sheet, criteria, members, enter, full_marks
):
    _second_group_tie(sheet, criteria, members, enter, full_marks)  # first-group rule: equal

    ranking = ranking_of(sheet)
    standings = _by_unit(ranking)

    assert [(s.unit.short_name, s.rank) for s in ranking.standings] == [
        ("Na Rì", 1),
        ("Ba Bể", 2),
        ("Pác Nặm", 2),
    ]
    assert [(n.kind, n.others, n.rank) for n in standings["Ba Bể"].notes] == [
        (NoteKind.SHARED, ["Huyện Pác Nặm"], 2)
    ]
    with translation.override("en"):
        assert standings["Pác Nặm"].notes[0].text == (
            "Tied with Huyện Ba Bể under the tie rule: shares rank 2."
        )


def test_three_members_sharing_first_place_leave_ranks_two_and_three_empty(
    sheet, full_marks, add_member, criteria, enter
):
    fourth = add_member("Chợ Mới")
    full_marks()
    enter(
        sheet,
        Level.BOARD,
        {(c, fourth): c.max_points - 1 for c in criteria.values() if c.kind == "criterion"},
    )

    ranking = ranking_of(sheet)

    assert [s.rank for s in ranking.standings] == [1, 1, 1, 4]
    assert ranking.standings[-1].total == Decimal(96)


def test_a_grid_footer_totals_one_level_only(sheet, criteria, members, enter):
    na_ri = members["Na Rì"]
    enter(sheet, Level.SELF, {(criteria["Kinh tế"], na_ri): 40, (criteria["Vắng họp"], na_ri): 2})
    enter(sheet, Level.CLUSTER, {(criteria["Kinh tế"], na_ri): 38})

    grid = score_grid(sheet)

    assert grid.totals(Level.SELF)[na_ri.pk] == Decimal(38)
    assert grid.totals(Level.CLUSTER)[na_ri.pk] == Decimal(38)
    assert grid.totals(Level.BOARD)[na_ri.pk] == Decimal(0)
