"""The awards pages: the list with its bulk actions, a proposal's page with its checks
and steps, the proposal form, the chain's answers, the inboxes and the decisions
register. Each fetches through a scoped selector first, so another body's or cluster's
award is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from awards import compliance, permissions, selectors, services
from awards.filters import AwardFilter, DecisionFilter, InboxFilter
from awards.forms import (
    AcceptForm,
    AwardForm,
    DecideForm,
    DecisionForm,
    OverrideForm,
    PresentForm,
    ReasonForm,
    SubmitForm,
)
from awards.models import Award
from clusters.models import CHAIN_STAGES, Chain, OrganizingBody, Stage
from clusters.selectors import cluster_years_for_user, staff_bodies_for_user, user_scope
from core.views import (
    KeysetListMixin,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    validated,
    workflow_action,
)
from meetings.selectors import meetings_for_user

Status = Award.Status


def _award(request, pk) -> Award:
    return selectors.award_or_404(request.user, pk)


# --- The list and its bulk actions -----------------------------------------------------


class AwardListView(ScopedListView):
    selector = staticmethod(selectors.awards_tabled)
    filterset_class = AwardFilter
    template_name = "awards/award_list.html"
    ordering = ("-year", "sort_key", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            can_create=permissions.can_create_award(user),
            can_create_decision=permissions.can_create_decision(user),
            inbox_total=_inbox_total(user),
        )
        return context


def _inbox_total(user) -> int | None:
    """How many awards wait for the user's levels; ``None`` when they act at none."""
    counts = selectors.inbox_counts(user)
    return sum(counts.values()) if counts else None


def _chosen(request) -> list[Award]:
    """The awards ticked on a list, each one the user may see (else 404)."""
    ids = request.POST.getlist("awards") or request.GET.getlist("awards")
    try:
        ids = sorted({int(pk) for pk in ids})
    except ValueError:
        raise ValidationError(_("The choice of awards is not valid.")) from None
    if not ids:
        raise ValidationError(_("Tick at least one award in the list first."))
    found = {a.pk: a for a in selectors.awards_for_user(request.user).filter(pk__in=ids)}
    if len(found) != len(ids):
        from django.http import Http404

        raise Http404
    return [found[pk] for pk in ids]


def _back(request) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    return (
        back if back.startswith("/") and not back.startswith("//") else reverse("awards:award-list")
    )


@require_POST
def award_bulk(request):
    """Submit the ticked proposals as one batch, or go on to record their decision or
    their presentation."""
    action = request.POST.get("action")
    try:
        awards = _chosen(request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_back(request))
    ids = "&".join(f"awards={a.pk}" for a in awards)
    if action == "decide":
        return redirect(f"{reverse('awards:award-decide')}?{ids}&next={_back(request)}")
    if action == "present":
        return redirect(f"{reverse('awards:award-present')}?{ids}&next={_back(request)}")
    if action == "accept":
        return _bulk_accept(request, awards)
    if action != "submit":
        messages.error(request, _("Choose what to do with the ticked awards."))
        return redirect(_back(request))
    if not all(permissions.can_submit_award(request.user, a) for a in awards):
        raise PermissionDenied
    form = SubmitForm(request.POST)
    try:
        batch = services.award_submit(awards=awards, by=request.user, **validated(form))
    except ValidationError as error:
        messages.error(request, _("Nothing was sent:"))
        for message in error.messages:
            messages.error(request, message)
        return redirect(_back(request))
    count = batch.awards.count()
    messages.success(
        request,
        ngettext("%(count)s proposal was sent up.", "%(count)s proposals were sent up.", count)
        % {"count": count},
    )
    return redirect(_back(request))


