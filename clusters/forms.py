"""Forms of the base app, and the scoped form fields every app uses.

Forms take their context (user, cluster, year) as keyword arguments and restrict every
choice to a scoped selector. A choice id outside that scope is answered with 404, the
same as a URL pointing at another cluster's object.
"""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters import selectors, services
from clusters.models import (
    FIRST_YEAR,
    LAST_YEAR,
    AwardRule,
    AwardType,
    Cluster,
    OrganizingBody,
    Person,
    Role,
    RuleSet,
    Unit,
    UnitSuccession,
    VoteRule,
)
from core.forms import (
    DateInput,
    EmptyLabelMixin,
    ScopedModelChoiceField,
    ScopedModelMultipleChoiceField,
)


class UnitChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitMultipleChoiceField(ScopedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UserMultipleChoiceField(ScopedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.get_username()})" if full_name else obj.get_username()


def _body_field(user, label=None) -> ScopedModelChoiceField:
    return ScopedModelChoiceField(
        queryset=selectors.staff_bodies_for_user(user), label=label or _("Organizing body")
    )


# --- Units -------------------------------------------------------------------------


class UnitForm(EmptyLabelMixin, forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Parent unit"))

    class Meta:
        model = Unit
        fields = [
            "body",
            "kind",
            "name",
            "short_name",
            "code",
            "parent",
            "active_from",
            "active_to",
            "note",
        ]
        widgets = {
            "active_from": DateInput(),
            "active_to": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "short_name": _("As used in tables, e.g. “Na Rì” for “Huyện Na Rì”."),
            "active_to": _(
                "Leave empty while the unit exists. Set it when the unit is merged, "
                "split or dissolved; its history stays."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field(user, label=_("Register of"))
        bodies = selectors.staff_bodies_for_user(user)
        if self.instance.pk:
            # A unit stays in its register; moving it would orphan its history.
            del self.fields["body"]
            self.fields["parent"].queryset = (
                selectors.units_for_user(user)
                .filter(body_id=self.instance.body_id)
                .exclude(pk=self.instance.pk)
            )
        else:
            self.fields["parent"].queryset = selectors.units_for_user(user).filter(body__in=bodies)
            if len(bodies) == 1:
                self.fields["body"].initial = bodies[0]

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body") or (self.instance.body if self.instance.pk else None)
        parent = cleaned.get("parent")
        if parent is not None and body is not None and parent.body_id != body.pk:
            self.add_error("parent", _("The parent unit must be in the same register."))
        return cleaned


class UnitSuccessionForm(EmptyLabelMixin, forms.ModelForm):
    successor = UnitChoiceField(queryset=Unit.objects.none(), label=_("Successor unit"))

    class Meta:
        model = UnitSuccession
        fields = ["successor", "kind", "effective_date", "legal_basis"]
        widgets = {"effective_date": DateInput()}
        help_texts = {
            "legal_basis": _("E.g. Nghị quyết số 202/2025/QH15 of 12/6/2025."),
        }

    def __init__(self, *args, user, predecessor: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.predecessor = predecessor
        self.fields["successor"].queryset = selectors.units_for_user(user).exclude(
            pk=predecessor.pk
        )

    def clean(self):
        cleaned = super().clean()
        successor = cleaned.get("successor")
        if successor is not None:
            try:
                services.check_succession(predecessor=self.predecessor, successor=successor)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def _post_clean(self):
        # The predecessor is set by the view; validate the pair once it is known.
        self.instance.predecessor = self.predecessor
        super()._post_clean()


# --- Clusters ----------------------------------------------------------------------


class ClusterForm(EmptyLabelMixin, forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["body", "name", "kind", "level", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": _("E.g. “Cụm thi đua các huyện, thành phố”."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["body"]
        else:
            self.fields["body"] = _body_field(user)
            bodies = list(selectors.staff_bodies_for_user(user)[:2])
            if len(bodies) == 1:
                self.fields["body"].initial = bodies[0]


class ClusterYearForm(EmptyLabelMixin, forms.Form):
    """Members, head, deputy and secretaries of one cluster year.

    On creation the year is chosen; afterwards it is fixed. Units come from the
    cluster's register; the membership rules are those of ``services.check_members``.
    """

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    members = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Member units"),
        help_text=_("Type to search; units inactive in the year cannot be chosen."),
    )
    head = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Head unit"))
    deputy = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Deputy unit"))
    secretaries = UserMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Secretaries"),
        help_text=_("Accounts that enter this year's pledge, meetings, scores and votes."),
    )
    next_head = UnitChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Elected head for next year"),
        help_text=_("Filled in after the year-end meeting's election."),
    )
    next_deputy = UnitChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Elected deputy for next year")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args, cluster: Cluster, cluster_year=None, assign_secretaries=True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.cluster_year = cluster_year
        year = cluster_year.year if cluster_year else None
        units = selectors.units_for_cluster_year(cluster, None)
        for name in ("members", "head", "deputy", "next_head", "next_deputy"):
            self.fields[name].queryset = units
        self.fields["secretaries"].queryset = selectors.secretary_candidates(cluster)
        if not assign_secretaries:
            # Only staff assign secretaries: a secretary must not grant access to others.
            del self.fields["secretaries"]
        self.fields["head"].label = cluster.head_label
        self.fields["deputy"].label = cluster.deputy_label
        if cluster_year is not None:
            del self.fields["year"]
            # Offer only units active in the year; members who are not (kept from an
            # earlier edit) still show, so that saving reports them.
            self.fields["members"].queryset = units.filter(
                pk__in=units.active_in(year).values("pk")
            ) | units.filter(memberships__cluster_year=cluster_year)
            self.fields["members"].queryset = self.fields["members"].queryset.distinct()

    def clean(self):
        cleaned = super().clean()
        year = self.cluster_year.year if self.cluster_year else cleaned.get("year")
        if year is None or "members" not in cleaned:
            return cleaned
        try:
            services.check_members(
                cluster=self.cluster,
                year=year,
                members=cleaned["members"],
                head=cleaned.get("head"),
                deputy=cleaned.get("deputy"),
            )
        except ValidationError as error:
            self._add_service_errors(error)
        if self.cluster_year is None and self.cluster.years.filter(year=year).exists():
            self.add_error(
                "year", _("This cluster already has the year %(year)s.") % {"year": year}
            )
        next_head, next_deputy = cleaned.get("next_head"), cleaned.get("next_deputy")
        if next_head is not None and next_head == next_deputy:
            self.add_error("next_deputy", _("The elected head and deputy must be different units."))
        return cleaned

    def _add_service_errors(self, error: ValidationError):
        for field_name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field_name if field_name in self.fields else None, message)


# --- People ------------------------------------------------------------------------


class PersonForm(EmptyLabelMixin, forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Unit"))

    class Meta:
        model = Person
        fields = ["body", "full_name", "position", "unit"]
        help_texts = {
            "full_name": _("With diacritics, family name first: Nông Văn Nguyên."),
            "position": _("E.g. Phó Bí thư Huyện uỷ, Chủ tịch UBND huyện Na Rì."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["body"]
            bodies = [self.instance.body_id]
        else:
            self.fields["body"] = ScopedModelChoiceField(
                queryset=selectors.person_bodies_for_user(user), label=_("Register of")
            )
            choices = list(selectors.person_bodies_for_user(user)[:2])
            if len(choices) == 1:
                self.fields["body"].initial = choices[0]
            bodies = [body.pk for body in selectors.person_bodies_for_user(user)]
        self.fields["unit"].queryset = selectors.units_for_user(user).filter(body_id__in=bodies)

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body") or (self.instance.body if self.instance.pk else None)
        unit = cleaned.get("unit")
        if unit is not None and body is not None and unit.body_id != body.pk:
            self.add_error("unit", _("The unit must be in the same register."))
        return cleaned


# --- Accounts ----------------------------------------------------------------------


class AccountForm(EmptyLabelMixin, forms.Form):
    body = ScopedModelChoiceField(
        queryset=OrganizingBody.objects.none(), label=_("Organizing body")
    )
    kind = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.Kind.SECRETARY, Role.Kind.SECRETARY.label),
            (Role.Kind.VIEWER, Role.Kind.VIEWER.label),
        ],
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use only letters without diacritics, digits and . @ + - _")},
    )
    email = forms.EmailField(label=_("Email"), required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field(user)
        bodies = list(selectors.staff_bodies_for_user(user)[:2])
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken."))
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = get_user_model()(
                username=cleaned.get("username", ""), first_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- Rule sets and vote rules --------------------------------------------------------


def _rule_set_owner_field(user, *, label=None) -> ScopedModelChoiceField:
    """The bodies the user manages; empty (national) only for a superuser."""
    national = selectors.user_scope(user).is_superuser
    field = _body_field(user, label=label or _("Organizing body"))
    field.required = not national
    if national:
        field.empty_label = _("National (every body)")
    return field


class RuleSetForm(EmptyLabelMixin, forms.ModelForm):
    """A rule set's name, legal basis and period; its body is chosen when it is made."""

    class Meta:
        model = RuleSet
        fields = ["body", "name", "legal_basis", "effective_from", "effective_to"]
        widgets = {
            "effective_from": DateInput(),
            "effective_to": DateInput(),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "effective_to": _(
                "Leave empty while it is in force. Of one body, one rule set is in force "
                "on any day."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A rule set stays with its owner: votes found it through that owner.
            del self.fields["body"]
        else:
            self.fields["body"] = _rule_set_owner_field(user)
            bodies = selectors.staff_bodies_for_user(user)
            if len(bodies) == 1:
                self.fields["body"].initial = bodies[0]


class RuleSetCopyForm(forms.Form):
    """A new rule set from a later date, with a copy of every vote rule of the one shown."""

    name = forms.CharField(label=_("Name"), max_length=255)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The regulation these rules come from, quoted on votes."),
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())

    def __init__(self, *args, user, source, **kwargs):
        kwargs["initial"] = {
            "body": source.body_id,
            "name": source.name,
            "legal_basis": source.legal_basis,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields = {"body": _rule_set_owner_field(user), **self.fields}
        if source.body_id is None and not selectors.user_scope(user).is_superuser:
            # Staff copy the national rules into a rule set of their own body.
            self.initial["body"] = (
                selectors.staff_bodies_for_user(user).values_list("pk", flat=True).first()
            )


class VoteRuleForm(EmptyLabelMixin, forms.ModelForm):
    class Meta:
        model = VoteRule
        fields = list(services.VOTE_RULE_FIELDS)

    def __init__(self, *args, user, rule_set, **kwargs):
        super().__init__(*args, **kwargs)
        body_q = Q(body__isnull=True)
        if rule_set.body_id is not None:
            body_q |= Q(body_id=rule_set.body_id)
        self.fields["award_type"].queryset = AwardType.objects.filter(body_q).order_by("name", "pk")


# --- Award rules and the award-type catalogue ------------------------------------------


def _award_types_of(rule_set: RuleSet, *keep: int | None):
    """The award types in use for ``rule_set``: the national list and its body's own, the
    ones in use — and ``keep`` (what the rule names already), even if taken out of use."""
    owners = Q(body__isnull=True)
    if rule_set.body_id is not None:
        owners |= Q(body_id=rule_set.body_id)
    kept = [pk for pk in keep if pk]
    return AwardType.objects.filter(owners & (Q(is_active=True) | Q(pk__in=kept)))


class AwardRuleForm(EmptyLabelMixin, forms.ModelForm):
    """What a rule set says of one award type. Its choices of award types: the national
    list and the rule set's body's own (another body's is a 404)."""

    class Meta:
        model = AwardRule
        fields = list(services.AWARD_RULE_FIELDS)
        localized_fields = ["quota_percent"]
        widgets = {"checklist": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "quota_percent": _("E.g. 20: at most one in five of the cluster's members."),
            "ranking_from": _(
                "E.g. 1 to 1 for the flag, 2 to 3 for Bằng khen: the members at those "
                "places are suggested when the ranking is approved."
            ),
        }
        labels = {
            "ranking_from": _("From place"),
            "ranking_to": _("To place"),
            "deadline_day": _("Submit by: day"),
            "deadline_month": _("Month"),
        }

    def __init__(self, *args, user, rule_set, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        for name, required, empty in (
            ("award_type", True, None),
            ("prerequisite", False, _("None")),
        ):
            model_field = self.fields[name]
            field = ScopedModelChoiceField(
                queryset=_award_types_of(rule_set, getattr(instance, f"{name}_id", None)),
                label=model_field.label,
                help_text=model_field.help_text,
                required=required,
            )
            if empty is not None:
                field.empty_label = empty
            self.fields[name] = field
        self.fields["initiative_level"].choices = [
            ("", _("Not needed")),
            *list(self.fields["initiative_level"].choices)[1:],
        ]
        self.rule_set = rule_set

    def clean(self):
        """The rule's errors on their fields (``services.award_rule_errors``), before the
        model's constraints would report some of them above the form."""
        cleaned = super().clean()
        fields = {name: cleaned.get(name) for name in services.AWARD_RULE_FIELDS}
        if any(name in self.errors for name in ("award_type", "prerequisite")):
            return cleaned
        rule = AwardRule(pk=self.instance.pk, rule_set=self.rule_set, **fields)
        for name, message in services.award_rule_errors(rule).items():
            self.add_error(name, message)
        return cleaned


class AwardTypeForm(EmptyLabelMixin, forms.ModelForm):
    """An award type of the catalogue; its list (national, or a body's own) is chosen
    when it is made."""

    class Meta:
        model = AwardType
        fields = ["body", *services.AWARD_TYPE_FIELDS]
        widgets = {
            "criteria": forms.Textarea(attrs={"rows": 5}),
            "category": forms.RadioSelect,
        }
        labels = {"category": _("Catalogue")}
        help_texts = {
            "legal_basis": _("E.g. Điều 26 Luật Thi đua, khen thưởng số 06/2022/QH15."),
            "order": _("Its place in its catalogue's list."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An award type stays in its list: rules and awards found it there.
            del self.fields["body"]
        else:
            self.fields["body"] = _rule_set_owner_field(user, label=_("Own award type of"))
            bodies = selectors.staff_bodies_for_user(user)
            if len(bodies) == 1:
                self.fields["body"].initial = bodies[0]
        self.fields["category"].choices = list(self.fields["category"].choices)[1:]
