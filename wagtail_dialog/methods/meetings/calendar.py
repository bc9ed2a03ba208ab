"""Calendar files (.ics, RFC 5545) for meetings: one meeting for its page and
the emails, every upcoming one for a feed. Times are written in the site's time
zone with its VTIMEZONE, so a calendar program shows the hour the page shows."""

import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

#: A meeting keeps its UID when moved or cancelled, so a calendar updates the event it has.
UID = "wagtail-dialog-meeting-{pk}@{host}"


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE) if settings.USE_TZ else None


def _event(meeting, host, url, sequence=0, online_link=None):
    zone = _zone()
    event = Event()
    event.add("uid", UID.format(pk=meeting.pk, host=host))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone) if zone else meeting.starts_at)
    event.add("dtend", meeting.ends_at.astimezone(zone) if zone else meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.place:
        event.add("location", vText(meeting.place))
    description = [meeting.summary or meeting.intro]
    link = online_link if online_link is not None else (
        meeting.online_link if meeting.online and not meeting.online_link_registered_only else "")
    if link:
        description.append(link)
    description.append(url)
    event.add("description", "\n\n".join(part for part in description if part))
    if url:
        event.add("url", url)
    return event


def calendar_file(meetings, host, urls, sequences=None, online_links=None, name=""):
    """The .ics bytes for ``meetings``; ``urls`` (and ``sequences``, ``online_links``) by meeting pk."""
    calendar = Calendar()
    calendar.add("prodid", "-//wagtail-dialog//meetings//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, host, urls.get(meeting.pk, ""), (sequences or {}).get(meeting.pk, 0),
                                      (online_links or {}).get(meeting.pk)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
