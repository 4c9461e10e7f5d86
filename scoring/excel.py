"""The ranking as an Excel workbook: one row per member in rank order, numbers as numbers."""

import io

from django.utils.translation import gettext as _

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
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = ranking.sheet
    workbook = Workbook()
    table = workbook.active
    table.title = _("Ranking")
    table["A1"] = sheet.name
    table["A1"].font = Font(bold=True, size=13)
    table["A2"] = f"{sheet.cluster_year.cluster.name} — {sheet.cluster_year.year}"
    table["A3"] = "; ".join(f"{g.numeral}. {g.name}" for g in ranking.groups if g.name)
    table["A3"].font = Font(italic=True, size=9)
    headers = result_headers(ranking)
    fill = PatternFill("solid", fgColor="DDE3EA")
    for column, text in enumerate(headers, start=1):
        cell = table.cell(row=HEADER_ROW, column=column, value=text)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    points_columns = range(3, len(headers) - 1)
    for offset, standing in enumerate(ranking.standings, start=1):
        for column, value in enumerate(result_row(ranking, standing), start=1):
            cell = table.cell(row=HEADER_ROW + offset, column=column, value=value)
            if column in points_columns and value is not None and not isinstance(value, str):
                cell.number_format = POINTS_FORMAT
    widths = [7, 28] + [11] * (len(headers) - 4) + [12, 60]
    for column, width in enumerate(widths, start=1):
        table.column_dimensions[get_column_letter(column)].width = width
    table.freeze_panes = table.cell(row=HEADER_ROW + 1, column=3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
