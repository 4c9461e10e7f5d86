"""The award statistics page (with its Excel export) and the periodic statistics (page,
PDF, Word and Excel).

Both read one body's awards: the bodies offered are those whose awards the user may
read (``statistics.statistics_bodies``); any other body asked for is a 404, and a user
who may read no body's awards gets a 404 as well. The filters are small forms of this
module (they serve these two pages only).
"""

from __future__ import annotations

import datetime

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from awards.periodic import periodic_data, periodic_document
from awards.statistics import (
    AwardStatistics,
    Tally,
    award_statistics,
    awards_chart,
    statistics_bodies,
)
from clusters.models import FIRST_YEAR, LAST_YEAR
from core.documents import render_docx, render_pdf, render_xlsx
from core.documents.pdf import document_context
from core.http import file_response
from core.spreadsheets import SheetWriter, workbook_bytes

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class StatisticsFilterForm(forms.Form):
    body = forms.TypedChoiceField(label=gettext_lazy("Organizing body"), coerce=int)
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(body.pk, body.name) for body in bodies]
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update({"class": "form-control form-control-sm"})
        self.fields["body"].widget.attrs.update({"class": "form-select form-select-sm"})

    def clean(self):
        data = super().clean()
        low, high = data.get("year_from"), data.get("year_to")
        if low and high and low > high:
            data["year_from"], data["year_to"] = high, low
        return data


class PeriodForm(forms.Form):
    body = forms.TypedChoiceField(label=gettext_lazy("Organizing body"), coerce=int)
    date_from = forms.DateField(label=gettext_lazy("From date"), input_formats=DATE_FORMATS)
    date_to = forms.DateField(label=gettext_lazy("To date"), input_formats=DATE_FORMATS)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(body.pk, body.name) for body in bodies]
        self.fields["body"].widget.attrs.update({"class": "form-select form-select-sm"})
        for name in ("date_from", "date_to"):
            self.fields[name].widget = forms.DateInput(
                attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
            )

    def clean(self):
        data = super().clean()
        low, high = data.get("date_from"), data.get("date_to")
        if low and high and low > high:
            raise forms.ValidationError(_("The period ends before it begins."))
        return data


def _bodies(request) -> list:
    bodies = list(statistics_bodies(request.user))
    if not bodies:
        raise Http404
    return bodies


def _bound(source, bodies, defaults: dict) -> dict:
    """The query's values over the defaults (the first body first); a body the user may
    not read is a 404."""
    data = {**defaults, **{key: value for key, value in source.items() if value != ""}}
    data.setdefault("body", bodies[0].pk)
    try:
        body_id = int(data["body"])
    except (TypeError, ValueError):
        raise Http404 from None
    if body_id not in {body.pk for body in bodies}:
        raise Http404
    return data


# --- The statistics page --------------------------------------------------------------------


def _filtered(request):
    bodies = _bodies(request)
    form = StatisticsFilterForm(_bound(request.GET, bodies, {}), bodies=bodies)
    if not form.is_valid():
        # A year out of range is ignored rather than refused: all years are shown.
        form = StatisticsFilterForm({"body": form.data["body"]}, bodies=bodies)
        form.is_valid()
    data = form.cleaned_data
    body = next(b for b in bodies if b.pk == data["body"])
    stats = award_statistics(
        request.user, body=body, year_from=data.get("year_from"), year_to=data.get("year_to")
    )
    return bodies, form, stats


def figure_rows(stats: AwardStatistics) -> dict[str, list[tuple[str, Tally]]]:
    """The tables of the page and of the workbook: (label, figures) rows."""
    return {
        "years": [(str(year), tally) for year, tally in stats.year_rows],
        "levels": [(label, tally) for _level, label, tally in stats.by_level],
        "clusters": [(row.name or _("No cluster"), row.tally) for row in stats.by_cluster],
        "units": [(row.name or _("No unit given"), row.tally) for row in stats.by_unit],
    }


