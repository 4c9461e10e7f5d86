"""Screens of scoring: the criteria sheet, the score grids, the results and documents.

Every view fetches the sheet (or year) through a scoped selector, so another cluster's
object is a 404; checks a named permission (403); binds a form; calls one service.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from clusters.permissions import can_change_clusteryear
from clusters.selectors import cluster_years_for_user, members_of
from core.forms import ReasonForm
from core.http import file_response
from core.permissions import Frozen
from core.views import (
    FormsetServiceView,
    ScopedMixin,
    ServiceFormView,
    validated,
    workflow_action,
)
from scoring import excel, permissions, selectors, services
from scoring.charts import groups_chart, rank_chart, totals_chart
from scoring.documents import render_results_docx, render_results_pdf
from scoring.forms import (
    ApproveForm,
    CopySheetForm,
    CriterionFormSet,
    MemberScoresForm,
    ScoreGridForm,
    SheetForm,
)
from scoring.models import CriteriaSheet, Level
from scoring.rank_history import rank_history
from scoring.ranking import build_sections


def _sheet_context(sheet: CriteriaSheet) -> dict:
    return {
        "sheet": sheet,
        "cluster_year": sheet.cluster_year,
        "cluster": sheet.cluster_year.cluster,
    }


# --- The sheet ---------------------------------------------------------------------------------


class SheetCreateView(ScopedMixin, ServiceFormView):
    """Open the year's sheet: settings here, criteria on the next page; or copy a sheet."""

    selector = staticmethod(cluster_years_for_user)
    permission = staticmethod(permissions.can_create_criteriasheet)
    form_class = SheetForm
    template_name = "scoring/criteriasheet_form.html"
    success_message = gettext_lazy("The criteria sheet was created: now add its criteria.")

    def dispatch(self, request, *args, **kwargs):
        self.cluster_year = self.get_object()
        existing = CriteriaSheet.objects.filter(cluster_year=self.cluster_year).first()
        if existing is not None:
            return redirect(existing)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "name": services.default_sheet_name(self.cluster_year.year),
            "bonus_cap": "0",
            "deduction_cap": "0",
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster_year=self.cluster_year,
            cluster=self.cluster_year.cluster,
            copy_form=CopySheetForm(user=self.request.user, cluster_year=self.cluster_year),
            **kwargs,
        )

    def save(self, form):
        return services.sheet_create(cluster_year=self.cluster_year, **form.settings())

    def get_success_url(self):
        return reverse("scoring:criteriasheet-edit", args=[self.object.pk])


@require_POST
def sheet_copy(request, pk):
    cluster_year = get_object_or_404(cluster_years_for_user(request.user), pk=pk)
    form = CopySheetForm(request.POST, user=request.user, cluster_year=cluster_year)

    def copy():
        source = validated(form, _("Choose the sheet to copy from."))["source"]
        return services.sheet_copy(cluster_year=cluster_year, source=source)

    # Back to the page of the copy form, which shows the year's sheet once it has one.
    return workflow_action(
        request,
        obj=cluster_year,
        allowed=permissions.can_create_criteriasheet(request.user, cluster_year),
        service=copy,
        success=lambda sheet: (
            _("The criteria of “%(source)s” were copied; check them before scoring starts.")
            % {"source": form.cleaned_data["source"].name}
        ),
        redirect_to=reverse("scoring:criteriasheet-create", args=[cluster_year.pk]),
        success_url=lambda sheet: reverse("scoring:criteriasheet-edit", args=[sheet.pk]),
    )


class SheetDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.sheets_for_user)
    template_name = "scoring/criteriasheet_detail.html"
    context_object_name = "sheet"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, sheet = self.request.user, self.object
        sections = build_sections(selectors.criteria_of(sheet))
        context.update(
            _sheet_context(sheet),
            sections=sections,
            max_total=sum((s.max_points for s in sections if s.is_group), Decimal(0)),
            levels=permissions.levels_for(user, sheet),
            can_change=permissions.can_change_criteriasheet(user, sheet),
            can_unlock=permissions.can_unlock_criteriasheet(user, sheet),
            can_score=permissions.can_score_criteriasheet(user, sheet),
            is_secretary_or_staff=can_change_clusteryear(user, sheet.cluster_year),
        )
        return context


