"""Emails: authors are told what happened to their contribution, moderators are
alerted to new ones. Sent through Django's task framework (django-tasks), so a
site with a worker sends them in the background and a site without one (the
default immediate backend) sends them at once, after the database commit.

No email carries anyone's personal data but the recipient's own.
"""

import logging
from email.headerregistry import BaseHeader, UnstructuredHeader
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.permission_policies.pages import PagePermissionPolicy

from wagtail_dialog.compat import task
from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.contributions import ContributionStatus, get_contribution_model, get_dialog_model
from wagtail_dialog.contributions.ids import is_id
from wagtail_dialog.contributions.permissions import MODERATE_ALL

logger = logging.getLogger(__name__)

AUTHOR_EVENTS = ("received", "published", "replied", "rejected", "assessed")


def tell_author(contribution, event):
    """Queue an email to the author about ``event``, if they opted in."""
    if event not in AUTHOR_EVENTS:
        raise ValueError(event)
    if not contribution.can_be_told:
        return
    pk = contribution.pk
    transaction.on_commit(lambda: send_author_email.enqueue(pk, event))


def alert_moderators(contribution, site_settings=None):
    """Queue the immediate alert about a new contribution, when the site wants
    one. ``site_settings`` are the dialog site's, when the caller has them."""
    from wagtail_dialog.dialogs.site_settings import AlertMode, settings_for_dialog

    if site_settings is None:
        site_settings = settings_for_dialog(contribution.dialog)
        if site_settings is None:
            return
    if site_settings.moderator_alerts != AlertMode.IMMEDIATE:
        return
    pk, dialog_pk = contribution.pk, contribution.dialog_id
    transaction.on_commit(lambda: _queue_alert(pk, dialog_pk))


def _queue_alert(contribution_pk, dialog_pk):
    # A burst of contributions (a meeting, a newsletter going out) would
    # otherwise fill moderators' mailboxes with one email each. The first one
    # in ALERT_INTERVAL queues the alert; the rest are counted in it. The mark
    # lives in the shared cache, so it holds across the site's processes.
    interval = int(dialog_setting("ALERT_INTERVAL") or 0)
    if interval > 0 and not cache.add(f"wagtail_dialog:alert:{dialog_pk}", True, interval):
        return
    send_moderator_alert.enqueue(contribution_pk)


def moderator_emails(dialog):
    """Addresses of everyone who moderates ``dialog``: its publishers and the moderators group."""
    user_model = get_user_model()
    publishers = PagePermissionPolicy().users_with_any_permission_for_instance(
        ["publish"], dialog, include_superusers=False
    )
    everyone = user_model.objects.with_perm(MODERATE_ALL, include_superusers=False)
    # The two querysets differ in DISTINCT, so they are joined by primary key.
    users = user_model.objects.filter(Q(pk__in=publishers.values("pk")) | Q(pk__in=everyone.values("pk")))
    users = users.filter(is_active=True).exclude(email="")
    return sorted({user.email for user in users})


class _UnfoldedHeader(UnstructuredHeader, BaseHeader):
    """A header written on one line, however long (RFC 5322 allows 998 characters)."""

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


class DialogEmail(EmailMultiAlternatives):
    """An email whose List-Unsubscribe reaches mail programs as a URL.

    With the email policies Django 6 builds messages with, Python folds a
    header longer than 78 characters that has no space to break at into
    RFC 2047 encoded words, and ``<https://…/unsubscribe/…/>`` arrives as
    ``=?utf-8?q?=3Chttps=3A//…?=``, which no mail program reads as a link
    (RFC 2369 wants the bracketed URL as it is). Such a message is given the
    header back on one line. Older messages (Django 5.2) fold only at spaces.
    """

    def message(self, **kwargs):
        message = super().message(**kwargs)
        value = message["List-Unsubscribe"]
        if value is not None and hasattr(message.policy, "header_factory"):
            del message["List-Unsubscribe"]
            message["List-Unsubscribe"] = _UnfoldedHeader("List-Unsubscribe", str(value).strip())
        return message


