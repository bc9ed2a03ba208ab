"""What the open data says of a meeting beyond every way to take part's own
fields (``followup.open_data``, through the registry): when and where, its kind
and format, whether it is cancelled, its accessibility as the facts on its page,
its seats and, once published, its report. Nothing of those signed up."""

from django.utils import timezone

from wagtail_dialog.methods.meetings.seats import seats_left_of
from wagtail_dialog.methods.meetings.upcoming import meeting_model


def _moment(value):
    # With the offset of the site's time zone, as the page shows the hour.
    return timezone.localtime(value).isoformat() if value else None


def meeting_data(meeting, seats_left=None):
    """One meeting's own fields as open data."""
    shown_link = meeting.online and not meeting.online_link_registered_only
    return {
        "kind": meeting.kind,
        "format": meeting.meeting_format,
        "starts_at": _moment(meeting.starts_at),
        "ends_at": _moment(meeting.ends_at),
        "place": {"venue": meeting.venue_name, "address": meeting.address} if meeting.in_person else None,
        "online_url": (meeting.online_link or None) if shown_link else None,
        "languages": meeting.languages,
        "cancelled": meeting.cancelled,
        "accessibility": {
            "step_free": meeting.step_free,
            "hearing_loop": meeting.hearing_loop,
            "accessible_toilet": meeting.accessible_toilet,
            "childcare": meeting.childcare,
            "interpretation_by": meeting.interpretation_by.isoformat() if meeting.interpretation_by else None,
        },
        "sign_up": meeting.sign_up,
        "seats": {"capacity": meeting.capacity, "seats_left": seats_left},
        "report": {"summary": meeting.report_summary, "attendance": meeting.attendance}
        if meeting.report_summary else None,
    }


def ways_data(ways):
    """The meetings among ``ways`` as open data, {page pk: fields}, in two queries
    whatever their number (the registry's ``open_data``)."""
    now = timezone.now()
    meetings = list(meeting_model().objects.filter(pk__in=[way.pk for way in ways]))
    left = seats_left_of([meeting for meeting in meetings if not meeting.cancelled and meeting.starts_at > now])
    return {meeting.pk: meeting_data(meeting, left.get(meeting.pk)) for meeting in meetings}