class SheetEditView(FormsetServiceView):
    """Settings and criteria of a draft sheet, on one page, saved together."""

    template_name = "scoring/criteria_form.html"
    formset_class = CriterionFormSet
    success_message = gettext_lazy("The criteria sheet was saved.")

    def dispatch(self, request, *args, **kwargs):
        self.sheet = get_object_or_404(selectors.sheets_for_user(request.user), pk=kwargs["pk"])
        if not can_change_clusteryear(request.user, self.sheet.cluster_year):
            raise PermissionDenied
        if self.sheet.is_locked:
            messages.error(request, services.locked_message())
            return redirect(self.sheet)
        return super().dispatch(request, *args, **kwargs)

    def extra_initial(self):
        last = self.sheet.criteria.order_by("-order").values_list("order", flat=True).first() or 0
        return [{"order": last + 10 * step} for step in range(1, CriterionFormSet.extra + 1)]

    def get_formset(self, data=None):
        self.form = SheetForm(data, instance=self.sheet, prefix="sheet")
        return super().get_formset(data)

    def get_formset_kwargs(self):
        return {"sheet": self.sheet, "initial": self.extra_initial()}

    def is_valid(self, formset):
        return all([self.form.is_valid(), formset.is_valid()])

    def row(self, form):
        return {**form.cleaned_data, "criterion": form.instance}

    def save(self, rows, deleted):
        services.sheet_save(
            sheet=self.sheet,
            settings=self.form.settings(),
            rows=rows,
            delete=[form.instance for form in deleted],
        )

    def service_error(self, formset, error):
        """Errors of the settings go on their fields; the others above the criteria."""
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                for message in errors:
                    self.form.add_error(name if name in self.form.fields else None, message)
        else:
            formset.add_non_form_error(error)
        return formset

    def get_context_data(self, **kwargs):
        formset = kwargs["formset"]
        return super().get_context_data(
            **_sheet_context(self.sheet),
            form=self.form,
            group_names=sorted({f.initial.get("group", "") for f in formset.forms} - {""}),
            **kwargs,
        )


@require_POST
def sheet_unlock(request, pk):
    sheet = get_object_or_404(selectors.sheets_for_user(request.user), pk=pk)
    return workflow_action(
        request,
        obj=sheet,
        allowed=permissions.can_unlock_criteriasheet(request.user, sheet),
        service=lambda: services.sheet_unlock(sheet=sheet),
        success=_("The criteria sheet is a draft again and can be edited."),
    )


# --- Score grids -------------------------------------------------------------------------------


class ScoreFormView(View):
    """Load the sheet, check, bind, save through ``services.scores_save``, redirect.

    A stale form (someone saved since it was loaded) comes back rebased on the newer
    revision with the changes listed; nothing typed is lost.
    """

    template_name = ""
    level = Level.SELF

    def dispatch(self, request, *args, **kwargs):
        self.sheet = get_object_or_404(selectors.sheets_for_user(request.user), pk=kwargs["pk"])
        self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs):
        raise NotImplementedError

    def make_form(self, data=None, grid=None):
        raise NotImplementedError

    def save_kwargs(self, form) -> dict:
        return {"level": self.level, "cells": form.cells()}

    def get(self, request, *args, **kwargs):
        self.grid = selectors.score_grid(self.sheet)
        return self.render(self.make_form())

    def post(self, request, *args, **kwargs):
        self.grid = selectors.score_grid(self.sheet)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                changed = services.scores_save(
                    sheet=self.sheet,
                    revision=form.cleaned_data["revision"],
                    user=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    **self.save_kwargs(form),
                )
            except services.StaleScores as error:
                self.sheet.revision = error.revision
                self.grid = selectors.score_grid(self.sheet)
                form = form.rebased(error, grid=self.grid)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Saved: %(count)s scores changed.") % {"count": changed}
                )
                return redirect(request.path)
        return self.render(form)

    def context(self) -> dict:
        return {}

    def render(self, form):
        attainment = selectors.pledge_attainment(self.sheet.cluster_year)
        return render(
            self.request,
            self.template_name,
            {
                **_sheet_context(self.sheet),
                "form": form,
                "grid": self.grid,
                "level": self.level,
                "levels": permissions.levels_for(self.request.user, self.sheet),
                "columns": [(m, attainment.get(m.pk)) for m in self.grid.members],
                "has_attainment": bool(attainment),
                **self.context(),
            },
        )


class ScoreGridView(ScoreFormView):
    """One level's scores: criteria × members."""

    template_name = "scoring/score_grid.html"

    def load(self, request, pk, level):
        try:
            self.level = Level(level)
        except ValueError:
            raise Http404("no such score level") from None
        frozen = permissions.frozen_criteriasheet(request.user, self.sheet)
        if frozen:
            raise Frozen(frozen)
        if self.level not in permissions.levels_for(request.user, self.sheet):
            raise PermissionDenied

    def make_form(self, data=None, grid=None):
        return ScoreGridForm(data, grid=grid or self.grid, level=self.level)

    def context(self):
        totals = self.grid.totals(self.level)
        return {"footer": [totals[m.pk] for m in self.grid.members]}


class MemberScoresView(ScoreFormView):
    """One member's self-scores on every line, with evidence notes."""

    template_name = "scoring/member_scores.html"

    def load(self, request, pk, member_pk):
        frozen = permissions.frozen_criteriasheet(request.user, self.sheet)
        if frozen:
            raise Frozen(frozen)
        if not permissions.can_score_criteriasheet(request.user, self.sheet):
            raise PermissionDenied
        self.member = get_object_or_404(members_of(self.sheet.cluster_year), pk=member_pk)

    def make_form(self, data=None, grid=None):
        return MemberScoresForm(data, grid=grid or self.grid, member=self.member)

    def save_kwargs(self, form):
        return {"level": Level.SELF, "cells": form.cells(), "evidence": form.evidence()}

    def context(self):
        return {"member": self.member}


