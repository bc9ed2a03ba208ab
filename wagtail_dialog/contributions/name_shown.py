"""An author takes back showing their name: the link in every email to them
(``public.unsubscribe``) offers it beside stopping the emails. The name goes
from the website, not from the record: what was sent is a public record, and
removing from it is gallring (``dialogs.gallring``); retention removes it later."""

from django.utils.translation import gettext_lazy as _

LOG_ACTION = "wagtail_dialog.hide_name"
LOG_LABELS = (_("Hide the author's name"), _("Name no longer shown, at the author's request"))


def hide_name(contribution):
    """Show ``contribution`` without its author's name from now on, and record it in its history."""
    from wagtail.log_actions import log

    if not contribution.name_shown:
        return
    contribution.name_shown = False
    contribution.save(update_fields=["name_shown"])
    log(instance=contribution, action=LOG_ACTION)
