"""The report of promised feedback (Reports → Promised feedback): every dialog
the user edits that promises feedback by a date, with where it stands, the
earliest promise first; exportable to XLSX and CSV like Wagtail's own reports."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from wagtail_dialog.admin.report_access import ReportAccessMixin, ReportMenuItem
from wagtail_dialog.contributions.permissions import editable_dialogs, edits_dialogs
from wagtail_dialog.followup import feedback


def state_label(dialog, today):
    """Where the dialog's promised feedback stands, in words ("3 days late")."""
    state = feedback.feedback_state(dialog, today)
    if state == feedback.FeedbackState.LATE:
        days = feedback.days_late(dialog, today)
        return ngettext("Late by %(days)d day", "Late by %(days)d days", days) % {"days": days}
    return state.label if state else ""


def day_in_words(day, today):
    """``day`` as a date and how far it is from ``today`` ("26 februari 2027,
    in 3 months"). Wagtail's DateColumn shows a day ahead as "just now"."""
    if day is None:
        return ""
    shown = date_format(day, "j F Y")
    if day == today:
        return _("%(day)s, today") % {"day": shown}
    if day > today:
        return _("%(day)s, in %(time)s") % {"day": shown, "time": timeuntil(day, today, depth=1)}
    return _("%(day)s, %(time)s ago") % {"day": shown, "time": timesince(day, today, depth=1)}


class DayColumn(Column):
    """A date, and how far it is from today, in words."""

    def get_value(self, instance):
        return day_in_words(super().get_value(instance), timezone.localdate())


class FeedbackReportView(ReportAccessMixin, ReportView):
    page_title = _("Promised feedback")
    header_icon = "date"
    index_url_name = "wagtail_dialog_feedback_report"
    index_results_url_name = "wagtail_dialog_feedback_report_results"
    default_ordering = "feedback_due_on"
    columns = [
        TitleColumn("title", label=_("Dialog"), url_name="wagtailadmin_pages:edit"),
        Column("decision_body", label=_("Decision body")),
        DayColumn("feedback_due_on", label=_("Feedback promised by"), sort_key="feedback_due_on"),
        Column("feedback_state", label=_("State")),
        DayColumn("feedback_published_on", label=_("Feedback published on"), sort_key="feedback_published_on"),
    ]
    list_export = ["title", "decision_body", "feedback_due_on", "feedback_state", "feedback_published_on"]
    export_headings = {
        "title": _("Dialog"),
        "decision_body": _("Decision body"),
        "feedback_due_on": _("Feedback promised by"),
        "feedback_state": _("State"),
        "feedback_published_on": _("Feedback published on"),
    }

    def get_filename(self):
        return f"promised-feedback-{timezone.localdate():%Y-%m-%d}"

    def get_base_queryset(self):
        return (
            editable_dialogs(self.request.user)
            .filter(feedback_due_on__isnull=False)
            .select_related("decision_body")
            .order_by("feedback_due_on", "title")
        )

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for dialog in object_list:
            dialog.feedback_state = state_label(dialog, today)
        return object_list


#: Kept under its earlier name.
may_see = edits_dialogs


def menu_item():
    return ReportMenuItem(
        _("Promised feedback"), reverse("wagtail_dialog_feedback_report"), name="promised-feedback",
        icon_name="date", order=650,
    )