def _bulk_accept(request, awards):
    if not all(permissions.can_act_on_award(request.user, a) for a in awards):
        raise PermissionDenied
    try:
        with transaction.atomic():
            for award in awards:
                services.award_accept(award=award, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_back(request))
    messages.success(
        request,
        ngettext(
            "%(count)s proposal was accepted and sent up.",
            "%(count)s proposals were accepted and sent up.",
            len(awards),
        )
        % {"count": len(awards)},
    )
    return redirect(_back(request))


def award_decide(request):
    """Record one decision for the ticked awards: a new one, or one already registered."""
    try:
        awards = _chosen(request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_back(request))
    if not all(permissions.can_decide_award(request.user, a) for a in awards):
        raise PermissionDenied
    body = awards[0].body
    if any(a.body_id != body.pk for a in awards):
        messages.error(request, _("Proposals of different bodies are decided separately."))
        return redirect(_back(request))
    decisions = selectors.decisions_for_user(request.user).filter(body=body)
    choose = DecideForm(request.POST or None, decisions=decisions, prefix="existing")
    form = DecisionForm(
        request.POST or None,
        request.FILES or None,
        body=body,
        initial={"authority": awards[0].award_type.decided_by},
    )
    if request.method == "POST":
        existing = choose.is_valid() and choose.cleaned_data.get("decision")
        try:
            with transaction.atomic():
                if existing:
                    decision = existing
                elif form.is_valid():
                    decision = services.decision_save(
                        by=request.user, body=body, **form.cleaned_data
                    )
                else:
                    raise ValidationError(_("Fill in the decision, or choose an existing one."))
                services.award_decide(awards=awards, decision=decision, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(decision)s was recorded for %(count)s award.",
                    "%(decision)s was recorded for %(count)s awards.",
                    len(awards),
                )
                % {"decision": decision.label, "count": len(awards)},
            )
            return redirect(decision)
    return render(
        request,
        "awards/award_decide.html",
        {"awards": awards, "form": form, "choose": choose, "next": _back(request)},
    )


def award_present(request):
    """The ticked decided awards were handed over, at a meeting or not."""
    try:
        awards = _chosen(request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_back(request))
    if not all(permissions.can_present_award(request.user, a) for a in awards):
        raise PermissionDenied
    years = {a.cluster_year_id for a in awards if a.cluster_year_id}
    meetings = meetings_for_user(request.user).filter(cluster_year_id__in=years)
    form = PresentForm(request.POST or None, meetings=meetings.order_by("-starts_at"))
    if request.method == "POST" and form.is_valid():
        try:
            services.award_present(awards=awards, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The presentation was recorded."))
            return redirect(_back(request))
    return render(
        request,
        "awards/award_present.html",
        {"awards": awards, "form": form, "next": _back(request)},
    )


# --- One award -------------------------------------------------------------------------


class AwardDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.awards_for_user)
    template_name = "awards/award_detail.html"
    context_object_name = "award"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, award = self.request.user, self.object
        checks = compliance.check_award(award) if award.is_open else []
        stages = services.chain_of(award)
        context.update(
            checks=checks,
            blocking=compliance.blocking(checks),
            rule=award.rule or compliance.rule_for(award),
            stages=[(stage, Stage(stage).label) for stage in stages],
            stage_index=stages.index(award.stage) if award.stage in stages else 0,
            steps=selectors.steps_of(award),
            overrides=list(award.overrides.select_related("by")),
            can_change=permissions.can_change_award(user, award),
            can_submit=permissions.can_submit_award(user, award),
            can_act=permissions.can_act_on_award(user, award),
            can_decide=permissions.can_decide_award(user, award),
            can_present=permissions.can_present_award(user, award),
            can_override=permissions.can_override_award(user, award),
            at_council=award.stage == Stage.COUNCIL,
            accept_form=AcceptForm(),
            reason_form=ReasonForm(),
            submit_form=SubmitForm(),
        )
        return context


