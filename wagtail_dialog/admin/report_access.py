"""Who sees the dialog reports (Promised feedback, Annual follow-up,
Evaluation): those who edit or publish at least one dialog page, each about
the dialogs they edit (``permissions.editable_dialogs``).

Every link to a report asks ``can_open_report``, the question the report's
view asks: a link the view would refuse sends its reader to the dashboard
with "You do not have permission", which is worse than no link.
"""

from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem

from wagtail_dialog.contributions.permissions import editable_dialogs, edits_dialogs


def can_open_report(user, dialog=None):
    """Whether ``user`` may open the reports, or, with ``dialog``, that dialog's report."""
    if not edits_dialogs(user):
        return False
    return dialog is None or editable_dialogs(user).filter(pk=dialog.pk).exists()


class ReportAccessMixin:
    """For a report view: anyone else gets Wagtail's "permission denied"."""

    def dispatch(self, request, *args, **kwargs):
        if not can_open_report(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class ReportMenuItem(MenuItem):
    """A Reports menu item shown only to those who may see the report."""

    def is_shown(self, request):
        return can_open_report(request.user)
