"""The heat table's cells and body, written by ``pledges.templatetags.heat``, are the
markup the template wrote before (``heat_cells_reference.html`` and
``heat_rows_reference.html``, that template kept as the reference)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.template.defaultfilters import floatformat
from django.utils import translation

from core.forms import decimal_formatter
from pledges.models import Target
from pledges.selectors import progress_table
from pledges.services import Cell, expectations_save, results_save
from pledges.templatetags.heat import heat_cells, heat_rows, whole_percent

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).parent / "heat_cells_reference.html").read_text(encoding="utf-8")
ROWS_REFERENCE = (Path(__file__).parent / "heat_rows_reference.html").read_text(encoding="utf-8")


def reference(row) -> str:
    return engines["django"].from_string(REFERENCE).render({"row": row})


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("period", ["mid_year", "year_end"])
def test_the_cells_are_the_templates(request, language, period, mid_year_results, targets, members):
    period = request.getfixturevalue(period)
    results_save(  # a value to escape, and a text longer than the cell shows
        period=period,
        cells={
            (targets["campaign"].pk, members["Na Rì"].pk): Cell(
                text='<b>Đạt</b> & "vượt" kế hoạch đề ra'
            ),
        },
    )
    with translation.override(language):
        table = progress_table(period)
        for row in table.rows:
            assert "      " + str(heat_cells(row)) == reference(row), row.target.name


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "percent",
    ["0", "-0.4", "-0.5", "0.5", "99.5", "100.0", "104.4", "1234.5", "-1234.5", "12345678.9"],
)
def test_a_whole_percent_is_floatformats(language, percent):
    with translation.override(language):
        assert whole_percent(decimal_formatter(), Decimal(percent)) == floatformat(
            Decimal(percent), "0g"
        )


def layout_free(html: str) -> str:
    """The HTML without the white space between tags, which the loops' layout made."""
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("period", ["mid_year", "year_end"])
def test_the_rows_are_the_templates(request, language, period, mid_year_results, targets, members):
    period = request.getfixturevalue(period)
    # A share chosen by the cluster, a unit to escape, a target outside any group.
    expectations_save(period=period, shares={targets["budget"].pk: Decimal("45.5")})
    Target.objects.filter(pk=targets["budget"].pk).update(unit_of_measure="<tỷ & đồng>")
    Target.objects.filter(pk=targets["campaign"].pk).update(group="")
    with translation.override(language):
        table = progress_table(period)
        measures = {row.target.measure for row in table.rows}
        assert measures == set(Target.Measure.values)
        expected = layout_free(
            engines["django"].from_string(ROWS_REFERENCE).render({"table": table})
        )
        assert layout_free(str(heat_rows(table))) == expected
    assert expected.count('<tr class="group-row">') == 3
    assert "(&lt;tỷ &amp; đồng&gt;)" in expected
    assert expected.count("heat-share") == 1
