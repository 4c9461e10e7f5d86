"""The votes' block on the meeting page; the votes that elected next year's head and
deputy on the cluster year page; the count minutes among the documents of the year."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.signals import YearSection, cluster_year_sections
from meetings.signals import meeting_sections
from votes import documents, permissions, selectors


@receiver(meeting_sections)
def votes_section(sender, request, meeting, **kwargs):
    return YearSection(
        order=10,
        template="votes/includes/_meeting_section.html",
        context={
            "meeting": meeting,
            "votes": selectors.votes_of_meeting(meeting),
            "can_create": permissions.can_create_vote(request.user, meeting),
        },
    )


year_documents.register(
    "count-minutes",
    label=_("Count minutes of the votes"),
    order=40,
    folder="bo-phieu",
    build=documents.year_count_minutes_documents,
)


@receiver(cluster_year_sections)
def elected_by_section(sender, request, cluster_year, **kwargs):
    """The votes that elected next year's head and deputy, inside the cluster year page's
    "Elected for next year" block (its ``slot``)."""
    if not (cluster_year.next_head_id or cluster_year.next_deputy_id):
        return None
    votes = selectors.elections_of_year(cluster_year)
    if not votes:
        return None
    return YearSection(
        order=0,
        template="votes/includes/_elected_by.html",
        context={"slot": "elected", "votes": votes},
    )
