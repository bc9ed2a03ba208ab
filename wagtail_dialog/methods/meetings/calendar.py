"""Calendar files (.ics, RFC 5545) for meetings: one meeting for its page and
the emails, every upcoming one for a feed. Times are written in the site's time
zone with its VTIMEZONE, so a calendar program shows the hour the page shows."""

import datetime
import functools
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vText

#: A meeting keeps its UID when moved or cancelled, so a calendar updates the event it has.
UID = "wagtail-dialog-meeting-{pk}@{host}"


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE) if settings.USE_TZ else None


@functools.lru_cache(maxsize=32)
def _timezone(tzid, first_year, last_year):
    # icalendar finds a zone's changes of offset by searching, day by day (from
    # 1970 to 2038 unless told otherwise), and asks its callers to cache the
    # result: for every year since 1970 that was most of a sign-up's email, and
    # the calendar file's longest part. The years of the meetings are enough.
    # Kept as its lines (the same each time): writing them out again was half
    # of what a one-meeting file cost.
    try:
        return Timezone.from_tzid(tzid, first_date=datetime.date(first_year, 1, 1),
                                  last_date=datetime.date(last_year + 1, 1, 1)).to_ical()
    except ValueError:  # a zone icalendar does not know: left out, as add_missing_timezones does
        return b""


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
    meetings = list(meetings)
    calendar = Calendar()
    calendar.add("prodid", "-//wagtail-dialog//meetings//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, host, urls.get(meeting.pk, ""), (sequences or {}).get(meeting.pk, 0),
                                      (online_links or {}).get(meeting.pk)))
    if not meetings:
        return calendar.to_ical()
    zone = _zone()
    years = [moment.astimezone(zone).year for meeting in meetings for moment in (meeting.starts_at, meeting.ends_at)]
    zones = b"".join(_timezone(tzid, min(years), max(years)) for tzid in sorted(calendar.get_missing_tzids()))
    if not zones:
        return calendar.to_ical()
    # The zones go first among the components, before the events: where the
    # first event begins (a line of its own; no value holds a bare line break).
    head, first_event, rest = calendar.to_ical().partition(b"\r\nBEGIN:VEVENT\r\n")
    return head + b"\r\n" + zones + first_event[2:] + rest
