"""The rule sets' editing pages: staff of a body make and change their body's rule sets,
vote rules and award rules, a superuser the national ones; others read the list only.

Every object is fetched through ``selectors.rule_sets_for_user`` (another body's rule
set is a 404) and changed through one service. A vote rule a held vote followed, and an
award rule a decided award was judged by, is refused with the reason and the way out: a
copy as a new rule set from a later date.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from clusters import permissions, selectors, services
from clusters.forms import AwardRuleForm, RuleSetCopyForm, RuleSetForm, VoteRuleForm
from core.views import (
    CreateServiceView,
    ScopedMixin,
    ServiceFormView,
    UpdateServiceView,
    workflow_action,
)


def _rule_set_url(rule_set):
    return reverse("clusters:ruleset-update", args=[rule_set.pk])


def _rules_context(rule_set) -> dict:
    """The rule set's vote rules, each with whether a held vote followed it, and its award
    rules, each with whether a decided award was judged by it (four queries)."""
    rules = list(
        rule_set.vote_rules.select_related("award_type").order_by(
            "purpose", "award_type__name", "pk"
        )
    )
    used = services.rule_ids_in_use(rule_set)
    award_rules = list(
        # Emulation titles ("title") before forms of commendation ("commendation").
        rule_set.award_rules.select_related("award_type", "prerequisite").order_by(
            "-award_type__category", "award_type__order", "award_type__sort_key", "pk"
        )
    )
    decided = services.award_rule_ids_in_use(rule_set)
    return {
        "rules": [{"rule": rule, "in_use": rule.pk in used} for rule in rules],
        "in_use": bool(used),
        "in_use_message": services.in_use_message(),
        "award_rules": [{"rule": rule, "in_use": rule.pk in decided} for rule in award_rules],
        "awards_decided": bool(decided),
    }


class RuleSetCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_create_ruleset)
    form_class = RuleSetForm
    template_name = "clusters/ruleset_form.html"
    success_message = gettext_lazy("Rule set “%(object)s” was added: now add its vote rules.")

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.rule_set_create(body=data.pop("body"), **data)

    def get_success_url(self):
        return _rule_set_url(self.object)


class RuleSetUpdateView(UpdateServiceView):
    """The rule set's page for who may change it: its fields and its vote rules."""

    selector = staticmethod(selectors.rule_sets_for_user)
    permission = staticmethod(permissions.can_change_ruleset)
    form_class = RuleSetForm
    template_name = "clusters/ruleset_form.html"
    context_name = "rule_set"
    success_message = gettext_lazy("Rule set “%(object)s” was saved.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_rules_context(self.target), **kwargs)

    def save(self, form):
        return services.rule_set_update(rule_set=self.fresh(), **form.cleaned_data)

    def get_success_url(self):
        return _rule_set_url(self.object)


class RuleSetCopyView(ScopedMixin, ServiceFormView):
    """Copy a rule set with all its vote rules as a new one from a later date. Staff may
    copy the national rules into their body's own; a copy for the same owner ends the
    source the day before."""

    selector = staticmethod(selectors.rule_sets_for_user)
    permission = staticmethod(permissions.can_create_ruleset)
    form_class = RuleSetCopyForm
    template_name = "clusters/ruleset_copy.html"
    success_message = gettext_lazy("Rule set “%(object)s” was made with a copy of every rule.")

    def dispatch(self, request, *args, **kwargs):
        self.source = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"user": self.request.user, "source": self.source}

    def get_context_data(self, **kwargs):
        return super().get_context_data(rule_set=self.source, **kwargs)

    def save(self, form):
        data = dict(form.cleaned_data)
        body = data.pop("body")
        if (body.pk if body else None) == self.source.body_id and not (
            permissions.can_change_ruleset(self.request.user, self.source)
        ):
            raise PermissionDenied
        return services.rule_set_copy(rule_set=self.source, body=body, **data)

    def get_success_url(self):
        return _rule_set_url(self.object)


class VoteRuleCreateView(ScopedMixin, ServiceFormView):
    selector = staticmethod(selectors.rule_sets_for_user)
    permission = staticmethod(permissions.can_change_ruleset)
    form_class = VoteRuleForm
    template_name = "clusters/ruleset_rule_form.html"
    success_message = gettext_lazy("Vote rule “%(object)s” was added.")

    def dispatch(self, request, *args, **kwargs):
        self.rule_set = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"user": self.request.user, "rule_set": self.rule_set}

    def get_context_data(self, **kwargs):
        return super().get_context_data(rule_set=self.rule_set, **kwargs)

    def save(self, form):
        return services.vote_rule_create(rule_set=self.rule_set, **form.cleaned_data)

    def get_success_url(self):
        return _rule_set_url(self.rule_set)


class VoteRuleUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.vote_rules_for_user)
    form_class = VoteRuleForm
    template_name = "clusters/ruleset_rule_form.html"
    context_name = "rule"
    success_message = gettext_lazy("Vote rule “%(object)s” was saved.")

    def check_permission(self, obj):
        if not permissions.can_change_ruleset(self.request.user, obj.rule_set):
            raise PermissionDenied

    def get_extra_form_kwargs(self):
        return {**super().get_extra_form_kwargs(), "rule_set": self.target.rule_set}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rule_set=self.target.rule_set,
            in_use=services.vote_rule_in_use(self.target),
            in_use_message=services.in_use_message(),
            **kwargs,
        )

    def save(self, form):
        return services.vote_rule_update(rule=self.fresh(), **form.cleaned_data)

    def get_success_url(self):
        return _rule_set_url(self.target.rule_set)


@require_POST
def vote_rule_delete(request, pk):
    rule = get_object_or_404(selectors.vote_rules_for_user(request.user), pk=pk)
    rule_set = rule.rule_set
    return workflow_action(
        request,
        obj=rule_set,
        allowed=permissions.can_change_ruleset(request.user, rule_set),
        service=lambda: services.vote_rule_delete(rule=rule),
        success=_("The vote rule “%(rule)s” was deleted.") % {"rule": rule},
        redirect_to=_rule_set_url(rule_set),
    )


# --- Award rules -------------------------------------------------------------------------


class AwardRuleCreateView(ScopedMixin, ServiceFormView):
    selector = staticmethod(selectors.rule_sets_for_user)
    permission = staticmethod(permissions.can_change_ruleset)
    form_class = AwardRuleForm
    template_name = "clusters/awardrule_form.html"
    success_message = gettext_lazy("The rule for “%(object)s” was added.")

    def dispatch(self, request, *args, **kwargs):
        self.rule_set = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"user": self.request.user, "rule_set": self.rule_set}

    def get_context_data(self, **kwargs):
        return super().get_context_data(rule_set=self.rule_set, **kwargs)

    def save(self, form):
        return services.award_rule_create(rule_set=self.rule_set, **form.cleaned_data).award_type

    def get_success_url(self):
        return _rule_set_url(self.rule_set) + "#award-rules"


class AwardRuleUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.award_rules_for_user)
    form_class = AwardRuleForm
    template_name = "clusters/awardrule_form.html"
    context_name = "rule"
    success_message = gettext_lazy("The rule for “%(object)s” was saved.")

    def check_permission(self, obj):
        if not permissions.can_change_ruleset(self.request.user, obj.rule_set):
            raise PermissionDenied

    def get_extra_form_kwargs(self):
        return {**super().get_extra_form_kwargs(), "rule_set": self.target.rule_set}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rule_set=self.target.rule_set,
            in_use=services.award_rule_in_use(self.target),
            in_use_message=services.award_rule_in_use_message(),
            **kwargs,
        )

    def save(self, form):
        return services.award_rule_update(rule=self.fresh(), **form.cleaned_data).award_type

    def get_success_url(self):
        return _rule_set_url(self.target.rule_set) + "#award-rules"


@require_POST
def award_rule_delete(request, pk):
    rule = get_object_or_404(selectors.award_rules_for_user(request.user), pk=pk)
    rule_set = rule.rule_set
    return workflow_action(
        request,
        obj=rule_set,
        allowed=permissions.can_change_ruleset(request.user, rule_set),
        service=lambda: services.award_rule_delete(rule=rule),
        success=_("The rule for “%(award)s” was deleted.") % {"award": rule.award_type},
        redirect_to=_rule_set_url(rule_set) + "#award-rules",
    )


class RuleSetDetailView(ScopedMixin, DetailView):
    """A rule set as it reads, with its vote rules and award rules: for staff who read
    the national rules (and their own) without changing them."""

    selector = staticmethod(selectors.rule_sets_for_user)
    permission = staticmethod(permissions.can_view_rule_sets)
    template_name = "clusters/ruleset_detail.html"
    context_object_name = "rule_set"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **_rules_context(self.object),
            may_change=permissions.can_change_ruleset(user, self.object),
            may_copy=permissions.can_create_ruleset(user),
            **kwargs,
        )
