"""Feedback as a dated promise.

A dialog page may promise feedback by a date (``feedback_due_on``). Until the
feedback is published (``feedback_published_on``) that date is a deadline: the
admin lists dialogs whose feedback is late or soon due, and the public page
says plainly when the promised feedback is late.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.conf import dialog_setting


class FeedbackState(models.TextChoices):
    GIVEN = "given", _("Feedback given")
    LATE = "late", _("Feedback late")
    DUE_SOON = "due-soon", _("Feedback due soon")
    PROMISED = "promised", _("Feedback promised")


def soon(today):
    """The last day that counts as "soon" from ``today``."""
    return today + datetime.timedelta(days=int(dialog_setting("FEEDBACK_SOON_DAYS")))


def feedback_state(dialog, today):
    """Where ``dialog`` stands with its promised feedback on ``today``; None
    when no feedback was promised by a date and none has been given."""
    if dialog.feedback_published_on and dialog.feedback_published_on <= today:
        return FeedbackState.GIVEN
    if not dialog.feedback_due_on:
        return None
    if dialog.feedback_due_on < today:
        return FeedbackState.LATE
    if dialog.feedback_due_on <= soon(today):
        return FeedbackState.DUE_SOON
    return FeedbackState.PROMISED


def days_late(dialog, today):
    """How many days the promised feedback is late (0 when it is not)."""
    if feedback_state(dialog, today) != FeedbackState.LATE:
        return 0
    return (today - dialog.feedback_due_on).days


def deadlines(dialogs, today):
    """Those of ``dialogs`` (a queryset of dialog pages) whose promised
    feedback is late or due within FEEDBACK_SOON_DAYS, the earliest promise first."""
    given = models.Q(feedback_published_on__lte=today)
    return dialogs.filter(feedback_due_on__lte=soon(today)).exclude(given).order_by("feedback_due_on", "title")
