"""Cross-app pages: the dashboard and the global search."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import permissions as cluster_permissions
from clusters import selectors as cluster_selectors
from clusters.models import FIRST_YEAR, LAST_YEAR
from clusters.selectors import leaders_of
from core.http import file_response
from meetings import selectors as meeting_selectors
from reports import services
from reports.models import Export
from reports.selectors import exports_for_user, global_search


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
