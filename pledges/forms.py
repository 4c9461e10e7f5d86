"""Forms of the pledge: the pledge itself, targets, and the spreadsheet-like grids."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clusters.selectors import staff_bodies_for_user
from core import widgets
from core.forms import (
    DateInput,
    EmptyLabelMixin,
    RowsFormSetMixin,
    ScopedModelChoiceField,
    ScopedModelMultipleChoiceField,
    ServiceErrorsFormSet,
    SpreadsheetUploadForm,
    VietnameseDecimalField,
    VietnameseIntegerField,
    decimal_formatter,
    field_copy,
)
from core.grids import SnapshotMixin
from core.text import format_decimal
from core.uploads import validate_attachment
from pledges import selectors
from pledges.models import Movement, Period, Pledge, Target
from pledges.services import (
    TARGET_CELLS,
    Cell,
    EvidenceRow,
    cell_value,
    signature_cells,
)

# --- Movements and the pledge ------------------------------------------------------------


class MovementForm(EmptyLabelMixin, forms.ModelForm):
    class Meta:
        model = Movement
        fields = ["name", "launched_by", "start_date", "end_date", "description", "body"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = ScopedModelChoiceField(
            queryset=staff_bodies_for_user(user),
            required=user.is_superuser,
            label=_("Movement of"),
        )
        if user.is_superuser:
            self.fields["body"].required = False
            self.fields["body"].help_text = _("Leave empty for a national movement.")
        else:
            self.fields["body"].required = True


class PledgeForm(forms.ModelForm):
    movements = ScopedModelMultipleChoiceField(
        queryset=Movement.objects.none(), required=False, label=_("Emulation movements")
    )

    class Meta:
        model = Pledge
        fields = ["theme", "body", "movements", "signed_on", "signed_place"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "signed_on": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The chosen movements come first, in their order: the picker keeps the order in
        # which options are selected, and the printed pledge follows it.
        chosen = selectors.movement_ids_in_order(self.instance) if self.instance.pk else []
        self.fields["movements"].queryset = (
            selectors.movements_for_user(user)
            .annotate(
                position=Case(
                    *(When(pk=pk, then=Value(index)) for index, pk in enumerate(chosen)),
                    default=Value(len(chosen)),
                    output_field=IntegerField(),
                )
            )
            .order_by("position", "sort_key", "pk")
        )

    def clean_movements(self):
        """The movements in the order they were chosen (the order of the posted ids)."""
        movements = {movement.pk: movement for movement in self.cleaned_data["movements"]}
        widget = self.fields["movements"].widget
        raw = widget.value_from_datadict(self.data, self.files, self.add_prefix("movements"))
        posted = [str(pk) for pk in raw or []]
        ordered = [
            movements[int(pk)]
            for pk in dict.fromkeys(posted)
            if pk.isdigit() and int(pk) in movements
        ]
        return ordered + [m for pk, m in movements.items() if m not in ordered]


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signing date"), widget=DateInput())
    signed_place = forms.CharField(label=_("Signing place"), max_length=255, required=False)


class CopyTargetsForm(forms.Form):
    source = ScopedModelChoiceField(queryset=Pledge.objects.none(), label=_("Copy targets from"))

    def __init__(self, *args, user, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = selectors.copy_sources_for(user, pledge)
        self.fields["source"].label_from_instance = lambda p: (
            _("%(year)s — %(cluster)s (%(count)s targets)")
            % {
                "year": p.cluster_year.year,
                "cluster": p.cluster_year.cluster.name,
                "count": p.target_count,
            }
        )


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["name", "ends_on"]
        widgets = {"ends_on": DateInput()}


# --- Targets ----------------------------------------------------------------------------


class TargetForm(EmptyLabelMixin, forms.ModelForm):
    weight = VietnameseDecimalField(
        label=_("Weight"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        widget=widgets.TextInput,
    )
    cluster_value = VietnameseDecimalField(label=_("Cluster-wide value"), widget=widgets.TextInput)

    class Meta:
        model = Target
        fields = [
            "order",
            "group",
            "name",
            "measure",
            "unit_of_measure",
            "direction",
            "weight",
            "cluster_value",
        ]
        widgets = {
            "order": widgets.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0}),
            "group": widgets.TextInput(
                attrs={"class": "form-control form-control-sm", "list": "target-groups"}
            ),
            "name": widgets.TextInput(attrs={"class": "form-control form-control-sm"}),
            "measure": widgets.Select(attrs={"class": "form-select form-select-sm"}),
            "unit_of_measure": widgets.TextInput(attrs={"class": "form-control form-control-sm"}),
            "direction": widgets.Select(attrs={"class": "form-select form-select-sm"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("weight", "cluster_value"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm text-end"
            self.fields[name].widget.attrs["inputmode"] = "decimal"
            value = self.initial.get(name)
            if isinstance(value, Decimal):
                self.initial[name] = format_decimal(value)


class BaseTargetFormSet(
    RowsFormSetMixin, ServiceErrorsFormSet, SnapshotMixin, forms.BaseModelFormSet
):
    """The targets of a pledge; each stored target's fields are guarded cells
    (target id, field) against lost updates (``core.grids``)."""

    def __init__(self, *args, pledge, **kwargs):
        self.pledge = pledge
        super().__init__(*args, **kwargs)
        self.target_names = {}
        for form in self.forms:
            target = form.instance
            if target.pk:
                self.target_names[target.pk] = target.name
                for name in TARGET_CELLS:
                    self.guard(name, key=(target.pk, name), shown=getattr(target, name), form=form)

    def add_fields(self, form, index):
        """The row's id and delete box, written directly too (``core.widgets``)."""
        super().add_fields(form, index)
        for name, direct in (("id", widgets.HiddenInput), ("DELETE", widgets.CheckboxInput)):
            if name in form.fields:
                form.fields[name].widget = direct(attrs=form.fields[name].widget.attrs)

    def table(self):
        """[(form, [(bound field, its hidden label)], the delete box's label)] by row.

        Each cell is named for screen readers by its column and row ("Target, row 3"):
        written here, not by an include with a translation per cell, which cost a third
        of the page.
        """
        pattern = gettext("%(label)s, row %(row)s")
        labels = {}  # by field name: each column's label translated once
        rows = []
        for number, form in enumerate(self, start=1):
            cells = []
            for field in form.visible_fields():
                if field.name not in labels:
                    labels[field.name] = str(field.label)
                if field.name != "DELETE":
                    cells.append((field, pattern % {"label": labels[field.name], "row": number}))
            delete = pattern % {"label": labels.get("DELETE", ""), "row": number}
            rows.append((form, cells, delete))
        return rows

    def conflict_label(self, key) -> str:
        target_id, name = key
        field = self.forms[0].fields[name] if self.forms else None
        return f"{self.target_names.get(target_id, '')} — {field.label if field else name}"

    def rows(self):
        return Target.objects.filter(pledge=self.pledge).order_by("order", "pk")


