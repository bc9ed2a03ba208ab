"""Moderation: approve, reject, mark as spam, reply, note and tag contributions.

Plain functions used by every admin view and bulk action alike, so one place
records who did what (Wagtail's history) and tells the author when they asked
to be told.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from wagtail_dialog.contributions import ContributionStatus, ModerationReason, notifications

#: Wagtail history actions; labels are registered in wagtail_hooks.
ACTIONS = {
    "wagtail_dialog.publish": (_("Publish contribution"), _("Published")),
    "wagtail_dialog.reject": (_("Reject contribution"), _("Rejected")),
    "wagtail_dialog.spam": (_("Mark contribution as spam"), _("Marked as spam")),
    "wagtail_dialog.hide": (_("Hide contribution"), _("Hidden until moderated")),
    "wagtail_dialog.reply": (_("Reply to contribution"), _("Replied publicly")),
    "wagtail_dialog.note": (_("Note on contribution"), _("Internal note changed")),
    "wagtail_dialog.tag": (_("Tag contribution"), _("Tags changed")),
    "wagtail_dialog.register": (_("Register contribution"), _("Registered from another channel")),
    "wagtail_dialog.assess": (_("Assess idea"), _("Assessed as an idea for the budget")),
}


class ModerationError(ValueError):
    """A moderation step that cannot be taken, with a message for the moderator."""


def _moderate(contribution, user, status, action, reason="", message=""):
    contribution.status = status
    contribution.moderation_reason = reason
    contribution.message_to_author = message
    contribution.moderated_at = timezone.now()
    contribution.moderated_by = user
    contribution.save(
        update_fields=["status", "moderation_reason", "message_to_author", "moderated_at", "moderated_by"]
    )
    log(contribution, action, user=user, data={"reason": reason} if reason else None)


def approve(contribution, user):
    with transaction.atomic():
        was_published = contribution.is_published
        _moderate(contribution, user, ContributionStatus.PUBLISHED, "wagtail_dialog.publish")
    if not was_published:
        notifications.tell_author(contribution, "published")


def reject(contribution, user, reason, message=""):
    if reason not in ModerationReason.values:
        raise ModerationError(_("Choose a reason for rejecting the contribution."))
    with transaction.atomic():
        _moderate(contribution, user, ContributionStatus.REJECTED, "wagtail_dialog.reject", reason, message.strip())
    notifications.tell_author(contribution, "rejected")


def mark_spam(contribution, user):
    # Spam is never answered: telling a spammer only confirms the address works.
    with transaction.atomic():
        _moderate(contribution, user, ContributionStatus.SPAM, "wagtail_dialog.spam", ModerationReason.ADVERTISING)


def hide(contribution, user):
    """Take a published contribution back to pending (post-moderated dialogs)."""
    with transaction.atomic():
        _moderate(contribution, user, ContributionStatus.PENDING, "wagtail_dialog.hide")


def reply(contribution, user, text, signature=""):
    text = text.strip()
    if not text:
        raise ModerationError(_("Write the reply before sending it."))
    with transaction.atomic():
        contribution.reply = text
        contribution.reply_signature = signature.strip()
        contribution.replied_at = timezone.now()
        contribution.replied_by = user
        contribution.save(update_fields=["reply", "reply_signature", "replied_at", "replied_by"])
        log(contribution, "wagtail_dialog.reply", user=user)
    if contribution.is_published:
        notifications.tell_author(contribution, "replied")


def set_note(contribution, user, text):
    with transaction.atomic():
        contribution.moderator_note = text.strip()
        contribution.save(update_fields=["moderator_note"])
        log(contribution, "wagtail_dialog.note", user=user)


def set_tags(contribution, user, names):
    with transaction.atomic():
        contribution.tags.set([name.strip() for name in names if name.strip()], clear=True)
        log(contribution, "wagtail_dialog.tag", user=user, data={"tags": sorted(contribution.tags.names())})


def add_tags(contribution, user, names):
    set_tags(contribution, user, [*contribution.tags.names(), *names])


BULK_ACTIONS = {
    "approve": approve,
    "spam": mark_spam,
    "hide": hide,
}


def bulk(contributions, user, action, **options):
    """Apply one action to many contributions; returns how many were changed."""
    if action == "reject":
        for contribution in contributions:
            reject(contribution, user, **options)
    elif action == "tag":
        for contribution in contributions:
            add_tags(contribution, user, **options)
    elif action in BULK_ACTIONS:
        for contribution in contributions:
            BULK_ACTIONS[action](contribution, user)
    else:
        raise ModerationError(_("Unknown action."))
    return len(contributions)
