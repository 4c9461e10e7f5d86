"""The spreadsheet-like forms: what a typed cell becomes, and where its error lands."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledges import selectors
from pledges.forms import (
    GridForm,
    ImportForm,
    MemberResultsForm,
    RegistrationGridForm,
    SignatureGridForm,
)
from pledges.services import Cell
from tests.pledges.conftest import CAMPAIGN

pytestmark = pytest.mark.django_db


def name(targets, members, target, member) -> str:
    return GridForm.cell_name(targets[target].pk, members[member].pk)


def test_an_empty_grid_shows_the_stored_values_the_vietnamese_way(
    pledge, targets, members, commitments
):
    form = GridForm(grid=selectors.commitment_grid(pledge))
    assert form[name(targets, members, "budget", "Na Rì")].value() == "1.234,5"
    assert form[name(targets, members, "growth", "Pác Nặm")].value() == "8,8"
    assert form[name(targets, members, "recruitment", "Na Rì")].value() == "1"
    assert form[name(targets, members, "recruitment", "Pác Nặm")].value() == "0"
    assert form[name(targets, members, "campaign", "Ba Bể")].value() == CAMPAIGN


def test_numbers_typed_the_vietnamese_way_become_decimals(pledge, targets, members):
    grid = selectors.commitment_grid(pledge)
    data = {
        name(targets, members, "budget", "Na Rì"): "1.234,5",
        name(targets, members, "budget", "Ba Bể"): "18.568",
        name(targets, members, "growth", "Na Rì"): "8,5",
        name(targets, members, "growth", "Ba Bể"): "85%",
        name(targets, members, "recruitment", "Na Rì"): "1",
        name(targets, members, "recruitment", "Ba Bể"): "0",
        name(targets, members, "campaign", "Na Rì"): "  Thi đua chuyển đổi số ",
    }
    form = GridForm(data, grid=grid)
    assert form.is_valid(), form.errors
    cells = form.cells()
    assert len(cells) == 15  # every cell of the grid, the untouched ones empty
    assert cells[(targets["budget"].pk, members["Na Rì"].pk)] == Cell(Decimal("1234.5"))
    assert cells[(targets["budget"].pk, members["Ba Bể"].pk)] == Cell(Decimal("18568"))
    assert cells[(targets["growth"].pk, members["Na Rì"].pk)] == Cell(Decimal("8.5"))
    assert cells[(targets["growth"].pk, members["Ba Bể"].pk)] == Cell(Decimal("85"))
    assert cells[(targets["recruitment"].pk, members["Na Rì"].pk)] == Cell(Decimal(1))
    assert cells[(targets["recruitment"].pk, members["Ba Bể"].pk)] == Cell(Decimal(0))
    assert cells[(targets["campaign"].pk, members["Na Rì"].pk)] == Cell(
        text="Thi đua chuyển đổi số"
    )
    assert cells[(targets["budget"].pk, members["Pác Nặm"].pk)] == Cell()


def test_a_bad_cell_carries_its_own_error_and_is_marked_invalid(pledge, targets, members):
    grid = selectors.commitment_grid(pledge)
    bad = name(targets, members, "budget", "Ba Bể")
    data = {name(targets, members, "budget", "Na Rì"): "1.234,5", bad: "abc"}
    form = GridForm(data, grid=grid)
    assert not form.is_valid()
    assert form.errors == {bad: ["“abc” không phải là số."]}
    assert form.cell_errors() == [
        "Ba Bể — 1.1 Thu ngân sách nhà nước trên địa bàn: “abc” không phải là số."
    ]
    widget = form.fields[bad].widget.attrs
    assert "is-invalid" in widget["class"].split()
    assert widget["title"] == "“abc” không phải là số."
    good = form.fields[name(targets, members, "budget", "Na Rì")].widget.attrs
    assert "is-invalid" not in good["class"].split()


def test_more_than_four_decimals_is_refused(pledge, targets, members):
    bad = name(targets, members, "growth", "Na Rì")
    form = GridForm({bad: "8,12345"}, grid=selectors.commitment_grid(pledge))
    assert form.errors == {bad: ["Tối đa 4 chữ số sau dấu phẩy thập phân."]}


def test_a_yes_no_cell_takes_only_yes_no_or_nothing(pledge, targets, members):
    bad = name(targets, members, "recruitment", "Na Rì")
    form = GridForm({bad: "2"}, grid=selectors.commitment_grid(pledge))
    assert not form.is_valid()
    assert list(form.errors) == [bad]


def test_the_rows_follow_the_groups_and_the_member_order(pledge, targets, members):
    form = GridForm(grid=selectors.commitment_grid(pledge))
    layout = [
        (group.numeral, group.name, [(t.number, len(fields)) for t, fields in rows])
        for group, rows in form.rows()
    ]
    assert layout == [
        ("I", "Kinh tế", [("1.1", 3), ("1.2", 3)]),
        ("II", "Văn hóa - Xã hội", [("2.1", 3)]),
        ("III", "Quốc phòng - An ninh", [("3.1", 3)]),
        ("IV", "Công tác thi đua, khen thưởng", [("4.1", 3)]),
    ]
    assert [m.unit.short_name for m in form.grid.members] == ["Na Rì", "Pác Nặm", "Ba Bể"]


def test_registration_counts_are_read_the_vietnamese_way(pledge, members):
    titles = list(selectors.registrable_titles(body_id=None))
    member = members["Na Rì"]
    data = {
        f"t-{member.pk}-{titles[0].pk}": "on",
        f"collectives-{member.pk}": "1.524",
        f"individuals-{member.pk}": "18.568",
    }
    form = RegistrationGridForm(
        data, members=list(members.values()), titles=titles, registrations={}
    )
    assert form.is_valid(), form.errors
    row = form.data_rows()[member.pk]
    assert (row["titles"], row["collectives"], row["individuals"]) == (
        [titles[0]],
        Decimal(1524),
        Decimal(18568),
    )


def test_a_fractional_registration_count_is_refused(pledge, members):
    member = members["Na Rì"]
    form = RegistrationGridForm(
        {f"collectives-{member.pk}": "1,5"},
        members=[member],
        titles=[],
        registrations={},
    )
    assert form.errors == {f"collectives-{member.pk}": ["Tối đa 0 chữ số sau dấu phẩy thập phân."]}


def test_signature_dates_are_typed_day_first(pledge, members):
    member = members["Na Rì"]
    form = SignatureGridForm(
        {f"signed-{member.pk}": "on", f"name-{member.pk}": "Nông Văn Nguyên",
         f"date-{member.pk}": "03/04/2023"},
        members=[member],
        signatures={},
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.data_rows()[member.pk]["signed_on"] == datetime.date(2023, 4, 3)


def test_a_renamed_executable_is_refused_as_evidence(mid_year, targets, members):
    member = members["Na Rì"]
    upload = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64)
    form = MemberResultsForm(
        {f"v-{targets['budget'].pk}": "700"},
        {f"file-{targets['budget'].pk}": upload},
        grid=selectors.result_grid(mid_year),
        member=member,
    )
    assert not form.is_valid()
    assert form.errors[f"file-{targets['budget'].pk}"] == [
        "Không nhận loại tệp này. Chỉ nhận: docx, jpeg, jpg, pdf, png, pptx, webp, xlsx."
    ]


def test_an_import_over_five_megabytes_is_refused_by_the_form():
    upload = SimpleUploadedFile("cam-ket.xlsx", b"x" * (5 * 1024 * 1024 + 1))
    form = ImportForm({}, {"file": upload})
    assert form.errors == {"file": ["Tệp lớn hơn 5 MB."]}


def test_the_pledge_form_keeps_movements_in_the_order_chosen(staff, pledge):
    from pledges.forms import PledgeForm
    from tests.factories.pledges import MovementFactory

    first = MovementFactory(name="Đền ơn đáp nghĩa - Uống nước nhớ nguồn")
    second = MovementFactory(name="Dạy tốt, học tốt")
    data = {"theme": "Đoàn kết", "movements": [str(first.pk), str(second.pk)]}
    form = PledgeForm(data, user=staff, instance=pledge)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["movements"] == [first, second]


def test_the_pledge_form_lists_the_chosen_movements_first_in_their_order(staff, pledge, movement):
    from pledges import services
    from pledges.forms import PledgeForm
    from tests.factories.pledges import MovementFactory

    later = MovementFactory(name="Đền ơn đáp nghĩa - Uống nước nhớ nguồn")
    MovementFactory(name="An toàn giao thông")
    services.pledge_update(pledge=pledge, theme=pledge.theme, movements=[later, movement])
    choices = list(PledgeForm(user=staff, instance=pledge).fields["movements"].queryset)
    assert [m.name for m in choices[:2]] == [later.name, movement.name]