class AwardCreateView(ServiceFormView):
    """A proposal, for a cluster year (``?cluster_year=``) or a body's register."""

    template_name = "awards/award_form.html"
    form_class = AwardForm
    success_message = gettext_lazy("The proposal “%(object)s” was recorded.")

    def dispatch(self, request, *args, **kwargs):
        self.cluster_year = None
        raw = request.GET.get("cluster_year")
        if raw:
            self.cluster_year = get_object_or_404(
                cluster_years_for_user(request.user).select_related("cluster__body"),
                pk=raw if raw.isdigit() else 0,
            )
            self.body = self.cluster_year.cluster.body
        else:
            bodies = staff_bodies_for_user(request.user)
            raw_body = request.GET.get("body")
            self.body = (
                get_object_or_404(bodies, pk=raw_body if raw_body.isdigit() else 0)
                if raw_body
                else bodies.order_by("pk").first()
            )
            if self.body is None:
                raise PermissionDenied
        if not permissions.can_create_award(request.user, self.cluster_year) or (
            self.cluster_year is None
            and not user_scope(request.user).is_superuser
            and self.body.pk not in user_scope(request.user).staff_body_ids
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"user": self.request.user, "body": self.body, "cluster_year": self.cluster_year}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster_year=self.cluster_year,
            cluster=self.cluster_year.cluster if self.cluster_year else None,
            body=self.body,
            **kwargs,
        )

    def save(self, form):
        data = form.service_kwargs()
        year = self.cluster_year.year if self.cluster_year else form.cleaned_data["year"]
        return services.award_propose(
            by=self.request.user,
            body=self.body,
            year=year,
            cluster_year=self.cluster_year,
            **data,
        )


class AwardUpdateView(ScopedMixin, ServiceFormView):
    template_name = "awards/award_form.html"
    form_class = AwardForm
    selector = staticmethod(selectors.awards_for_user)
    permission = staticmethod(permissions.can_change_award)
    success_message = gettext_lazy("The proposal “%(object)s” was saved.")

    def dispatch(self, request, *args, **kwargs):
        self.award = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {
            "user": self.request.user,
            "body": self.award.body,
            "cluster_year": self.award.cluster_year,
            "instance": Award.objects.get(pk=self.award.pk),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            award=self.award,
            cluster_year=self.award.cluster_year,
            cluster=self.award.cluster_year.cluster if self.award.cluster_year else None,
            body=self.award.body,
            **kwargs,
        )

    def save(self, form):
        return services.award_update(
            award=self.award, by=self.request.user, **form.service_kwargs()
        )


@require_POST
def award_submit(request, pk):
    award = _award(request, pk)
    return workflow_action(
        request,
        obj=award,
        allowed=permissions.can_submit_award(request.user, award),
        service=lambda: services.award_submit(
            awards=[award], by=request.user, **validated(SubmitForm(request.POST))
        ),
        success=_("The proposal was sent up."),
    )


def _answer(*, form_class, allowed, service, success, missing=None):
    """A button on an award's page that answers it with a form (accept, return, reject,
    accept a warning): the award fetched through the scoped selector, the permission
    ``allowed(user, award)``, then ``service(award=…, by=…, **the form's data)``; a form
    that is not valid says ``missing`` (what to write) or its own errors."""

    @require_POST
    def view(request, pk):
        award = _award(request, pk)
        form = form_class(request.POST)
        return workflow_action(
            request,
            obj=award,
            allowed=allowed(request.user, award),
            service=lambda: service(award=award, by=request.user, **validated(form, missing)),
            success=success,
        )

    return view


