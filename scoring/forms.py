"""Forms of scoring: the sheet and its criteria, the score grids, approval.

Score grids carry the sheet revision they were loaded at (hidden), so a save made after
someone else's is refused by ``services.scores_save``; ``rebased`` then rebuilds the form
on the newer revision, keeping every value the user typed.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import widgets
from core.forms import (
    EmptyLabelMixin,
    RowsFormSetMixin,
    ScopedModelChoiceField,
    ServiceErrorsFormSet,
    VietnameseDecimalField,
    decimal_formatter,
    field_copy,
)
from core.text import format_decimal
from meetings.models import Meeting
from pledges.forms import MarkInvalidMixin, cell_attrs
from scoring import selectors
from scoring.models import (
    POINT_DECIMALS,
    POINT_DIGITS,
    TIE_RULE_EXPLANATIONS,
    CriteriaSheet,
    Criterion,
    Level,
    TieRule,
)
from scoring.ranking import points
from scoring.services import StaleScores

# --- The sheet --------------------------------------------------------------------------------


def _points_field(label, **kwargs) -> VietnameseDecimalField:
    return VietnameseDecimalField(
        label=label,
        max_digits=POINT_DIGITS,
        decimal_places=POINT_DECIMALS,
        min_value=0,
        **kwargs,
    )


class SheetForm(forms.ModelForm):
    bonus_cap = _points_field(
        _("Cap on bonus points"),
        required=True,
        help_text=_("The bonus items together count for at most this many points."),
    )
    deduction_cap = _points_field(
        _("Cap on deductions"),
        required=True,
        help_text=_("The deduction items together take away at most this many points."),
    )

    class Meta:
        model = CriteriaSheet
        fields = ["name", "bonus_cap", "deduction_cap", "tie_rule", "note"]
        widgets = {
            "tie_rule": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tie_rule"].choices = [
            (rule.value, f"{rule.label} — {TIE_RULE_EXPLANATIONS[rule]}") for rule in TieRule
        ]
        self.fields["tie_rule"].help_text = _(
            "How members with the same total are ordered. Members still tied share the rank."
        )
        for name in ("bonus_cap", "deduction_cap"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):
                self.initial[name] = format_decimal(value)

    def settings(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


SMALL = "form-control form-control-sm"


class CriterionForm(EmptyLabelMixin, forms.ModelForm):
    max_points = _points_field(_("Maximum points"), required=True)

    class Meta:
        model = Criterion
        fields = ["order", "kind", "group", "name", "max_points", "is_veto", "guidance"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": SMALL, "min": 0}),
            "kind": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "group": forms.TextInput(attrs={"class": SMALL, "list": "criterion-groups"}),
            "name": forms.TextInput(attrs={"class": SMALL}),
            "is_veto": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "guidance": forms.TextInput(attrs={"class": SMALL}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["max_points"].widget.attrs["class"] = "form-control form-control-sm text-end"
        value = self.initial.get("max_points")
        if isinstance(value, Decimal):
            self.initial["max_points"] = format_decimal(value)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_veto") and cleaned.get("kind") != Criterion.Kind.CRITERION:
            self.add_error("is_veto", _("Only a criterion, not a bonus or deduction, can veto."))
        return cleaned


class BaseCriterionFormSet(RowsFormSetMixin, ServiceErrorsFormSet, forms.BaseModelFormSet):
    def __init__(self, *args, sheet, **kwargs):
        self.sheet = sheet
        super().__init__(*args, **kwargs)

    def rows(self):
        return Criterion.objects.filter(sheet=self.sheet).order_by("order", "pk")


CriterionFormSet = forms.modelformset_factory(
    Criterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=3, can_delete=True
)


class CopySheetForm(forms.Form):
    source = ScopedModelChoiceField(
        queryset=CriteriaSheet.objects.none(), label=_("Copy the criteria sheet of")
    )

    def __init__(self, *args, user, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = selectors.copy_sources_for(user, cluster_year)
        self.fields["source"].label_from_instance = lambda sheet: (
            _("%(year)s — %(cluster)s: %(name)s (%(count)s lines)")
            % {
                "year": sheet.cluster_year.year,
                "cluster": sheet.cluster_year.cluster.name,
                "name": sheet.name,
                "count": sheet.criterion_count,
            }
        )


class ApproveForm(forms.Form):
    meeting = ScopedModelChoiceField(
        queryset=Meeting.objects.none(),
        label=_("Approved at the meeting"),
        help_text=_("The year-end review meeting of this year, once held."),
    )

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = selectors.approval_meetings(sheet)
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.title} ({timezone.localtime(meeting.starts_at):%d/%m/%Y})"
        )


# --- Score grids ------------------------------------------------------------------------------


class ScoreField(VietnameseDecimalField):
    """Points typed the Vietnamese way, between 0 and the criterion's maximum."""

    def __init__(self, *, criterion: Criterion, column, **kwargs):
        """``column`` names the cell with the criterion for screen readers."""
        self.criterion = criterion
        super().__init__(
            max_digits=POINT_DIGITS,
            decimal_places=POINT_DECIMALS,
            widget=widgets.TextInput(attrs=self.cell_attrs(criterion, column)),
            **kwargs,
        )

    @staticmethod
    def cell_attrs(criterion: Criterion, column) -> dict:
        return {
            **cell_attrs(
                "form-control form-control-sm grid-input text-end", criterion.name, column
            ),
            "autocomplete": "off",
            "inputmode": "decimal",
            "data-max": str(criterion.max_points),
        }

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if number < 0:
            raise ValidationError(_("Scores cannot be negative."), code="min_value")
        if number > self.criterion.max_points:
            raise ValidationError(
                _("At most %(max)s points."),
                code="max_value",
                params={"max": points(self.criterion.max_points)},
            )
        return number


