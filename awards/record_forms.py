"""Forms of the registers kept beside the awards: the import's upload, a person's
initiatives, and the counts the members report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Initiative, ReportedCount
from clusters.models import AwardType
from clusters.selectors import staff_bodies_for_user
from core.forms import (
    EmptyLabelMixin,
    ScopedModelChoiceField,
    ServiceErrorsFormSet,
    SpreadsheetUploadForm,
    VietnameseIntegerField,
)


class AwardImportForm(SpreadsheetUploadForm):
    """The list to import and the register it goes into (one of the user's bodies)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = staff_bodies_for_user(user).order_by("name", "pk")
        self.fields["body"] = ScopedModelChoiceField(
            queryset=bodies, label=_("Into the register of")
        )
        self.order_fields(["body", "file"])
        first_two = list(bodies[:2])
        if len(first_two) == 1:
            self.fields["body"].initial = first_two[0]


class InitiativeForm(EmptyLabelMixin, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["title", "year", "recognised_by", "level", "decision"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}
        # Not the model's "title", which the translations already give to meetings.
        labels = {"title": _("Name of the initiative or work")}
        help_texts = {
            "title": _("E.g. Ứng dụng phần mềm quản lý hồ sơ thi đua, khen thưởng cấp huyện."),
            "recognised_by": _("E.g. Hội đồng sáng kiến tỉnh Bắc Kạn."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.setdefault("inputmode", "numeric")


class ReportedCountForm(forms.Form):
    """One reported count: which member, period, level and kind, and how many.

    The members are given once for the whole table (``units``), so the table costs no
    query per row."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.TypedChoiceField(label=_("Member"), coerce=int)
    # An empty first choice everywhere: an untouched empty row posts nothing and is skipped.
    period = forms.ChoiceField(
        label=_("Period"), choices=[("", "—"), *ReportedCount.Period.choices]
    )
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *AwardType.Level.choices])
    kind = forms.ChoiceField(
        label=_("Recipients"), choices=[("", "—"), *ReportedCount.Kind.choices]
    )
    count = VietnameseIntegerField(label=_("Count"), required=True)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["unit"].choices = [("", "—")] + [(u.pk, u.name) for u in units]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class CountsFormSet(ServiceErrorsFormSet, forms.BaseFormSet):
    """The year's reported counts as a table saved whole."""


ReportedCountFormSet = forms.formset_factory(
    ReportedCountForm, formset=CountsFormSet, extra=3, can_delete=True
)
