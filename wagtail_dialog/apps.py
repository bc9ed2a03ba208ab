from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailDialogAppConfig(AppConfig):
    # One app, one prefix: the label, template folder, static folder and the
    # template tag module all share "wagtail_dialog".
    name = "wagtail_dialog"
    label = "wagtail_dialog"
    verbose_name = _("Citizen dialogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
        from wagtail.signals import page_published

        from wagtail_dialog import checks  # noqa: F401  (checks register themselves)
        from wagtail_dialog.compat import mend_site_history_union
        from wagtail_dialog.contributions import notifications
        from wagtail_dialog.contributions.groups import ensure_moderators_group
        from wagtail_dialog.dialogs.site_settings import DialogSiteSettings, forget_site_settings
        from wagtail_dialog.methods.meetings.registration import METHOD as MEETINGS
        from wagtail_dialog.methods.meetings.registration import meeting_published
        from wagtail_dialog.methods.registry import register_method
        from wagtail_dialog.methods.surveys.registration import METHOD as SURVEYS
        from wagtail_dialog.methods.votes.registration import METHOD as VOTES
        from wagtail_dialog.search import indexing
        from wagtail_dialog.shared_cache import purge

        mend_site_history_union()
        # The ways to take part (docs/design.md): what the follow-up and privacy code loop over.
        register_method(SURVEYS)
        register_method(MEETINGS)
        register_method(VOTES)
        # Runs after every app's post_migrate has created its permissions.
        post_migrate.connect(ensure_moderators_group, dispatch_uid="wagtail_dialog_moderators_group")
        for signal in (post_save, post_delete):
            signal.connect(forget_site_settings, sender=DialogSiteSettings, dispatch_uid="wagtail_dialog_site_settings")
        indexing.connect(post_save, post_delete, m2m_changed)
        purge.connect(post_save, post_delete)
        # Any sender: Wagtail sends it with the page's own class.
        page_published.connect(notifications.feedback_published, dispatch_uid="wagtail_dialog_feedback_published")
        page_published.connect(meeting_published, dispatch_uid="wagtail_dialog_meeting_published")
