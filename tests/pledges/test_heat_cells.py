"""The heat table's cells written in Python (pledges/templatetags/heat.py) read as the
template wrote them: the same numbers, words and markup."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from clusters.models import ClusterMember, Unit
from core.text import format_decimal
from pledges.attainment import Attainment, Status
from pledges.models import Commitment, Result, Target
from pledges.selectors import ProgressCell, ProgressRow
from pledges.templatetags.heat import Numbers

VALUES = ["0", "-0", "1", "12.50", "1234.5000", "-9876543.21", "0.001", "1000000", "1E+3"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_numbers_are_written_as_the_decimal_filter_writes_them(language):
    with translation.override(language):
        numbers = Numbers()
        for raw in VALUES:
            assert numbers.decimal(Decimal(raw)) == format_decimal(Decimal(raw)), raw
        assert numbers.decimal(None) == ""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_ratios_are_rounded_as_floatformat_0g_rounds_them(language):
    with translation.override(language):
        numbers = Numbers()
        for raw in ["0.0", "99.5", "100.4", "-0.4", "-2.5", "104.9", "12345.6", "50.0"]:
            assert numbers.whole(Decimal(raw)) == floatformat(Decimal(raw), "0g"), raw


def _cell(unit_name, status, *, committed=None, text="", result=None, ratio=None):
    member = ClusterMember(unit=Unit(name=unit_name, short_name=""))
    commitment = Commitment(value=committed, text=text) if committed is not None or text else None
    return ProgressCell(
        member=member,
        commitment=commitment,
        result=result,
        attainment=Attainment(status, ratio),
        expected=committed / 2 if committed is not None else None,
    )


def test_a_row_of_cells_carries_status_title_icon_value_and_ratio():
    target = Target(name="Thu ngân sách", measure=Target.Measure.NUMBER)
    target.share = Decimal("50")
    row = ProgressRow(
        target,
        [
            _cell(
                "Huyện <Na Rì>",
                Status.MET,
                committed=Decimal("1200"),
                result=Result(value=Decimal("1234.5")),
                ratio=Decimal("2.0575"),
            ),
            _cell("Ba Bể", Status.NO_COMMITMENT),
        ],
    )
    with translation.override("vi"):
        html = Template("{% load heat %}{% heat_cells row %}").render(Context({"row": row}))
    assert html == (
        '<td class="heat heat-met" data-status="met" title="Huyện &lt;Na Rì&gt; — cam kết: '
        '1.200; phải đạt đến nay (50%): 600; Đạt">\n'
        '        <i class="bi heat-icon bi-check-lg" role="img" aria-label="Đạt"></i>\n'
        '\n        1.234,5<span class="heat-ratio">206%</span>\n      </td>\n'
        '      <td class="heat heat-no_commitment" data-status="no_commitment" '
        'title="Ba Bể — cam kết: —; Chưa cam kết">\n'
        '        <i class="bi heat-icon bi-dash" role="img" aria-label="Chưa cam kết"></i>\n'
        "\n        \n      </td>"
    )


def test_text_and_yes_no_cells_are_written_as_words():
    text_target = Target(name="Mô hình", measure=Target.Measure.TEXT)
    text_target.share = Decimal("100")
    boolean_target = Target(name="Hoàn thành", measure=Target.Measure.BOOLEAN)
    boolean_target.share = Decimal("100")
    text_row = ProgressRow(
        text_target,
        [_cell("Na Rì", Status.REPORTED, text="Một mô hình", result=Result(text="x" * 30))],
    )
    boolean_row = ProgressRow(
        boolean_target,
        [_cell("Na Rì", Status.MET, committed=Decimal("1"), result=Result(value=Decimal("1")))],
    )
    template = Template("{% load heat %}{% heat_cells row %}")
    with translation.override("vi"):
        text_html = template.render(Context({"row": text_row}))
        boolean_html = template.render(Context({"row": boolean_row}))
    assert 'title="Na Rì — cam kết: Một mô hình; Đã báo cáo"' in text_html
    assert "xxxxxxxxxxxxxxxxxxxxxxx…" in text_html
    assert 'title="Na Rì — cam kết: có; Đạt"' in boolean_html
    assert "\n        Có\n" in boolean_html
