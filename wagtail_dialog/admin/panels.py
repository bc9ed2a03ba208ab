"""The dashboard panels: what waits for moderation in the dialogs the user
moderates, and the promised feedback that is late or soon due in the dialogs
the user edits, with the meeting reports that are late in the dialogs the
user moderates."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.timesince import timesince
from wagtail.admin.ui.components import Component

from wagtail_dialog.admin import meetings as meetings_admin
from wagtail_dialog.admin.report_access import can_open_report
from wagtail_dialog.contributions import ContributionStatus, get_contribution_model, permissions
from wagtail_dialog.followup import feedback


def pending_by_dialog(user):
    """One row per dialog with pending contributions ``user`` moderates, the longest waiting first:
    ``{"dialog_id", "title", "count", "oldest"}``."""
    model = get_contribution_model()
    pending = permissions.moderated_contributions(
        user, model._default_manager.filter(status=ContributionStatus.PENDING)
    )
    return list(
        pending.order_by()
        .values("dialog_id", "dialog__title", "dialog__locale__language_code")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by("oldest")
    )


class PendingContributionsPanel(Component):
    name = "wagtail_dialog_pending_contributions"
    template_name = "wagtail_dialog/admin/pending_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        from wagtail_dialog.admin.inbox import inbox_url

        request = parent_context["request"]
        now = timezone.now()
        index = inbox_url()
        rows = [
            {
                "title": row["dialog__title"],
                "language": row["dialog__locale__language_code"] or settings.LANGUAGE_CODE,
                "count": row["count"],
                "oldest": row["oldest"],
                "age": timesince(row["oldest"], now, depth=1),
                "url": f"{index}?{urlencode({'dialog': row['dialog_id'], 'status': ContributionStatus.PENDING})}",
            }
            for row in pending_by_dialog(request.user)
        ]
        return {"rows": rows, "inbox_url": f"{index}?{urlencode({'status': ContributionStatus.PENDING})}"}

    def render_html(self, parent_context=None):
        if not permissions.can_use_inbox(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)


class FeedbackDuePanel(Component):
    name = "wagtail_dialog_feedback_due"
    template_name = "wagtail_dialog/admin/feedback_due_panel.html"
    order = 91

    def get_context_data(self, parent_context):
        from django.urls import reverse

        request = parent_context["request"]
        today = timezone.localdate()
        rows = [
            {
                "dialog": dialog,
                "url": reverse("wagtailadmin_pages:edit", args=[dialog.pk]),
                "state": feedback.feedback_state(dialog, today),
                "days": abs((dialog.feedback_due_on - today).days),
            }
            for dialog in feedback.deadlines(permissions.editable_dialogs(request.user), today).select_related("locale")
        ]
        # Checked as the report itself checks: never a link that ends in "permission denied".
        report_url = reverse("wagtail_dialog_feedback_report") if can_open_report(request.user) else ""
        # A meeting's report is feedback too: late a week after the meeting, for those who manage it.
        meetings = [
            {"meeting": meeting, "url": meetings_admin.report_link(meeting, request.user),
             "due_on": meetings_admin.report_due_on(meeting)}
            for meeting in meetings_admin.late_reports(request.user)
        ]
        return {"rows": rows, "report_url": report_url, "meetings": meetings}
