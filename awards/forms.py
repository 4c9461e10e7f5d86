"""Forms of the awards: a proposal, the chain's answers, a decision, a presentation.

Every choice is restricted to what the user may see; the services enforce the workflow.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models import Award, Decision, RecipientKind
from clusters.forms import UnitChoiceField
from clusters.models import AwardType, Person, Unit
from clusters.selectors import people_for_user, units_for_user
from core.forms import DateInput, EmptyLabelMixin, ScopedModelChoiceField
from core.uploads import validate_attachment
from meetings.models import Meeting
from pledges.models import Movement

SCAN_KINDS = {"pdf": {"pdf"}, "jpg": {"jpg", "jpeg"}, "png": {"png"}}


def award_types_for(body_id: int):
    """The national catalogue and the body's own award types still in use."""
    return AwardType.objects.filter(
        Q(body__isnull=True) | Q(body_id=body_id), is_active=True
    ).order_by("category", "order", "sort_key", "pk")


class PersonChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class AwardForm(EmptyLabelMixin, forms.ModelForm):
    """A proposal: the award, the occasion and the recipient, as the decision will print
    them. A person not yet in the register is typed and added to it."""

    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Unit"))
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("Person"))
    movement = ScopedModelChoiceField(
        queryset=Movement.objects.none(), required=False, label=_("Movement")
    )

    class Meta:
        model = Award
        fields = [
            "year",
            "award_type",
            "occasion",
            "movement",
            "recipient_kind",
            "unit",
            "person",
            "recipient_name",
            "recipient_position",
            "birth_year",
            "gender",
            "achievement",
        ]
        widgets = {"achievement": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "recipient_name": _(
                "Left empty, it is filled from the unit or the person: a flag to a district "
                "reads “Nhân dân và cán bộ huyện …”."
            )
        }

    def __init__(self, *args, user, body, cluster_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body, self.cluster_year = body, cluster_year
        if cluster_year is not None:
            # The cluster year's own year.
            del self.fields["year"]
        self.fields["award_type"].queryset = award_types_for(body.pk)
        self.fields["recipient_name"].required = False
        units = units_for_user(user).filter(body=body)
        people = people_for_user(user).filter(body=body).select_related("unit")
        if cluster_year is not None:
            members = cluster_year.members.values("unit_id")
            units = units.filter(pk__in=members)
            people = people.filter(unit_id__in=members)
        self.fields["unit"].queryset = units.order_by("sort_key", "pk")
        self.fields["person"].queryset = people.order_by("sort_key", "pk")
        self.fields["movement"].queryset = Movement.objects.filter(
            Q(body__isnull=True) | Q(body=body)
        ).order_by("sort_key", "pk")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("recipient_kind")
        if kind == RecipientKind.UNIT and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the member unit."))
        if kind == RecipientKind.INDIVIDUAL and not (
            cleaned.get("person") or cleaned.get("recipient_name")
        ):
            self.add_error("person", _("Choose the person, or type the full name to add them."))
        if kind in (RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD) and not cleaned.get(
            "recipient_name"
        ):
            self.add_error("recipient_name", _("Type the collective's or household's name."))
        if kind != RecipientKind.INDIVIDUAL:
            cleaned["person"] = None
        award_type = cleaned.get("award_type")
        if award_type and kind and not award_type.allows(kind):
            self.add_error(
                "recipient_kind",
                _("%(award)s is not given to this kind of recipient.") % {"award": award_type},
            )
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("year", None)
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    council_members = forms.IntegerField(
        label=_("Council members"), required=False, min_value=1, max_value=999
    )
    council_for = forms.IntegerField(label=_("For"), required=False, min_value=0, max_value=999)
    council_against = forms.IntegerField(
        label=_("Against"), required=False, min_value=0, max_value=999
    )

    def clean(self):
        cleaned = super().clean()
        given = [
            cleaned.get(name) is not None
            for name in ("council_members", "council_for", "council_against")
        ]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("Give the council's members, the votes for and the votes against, or none.")
            )
        return cleaned


class OverrideForm(forms.Form):
    check_code = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the warning is accepted"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SubmitForm(forms.Form):
    number = forms.CharField(
        label=_("Submission letter number"),
        max_length=50,
        required=False,
        help_text=_("E.g. 05/TTr-CTĐ"),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "number",
            "signed_on",
            "authority",
            "signer_title",
            "signer_name",
            "summary",
            "scan",
        ]
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args, user=None, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["signed_on"].input_formats = ["%d/%m/%Y"]

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and hasattr(scan, "content_type"):
            validate_attachment(scan, kinds=SCAN_KINDS)
        return scan

    def validate_unique(self):
        # The body is the view's, not a field: check the number's uniqueness with it.
        self.instance.body = self.body or getattr(self.instance, "body", None)
        super().validate_unique()


class DecideForm(forms.Form):
    """Record the decision for the chosen awards: an existing one, or a new one."""

    decision = forms.ModelChoiceField(
        queryset=Decision.objects.none(), required=False, label=_("An existing decision")
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class PresentForm(forms.Form):
    on = forms.DateField(label=_("Presented on"), widget=DateInput(), input_formats=["%d/%m/%Y"])
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label=_("At the meeting")
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