def send_email(subject, template, context, to, headers=None, attachments=None):
    # No request here: the HTML email's lang attribute comes from the active language.
    context = {"LANGUAGE_CODE": translation.get_language(), **context}
    text = render_to_string(f"wagtail_dialog/emails/{template}.txt", context)
    html = render_to_string(f"wagtail_dialog/emails/{template}.html", context)
    # A subject line is a header: strip anything that could start a new one.
    subject = " ".join(str(subject).split())
    message = DialogEmail(subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    message.send()


def site_context(dialog, request=None):
    """What every email shows of the dialog's site; ``request``, when there is one, saves the site's queries."""
    from wagtail_dialog.dialogs.site_settings import request_site_of, settings_for_site, site_for_dialog

    from_request = request_site_of(dialog, request) if request is not None else None
    site = from_request or site_for_dialog(dialog)
    site_settings = settings_for_site(site) if site else None
    dialog_url = dialog.get_full_url(request if from_request else None)
    return {
        "site_name": (site.site_name if site else "") or getattr(settings, "WAGTAIL_SITE_NAME", ""),
        "contact": site_settings.contact if site_settings else "",
        "dialog_url": dialog_url,
        # A page outside every site has no full URL (moderator emails still go out).
        "privacy_url": urljoin(dialog_url.rstrip("/") + "/", "privacy/") if dialog_url else "",
        "public_record": site_settings.public_record_notice if site_settings else True,
    }


@task()
def send_author_email(contribution_pk, event):
    contribution = get_contribution_model().objects.select_related("dialog").filter(pk=contribution_pk).first()
    if contribution is None or not contribution.can_be_told:
        return
    dialog = contribution.dialog.specific
    with translation.override(contribution.language or settings.LANGUAGE_CODE):
        subjects = {
            "received": _("We have received your contribution %(reference)s"),
            "published": _("Your contribution %(reference)s is published"),
            "replied": _("The municipality has replied to your contribution %(reference)s"),
            "rejected": _("Your contribution %(reference)s was not published"),
            "assessed": _("The municipality has assessed your idea %(reference)s"),
        }
        context = {
            "contribution": contribution,
            "dialog": dialog,
            "event": event,
            "unsubscribe_url": unsubscribe_url(contribution, dialog),
            **site_context(dialog),
        }
        # Every email to an author can be stopped, from the mail program too (RFC 2369).
        headers = {"List-Unsubscribe": f"<{context['unsubscribe_url']}>"}
        send_email(
            subjects[event] % {"reference": contribution.reference}, f"author_{event}", context, [contribution.email],
            headers=headers,
        )


@task()
def send_moderator_alert(contribution_pk):
    contribution = get_contribution_model().objects.select_related("dialog").filter(pk=contribution_pk).first()
    if contribution is None or contribution.status == ContributionStatus.SPAM:
        return
    dialog = contribution.dialog.specific
    recipients = moderator_emails(dialog)
    if not recipients:
        return
    waiting = get_contribution_model().objects.filter(dialog=dialog, status=ContributionStatus.PENDING).count()
    with translation.override(settings.LANGUAGE_CODE):
        context = {"contribution": contribution, "dialog": dialog, "waiting": waiting, **site_context(dialog)}
        subject = _("New contribution to %(dialog)s") % {"dialog": dialog.title}
        send_email(subject, "moderator_alert", context, recipients)


@task()
def send_moderator_digest():
    """The daily digest: pending contributions per dialog, to each dialog's moderators."""
    from django.db.models import Count, Min

    DialogPage = get_dialog_model()

    model = get_contribution_model()
    pending = (
        model.objects.filter(status=ContributionStatus.PENDING)
        .values("dialog_id")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
    )
    from wagtail_dialog.dialogs.site_settings import AlertMode, settings_for_site

    by_recipient = {}
    for row in pending:
        dialog = DialogPage.objects.filter(pk=row["dialog_id"]).first()
        site = dialog.get_site() if dialog else None
        # Only sites that chose the digest; the others were alerted at once, or not at all.
        if site is None or settings_for_site(site).moderator_alerts != AlertMode.DAILY:
            continue
        for email in moderator_emails(dialog):
            by_recipient.setdefault(email, []).append({"dialog": dialog, **row})
    with translation.override(settings.LANGUAGE_CODE):
        for email, rows in by_recipient.items():
            context = {"rows": rows, **site_context(rows[0]["dialog"])}
            send_email(_("Contributions waiting for moderation"), "moderator_digest", context, [email])
    return len(by_recipient)


# --- Feedback to every author who asked for it ------------------------------------

#: Authors emailed per task: the feedback of a dialog with thousands of
#: opted-in authors goes out in several tasks, none of them long.
FEEDBACK_BATCH = 100

_UNSUBSCRIBE_SALT = "wagtail_dialog.unsubscribe"


def feedback_recipients(dialog):
    """Contributions to ``dialog`` whose authors asked to be told and have not
    yet been sent its feedback (spam is never answered)."""
    return (
        get_contribution_model()
        ._default_manager.filter(dialog=dialog, notify=True, feedback_sent_at__isnull=True)
        .exclude(email="")
        .exclude(status=ContributionStatus.SPAM)
    )


def feedback_published(sender, instance, **kwargs):
    """page_published receiver: once a dialog's feedback is out, queue its emails."""
    DialogPage = get_dialog_model()

    if isinstance(instance, DialogPage) and instance.feedback_given:
        pk = instance.pk
        transaction.on_commit(lambda: send_feedback.enqueue(pk))


def _dialog_with_feedback(dialog_pk):
    DialogPage = get_dialog_model()

    dialog = DialogPage.objects.live().filter(pk=dialog_pk).first()
    return dialog if dialog is not None and dialog.feedback_given else None


def queue_due_feedback(today=None):
    """Queue the feedback emails of every live dialog whose feedback date has
    come and that has authors still to tell; returns how many dialogs."""
    DialogPage = get_dialog_model()

    today = today or timezone.localdate()
    queued = 0
    for dialog in DialogPage.objects.live().filter(feedback_published_on__lte=today).order_by("pk"):
        if feedback_recipients(dialog).exists():
            send_feedback.enqueue(dialog.pk)
            queued += 1
    return queued


@task()
def send_feedback(dialog_pk):
    """Split the authors still to be told of a dialog's feedback into batches,
    one task each. An address with several contributions is one author."""
    dialog = _dialog_with_feedback(dialog_pk)
    if dialog is None:
        return 0
    authors = {}
    for pk, email in feedback_recipients(dialog).order_by("pk").values_list("pk", "email"):
        authors.setdefault(email.strip().casefold(), []).append(pk)
    groups = list(authors.values())
    for start in range(0, len(groups), FEEDBACK_BATCH):
        send_feedback_batch.enqueue(dialog_pk, groups[start : start + FEEDBACK_BATCH])
    return len(groups)


@task()
def send_feedback_batch(dialog_pk, author_groups):
    """Email the feedback to each author in ``author_groups`` (lists of the pks
    of one author's contributions), once per author."""
    dialog = _dialog_with_feedback(dialog_pk)
    if dialog is None:
        return 0
    model = get_contribution_model()
    # What every email of the batch shares, and its authors' contributions, asked once.
    shared = {"dialog": dialog, "survey_url": dialog.survey_url() if dialog.survey_open else "",
              **site_context(dialog)}
    pending = feedback_recipients(dialog).filter(pk__in=[pk for pks in author_groups for pk in pks]).order_by("pk")
    pending = {contribution.pk: contribution for contribution in pending}
    sent = 0
    for pks in author_groups:
        waiting = [pending[pk] for pk in sorted(pks) if pk in pending]
        if not waiting:
            continue
        # Claimed before sending: another task for the same author finds them
        # taken, so nobody is emailed twice.
        claimed = model._default_manager.filter(
            pk__in=[contribution.pk for contribution in waiting], feedback_sent_at__isnull=True
        ).update(feedback_sent_at=timezone.now())
        if not claimed:
            continue
        first = waiting[0]
        try:
            with translation.override(first.language or settings.LANGUAGE_CODE):
                context = {
                    "contribution": first,
                    "references": ", ".join(contribution.reference for contribution in waiting),
                    "count": len(waiting),
                    "unsubscribe_url": unsubscribe_url(first, dialog),
                    **shared,
                }
                subject = _("What came of the dialogue: %(dialog)s") % {"dialog": dialog.title}
                # Mail programs offer their own "unsubscribe" from this header (RFC 2369);
                # the link asks before it does anything.
                headers = {"List-Unsubscribe": f"<{context['unsubscribe_url']}>"}
                send_email(subject, "author_feedback", context, [first.email], headers=headers)
        except Exception:
            # Not sent again (it is claimed), but recorded, and the rest of the batch goes on.
            logger.exception("Feedback email for dialog %s to contributions %s failed", dialog_pk, pks)
            continue
        sent += 1
    return sent


def _unsubscribe_token(pk, secret=None):
    # Only letters, digits and hyphens: Wagtail serves no other characters in
    # a page path. Keyed with SECRET_KEY, so no one can make up another's.
    mac = salted_hmac(_UNSUBSCRIBE_SALT, str(pk), secret=secret, algorithm="sha256").hexdigest()[:32]
    return f"{pk}-{mac}"


def unsubscribe_url(contribution, dialog):
    """The link in every feedback email that stops further emails about
    ``contribution`` (see ``unsubscribe``). It does not expire: an old email's
    link must keep working."""
    return urljoin(dialog.get_full_url().rstrip("/") + "/", f"unsubscribe/{_unsubscribe_token(contribution.pk)}/")


def contribution_for_unsubscribe(token, dialog):
    """The contribution to ``dialog`` that ``token`` names, or None for a broken link."""
    pk, _, _mac = token.partition("-")
    if not is_id(pk):
        return None
    # Links in emails sent before a SECRET_KEY rotation keep working with the old key.
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(token, _unsubscribe_token(int(pk), secret)) for secret in secrets):
        return None
    return get_contribution_model()._default_manager.filter(pk=int(pk), dialog=dialog).first()


