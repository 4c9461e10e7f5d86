"""Excel round trip: download a grid as a workbook, upload it back through a preview."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from core.http import file_response
from core.permissions import Frozen
from pledges import excel, permissions, selectors, services
from pledges.forms import ImportForm

SESSION_KEY = "pledge-import"


class ExcelMixin:
    """What differs between the commitments and the results workbooks."""

    kind = ""

    def target(self, request, pk):
        raise NotImplementedError  # sets self.pledge, self.grid, self.meta, titles

    def apply(self, cells, user):
        raise NotImplementedError

    def back_url(self):
        raise NotImplementedError


class CommitmentsExcel(ExcelMixin):
    kind = excel.COMMITMENTS

    def target(self, request, pk):
        self.pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)
        self.grid = selectors.commitment_grid(self.pledge)
        self.meta = {"pledge": self.pledge.pk}
        year = self.pledge.cluster_year
        self.title = _("COMMITTED TARGETS — EMULATION PLEDGE %(year)s") % {"year": year.year}
        self.filename = f"cam-ket-{year.year}-{self.pledge.pk}.xlsx"
        self.may_change = permissions.can_change_pledge(request.user, self.pledge)
        self.frozen = permissions.frozen_pledge(request.user, self.pledge)

    def apply(self, cells, user):
        return services.commitments_save(pledge=self.pledge, cells=cells, user=user)

    def back_url(self):
        return reverse("pledges:pledge-commitments", args=[self.pledge.pk])

    def download_url(self):
        return reverse("pledges:pledge-commitments-xlsx", args=[self.pledge.pk])


class ResultsExcel(ExcelMixin):
    kind = excel.RESULTS

    def target(self, request, pk):
        self.period = get_object_or_404(selectors.periods_for_user(request.user), pk=pk)
        self.pledge = self.period.pledge
        self.grid = selectors.result_grid(self.period)
        self.meta = {"pledge": self.pledge.pk, "period": self.period.pk}
        self.title = _("RESULTS — %(period)s") % {"period": self.period.name.upper()}
        year = self.pledge.cluster_year.year
        self.filename = f"ket-qua-{year}-{self.period.pk}.xlsx"
        self.may_change = permissions.can_enter_results(request.user, self.period)

    def apply(self, cells, user):
        return services.results_save(period=self.period, cells=cells, user=user)

    def back_url(self):
        return reverse("pledges:period-results", args=[self.period.pk])

    def download_url(self):
        return reverse("pledges:period-results-xlsx", args=[self.period.pk])


class ExcelDownloadView(View):
    def get(self, request, pk):
        self.target(request, pk)
        content = excel.build_workbook(
            grid=self.grid,
            kind=self.kind,
            title=self.title,
            subtitle=self.pledge.cluster_year.cluster.name,
            meta=self.meta,
        )
        return file_response(content, filename=self.filename, kind="xlsx")


class ExcelImportView(View):
    """Upload → preview with every problem or change → confirm → saved all at once."""

    template_name = "pledges/import.html"

    def dispatch(self, request, *args, **kwargs):
        self.target(request, kwargs["pk"])
        if getattr(self, "frozen", ""):
            raise Frozen(self.frozen)
        if not self.may_change:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render(ImportForm())

    def post(self, request, pk):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        result = excel.parse_workbook(
            upload=form.cleaned_data["file"], grid=self.grid, kind=self.kind, meta=self.meta
        )
        if result.ok:
            request.session[SESSION_KEY] = {
                "kind": self.kind,
                "meta": {key: str(value) for key, value in self.meta.items()},
                "checked_at": timezone.now().isoformat(),
                "cells": _stored_cells(result.cells),
                "conflicts": _stored_cells(result.conflict_cells),
            }
        return self.render(ImportForm(), result=result)

    def confirm(self, request):
        stored = request.session.pop(SESSION_KEY, None)
        meta = {key: str(value) for key, value in self.meta.items()}
        if not stored or stored.get("kind") != self.kind or stored.get("meta") != meta:
            messages.error(request, _("The preview expired; upload the file again."))
            return redirect(request.path)
        cells = _loaded_cells(stored["cells"])
        accepted = set(request.POST.getlist("accept"))
        cells.update(
            (key, cell)
            for key, cell in _loaded_cells(stored.get("conflicts", [])).items()
            if f"{key[0]}-{key[1]}" in accepted
        )
        # Someone may have saved between the preview and this confirmation.
        checked_at = datetime.datetime.fromisoformat(stored["checked_at"])
        changed_since = [
            key
            for key in cells
            if (row := self.grid.cell(*key)) is not None and row.updated_at > checked_at
        ]
        if changed_since:
            messages.error(
                request,
                ngettext(
                    "%(count)s cell was changed by someone else after the preview, so nothing "
                    "was saved: upload the file again to see the newer values.",
                    "%(count)s cells were changed by someone else after the preview, so "
                    "nothing was saved: upload the file again to see the newer values.",
                    len(changed_since),
                )
                % {"count": len(changed_since)},
            )
            return redirect(request.path)
        try:
            changed = self.apply(cells, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(request, _("Imported: %(count)s cells changed.") % {"count": changed})
        return redirect(self.back_url())

    def render(self, form, result=None):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "result": result,
                "kind": self.kind,
                "pledge": self.pledge,
                "period": getattr(self, "period", None),
                "cluster_year": self.pledge.cluster_year,
                "cluster": self.pledge.cluster_year.cluster,
                "back_url": self.back_url(),
                "download_url": self.download_url(),
            },
        )


class CommitmentsDownloadView(CommitmentsExcel, ExcelDownloadView):
    pass


class ResultsDownloadView(ResultsExcel, ExcelDownloadView):
    pass


class CommitmentsImportView(CommitmentsExcel, ExcelImportView):
    pass


class ResultsImportView(ResultsExcel, ExcelImportView):
    pass


def _stored_cells(cells: dict) -> list:
    return [
        [t, m, None if c.value is None else str(c.value), c.text] for (t, m), c in cells.items()
    ]


def _loaded_cells(rows: list) -> dict:
    return {
        (t, m): services.Cell(None if v is None else Decimal(v), text) for t, m, v, text in rows
    }
