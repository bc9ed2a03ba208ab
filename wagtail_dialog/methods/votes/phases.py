"""Where a vote stands: not open yet, open, or closed; and whether its count may be shown."""

from django.utils import timezone

from wagtail_dialog.methods.votes.kinds import Credential


def state(vote, today=None, dialog=None):
    """"open", "upcoming" or "closed": whether residents can vote in ``vote`` today."""
    today = today or timezone.localdate()
    if vote.count_final:
        return "closed"
    if vote.is_open(today, dialog):
        return "open"
    opens_on, closes_on = vote.dates(dialog)
    if closes_on is not None and today > closes_on:
        return "closed"
    return "upcoming"


def results_shown(vote, today=None, dialog=None):
    """Never before the vote has closed, unless the editor chose a live count for a vote open to anyone."""
    now = state(vote, today, dialog)
    return now == "closed" or (now == "open" and vote.live_count and vote.credential == Credential.OPEN)