def _display(value, number=format_decimal) -> str:
    if value is None:
        return ""
    return number(value) if isinstance(value, Decimal) else str(value)


def _same(mine, theirs) -> bool:
    if isinstance(mine, str) or isinstance(theirs, str):
        return (mine or "").strip() == (theirs or "").strip()
    return mine == theirs


class RevisionForm(MarkInvalidMixin, forms.Form):
    """A score form stamped with the sheet revision and time it was loaded at.

    Posted cell names that are not fields of this form name another sheet's criteria or
    another year's members: answered with 404, like an id outside the user's scope.
    """

    cell_pattern = re.compile(r"^$")

    revision = forms.IntegerField(min_value=0, widget=widgets.HiddenInput)
    loaded_at = forms.DateTimeField(required=False, widget=widgets.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=100,
        required=False,
        widget=widgets.TextInput(attrs={"class": "form-control"}),
        help_text=_("Required after the ranking was approved; kept with each changed score."),
    )

    def __init__(self, *args, grid: selectors.ScoreGrid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.conflicts: dict[str, str] = {}
        self.stale_changes = []
        self.stale_since = None
        self.initial["revision"] = grid.sheet.revision
        self.initial["loaded_at"] = timezone.now().isoformat()
        self.fields["reason"].required = grid.sheet.is_approved
        if grid.sheet.is_approved:
            self.fields["reason"].widget.attrs["placeholder"] = _("Reason for the change")
        else:
            self.fields["reason"].widget = widgets.HiddenInput()

    def check_cells_in_scope(self) -> None:
        """Call once the cell fields exist."""
        if self.is_bound and any(
            self.cell_pattern.match(name) and name not in self.fields for name in self.data
        ):
            raise Http404("a posted cell is outside this sheet")

    def init_kwargs(self) -> dict:
        raise NotImplementedError

    def field_for(self, change) -> str | None:
        """The name of the field that shows ``change``'s value, if this form has one."""
        raise NotImplementedError

    def rebased(self, error: StaleScores, grid: selectors.ScoreGrid | None = None):
        """The form again at the current revision (``grid`` reloaded by the caller).

        Cells others changed and the user did not touch take the newer value; cells both
        changed keep the user's value and are flagged; everything else the user typed is
        kept as typed.
        """
        data = self.data.copy()
        first_old, last_change = {}, {}
        for change in error.changes:
            name = self.field_for(change)
            if name is not None and name in self.fields:
                first_old.setdefault(name, change.old)
                last_change[name] = change
        conflicts = {}
        for name, old in first_old.items():
            change = last_change[name]
            if _same(self.cleaned_data.get(name), old):
                data[name] = _display(change.new)
            elif not _same(self.cleaned_data.get(name), change.new):
                conflicts[name] = change
        data["revision"] = str(error.revision)
        data["loaded_at"] = timezone.now().isoformat()
        kwargs = self.init_kwargs()
        if grid is not None:
            kwargs["grid"] = grid
        form = type(self)(data, **kwargs)
        form.is_valid()
        form.stale_changes = error.changes
        form.stale_since = self.cleaned_data.get("loaded_at")
        form.add_error(None, error)
        form.mark_conflicts(conflicts)
        return form

    def mark_conflicts(self, conflicts: dict) -> None:
        for name, change in conflicts.items():
            attrs = self.fields[name].widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-conflict".strip()
            attrs["title"] = _("Also changed by %(user)s: %(old)s → %(new)s") % {
                "user": change.who or "—",
                "old": _display(change.old) or "—",
                "new": _display(change.new) or "—",
            }
            self.conflicts[name] = attrs["title"]


class ScoreGridForm(RevisionForm):
    """One level's scores as a criteria × members grid of cells ``c-<criterion>-<member>``.

    Invalid cells keep what the user typed and carry their error; nothing is saved until
    every cell is valid.
    """

    cell_pattern = re.compile(r"^c-\d+-\d+$")

    def __init__(self, *args, grid: selectors.ScoreGrid, level: Level, **kwargs):
        super().__init__(*args, grid=grid, **kwargs)
        self.level = Level(level)
        number = decimal_formatter()
        for criterion in grid.criteria:
            # One field per criterion, copied for each member (``core.forms.field_copy``).
            prototype = ScoreField(criterion=criterion, column="")
            for member in grid.members:
                name = self.cell_name(criterion.pk, member.pk)
                field = field_copy(prototype, ScoreField.cell_attrs(criterion, member.unit.name))
                score = grid.score(criterion.pk, member.pk)
                if score is not None:
                    self.initial[name] = _display(score.value(self.level), number)
                    hint = self._lower_level_value(score)
                    if hint is not None:
                        field.widget.attrs["placeholder"] = number(hint)
                self.fields[name] = field
        self.check_cells_in_scope()

    def _lower_level_value(self, score):
        if self.level == Level.CLUSTER:
            return score.self_score
        if self.level == Level.BOARD:
            return score.cluster_score if score.cluster_score is not None else score.self_score
        return None

    def init_kwargs(self) -> dict:
        return {"grid": self.grid, "level": self.level}

    @staticmethod
    def cell_name(criterion_id: int, member_id: int) -> str:
        return f"c-{criterion_id}-{member_id}"

    def field_for(self, change) -> str | None:
        if change.level != self.level:
            return None
        return self.cell_name(change.criterion.pk, change.member.pk)

    def rows(self):
        """[(section, [(criterion, [bound field per member])])] for the template."""
        return [
            (
                section,
                [
                    (
                        criterion,
                        [self[self.cell_name(criterion.pk, m.pk)] for m in self.grid.members],
                    )
                    for criterion in section.criteria
                ],
            )
            for section in self.grid.sections
        ]

    def cell_errors(self) -> list[str]:
        """Each invalid cell, named the way a person would: unit, criterion, message."""
        messages = []
        for criterion in self.grid.criteria:
            for member in self.grid.members:
                errors = self.errors.get(self.cell_name(criterion.pk, member.pk))
                if errors:
                    messages.append(
                        f"{member.unit.display_name} — {criterion.number} {criterion.name}: "
                        f"{' '.join(errors)}"
                    )
        return messages

    def cells(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (criterion.pk, member.pk): self.cleaned_data.get(
                self.cell_name(criterion.pk, member.pk)
            )
            for criterion in self.grid.criteria
            for member in self.grid.members
        }


class MemberScoresForm(RevisionForm):
    """One member's self-scores on every line of the sheet, with evidence notes."""

    cell_pattern = re.compile(r"^[ve]-\d+$")

    def __init__(self, *args, grid: selectors.ScoreGrid, member, **kwargs):
        super().__init__(*args, grid=grid, **kwargs)
        self.member = member
        for criterion in grid.criteria:
            score = grid.score(criterion.pk, member.pk)
            self.fields[f"v-{criterion.pk}"] = ScoreField(
                criterion=criterion, column=_("Self-score")
            )
            self.fields[f"e-{criterion.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                widget=widgets.Textarea(
                    attrs={
                        "rows": 1,
                        **cell_attrs(
                            "form-control form-control-sm grid-input",
                            criterion.name,
                            _("Evidence note"),
                        ),
                    }
                ),
            )
            if score is not None:
                self.initial[f"v-{criterion.pk}"] = _display(score.self_score)
                self.initial[f"e-{criterion.pk}"] = score.evidence
        self.check_cells_in_scope()

    def init_kwargs(self) -> dict:
        return {"grid": self.grid, "member": self.member}

    def field_for(self, change) -> str | None:
        if change.member.pk != self.member.pk:
            return None
        if change.field == "evidence":
            return f"e-{change.criterion.pk}"
        if change.level == Level.SELF:
            return f"v-{change.criterion.pk}"
        return None

    def rows(self):
        return [
            (
                section,
                [
                    (
                        criterion,
                        self[f"v-{criterion.pk}"],
                        self[f"e-{criterion.pk}"],
                        self.grid.score(criterion.pk, self.member.pk),
                    )
                    for criterion in section.criteria
                ],
            )
            for section in self.grid.sections
        ]

    def cell_errors(self) -> list[str]:
        messages = []
        for criterion in self.grid.criteria:
            for name in (f"v-{criterion.pk}", f"e-{criterion.pk}"):
                errors = self.errors.get(name)
                if errors:
                    messages.append(f"{criterion.number} {criterion.name}: {' '.join(errors)}")
        return messages

    def cells(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (c.pk, self.member.pk): self.cleaned_data.get(f"v-{c.pk}") for c in self.grid.criteria
        }

    def evidence(self) -> dict[tuple[int, int], str]:
        return {
            (c.pk, self.member.pk): (self.cleaned_data.get(f"e-{c.pk}") or "").strip()
            for c in self.grid.criteria
        }
