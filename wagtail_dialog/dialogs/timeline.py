"""A dialog's dates as a timeline: opens, closes, decision, feedback, with today
placed among them.

Residents ask "when can I take part, and when do I hear back?": one list of
dated steps answers both, and marks where today falls, so a page never needs
the reader to compare dates in their head.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Milestone:
    kind: str
    label: Promise
    on: date
    #: True once the step has happened: its day has come (today included) and it was not only planned.
    reached: bool
    #: A planned date rather than one that happened (an expected decision, a promised feedback).
    planned: bool = False


def milestones(dialog, today):
    """The dialog's dated steps in time order; a step without a date is left out."""
    steps = []
    if dialog.opens_on:
        steps.append(("opens", _("Opens for contributions"), dialog.opens_on, False))
    if dialog.closes_on:
        steps.append(("closes", _("Last day for contributions"), dialog.closes_on, False))
    if dialog.decided_on:
        steps.append(("decision", _("Decision"), dialog.decided_on, False))
    elif dialog.decision_expected_on:
        steps.append(("decision", _("Decision expected"), dialog.decision_expected_on, True))
    if dialog.feedback_published_on:
        steps.append(("feedback", _("Feedback published"), dialog.feedback_published_on, False))
    elif dialog.feedback_due_on:
        steps.append(("feedback", _("Feedback promised by"), dialog.feedback_due_on, True))
    # Stable: steps on the same day keep the order above.
    steps.sort(key=lambda step: step[2])
    return [
        Milestone(kind, label, on, reached=on <= today and not planned, planned=planned)
        for kind, label, on, planned in steps
    ]


def today_position(steps, today):
    """Where today goes in ``steps``: the index of the first step after today
    (``len(steps)`` when every step has come)."""
    return next((index for index, step in enumerate(steps) if step.on > today), len(steps))
