"""The printed documents of a vote: its ballot papers and its count minutes.

Each fetches the vote through ``votes.selectors.votes_for_user`` first, so another
cluster's vote is a 404. The minutes exist once the vote is closed: before that the
request is refused with the reason.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.http import file_response
from votes import selectors
from votes.documents import (
    COUNTED,
    render_ballots_pdf,
    render_count_minutes_docx,
    render_count_minutes_pdf,
)


def _counted_vote(request, pk):
    vote = selectors.vote_or_404(request.user, pk)
    if vote.status not in COUNTED:
        raise PermissionDenied(
            _("The count minutes are printed once the vote is closed and its results counted.")
        )
    return vote


def ballots_pdf(request, pk):
    vote = selectors.vote_or_404(request.user, pk)
    return file_response(
        render_ballots_pdf(vote=vote), filename=f"phieu-bau-{vote.pk}.pdf", kind="pdf", inline=True
    )


def minutes_pdf(request, pk):
    vote = _counted_vote(request, pk)
    return file_response(
        render_count_minutes_pdf(vote=vote),
        filename=f"bien-ban-kiem-phieu-{vote.pk}.pdf",
        kind="pdf",
        inline=True,
    )


def minutes_docx(request, pk):
    vote = _counted_vote(request, pk)
    return file_response(
        render_count_minutes_docx(vote=vote),
        filename=f"bien-ban-kiem-phieu-{vote.pk}.docx",
        kind="docx",
    )