# The figures of a row (``Tally.figures``) shown in bold: the two sums.
BOLD_FIGURES = (3, 7)


def grouped(separator: str):
    """A formatter of whole numbers grouped by thousands with ``separator`` (18.568 in
    Vietnamese), as the ``number`` filter writes them. The page writes some 3,000
    numbers: the filter (Django's ``number_format``, a look-up of the formats per
    number) took a third of its time."""
    if separator == ",":
        return "{:,}".format
    return lambda value: f"{value:,}".replace(",", separator)


def cell_writer(count: int, fmt, bold=()):
    """A function writing ``count`` whole numbers as a row's ``<td>`` cells, right
    aligned, those at the positions ``bold`` in bold. The tables by unit and by cluster
    have thousands of cells: written here, not cell by cell in the template."""
    template = "".join(
        '<td class="text-end fw-semibold">{}</td>'
        if index in bold
        else '<td class="text-end">{}</td>'
        for index in range(count)
    )
    # Whole numbers and the separator, escaped by the caller: nothing to escape.
    return lambda values: mark_safe(template.format(*map(fmt, values)))  # noqa: S308


def page_tables(stats: AwardStatistics, fmt) -> dict:
    """The page's tables of figures: (label, cells) rows, and the total row's cells."""
    figures = cell_writer(len(stats.total.figures), fmt, BOLD_FIGURES)
    tables = {
        key: [(label, figures(tally.figures)) for label, tally in rows]
        for key, rows in figure_rows(stats).items()
    }
    tables["total"] = cell_writer(len(stats.total.figures), fmt)(stats.total.figures)
    return tables


def type_rows(stats: AwardStatistics, fmt) -> list[tuple[str, str, str]]:
    """The table by award type: (award, level, cells) rows, the count of each year, of
    each recipient group and their sum."""
    count = len(stats.years) + 4
    figures = cell_writer(count, fmt, (count - 1,))
    return [
        (
            row.award_type.name,
            row.award_type.get_level_display(),
            figures([*row.year_values, *row.tally.recorded_figures]),
        )
        for row in stats.by_type
    ]


def statistics(request):
    """Counts of the awards granted by year, level, award type, cluster and unit, the
    awards recorded one by one beside the counts the members reported."""
    bodies, form, stats = _filtered(request)
    chart = awards_chart(
        stats.by_type,
        stats.years,
        description=_("Awards granted by type and year"),
        others=_("Other awards"),
    )
    fmt = grouped(escape(get_format("THOUSAND_SEPARATOR")))
    return render(
        request,
        "awards/statistics.html",
        {
            "bodies": bodies,
            "form": form,
            "stats": stats,
            "tables": page_tables(stats, fmt),
            "types": type_rows(stats, fmt),
            "chart": mark_safe(chart),  # noqa: S308 (drawn by core.charts, text escaped)
            "querystring": request.GET.urlencode(),
        },
    )


