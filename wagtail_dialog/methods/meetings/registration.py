"""What the rest of the package needs of meetings, registered in one place
(``methods.registry``; the app registers ``METHOD`` when it is ready)."""

from django.db.models import Q, Sum

from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.meetings import hourly, notices, open_data, personal_data
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


def meeting_published(sender, instance, **kwargs):
    """page_published receiver: those signed up hear of a move or a cancellation."""
    if isinstance(instance, MeetingPage):
        notices.meeting_published(instance)


METHOD = Method(
    page_model="wagtail_dialog.MeetingPage",
    participants=participants,
    empty_personal_data=personal_data.empty_personal_data,
    holding_personal_data=personal_data.holding_personal_data,
    answers_holding=personal_data.answers_holding,
    erase_answers=personal_data.erase_answers,
    open_data=open_data.ways_data,
    daily_jobs=(
        ("meetings-personal-data", "Remove names, contact details and needs from meeting sign-ups their set "
         "number of days after the meeting.", personal_data.remove_after_meetings),
    ),
    hourly_jobs=(
        ("meetings-lapsed-seats", "Pass seats whose confirmation link was not clicked in time to the waiting list.",
         hourly.pass_on_lapsed_seats),
        ("meetings-reminders", "Email those signed up for a meeting its set number of hours before.",
         hourly.send_reminders),
    ),
)
