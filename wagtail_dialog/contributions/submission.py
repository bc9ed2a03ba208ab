"""Receiving a contribution from a resident: one service function, no request.

The dialog page validates the form and counts the rate limit; this stores what
was sent and sets off the emails. It checks again that the dialog is open, so
a form loaded before the closing date and sent after it is refused here too.
"""

from contextlib import nullcontext

from django.db import IntegrityError, router, transaction
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import Channel, ContributionStatus, get_contribution_model, notifications
from wagtail_dialog.dialogs.legal_basis import LegalBasis, legal_basis
from wagtail_dialog.dialogs.site_settings import settings_for_dialog


class SubmissionRefused(Exception):
    """Nothing was stored; ``message`` says why, for the resident."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


def initial_status(dialog):
    """Post-moderated dialogs publish at once; everything else waits for a moderator."""
    return ContributionStatus.PUBLISHED if dialog.moderation == "post" else ContributionStatus.PENDING


def submit_contribution(dialog, *, text, consent_notice_version, language, consent=False, name="", email="",
                        notify=False, relation="", area="", estimated_cost=None, place="", site_settings=None):
    """Store a resident's contribution to ``dialog`` and queue the emails about it.

    ``consent_notice_version`` is the version of the privacy notice the author
    was shown; ``consent`` must be true where consent is the dialog's legal
    basis (``dialogs.legal_basis``), and is not asked for otherwise. ``language`` is the one the author used, so the
    emails to them are written in it. ``site_settings``, when the caller has
    them at hand, saves reading the dialog's site settings again.
    """
    if not dialog.accepts_contributions:
        raise SubmissionRefused(_("The dialogue is not open for contributions."), "closed")
    if not consent and legal_basis(dialog, site_settings or settings_for_dialog(dialog)) == LegalBasis.CONSENT:
        raise SubmissionRefused(_("A contribution can only be sent with consent to the privacy notice."), "consent")
    text = (text or "").strip()
    if not text:
        raise SubmissionRefused(_("Write your contribution."), "empty")
    if len(text) > dialog.contribution_max_length:
        raise SubmissionRefused(_("The contribution is too long."), "too_long")
    email = (email or "").strip()
    model = get_contribution_model()
    fields = {
        "dialog": dialog,
        "text": text,
        "name": (name or "").strip(),
        "email": email,
        "notify": bool(notify and email),
        "relation": relation or "",
        "area": area or "",
        # An idea's cost and place are kept only where the dialog asks for them.
        "estimated_cost": estimated_cost if dialog.collects_ideas else None,
        "place": (place or "").strip() if dialog.collects_ideas else "",
        "channel": Channel.WEB,
        "status": initial_status(dialog),
        "language": (language or "")[:10],
        "consent_notice_version": str(consent_notice_version or "")[:50],
    }
    using = router.db_for_write(model)
    # Reference numbers are random; on the rare collision draw a new one.
    # Inside a surrounding transaction a savepoint keeps a failed insert from
    # breaking it; outside one the insert commits on its own, with no
    # BEGIN/COMMIT round trips.
    for attempt in range(3):
        try:
            in_transaction = transaction.get_connection(using).in_atomic_block
            with transaction.atomic(using=using) if in_transaction else nullcontext():
                contribution = model.objects.create(**fields)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    # Emails are queued on commit: at once here, or with the caller's transaction.
    notifications.tell_author(contribution, "received")
    notifications.alert_moderators(contribution, site_settings=site_settings)
    return contribution