award_accept = _answer(
    form_class=AcceptForm,
    allowed=permissions.can_act_on_award,
    service=services.award_accept,
    success=lambda result: (
        _("Accepted: the proposal now waits at %(stage)s.") % {"stage": result.get_stage_display()}
    ),
)
award_return = _answer(
    form_class=ReasonForm,
    allowed=permissions.can_act_on_award,
    service=services.award_return,
    success=lambda result: _("Returned to %(stage)s.") % {"stage": result.get_stage_display()},
    missing=gettext_lazy("Write why the proposal is returned."),
)
award_reject = _answer(
    form_class=ReasonForm,
    allowed=permissions.can_act_on_award,
    service=services.award_reject,
    success=gettext_lazy("The proposal was rejected."),
    missing=gettext_lazy("Write why the proposal is rejected."),
)
award_override = _answer(
    form_class=OverrideForm,
    allowed=permissions.can_override_award,
    service=services.award_override,
    success=gettext_lazy("The warning was accepted; the reason is on record."),
    missing=gettext_lazy("Write why the warning is accepted."),
)


@require_POST
def award_delete(request, pk):
    award = _award(request, pk)
    back = (
        award.cluster_year.get_absolute_url()
        if award.cluster_year
        else reverse("awards:award-list")
    )
    return workflow_action(
        request,
        obj=award,
        allowed=permissions.can_change_award(request.user, award),
        service=lambda: services.award_withdraw(award=award, by=request.user),
        success=_("The proposal was deleted."),
        success_url=back,
    )


# --- From the cluster's own records ----------------------------------------------------


def _cluster_year(request, pk):
    cluster_year = get_object_or_404(
        cluster_years_for_user(request.user).select_related("cluster__body"), pk=pk
    )
    if not permissions.can_create_award(request.user, cluster_year):
        raise PermissionDenied
    return cluster_year


@require_POST
def awards_from_votes(request, pk):
    """One proposal per winner of each confirmed nomination vote of the year."""
    from votes.selectors import confirmed_nominations

    cluster_year = _cluster_year(request, pk)

    def create():
        created = []
        for nomination in confirmed_nominations(cluster_year, user=request.user):
            created += services.awards_from_nomination(nomination=nomination, by=request.user)
        return created

    return workflow_action(
        request,
        obj=cluster_year,
        allowed=True,
        service=create,
        success=lambda created: (
            ngettext(
                "%(count)s proposal was made from the confirmed nominations.",
                "%(count)s proposals were made from the confirmed nominations.",
                len(created),
            )
            % {"count": len(created)}
            if created
            else _("Every nominee already has a proposal.")
        ),
        redirect_to=f"{cluster_year.get_absolute_url()}#awards",
    )


@require_POST
def awards_from_ranking(request, pk):
    """Proposals suggested from the approved ranking, as the rule set in force says."""
    from scoring.models import CriteriaSheet
    from scoring.selectors import ranking_of

    cluster_year = _cluster_year(request, pk)
    sheet = CriteriaSheet.objects.filter(
        cluster_year=cluster_year, status=CriteriaSheet.Status.APPROVED
    ).first()

    def create():
        if sheet is None:
            raise ValidationError(_("The ranking of this year is not approved yet."))
        return services.awards_from_ranking(
            cluster_year=cluster_year, ranking=ranking_of(sheet), by=request.user
        )

    return workflow_action(
        request,
        obj=cluster_year,
        allowed=True,
        service=create,
        success=lambda created: (
            ngettext(
                "%(count)s proposal was suggested from the ranking.",
                "%(count)s proposals were suggested from the ranking.",
                len(created),
            )
            % {"count": len(created)}
            if created
            else _(
                "No rule in force suggests awards from the ranking, or every member suggested "
                "already has a proposal."
            )
        ),
        redirect_to=f"{cluster_year.get_absolute_url()}#awards",
    )


# --- Inboxes -----------------------------------------------------------------------------


