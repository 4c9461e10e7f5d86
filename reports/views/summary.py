"""The province summary of a year: the page, and the files prepared in the background
(the summary as PDF, Word or Excel; every cluster's report in one ZIP)."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import selectors as cluster_selectors
from clusters.models import FIRST_YEAR, LAST_YEAR
from core.documents.pdf import document_context
from reports.forms import SummaryExportForm
from reports.models import Export, ReportText
from reports.selectors import exports_for_user
from reports.summary import readable_bodies, summary_document, summary_years
from reports.views.exports import start_export

RECENT_EXPORTS = 5


def _choice(request, source, bodies=None):
    """The body and year asked for (the first body and the current year by default);
    a body the user may not see is a 404."""
    bodies = bodies if bodies is not None else list(readable_bodies(request.user))
    if not bodies:
        raise Http404
    try:
        body_id = int(source.get("body", bodies[0].pk))
    except (TypeError, ValueError):
        body_id = bodies[0].pk
    body = next((b for b in bodies if b.pk == body_id), None)
    if body is None:
        raise Http404
    current = timezone.localdate().year
    try:
        year = int(source.get("year", current))
    except (TypeError, ValueError):
        year = current
    if not FIRST_YEAR <= year <= LAST_YEAR:
        year = current
    return bodies, body, year


def summary(request):
    """The summary of a body's clusters and blocs for a year, as it will print, with the
    files that can be prepared from it."""
    bodies = list(readable_bodies(request.user))
    if not bodies:
        return render(request, "reports/summary.html", {"body": None})
    bodies, body, year = _choice(request, request.GET, bodies)
    document = summary_document(
        summary_years(request.user, body=body, year=year), body=body, year=year
    )
    years = cluster_selectors.years_between(bodies, timezone.localdate().year, year)
    recent = (
        exports_for_user(request.user)
        .filter(
            kind__in=[Export.Kind.PROVINCE_SUMMARY, Export.Kind.YEAR_REPORTS], object_id=body.pk
        )
        .select_related("reused_from", "reused_from__user")[:RECENT_EXPORTS]
    )
    return render(
        request,
        "reports/summary.html",
        {
            "bodies": bodies,
            "body": body,
            "year": year,
            "years": years,
            "document": document_context(document),
            "form": SummaryExportForm(),
            "recent": recent,
        },
    )


@require_POST
def summary_export(request):
    """Queue the summary or the year's reports of every cluster (or hand out the file
    prepared earlier from the same data) and show its progress."""
    _bodies, body, year = _choice(request, request.POST)
    form = SummaryExportForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    if data["what"] == "summary":
        kind = Export.Kind.PROVINCE_SUMMARY
        params = {"year": year, "format": data["fmt"]}
        title = _("Summary of the clusters and blocs of %(body)s, %(year)s")
    else:
        kind = Export.Kind.YEAR_REPORTS
        params = {"year": year, "kind": data["kind"], "format": data["fmt"]}
        title = (
            _("Year-end reports of the clusters and blocs of %(body)s, %(year)s")
            if data["kind"] == ReportText.Kind.YEAR_END
            else _("Mid-year reports of the clusters and blocs of %(body)s, %(year)s")
        )
    back = f"{reverse('reports:summary')}?{urlencode({'body': body.pk, 'year': year})}"
    return start_export(
        request,
        back=back,
        kind=kind,
        object_id=body.pk,
        params=params,
        title=title % {"body": body.name, "year": year},
    )
