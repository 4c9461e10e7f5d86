"""The texts staff write into a year report before printing it."""

from django import forms

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
