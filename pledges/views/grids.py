"""Spreadsheet-like pages of a pledge: commitments, title registrations, signatures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views import View

from clusters.selectors import members_of
from core.grids import StaleCells, rebased
from core.permissions import Frozen
from pledges import permissions, selectors, services
from pledges.forms import GridForm, RegistrationGridForm, SignatureGridForm
from pledges.models import Registration, Signature


class GridView(View):
    """A spreadsheet-like page: load, check, bind, save through one service, redirect.

    The service gets what the page showed (``form.seen()``); when someone else saved
    some of the same cells since, it saves nothing and the page comes back on the
    current values with the user's entries kept and the conflicts listed
    (``core.grids.rebased``).
    """

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
            except StaleCells as error:
                form = rebased(form, error, self.make_form)
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
    # What a signed pledge refuses (its commitments); registrations and signatures are
    # recorded after the signing too.
    frozen = staticmethod(permissions.frozen_pledge)

    def load(self, request, pk):
        self.pledge = get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)
        reason = type(self).frozen(request.user, self.pledge) if type(self).frozen else ""
        if reason:
            raise Frozen(reason)
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
            pledge=self.pledge, cells=form.cells(), user=self.request.user, seen=form.seen()
        )

    def context(self):
        return {**super().context(), "grid": self.grid}


class RegistrationGridView(PledgeGridView):
    template_name = "pledges/registration_grid.html"
    permission = staticmethod(permissions.can_record_registrations)
    frozen = None
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
            titles=selectors.registrable_titles(body_id=self.pledge.cluster_year.cluster.body_id),
            registrations=registrations,
        )

    def save(self, form):
        return services.registrations_save(
            pledge=self.pledge, rows=form.data_rows(), user=self.request.user, seen=form.seen()
        )


class SignatureGridView(PledgeGridView):
    template_name = "pledges/signature_grid.html"
    success_message = gettext_lazy("Saved: %(count)s signatures changed.")
    permission = staticmethod(permissions.can_record_signatures)
    frozen = None

    def make_form(self, data=None, files=None):
        signatures = {s.member_id: s for s in Signature.objects.filter(pledge=self.pledge)}
        return SignatureGridForm(
            data, members=list(members_of(self.pledge.cluster_year)), signatures=signatures
        )

    def save(self, form):
        return services.signatures_save(
            pledge=self.pledge, rows=form.data_rows(), user=self.request.user, seen=form.seen()
        )
