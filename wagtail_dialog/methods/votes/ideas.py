"""A participatory budget's feasible ideas become a vote's options: one option per idea, in a new
draft of the vote page (the editor shortens the titles and publishes), each linking back to its
idea by reference number (``VoteOption.ideas``). The ideas and their assessment are
``contributions.ideas``."""

from wagtail_dialog.contributions import ContributionStatus, Feasibility, get_contribution_model
from wagtail_dialog.contributions.ideas import references, title_of


def _ideas(dialog_id):
    return (get_contribution_model().objects.filter(dialog_id=dialog_id)
            .exclude(status__in=[ContributionStatus.REJECTED, ContributionStatus.SPAM]))


def feasible_ideas(dialog_id):
    """The dialog's ideas assessed as feasible and not rejected, oldest first."""
    return _ideas(dialog_id).filter(feasibility=Feasibility.FEASIBLE).order_by("submitted_at", "pk")


def unassessed_ideas(dialog_id):
    """The dialog's ideas, not rejected, that are not assessed yet."""
    return _ideas(dialog_id).filter(feasibility="")


def references_in(vote):
    """The reference numbers of the ideas the options of ``vote`` (as given) came from."""
    return {ref for option in vote.options.all() for ref in references(option.ideas)}


def add_options(vote, contributions, user):
    """Add an option for each idea in ``contributions`` that is not one yet, to a new draft
    revision of ``vote``; returns how many were added. Published options are not touched
    until the editor publishes the draft."""
    # Read again: ``vote`` may be an older copy than the newest draft.
    draft = type(vote).objects.get(pk=vote.pk).get_latest_revision_as_object()
    taken = references_in(draft)
    option_model = type(vote)._meta.get_field("options").related_model
    last = max((option.sort_order or 0 for option in draft.options.all()), default=-1)
    added = []
    for contribution in contributions:
        if contribution.reference in taken:
            continue
        last += 1
        added.append(option_model(
            title=title_of(contribution), description=contribution.text, cost=contribution.assessed_cost,
            place=contribution.place, ideas=contribution.reference, sort_order=last))
        taken.add(contribution.reference)
    if added:
        draft.options.add(*added)
        draft.save_revision(user=user, log_action=True)
    return len(added)
