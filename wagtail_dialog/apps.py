from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailDialogAppConfig(AppConfig):
    # One app, one prefix: the label, template folder, static folder and the
    # template tag module all share "wagtail_dialog".
    name = "wagtail_dialog"
    label = "wagtail_dialog"
    verbose_name = _("Citizen dialogue")
    default_auto_field = "django.db.models.BigAutoField"
