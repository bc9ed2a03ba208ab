"""What a dialog's card on the index shows besides the page's own fields: how
many contributions are published, counted for the whole list page at once."""

from django.db.models import Count

from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.contributions.permissions import public_contributions


def with_published_counts(dialogs):
    """``dialogs`` as a list, each with ``published_count`` set, in one query."""
    dialogs = list(dialogs)
    counts = dict(
        public_contributions(get_contribution_model().objects.filter(dialog__in=[d.pk for d in dialogs]))
        .order_by()
        .values_list("dialog_id")
        .annotate(count=Count("pk"))
    )
    for dialog in dialogs:
        dialog.published_count = counts.get(dialog.pk, 0)
    return dialogs
