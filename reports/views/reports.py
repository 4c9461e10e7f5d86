"""The year-end and mid-year reports of a cluster year and the texts staff write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clusters import permissions as cluster_permissions
from clusters import selectors as cluster_selectors
from clusters.reports import KINDS as REPORT_KINDS
from clusters.reports import YEAR_END
from core.documents import render_docx, render_pdf, render_xlsx
from core.http import file_response
from reports import services
from reports.documents import report_document
from reports.forms import ReportTextForm
from reports.models import ReportText
from reports.selectors import report_text_of, report_texts_of

REPORT_FORMATS = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}


def _report_year(request, pk, kind: str = YEAR_END):
    """The cluster year if the user may see it, else 404 (as for an unknown kind)."""
    if kind not in REPORT_KINDS:
        raise Http404
    years = cluster_selectors.cluster_years_for_user(request.user).select_related(
        "next_head", "next_deputy"
    )
    return get_object_or_404(years, pk=pk)


def report_list(request, pk):
    """The year-end and mid-year reports of a cluster year: downloads and texts."""
    cluster_year = _report_year(request, pk)
    texts = {t.kind: t for t in report_texts_of(cluster_year)}
    reports = [
        {"kind": kind, "label": label, "text": texts.get(kind)}
        for kind, label in ReportText.Kind.choices
    ]
    return render(
        request,
        "reports/report_list.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "reports": reports,
            "can_edit": cluster_permissions.can_change_clusteryear(request.user, cluster_year),
        },
    )


def report_download(request, pk, kind, fmt):
    """The report of ``kind`` as a PDF or a Word file, built from the data as it is now."""
    cluster_year = _report_year(request, pk, kind)
    if fmt not in REPORT_FORMATS:
        raise Http404
    document = report_document(cluster_year=cluster_year, kind=kind)
    return file_response(
        REPORT_FORMATS[fmt](document), filename=f"{document.filename}.{fmt}", kind=fmt
    )


def reporttext_edit(request, pk, kind):
    """Edit the introduction, assessment and tasks ahead of a report."""
    cluster_year = _report_year(request, pk, kind)
    if not cluster_permissions.can_change_clusteryear(request.user, cluster_year):
        raise PermissionDenied
    text = report_text_of(cluster_year, kind)
    form = ReportTextForm(request.POST or None, instance=text)
    if request.method == "POST" and form.is_valid():
        services.report_text_save(cluster_year=cluster_year, kind=kind, **form.cleaned_data)
        messages.success(request, _("The texts of the report are saved."))
        return redirect("reports:report-list", pk=cluster_year.pk)
    return render(
        request,
        "reports/reporttext_form.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "label": ReportText.Kind(kind).label,
        },
    )
