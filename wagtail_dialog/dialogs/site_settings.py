"""Per-site settings an administrator edits in the admin (Settings → Citizen dialogue).

Kept apart from ``settings.py`` (the Django-settings defaults) because that
module is imported everywhere and must not pull models in.
"""

import functools
import hashlib

from django.core.cache import cache
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from wagtail_dialog.dialogs.gallring import AfterRetention
from wagtail_dialog.dialogs.legal_basis import LegalBasis


class AlertMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An email as new contributions arrive")
    DAILY = "daily", _("A daily digest")
    OFF = "off", _("No email")


@register_setting(icon="comment")
class DialogSiteSettings(ClusterableModel, BaseSiteSetting):
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.PUBLIC_TASK,
        help_text=_(
            "Why the municipality may process what residents send. Collecting views is usually a task in the public "
            "interest; a statutory consultation is a legal obligation. Choose consent only if your data protection "
            "officer says so: the form then asks every author to consent. A dialog can choose its own."
        ),
    )
    controller = models.CharField(
        _("controller"),
        max_length=255,
        blank=True,
        help_text=_("The committee responsible for the personal data (personuppgiftsansvarig), e.g. "
                    "“Kommunstyrelsen i Exempelkommun”. A dialog can name its own."),
    )
    data_protection_contact = models.CharField(
        _("data protection officer"),
        max_length=255,
        blank=True,
        help_text=_("How residents reach the data protection officer, e.g. an email address."),
    )
    public_record_notice = models.BooleanField(
        _("say that contributions are public records"),
        default=True,
        help_text=_("On the form, the receipt and the first email: what a resident sends becomes a public record "
                    "(allmän handling) that anyone may ask to read."),
    )
    ask_acknowledgement = models.BooleanField(
        _("ask authors to confirm they have read the notice"),
        default=False,
        help_text=_("Adds a box “I have read how my personal data is handled” that must be ticked. It is not consent "
                    "and is not needed: leave it off unless your municipality wants it."),
    )
    privacy_notice = RichTextField(
        _("more about personal data"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("The site's own text, shown under “Read more” after the notice the form builds from the fields "
                    "above: e.g. a link to the municipality's page on personal data."),
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=50,
        default="1",
        help_text=_("Change this when the notice changes; each contribution records the version shown to its author."),
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
        _("alert moderators"),
        max_length=20,
        choices=AlertMode.choices,
        default=AlertMode.IMMEDIATE,
        help_text=_(
            "As contributions arrive: at most one email per dialog every ten minutes (unless the site sets another "
            "interval), saying how many wait. A daily digest needs the send_dialog_digest command run daily."
        ),
    )

    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_(
            "After this many months from a dialog's closing or feedback date, whichever is later, names, email "
            "addresses and other personal data in its contributions are removed; the text stays. A dialog can set "
            "its own period. Decide it with your archivist: public records law may ask for longer."
        ),
    )

    after_retention = models.CharField(
        _("after the retention period"),
        max_length=20,
        choices=AfterRetention.choices,
        default=AfterRetention.ANONYMISE,
        help_text=_("Removing personal data from public records is gallring: choose “keep” if your document "
                    "management plan says contributions are to be kept (bevaras). A dialog can choose its own."),
    )
    gallring_decision = models.CharField(
        _("decision allowing gallring"),
        max_length=255,
        blank=True,
        help_text=_("The decision in the document management plan (dokumenthanteringsplan) that allows removing "
                    "the personal data, e.g. “DHP KS 2025:3, 4.2.1”. Recorded with every removal. A dialog can "
                    "name its own."),
    )
    require_gallring_decision = models.BooleanField(
        _("remove personal data only under a named decision"),
        default=False,
        help_text=_("When on, nothing is anonymised at the end of the retention period, and no email address is "
                    "removed when its owner stops the emails, unless a decision is named here or on the dialog. "
                    "Deleting contributions on a person's request always needs a decision."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("legal_basis"),
                FieldPanel("controller"),
                FieldPanel("data_protection_contact"),
                FieldPanel("public_record_notice"),
                FieldPanel("ask_acknowledgement"),
                FieldPanel("privacy_notice"),
                FieldPanel("privacy_notice_version"),
                FieldPanel("retention_months"),
            ],
            heading=_("Personal data"),
        ),
        MultiFieldPanel(
            [FieldPanel("after_retention"), FieldPanel("gallring_decision"), FieldPanel("require_gallring_decision")],
            heading=_("Gallring"),
        ),
        FieldPanel("contact"),
        FieldPanel("areas"),
        FieldPanel("moderator_alerts"),
        InlinePanel(
            "evaluation_principles",
            heading=_("Principles for evaluation"),
            label=_("Principle"),
            help_text=_("The municipality's own principles for citizen dialogue. After each dialog, staff assess "
                        "how well it lived up to each of them (Reports → Evaluation)."),
        ),
    ]

    class Meta:
        verbose_name = _("citizen dialogue")

    def area_choices(self):
        return [line.strip() for line in self.areas.splitlines() if line.strip()]


#: How long a site's settings stay in the shared cache. Saving them clears the
#: entry at once (``forget_site_settings``); this only bounds how long an entry
#: outlives a change made behind Django's back (a raw SQL update).
CACHE_SECONDS = 300


@functools.cache
def _shape():
    # The field names are part of the key: after an upgrade that changes the
    # model, no process unpickles an instance of the old shape.
    shape = ",".join(field.attname for field in DialogSiteSettings._meta.concrete_fields)
    return hashlib.sha1(shape.encode()).hexdigest()[:8]


def _cache_key(site_id):
    return f"wagtail_dialog:site-settings:{_shape()}:{site_id}"


def settings_for_site(site):
    """``site``'s DialogSiteSettings, from the shared cache when they are there.

    Every dialog page view and every contribution reads them; the cache saves
    that query on each (the settings change a few times a year).
    """
    key = _cache_key(site.pk)
    try:
        found = cache.get(key)
    except Exception:  # an entry that no longer unpickles: read the database
        found = None
    if isinstance(found, DialogSiteSettings):
        return found
    found = DialogSiteSettings.for_site(site)
    cache.set(key, found, CACHE_SECONDS)
    return found


def request_site_of(page, request):
    """The request's site when ``page`` belongs to it alone (as nearly every page does), else None:
    then ``page.get_site()`` is that site, and ``page.get_full_url(request)`` is ``page.get_full_url()``,
    without their queries. Wagtail keeps the request's site, and the sites' root paths, on the request."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    # The sites whose trees hold the page, as Page.get_url_parts and get_site see them.
    found = {root.site_id for root in page._get_relevant_site_root_paths(request)}
    return site if site is not None and found == {site.pk} else None


def site_for_dialog(dialog):
    """The dialog's site; a dialog outside every site's tree falls under the default site."""
    from wagtail.models import Site

    return dialog.get_site() or Site.objects.filter(is_default_site=True).first()


def settings_for_dialog(dialog):
    """The settings of the dialog's site (see ``site_for_dialog``), or None without any site."""
    site = site_for_dialog(dialog)
    return settings_for_site(site) if site else None


def forget_site_settings(sender, instance, **kwargs):
    """Signal receiver: saved or deleted settings leave the cache."""
    cache.delete(_cache_key(instance.site_id))