# --- Results -----------------------------------------------------------------------------------


def _charts(sheet: CriteriaSheet, ranking) -> dict:
    """The SVG charts of the page, drawn on the server as in the documents (the rank
    history reads the earlier years: three queries)."""
    charts = {}
    # Bars of zeros say nothing: they wait for the first score (which locks the sheet).
    if ranking.standings and sheet.is_locked:
        charts["totals"] = totals_chart(
            ranking, description=_("Total points of each member, in rank order")
        )
        charts["groups"] = groups_chart(
            ranking, description=_("Points of each member by criteria group, in rank order")
        )
    history = rank_history(sheet.cluster_year, ranking)
    if history.is_enough:
        charts["ranks"] = rank_chart(
            history, description=_("Rank of each member over the years, rank 1 on top")
        )
    # pygal escapes every label it writes: the markup is safe to print as it is.
    return {key: mark_safe(svg) for key, svg in charts.items()}


class ResultsView(ScopedMixin, DetailView):
    """The ranking: table, chart, approval, exports and the log of corrections."""

    selector = staticmethod(selectors.sheets_for_user)
    template_name = "scoring/results.html"
    context_object_name = "sheet"

    def get_object(self, queryset=None):
        # The sheet and its criteria in one query: the page stays within 15 queries.
        sheet = selectors.sheet_with_criteria(self.get_queryset(), self.kwargs["pk"])
        self.check_permission(sheet)
        return sheet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, sheet = self.request.user, self.object
        grid = selectors.score_grid(sheet)
        ranking = selectors.attach_attainment(
            selectors.ranking_of(sheet, grid), selectors.pledge_attainment(sheet.cluster_year)
        )
        can_approve = permissions.can_approve_criteriasheet(user, sheet)
        context.update(
            _sheet_context(sheet),
            ranking=ranking,
            has_attainment=any(s.attainment for s in ranking.standings),
            charts=_charts(sheet, ranking),
            log=selectors.correction_log(
                sheet,
                {c.pk: c for c in grid.criteria},
                {m.pk: m for m in grid.members},
            ),
            levels=permissions.levels_for(user, sheet),
            can_approve=can_approve,
            # Listed by the template's own <select>; ApproveForm validates the choice.
            approval_meetings=list(selectors.approval_meetings(sheet)) if can_approve else [],
            can_reopen=permissions.can_reopen_criteriasheet(user, sheet),
        )
        return context


def _results_of(sheet: CriteriaSheet) -> str:
    return reverse("scoring:criteriasheet-results", args=[sheet.pk])


@require_POST
def ranking_approve(request, pk):
    sheet = get_object_or_404(selectors.sheets_for_user(request.user), pk=pk)

    def approve():
        data = validated(
            ApproveForm(request.POST, sheet=sheet),
            _("Choose the year-end meeting that approved the ranking."),
        )
        return services.ranking_approve(sheet=sheet, meeting=data["meeting"], user=request.user)

    return workflow_action(
        request,
        obj=sheet,
        allowed=permissions.can_approve_criteriasheet(request.user, sheet),
        service=approve,
        success=_(
            "The ranking is approved and its scores are now frozen; staff can reopen it, "
            "giving the reason."
        ),
        redirect_to=_results_of(sheet),
    )


@require_POST
def ranking_reopen(request, pk):
    sheet = get_object_or_404(selectors.sheets_for_user(request.user), pk=pk)
    return workflow_action(
        request,
        obj=sheet,
        allowed=permissions.can_reopen_criteriasheet(request.user, sheet),
        service=lambda: services.ranking_reopen(
            sheet=sheet,
            user=request.user,
            **validated(ReasonForm(request.POST), _("Give the reason for reopening.")),
        ),
        success=_(
            "The approval was withdrawn; scoring is open again and the ranking must be "
            "approved again."
        ),
        redirect_to=_results_of(sheet),
    )


# --- Exports -----------------------------------------------------------------------------------


def _export_sheet(request, pk) -> CriteriaSheet:
    return get_object_or_404(selectors.sheets_for_user(request.user), pk=pk)


def _filename(sheet: CriteriaSheet, extension: str) -> str:
    return f"ket-qua-cham-diem-{sheet.cluster_year.year}-{sheet.pk}.{extension}"


def results_xlsx(request, pk):
    sheet = _export_sheet(request, pk)
    content = excel.build_results_workbook(
        selectors.attach_attainment(
            selectors.ranking_of(sheet), selectors.pledge_attainment(sheet.cluster_year)
        )
    )
    return file_response(content, filename=_filename(sheet, "xlsx"), kind="xlsx")


def results_pdf(request, pk):
    sheet = _export_sheet(request, pk)
    return file_response(
        render_results_pdf(sheet=sheet), filename=_filename(sheet, "pdf"), kind="pdf", inline=True
    )


def results_docx(request, pk):
    sheet = _export_sheet(request, pk)
    return file_response(
        render_results_docx(sheet=sheet), filename=_filename(sheet, "docx"), kind="docx"
    )
