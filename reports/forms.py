"""The texts staff write into a year report before printing it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import ReportText


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = ReportText
        fields = ["introduction", "assessment", "next_tasks"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "assessment": forms.Textarea(attrs={"rows": 10}),
            "next_tasks": forms.Textarea(attrs={"rows": 10}),
        }


class SummaryExportForm(forms.Form):
    """What to prepare for a body's year: its summary or every cluster's report."""

    WHAT_CHOICES = [
        ("summary", _("Summary of the clusters and blocs")),
        ("reports", _("Reports of every cluster and bloc (ZIP)")),
    ]

    what = forms.ChoiceField(label=_("File"), choices=WHAT_CHOICES)
    kind = forms.ChoiceField(
        label=_("Report"), choices=ReportText.Kind.choices, required=False, initial="year-end"
    )
    fmt = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("docx", "Word"), ("xlsx", "Excel")],
        initial="pdf",
    )

    def clean(self):
        data = super().clean()
        data["kind"] = data.get("kind") or "year-end"
        return data
