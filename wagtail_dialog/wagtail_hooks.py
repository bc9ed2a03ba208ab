from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .contributions import get_contribution_model
from . import retention
from .moderation import ACTIONS
from .panels import FeedbackDuePanel, PendingContributionsPanel
from .views.bulk_actions import BULK_ACTIONS
from .views import feedback_report
from .views.decision_bodies import DecisionBodyViewSet
from .views.inbox import ContributionViewSet
from .views.themes import ThemesIndexView, ThemesView
from .views.policy import register_policy

# First, before anything asks Wagtail for the contribution model's policy.
register_policy(get_contribution_model())

register_snippet(DecisionBodyViewSet)


@hooks.register("register_admin_viewset")
def register_inbox():
    return ContributionViewSet()


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("construct_homepage_panels")
def add_pending_contributions_panel(request, panels):
    panels.append(PendingContributionsPanel())
    panels.append(FeedbackDuePanel())


@hooks.register("register_log_actions")
def register_moderation_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
    actions.register_action(retention.LOG_ACTION, *retention.LOG_LABELS)


@hooks.register("register_admin_urls")
def register_themes_urls():
    return [
        path("dialog-themes/", ThemesIndexView.as_view(), name="wagtail_dialog_themes_index"),
        path("dialog-themes/<int:dialog_id>/", ThemesView.as_view(), name="wagtail_dialog_themes"),
        path("reports/promised-feedback/", feedback_report.FeedbackReportView.as_view(),
             name="wagtail_dialog_feedback_report"),
        path("reports/promised-feedback/results/", feedback_report.FeedbackReportView.as_view(results_only=True),
             name="wagtail_dialog_feedback_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_feedback_report():
    return feedback_report.menu_item()
