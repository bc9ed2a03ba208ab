"""A meeting's personal data (names, contact details, needs) and when it goes:
a set number of days after the meeting, at the dialog's retention date if
that comes first, and on a person's request. What stays is what the annual
follow-up counts: how many signed up, came and by which channel."""

import datetime

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from wagtail_dialog.methods.meetings.seats import Registration

EMPTIED = {"name": "", "email": "", "phone": "", "needs_interpretation": "", "needs_access": "", "needs_diet": "",
           "key": ""}


def _below(dialog):
    return Q(meeting__path__startswith=dialog.path, meeting__depth=dialog.depth + 1)


def _holding():
    return Registration.objects.filter(personal_data_removed_at__isnull=True)


def remove_after_meetings(today, now=None):
    """The daily job: empty the sign-ups of meetings that ended their set number of days ago."""
    now = now or timezone.now()
    # Each meeting sets its own number of days: compared here, the same on every database.
    ended = _holding().filter(meeting__ends_at__lte=now).values_list(
        "meeting", "meeting__ends_at", "meeting__personal_data_days").distinct()
    due = [pk for pk, ends_at, days in ended if ends_at + datetime.timedelta(days=days) <= now]
    count = _holding().filter(meeting__in=due).update(**EMPTIED, personal_data_removed_at=now)
    return f"personal data removed from {count} meeting sign-ups"


def holding_personal_data(dialog):
    return _holding().filter(_below(dialog)).count()


def empty_personal_data(dialog):
    return _holding().filter(_below(dialog)).update(**EMPTIED, personal_data_removed_at=timezone.now())


def _with_email(email):
    address = (email or "").strip().casefold()
    if not address:
        return Registration.objects.none()
    return _holding().alias(address=Lower("email")).filter(address=address)


def answers_holding(email):
    return _with_email(email).count()


def erase_answers(email, delete):
    """A person's request: their sign-ups lose name, contact details and needs (or go, with ``delete``)."""
    found = _with_email(email)
    if delete:
        return found.delete()[0]
    return found.update(**EMPTIED, personal_data_removed_at=timezone.now())