UNSUBSCRIBE_LOG_ACTION = "wagtail_dialog.unsubscribe"
UNSUBSCRIBE_LOG_LABELS = (gettext_lazy("Stop emails to an author"), gettext_lazy("Emails stopped by the author"))


def address_removal(contribution):
    """(whether stopping the emails removes the address, the decision that allows it): removed
    unless the dialog's data is kept (bevaras) or on hold, or the site removes personal data only
    under a named decision and none is named (``gallring.blocked``)."""
    from wagtail_dialog.dialogs import gallring
    from wagtail_dialog.dialogs.site_settings import settings_for_dialog

    site_settings = settings_for_dialog(contribution.dialog)
    # Kept (bevaras), on hold, or without the decision the site requires: the address stays in the record.
    return gallring.blocked(contribution.dialog, site_settings) is None, gallring.gallring_decision(
        contribution.dialog, site_settings
    )


def unsubscribe(contribution):
    """No more emails about ``contribution``, nor about the author's other
    contributions to the dialog from the same address (they share the emails):
    the opt-in goes, and the address with it (it was kept for nothing else) —
    unless the site removes personal data only under a named decision and none
    is named, since removing it from the public record is gallring. Returns
    whether the address was removed. Each step is in the contribution's history
    with the decision it relied on."""
    from wagtail.log_actions import log

    removes, decision = address_removal(contribution)
    same_author = get_contribution_model()._default_manager.filter(
        dialog_id=contribution.dialog_id, email__iexact=contribution.email.strip()
    ).exclude(pk=contribution.pk) if contribution.email.strip() else []
    for each in [contribution, *same_author]:
        each.notify = False
        if removes:
            each.email = ""
        each.save(update_fields=["notify", "email"])
        log(instance=each, action=UNSUBSCRIBE_LOG_ACTION,
            data={"address_removed": removes, **({"decision": decision} if decision else {})})
    return removes