TargetFormSet = forms.modelformset_factory(
    Target, form=TargetForm, formset=BaseTargetFormSet, extra=3, can_delete=True
)


# --- Grids -------------------------------------------------------------------------------

YES, NO = "1", "0"
BOOLEAN_CHOICES = [("", "—"), (YES, _("Yes")), (NO, _("No"))]


def cell_attrs(css: str, row, column) -> dict:
    """Widget attributes of a grid cell: its classes and its name for screen readers, made
    of the row and the column it is in (e.g. "Thu ngân sách — Huyện Na Rì")."""
    return {"class": css, "aria-label": f"{row} — {column}"}


_CELL_PROTOTYPES = {
    Target.Measure.BOOLEAN: forms.ChoiceField(
        choices=BOOLEAN_CHOICES, required=False, widget=widgets.Select
    ),
    Target.Measure.TEXT: forms.CharField(max_length=500, required=False, widget=widgets.TextInput),
    None: VietnameseDecimalField(widget=widgets.TextInput),  # numbers and percentages
}


def cell_field(target: Target, column) -> forms.Field:
    """The field of ``target``'s cell in ``column`` (a member, or what the column holds):
    a copy of the one field of its measure (``core.forms.field_copy``)."""
    attrs = {
        **cell_attrs("form-control form-control-sm grid-input", target.name, column),
        "autocomplete": "off",
    }
    if target.measure == Target.Measure.BOOLEAN:
        attrs["class"] = "form-select form-select-sm grid-input"
    elif target.measure != Target.Measure.TEXT:
        attrs["class"] += " text-end"
        attrs["inputmode"] = "decimal"
    prototype = _CELL_PROTOTYPES.get(target.measure) or _CELL_PROTOTYPES[None]
    return field_copy(prototype, attrs)


