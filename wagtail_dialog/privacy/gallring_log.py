"""How the history shows a removal of personal data (gallring): with the
decision it relied on, as the comment of its log entry."""

from django.utils.translation import gettext as _
from wagtail.log_actions import LogFormatter


class GallringFormatter(LogFormatter):
    def format_comment(self, log_entry):
        decision = (log_entry.data or {}).get("decision", "")
        if decision:
            return _("Under the decision: %(decision)s") % {"decision": decision}
        return _("No decision named")


def formatter(label, message):
    """A GallringFormatter with its own label and message (``register_action(action)(formatter(...))``)."""
    return type("GallringFormatter", (GallringFormatter,), {"label": label, "message": message})
