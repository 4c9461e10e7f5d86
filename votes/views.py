"""The votes pages: a meeting's votes, a vote's page with its counts and results, its
set-up, and the workflow buttons. Each fetches through a scoped selector first, so
another cluster's vote (or meeting) is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from core.permissions import Frozen
from core.views import ScopedMixin, ServiceFormView, workflow_action
from meetings.selectors import meetings_for_user
from votes import permissions, selectors, services
from votes.forms import (
    PaperBallotDeleteForm,
    PaperBallotForm,
    PaperIssuedForm,
    TallyForm,
    VoteCreateForm,
    VoteSetUpForm,
)
from votes.models import PaperBallot, Tally
from votes.public import public_slips


def _meeting(request, pk):
    return get_object_or_404(meetings_for_user(request.user), pk=pk)


def _vote(request, pk):
    return selectors.vote_or_404(request.user, pk)


class VoteListView(TemplateView):
    """The votes of one meeting."""

    template_name = "votes/vote_list.html"

    def get_context_data(self, **kwargs):
        meeting = _meeting(self.request, self.kwargs["pk"])
        return super().get_context_data(
            meeting=meeting,
            cluster_year=meeting.cluster_year,
            cluster=meeting.cluster_year.cluster,
            votes=selectors.votes_of_meeting(meeting),
            can_create=permissions.can_create_vote(self.request.user, meeting),
            **kwargs,
        )


class VoteCreateView(ServiceFormView):
    template_name = "votes/vote_form.html"
    form_class = VoteCreateForm

    def dispatch(self, request, *args, **kwargs):
        self.meeting = _meeting(request, kwargs["pk"])
        if not permissions.can_create_vote(request.user, self.meeting):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting,
            cluster_year=self.meeting.cluster_year,
            cluster=self.meeting.cluster_year.cluster,
            **kwargs,
        )

    def save(self, form):
        return services.vote_create(meeting=self.meeting, **form.cleaned_data)

    def get_success_url(self):
        return reverse("votes:vote-update", args=[self.object.pk])


class VoteSetUpView(ScopedMixin, ServiceFormView):
    template_name = "votes/vote_form.html"
    form_class = VoteSetUpForm
    selector = staticmethod(selectors.votes_for_user)
    frozen = staticmethod(lambda user, vote: services.frozen_reason(vote))
    permission = staticmethod(permissions.can_change_vote)

    def dispatch(self, request, *args, **kwargs):
        self.vote = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"vote": self.vote}

    def get_context_data(self, **kwargs):
        meeting = self.vote.meeting
        return super().get_context_data(
            vote=self.vote,
            meeting=meeting,
            cluster_year=meeting.cluster_year,
            cluster=meeting.cluster_year.cluster,
            **kwargs,
        )

    def save(self, form):
        return services.vote_set_up(vote=self.vote, **form.service_kwargs())


class VoteDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.votes_for_user)
    template_name = "votes/vote_detail.html"
    context_object_name = "vote"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, vote = self.request.user, self.object
        candidates = selectors.candidates_of(vote)
        can_count = permissions.can_count_vote(user, vote)
        problems = []
        if vote.status == vote.Status.OPEN:
            _counts, problems = services.vote_counts(vote)
        context.update(
            meeting=vote.meeting,
            cluster_year=vote.meeting.cluster_year,
            cluster=vote.meeting.cluster_year.cluster,
            candidates=candidates,
            voters=list(vote.voters.select_related("member__unit")),
            tellers=list(vote.tellers.order_by("order", "pk")),
            tallies=selectors.tallies_of(vote, candidates),
            problems=problems,
            tally_form=TallyForm(vote=vote, candidates=candidates) if can_count else None,
            can_change=permissions.can_change_vote(user, vote),
            can_open=permissions.can_open_vote(user, vote),
            can_count=can_count,
            can_confirm=permissions.can_confirm_vote(user, vote),
            can_correct=permissions.can_correct_vote(user, vote),
            codes_used=vote.codes.filter(used=True).count() if vote.electronic else None,
            next_year=selectors.next_year_notice(vote, user),
        )
        return context


@require_POST
def tally_enter(request, pk):
    vote = _vote(request, pk)
    if vote.status != vote.Status.OPEN and not vote.is_draft:
        raise Frozen(services.frozen_reason(vote))
    if not permissions.can_count_vote(request.user, vote):
        raise PermissionDenied
    form = TallyForm(request.POST, vote=vote, candidates=selectors.candidates_of(vote))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(vote)
    try:
        tally = services.tally_enter(vote=vote, **form.service_kwargs())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The counts entered by %(name)s are saved.") % {"name": tally.teller}
        )
    return redirect(vote)


def _action(request, pk, *, check, service, success, success_url=None):
    vote = _vote(request, pk)
    frozen = services.frozen_reason(vote) if vote.is_confirmed and check != "correct" else ""
    return workflow_action(
        request,
        obj=vote,
        allowed=getattr(permissions, f"can_{check}_vote")(request.user, vote),
        service=lambda: service(vote=vote),
        success=success,
        success_url=success_url,
        frozen=frozen,
    )


@require_POST
def vote_open(request, pk):
    """Open the vote; an electronic one answers with its codes, shown this once only."""
    vote = _vote(request, pk)
    if vote.is_confirmed:
        raise Frozen(services.frozen_reason(vote))
    if not permissions.can_open_vote(request.user, vote):
        raise PermissionDenied
    try:
        opened = services.vote_open(vote=vote)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(vote)
    messages.success(request, _("The vote is open."))
    if not opened.issued_codes:
        return redirect(vote)
    response = render(
        request,
        "votes/vote_codes.html",
        {
            "vote": opened,
            "meeting": opened.meeting,
            "cluster_year": opened.meeting.cluster_year,
            "cluster": opened.meeting.cluster_year.cluster,
            "codes": opened.issued_codes,
            **public_slips(request, opened.issued_codes),
        },
    )
    add_never_cache_headers(response)
    return response


@require_POST
def vote_close(request, pk):
    return _action(
        request,
        pk,
        check="count",
        service=services.vote_close,
        success=_("The vote is closed and its results are counted."),
    )


@require_POST
def vote_confirm(request, pk):
    return _action(
        request,
        pk,
        check="confirm",
        service=services.vote_confirm,
        success=_("The results are confirmed."),
    )


@require_POST
def vote_correct(request, pk):
    return _action(
        request,
        pk,
        check="correct",
        service=services.vote_correct,
        success=_("A correcting vote is created: set it up and hold it."),
        success_url=lambda correction: correction.get_absolute_url(),
    )


# --- Paper ballots entered one by one ------------------------------------------------------


def _teller(request, pk, teller_pk):
    """The vote and one member of its committee, while counting is allowed: another
    cluster's vote or another vote's teller is a 404, a closed vote is frozen."""
    vote = _vote(request, pk)
    teller = get_object_or_404(vote.tellers.all(), pk=teller_pk)
    if vote.status != vote.Status.OPEN and not vote.is_draft:
        raise Frozen(services.frozen_reason(vote))
    if not permissions.can_count_vote(request.user, vote):
        raise PermissionDenied
    return vote, teller


def _ballots_url(vote, teller):
    return reverse("votes:paper-ballots", args=[vote.pk, teller.pk])


def _errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


def paper_ballots(request, pk, teller_pk):
    """A committee member's ballots, entered one at a time: GET shows the blank ballot
    form, the member's running counts and the ballots entered; POST records one."""
    vote, teller = _teller(request, pk, teller_pk)
    candidates = selectors.candidates_of(vote)
    if request.method == "POST":
        form = PaperBallotForm(request.POST, candidates=candidates)
        if not form.is_valid():
            messages.error(request, _("Choose among this vote's candidates."))
        else:
            try:
                ballot = services.paper_ballot_add(
                    vote=vote,
                    teller=teller,
                    choices=form.cleaned_data["choices"],
                    unreadable=form.cleaned_data["unreadable"],
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(
                    request,
                    _("Ballot number %(number)s recorded: %(kind)s.")
                    % {"number": ballot.number, "kind": PaperBallot.Kind(ballot.kind).label},
                )
        return redirect(_ballots_url(vote, teller))
    form = PaperBallotForm(candidates=candidates)
    tally = Tally.objects.filter(vote=vote, teller=teller).first()
    ballots = list(PaperBallot.objects.filter(tally=tally)) if tally else []
    labels = {c.pk: c.label for c in candidates}
    rows = [
        {
            "number": number,
            "ballot": ballot,
            "marked": [labels.get(i, "?") for i in ballot.choices],
        }
        for number, ballot in enumerate(ballots, start=1)
    ]
    votes = dict.fromkeys(labels, 0)
    for ballot in ballots:
        if ballot.kind == PaperBallot.Kind.VALID:
            for candidate_id in ballot.choices:
                votes[candidate_id] = votes.get(candidate_id, 0) + 1
    totals_entered = not ballots and services.entered_as_totals(tally)
    issued = tally.issued if tally else vote.present_count
    return render(
        request,
        "votes/paper_ballots.html",
        {
            "vote": vote,
            "teller": teller,
            "meeting": vote.meeting,
            "cluster_year": vote.meeting.cluster_year,
            "cluster": vote.meeting.cluster_year.cluster,
            "candidates": candidates,
            "form": form,
            "issued_form": PaperIssuedForm(
                initial={"issued": issued, "not_returned": tally.not_returned if tally else 0}
            ),
            "tally": tally,
            "rows": rows,
            "candidate_votes": [(labels[i], votes[i]) for i in labels],
            "returned": len(ballots),
            "left": (issued or 0) - len(ballots),
            "totals_entered": totals_entered,
        },
    )


@require_POST
def paper_ballot_delete(request, pk, teller_pk):
    vote, teller = _teller(request, pk, teller_pk)
    form = PaperBallotDeleteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("This ballot is not among those entered by this member."))
        services.paper_ballot_delete(
            vote=vote, teller=teller, ballot_id=form.cleaned_data["ballot"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The ballot is deleted; the counts follow."))
    return redirect(_ballots_url(vote, teller))


@require_POST
def paper_ballots_issued(request, pk, teller_pk):
    vote, teller = _teller(request, pk, teller_pk)
    form = PaperIssuedForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Counts are whole numbers, zero or more."))
        services.paper_tally_set_issued(vote=vote, teller=teller, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The ballots issued and not returned are saved."))
    return redirect(_ballots_url(vote, teller))


@require_POST
def paper_ballots_start_over(request, pk, teller_pk):
    vote, teller = _teller(request, pk, teller_pk)
    try:
        services.paper_tally_start_over(vote=vote, teller=teller)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("The entry of %(name)s is deleted: enter it again.") % {"name": teller.full_name},
        )
    return redirect(_ballots_url(vote, teller))
