"""Who sees the dialog reports (Promised feedback, Annual follow-up,
Evaluation): those who edit or publish at least one dialog page, each about
the dialogs they edit (``permissions.editable_dialogs``)."""

from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem

from wagtail_dialog.contributions.permissions import edits_dialogs


class ReportAccessMixin:
    """For a report view: anyone else gets Wagtail's "permission denied"."""

    def dispatch(self, request, *args, **kwargs):
        if not edits_dialogs(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class ReportMenuItem(MenuItem):
    """A Reports menu item shown only to those who may see the report."""

    def is_shown(self, request):
        return edits_dialogs(request.user)
