"""Ideas for a participatory budget (medborgarbudget): a dialog that collects
ideas (``DialogPage.collects_ideas``) asks with each contribution what it may
cost and where; staff assess each idea as feasible or not, with a public reason
and their own cost estimate. Feasible ideas become a vote's options
(``methods.votes.ideas``), which link back to the ideas by reference number."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from wagtail_dialog.contributions import notifications
from wagtail_dialog.contributions.models import Feasibility
from wagtail_dialog.contributions.moderation import ModerationError

#: The fields an assessment sets.
ASSESSMENT_FIELDS = ["feasibility", "feasibility_reason", "assessed_cost", "assessed_at"]

#: The longest option title made from an idea's first line (the editor shortens it before publishing).
TITLE_LENGTH = 80


def assess(contribution, user, feasibility, reason="", cost=None):
    """Record the municipality's assessment of an idea; it is public beside the idea."""
    reason = (reason or "").strip()
    if feasibility not in Feasibility.values:
        raise ModerationError(_("Choose whether the idea is feasible."))
    if feasibility == Feasibility.NOT_FEASIBLE and not reason:
        raise ModerationError(_("Say publicly why the idea is not feasible."))
    if feasibility == Feasibility.FEASIBLE and cost is None:
        raise ModerationError(_("A feasible idea needs the municipality's cost estimate."))
    changed = (feasibility, reason, cost if feasibility == Feasibility.FEASIBLE else None) != (
        contribution.feasibility, contribution.feasibility_reason, contribution.assessed_cost)
    with transaction.atomic():
        contribution.feasibility = feasibility
        contribution.feasibility_reason = reason
        contribution.assessed_cost = cost if feasibility == Feasibility.FEASIBLE else None
        contribution.assessed_at = timezone.now()
        contribution.save(update_fields=ASSESSMENT_FIELDS)
        log(contribution, "wagtail_dialog.assess", user=user, data={"feasibility": feasibility, "cost": cost})
    # The author hears of the assessment, and of a changed one, if they asked to be told.
    if changed and contribution.is_published:
        notifications.tell_author(contribution, "assessed")


def title_of(contribution):
    """A first title for the option an idea becomes: its first line, shortened."""
    first_line = contribution.text.strip().splitlines()[0] if contribution.text.strip() else contribution.reference
    return Truncator(first_line.strip()).chars(TITLE_LENGTH)


#: Reference numbers as a list an editor may type: separated by commas, spaces or both.
_SEPARATORS = re.compile(r"[\s,;]+")


def references(text):
    """The reference numbers in ``text`` (an option's ``ideas``), upper-cased, in order, once each."""
    seen = []
    for part in _SEPARATORS.split((text or "").upper()):
        if part and part not in seen:
            seen.append(part)
    return seen
