"""A meeting's personal data (names, contact details, needs) and when it goes:
a set number of days after the meeting, at the dialog's retention date if
that comes first, and on a person's request. What stays is what the annual
follow-up counts: how many signed up, came and by which channel."""

import datetime

from django.db.models import Q
from django.utils import timezone

from wagtail_dialog.methods.meetings import notices, seats
from wagtail_dialog.methods.meetings.seats import EXPECTING, Registration

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


def _free_seats(registrations, now=None):
    """Cancel those of ``registrations`` still expecting a meeting to come: emptied, they could no
    longer cancel, and their seats would stay taken."""
    now = now or timezone.now()
    for registration in registrations.filter(state__in=EXPECTING, meeting__ends_at__gt=now).select_related(
            "meeting"):
        seats.cancel(registration, now, told=notices.tell)


def holding_personal_data(dialog):
    return _holding().filter(_below(dialog)).count()


def empty_personal_data(dialog):
    _free_seats(_holding().filter(_below(dialog)))
    return _holding().filter(_below(dialog)).update(**EMPTIED, personal_data_removed_at=timezone.now())


def _with_email(email):
    address = (email or "").strip().casefold()
    if not address:
        return Registration.objects.none()
    # Compared in Python: SQLite lowers only ASCII letters ("BÄCK" is not "bäck" there).
    pks = [pk for pk, stored in _holding().exclude(email="").values_list("pk", "email")
           if stored.strip().casefold() == address]
    return Registration.objects.filter(pk__in=pks)


def answers_holding(email):
    return _with_email(email).count()


def erase_answers(email, delete):
    """A person's request: their sign-ups lose name, contact details and needs (or go, with ``delete``)."""
    found = _with_email(email)
    _free_seats(found)
    if delete:
        return found.delete()[0]
    return found.update(**EMPTIED, personal_data_removed_at=timezone.now())
