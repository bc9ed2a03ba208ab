"""The count: votes per option and channel, ballots per channel, turnout
against the codes issued, and for a budget the options funded, in a fixed
number of queries however many ballots there are."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.followup.charts import bar_chart
from wagtail_dialog.methods.votes import codes
from wagtail_dialog.methods.votes.ballots import BallotChoice, Mark
from wagtail_dialog.methods.votes.kinds import Credential, VoteMethod

#: How a budget's money is shared out, as the results state it.
BUDGET_RULE = _(
    "The options are funded in order of their votes, most first (at equal votes the cheaper first). An option "
    "that costs more than the money left is passed over, and the next one that fits is funded, until the money "
    "runs out or every option has been tried."
)


@dataclass
class OptionResult:
    option: object
    votes: int = 0
    #: The share of all ballots that chose it, in per cent.
    share: float = 0.0
    by_channel: dict = field(default_factory=dict)
    funded: bool = False


@dataclass
class Tally:
    options: list
    ballots: int
    ballots_by_channel: dict
    #: Codes that work (a code vote), or None; and the ballots cast with a code.
    codes_issued: int | None
    code_ballots: int | None
    #: For a budget: the options funded, in the order they were funded, and the money they take.
    funded: list
    funded_total: int


def count(vote, options=None):
    """The count of ``vote`` (its options read unless given, in the editors' order)."""
    options = list(vote.options.all()) if options is None else list(options)
    results = {option.pk: OptionResult(option) for option in options}
    by_channel, coded = {}, 0
    # One pass: each ballot has one choice marked as its ballot's, so those count the ballots.
    for option_id, channel, mark, n in BallotChoice.objects.filter(vote=vote).order_by().values_list(
            "option_id", "channel", "mark").annotate(n=Count("*")):
        result = results.get(option_id)
        if result is not None:
            result.votes += n
            result.by_channel[channel] = result.by_channel.get(channel, 0) + n
        if mark != Mark.CHOICE:
            by_channel[channel] = by_channel.get(channel, 0) + n
            coded += n if mark == Mark.CODED_BALLOT else 0
    ballots = sum(by_channel.values())
    for result in results.values():
        result.share = 100 * result.votes / ballots if ballots else 0.0
    funded = fund(vote, list(results.values())) if vote.method == VoteMethod.BUDGET else []
    uses_codes = vote.credential == Credential.CODE
    return Tally(
        options=list(results.values()),
        ballots=ballots,
        ballots_by_channel=by_channel,
        codes_issued=codes.codes_issued(vote) if uses_codes else None,
        code_ballots=coded if uses_codes else None,
        funded=funded,
        funded_total=sum(result.option.cost or 0 for result in funded),
    )


def fund(vote, results):
    """The options a budget funds, by ``BUDGET_RULE``; marks each ``funded``."""
    left = vote.budget or 0
    funded = []
    order = {result.option.pk: position for position, result in enumerate(results)}
    for result in sorted(results, key=lambda r: (-r.votes, r.option.cost or 0, order[r.option.pk])):
        cost = result.option.cost or 0
        if result.votes and cost <= left:
            result.funded = True
            funded.append(result)
            left -= cost
    return funded


def ranked(count):
    """The options by their votes, most first (at equal votes in the editors' order)."""
    return sorted(count.options, key=lambda result: -result.votes)


def chart(vote, count):
    """The votes per option as a bar chart (SVG), most first; the table beside it has the same figures."""
    return bar_chart(_("Votes per option"), [(result.option.title, result.votes) for result in ranked(count)],
                     description=_("The same figures are in the table below the chart."))


def table(vote, count):
    """(header, rows) of the count for a spreadsheet: an option per row, most votes first, with its
    votes per channel; for a budget its cost and whether it is funded."""
    channels = [channel for channel in (Channel.WEB, Channel.PAPER) if channel in count.ballots_by_channel]
    budget = vote.method == VoteMethod.BUDGET
    header = [_("Option"), _("Votes"), _("Share of ballots, per cent"),
              *(Channel(channel).label for channel in channels)]
    if budget:
        header += [_("Cost, kronor"), _("Funded")]
    rows = []
    for result in ranked(count):
        row = [result.option.title, result.votes, round(result.share, 1),
               *(result.by_channel.get(channel, 0) for channel in channels)]
        if budget:
            row += [result.option.cost or 0, str(_("Yes") if result.funded else _("No"))]
        rows.append(row)
    return header, rows
