"""A person's request about their own data (GDPR articles 15, 17 and 20): find
every contribution sent with an email address, export it, or erase it, and keep
an audit record of what was done.

The audit record never holds the address itself: it holds a keyed digest
(HMAC-SHA256 with the site's SECRET_KEY) of the trimmed, lower-cased address, so
staff can later check whether a given address's request was handled without the
audit table becoming a list of addresses. Rotating SECRET_KEY changes every
digest; while the old key is in SECRET_KEY_FALLBACKS, look-ups still find the
records made with it.
"""

import logging
from collections import Counter

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.dialogs import gallring
from wagtail_dialog.dialogs.site_settings import settings_for_dialog
from wagtail_dialog.methods.registry import methods

#: The permission that lets a user use the tool, for every dialog.
HANDLE = "wagtail_dialog.handle_personal_data_requests"

LOG_ACTION = "wagtail_dialog.erase_personal_data"
LOG_LABELS = (_("Erase a person's data"), _("A person's contributions erased on request"))

#: Changing it changes every digest: the audit records would no longer be found by address.
DIGEST_SALT = "wagtail_dialog.privacy.requests.email_digest"

logger = logging.getLogger(__name__)


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (export)")
    ERASURE = "erasure", _("Erasure")


class ErasureMode(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise: remove the personal data, keep the text")
    DELETE = "delete", _("Delete the contributions entirely")


class PersonalDataRequest(models.Model):
    """What was done on a person's request, without the person's address."""

    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    email_digest = models.CharField(_("email digest"), max_length=64, db_index=True, editable=False)
    mode = models.CharField(_("erasure mode"), max_length=20, choices=ErasureMode.choices, blank=True)
    contributions = models.PositiveIntegerField(_("contributions"), default=0)
    #: Answers to the ways to take part (a survey's) that held the address (methods.registry).
    method_answers = models.PositiveIntegerField(_("answers to surveys and the like"), default=0)
    #: [{"id": page id, "title": page title}] of the dialogs the contributions were sent to.
    dialogs = models.JSONField(_("dialogs affected"), default=list, blank=True)
    note = models.CharField(
        _("case number or note"), max_length=255, blank=True,
        help_text=_("E.g. the request's registration number (diarienummer). Do not write the email address here."),
    )
    decision = models.CharField(
        _("decision relied on"), max_length=255, blank=True,
        help_text=_("The decision that allowed removing the data (gallring), e.g. in the document management plan."),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-handled_at", "-pk"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        # The audit trail is written by the tool only: no add, change or delete permissions.
        default_permissions = ()
        permissions = [("handle_personal_data_requests", _("Can find, export and erase a person's data"))]

    def __str__(self):
        return f"{self.get_kind_display()} {self.handled_at:%Y-%m-%d %H:%M}"


def normalise(email):
    """The address as compared and digested: trimmed, lower case."""
    return (email or "").strip().lower()


def email_digest(email, secret=None):
    """HMAC-SHA256 of the normalised address, keyed with SECRET_KEY (or ``secret``), as hex."""
    return salted_hmac(DIGEST_SALT, normalise(email), secret=secret, algorithm="sha256").hexdigest()


def email_digests(email):
    """The address's digest under SECRET_KEY and under each key in SECRET_KEY_FALLBACKS."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return list(dict.fromkeys(email_digest(email, secret) for secret in secrets))


def find(email):
    """Every contribution, to any dialog, sent with ``email`` (case and surrounding spaces ignored)."""
    model = get_contribution_model()
    address = normalise(email)
    if not address:
        return model._default_manager.none()
    return model._default_manager.filter(email__iexact=address).select_related("dialog").order_by("-submitted_at")


def method_answers(email):
    """How many answers to the ways to take part (surveys and the like) hold ``email``."""
    return sum(method.answers_holding(email) for method in methods())


def requests_for(email):
    """The audit records of requests about ``email``, newest first."""
    return PersonalDataRequest.objects.filter(email_digest__in=email_digests(email)).select_related("handled_by")


def affected_dialogs(contributions):
    """[{"id", "title", "contributions"}] of the dialogs ``contributions`` were sent to, by title."""
    counts = Counter(contribution.dialog_id for contribution in contributions)
    titles = {contribution.dialog_id: contribution.dialog.title for contribution in contributions}
    return sorted(
        ({"id": pk, "title": titles[pk], "contributions": count} for pk, count in counts.items()),
        key=lambda dialog: (dialog["title"].lower(), dialog["id"]),
    )


def record_access(email, user, note="", contributions=None):
    """Record that the data tied to ``email`` was exported for the person; returns the record."""
    contributions = list(find(email) if contributions is None else contributions)
    record = PersonalDataRequest.objects.create(
        kind=RequestKind.ACCESS, email_digest=email_digest(email), contributions=len(contributions),
        dialogs=affected_dialogs(contributions), note=note, handled_by=user,
    )
    logger.info("Personal data request %s: exported %d contributions", record.pk, record.contributions)
    return record


class DecisionRequired(ValueError):
    """Deleting contributions, which removes public records altogether, needs the decision that allows it."""


def erase(email, user, mode, note="", decision=""):
    """Erase every contribution sent with ``email``: anonymise them (the text stays,
    as at the end of retention) or delete them. Each dialog's page history records
    how many; the returned audit record holds the total and the dialogs.

    Either is gallring, so ``decision`` names the decision relied on and is kept
    with both; deleting refuses without one (``DecisionRequired``)."""
    from wagtail.log_actions import log

    from wagtail_dialog.privacy.retention import anonymise_contributions

    if mode not in ErasureMode.values:
        raise ValueError(f"Unknown erasure mode: {mode!r}")
    decision = (decision or "").strip()
    if mode == ErasureMode.DELETE and not decision:
        raise DecisionRequired("Deleting contributions needs the decision that allows it.")
    manager = get_contribution_model()._default_manager
    with transaction.atomic():
        contributions = list(find(email).select_for_update(of=("self",)))
        pks = [contribution.pk for contribution in contributions]
        dialogs = affected_dialogs(contributions)
        if mode == ErasureMode.ANONYMISE:
            anonymise_contributions(pks)  # as at the end of the retention period
        else:
            # Deleted one by one through the ORM: post_delete takes each out of the search index.
            manager.filter(pk__in=pks).delete()
        # The answers to surveys and the like that hold the address, each method its own way.
        answers = sum(method.erase_answers(email, mode == ErasureMode.DELETE) for method in methods())
        record = PersonalDataRequest.objects.create(
            kind=RequestKind.ERASURE, email_digest=email_digest(email), mode=mode, contributions=len(pks),
            method_answers=answers, dialogs=dialogs, note=note, decision=decision, handled_by=user,
        )
        pages = {contribution.dialog_id: contribution.dialog for contribution in contributions}
        for dialog in dialogs:
            if dialog["id"] in pages:
                page = pages[dialog["id"]]
                # The decision typed in, else the one the dialog (or its site) names for gallring.
                relied_on = decision or gallring.gallring_decision(page, settings_for_dialog(page))
                log(instance=page, action=LOG_ACTION, user=user,
                    data={"contributions": dialog["contributions"], "mode": mode, "request": record.pk,
                          **({"decision": relied_on} if relied_on else {})})
    logger.info("Personal data request %s: %s %d contributions and %d survey answers", record.pk, mode, len(pks),
                answers)
    return record
