"""The votes' block on the meeting page."""

from django.dispatch import receiver

from clusters.signals import YearSection
from meetings.signals import meeting_sections
from votes import permissions, selectors


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
