"""A participatory budget's feasible ideas become a vote's options: one option per idea, in a new
draft of the vote page (the editor shortens the titles and publishes), each linking back to its
idea by reference number (``VoteOption.ideas``). The ideas and their assessment are
``contributions.ideas``."""

from django.db import transaction

from wagtail_dialog.contributions import ContributionStatus, Feasibility, get_contribution_model
from wagtail_dialog.contributions.ideas import references, title_of


def _ideas(dialog_id):
    return (get_contribution_model().objects.filter(dialog_id=dialog_id)
            .exclude(status__in=[ContributionStatus.REJECTED, ContributionStatus.SPAM]))


def feasible_ideas(dialog_id):
    """The dialog's published ideas assessed as feasible, oldest first. Only published ones: an
    option copies the idea's text to the public, which a moderator must have read first."""
    return (_ideas(dialog_id).filter(feasibility=Feasibility.FEASIBLE, status=ContributionStatus.PUBLISHED)
            .order_by("submitted_at", "pk"))


def unassessed_ideas(dialog_id):
    """The dialog's ideas, not rejected, that are not assessed yet."""
    return _ideas(dialog_id).filter(feasibility="")


def references_in(vote):
    """The reference numbers of the ideas the options of ``vote`` (as given) came from."""
    return {ref for option in vote.options.all() for ref in references(option.ideas)}


def options_elsewhere(vote):
    """{reference: title of the other vote}: the ideas that are options of another vote below the
    same dialog (a budget voted on in rounds), as published."""
    option_model = type(vote)._meta.get_field("options").related_model
    others = option_model.objects.filter(
        page__path__startswith=vote.path[: -vote.steplen], page__depth=vote.depth).exclude(page=vote).exclude(
        ideas="").values_list("ideas", "page__title")
    return {ref: title for text, title in others for ref in references(text)}


def add_options(vote, contributions, user):
    """Add an option for each idea in ``contributions`` that is not one yet, to a new draft
    revision of ``vote``; returns how many were added. Published options are not touched
    until the editor publishes the draft."""
    with transaction.atomic():
        # Locked and read again: ``vote`` may be older than the newest draft, and two staff adding
        # options at once would otherwise each build on the same draft and one lose the other's.
        locked = type(vote).objects.select_for_update().get(pk=vote.pk)
        return _add_options(locked, contributions, user)


def _add_options(vote, contributions, user):
    draft = vote.get_latest_revision_as_object()
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
