"""The heat table's cells, written by ``pledges.templatetags.heat``, are the markup the
template wrote before (``heat_cells_reference.html``, that template kept as the
reference)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.template.defaultfilters import floatformat
from django.utils import translation

from core.forms import decimal_formatter
from pledges.selectors import progress_table
from pledges.services import Cell, results_save
from pledges.templatetags.heat import heat_cells, whole_percent

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).parent / "heat_cells_reference.html").read_text(encoding="utf-8")


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
