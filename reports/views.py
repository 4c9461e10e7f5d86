"""Cross-app pages: the dashboard, the global search, exports and the year reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import permissions as cluster_permissions
from clusters import selectors as cluster_selectors
from clusters.models import FIRST_YEAR, LAST_YEAR
from clusters.reports import KINDS as REPORT_KINDS
from clusters.reports import YEAR_END
from clusters.selectors import leaders_of
from core.documents import render_docx, render_pdf
from core.http import file_response
from meetings import selectors as meeting_selectors
from reports import services
from reports.documents import report_document
from reports.forms import ReportTextForm
from reports.models import Export, ReportText
from reports.selectors import exports_for_user, global_search, report_text_of, report_texts_of


def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def dashboard(request):
    """My clusters for the chosen emulation year (the current one by default)."""
    user = request.user
    current_year = timezone.localdate().year
    year = _year_param(request, current_year)
    rows = cluster_selectors.dashboard_rows(user, year=year)
    for row in rows:
        cluster_year = row["year"]
        if cluster_year is not None:
            cluster_year.head, cluster_year.deputy = leaders_of(cluster_year)
            row["can_roll_over"] = (
                not row["is_current"]
                and cluster_year.year == year - 1
                and cluster_permissions.can_roll_over_clusteryear(user, cluster_year)
            )
        row["can_add_year"] = cluster_permissions.can_create_clusteryear(user, row["cluster"])
    upcoming, recent = meeting_selectors.calendar_for_user(user, year=year)
    years = sorted(
        {current_year, year, *cluster_selectors.years_for_user_choices(user)}, reverse=True
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "rows": rows,
            "year": year,
            "years": years,
            "current_count": sum(1 for row in rows if row["is_current"]),
            "upcoming": upcoming,
            "recent": recent,
            "past_year": year < current_year,
        },
    )


@require_POST
def year_package_start(request, pk):
    """Queue the ZIP of every document of a cluster year and show its progress."""
    cluster_year = get_object_or_404(cluster_selectors.cluster_years_for_user(request.user), pk=pk)
    export = services.export_start(
        user=request.user,
        kind=Export.Kind.YEAR_PACKAGE,
        object_id=cluster_year.pk,
        title=_("Documents of %(cluster)s, %(year)s")
        % {"cluster": cluster_year.cluster.name, "year": cluster_year.year},
    )
    return redirect(export)


def export_detail(request, pk):
    export = get_object_or_404(exports_for_user(request.user), pk=pk)
    polling = request.headers.get("HX-Request") == "true"
    template = "reports/includes/_export_status.html" if polling else "reports/export_detail.html"
    return render(request, template, {"export": export})


def export_download(request, pk):
    export = get_object_or_404(
        exports_for_user(request.user).filter(status=Export.Status.DONE), pk=pk
    )
    return file_response(export.file.open("rb"), filename=export.file.name.rsplit("/", 1)[-1])


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    sections = global_search(request.user, query) if query else []
    return render(
        request,
        "reports/search.html",
        {
            "query": query,
            "sections": sections,
            "total": sum(len(section.rows) for section in sections),
        },
    )


# --- The year reports -----------------------------------------------------------------------

REPORT_FORMATS = {"pdf": render_pdf, "docx": render_docx}


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
