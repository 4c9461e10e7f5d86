"""Screens of the base app: units, clusters, cluster years and accounts.

Each view fetches through a scoped selector (another cluster's object is a 404),
checks a named permission, binds a form, calls one service and redirects with a
message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from clusters import permissions, selectors, services
from clusters.filters import ClusterFilter, ClusterYearFilter, PersonFilter, UnitFilter
from clusters.forms import (
    AccountForm,
    ClusterForm,
    ClusterYearForm,
    PersonForm,
    UnitForm,
    UnitSuccessionForm,
)
from clusters.models import VoteRule
from clusters.signals import collect_person_sections, collect_unit_sections, collect_year_sections
from core.views import (
    CreateServiceView,
    KeysetListMixin,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    UpdateServiceView,
    workflow_action,
)

# --- Units -------------------------------------------------------------------------


class UnitListView(ScopedListView):
    selector = staticmethod(selectors.units_for_user)
    filterset_class = UnitFilter
    template_name = "clusters/unit_list.html"
    ordering = ("sort_key", "pk")

    def get_queryset(self):
        return super().get_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_unit(self.request.user)
        return context


class UnitDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.units_for_user)
    template_name = "clusters/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return super().get_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context.update(
            memberships=list(selectors.memberships_of(unit, user=self.request.user)),
            predecessors=selectors.predecessor_chain(unit),
            successors=selectors.successor_chain(unit),
            children=list(unit.children.order_by("sort_key", "pk")),
            can_change=permissions.can_change_unit(self.request.user, unit),
            sections=collect_unit_sections(self.request, unit),
        )
        return context


class UnitCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_create_unit)
    form_class = UnitForm
    template_name = "clusters/unit_form.html"
    success_message = gettext_lazy("Unit “%(object)s” was added.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.unit_create(body=data.pop("body"), **data)


class UnitUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.units_for_user)
    permission = staticmethod(permissions.can_change_unit)
    form_class = UnitForm
    template_name = "clusters/unit_form.html"
    success_message = gettext_lazy("Unit “%(object)s” was saved.")
    context_name = "unit"

    def save(self, form):
        return services.unit_update(unit=self.fresh(), **form.cleaned_data)


class UnitSuccessionCreateView(ScopedMixin, ServiceFormView):
    selector = staticmethod(selectors.units_for_user)
    permission = staticmethod(permissions.can_change_unit)
    form_class = UnitSuccessionForm
    template_name = "clusters/unitsuccession_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.unit = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"user": self.request.user, "predecessor": self.unit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)

    def save(self, form):
        link = services.unit_succession_add(predecessor=self.unit, **form.cleaned_data)
        messages.success(
            self.request,
            _("Recorded: %(successor)s carries on %(predecessor)s.")
            % {"successor": link.successor.name, "predecessor": self.unit.name},
        )
        return self.unit


@require_POST
def unit_succession_delete(request, pk):
    link = get_object_or_404(selectors.successions_for_user(request.user), pk=pk)
    return workflow_action(
        request,
        obj=link.predecessor,
        allowed=permissions.can_change_unit(request.user, link.predecessor),
        service=lambda: services.unit_succession_remove(succession=link),
        success=_("Removed the succession %(predecessor)s → %(successor)s.")
        % {"predecessor": link.predecessor.name, "successor": link.successor.name},
    )


# --- Clusters ----------------------------------------------------------------------


class ClusterListView(ScopedListView):
    selector = staticmethod(selectors.clusters_for_user)
    filterset_class = ClusterFilter
    template_name = "clusters/cluster_list.html"
    ordering = ("sort_key", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_cluster(self.request.user)
        return context


class ClusterDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.clusters_for_user)
    template_name = "clusters/cluster_detail.html"
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        years = list(selectors.years_of_cluster(self.object))
        for cluster_year in years:
            cluster_year.cluster = self.object
            cluster_year.head, cluster_year.deputy = selectors.leaders_of(cluster_year)
        context.update(
            years=years,
            can_change=permissions.can_change_cluster(user, self.object),
            can_add_year=permissions.can_create_clusteryear(user, self.object),
        )
        return context


class ClusterCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_create_cluster)
    form_class = ClusterForm
    template_name = "clusters/cluster_form.html"
    success_message = gettext_lazy("Cluster “%(object)s” was created.")

    def save(self, form):
        return services.cluster_create(**form.cleaned_data)


class ClusterUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.clusters_for_user)
    permission = staticmethod(permissions.can_change_cluster)
    form_class = ClusterForm
    template_name = "clusters/cluster_form.html"
    success_message = gettext_lazy("Cluster “%(object)s” was saved.")
    context_name = "cluster"

    def save(self, form):
        return services.cluster_update(cluster=self.fresh(), **form.cleaned_data)


# --- Cluster years -----------------------------------------------------------------


class ClusterYearListView(ScopedListView):
    selector = staticmethod(selectors.cluster_years_for_user)
    filterset_class = ClusterYearFilter
    template_name = "clusters/clusteryear_list.html"
    ordering = ("-year", "cluster__sort_key", "pk")

    def get_queryset(self):
        # Only what a row shows (``cluster_year_rows``): a cluster's row is wide.
        return selectors.with_leaders(super().get_queryset()).only(
            "year", "cluster__name", "cluster__body__name"
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["years"] = selectors.years_for_user_choices(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for cluster_year in context["object_list"]:
            cluster_year.head, cluster_year.deputy = selectors.leaders_of(cluster_year)
        return context


class ClusterYearDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.cluster_years_for_user)
    template_name = "clusters/clusteryear_detail.html"
    context_object_name = "cluster_year"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("next_head", "next_deputy")
            .prefetch_related("secretaries")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, cluster_year = self.request.user, self.object
        next_members = services.load_members_with_next_year(cluster_year)
        members = selectors.member_list(cluster_year)
        head, deputy = selectors.leaders_in(members)
        context.update(
            cluster=cluster_year.cluster,
            members=members,
            head=head,
            deputy=deputy,
            can_change=permissions.can_change_clusteryear(user, cluster_year),
            can_roll_over=permissions.can_roll_over_clusteryear(user, cluster_year),
        )
        context.update(elected_context(user, cluster_year, next_members=next_members))
        # A section whose context says ``"slot": "elected"`` (the votes that elected next
        # year's head and deputy) belongs in the "Elected for next year" block.
        sections = collect_year_sections(self.request, cluster_year)
        context["sections"] = [s for s in sections if s.context.get("slot") != ELECTED_SLOT]
        context["elected_sections"] = [s for s in sections if s.context.get("slot") == ELECTED_SLOT]
        return context


class ClusterYearCreateView(ScopedMixin, ServiceFormView):
    selector = staticmethod(selectors.clusters_for_user)
    permission = staticmethod(permissions.can_create_clusteryear)
    form_class = ClusterYearForm
    template_name = "clusters/clusteryear_form.html"
    success_message = gettext_lazy("Year %(object)s was created.")

    def dispatch(self, request, *args, **kwargs):
        self.cluster = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        latest = self.cluster.years.order_by("-year").first()
        return {"year": latest.year + 1 if latest else None}

    def get_extra_form_kwargs(self):
        return {"cluster": self.cluster}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cluster=self.cluster, **kwargs)

    def save(self, form):
        return services.cluster_year_create(cluster=self.cluster, **form.cleaned_data)


class ClusterYearUpdateView(ScopedMixin, ServiceFormView):
    selector = staticmethod(selectors.cluster_years_for_user)
    permission = staticmethod(permissions.can_change_clusteryear)
    form_class = ClusterYearForm
    template_name = "clusters/clusteryear_form.html"
    success_message = gettext_lazy("Year %(object)s was saved.")

    def dispatch(self, request, *args, **kwargs):
        self.cluster_year = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        members = list(selectors.members_of(self.cluster_year))
        head, deputy = selectors.leaders_in(members)
        return {
            "members": [m.unit for m in members],
            "head": head,
            "deputy": deputy,
            "secretaries": list(self.cluster_year.secretaries.all()),
            "next_head": self.cluster_year.next_head,
            "next_deputy": self.cluster_year.next_deputy,
            "note": self.cluster_year.note,
        }

    def get_extra_form_kwargs(self):
        return {
            "cluster": self.cluster_year.cluster,
            "cluster_year": self.cluster_year,
            "assign_secretaries": permissions.can_assign_secretaries(
                self.request.user, self.cluster_year
            ),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster=self.cluster_year.cluster, cluster_year=self.cluster_year, **kwargs
        )

    def save(self, form):
        data = dict(form.cleaned_data)
        data.setdefault("secretaries", list(self.cluster_year.secretaries.all()))
        return services.cluster_year_update(cluster_year=self.cluster_year, **data)


@require_POST
def clusteryear_roll_over(request, pk):
    cluster_year = get_object_or_404(selectors.cluster_years_for_user(request.user), pk=pk)
    return workflow_action(
        request,
        obj=cluster_year,
        allowed=permissions.can_roll_over_clusteryear(request.user, cluster_year),
        service=lambda: services.cluster_year_roll_over(cluster_year=cluster_year),
        success=lambda result: _roll_over_report(request, result, previous=cluster_year),
        success_url=lambda result: result.cluster_year,
    )


def _roll_over_report(request, result, *, previous) -> None:
    """The summary first, then what could not be copied as it was."""
    new_year = result.cluster_year
    messages.success(
        request,
        _("Year %(year)s was created with %(count)s members copied from %(previous)s.")
        % {"year": new_year.year, "count": new_year.members.count(), "previous": previous.year},
    )
    for old, heirs in result.replaced:
        messages.info(
            request,
            _("%(old)s no longer exists in %(year)s; replaced by %(heirs)s.")
            % {"old": old.name, "year": new_year.year, "heirs": ", ".join(h.name for h in heirs)},
        )
    if result.dropped:
        messages.warning(
            request,
            _("Not copied (inactive in %(year)s, no successor): %(units)s.")
            % {"year": new_year.year, "units": ", ".join(u.name for u in result.dropped)},
        )
    if result.leaders_missing:
        messages.warning(
            request,
            _(
                "The head or deputy for %(year)s is not known yet: choose them and assign "
                "the secretaries."
            )
            % {"year": new_year.year},
        )


# --- People ------------------------------------------------------------------------


class PersonListView(ScopedListView):
    selector = staticmethod(selectors.people_for_user)
    filterset_class = PersonFilter
    template_name = "clusters/person_list.html"
    ordering = ("sort_key", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_person(self.request.user)
        return context


class PersonDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.people_for_user)
    template_name = "clusters/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_change=permissions.can_change_person(self.request.user, self.object),
            sections=collect_person_sections(self.request, self.object),
        )
        return context


class PersonCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_create_person)
    form_class = PersonForm
    template_name = "clusters/person_form.html"
    success_message = gettext_lazy("“%(object)s” was added to the register.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.person_save(body=data.pop("body"), **data)


class PersonUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.people_for_user)
    permission = staticmethod(permissions.can_change_person)
    form_class = PersonForm
    template_name = "clusters/person_form.html"
    success_message = gettext_lazy("“%(object)s” was saved.")
    context_name = "person"

    def save(self, form):
        return services.person_save(person=self.fresh(), **form.cleaned_data)


# --- Accounts ----------------------------------------------------------------------


class AccountListView(KeysetListMixin, ListView):
    template_name = "clusters/account_list.html"
    ordering = ("body__name", "user__username", "pk")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_manage_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.accounts_for_user(self.request.user)


class AccountCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_manage_accounts)
    form_class = AccountForm
    template_name = "clusters/account_form.html"

    def save(self, form):
        data = form.cleaned_data
        user = services.account_create(
            body=data["body"],
            kind=data["kind"],
            username=data["username"],
            password=data["password1"],
            full_name=data["full_name"],
            email=data["email"],
            position=data["position"],
        )
        messages.success(
            self.request,
            _("Account %(username)s was created. Give the user the password in person.")
            % {"username": user.get_username()},
        )
        return user

    def get_success_url(self):
        return reverse("clusters:account-list")


class RuleSetListView(ListView):
    """The rule sets in force for the user's bodies and the nation, with their vote
    rules: what the votes are counted by. Few rows, so one page."""

    template_name = "clusters/ruleset_list.html"
    context_object_name = "rule_sets"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_view_rule_sets(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.rule_sets_for_user(self.request.user).prefetch_related(
            Prefetch(
                "vote_rules",
                queryset=VoteRule.objects.select_related("award_type").order_by(
                    "purpose", "award_type__name", "pk"
                ),
            )
        )


def record_history(selector, label: str):
    """A page with the history of one record of ``label`` (e.g. "pledges.pledge") — who
    changed what, when, old → new — for anyone ``selector(user)`` lets read the record;
    another's record is a 404. Each app routes it beside its record's page."""
    from clusters.audit import audited, entries

    def view(request, pk):
        entry = audited(label)
        record = get_object_or_404(selector(request.user), pk=pk)
        rows = entry.history.objects.filter(id=record.pk)
        rows = rows.order_by("-history_date", "-history_id")[:200]
        return render(
            request,
            "clusters/record_history.html",
            {
                "record": record,
                "audited": entry,
                "entries": entries([(entry, row) for row in rows]),
            },
        )

    return view


# --- Next year's elected head and deputy ------------------------------------------


ELECTED_SLOT = "elected"


def elected_context(user, cluster_year, *, next_members=None) -> dict:
    """What the "elected for next year" status needs (``clusters/includes/
    _elected_status.html``): the election against next year, and what the user may do.
    ``cluster_year`` has its ``next_head`` and ``next_deputy`` selected."""
    elected = services.elected_leaders(cluster_year, next_members=next_members)
    return {
        "elected": elected,
        "can_take_elected": elected.next_year is not None
        and permissions.can_change_clusteryear(user, elected.next_year),
        "can_roll_over": permissions.can_roll_over_clusteryear(user, cluster_year),
    }


def clusteryear_take_elected(request, pk):
    """Next year's head and deputy become the units elected at this year's year-end
    meeting: GET shows what changes ("the head of 2023 is now X; it will become Y"),
    POST makes the change. Who may change next year may do it."""
    cluster_year = get_object_or_404(
        selectors.cluster_years_for_user(request.user).select_related("next_head", "next_deputy"),
        pk=pk,
    )
    context = elected_context(request.user, cluster_year)
    elected = context["elected"]
    allowed = permissions.can_change_clusteryear(request.user, elected.next_year or cluster_year)
    if request.method == "POST":
        return workflow_action(
            request,
            obj=cluster_year,
            allowed=allowed,
            service=lambda: services.cluster_year_take_elected(cluster_year=cluster_year),
            success=lambda next_year: (
                _("Year %(year)s now records the units elected.") % {"year": next_year.year}
            ),
            success_url=lambda next_year: next_year,
        )
    if not allowed:
        raise PermissionDenied
    return render(
        request,
        "clusters/clusteryear_take_elected.html",
        {"cluster_year": cluster_year, "cluster": cluster_year.cluster, **context},
    )