def statistics_export(request):
    """The statistics page's tables as an Excel workbook, one sheet each."""
    _bodies_, _form, stats = _filtered(request)
    span = _("all years")
    if stats.year_from or stats.year_to:
        span = f"{stats.year_from or ''}–{stats.year_to or ''}"
    title = _("Awards of %(body)s (%(span)s)") % {"body": stats.body.name, "span": span}
    recorded = _("Recorded one by one")
    reported = _("Reported as counts by members")
    figures_header = [
        f"{recorded}: {_('collectives')}",
        f"{recorded}: {_('individuals')}",
        f"{recorded}: {_('households')}",
        f"{recorded}: {_('sum')}",
        f"{reported}: {_('collectives')}",
        f"{reported}: {_('individuals')}",
        f"{reported}: {_('collectives and individuals together')}",
        f"{reported}: {_('sum')}",
        pgettext("award statistics", "Total"),
    ]
    tables = figure_rows(stats)
    sheets = [
        (_("By year"), _("Year"), tables["years"]),
        (_("By level"), _("Level"), tables["levels"]),
        (_("By cluster"), _("Cluster or bloc"), tables["clusters"]),
        (_("By unit"), _("Unit"), tables["units"]),
    ]
    writer = None
    for name, first, rows in sheets:
        sheet = SheetWriter.new(name) if writer is None else writer.add_sheet(name)
        writer = writer or sheet
        sheet.heading(1, title)
        sheet.header(3, [first, *figures_header])
        for index, (label, tally) in enumerate(rows, start=4):
            sheet.write(index, 1, label)
            for column, value in enumerate(tally.figures, start=2):
                sheet.write(index, column, value, number_format="#,##0")
        total_row = len(rows) + 4
        sheet.write(total_row, 1, pgettext("award statistics", "Total"), bold=True)
        for column, value in enumerate(stats.total.figures, start=2):
            sheet.write(total_row, column, value, number_format="#,##0", bold=True)
        _finish(sheet, 10)
    types = writer.add_sheet(_("By award type"))
    types.heading(1, title)
    types.note(2, _("The counts members report name a level, not an award type."))
    types.header(
        3,
        [
            _("Award"),
            _("Level"),
            *(str(year) for year in stats.years),
            _("Collectives"),
            _("Individuals"),
            _("Households"),
            pgettext("award statistics", "Total"),
        ],
    )
    for index, row in enumerate(stats.by_type, start=4):
        types.write(index, 1, row.award_type.name)
        types.write(index, 2, row.award_type.get_level_display())
        values = [row.by_year.get(year, 0) for year in stats.years]
        values += [row.tally.collective, row.tally.individual, row.tally.household]
        values.append(row.tally.recorded)
        for column, value in enumerate(values, start=3):
            types.write(index, column, value, number_format="#,##0")
    _finish(types, len(stats.years) + 6)
    stem = f"thong-ke-khen-thuong-{stats.body.pk}"
    return file_response(workbook_bytes(writer.workbook), filename=f"{stem}.xlsx", kind="xlsx")


def _finish(sheet: SheetWriter, columns: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.sheet.column_dimensions["A"].width = 40
    for column in range(2, columns + 1):
        sheet.sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.sheet.freeze_panes = "B4"


# --- The periodic statistics ------------------------------------------------------------------


def _period(request):
    bodies = _bodies(request)
    today = timezone.localdate()
    defaults = {
        "date_from": datetime.date(today.year, 1, 1).isoformat(),
        "date_to": today.isoformat(),
    }
    form = PeriodForm(_bound(request.GET, bodies, defaults), bodies=bodies)
    if form.is_valid():
        data = form.cleaned_data
        body = next(b for b in bodies if b.pk == data["body"])
        return (
            bodies,
            form,
            periodic_data(
                request.user, body=body, date_from=data["date_from"], date_to=data["date_to"]
            ),
        )
    return bodies, form, None


def periodic(request):
    """The periodic statistics for the period asked, as they print."""
    bodies, form, data = _period(request)
    today = timezone.localdate()
    presets = []
    for year in (today.year, today.year - 1):
        presets.append((_("First six months of %(year)s") % {"year": year}, year, "06-30"))
        presets.append((_("Year %(year)s") % {"year": year}, year, "12-31"))
    return render(
        request,
        "awards/periodic.html",
        {
            "bodies": bodies,
            "form": form,
            "document": document_context(periodic_document(data)) if data else None,
            "body_id": form.cleaned_data.get("body") if data else bodies[0].pk,
            "presets": presets,
            "querystring": request.GET.urlencode(),
        },
    )


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}


def periodic_download(request, fmt: str):
    if fmt not in RENDERERS:
        raise Http404
    _bodies_, _form, data = _period(request)
    if data is None:
        raise Http404
    document = periodic_document(data)
    return file_response(
        RENDERERS[fmt](document),
        filename=f"{document.filename}.{fmt}",
        kind=fmt,
        inline=fmt == "pdf",
    )
