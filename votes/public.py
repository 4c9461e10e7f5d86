"""The public ballot page: the one page an anonymous visitor may use.

A voter opens it from the QR code on a paper slip (the code comes in the address) or
types the code from the slip; the page shows that code's ballot, and sending it casts
the ballot. No account, no JavaScript, Vietnamese only, made for a phone.

The code is the only right to vote, so wrong codes are throttled per address
(``BALLOT_CODE_FAILURE_RATE``, django-ratelimit): a hall of voters behind one Wi-Fi
address may mistype now and then, a guesser gets nowhere (see ``votes.codes``). A code
that is right, even one already used, does not count against the address.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect
from django_ratelimit.core import get_usage

from core.http import client_address
from votes import codes, selectors, services
from votes.models import BallotCode, Candidate, Vote

RATE_GROUP = "votes.ballot-code"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Ballot code"),
        max_length=40,
        help_text=gettext_lazy("The code printed on your slip, e.g. 7K3QX‑M9D2R."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "autofocus": True,
            }
        ),
    )


class PublicBallotForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    choices = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, vote: Vote, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.fields["choices"].choices = [(c.pk, c.label) for c in candidates]
        self.fields["choices"].error_messages["invalid_choice"] = _(
            "Choose among this vote's candidates."
        )

    def clean_choices(self):
        choices = self.cleaned_data["choices"]
        if len(choices) > self.vote.seats:
            raise ValidationError(
                _("You marked %(marked)s; choose at most %(seats)s.")
                % {"marked": len(choices), "seats": self.vote.seats}
            )
        return choices


@dataclass
class CodeCheck:
    """What a typed code opens: its vote, or why it opens nothing."""

    vote: Vote | None = None
    error: str = ""
    wrong: bool = False  # counts against the address


def check_code(typed: str) -> CodeCheck:
    code = codes.normalize(typed)
    row = (
        BallotCode.objects.filter(code_hash=codes.code_hash(code))
        .select_related("vote__meeting__cluster_year__cluster")
        .first()
        if code
        else None
    )
    if row is None:
        return CodeCheck(
            error=_("This code is not right. Check it against your slip and type it again."),
            wrong=True,
        )
    vote = row.vote
    if vote.status != Vote.Status.OPEN:
        return CodeCheck(
            error=_("The vote for this code has ended: ballots are no longer received.")
            if vote.status != Vote.Status.DRAFT
            else _("The vote for this code is not open yet.")
        )
    if row.used:
        return CodeCheck(
            error=_(
                "This code has already been used: a code casts one ballot only. "
                "If you did not use it, tell the counting committee."
            )
        )
    return CodeCheck(vote=vote)


def _wrong_tries(request, *, count_one: bool = False) -> bool:
    """Whether the address has used up its wrong tries (counting one more first when
    ``count_one``)."""
    usage = get_usage(
        request,
        group=RATE_GROUP,
        key=lambda _group, request: client_address(request),
        rate=settings.BALLOT_CODE_FAILURE_RATE,
        increment=count_one,
    )
    return usage is not None and usage["count"] >= usage["limit"]


def _page(request, template, context, status=200):
    response = render(request, f"votes/public/{template}", context, status=status)
    response.headers["Content-Language"] = "vi"
    # The address may hold a code: never sent to another site. ("no-referrer" would make
    # the browser send "Origin: null" with the form, which the CSRF check refuses.)
    response.headers["Referrer-Policy"] = "same-origin"
    add_never_cache_headers(response)
    return response


def _code_page(request, form, status=200):
    return _page(request, "code.html", {"form": form}, status=status)


def public_slips(request, issued: list[str]) -> dict:
    """The slips to print when a vote opens: each code as typed and its QR address."""
    ballot_url = request.build_absolute_uri(reverse("votes:public-ballot"))
    return {
        "ballot_url": ballot_url,
        "slips": [
            {"code": codes.display(code), "url": f"{ballot_url}?{urlencode({'code': code})}"}
            for code in issued
        ],
    }


@login_not_required
@csrf_protect
def ballot(request):
    """Type a code (or arrive with it from the QR code), see its ballot, cast it."""
    with translation.override("vi"):
        if _wrong_tries(request):
            return _page(request, "limited.html", {}, status=429)
        typed = request.POST.get("code") if request.method == "POST" else request.GET.get("code")
        if typed is None:
            return _code_page(request, CodeForm())
        code_form = CodeForm({"code": typed})
        checked = check_code(typed)
        if checked.vote is None:
            if checked.wrong:
                _wrong_tries(request, count_one=True)
            code_form.is_valid()
            code_form.add_error("code", checked.error)
            return _code_page(request, code_form)
        vote, candidates = checked.vote, selectors.candidates_of(checked.vote)
        code = codes.normalize(typed)
        if request.method == "POST" and "cast" in request.POST:
            form = PublicBallotForm(request.POST, vote=vote, candidates=candidates)
            if form.is_valid():
                try:
                    services.ballot_cast(vote=vote, code=code, choices=form.cleaned_data["choices"])
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect(reverse("votes:public-ballot-done"))
        else:
            form = PublicBallotForm(initial={"code": code}, vote=vote, candidates=candidates)
        return _page(
            request,
            "ballot.html",
            {
                "form": form,
                "vote": vote,
                "meeting": vote.meeting,
                "cluster": vote.meeting.cluster_year.cluster,
                "code": codes.display(code),
            },
        )


@login_not_required
def ballot_done(request):
    with translation.override("vi"):
        return _page(request, "done.html", {})
