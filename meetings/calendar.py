"""An .ics file per meeting, so it lands in officials' calendars."""

import datetime

from django.utils import timezone

from meetings.documents import place_line
from meetings.models import Meeting

DEFAULT_LENGTH = datetime.timedelta(hours=3)


def meeting_ics(meeting: Meeting, *, url: str = "") -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Thi dua - Khen thuong//Hoi nghi cum thi dua//VI")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@thidua")
    event.add("summary", f"{meeting.title} — {meeting.cluster_year.cluster.name}")
    # Local times with their zone (TZID=Asia/Ho_Chi_Minh), as calendars show them.
    starts = timezone.localtime(meeting.starts_at)
    event.add("dtstart", starts)
    event.add(
        "dtend", timezone.localtime(meeting.ends_at) if meeting.ends_at else starts + DEFAULT_LENGTH
    )
    event.add("dtstamp", meeting.updated_at)
    location = place_line(meeting)
    if location:
        event.add("location", location)
    description = [meeting.get_kind_display(), meeting.cluster_year.cluster.name]
    if url:
        event.add("url", url)
        description.append(url)
    event.add("description", "\n".join(str(line) for line in description))
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
