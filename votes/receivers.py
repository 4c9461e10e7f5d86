"""The votes' block on the meeting page; the count minutes among the documents of the year."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from clusters.documents import year_documents
from clusters.signals import YearSection
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
