"""Gallring: removing information from public records, which Swedish archive
law allows only under a decision (in the municipality's document management
plan, dokumenthanteringsplan / informationshanteringsplan) or once the full
record is in the registry or e-archive.

What a contribution holds becomes a public record when it arrives, so emptying
its personal fields at the end of the retention period, on unsubscribing or on
a person's request is gallring. Here a site (and a dialog, overriding it)
chooses whether personal data is anonymised after the retention period or kept
(bevaras), names the decision that allows gallring, and may require one; a
dialog can be marked registered or archived (with its registry number) and put
on hold while a request to read its records or an appeal is pending.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AfterRetention(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise: remove names, email addresses and other personal data; keep the text")
    KEEP = "keep", _("Keep (bevaras): remove nothing")


#: Why gallring does not run for a dialog now (``blocked``).
KEPT, ON_HOLD, NO_DECISION = "kept", "on_hold", "no_decision"


def after_retention(dialog, site_settings):
    """What happens to the personal data once the retention period is over: the dialog's choice, else the site's."""
    chosen = getattr(dialog, "after_retention", "") or getattr(site_settings, "after_retention", "")
    return AfterRetention(chosen) if chosen in AfterRetention.values else AfterRetention.ANONYMISE


def gallring_decision(dialog, site_settings):
    """The reference to the decision that allows gallring: the dialog's own, else the site's; "" if none."""
    return (getattr(dialog, "gallring_decision", "") or getattr(site_settings, "gallring_decision", "")).strip()


def blocked(dialog, site_settings):
    """Why the end of the retention period removes nothing from ``dialog`` now, or None when it may:
    ``KEPT`` (the data is to be kept), ``ON_HOLD`` (a request to read the records or an appeal is
    pending) or ``NO_DECISION`` (the site requires a decision reference and there is none)."""
    if after_retention(dialog, site_settings) == AfterRetention.KEEP:
        return KEPT
    if getattr(dialog, "gallring_hold", False):
        return ON_HOLD
    if getattr(site_settings, "require_gallring_decision", False) and not gallring_decision(dialog, site_settings):
        return NO_DECISION
    return None


def is_archived(dialog):
    """Whether the dialog's records are registered or archived (``archived_on`` set)."""
    return getattr(dialog, "archived_on", None) is not None
