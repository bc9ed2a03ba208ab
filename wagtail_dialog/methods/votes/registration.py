"""What the rest of the package needs of votes, registered in one place
(``methods.registry``; the app registers ``METHOD`` when it is ready).

A vote keeps no personal data (docs/privacy.md, "Votes"): nothing to empty at
retention, nothing a person's request could find."""

from django.db.models import Count, Q

from wagtail_dialog.methods.registry import Method
from wagtail_dialog.methods.votes import open_data
from wagtail_dialog.methods.votes.ballots import Ballot
from wagtail_dialog.methods.votes.pages import VotePage


def participants(dialogs):
    """Ballots counted in the votes of ``dialogs``, by channel: the annual follow-up's figures."""
    below = Q(pk__in=[])
    for dialog in dialogs:
        below |= Q(path__startswith=dialog.path, depth=dialog.depth + 1)
    votes = VotePage.objects.filter(below).values("pk")
    return dict(Ballot.objects.filter(vote__in=votes).order_by().values_list("channel").annotate(n=Count("pk")))


METHOD = Method(
    page_model="wagtail_dialog.VotePage",
    participants=participants,
    empty_personal_data=lambda dialog: 0,
    holding_personal_data=lambda dialog: 0,
    open_data=open_data.ways_data,
)
