"""A dialog's status follows from its dates and recorded outcome, never from a
hand-set flag, so the page, the index filter and later reports cannot disagree.

``status_of`` decides for one dialog in Python; ``status_filter`` gives the same
answer as a database filter. Both read the same rules, in the same order.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DialogStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed, awaiting decision")
    DECIDED = "decided", _("Decided")
    FEEDBACK_GIVEN = "feedback-given", _("Feedback given")


def status_of(dialog, today):
    if dialog.feedback_published_on and dialog.feedback_published_on <= today:
        return DialogStatus.FEEDBACK_GIVEN
    if dialog.decided_on and dialog.decided_on <= today:
        return DialogStatus.DECIDED
    if dialog.closes_on and dialog.closes_on < today:
        return DialogStatus.CLOSED
    if dialog.opens_on and dialog.opens_on <= today:
        return DialogStatus.OPEN
    return DialogStatus.UPCOMING


def status_filter(status, today):
    """A Q object matching the dialogs whose ``status_of`` is ``status``."""
    feedback_given = Q(feedback_published_on__lte=today)
    decided = Q(decided_on__lte=today) & ~feedback_given
    closed = Q(closes_on__lt=today) & ~Q(decided_on__lte=today) & ~feedback_given
    earlier = Q(feedback_published_on__lte=today) | Q(decided_on__lte=today) | Q(closes_on__lt=today)
    opened = Q(opens_on__lte=today) & ~earlier
    upcoming = ~Q(opens_on__lte=today) & ~earlier
    return {
        DialogStatus.FEEDBACK_GIVEN: feedback_given,
        DialogStatus.DECIDED: decided,
        DialogStatus.CLOSED: closed,
        DialogStatus.OPEN: opened,
        DialogStatus.UPCOMING: upcoming,
    }[DialogStatus(status)]