def cell_initial(target: Target, row, number=format_decimal) -> str:
    """What the cell shows of ``row``; ``number`` formats numbers (a grid passes one
    ``decimal_formatter``)."""
    if row is None:
        return ""
    if target.measure == Target.Measure.TEXT:
        return row.text
    if target.measure == Target.Measure.BOOLEAN:
        return "" if row.value is None else (YES if row.value else NO)
    return number(row.value)


def cell_from(target: Target, cleaned) -> Cell:
    if target.measure == Target.Measure.TEXT:
        return Cell(text=(cleaned or "").strip())
    if target.measure == Target.Measure.BOOLEAN:
        return Cell(value=None if cleaned in ("", None) else Decimal(cleaned))
    return Cell(value=cleaned)


class MarkInvalidMixin:
    """Flag invalid cells in place: red border and the error as a tooltip."""

    def full_clean(self):
        super().full_clean()
        for name, errors in self.errors.items():
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["title"] = " ".join(errors)
                attrs["aria-invalid"] = "true"


class GridForm(SnapshotMixin, MarkInvalidMixin, forms.Form):
    """A targets × members grid of cells named ``c-<target id>-<member id>``.

    Invalid cells keep what the user typed and carry their error; nothing is saved
    until every cell is valid. Each cell is guarded against lost updates under the key
    (target id, member id) (``core.grids``).
    """

    def __init__(self, *args, grid: selectors.Grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        number = decimal_formatter()
        for target in grid.targets:
            for member in grid.members:
                name = self.cell_name(target.pk, member.pk)
                row = grid.cell(target.pk, member.pk)
                self.fields[name] = cell_field(target, member.unit.name)
                self.initial[name] = cell_initial(target, row, number)
                self.guard(name, key=(target.pk, member.pk), shown=cell_value(row))

    @staticmethod
    def cell_name(target_id: int, member_id: int) -> str:
        return f"c-{target_id}-{member_id}"

    def conflict_label(self, key) -> str:
        target = next(t for t in self.grid.targets if t.pk == key[0])
        member = next(m for m in self.grid.members if m.pk == key[1])
        return f"{member.unit.name} — {target.number} {target.name}"

    def rows(self):
        """[(group, [(target, [bound field per member])])] for the template."""
        return [
            (
                group,
                [
                    (
                        target,
                        [self[self.cell_name(target.pk, m.pk)] for m in self.grid.members],
                    )
                    for target in group.targets
                ],
            )
            for group in self.grid.groups
        ]

    def cell_errors(self) -> list[str]:
        """Each invalid cell, named the way a person would: unit, target, message."""
        messages = []
        for target in self.grid.targets:
            for member in self.grid.members:
                errors = self.errors.get(self.cell_name(target.pk, member.pk))
                if errors:
                    messages.append(
                        f"{member.unit.display_name} — {target.number} {target.name}: "
                        f"{' '.join(errors)}"
                    )
        return messages

    def cells(self) -> dict[tuple[int, int], Cell]:
        return {
            (target.pk, member.pk): cell_from(
                target, self.cleaned_data.get(self.cell_name(target.pk, member.pk))
            )
            for target in self.grid.targets
            for member in self.grid.members
        }


COUNT_COLUMNS = {
    "collectives": _("Collectives registered"),
    "individuals": _("Individuals registered"),
}


class RegistrationGridForm(SnapshotMixin, MarkInvalidMixin, forms.Form):
    """Per member: the titles it registers and its counts of registered collectives
    and individuals; guarded against lost updates under the keys (member id, "title",
    title id) and (member id, "collectives" | "individuals") (``core.grids``)."""

    def __init__(self, *args, members, titles, registrations: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members, self.titles = members, list(titles)
        self.registrations = registrations
        ticked = forms.BooleanField(required=False, widget=widgets.CheckboxInput)
        count = VietnameseIntegerField(widget=widgets.TextInput)
        number = decimal_formatter()
        for member in members:
            registration = registrations.get(member.pk)
            chosen = {t.pk for t in registration.titles.all()} if registration else set()
            for title in self.titles:
                name = f"t-{member.pk}-{title.pk}"
                self.fields[name] = field_copy(
                    ticked,
                    cell_attrs("form-check-input grid-input", member.unit.name, title.name),
                )
                self.initial[name] = title.pk in chosen
                self.guard(name, key=(member.pk, "title", title.pk), shown=title.pk in chosen)
            for kind, column in COUNT_COLUMNS.items():
                name = f"{kind}-{member.pk}"
                css = "form-control form-control-sm text-end grid-input"
                self.fields[name] = field_copy(
                    count, {**cell_attrs(css, member.unit.name, column), "inputmode": "numeric"}
                )
                value = getattr(registration, kind) if registration else None
                self.initial[name] = number(Decimal(value)) if value is not None else ""
                self.guard(name, key=(member.pk, kind), shown=value)

    def rows(self):
        return [
            (
                member,
                [self[f"t-{member.pk}-{title.pk}"] for title in self.titles],
                self[f"collectives-{member.pk}"],
                self[f"individuals-{member.pk}"],
                self.registrations.get(member.pk),
            )
            for member in self.members
        ]

    def data_rows(self) -> dict[int, dict]:
        titles = {title.pk: title for title in self.titles}
        return {
            member.pk: {
                "titles": [
                    titles[pk] for pk in titles if self.cleaned_data.get(f"t-{member.pk}-{pk}")
                ],
                "collectives": self.cleaned_data.get(f"collectives-{member.pk}"),
                "individuals": self.cleaned_data.get(f"individuals-{member.pk}"),
            }
            for member in self.members
        }


class SignatureGridForm(SnapshotMixin, MarkInvalidMixin, forms.Form):
    """Who signed for each member; guarded against lost updates under the keys
    (member id, one of ``services.SIGNATURE_CELLS``) (``core.grids``)."""

    FIELDS = {
        "signed": "signed",
        "signer_name": "name",
        "signer_position": "position",
        "signed_on": "date",
    }

    def __init__(self, *args, members, signatures: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        text, check = "form-control form-control-sm grid-input", "form-check-input grid-input"
        for member in members:
            signature = signatures.get(member.pk)
            row = member.unit.name
            self.fields[f"signed-{member.pk}"] = forms.BooleanField(
                required=False,
                widget=widgets.CheckboxInput(attrs=cell_attrs(check, row, _("Signed"))),
            )
            self.fields[f"name-{member.pk}"] = forms.CharField(
                max_length=150,
                required=False,
                widget=widgets.TextInput(attrs=cell_attrs(text, row, _("Representative"))),
            )
            self.fields[f"position-{member.pk}"] = forms.CharField(
                max_length=255,
                required=False,
                widget=widgets.TextInput(attrs=cell_attrs(text, row, _("Position"))),
            )
            self.fields[f"date-{member.pk}"] = forms.DateField(
                required=False,
                widget=widgets.DateInput(attrs=cell_attrs(text, row, _("Signed on"))),
            )
            if signature:
                self.initial.update(
                    {
                        f"signed-{member.pk}": True,
                        f"name-{member.pk}": signature.signer_name,
                        f"position-{member.pk}": signature.signer_position,
                        f"date-{member.pk}": signature.signed_on,
                    }
                )
            for cell, value in signature_cells(signature).items():
                self.guard(f"{self.FIELDS[cell]}-{member.pk}", key=(member.pk, cell), shown=value)

    def rows(self):
        return [
            (
                member,
                self[f"signed-{member.pk}"],
                self[f"name-{member.pk}"],
                self[f"position-{member.pk}"],
                self[f"date-{member.pk}"],
            )
            for member in self.members
        ]

    def data_rows(self) -> dict[int, dict]:
        return {
            member.pk: {
                "signed": self.cleaned_data.get(f"signed-{member.pk}"),
                "signer_name": self.cleaned_data.get(f"name-{member.pk}", ""),
                "signer_position": self.cleaned_data.get(f"position-{member.pk}", ""),
                "signed_on": self.cleaned_data.get(f"date-{member.pk}"),
            }
            for member in self.members
        }


class MemberResultsForm(SnapshotMixin, MarkInvalidMixin, forms.Form):
    """One member's results for every target of a period, with evidence notes and files;
    guarded against lost updates under the keys (target id, "value" | "evidence" |
    "file") (``core.grids``)."""

    def __init__(self, *args, grid: selectors.Grid, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid, self.member = grid, member
        for target in grid.targets:
            row = grid.cell(target.pk, member.pk)
            self.fields[f"v-{target.pk}"] = cell_field(target, _("Actual value"))
            self.initial[f"v-{target.pk}"] = cell_initial(target, row)
            self.fields[f"evidence-{target.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                widget=widgets.Textarea(
                    attrs={
                        "rows": 1,
                        **cell_attrs(
                            "form-control form-control-sm grid-input",
                            target.name,
                            _("Evidence note"),
                        ),
                    }
                ),
            )
            self.initial[f"evidence-{target.pk}"] = row.evidence if row else ""
            self.fields[f"file-{target.pk}"] = forms.FileField(
                required=False,
                widget=forms.ClearableFileInput(
                    attrs=cell_attrs(
                        "form-control form-control-sm", target.name, _("Evidence file")
                    )
                ),
            )
            self.initial[f"file-{target.pk}"] = row.attachment if row and row.attachment else None
            self.guard(f"v-{target.pk}", key=(target.pk, "value"), shown=cell_value(row))
            self.guard(
                f"evidence-{target.pk}",
                key=(target.pk, "evidence"),
                shown=row.evidence if row else "",
            )
            self.guard(
                f"file-{target.pk}",
                key=(target.pk, "file"),
                shown=row.attachment.name if row and row.attachment else "",
            )

    def describe(self, bound_field) -> str:
        """A file by the name the user knows: the uploaded one, or the stored one."""
        if not isinstance(bound_field.field, forms.FileField):
            return super().describe(bound_field)
        upload = self.files.get(bound_field.html_name) if self.is_bound else None
        if upload:
            return upload.name
        if self.is_bound and self.data.get(f"{bound_field.html_name}-clear"):
            return gettext("(empty)")
        row = self.grid.cell(int(bound_field.name.split("-")[1]), self.member.pk)
        return row.attachment_name if row and row.attachment else gettext("(empty)")

    def clean(self):
        cleaned = super().clean()
        for target in self.grid.targets:
            upload = cleaned.get(f"file-{target.pk}")
            if isinstance(upload, UploadedFile):
                try:
                    validate_attachment(upload)
                except ValidationError as error:
                    self.add_error(f"file-{target.pk}", error)
        return cleaned

    def rows(self):
        return [
            (
                group,
                [
                    (
                        target,
                        self[f"v-{target.pk}"],
                        self[f"evidence-{target.pk}"],
                        self[f"file-{target.pk}"],
                        self.grid.cell(target.pk, self.member.pk),
                    )
                    for target in group.targets
                ],
            )
            for group in self.grid.groups
        ]

    def evidence_rows(self) -> dict[int, EvidenceRow]:
        rows = {}
        for target in self.grid.targets:
            upload = self.cleaned_data.get(f"file-{target.pk}")
            rows[target.pk] = EvidenceRow(
                cell=cell_from(target, self.cleaned_data.get(f"v-{target.pk}")),
                evidence=self.cleaned_data.get(f"evidence-{target.pk}", "").strip(),
                attachment=upload if isinstance(upload, UploadedFile) else None,
                clear_attachment=upload is False,
            )
        return rows


ImportForm = SpreadsheetUploadForm


# --- Expected shares of a period -------------------------------------------------------------


class ExpectationsForm(forms.Form):
    """The share of each target's commitment expected by the end of a period, one field
    per target that can be judged. Left empty, a field follows the calendar (shown as
    its placeholder)."""

    def __init__(self, *args, targets: list[Target], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = [t for t in targets if t.measure != Target.Measure.TEXT]
        for target in self.targets:
            label = f"{target.number}. {target.name}"
            self.fields[self.field_name(target)] = VietnameseDecimalField(
                label=label,
                max_digits=5,
                decimal_places=2,
                min_value=0,
                initial=format_decimal(target.stored_share) if target.share_is_set else "",
                widget=widgets.TextInput(
                    attrs={
                        "placeholder": format_decimal(target.calendar_share),
                        "inputmode": "decimal",
                    }
                ),
                help_text=gettext("Empty: %(share)s%% (by the calendar)")
                % {"share": format_decimal(target.calendar_share)},
            )

    @staticmethod
    def field_name(target: Target) -> str:
        return f"share_{target.pk}"

    def clean(self):
        cleaned = super().clean()
        for target in self.targets:
            share = cleaned.get(self.field_name(target))
            if share is not None and share > 100:
                self.add_error(
                    self.field_name(target), gettext("The expected share cannot exceed 100%.")
                )
        return cleaned

    def shares(self) -> dict[int, Decimal | None]:
        return {t.pk: self.cleaned_data.get(self.field_name(t)) for t in self.targets}
