"""What the rest of the package needs of votes, registered in one place
(``methods.registry``; the app registers ``METHOD`` when it is ready).

A vote keeps no personal data (docs/privacy.md, "Votes"): nothing to empty at
retention, nothing a person's request could find."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions.exports import Column
from wagtail_dialog.methods.registry import Method
from wagtail_dialog.methods.votes import open_data, tally
from wagtail_dialog.methods.votes.ballots import Ballot
from wagtail_dialog.methods.votes.pages import VotePage
from wagtail_dialog.methods.votes.phases import state


def participants(dialogs):
    """Ballots counted in the votes of ``dialogs``, by channel: the annual follow-up's figures."""
    below = Q(pk__in=[])
    for dialog in dialogs:
        below |= Q(path__startswith=dialog.path, depth=dialog.depth + 1)
    votes = VotePage.objects.filter(below).values("pk")
    return dict(Ballot.objects.filter(vote__in=votes).order_by().values_list("channel").annotate(n=Count("pk")))


def archive_sheets(dialog):
    """A sheet for each published vote below ``dialog`` that has closed, for its archive export: the
    count per option and channel, what came of each option and the ideas it came from. Never an
    open vote's count (staff do not see it before residents do), and no ballot."""
    sheets = []
    for vote in VotePage.objects.live().child_of(dialog).order_by("path"):
        vote._dialog = dialog
        if state(vote) != "closed":
            continue
        count = tally.count(vote, vote.options.order_by("sort_order", "pk"))
        header, rows = tally.table(vote, count)
        header = [*header, _("After the vote"), _("Why it is not carried out"), _("Residents' ideas it came from")]
        rows = [[*row, result.option.get_implementation_display(), result.option.not_carried_out_reason,
                 result.option.ideas] for row, result in zip(rows, tally.ranked(count))]
        columns = [Column(str(n), heading, (), lambda row, n=n: row[n]) for n, heading in enumerate(header)]
        sheets.append((vote.title, None, columns, lambda queryset, columns, rows=rows: [rows]))
    return sheets


METHOD = Method(
    page_model="wagtail_dialog.VotePage",
    participants=participants,
    empty_personal_data=lambda dialog: 0,
    holding_personal_data=lambda dialog: 0,
    open_data=open_data.ways_data,
    archive_sheets=archive_sheets,
)
