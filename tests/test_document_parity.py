"""Every document of a cluster year prints the same words, in the same order, in its PDF
and its Word file: each kind in the registry of a year's documents, for every year of
the demo (a pledge of eight members, minutes with a report, a discussion and
conclusions, an approved ranking with ties and a veto), rendered by the two renderers.
Every table of every such document, and of the year-end and mid-year reports, is in
its Excel workbook cell by cell, each number showing as printed.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from clusters.documents import year_documents
from clusters.models import ClusterYear
from clusters.reports import KINDS as REPORT_KINDS
from core.documents import Document, Table, render_xlsx
from core.documents.parity import assert_same_words
from reports.documents import report_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_years():
    call_command("seed_demo", stdout=io.StringIO())
    return list(ClusterYear.objects.select_related("cluster__body").order_by("pk"))


def test_the_apps_register_the_pledge_the_minutes_and_the_score_summary():
    assert [kind.key for kind in year_documents][:3] == ["pledge", "minutes", "results"]


@pytest.mark.parametrize(
    ("key", "count"), [("pledge", 4), ("minutes", 4), ("results", 2), ("count-minutes", 4)]
)
def test_each_document_of_the_demo_years_has_the_same_words_in_pdf_and_word(demo_years, key, count):
    kind = year_documents[key]
    printed = []
    for cluster_year in demo_years:
        for stem, document in kind.build(cluster_year):
            pdf, word = assert_same_words(document)
            assert pdf.startswith(b"%PDF-") and word.startswith(b"PK")
            printed.append((cluster_year.cluster.name, cluster_year.year, stem))
    # Four pledges, four meetings, two score sheets, two counted votes: none may silently
    # drop out.
    assert len(printed) == count, printed


# --------------------------------------------------------------------------- Excel


def shown(cell) -> str:
    """A cell as a spreadsheet in a Vietnamese locale shows it: a number through its
    number format ("#,##0.00" shows 18568.5 as 18.568,50; "0.0%" 0.552 as 55,2%)."""
    if cell.value is None:
        return ""
    if cell.data_type == "s":
        return cell.value
    number_format = cell.number_format
    percent = number_format.endswith("%")
    pattern = number_format.rstrip("%")
    places = len(pattern.split(".")[1]) if "." in pattern else 0
    value = Decimal(str(cell.value)) * (100 if percent else 1)
    text = f"{value:,.{places}f}" if pattern.startswith("#,##0") else f"{value:.{places}f}"
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + ("%" if percent else "")


def assert_tables_in_workbook(document: Document) -> int:
    """Fail unless each table of ``document`` is a sheet of its workbook, in order, with
    the header cells where the Word file puts them and every body cell showing the
    printed text; returns the number of tables."""
    tables = [block for block in [*document.blocks, *document.closing] if isinstance(block, Table)]
    workbook = load_workbook(io.BytesIO(render_xlsx(document)))
    if not tables:
        (sheet,) = workbook.worksheets
        assert sheet["A1"].value == document.title.upper()
        assert [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)][-1] == (
            "Văn bản không có bảng số liệu."
        )
        return 0
    assert len(workbook.worksheets) == len(tables), workbook.sheetnames
    for table, sheet in zip(tables, workbook.worksheets, strict=True):
        body = sheet[sheet.freeze_panes].row
        top = body - len(table.head_rows())
        for row, column, head in table.placed_head():
            assert shown(sheet.cell(top + row, column + 1)) == head.text, (sheet.title, head)
        for offset, row in enumerate(table.rows):
            got = [shown(cell) for cell in sheet[body + offset][: len(table.columns)]]
            if row.kind == "group":
                assert got[0] == (row.cells[0] if row.cells else ""), (sheet.title, row)
            else:
                assert got == table.cells_of(row), (sheet.title, row)
        assert sheet.max_row == body + len(table.rows) - 1, sheet.title
    return len(tables)


@pytest.mark.parametrize("key", [kind.key for kind in year_documents])
def test_every_table_of_each_registered_document_is_in_its_workbook(demo_years, key):
    documents = tables = 0
    for cluster_year in demo_years:
        for _stem, document in year_documents[key].build(cluster_year):
            tables += assert_tables_in_workbook(document)
            documents += 1
    assert documents > 0
    # The pledge has its targets table and the score summary its ranking in every year.
    if key in ("pledge", "results"):
        assert tables >= documents


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_every_table_of_the_reports_is_in_their_workbooks(demo_years, kind):
    tables = sum(
        assert_tables_in_workbook(report_document(cluster_year=cluster_year, kind=kind))
        for cluster_year in demo_years
    )
    assert tables >= 3


# --------------------------------------------------------------------------- Votes


def test_the_ballot_papers_have_the_same_words_in_pdf_and_word(demo_years):
    from votes.documents import ballots_document
    from votes.models import Vote

    for vote in Vote.objects.select_related("meeting__cluster_year__cluster__body"):
        pdf, word = assert_same_words(ballots_document(vote=vote))
        assert pdf.startswith(b"%PDF-") and word.startswith(b"PK")
