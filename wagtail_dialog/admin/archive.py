"""A dialog's archive export (Arkivexport): a page with the three downloads
(XLSX, CSV, PDF) of everything the dialog holds, reached from the dialog page's
actions and from the inbox filtered to the dialog.

Only those who moderate the dialog and may see its personal data take one;
every export taken is recorded in the page's history (``privacy.archive``).
The files are POSTed for: taking one is an act that is recorded, not a link to
follow or prefetch.
"""

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import PageLogEntry

from wagtail_dialog.contributions import ContributionStatus, exports, permissions
from wagtail_dialog.contributions.ids import RowIdConverter  # noqa: F401  (registers <row_id:> and <year:>)
from wagtail_dialog.dialogs import gallring
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.site_settings import settings_for_dialog
from wagtail_dialog.privacy import archive, retention

URL_NAME = "wagtail_dialog_archive"

#: The latest exports listed on the page; the page's history has them all.
RECENT_EXPORTS = 20


def may_take(user, dialog):
    """Whether ``user`` may take the archive export of ``dialog``: they moderate it and see its personal data."""
    return permissions.can_see_personal_data(user, dialog)


def url_for(dialog):
    return reverse(URL_NAME, args=[dialog.pk])


class ArchiveExportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_dialog/admin/archive/index.html"
    header_icon = "download"
    page_title = _("Archive export")
    breadcrumbs_items = []  # the header then shows the title and, under it, the dialog's

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.dialog = DialogPage.objects.filter(pk=kwargs["dialog_id"]).first()
        if self.dialog is None or (permissions.can_use_inbox(user) and not permissions.can_moderate(user, self.dialog)):
            raise Http404  # another dialog's moderator learns nothing about this one
        if not may_take(user, self.dialog):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.dialog.title

    def post(self, request, *args, **kwargs):
        export_format = request.POST.get("format")
        if export_format not in archive.FORMATS:
            messages.error(request, gettext("Choose XLSX, CSV or PDF for the archive export."))
            return redirect(url_for(self.dialog))
        # Written in full before it is recorded: an export that failed was not taken.
        output = tempfile.SpooledTemporaryFile(max_size=exports.XLSX_SPOOL_SIZE)
        archive.write(self.dialog, export_format, output, taken_by=request.user)
        archive.record(self.dialog, request.user, export_format)
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, filename=archive.filename(self.dialog, export_format),
            content_type=archive.FORMATS[export_format],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = archive.counts(self.dialog)
        taken = (
            PageLogEntry.objects.filter(page=self.dialog, action=archive.LOG_ACTION)
            .select_related("user").order_by("-timestamp")[:RECENT_EXPORTS]
        )
        context.update(
            dialog=self.dialog,
            total=sum(counts.values()),
            statuses=[(label, counts.get(value, 0)) for value, label in ContributionStatus.choices],
            with_personal_data=retention.with_personal_data(self.dialog).count(),
            retention_date=retention.retention_date(self.dialog),
            # Kept, on hold or without the decision the site requires: no date to promise.
            gallring_blocked=gallring.blocked(self.dialog, settings_for_dialog(self.dialog)),
            language_name=get_language_info(archive.language(self.dialog))["name_translated"],
            taken=[
                {"entry": entry, "format": archive.FORMAT_NAMES.get((entry.data or {}).get("format"), "")}
                for entry in taken
            ],
            history_url=reverse("wagtailadmin_pages:history", args=[self.dialog.pk]),
        )
        return context


urlpatterns = [
    path("dialog-archive/<row_id:dialog_id>/", ArchiveExportView.as_view(), name=URL_NAME),
]


def archive_buttons(page, user, view_name=None, next_url=None):
    """The "Archive export" item in a dialog page's actions (the page header and
    the listing's "more" menu), for those who may take it."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not DialogPage:
        return
    if may_take(user, page):
        yield Button(_("Archive export"), url_for(page), icon_name="download", priority=85)
