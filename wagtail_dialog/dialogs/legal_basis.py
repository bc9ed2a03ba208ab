"""The legal basis on which a dialog processes what residents send
(GDPR article 6.1), and whether the form asks the author to tick a box.

A municipality collects views as a task in the public interest (6.1 e,
dataskyddslagen 2 kap. 2 §); a statutory consultation, such as a samråd under
the Planning and Building Act, as a legal obligation (6.1 c). Consent (6.1 a)
is the exception: the Swedish data protection authority (IMY) advises an
authority that can rely on another basis not to ask for consent as well, since
it can seldom be freely given to an authority, and a required box would make it
a condition of taking part. So the form shows a box only when a site chooses
consent, or asks authors to confirm they have read the notice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", _("A task in the public interest (GDPR article 6.1 e)")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation, e.g. a statutory consultation (GDPR article 6.1 c)")
    CONSENT = "consent", _("The author's consent (GDPR article 6.1 a)")


#: What each basis means, as a resident reads it under "Legal basis".
RESIDENT_TEXT = {
    LegalBasis.PUBLIC_TASK: _(
        "A task in the public interest: letting residents have a say before the municipality decides "
        "(the General Data Protection Regulation, article 6.1 e)."
    ),
    LegalBasis.LEGAL_OBLIGATION: _(
        "A legal obligation: the law requires the municipality to hear residents on this matter, for example "
        "under the Planning and Building Act (the General Data Protection Regulation, article 6.1 c)."
    ),
    LegalBasis.CONSENT: _(
        "Your consent, which you give on the form and may withdraw at any time by contacting us "
        "(the General Data Protection Regulation, article 6.1 a)."
    ),
}

#: A resident's rights under each basis: the right to object (article 21) comes with a public
#: task, data portability (article 20) with consent, neither with a legal obligation.
RIGHTS_TEXT = {
    LegalBasis.PUBLIC_TASK: _(
        "You may ask to see the personal data we hold about you, to have it corrected, to have its processing "
        "restricted or, where the law allows, to have it removed, and you may object to its processing."
    ),
    LegalBasis.LEGAL_OBLIGATION: _(
        "You may ask to see the personal data we hold about you, to have it corrected or to have its processing "
        "restricted. The law requires the processing, so it cannot be objected to, and the data is removed only "
        "as the municipality's rules for its records allow."
    ),
    LegalBasis.CONSENT: _(
        "You may ask to see the personal data we hold about you, to have it corrected, to have its processing "
        "restricted, to have it removed where the law allows, or to get it in a machine-readable form. You may "
        "withdraw your consent at any time."
    ),
}


def legal_basis(dialog, site_settings):
    """The basis ``dialog`` processes contributions on: its own, else its site's, else a public task."""
    chosen = getattr(dialog, "legal_basis", "") or getattr(site_settings, "legal_basis", "")
    return LegalBasis(chosen) if chosen in LegalBasis.values else LegalBasis.PUBLIC_TASK


def asks_to_tick(dialog, site_settings):
    """What the form's box asks for, if it has one: "consent", "acknowledgement" or None."""
    if legal_basis(dialog, site_settings) == LegalBasis.CONSENT:
        return "consent"
    if getattr(site_settings, "ask_acknowledgement", False):
        return "acknowledgement"
    return None
