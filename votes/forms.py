"""Forms of the votes pages: choices are restricted to the meeting's year and body."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import AwardType, ClusterMember, VoteRule
from votes.models import Vote
from votes.results import COUNT_FIELDS


def _members(meeting):
    return ClusterMember.objects.filter(cluster_year_id=meeting.cluster_year_id).select_related(
        "unit"
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.unit.name


class VoteCreateForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=VoteRule.Purpose.choices)
    award_type = forms.ModelChoiceField(
        label=_("Award type"),
        queryset=AwardType.objects.none(),
        required=False,
        help_text=_("For a nomination only."),
    )
    title = forms.CharField(label=_("Title of the vote"), max_length=500)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, initial=1)
    electronic = forms.BooleanField(
        label=_("Electronic ballots too"),
        required=False,
        help_text=_("Opening the vote issues one single-use code per voter."),
    )

    def __init__(self, *args, meeting, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        body_id = meeting.cluster_year.cluster.body_id
        self.fields["award_type"].queryset = AwardType.objects.filter(
            Q(body__isnull=True) | Q(body_id=body_id), is_active=True
        )


def _tellers_text(vote) -> str:
    return "\n".join(
        f"{t.full_name} — {t.position}" if t.position else t.full_name
        for t in vote.tellers.order_by("order", "pk")
    )


class VoteSetUpForm(forms.Form):
    """The whole set-up of a draft: title, seats, candidates, voter list, committee."""

    title = forms.CharField(label=_("Title of the vote"), max_length=500)
    seats = forms.IntegerField(label=_("Seats"), min_value=1)
    candidates = MemberChoiceField(
        label=_("Candidates"), queryset=ClusterMember.objects.none(), required=False
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For a free question: one option a line."),
    )
    voters = MemberChoiceField(
        label=_("Voter list"),
        queryset=ClusterMember.objects.none(),
        required=False,
        help_text=_("The member units present, who receive a ballot."),
    )
    tellers = forms.CharField(
        label=_("Counting committee"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One person a line: full name — position."),
    )

    def __init__(self, *args, vote: Vote, user=None, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": vote.title,
                "seats": vote.seats,
                "candidates": [c.member_id for c in vote.candidates.all() if c.member_id],
                "options": "\n".join(c.text for c in vote.candidates.all() if not c.member_id),
                "voters": [v.member_id for v in vote.voters.all()],
                "tellers": _tellers_text(vote),
            },
        )
        super().__init__(*args, **kwargs)
        members = _members(vote.meeting)
        self.fields["candidates"].queryset = members
        self.fields["voters"].queryset = members
        if vote.purpose == VoteRule.Purpose.QUESTION:
            del self.fields["candidates"]
        else:
            del self.fields["options"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        tellers = []
        for line in data["tellers"].splitlines():
            name, _sep, position = line.partition("—")
            if name.strip():
                tellers.append({"full_name": name.strip(), "position": position.strip()})
        return {
            "title": data["title"],
            "seats": data["seats"],
            "candidates": list(data.get("candidates") or []),
            "options": (data.get("options") or "").splitlines(),
            "voters": list(data["voters"]),
            "tellers": tellers,
        }


class TallyForm(forms.Form):
    """One committee member's entry of the paper counts."""

    teller = forms.ModelChoiceField(label=_("Entered by"), queryset=None)

    def __init__(self, *args, vote: Vote, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teller"].queryset = vote.tellers.order_by("order", "pk")
        labels = {
            "issued": _("ballots issued"),
            "returned": _("ballots returned"),
            "not_returned": _("ballots not returned"),
            "valid": _("valid ballots"),
            "invalid": _("invalid ballots"),
            "blank": _("blank ballots"),
        }
        for name in COUNT_FIELDS:
            self.fields[name] = forms.IntegerField(label=labels[name], min_value=0)
        self.candidate_fields = []
        for candidate in candidates:
            name = f"candidate_{candidate.pk}"
            self.fields[name] = forms.IntegerField(label=candidate.label, min_value=0)
            self.candidate_fields.append((candidate.pk, name))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "teller": data["teller"],
            "votes": {pk: data[name] for pk, name in self.candidate_fields},
            **{name: data[name] for name in COUNT_FIELDS},
        }


class PaperBallotForm(forms.Form):
    """One paper ballot as a committee member reads it: the candidates marked, and
    whether the committee found it unreadable (invalid whatever is marked)."""

    choices = forms.TypedMultipleChoiceField(
        label=_("Candidates marked"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unreadable = forms.BooleanField(label=_("Invalid ballot (unreadable)"), required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices"].choices = [(c.pk, c.label) for c in candidates]


class PaperIssuedForm(forms.Form):
    """The ballots issued and not returned, which one-by-one entry cannot count."""

    issued = forms.IntegerField(label=_("ballots issued"), min_value=0)
    not_returned = forms.IntegerField(label=_("ballots not returned"), min_value=0)


class PaperBallotDeleteForm(forms.Form):
    ballot = forms.UUIDField()
