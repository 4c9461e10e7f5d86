"""Progress periods of a pledge: the heat table, result grids and evidence files."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from clusters.selectors import members_of
from core.http import file_response
from core.views import ScopedMixin, ServiceFormView
from pledges import permissions, selectors, services
from pledges.forms import ExpectationsForm, GridForm, MemberResultsForm, PeriodForm
from pledges.views.grids import GridView
from pledges.views.pledge import PledgeMixin


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
        return services.results_save(
            period=self.period, cells=form.cells(), user=self.request.user, seen=form.seen()
        )

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
            seen=form.seen(),
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
            can_set_expectations=permissions.can_set_expectations(self.request.user, period),
        )
        return context


class ExpectationsView(ScopedMixin, ServiceFormView):
    """The share of each target's commitment expected by the end of a period."""

    selector = staticmethod(selectors.periods_for_user)
    permission = staticmethod(permissions.can_set_expectations)
    form_class = ExpectationsForm
    template_name = "pledges/targetexpectation_form.html"
    success_message = gettext_lazy("The expected shares of “%(object)s” were saved.")

    def dispatch(self, request, *args, **kwargs):
        self.period = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        targets = selectors.targets_with_shares(self.period)
        selectors.grouped(targets)
        return {"targets": targets}

    def save(self, form):
        services.expectations_save(period=self.period, shares=form.shares())
        return self.period

    def get_context_data(self, **kwargs):
        pledge = self.period.pledge
        return super().get_context_data(
            period=self.period,
            pledge=pledge,
            cluster_year=pledge.cluster_year,
            cluster=pledge.cluster_year.cluster,
            **kwargs,
        )


class PeriodCreateView(PledgeMixin, ServiceFormView):
    permission = staticmethod(permissions.can_create_period)
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
    return file_response(
        result.attachment.open("rb"),
        filename=result.attachment_name or result.attachment.name.rsplit("/", 1)[-1],
    )
