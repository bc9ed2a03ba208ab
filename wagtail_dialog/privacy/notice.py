"""The information a resident is owed before sending (GDPR article 13), built
from the dialog's and its site's settings rather than written by hand for each
site: who is responsible, how to reach the data protection officer, why, on
what legal basis, who sees it, for how long, the resident's rights, and that
what they send becomes a public record (allmän handling).

The site's own text (``DialogSiteSettings.privacy_notice``) follows as
"read more"; it no longer has to carry the required items itself.
"""

from dataclasses import astuple, dataclass

from wagtail_dialog.dialogs.gallring import KEPT, NO_DECISION, blocked
from wagtail_dialog.dialogs.legal_basis import RESIDENT_TEXT, RIGHTS_TEXT, asks_to_tick, legal_basis
from wagtail_dialog.privacy.retention import retention_months


@dataclass(frozen=True)
class PrivacyNotice:
    controller: str
    data_protection_contact: str
    contact: str
    legal_basis: str
    legal_basis_text: str
    rights_text: str
    #: None: kept (bevaras), or no period set anywhere.
    retention_months: int | None
    public_record: bool
    #: What the form's box asks for: "consent", "acknowledgement" or None (no box).
    asks_to_tick: str | None
    #: The site's own rich text, shown under "read more".
    read_more: str
    version: str

    def key(self):
        """Everything the notice shows, for the form's cache key (public.fragments)."""
        return tuple(str(value) for value in astuple(self))


def notice_for(dialog, site_settings):
    """The notice shown with ``dialog``'s form, under ``site_settings`` (which may be None)."""
    basis = legal_basis(dialog, site_settings)
    if blocked(dialog, site_settings) in (KEPT, NO_DECISION):
        # Kept (bevaras), or never removed until a decision is named: no period to promise.
        months = None
    else:
        months = retention_months(dialog, site_settings) if site_settings else dialog.retention_months
    return PrivacyNotice(
        controller=getattr(dialog, "controller", "") or getattr(site_settings, "controller", ""),
        data_protection_contact=getattr(site_settings, "data_protection_contact", ""),
        contact=getattr(site_settings, "contact", ""),
        legal_basis=basis.value,
        legal_basis_text=str(RESIDENT_TEXT[basis]),
        rights_text=str(RIGHTS_TEXT[basis]),
        retention_months=months,
        public_record=getattr(site_settings, "public_record_notice", True),
        asks_to_tick=asks_to_tick(dialog, site_settings),
        read_more=str(getattr(site_settings, "privacy_notice", "") or ""),
        version=getattr(site_settings, "privacy_notice_version", ""),
    )
