from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from wagtail_dialog.admin import annual_report, evaluation, feedback_report
from wagtail_dialog.admin import archive as archive_views
from wagtail_dialog.admin import meetings as meeting_views
from wagtail_dialog.admin import votes as vote_views
from wagtail_dialog.admin import personal_data as personal_data_views
from wagtail_dialog.admin import surveys as survey_views
from wagtail_dialog.admin.bulk_actions import BULK_ACTIONS
from wagtail_dialog.admin.decision_bodies import DecisionBodyViewSet
from wagtail_dialog.admin.inbox import ContributionViewSet
from wagtail_dialog.admin.panels import FeedbackDuePanel, PendingContributionsPanel
from wagtail_dialog.admin.policy import register_policy
from wagtail_dialog.admin.themes import ThemesIndexView, ThemesView
from wagtail_dialog.contributions import AbstractContribution, get_contribution_model, name_shown, notifications
from wagtail_dialog.contributions.history import ContributionLogEntry
from wagtail_dialog.contributions.ids import RowIdConverter  # noqa: F401  (registers <row_id:> and <year:>)
from wagtail_dialog.contributions.moderation import ACTIONS
from wagtail_dialog.methods.meetings import notices as meeting_notices
from wagtail_dialog.privacy import archive, gallring_log, retention
from wagtail_dialog.privacy import requests as personal_data

# First, before anything asks Wagtail for the contribution model's policy.
register_policy(get_contribution_model())

register_snippet(DecisionBodyViewSet)


@hooks.register("register_admin_viewset")
def register_inbox():
    return ContributionViewSet()


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_dialog/admin.css"))


@hooks.register("construct_homepage_panels")
def add_pending_contributions_panel(request, panels):
    panels.append(PendingContributionsPanel())
    panels.append(FeedbackDuePanel())


@hooks.register("register_log_actions")
def register_moderation_actions(actions):
    # A contribution's history in a log entry model of its own, which only
    # the moderators of its dialog see in Reports → Site history.
    actions.register_model(AbstractContribution, ContributionLogEntry)
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
    # Removing personal data is gallring: its history shows the decision it relied on.
    actions.register_action(retention.LOG_ACTION)(gallring_log.formatter(*retention.LOG_LABELS))
    actions.register_action(personal_data.LOG_ACTION)(gallring_log.formatter(*personal_data.LOG_LABELS))
    actions.register_action(notifications.UNSUBSCRIBE_LOG_ACTION)(
        gallring_log.formatter(*notifications.UNSUBSCRIBE_LOG_LABELS)
    )
    actions.register_action(archive.LOG_ACTION)(archive.ArchiveExportLog)
    actions.register_action(meeting_notices.MESSAGE_LOG_ACTION)(meeting_notices.MessageLog)
    actions.register_action(name_shown.LOG_ACTION, *name_shown.LOG_LABELS)


@hooks.register("register_admin_urls")
def register_themes_urls():
    return [
        path("dialog-themes/", ThemesIndexView.as_view(), name="wagtail_dialog_themes_index"),
        path("dialog-themes/<row_id:dialog_id>/", ThemesView.as_view(), name="wagtail_dialog_themes"),
        path("reports/promised-feedback/", feedback_report.FeedbackReportView.as_view(),
             name="wagtail_dialog_feedback_report"),
        path("reports/promised-feedback/results/", feedback_report.FeedbackReportView.as_view(results_only=True),
             name="wagtail_dialog_feedback_report_results"),
        path("reports/annual-follow-up/", annual_report.AnnualReportView.as_view(),
             name="wagtail_dialog_annual_report"),
        path("reports/annual-follow-up/<year:year>/", annual_report.AnnualReportView.as_view(),
             name="wagtail_dialog_annual_report_year"),
        path("reports/annual-follow-up/<year:year>/print/", annual_report.AnnualReportView.as_view(printable=True),
             name="wagtail_dialog_annual_report_print"),
        path("reports/evaluation/", evaluation.EvaluationIndexView.as_view(), name="wagtail_dialog_evaluation_index"),
        path("reports/evaluation/<row_id:dialog_id>/", evaluation.DialogEvaluationView.as_view(),
             name="wagtail_dialog_evaluation"),
        *personal_data_views.urlpatterns,
        *archive_views.urlpatterns,
        *survey_views.urlpatterns,
        *meeting_views.urlpatterns,
        *vote_views.urlpatterns,
    ]


@hooks.register("register_reports_menu_item")
def register_feedback_report():
    return feedback_report.menu_item()


@hooks.register("register_reports_menu_item")
def register_annual_report():
    return annual_report.menu_item()


@hooks.register("register_reports_menu_item")
def register_evaluation():
    return evaluation.menu_item()


hooks.register("register_page_header_buttons", evaluation.evaluation_buttons)
hooks.register("register_page_listing_more_buttons", evaluation.evaluation_buttons)
hooks.register("register_page_header_buttons", survey_views.survey_buttons)
hooks.register("register_page_listing_more_buttons", survey_views.survey_buttons)
hooks.register("register_page_header_buttons", meeting_views.meeting_buttons)
hooks.register("register_page_listing_more_buttons", meeting_views.meeting_buttons)
hooks.register("register_page_header_buttons", vote_views.vote_buttons)
hooks.register("register_page_listing_more_buttons", vote_views.vote_buttons)
hooks.register("register_page_header_buttons", archive_views.archive_buttons)
hooks.register("register_page_listing_more_buttons", archive_views.archive_buttons)


# Wagtail's Forms listing would let anyone who may edit a survey page see and delete its
# answers: only those who manage the survey do (admin.surveys.can_manage).
hooks.register("filter_form_submissions_for_user", survey_views.filter_form_pages)


@hooks.register("register_reports_menu_item")
def register_surveys():
    return survey_views.menu_item()


@hooks.register("register_reports_menu_item")
def register_meetings():
    return meeting_views.menu_item()


@hooks.register("register_reports_menu_item")
def register_votes():
    return vote_views.menu_item()


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return personal_data_views.menu_item()


@hooks.register("register_permissions")
def register_personal_data_permission():
    return personal_data_views.permissions_to_register()
