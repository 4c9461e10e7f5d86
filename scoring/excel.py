"""The ranking as an Excel workbook: one row per member in rank order, numbers as numbers."""

from django.utils.translation import gettext as _

from core.spreadsheets import SheetWriter, workbook_bytes
from scoring.ranking import Ranking

POINTS_FORMAT = "#,##0.00"
HEADER_ROW = 4


def result_headers(ranking: Ranking) -> list[str]:
    headers = [_("Rank"), _("Unit")]
    headers += [_("Group %(numeral)s") % {"numeral": g.numeral} for g in ranking.groups]
    if ranking.has_bonus:
        headers.append(_("Bonus"))
    if ranking.has_deductions:
        headers.append(_("Deductions"))
    headers += [_("Total"), _("Gap to the next"), _("Pledge targets met"), _("Notes")]
    return headers


def result_row(ranking: Ranking, standing) -> list:
    row = [standing.rank, standing.unit.name, *standing.group_points]
    if ranking.has_bonus:
        row.append(standing.bonus)
    if ranking.has_deductions:
        row.append(standing.deductions)
    attainment = standing.attainment
    row += [
        standing.total,
        standing.gap,
        f"{attainment.successes}/{attainment.judged}" if attainment and attainment.judged else "",
        " ".join(
            [failure.text for failure in standing.veto_failures]
            + [note.text for note in standing.notes]
        ),
    ]
    return row


def build_results_workbook(ranking: Ranking) -> bytes:
    """Title, the groups' names, then the ranking table (rank, unit, points, notes)."""
    sheet = ranking.sheet
    writer = SheetWriter.new(_("Ranking"))
    writer.heading(1, sheet.name)
    writer.write(2, 1, f"{sheet.cluster_year.cluster.name} — {sheet.cluster_year.year}")
    writer.note(3, "; ".join(f"{g.numeral}. {g.name}" for g in ranking.groups if g.name))
    headers = result_headers(ranking)
    writer.header(HEADER_ROW, headers)
    points_columns = range(3, len(headers) - 1)
    for offset, standing in enumerate(ranking.standings, start=1):
        for column, value in enumerate(result_row(ranking, standing), start=1):
            writer.write(
                HEADER_ROW + offset,
                column,
                value,
                number_format=POINTS_FORMAT if column in points_columns else "",
            )
    writer.widths([7, 28] + [11] * (len(headers) - 4) + [12, 60])
    writer.freeze(HEADER_ROW + 1, 3)
    return workbook_bytes(writer)
