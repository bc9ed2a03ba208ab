"""What a dialog's card on the index shows besides the page's own fields: how
many contributions are published and its ways to take part, read for the whole
list page at once."""

from django.db.models import Count

from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.methods.base import ways_below


def with_published_counts(dialogs, request=None):
    """``dialogs`` as a list, each with ``published_count`` and its live ``ways``
    to take part set, in one query each."""
    dialogs = list(dialogs)
    ways = ways_below(dialogs, request)
    counts = dict(
        public_contributions(get_contribution_model().objects.filter(dialog__in=[d.pk for d in dialogs]))
        .order_by()
        .values_list("dialog_id")
        .annotate(count=Count("pk"))
    )
    for dialog in dialogs:
        dialog.published_count = counts.get(dialog.pk, 0)
        dialog.ways = ways[dialog.pk]
    return dialogs