class InboxView(KeysetListMixin, FilterView):
    """What waits for the user's level of the chain, one tab per level they act at, in
    pages of the list's size (oldest year first), with the list's filters."""

    filterset_class = InboxFilter
    template_name = "awards/inbox.html"
    ordering = ("year", "sort_key", "pk")

    def dispatch(self, request, *args, **kwargs):
        self.stages = selectors.inbox_stages(request.user)
        if not self.stages:
            raise PermissionDenied
        stage = request.GET.get("stage")
        self.stage = stage if stage in self.stages else self.stages[0]
        self.counts = selectors.inbox_counts(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.inbox(self.request.user, self.stage)

    def get_total(self) -> int | None:
        # Unfiltered, the level's count is the tab's: no second count.
        filtered = any(self.request.GET.get(name) for name in self.filterset_class.base_filters)
        return None if filtered else self.counts.get(self.stage, 0)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            stage=self.stage,
            stage_label=Stage(self.stage).label,
            keep_stage=[("stage", self.stage)],
            tabs=[(s, Stage(s).label, self.counts.get(s, 0)) for s in self.stages],
            is_cluster=self.stage == Stage.CLUSTER,
            is_middle=self.stage in (Stage.BOARD, Stage.COUNCIL, Stage.CENTRE),
            is_authority=self.stage == Stage.AUTHORITY,
        )
        return context


# --- Decisions ---------------------------------------------------------------------------


class DecisionListView(ScopedListView):
    selector = staticmethod(selectors.decisions_tabled)
    filterset_class = DecisionFilter
    template_name = "awards/decision_list.html"
    ordering = ("-signed_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_decision(self.request.user)
        return context


class DecisionDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.decisions_for_user)
    template_name = "awards/decision_detail.html"
    context_object_name = "decision"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = self.object
        awards = (
            selectors.awards_for_user(self.request.user)
            .filter(decision=decision)
            .order_by("award_type__category", "award_type__order", "sort_key", "pk")
        )
        context.update(
            awards=list(awards),
            can_change=permissions.can_change_decision(self.request.user, decision),
        )
        return context


class DecisionCreateView(ServiceFormView):
    """A decision entered on its own (its awards are then recorded from the lists)."""

    template_name = "awards/decision_form.html"
    form_class = DecisionForm
    success_message = gettext_lazy("%(object)s was registered.")

    def dispatch(self, request, *args, **kwargs):
        scope = user_scope(request.user)
        bodies = OrganizingBody.objects.all()
        if not scope.is_superuser:
            bodies = bodies.filter(pk__in=scope.staff_body_ids | scope.office_body_ids)
        raw = request.GET.get("body", "")
        self.body = (
            get_object_or_404(bodies, pk=raw if raw.isdigit() else 0)
            if raw
            else bodies.order_by("pk").first()
        )
        if self.body is None or not permissions.can_create_decision(request.user, self.body):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"body": self.body}

    def save(self, form):
        return services.decision_save(by=self.request.user, body=self.body, **form.cleaned_data)


class DecisionUpdateView(ScopedMixin, ServiceFormView):
    template_name = "awards/decision_form.html"
    form_class = DecisionForm
    selector = staticmethod(selectors.decisions_for_user)
    permission = staticmethod(permissions.can_change_decision)
    success_message = gettext_lazy("%(object)s was saved.")

    def dispatch(self, request, *args, **kwargs):
        self.decision = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {
            "body": self.decision.body,
            "instance": type(self.decision).objects.get(pk=self.decision.pk),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, **kwargs)

    def save(self, form):
        return services.decision_save(
            by=self.request.user, decision=self.decision, **form.cleaned_data
        )


def chain_label(chain: str) -> str:
    return " → ".join(str(Stage(s).label) for s in CHAIN_STAGES[Chain(chain)])


def year_awards(request, pk):
    """The cluster year page's awards block, loaded after the page (htmx), or alone."""
    from awards.receivers import year_awards_sections

    cluster_year = get_object_or_404(
        cluster_years_for_user(request.user).select_related("cluster__body"), pk=pk
    )
    return render(
        request,
        "awards/year_awards.html",
        {
            "cluster_year": cluster_year,
            "sections": year_awards_sections(request, cluster_year),
            "fragment": request.headers.get("HX-Request") == "true",
        },
    )
