"""What the rest of the package needs of meetings, registered in one place
(``methods.registry``; the app registers ``METHOD`` when it is ready)."""

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.meetings import exports, hourly, notices, open_data, personal_data, views
from wagtail_dialog.methods.meetings.facts import SignUp
from wagtail_dialog.methods.meetings.pages import MeetingPage
from wagtail_dialog.methods.registry import Method


def participants(dialogs):
    """Those who took part in the meetings of ``dialogs``, as counted at each meeting (its report):
    the annual follow-up's channel "meeting"."""
    below = Q(pk__in=[])
    for dialog in dialogs:
        below |= Q(path__startswith=dialog.path, depth=dialog.depth + 1)
    total = MeetingPage.objects.live().filter(below).aggregate(total=Sum("attendance"))["total"]
    return {Channel.MEETING: total} if total else {}


def archive_sheets(dialog):
    """A sheet for each meeting below ``dialog`` in its archive export: every sign-up, personal data
    included while it is kept (the archive is the municipality's record)."""
    return [
        (meeting.title, meeting.registrations.order_by("created_at", "pk"), exports.columns(personal_data=True),
         exports.chunks)
        for meeting in MeetingPage.objects.child_of(dialog).order_by("path")
    ]


def pass_on_lapsed_seats(today):
    """The hourly job, purging from a shared cache the page of each meeting whose seats changed."""
    return hourly.pass_on_lapsed_seats(today, changed=views.seats_changed)


def meeting_published(sender, instance, **kwargs):
    """page_published receiver: those signed up hear of a move or a cancellation."""
    if isinstance(instance, MeetingPage):
        notices.meeting_published(instance)


def asks_for_personal_data(dialog):
    """The live meetings below ``dialog`` that residents sign up for here, and what signing up asks."""
    meetings = MeetingPage.objects.live().child_of(dialog).filter(sign_up=SignUp.HERE).order_by("path")
    return [(meeting, [_("your name"), _("email address (or phone, when staff sign you up)"),
                       _("what you need to take part"),
                       ngettext("removed %(days)d day after the meeting", "removed %(days)d days after the meeting",
                                meeting.personal_data_days) % {"days": meeting.personal_data_days}])
            for meeting in meetings]


METHOD = Method(
    page_model="wagtail_dialog.MeetingPage",
    participants=participants,
    empty_personal_data=personal_data.empty_personal_data,
    holding_personal_data=personal_data.holding_personal_data,
    answers_holding=personal_data.answers_holding,
    erase_answers=personal_data.erase_answers,
    asks_for_personal_data=asks_for_personal_data,
    archive_sheets=archive_sheets,
    open_data=open_data.ways_data,
    daily_jobs=(
        ("meetings-personal-data", "Remove names, contact details and needs from meeting sign-ups their set "
         "number of days after the meeting.", personal_data.remove_after_meetings),
    ),
    hourly_jobs=(
        ("meetings-lapsed-seats", "Pass seats whose confirmation link was not clicked in time to the waiting list.",
         pass_on_lapsed_seats),
        ("meetings-reminders", "Email those signed up for a meeting its set number of hours before.",
         hourly.send_reminders),
    ),
)
