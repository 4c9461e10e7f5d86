"""Forms of meetings: the meeting itself and one formset per section of the minutes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.forms import UnitChoiceField
from clusters.models import Person, Unit
from clusters.selectors import people_for_user, units_for_cluster_year
from core.forms import (
    DateInput,
    DateTimeInput,
    EmptyLabelMixin,
    ScopedModelChoiceField,
    ServiceErrorsFormSet,
)
from meetings.models import Attachment, Exemplar, Meeting, Participant

SMALL = {"class": "form-control form-control-sm"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


class MeetingForm(EmptyLabelMixin, forms.ModelForm):
    host = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Host unit"))

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "host", "place", "minutes_number"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = units_for_cluster_year(
            cluster_year.cluster, cluster_year.year
        )
        self.fields["starts_at"].input_formats = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"]
        self.fields["ends_at"].input_formats = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"]


class ContentForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["report", "discussion"]
        widgets = {
            "report": forms.Textarea(attrs={"rows": 8}),
            "discussion": forms.Textarea(attrs={"rows": 8}),
        }


class PersonChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def _blank_first(choices):
    """Untouched extra rows must stay unchanged, so selects start empty."""
    return [("", "—"), *choices]


class ParticipantForm(EmptyLabelMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=_blank_first(Participant.Role.choices),
        required=False,
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("Person"))
    new_name = forms.CharField(
        label=_("or a new person"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={**SMALL, "placeholder": _("Full name")}),
    )
    position = forms.CharField(
        label=_("Position at the meeting"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs=SMALL),
    )
    organization = forms.CharField(
        label=_("From"), max_length=255, required=False, widget=forms.TextInput(attrs=SMALL)
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not cleaned.get("person") and not cleaned.get("new_name"):
            self.add_error("person", _("Choose a person or type a new name."))
        if self.has_changed() and not cleaned.get("role"):
            self.add_error("role", _("Choose the role."))
        return cleaned


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=500, widget=forms.TextInput(attrs=SMALL))
    presenter = forms.CharField(
        label=_("Presented by"), max_length=255, required=False, widget=forms.TextInput(attrs=SMALL)
    )


class ConclusionForm(EmptyLabelMixin, forms.Form):
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={**SMALL, "rows": 2}))
    is_task = forms.BooleanField(
        label=_("Task"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    owner = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Owner unit"))
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm js-date"}),
    )
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm js-date"}),
    )
    done_note = forms.CharField(
        label=_("How it was done"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs=SMALL),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["owner"].queryset = units

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_task") and not cleaned.get("owner"):
            self.add_error("owner", _("A follow-up task needs an owner unit."))
        return cleaned


class ExemplarForm(EmptyLabelMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=_blank_first(Exemplar.Kind.choices),
        required=False,
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("Person"))
    new_name = forms.CharField(
        label=_("or a new person"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={**SMALL, "placeholder": _("Full name")}),
    )
    collective = forms.CharField(
        label=_("Collective"), max_length=255, required=False, widget=forms.TextInput(attrs=SMALL)
    )
    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Of unit"))
    achievement = forms.CharField(
        label=_("Achievement"), widget=forms.Textarea(attrs={**SMALL, "rows": 2})
    )

    def __init__(self, *args, people=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if self.has_changed() and not kind:
            self.add_error("kind", _("Choose individual or collective."))
        if kind == Exemplar.Kind.PERSON and not (cleaned.get("person") or cleaned.get("new_name")):
            self.add_error("person", _("Choose a person or type a new name."))
        if kind == Exemplar.Kind.COLLECTIVE and not cleaned.get("collective"):
            self.add_error("collective", _("Name the collective."))
        return cleaned


class SectionFormSet(ServiceErrorsFormSet, forms.BaseFormSet):
    """A section of the minutes: rows saved together, in order (see
    ``core.views.FormsetServiceView``); deleted rows are dropped."""


def section_formset(form, extra=2):
    return forms.formset_factory(form, formset=SectionFormSet, extra=extra, can_delete=True)


ParticipantFormSet = section_formset(ParticipantForm)
AgendaFormSet = section_formset(AgendaForm, extra=3)
ConclusionFormSet = section_formset(ConclusionForm)
ExemplarFormSet = section_formset(ExemplarForm)


def cell_attrs(css: str, row, column) -> dict:
    """A grid cell's classes and its name for screen readers: its row and column."""
    return {"class": css, "aria-label": f"{row} — {column}"}


class AttendanceForm(forms.Form):
    """Per member: attended or not (or not recorded) and who represented it."""

    PRESENT, ABSENT = "1", "0"

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = [member for member, _record in rows]
        choices = [("", "—"), (self.PRESENT, _("Present")), (self.ABSENT, _("Absent"))]
        select = "form-select form-select-sm grid-input"
        text = "form-control form-control-sm grid-input"
        for member, record in rows:
            row = member.unit.name
            self.fields[f"present-{member.pk}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                widget=forms.Select(attrs=cell_attrs(select, row, _("Attendance"))),
            )
            self.fields[f"rep-{member.pk}"] = forms.CharField(
                max_length=150,
                required=False,
                widget=forms.TextInput(attrs=cell_attrs(text, row, _("Represented by"))),
            )
            self.fields[f"pos-{member.pk}"] = forms.CharField(
                max_length=255,
                required=False,
                widget=forms.TextInput(attrs=cell_attrs(text, row, _("Position"))),
            )
            if record is not None:
                self.initial.update(
                    {
                        f"present-{member.pk}": self.PRESENT if record.present else self.ABSENT,
                        f"rep-{member.pk}": record.representative,
                        f"pos-{member.pk}": record.representative_position,
                    }
                )

    def table(self):
        return [
            (
                member,
                self[f"present-{member.pk}"],
                self[f"rep-{member.pk}"],
                self[f"pos-{member.pk}"],
            )
            for member in self.members
        ]

    def data_rows(self) -> dict[int, dict]:
        rows = {}
        for member in self.members:
            present = self.cleaned_data.get(f"present-{member.pk}")
            rows[member.pk] = {
                "present": None if present in ("", None) else present == self.PRESENT,
                "representative": self.cleaned_data.get(f"rep-{member.pk}", ""),
                "representative_position": self.cleaned_data.get(f"pos-{member.pk}", ""),
            }
        return rows


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Photos (JPEG, PNG, WebP) or documents (PDF, Word, Excel, PowerPoint); up to 10 MB."
        ),
    )
    caption = forms.CharField(label=_("Caption"), max_length=500, required=False)


class TaskDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("How it was done"), max_length=500, required=False)


def meeting_people(user, meeting):
    """People of the meeting's register, for the person pickers."""
    return people_for_user(user).filter(body_id=meeting.cluster_year.cluster.body_id)


def meeting_units(meeting):
    return units_for_cluster_year(meeting.cluster_year.cluster, None)
