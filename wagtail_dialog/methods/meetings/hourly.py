"""What runs every hour for meetings (``dialog_daily``, run hourly): seats whose
hold ran out go to the next in line, and reminders go out. Both can run twice,
or on two servers at once, without telling anyone twice: a reminder is claimed
by a conditional update before it is sent, and seat changes take the meeting's lock."""

import datetime

from django.utils import timezone

from wagtail_dialog.methods.meetings import notices, seats
from wagtail_dialog.methods.meetings.seats import Registration, RegistrationState

#: The longest reminder time an editor can choose is within this.
REMINDER_HORIZON = datetime.timedelta(days=30)


def pass_on_lapsed_seats(today=None, now=None, changed=None):
    """Lapse the holds whose time is up and offer their seats; ``changed(meeting)`` is called for each
    meeting whose seats changed (the registration purges its page from a shared cache)."""
    now = now or timezone.now()
    meetings = {}
    for registration in Registration.objects.filter(
            state__in=(RegistrationState.PENDING, RegistrationState.OFFERED), held_until__lte=now,
            meeting__live=True,
    ).select_related("meeting"):
        meetings.setdefault(registration.meeting_id, registration.meeting)
    offered = 0
    for meeting in meetings.values():
        offered += len(seats.refresh(meeting, now, told=notices.tell))
        if changed:
            changed(meeting)
    return f"holds lapsed at {len(meetings)} meetings; {offered} sign-ups offered seats"


def send_reminders(today=None, now=None):
    now = now or timezone.now()
    candidates = Registration.objects.filter(
        state=RegistrationState.CONFIRMED, reminded_at__isnull=True, personal_data_removed_at__isnull=True,
        meeting__live=True, meeting__cancelled=False, meeting__reminder_hours__gt=0,
        meeting__starts_at__gt=now, meeting__starts_at__lte=now + REMINDER_HORIZON,
    ).exclude(email="").select_related("meeting")
    sent = 0
    for registration in candidates:
        meeting = registration.meeting
        due_at = meeting.starts_at - datetime.timedelta(hours=meeting.reminder_hours)
        if now < due_at:
            continue
        # Claimed first: of two runs at once, one sends. Someone who confirmed within the
        # reminder time has just had the calendar file and needs no reminder.
        if not Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now):
            continue
        if registration.confirmed_at and registration.confirmed_at >= due_at:
            continue
        try:
            sent += notices.send(registration, "reminder", meeting)
        except Exception as error:
            notices.failed("reminder", registration, error)
            Registration.objects.filter(pk=registration.pk).update(reminded_at=None)  # tried again next hour
    return f"{sent} meeting reminders sent"
