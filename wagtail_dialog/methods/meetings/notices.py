"""The emails to those signed up for a meeting. Every one carries the meeting's
calendar file and the link to their own sign-up page, where they confirm or
cancel; none carries anyone's data but the recipient's own.

A move (new time or place) or a cancellation is told once: the meeting's state
row keeps what was last told, and the calendar file's SEQUENCE goes up so a
calendar program updates the event it already has.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Page

from wagtail_dialog.compat import task
from wagtail_dialog.contributions.notifications import send_email, site_context
from wagtail_dialog.dialogs.site_settings import request_site_of
from wagtail_dialog.methods.meetings.calendar import calendar_file
from wagtail_dialog.methods.meetings.seats import (
    EXPECTING,
    MeetingState,
    RegistrationState,
    refresh,
    waiting_position,
)

logger = logging.getLogger(__name__)

EVENTS = ("confirm", "waiting", "confirmed", "offered", "reminder", "moved", "cancelled", "reinstated", "message")
#: A sign-up's own page, below the meeting's address (views.REGISTRATION_PATH).
REGISTRATION_PATH = "registration"


def uid_host(meeting, request=None):
    """The host in a meeting's calendar UID: its site's, the same in every email and file, so that a
    calendar program updates the one event rather than adding another."""
    site = (request_site_of(meeting, request) if request is not None else None) or meeting.get_site()
    return (site.hostname if site else "") or "localhost"


def registration_url(meeting, registration, base=None):
    base = (base or meeting.get_full_url() or "").rstrip("/")
    return f"{base}/{REGISTRATION_PATH}/{registration.token}/"


def _subject(event, meeting, subject):
    titles = {
        "confirm": _("Confirm your seat at “%(title)s”"),
        "waiting": _("You are on the waiting list for “%(title)s”"),
        "confirmed": _("Your seat at “%(title)s” is confirmed"),
        "offered": _("A seat has come free at “%(title)s”"),
        "reminder": _("Reminder: “%(title)s”"),
        "moved": _("“%(title)s” has changed"),
        "cancelled": _("“%(title)s” is cancelled"),
        "reinstated": _("“%(title)s” takes place after all"),
    }
    return subject or titles[event] % {"title": meeting.title}


def send(registration, event, meeting=None, subject="", body="", base=None):
    """Email ``registration`` about ``event``; False when it has no address."""
    if event not in EVENTS:
        raise ValueError(event)
    if not registration.email or not registration.key:
        return False
    meeting = meeting or registration.meeting
    dialog = meeting.dialog
    url = (base or meeting.get_full_url() or "")
    state = MeetingState.objects.filter(meeting_id=meeting.pk).first()
    sequence = state.sequence if state else 0
    # The link to join goes to those whose seat is confirmed (a hold costs nothing: it may lapse).
    online_link = meeting.online_link if meeting.online and registration.state == RegistrationState.CONFIRMED else ""
    ics = calendar_file([meeting], uid_host(meeting), {meeting.pk: url}, {meeting.pk: sequence},
                        {meeting.pk: online_link})
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        context = {
            **site_context(dialog), "dialog": dialog, "meeting": meeting, "registration": registration,
            "event": event, "link": registration_url(meeting, registration, base), "meeting_url": url,
            "online_link": online_link, "body": body,
            "position": waiting_position(registration) if registration.state == RegistrationState.WAITING else None,
        }
        send_email(_subject(event, meeting, subject), "meeting", context, [registration.email],
                   attachments=[("meeting.ics", ics, "text/calendar")])
    return True


def failed(event, registration, error):
    """Log a failed email by its kind only: an SMTP error's text can hold the address."""
    logger.error("Meeting email %s to registration %s could not be sent (%s)", event, registration.pk,
                 type(error).__name__)


def tell(registrations, event):
    """Email each of ``registrations`` about ``event``, logging (not raising) what fails. Seats offered
    to someone the email did not reach go back to the waiting list, in their old place."""
    sent = 0
    for registration in registrations:
        try:
            sent += send(registration, event)
        except Exception as error:
            failed(event, registration, error)
            if event == "offered":
                registration.meeting.registrations.filter(pk=registration.pk, state=RegistrationState.OFFERED).update(
                    state=RegistrationState.WAITING, held_until=None)
    return sent


@task()
def tell_everyone(meeting_pk, event, subject="", body=""):
    """Email everyone still expecting to come (or to hear of a seat) about ``event``."""
    page = Page.objects.filter(pk=meeting_pk).first()
    if page is None:
        return 0
    meeting = page.specific
    registrations = meeting.registrations.filter(state__in=EXPECTING).exclude(email="").order_by("pk")
    return tell(registrations, event) if event != "message" else sum(
        _send_message(registration, meeting, subject, body) for registration in registrations)


#: The page history's entry for a message to everyone signed up.
MESSAGE_LOG_ACTION = "wagtail_dialog.meeting_message"


class MessageLog(LogFormatter):
    """The history's line for a message to everyone signed up: its subject and how many it went to."""

    label = gettext_lazy("Message to everyone signed up")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        count = data.get("recipients", 0)
        return ngettext("Message to everyone signed up: “%(subject)s” (%(count)d person)",
                        "Message to everyone signed up: “%(subject)s” (%(count)d people)",
                        count) % {"subject": data.get("subject", ""), "count": count}


def message_everyone(meeting, user, subject, body, recipients):
    """Send staff's message to everyone signed up (by the task worker, after the commit), and
    record in the meeting's history who sent what to how many. The text itself is not kept there:
    it may name people, and the history outlives the sign-ups."""
    log(instance=meeting, action=MESSAGE_LOG_ACTION, user=user, data={"subject": subject, "recipients": recipients})
    pk = meeting.pk
    transaction.on_commit(lambda: tell_everyone.enqueue(pk, "message", subject, body))


def _send_message(registration, meeting, subject, body):
    try:
        return send(registration, "message", meeting, subject, body)
    except Exception as error:
        failed("message", registration, error)
        return False


def meeting_published(meeting):
    """After a meeting is published: tell those signed up if its time or place
    changed or it was cancelled (once), and offer any seats it gained."""
    state, _created = MeetingState.objects.get_or_create(meeting_id=meeting.pk)
    where = meeting.where_told()
    moved = state.told_starts_at is not None and (
        state.told_starts_at != meeting.starts_at or state.told_ends_at != meeting.ends_at
        or state.told_place != where)
    cancelled = meeting.cancelled and not state.told_cancelled
    reinstated = state.told_cancelled and not meeting.cancelled
    changed = MeetingState.objects.filter(
        pk=state.pk, told_starts_at=state.told_starts_at, told_ends_at=state.told_ends_at,
        told_place=state.told_place, told_cancelled=state.told_cancelled,
    ).update(told_starts_at=meeting.starts_at, told_ends_at=meeting.ends_at, told_place=where,
             told_cancelled=meeting.cancelled,
             sequence=state.sequence + (1 if moved or cancelled or reinstated else 0))
    # Of two publishes at once, the one whose update found the old values tells.
    if changed and (moved or cancelled or reinstated):
        event = "cancelled" if cancelled else "reinstated" if reinstated else "moved"
        # A reminder already sent was for the old time: the new one is reminded of again.
        meeting.registrations.update(reminded_at=None)
        transaction.on_commit(lambda: tell_everyone.enqueue(meeting.pk, event))
    if not meeting.cancelled and meeting.starts_at > timezone.now():
        refresh(meeting, told=tell)
