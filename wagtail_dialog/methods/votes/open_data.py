"""What the open data says of a vote beyond every way to take part's own fields
(``followup.open_data``, through the registry): its rules and limits, its
options, and, once it may be shown, its count per option and channel and the
options funded. Never a ballot: counts only."""

from django.apps import apps

from wagtail_dialog.methods.votes import tally
from wagtail_dialog.methods.votes.kinds import VoteMethod
from wagtail_dialog.methods.votes.phases import results_shown, state


def results_data(vote, count):
    """A vote's count as open data."""
    return {
        "final": vote.count_final,
        "ballots": count.ballots,
        "ballots_by_channel": dict(sorted(count.ballots_by_channel.items())),
        "codes_issued": count.codes_issued,
        "ballots_with_code": count.code_ballots,
        "options": [{"title": result.option.title, "votes": result.votes,
                     "votes_by_channel": dict(sorted(result.by_channel.items())),
                     "funded": result.funded if vote.method == VoteMethod.BUDGET else None}
                    for result in tally.ranked(count)],
        "funded_total": count.funded_total if vote.method == VoteMethod.BUDGET else None,
    }


def vote_data(vote, dialog=None):
    """One vote's own fields as open data."""
    options = list(vote.options.order_by("sort_order", "pk"))
    shown = results_shown(vote, dialog=dialog)
    return {
        "method": vote.method,
        "max_choices": vote.max_choices if vote.method == VoteMethod.SEVERAL else None,
        "budget": vote.budget if vote.method == VoteMethod.BUDGET else None,
        "minimum_total": vote.minimum_total if vote.method == VoteMethod.BUDGET else None,
        "one_ballot_per": vote.credential,
        "binding": vote.binding,
        "eligibility": vote.eligibility,
        "minimum_age": vote.minimum_age,
        "state": state(vote, dialog=dialog),
        "options": [{"title": option.title, "description": option.description, "cost": option.cost,
                     "place": option.place} for option in options],
        "results": results_data(vote, tally.count(vote, options)) if shown else None,
    }


def ways_data(ways):
    """The votes among ``ways`` as open data, {page pk: fields} (the registry's ``open_data``)."""
    dialogs = {way.pk: getattr(way, "_dialog", None) for way in ways}
    model = apps.get_model("wagtail_dialog", "VotePage")
    return {vote.pk: vote_data(vote, dialogs.get(vote.pk)) for vote in model.objects.filter(pk__in=list(dialogs))}
