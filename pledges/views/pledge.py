"""The pledge itself: create, edit, read, sign and reopen it; its targets."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from clusters.permissions import can_change_clusteryear
from clusters.selectors import cluster_years_for_user
from core.forms import ReasonForm
from core.grids import StaleCells, rebased
from core.views import (
    FormsetServiceView,
    ScopedMixin,
    ServiceFormView,
    validated,
    workflow_action,
)
from pledges import permissions, selectors, services
from pledges.forms import CopyTargetsForm, PledgeForm, SignForm, TargetFormSet
from pledges.models import Pledge


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
    frozen = staticmethod(permissions.frozen_pledge)
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
        return super().get_queryset().prefetch_related(selectors.movements_in_order())

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
            frozen=permissions.frozen_pledge(user, pledge),
            reopenings=selectors.reopenings_of(pledge),
            reopen_form=ReasonForm(),
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
    return workflow_action(
        request,
        obj=pledge,
        allowed=permissions.can_sign_pledge(request.user, pledge),
        service=lambda: services.pledge_sign(pledge=pledge, **validated(SignForm(request.POST))),
        success=_("The pledge is marked signed."),
    )


@require_POST
def pledge_reopen(request, pk):
    pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)
    return workflow_action(
        request,
        obj=pledge,
        allowed=permissions.can_reopen_pledge(request.user, pledge),
        service=lambda: services.pledge_reopen(
            pledge=pledge,
            user=request.user,
            **validated(ReasonForm(request.POST), _("Give the reason for reopening.")),
        ),
        success=_("The pledge is back to draft: correct it, then mark it signed again."),
    )


class TargetsView(PledgeMixin, FormsetServiceView):
    """All targets of the pledge in one editable table.

    Guarded like the grids (``core.grids``): a field someone else changed since the page
    was loaded keeps the newer value unless this user changed it too, which saves
    nothing and shows both values.
    """

    permission = staticmethod(permissions.can_change_pledge)
    frozen = staticmethod(permissions.frozen_pledge)
    template_name = "pledges/targets_form.html"
    formset_class = TargetFormSet
    success_message = gettext_lazy("The targets were saved.")

    def extra_initial(self):
        """Empty rows numbered after the last target, so new rows land at the end."""
        last = self.pledge.targets.order_by("-order").values_list("order", flat=True).first() or 0
        return [{"order": last + 10 * step} for step in range(1, TargetFormSet.extra + 1)]

    def get_formset_kwargs(self):
        return {"pledge": self.pledge, "initial": self.extra_initial()}

    def row(self, form):
        return {**form.cleaned_data, "target": form.instance}

    def save(self, rows, deleted):
        services.targets_save(
            pledge=self.pledge,
            rows=rows,
            delete=[form.instance for form in deleted],
            seen=self.formset.seen(),
        )

    def service_error(self, formset, error):
        if isinstance(error, StaleCells):
            return rebased(formset, error, lambda data, files: self.get_formset(data))
        return super().service_error(formset, error)

    def get_context_data(self, **kwargs):
        forms = kwargs["formset"].forms
        groups = sorted({form.initial.get("group", "") for form in forms} - {""})
        return super().get_context_data(group_names=groups, **kwargs)


@require_POST
def pledge_copy_targets(request, pk):
    pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)

    def copy():
        form = CopyTargetsForm(request.POST, user=request.user, pledge=pledge)
        source = validated(form, _("Choose the pledge to copy from."))["source"]
        return services.pledge_copy_targets(pledge=pledge, source=source)

    return workflow_action(
        request,
        obj=pledge,
        allowed=permissions.can_change_pledge(request.user, pledge),
        frozen=permissions.frozen_pledge(request.user, pledge),
        service=copy,
        success=lambda copied: _("%(count)s targets were copied.") % {"count": len(copied)},
        success_url=reverse("pledges:pledge-targets", args=[pledge.pk]),
    )
