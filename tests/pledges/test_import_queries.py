"""An Excel import (reading the file, then saving it through the grid's service) runs a
fixed number of queries whatever the number of cells: one member × one target, then
three × three, every cell changed (updates with history) or new (creates)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from pledges import excel, selectors, services
from pledges.models import Commitment, Period, Pledge, Result, Target

pytestmark = pytest.mark.django_db


def _changed(target: Target, value):
    if target.measure == Target.Measure.BOOLEAN:
        return "Không" if value == "Có" else "Có"
    return float(Decimal(str(value or 0)) + 1)


def _import(grid, kind: str, meta: dict, save, change=_changed) -> tuple[int, int]:
    """Download the template of ``grid``, change every cell, import it: (queries, cells
    saved)."""
    with translation.override("vi"):
        content = excel.build_workbook(grid=grid, kind=kind, title="", subtitle="", meta=meta)
        workbook = load_workbook(io.BytesIO(content))
        sheet = workbook[excel.sheet_title(kind)]
        for row, target in enumerate(grid.targets, start=excel.FIRST_DATA_ROW):
            for column in range(len(grid.members)):
                cell = sheet.cell(row=row, column=excel.FIRST_MEMBER_COLUMN + column)
                cell.value = change(target, cell.value)
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = SimpleUploadedFile("nhap.xlsx", buffer.getvalue())
        with CaptureQueriesContext(connection) as queries:
            result = excel.parse_workbook(upload=upload, grid=grid, kind=kind, meta=meta)
            assert result.ok, result.problems
            saved = save(result.cells)
    return len(queries.captured_queries), saved


def _results_import(growing, period: Period, change=_changed) -> tuple[int, int]:
    period = Period.objects.get(pk=period.pk)  # nothing cached from before growing
    return _import(
        selectors.result_grid(period),
        excel.RESULTS,
        {"pledge": growing.pledge.pk, "period": period.pk},
        lambda cells: services.results_save(period=period, cells=cells),
        change,
    )


def test_a_results_import_that_changes_every_cell(growing):
    small = _results_import(growing, growing.period)
    growing.grow()
    changes = Result.history.filter(period=growing.period, history_type="~")
    before = changes.count()
    large = _results_import(growing, growing.period)

    assert (small[1], large[1]) == (1, 9)
    assert small[0] == large[0]
    assert changes.count() == before + 9


def test_a_results_import_into_an_empty_period(growing):
    """The year-end period has no results yet: every cell is created."""
    year_end = growing.pledge.periods.get(kind=Period.Kind.YEAR_END)
    small = _results_import(growing, year_end)
    Result.objects.filter(period=year_end).delete()
    growing.grow()
    large = _results_import(growing, year_end)

    assert (small[1], large[1]) == (1, 9)
    assert small[0] == large[0]


def test_a_commitments_import_that_changes_every_cell(growing):
    def commitments_import():
        pledge = Pledge.objects.get(pk=growing.pledge.pk)
        return _import(
            selectors.commitment_grid(pledge),
            excel.COMMITMENTS,
            {"pledge": pledge.pk},
            lambda cells: services.commitments_save(pledge=pledge, cells=cells),
        )

    small = commitments_import()
    growing.grow()
    large = commitments_import()

    assert (small[1], large[1]) == (1, 9)
    assert small[0] == large[0]
    assert Commitment.objects.filter(target__pledge=growing.pledge).count() == 9


def test_a_results_import_that_empties_every_cell(growing):
    """Emptied cells delete their rows, each deletion in the history."""

    def emptied(target, value):
        return None

    small = _results_import(growing, growing.period, emptied)
    growing.grow()
    deletions = Result.history.filter(period=growing.period, history_type="-")
    before = deletions.count()
    large = _results_import(growing, growing.period, emptied)

    assert (small[1], large[1]) == (1, 9)
    assert small[0] == large[0]
    assert not Result.objects.filter(period=growing.period).exists()
    assert deletions.count() == before + 9
