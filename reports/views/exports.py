"""Background exports: start one, follow its progress, download the file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters import selectors as cluster_selectors
from core.http import file_response
from reports import services
from reports.models import Export
from reports.selectors import exports_for_user


@require_POST
def year_package_start(request, pk):
    """Queue the ZIP of every document of a cluster year and show its progress."""
    cluster_year = get_object_or_404(cluster_selectors.cluster_years_for_user(request.user), pk=pk)
    return start_export(
        request,
        back=cluster_year,
        kind=Export.Kind.YEAR_PACKAGE,
        object_id=cluster_year.pk,
        title=_("Documents of %(cluster)s, %(year)s")
        % {"cluster": cluster_year.cluster.name, "year": cluster_year.year},
    )


def start_export(request, *, back, **request_args):
    """Start an export (or hand out the same file made earlier) and show its page; a
    refusal (too many files being prepared) goes back to ``back`` with the reason."""
    try:
        export = services.export_start(user=request.user, **request_args)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    return redirect(export)


def export_detail(request, pk):
    export = get_object_or_404(exports_for_user(request.user), pk=pk)
    polling = request.headers.get("HX-Request") == "true"
    template = "reports/includes/_export_status.html" if polling else "reports/export_detail.html"
    return render(request, template, {"export": export})


@require_POST
def export_build_now(request, pk):
    """No worker answers: build the file in this request instead of waiting."""
    export = get_object_or_404(exports_for_user(request.user), pk=pk)
    if export.is_stalled:
        services.export_build(export_id=export.pk, stuck=True)
    return redirect(export)


def export_download(request, pk):
    export = get_object_or_404(
        exports_for_user(request.user).filter(status=Export.Status.DONE), pk=pk
    )
    return file_response(export.file.open("rb"), filename=export.file.name.rsplit("/", 1)[-1])
