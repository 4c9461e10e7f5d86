"""Screens of the pledge: the pledge, targets, grids, Excel, documents, movements."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from clusters.permissions import can_change_clusteryear
from clusters.selectors import cluster_years_for_user, members_of
from core.views import (
    CreateServiceView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    UpdateServiceView,
)
from pledges import excel, permissions, selectors, services
from pledges.documents import render_pledge_docx, render_pledge_pdf
from pledges.filters import MovementFilter
from pledges.forms import (
    CopyTargetsForm,
    GridForm,
    ImportForm,
    MemberResultsForm,
    MovementForm,
    PeriodForm,
    PledgeForm,
    RegistrationGridForm,
    SignatureGridForm,
    SignForm,
    TargetFormSet,
)
from pledges.models import Pledge, Registration, Signature

# --- Movements ---------------------------------------------------------------------------


class MovementListView(ScopedListView):
    selector = staticmethod(selectors.movements_for_user)
    filterset_class = MovementFilter
    template_name = "pledges/movement_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("sort_key", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_movement(self.request.user)
        return context


class MovementCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_create_movement)
    form_class = MovementForm
    template_name = "pledges/movement_form.html"
    success_message = gettext_lazy("Movement “%(object)s” was saved.")

    def save(self, form):
        return services.movement_save(**form.cleaned_data)

    def get_success_url(self):
        return reverse("pledges:movement-list")


class MovementUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.movements_for_user)
    permission = staticmethod(permissions.can_change_movement)
    form_class = MovementForm
    template_name = "pledges/movement_form.html"
    success_message = gettext_lazy("Movement “%(object)s” was saved.")
    context_name = "movement"

    def save(self, form):
        return services.movement_save(movement=self.fresh(), **form.cleaned_data)

    def get_success_url(self):
        return reverse("pledges:movement-list")


# --- The pledge ------------------------------------------------------------------------------


class PledgeMixin(ScopedMixin):
    """Fetch the pledge of the URL through the scoped selector."""

    selector = staticmethod(selectors.pledges_for_user)

    def dispatch(self, request, *args, **kwargs):
        self.pledge = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            pledge=self.pledge,
            cluster_year=self.pledge.cluster_year,
            cluster=self.pledge.cluster_year.cluster,
        )
        return context


class PledgeCreateView(ScopedMixin, ServiceFormView):
    selector = staticmethod(cluster_years_for_user)
    permission = staticmethod(permissions.can_create_pledge)
    form_class = PledgeForm
    template_name = "pledges/pledge_form.html"
    success_message = gettext_lazy("The pledge was created with its mid-year and year-end periods.")

    def dispatch(self, request, *args, **kwargs):
        self.cluster_year = self.get_object()
        existing = Pledge.objects.filter(cluster_year=self.cluster_year).first()
        if existing is not None:
            return redirect(existing)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"signed_place": self.cluster_year.cluster.body.place}

    def get_extra_form_kwargs(self):
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster_year=self.cluster_year, cluster=self.cluster_year.cluster, **kwargs
        )

    def save(self, form):
        return services.pledge_create(cluster_year=self.cluster_year, **form.cleaned_data)


class PledgeUpdateView(PledgeMixin, ServiceFormView):
    permission = staticmethod(permissions.can_change_pledge)
    form_class = PledgeForm
    template_name = "pledges/pledge_form.html"
    success_message = gettext_lazy("The pledge was saved.")

    def get_extra_form_kwargs(self):
        return {"user": self.request.user, "instance": self.pledge}

    def save(self, form):
        pledge = selectors.pledges_for_user(self.request.user).get(pk=self.pledge.pk)
        return services.pledge_update(pledge=pledge, **form.cleaned_data)


class PledgeDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.pledges_for_user)
    template_name = "pledges/pledge_detail.html"
    context_object_name = "pledge"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("movements")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, pledge = self.request.user, self.object
        periods = list(pledge.periods.annotate(result_count=Count("results")))
        context.update(
            cluster_year=pledge.cluster_year,
            cluster=pledge.cluster_year.cluster,
            groups=selectors.grouped(selectors.targets_of(pledge)),
            summary=selectors.pledge_summary(pledge),
            periods=periods,
            can_change=permissions.can_change_pledge(user, pledge),
            can_sign=permissions.can_sign_pledge(user, pledge),
            can_reopen=permissions.can_reopen_pledge(user, pledge),
            can_enter=can_change_clusteryear(user, pledge.cluster_year),
            sign_form=SignForm(
                initial={
                    "signed_on": pledge.signed_on,
                    "signed_place": pledge.signed_place,
                }
            ),
            copy_form=CopyTargetsForm(user=user, pledge=pledge),
        )
        return context


@require_POST
def pledge_sign(request, pk):
    pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)
    if not permissions.can_sign_pledge(request.user, pledge):
        raise PermissionDenied
    form = SignForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(pledge)
    try:
        services.pledge_sign(pledge=pledge, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pledge is marked signed."))
    return redirect(pledge)


@require_POST
def pledge_reopen(request, pk):
    pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)
    if not permissions.can_reopen_pledge(request.user, pledge):
        raise PermissionDenied
    try:
        services.pledge_reopen(pledge=pledge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pledge is back to draft."))
    return redirect(pledge)


class TargetsView(PledgeMixin, View):
    """All targets of the pledge in one editable table."""

    permission = staticmethod(permissions.can_change_pledge)
    template_name = "pledges/targets_form.html"

    def extra_initial(self):
        """Empty rows numbered after the last target, so new rows land at the end."""
        last = self.pledge.targets.order_by("-order").values_list("order", flat=True).first() or 0
        return [{"order": last + 10 * step} for step in range(1, TargetFormSet.extra + 1)]

    def get(self, request, *args, **kwargs):
        return self.render(TargetFormSet(pledge=self.pledge, initial=self.extra_initial()))

    def post(self, request, *args, **kwargs):
        formset = TargetFormSet(request.POST, pledge=self.pledge, initial=self.extra_initial())
        if formset.is_valid():
            rows, deleted = [], []
            for form in formset.forms:
                if not form.has_changed() and not form.instance.pk:
                    continue
                if formset.can_delete and formset._should_delete_form(form):
                    if form.instance.pk:
                        deleted.append(form.instance)
                    continue
                rows.append({**form.cleaned_data, "target": form.instance})
            try:
                services.targets_save(pledge=self.pledge, rows=rows, delete=deleted)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("The targets were saved."))
                return redirect("pledges:pledge-targets", pk=self.pledge.pk)
        return self.render(formset)

    def render(self, formset):
        groups = sorted({form.initial.get("group", "") for form in formset.forms} - {""})
        return render(
            self.request,
            self.template_name,
            {
                "formset": formset,
                "pledge": self.pledge,
                "cluster_year": self.pledge.cluster_year,
                "cluster": self.pledge.cluster_year.cluster,
                "group_names": groups,
            },
        )


@require_POST
def pledge_copy_targets(request, pk):
    pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)
    if not permissions.can_change_pledge(request.user, pledge):
        raise PermissionDenied
    form = CopyTargetsForm(request.POST, user=request.user, pledge=pledge)
    if form.is_valid():
        try:
            copied = services.pledge_copy_targets(pledge=pledge, source=form.cleaned_data["source"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s targets were copied.") % {"count": len(copied)})
            return redirect("pledges:pledge-targets", pk=pledge.pk)
    else:
        messages.error(request, _("Choose the pledge to copy from."))
    return redirect(pledge)


# --- Grids ------------------------------------------------------------------------------------


class GridView(View):
    """A spreadsheet-like page: load, check, bind, save through one service, redirect."""

    template_name = ""
    success_message = ""

    def load(self, request, pk):
        raise NotImplementedError

    def make_form(self, data=None, files=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def context(self):
        return {}

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["pk"], **{k: v for k, v in kwargs.items() if k != "pk"})
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(self.make_form())

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                changed = self.save(form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, str(self.success_message) % {"count": changed})
                return redirect(request.path)
        return self.render(form, status=200)

    def render(self, form, status=200):
        return render(
            self.request, self.template_name, {"form": form, **self.context()}, status=status
        )


class PledgeGridView(GridView):
    permission = staticmethod(permissions.can_change_pledge)

    def load(self, request, pk):
        self.pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)
        if not type(self).permission(request.user, self.pledge):
            raise PermissionDenied

    def context(self):
        return {
            "pledge": self.pledge,
            "cluster_year": self.pledge.cluster_year,
            "cluster": self.pledge.cluster_year.cluster,
        }


class CommitmentGridView(PledgeGridView):
    template_name = "pledges/commitment_grid.html"
    success_message = gettext_lazy("Saved: %(count)s cells changed.")

    def make_form(self, data=None, files=None):
        self.grid = selectors.commitment_grid(self.pledge)
        return GridForm(data, grid=self.grid)

    def save(self, form):
        return services.commitments_save(
            pledge=self.pledge, cells=form.cells(), user=self.request.user
        )

    def context(self):
        return {**super().context(), "grid": self.grid}


class RegistrationGridView(PledgeGridView):
    template_name = "pledges/registration_grid.html"
    success_message = gettext_lazy("Saved: %(count)s registrations changed.")

    def make_form(self, data=None, files=None):
        self.members = list(members_of(self.pledge.cluster_year))
        registrations = {
            r.member_id: r
            for r in Registration.objects.filter(pledge=self.pledge)
            .select_related("updated_by")
            .prefetch_related("titles")
        }
        return RegistrationGridForm(
            data,
            members=self.members,
            titles=selectors.registrable_titles(),
            registrations=registrations,
        )

    def save(self, form):
        return services.registrations_save(
            pledge=self.pledge, rows=form.data_rows(), user=self.request.user
        )


class SignatureGridView(PledgeGridView):
    template_name = "pledges/signature_grid.html"
    success_message = gettext_lazy("Saved: %(count)s signatures changed.")
    permission = staticmethod(
        lambda user, pledge: can_change_clusteryear(user, pledge.cluster_year)
    )

    def make_form(self, data=None, files=None):
        signatures = {s.member_id: s for s in Signature.objects.filter(pledge=self.pledge)}
        return SignatureGridForm(
            data, members=list(members_of(self.pledge.cluster_year)), signatures=signatures
        )

    def save(self, form):
        return services.signatures_save(
            pledge=self.pledge, rows=form.data_rows(), user=self.request.user
        )


class PeriodMixin:
    def load_period(self, request, pk):
        self.period = get_object_or_404(selectors.periods_for_user(request.user), pk=pk)
        self.pledge = self.period.pledge

    def period_context(self):
        return {
            "period": self.period,
            "pledge": self.pledge,
            "cluster_year": self.pledge.cluster_year,
            "cluster": self.pledge.cluster_year.cluster,
        }


class ResultGridView(PeriodMixin, GridView):
    template_name = "pledges/result_grid.html"
    success_message = gettext_lazy("Saved: %(count)s cells changed.")

    def load(self, request, pk):
        self.load_period(request, pk)
        if not permissions.can_enter_results(request.user, self.period):
            raise PermissionDenied

    def make_form(self, data=None, files=None):
        self.grid = selectors.result_grid(self.period)
        return GridForm(data, grid=self.grid)

    def save(self, form):
        return services.results_save(period=self.period, cells=form.cells(), user=self.request.user)

    def context(self):
        return {**self.period_context(), "grid": self.grid}


class MemberResultsView(PeriodMixin, GridView):
    template_name = "pledges/member_results.html"
    success_message = gettext_lazy("Saved: %(count)s targets changed.")

    def load(self, request, pk, member_pk):
        self.load_period(request, pk)
        if not permissions.can_enter_results(request.user, self.period):
            raise PermissionDenied
        self.member = get_object_or_404(members_of(self.pledge.cluster_year), pk=member_pk)

    def make_form(self, data=None, files=None):
        self.grid = selectors.result_grid(self.period)
        return MemberResultsForm(data, files, grid=self.grid, member=self.member)

    def save(self, form):
        return services.results_save_member(
            period=self.period,
            member=self.member,
            rows=form.evidence_rows(),
            user=self.request.user,
        )

    def context(self):
        return {**self.period_context(), "member": self.member, "members": self.grid.members}


class PeriodDetailView(ScopedMixin, DetailView):
    """The progress heat table of one period."""

    selector = staticmethod(selectors.periods_for_user)
    template_name = "pledges/period_detail.html"
    context_object_name = "period"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.object
        context.update(
            pledge=period.pledge,
            cluster_year=period.pledge.cluster_year,
            cluster=period.pledge.cluster_year.cluster,
            table=selectors.progress_table(period),
            can_enter=permissions.can_enter_results(self.request.user, period),
        )
        return context


class PeriodCreateView(PledgeMixin, ServiceFormView):
    permission = staticmethod(
        lambda user, pledge: can_change_clusteryear(user, pledge.cluster_year)
    )
    form_class = PeriodForm
    template_name = "pledges/period_form.html"
    success_message = gettext_lazy("Period “%(object)s” was added.")

    def save(self, form):
        return services.period_create(pledge=self.pledge, **form.cleaned_data)


def result_attachment(request, pk):
    """Evidence files are served only to those who may see the result."""
    result = get_object_or_404(selectors.results_for_user(request.user), pk=pk)
    if not result.attachment:
        raise Http404
    return FileResponse(
        result.attachment.open("rb"),
        as_attachment=True,
        filename=result.attachment_name or result.attachment.name.rsplit("/", 1)[-1],
    )


# --- Excel ------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "pledge-import"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
        return _xlsx_response(content, self.filename)


class ExcelImportView(View):
    """Upload → preview with every problem or change → confirm → saved all at once."""

    template_name = "pledges/import.html"

    def dispatch(self, request, *args, **kwargs):
        self.target(request, kwargs["pk"])
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
                "cells": [
                    [t, m, None if c.value is None else str(c.value), c.text]
                    for (t, m), c in result.cells.items()
                ],
            }
        return self.render(ImportForm(), result=result)

    def confirm(self, request):
        stored = request.session.pop(SESSION_KEY, None)
        meta = {key: str(value) for key, value in self.meta.items()}
        if not stored or stored.get("kind") != self.kind or stored.get("meta") != meta:
            messages.error(request, _("The preview expired; upload the file again."))
            return redirect(request.path)
        cells = {
            (t, m): services.Cell(None if v is None else Decimal(v), text)
            for t, m, v, text in stored["cells"]
        }
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


# --- Documents ---------------------------------------------------------------------------------


def _document_pledge(request, pk) -> Pledge:
    return get_object_or_404(
        selectors.pledges_for_user(request.user).prefetch_related("movements"), pk=pk
    )


def pledge_pdf(request, pk):
    pledge = _document_pledge(request, pk)
    response = HttpResponse(render_pledge_pdf(pledge=pledge), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="giao-uoc-{pledge.cluster_year.year}-{pledge.pk}.pdf"'
    )
    return response


def pledge_docx(request, pk):
    pledge = _document_pledge(request, pk)
    response = HttpResponse(
        render_pledge_docx(pledge=pledge),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="giao-uoc-{pledge.cluster_year.year}-{pledge.pk}.docx"'
    )
    return response
