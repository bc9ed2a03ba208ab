"""Per-site settings an administrator edits in the admin (Settings → Citizen dialogue).

Kept apart from ``settings.py`` (the Django-settings defaults) because that
module is imported everywhere and must not pull models in.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField


class AlertMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An email for every new contribution")
    DAILY = "daily", _("A daily digest")
    OFF = "off", _("No email")


@register_setting(icon="comment")
class DialogSiteSettings(BaseSiteSetting):
    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Shown next to the consent checkbox on every contribution form: who is responsible, why the "
                    "data is kept, for how long, and the author's rights."),
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=50,
        default="1",
        help_text=_("Change this when the notice changes; each contribution records the version its author accepted."),
    )
    contact = models.CharField(
        _("contact for questions"),
        max_length=255,
        blank=True,
        help_text=_("Whom residents can ask about moderation, e.g. an email address or a phone number."),
    )
    areas = models.TextField(
        _("areas"),
        blank=True,
        help_text=_("Districts or villages residents can pick on the form, one per line. Leave empty to hide the field."),
    )
    moderator_alerts = models.CharField(
        _("alert moderators"), max_length=20, choices=AlertMode.choices, default=AlertMode.IMMEDIATE
    )

    panels = [
        MultiFieldPanel([FieldPanel("privacy_notice"), FieldPanel("privacy_notice_version")], heading=_("Privacy")),
        FieldPanel("contact"),
        FieldPanel("areas"),
        FieldPanel("moderator_alerts"),
    ]

    class Meta:
        verbose_name = _("citizen dialogue")

    def area_choices(self):
        return [line.strip() for line in self.areas.splitlines() if line.strip()]
