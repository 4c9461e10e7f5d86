"""Writes and workflows of the pledge (pledges.services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from clusters.models import AwardType
from pledges import services
from pledges.models import (
    Commitment,
    Movement,
    Period,
    Pledge,
    Registration,
    Result,
    Signature,
    Target,
)
from pledges.services import Cell, EvidenceRow
from tests.factories import ClusterYearFactory
from tests.pledges.conftest import (
    CAMPAIGN,
    COMMITTED,
    SIGNED_ON,
    TARGETS,
    THEME,
    keyed,
    target_rows,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
OTHER_PDF = b"%PDF-1.7\n% bao cao quy 2\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def stored_commitments(pledge) -> dict:
    return {
        (c.target.name, c.member.unit.short_name): (c.value, c.text)
        for c in Commitment.objects.filter(target__pledge=pledge).select_related(
            "target", "member__unit"
        )
    }


def stored_results(period) -> dict:
    return {
        (r.target.name, r.member.unit.short_name): (r.value, r.text)
        for r in Result.objects.filter(period=period).select_related("target", "member__unit")
    }


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- Movements ------------------------------------------------------------------------------------


def test_a_province_movement_is_saved_for_its_body(body):
    movement = services.movement_save(
        body=body,
        name="Bắc Kạn chung tay xây dựng nông thôn mới",
        launched_by="UBND tỉnh Bắc Kạn",
        start_date=datetime.date(2021, 1, 1),
        end_date=None,
        description=None,
    )
    movement.refresh_from_db()
    assert (movement.body, movement.name, movement.end_date, movement.description) == (
        body,
        "Bắc Kạn chung tay xây dựng nông thôn mới",
        None,
        "",
    )


def test_a_movement_ending_before_it_starts_is_refused(body):
    with pytest.raises(ValidationError) as excinfo:
        services.movement_save(
            body=body,
            name="Dạy tốt, học tốt",
            launched_by="UBND tỉnh",
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2022, 1, 1),
        )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in refusal(excinfo)
    assert not Movement.objects.exists()


# --- Pledge ---------------------------------------------------------------------------------------


def test_creating_a_pledge_opens_a_mid_year_and_a_year_end_period(pledge, movement):
    pledge.refresh_from_db()
    assert (pledge.theme, pledge.status, pledge.signed_on) == (
        THEME,
        Pledge.Status.DRAFT,
        SIGNED_ON,
    )
    assert list(pledge.movements.all()) == [movement]
    assert [(p.kind, p.name, p.ends_on) for p in pledge.periods.order_by("ends_on")] == [
        (Period.Kind.MID_YEAR, "Sơ kết 6 tháng năm 2023", datetime.date(2023, 6, 30)),
        (Period.Kind.YEAR_END, "Tổng kết năm 2023", datetime.date(2023, 12, 31)),
    ]


def test_periods_are_named_in_vietnamese_whatever_language_is_active(cluster_year):
    with translation.override("en"):
        pledge = services.pledge_create(cluster_year=cluster_year, theme=THEME)
    assert sorted(pledge.periods.values_list("name", flat=True)) == [
        "Sơ kết 6 tháng năm 2023",
        "Tổng kết năm 2023",
    ]


def test_a_second_pledge_for_the_same_year_is_refused(pledge, cluster_year):
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_create(cluster_year=cluster_year, theme="Một giao ước nữa")
    assert refusal(excinfo) == "Năm thi đua này đã có giao ước."
    assert Pledge.objects.filter(cluster_year=cluster_year).count() == 1
    assert Period.objects.filter(pledge__cluster_year=cluster_year).count() == 2


def test_updating_a_pledge_changes_its_text_and_movements(pledge):
    services.pledge_update(pledge=pledge, theme="Chủ đề mới", body=None, movements=[])
    pledge.refresh_from_db()
    assert (pledge.theme, pledge.body, list(pledge.movements.all())) == ("Chủ đề mới", "", [])


def test_a_pledge_without_targets_cannot_be_signed(pledge):
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_sign(pledge=pledge, signed_on=SIGNED_ON)
    assert refusal(excinfo) == "Hãy nhập chỉ tiêu trước khi ghi nhận ký kết giao ước."
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.DRAFT


def test_signing_records_the_date_and_place(pledge, targets):
    services.pledge_sign(
        pledge=pledge, signed_on=datetime.date(2023, 2, 8), signed_place="Huyện Na Rì"
    )
    pledge.refresh_from_db()
    assert (pledge.status, pledge.signed_on, pledge.signed_place) == (
        Pledge.Status.SIGNED,
        datetime.date(2023, 2, 8),
        "Huyện Na Rì",
    )


def test_signing_without_a_place_keeps_the_place_of_the_draft(pledge, targets):
    services.pledge_sign(pledge=pledge, signed_on=SIGNED_ON)
    pledge.refresh_from_db()
    assert pledge.signed_place == "Thành phố Bắc Kạn"


def test_a_signed_pledge_cannot_be_signed_again(signed_pledge):
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_sign(pledge=signed_pledge, signed_on=datetime.date(2023, 3, 1))
    assert refusal(excinfo) == "Giao ước đã được ký kết."
    signed_pledge.refresh_from_db()
    assert signed_pledge.signed_on == SIGNED_ON


def test_reopening_returns_a_signed_pledge_to_draft_and_is_audited(signed_pledge, staff):
    services.pledge_reopen(pledge=signed_pledge, reason="Nhập nhầm  chỉ tiêu 1.2 ", user=staff)
    signed_pledge.refresh_from_db()
    assert signed_pledge.status == Pledge.Status.DRAFT
    assert signed_pledge.signed_on is None  # it must be signed again
    history = list(signed_pledge.history.order_by("history_id"))
    assert [h.status for h in history[-2:]] == ["signed", "draft"]
    assert history[-1].history_change_reason == "Mở lại: Nhập nhầm chỉ tiêu 1.2"
    assert history[-1].history_user == staff


def test_reopening_needs_a_reason_of_reasonable_length(signed_pledge):
    for reason, message in [
        ("  ", "Hãy ghi lý do mở lại giao ước đã ký."),
        ("x" * 91, "Lý do không quá 90 ký tự."),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            services.pledge_reopen(pledge=signed_pledge, reason=reason)
        assert refusal(excinfo) == message
    signed_pledge.refresh_from_db()
    assert signed_pledge.status == Pledge.Status.SIGNED


def test_a_draft_cannot_be_reopened(pledge):
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_reopen(pledge=pledge, reason="Sửa")
    assert refusal(excinfo) == "Giao ước chưa được ký kết."


def test_the_services_refuse_to_change_a_signed_pledge(signed_pledge, members):
    target = signed_pledge.targets.first()
    attempts = [
        lambda: services.pledge_update(pledge=signed_pledge, theme="Bị sửa"),
        lambda: services.targets_save(pledge=signed_pledge, rows=[], delete=[target]),
        lambda: services.commitments_save(
            pledge=signed_pledge,
            cells={(target.pk, next(iter(members.values())).pk): services.Cell(value=Decimal(1))},
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert refusal(excinfo) == "Giao ước đã ký, không thể thay đổi: hãy mở lại trước."
    signed_pledge.refresh_from_db()
    assert (signed_pledge.theme, signed_pledge.signed_on) != ("Bị sửa", None)
    assert signed_pledge.targets.filter(pk=target.pk).exists()


# --- Targets --------------------------------------------------------------------------------------


def test_targets_are_saved_with_their_measures_in_order(pledge, targets):
    assert [
        (t.group, t.order, t.name, t.measure, t.unit_of_measure, t.direction, t.weight)
        for t in pledge.targets.order_by("order")
    ] == [
        (group, order, name, measure, unit, direction, Decimal(weight) if weight else None)
        for group, order, name, measure, unit, direction, weight in TARGETS.values()
    ]


def test_saving_targets_unchanged_writes_no_history(pledge, targets):
    rows = [
        {"target": t, "name": t.name, "order": t.order, "measure": t.measure}
        for t in pledge.targets.all()
    ]
    before = Target.history.count()

    services.targets_save(pledge=pledge, rows=rows)
    services.targets_save(pledge=pledge, rows=[{**rows[0], "name": "Thu ngân sách (đã sửa)"}])

    assert Target.history.count() == before + 1


def test_a_target_without_values_can_change_its_measure_and_be_deleted(pledge, targets):
    budget, growth = targets["budget"], targets["growth"]
    services.targets_save(
        pledge=pledge, rows=[{"target": budget, "measure": Target.Measure.PERCENT}], delete=[growth]
    )
    budget.refresh_from_db()
    assert budget.measure == Target.Measure.PERCENT
    assert not Target.objects.filter(pk=growth.pk).exists()


def test_a_target_with_values_cannot_be_deleted(pledge, targets, commitments):
    with pytest.raises(ValidationError) as excinfo:
        services.targets_save(pledge=pledge, rows=[], delete=[targets["budget"]])
    assert (
        refusal(excinfo) == "“Thu ngân sách nhà nước trên địa bàn” đã có số liệu nên không thể xóa."
    )
    assert pledge.targets.count() == 5


def test_a_target_with_values_cannot_change_its_measure(pledge, targets, commitments):
    budget = targets["budget"]
    with pytest.raises(ValidationError) as excinfo:
        services.targets_save(
            pledge=pledge,
            rows=[{"target": budget, "name": "Thu ngân sách", "measure": Target.Measure.TEXT}],
        )
    assert refusal(excinfo) == (
        "“Thu ngân sách nhà nước trên địa bàn” đã có số liệu nên không thể đổi cách đo."
    )
    budget.refresh_from_db()
    assert (budget.name, budget.measure) == (TARGETS["budget"][2], Target.Measure.NUMBER)


def test_a_target_with_values_can_be_renamed(pledge, targets, commitments):
    budget = targets["budget"]
    services.targets_save(
        pledge=pledge, rows=[{"target": budget, "name": "Thu ngân sách", "measure": "number"}]
    )
    budget.refresh_from_db()
    assert budget.name == "Thu ngân sách"


def test_a_target_of_another_pledge_is_refused(pledge, targets, neighbour_pledge):
    foreign = neighbour_pledge["target"]
    with pytest.raises(ValidationError) as excinfo:
        services.targets_save(pledge=pledge, rows=[{"target": foreign, "name": "Đổi tên"}])
    assert refusal(excinfo) == "Chỉ tiêu này thuộc giao ước khác."
    with pytest.raises(ValidationError):
        services.targets_save(pledge=pledge, rows=[], delete=[foreign])
    foreign.refresh_from_db()
    assert foreign.name == "Tỷ lệ hồ sơ giải quyết đúng hạn"


def test_a_negative_weight_is_refused(pledge):
    with pytest.raises(ValidationError):
        services.targets_save(pledge=pledge, rows=[{"name": "Chỉ tiêu", "weight": Decimal(-1)}])
    assert not pledge.targets.exists()


# --- Copying targets ------------------------------------------------------------------------------


@pytest.fixture
def pledge_2022(cluster):
    earlier = services.pledge_create(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022), theme="Năm 2022"
    )
    rows = target_rows()
    rows[0]["cluster_value"] = Decimal("412.75")
    rows[0]["note"] = "Theo Nghị quyết HĐND"
    services.targets_save(pledge=earlier, rows=rows)
    return earlier


COPIED_FIELDS = ("group", "order", "name", "measure", "unit_of_measure", "direction", "weight")


def test_copying_brings_the_whole_target_list_of_an_earlier_year(pledge, pledge_2022):
    copies = services.pledge_copy_targets(pledge=pledge, source=pledge_2022)

    def described(p):
        return [
            tuple(getattr(t, name) for name in (*COPIED_FIELDS, "cluster_value", "note"))
            for t in p.targets.order_by("order", "pk")
        ]

    assert len(copies) == 5
    assert described(pledge) == described(pledge_2022)
    assert described(pledge)[0][:3] == ("Kinh tế", 10, "Thu ngân sách nhà nước trên địa bàn")
    assert pledge_2022.targets.count() == 5
    assert Target.history.filter(pledge_id=pledge.pk, history_type="+").count() == 5


def test_copying_into_a_pledge_that_has_targets_is_refused(pledge, targets, pledge_2022):
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_copy_targets(pledge=pledge, source=pledge_2022)
    assert refusal(excinfo) == (
        "Giao ước này đã có chỉ tiêu; hãy xóa trước khi sao chép danh sách khác."
    )
    assert pledge.targets.count() == 5


def test_copying_from_a_pledge_without_targets_is_refused(pledge, cluster):
    empty = services.pledge_create(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022), theme="Năm 2022"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_copy_targets(pledge=pledge, source=empty)
    assert refusal(excinfo) == "Giao ước được chọn chưa có chỉ tiêu."


def test_copying_a_pledge_onto_itself_is_refused(pledge, targets):
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_copy_targets(pledge=pledge, source=pledge)
    assert refusal(excinfo) == "Hãy chọn một giao ước khác để sao chép."
    assert pledge.targets.count() == 5


# --- Commitments ----------------------------------------------------------------------------------


def test_commitments_are_stored_as_given(pledge, targets, members, staff):
    changed = services.commitments_save(
        pledge=pledge, cells=keyed(COMMITTED, targets, members), user=staff
    )
    assert changed == 15
    stored = stored_commitments(pledge)
    assert stored[(TARGETS["budget"][2], "Na Rì")] == (Decimal("1234.5"), "")
    assert stored[(TARGETS["accidents"][2], "Pác Nặm")] == (Decimal("4"), "")
    assert stored[(TARGETS["recruitment"][2], "Pác Nặm")] == (Decimal("0"), "")
    assert stored[(TARGETS["campaign"][2], "Ba Bể")] == (None, CAMPAIGN)
    assert len(stored) == 15
    assert set(Commitment.objects.values_list("updated_by", flat=True)) == {staff.pk}


def test_saving_the_same_commitments_twice_writes_nothing_the_second_time(pledge, targets, members):
    cells = keyed(COMMITTED, targets, members)
    before = Commitment.history.count()
    assert services.commitments_save(pledge=pledge, cells=cells) == 15
    after_first = Commitment.history.count()
    assert after_first - before == 15
    assert services.commitments_save(pledge=pledge, cells=dict(cells)) == 0
    assert Commitment.history.count() == after_first


def test_only_the_changed_commitment_is_written(pledge, targets, members, commitments):
    cells = keyed(COMMITTED, targets, members)
    cells[(targets["budget"].pk, members["Ba Bể"].pk)] = Cell(Decimal("400"))
    before = Commitment.history.count()
    assert services.commitments_save(pledge=pledge, cells=cells) == 1
    assert Commitment.history.count() == before + 1
    latest = Commitment.history.latest("history_id")
    assert (latest.history_type, latest.value) == ("~", Decimal("400"))


def test_an_empty_cell_deletes_the_commitment(pledge, targets, members, commitments):
    key = (targets["budget"].pk, members["Na Rì"].pk)
    assert services.commitments_save(pledge=pledge, cells={key: Cell()}) == 1
    stored = stored_commitments(pledge)
    assert (TARGETS["budget"][2], "Na Rì") not in stored
    assert len(stored) == 14
    assert Commitment.history.latest("history_id").history_type == "-"


def test_an_empty_cell_without_a_row_changes_nothing(pledge, targets, members):
    key = (targets["budget"].pk, members["Na Rì"].pk)
    assert services.commitments_save(pledge=pledge, cells={key: Cell()}) == 0
    assert not Commitment.objects.exists()


def test_a_target_of_another_pledge_refuses_the_whole_grid(
    pledge, targets, members, neighbour_pledge
):
    cells = keyed(COMMITTED, targets, members)
    cells[(neighbour_pledge["target"].pk, members["Na Rì"].pk)] = Cell(Decimal("90"))
    with pytest.raises(ValidationError) as excinfo:
        services.commitments_save(pledge=pledge, cells=cells)
    assert refusal(excinfo) == "Có giá trị gắn với chỉ tiêu không thuộc giao ước này."
    assert Commitment.objects.count() == 0


def test_a_unit_that_is_not_a_member_refuses_the_whole_grid(
    pledge, targets, members, neighbour_pledge
):
    cells = keyed(COMMITTED, targets, members)
    cells[(targets["budget"].pk, neighbour_pledge["member"].pk)] = Cell(Decimal("90"))
    with pytest.raises(ValidationError) as excinfo:
        services.commitments_save(pledge=pledge, cells=cells)
    assert refusal(excinfo) == "Có giá trị gắn với đơn vị không phải thành viên năm này."
    assert Commitment.objects.count() == 0


@pytest.mark.parametrize(
    ("target", "cell", "message"),
    [
        ("campaign", Cell(Decimal("5")), f"“{TARGETS['campaign'][2]}” nhận nội dung văn bản."),
        ("budget", Cell(text="khoảng 400"), f"“{TARGETS['budget'][2]}” nhận giá trị số."),
        (
            "recruitment",
            Cell(Decimal("2")),
            "“Hoàn thành chỉ tiêu tuyển quân” nhận giá trị Có hoặc Không.",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_refuses_the_whole_grid(
    pledge, targets, members, target, cell, message
):
    cells = keyed(COMMITTED, targets, members)
    cells[(targets[target].pk, members["Ba Bể"].pk)] = cell
    with pytest.raises(ValidationError) as excinfo:
        services.commitments_save(pledge=pledge, cells=cells)
    assert refusal(excinfo) == message
    assert Commitment.objects.count() == 0


# --- Results --------------------------------------------------------------------------------------

ACTUAL = {
    ("budget", "Na Rì"): Cell(Decimal("700.25")),
    ("budget", "Ba Bể"): Cell(Decimal("180")),
    ("accidents", "Pác Nặm"): Cell(Decimal("2")),
    ("recruitment", "Na Rì"): Cell(Decimal("1")),
    ("campaign", "Ba Bể"): Cell(text="Đã phát động, tổ chức sơ kết"),
}


def test_results_are_stored_per_period(mid_year, year_end, targets, members, commitments):
    assert services.results_save(period=mid_year, cells=keyed(ACTUAL, targets, members)) == 5
    assert stored_results(mid_year) == {
        (TARGETS["budget"][2], "Na Rì"): (Decimal("700.25"), ""),
        (TARGETS["budget"][2], "Ba Bể"): (Decimal("180"), ""),
        (TARGETS["accidents"][2], "Pác Nặm"): (Decimal("2"), ""),
        (TARGETS["recruitment"][2], "Na Rì"): (Decimal("1"), ""),
        (TARGETS["campaign"][2], "Ba Bể"): (None, "Đã phát động, tổ chức sơ kết"),
    }
    assert stored_results(year_end) == {}


def test_saving_the_same_results_twice_writes_nothing_the_second_time(mid_year, targets, members):
    cells = keyed(ACTUAL, targets, members)
    before = Result.history.count()
    assert services.results_save(period=mid_year, cells=cells) == 5
    after_first = Result.history.count()
    assert after_first - before == 5
    assert services.results_save(period=mid_year, cells=dict(cells)) == 0
    assert Result.history.count() == after_first


def test_an_empty_result_cell_deletes_the_row(mid_year, targets, members):
    cells = keyed(ACTUAL, targets, members)
    services.results_save(period=mid_year, cells=cells)
    key = (targets["budget"].pk, members["Ba Bể"].pk)
    assert services.results_save(period=mid_year, cells={key: Cell()}) == 1
    assert (TARGETS["budget"][2], "Ba Bể") not in stored_results(mid_year)
    assert len(stored_results(mid_year)) == 4


def test_clearing_a_value_keeps_the_row_that_carries_evidence(mid_year, targets, members):
    na_ri = members["Na Rì"]
    services.results_save_member(
        period=mid_year,
        member=na_ri,
        rows={targets["budget"].pk: EvidenceRow(Cell(Decimal("700")), "Báo cáo số 125/BC-UBND")},
    )
    key = (targets["budget"].pk, na_ri.pk)
    assert services.results_save(period=mid_year, cells={key: Cell()}) == 1
    row = Result.objects.get(period=mid_year, target=targets["budget"], member=na_ri)
    assert (row.value, row.text, row.evidence) == (None, "", "Báo cáo số 125/BC-UBND")
    assert services.results_save(period=mid_year, cells={key: Cell()}) == 0


def test_a_result_with_evidence_left_out_of_the_grid_is_untouched(mid_year, targets, members):
    na_ri, ba_be = members["Na Rì"], members["Ba Bể"]
    services.results_save_member(
        period=mid_year,
        member=na_ri,
        rows={targets["budget"].pk: EvidenceRow(Cell(Decimal("700")), "Báo cáo số 125/BC-UBND")},
    )
    # An import of Ba Bể's column only (e.g. Na Rì's column deleted from the sheet).
    cells = {(targets["budget"].pk, ba_be.pk): Cell(Decimal("180"))}
    assert services.results_save(period=mid_year, cells=cells) == 1
    assert stored_results(mid_year) == {
        (TARGETS["budget"][2], "Na Rì"): (Decimal("700"), ""),
        (TARGETS["budget"][2], "Ba Bể"): (Decimal("180"), ""),
    }


def test_a_bad_result_key_refuses_the_whole_grid(mid_year, targets, members, neighbour_pledge):
    cells = keyed(ACTUAL, targets, members)
    cells[(neighbour_pledge["target"].pk, members["Na Rì"].pk)] = Cell(Decimal("98"))
    with pytest.raises(ValidationError) as excinfo:
        services.results_save(period=mid_year, cells=cells)
    assert refusal(excinfo) == "Có giá trị gắn với chỉ tiêu không thuộc giao ước này."
    assert Result.objects.count() == 0


def test_a_number_in_a_text_target_refuses_the_whole_result_grid(mid_year, targets, members):
    cells = keyed(ACTUAL, targets, members)
    cells[(targets["campaign"].pk, members["Na Rì"].pk)] = Cell(Decimal("3"))
    with pytest.raises(ValidationError):
        services.results_save(period=mid_year, cells=cells)
    assert Result.objects.count() == 0


# --- One member's results with evidence files -----------------------------------------------------


def pdf(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_an_evidence_file_is_stored_with_the_result(mid_year, targets, members, staff):
    na_ri = members["Na Rì"]
    changed = services.results_save_member(
        period=mid_year,
        member=na_ri,
        rows={
            targets["budget"].pk: EvidenceRow(
                Cell(Decimal("700")), "Báo cáo số 125/BC-UBND", attachment=pdf("bao-cao.pdf")
            ),
            targets["growth"].pk: EvidenceRow(Cell()),
        },
        user=staff,
    )
    assert changed == 1
    row = Result.objects.get(period=mid_year, member=na_ri)
    assert row.target == targets["budget"]
    assert (row.value, row.evidence, row.attachment_name, row.updated_by) == (
        Decimal("700"),
        "Báo cáo số 125/BC-UBND",
        "bao-cao.pdf",
        staff,
    )
    assert row.attachment.name == f"evidence/{mid_year.pledge_id}/{mid_year.pk}/bao-cao.pdf"
    with row.attachment.open("rb") as stored:
        assert stored.read() == PDF


def test_a_new_evidence_file_replaces_the_old_one(
    mid_year, targets, members, django_capture_on_commit_callbacks
):
    na_ri, budget = members["Na Rì"], targets["budget"]
    services.results_save_member(
        period=mid_year,
        member=na_ri,
        rows={budget.pk: EvidenceRow(Cell(Decimal("700")), attachment=pdf("bao-cao.pdf"))},
    )
    old = Result.objects.get(member=na_ri, target=budget)
    storage, old_name = old.attachment.storage, old.attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.results_save_member(
            period=mid_year,
            member=na_ri,
            rows={
                budget.pk: EvidenceRow(
                    Cell(Decimal("700")), attachment=pdf("bao-cao-quy-2.pdf", OTHER_PDF)
                )
            },
        )
    assert changed == 1
    row = Result.objects.get(member=na_ri, target=budget)
    assert row.attachment_name == "bao-cao-quy-2.pdf"
    with row.attachment.open("rb") as stored:
        assert stored.read() == OTHER_PDF
    assert not storage.exists(old_name)


def test_clearing_the_evidence_file_keeps_the_value(
    mid_year, targets, members, django_capture_on_commit_callbacks
):
    na_ri, budget = members["Na Rì"], targets["budget"]
    services.results_save_member(
        period=mid_year,
        member=na_ri,
        rows={budget.pk: EvidenceRow(Cell(Decimal("700")), attachment=pdf("bao-cao.pdf"))},
    )
    stored = Result.objects.get(member=na_ri, target=budget).attachment
    storage, name = stored.storage, stored.name
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.results_save_member(
            period=mid_year,
            member=na_ri,
            rows={budget.pk: EvidenceRow(Cell(Decimal("700")), clear_attachment=True)},
        )
    assert changed == 1
    row = Result.objects.get(member=na_ri, target=budget)
    assert (row.value, row.attachment.name, row.attachment_name) == (Decimal("700"), "", "")
    assert not storage.exists(name)


def test_clearing_everything_of_a_result_deletes_it_and_its_file(
    mid_year, targets, members, django_capture_on_commit_callbacks
):
    na_ri, budget = members["Na Rì"], targets["budget"]
    services.results_save_member(
        period=mid_year,
        member=na_ri,
        rows={budget.pk: EvidenceRow(Cell(Decimal("700")), "Ghi chú", attachment=pdf("a.pdf"))},
    )
    stored = Result.objects.get(member=na_ri, target=budget).attachment
    storage, name = stored.storage, stored.name
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.results_save_member(
            period=mid_year,
            member=na_ri,
            rows={budget.pk: EvidenceRow(Cell(), clear_attachment=True)},
        )
    assert changed == 1
    assert not Result.objects.filter(member=na_ri).exists()
    assert not storage.exists(name)


def test_saving_one_member_unchanged_writes_nothing(mid_year, targets, members):
    na_ri, budget = members["Na Rì"], targets["budget"]
    rows = {budget.pk: EvidenceRow(Cell(Decimal("700")), "Báo cáo số 125/BC-UBND")}
    services.results_save_member(period=mid_year, member=na_ri, rows=rows)
    before = Result.history.count()
    assert services.results_save_member(period=mid_year, member=na_ri, rows=rows) == 0
    assert Result.history.count() == before


def test_a_member_of_another_year_cannot_report_results(mid_year, targets, neighbour_pledge):
    with pytest.raises(ValidationError) as excinfo:
        services.results_save_member(
            period=mid_year,
            member=neighbour_pledge["member"],
            rows={targets["budget"].pk: EvidenceRow(Cell(Decimal("1")))},
        )
    assert refusal(excinfo) == "Có giá trị gắn với đơn vị không phải thành viên năm này."
    assert not Result.objects.exists()


# --- Registrations and signatures -----------------------------------------------------------------


@pytest.fixture
def flags(db):
    return list(
        AwardType.objects.filter(
            body__isnull=True, name__in=["Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh"]
        ).order_by("order")
    )


def test_registrations_round_trip(pledge, members, flags, staff):
    rows = {
        members["Na Rì"].pk: {"titles": flags, "collectives": 508, "individuals": 6190},
        members["Ba Bể"].pk: {"titles": flags[:1], "collectives": 508, "individuals": 6189},
        members["Pác Nặm"].pk: {"titles": [], "collectives": None, "individuals": None},
    }
    assert services.registrations_save(pledge=pledge, rows=rows, user=staff) == 2
    stored = {
        r.member.unit.short_name: (
            sorted(t.name for t in r.titles.all()),
            r.collectives,
            r.individuals,
            r.updated_by,
        )
        for r in Registration.objects.filter(pledge=pledge).select_related("member__unit")
    }
    assert stored == {
        "Na Rì": (["Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh"], 508, 6190, staff),
        "Ba Bể": (["Cờ thi đua của Chính phủ"], 508, 6189, staff),
    }
    assert services.registrations_save(pledge=pledge, rows=rows) == 0


def test_emptying_a_registration_deletes_it(pledge, members, flags):
    member = members["Na Rì"].pk
    services.registrations_save(
        pledge=pledge, rows={member: {"titles": flags, "collectives": 1, "individuals": 2}}
    )
    empty = {"titles": [], "collectives": None, "individuals": None}
    assert services.registrations_save(pledge=pledge, rows={member: empty}) == 1
    assert not Registration.objects.exists()


def test_a_registration_for_a_unit_that_is_not_a_member_is_refused(
    pledge, members, flags, neighbour_pledge
):
    rows = {
        members["Na Rì"].pk: {"titles": flags, "collectives": 1, "individuals": 2},
        neighbour_pledge["member"].pk: {"titles": flags, "collectives": 1, "individuals": 2},
    }
    with pytest.raises(ValidationError) as excinfo:
        services.registrations_save(pledge=pledge, rows=rows)
    assert refusal(excinfo) == "Có giá trị gắn với đơn vị không phải thành viên năm này."
    assert not Registration.objects.exists()


def _title(name, **fields) -> AwardType:
    defaults = {"category": "title", "recipient": "collective", "level": "province"}
    return AwardType.objects.create(name=name, **{**defaults, **fields})


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param({"body": "other"}, id="another province's title"),
        pytest.param({"category": "commendation"}, id="a commendation, not a title"),
        pytest.param({"is_active": False}, id="a title no longer in use"),
        pytest.param({"recipient": "individual"}, id="a title for individuals"),
    ],
)
def test_only_titles_in_use_of_the_nation_or_the_province_can_be_registered(
    pledge, members, flags, other_body, refused
):
    fields = dict(refused)
    if fields.get("body") == "other":
        fields["body"] = other_body
    wrong = _title("Danh hiệu không đăng ký được", **fields)
    row = {"titles": [*flags, wrong], "collectives": 1, "individuals": 2}
    with pytest.raises(ValidationError) as excinfo:
        services.registrations_save(pledge=pledge, rows={members["Na Rì"].pk: row})
    assert refusal(excinfo) == (
        "Chỉ được đăng ký danh hiệu thi đua đang áp dụng của Trung ương hoặc của tỉnh."
    )
    assert not Registration.objects.exists()


def test_the_province_s_own_title_can_be_registered(pledge, members, flags, body):
    own = _title("Cờ đơn vị dẫn đầu phong trào thi đua", body=body)
    row = {"titles": [own], "collectives": None, "individuals": None}
    assert services.registrations_save(pledge=pledge, rows={members["Na Rì"].pk: row}) == 1
    assert [t.name for t in Registration.objects.get().titles.all()] == [own.name]


def test_a_title_registered_before_it_went_out_of_use_is_kept(pledge, members, flags):
    member = members["Na Rì"].pk
    services.registrations_save(
        pledge=pledge, rows={member: {"titles": flags, "collectives": 1, "individuals": 2}}
    )
    AwardType.objects.filter(pk=flags[0].pk).update(is_active=False)
    row = {"titles": flags, "collectives": 3, "individuals": 2}
    assert services.registrations_save(pledge=pledge, rows={member: row}) == 1
    assert Registration.objects.get().collectives == 3


def test_signatures_round_trip(pledge, members, staff):
    rows = {
        members["Na Rì"].pk: {
            "signed": True,
            "signer_name": "Nông Văn Nguyên",
            "signer_position": "Chủ tịch UBND huyện",
            "signed_on": datetime.date(2023, 2, 8),
        },
        members["Ba Bể"].pk: {"signed": True, "signer_name": "", "signed_on": None},
        members["Pác Nặm"].pk: {"signed": False, "signer_name": "Không ký"},
    }
    assert services.signatures_save(pledge=pledge, rows=rows, user=staff) == 2
    stored = {
        s.member.unit.short_name: (s.signer_name, s.signer_position, s.signed_on, s.updated_by)
        for s in Signature.objects.filter(pledge=pledge).select_related("member__unit")
    }
    assert stored == {
        "Na Rì": ("Nông Văn Nguyên", "Chủ tịch UBND huyện", datetime.date(2023, 2, 8), staff),
        "Ba Bể": ("", "", SIGNED_ON, staff),
    }
    assert services.signatures_save(pledge=pledge, rows=rows) == 0


def test_unticking_a_signature_removes_it(pledge, members):
    member = members["Na Rì"].pk
    services.signatures_save(pledge=pledge, rows={member: {"signed": True}})
    assert services.signatures_save(pledge=pledge, rows={member: {"signed": False}}) == 1
    assert not Signature.objects.exists()


def test_a_signature_of_a_unit_that_is_not_a_member_is_refused(pledge, neighbour_pledge):
    with pytest.raises(ValidationError):
        services.signatures_save(
            pledge=pledge, rows={neighbour_pledge["member"].pk: {"signed": True}}
        )
    assert not Signature.objects.exists()


# --- Periods --------------------------------------------------------------------------------------


def test_a_custom_period_is_added(pledge):
    period = services.period_create(
        pledge=pledge, name="Quý III/2023", ends_on=datetime.date(2023, 9, 30)
    )
    assert (period.kind, period.name, period.ends_on) == (
        Period.Kind.CUSTOM,
        "Quý III/2023",
        datetime.date(2023, 9, 30),
    )
    assert pledge.periods.count() == 3


def test_a_period_named_like_another_is_refused(pledge):
    with pytest.raises(ValidationError) as excinfo:
        services.period_create(
            pledge=pledge, name="Tổng kết năm 2023", ends_on=datetime.date(2023, 12, 31)
        )
    assert "Giao ước đã có kỳ báo cáo cùng tên." in refusal(excinfo)
    assert pledge.periods.count() == 2
