"""Privacy over time: the personal data in a dialog's contributions is kept
for the dialog's retention period and then anonymised; the text, the replies,
the dates and every count stay, so statistics and the public record do not change.

The period runs from the latest of the closing date, the feedback date and,
while feedback is still to come, the date it was promised by (the feedback
emails need the addresses until then). It is the dialog's own
``retention_months`` or, without one, the site's (Settings → Citizen
dialogue). A dialog with neither date is never anonymised automatically.

Anonymising empties the name, the email address and the opt-in, the relation
to the municipality, the area, the internal note and the moderator's message
to the author (free text that may name people), and the written answers to
the participants' survey. It is recorded in the dialog page's history, with the
decision that allows it (``dialogs.gallring``).

Anonymising is gallring (removing information from public records), so it
runs only where the site or the dialog has not chosen to keep the data, the
dialog is not on hold, and, where the site requires one, a decision is named.
The daily job warns about dialogs to be anonymised within ``WARN_DAYS`` whose
records are not yet marked registered or archived.
"""

import calendar
import datetime
import logging

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.compat import task
from wagtail_dialog.contributions import get_contribution_model, get_dialog_model
from wagtail_dialog.dialogs import gallring
from wagtail_dialog.methods.registry import methods
from wagtail_dialog.shared_cache import purge


def personal_fields():
    """What anonymising sets each personal field of the contribution model in use to
    (``AbstractContribution.personal_data_fields``, which a site's own model may extend)."""
    return get_contribution_model().personal_data_fields


logger = logging.getLogger(__name__)

LOG_ACTION = "wagtail_dialog.anonymise"
LOG_LABELS = (_("Anonymise contributions"), _("Personal data in contributions anonymised"))


def add_months(day, months):
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_months(dialog, site_settings=None):
    """The dialog's retention period in months: its own, or its site's."""
    if dialog.retention_months:
        return dialog.retention_months
    if site_settings is None:
        from wagtail_dialog.dialogs.site_settings import settings_for_dialog

        # A dialog outside every site's tree falls under the default site, as its emails do.
        site_settings = settings_for_dialog(dialog)
    return site_settings.retention_months if site_settings else None


def retention_date(dialog, site_settings=None):
    """The day from which the dialog's contributions are anonymised, or None."""
    # Promised feedback not yet given keeps the addresses until its date at least:
    # the feedback emails need them.
    promised = dialog.feedback_due_on if not dialog.feedback_published_on else None
    starts = [day for day in (dialog.closes_on, dialog.feedback_published_on, promised) if day]
    months = retention_months(dialog, site_settings)
    if not starts or not months:
        return None
    return add_months(max(starts), months)


def with_personal_data(dialog):
    """The dialog's contributions that still hold personal data."""
    empty = Q(**personal_fields())
    return get_contribution_model()._default_manager.filter(dialog=dialog, anonymised_at__isnull=True).exclude(empty)


def survey_texts(dialog):
    """The dialog's survey responses with a written answer: anonymous, but free
    text may name someone all the same, so it goes with the personal data."""
    from wagtail_dialog.followup.evaluation import SurveyResponse

    return SurveyResponse.objects.filter(dialog=dialog).exclude(improvement="")


def anonymise_contributions(pks):
    """Empty the personal fields of the contributions ``pks`` (at the end of the
    retention period, or on a person's request) and queue their index updates."""
    from wagtail_dialog.search import indexing

    model = get_contribution_model()
    # One UPDATE: the moderators' search terms lose the note's words with it.
    model._default_manager.filter(pk__in=pks).update(
        **personal_fields(), moderator_search_terms=F("search_terms"), anonymised_at=timezone.now()
    )
    for pk in pks:
        indexing.schedule(model(pk=pk))  # a search index that held the area or note is updated too
    # A name shown on the public list is gone from it: no signal comes from an UPDATE.
    if purge.enabled():
        purge.purge_dialogs(set(model._default_manager.filter(pk__in=pks).values_list("dialog_id", flat=True)))


def anonymise(dialog, user=None, decision=""):
    """Anonymise every contribution to ``dialog`` and empty the survey's written
    answers; returns how many contributions held personal data. ``decision`` is
    the reference to the decision that allows it, kept in the page's history."""
    from wagtail.log_actions import log

    texts = survey_texts(dialog).update(improvement="")
    # The written answers to the dialog's ways to take part (a survey's free text, say): methods.registry.
    method_answers = sum(method.empty_personal_data(dialog) for method in methods())
    contributions = with_personal_data(dialog)
    pks = list(contributions.values_list("pk", flat=True))
    recorded = {"decision": decision} if decision else {}
    emptied = {**({"survey_texts": texts} if texts else {}), **({"method_answers": method_answers} if method_answers else {})}
    if not pks:
        if emptied:
            log(instance=dialog, action=LOG_ACTION, user=user, data={"contributions": 0, **emptied, **recorded})
        return 0
    anonymise_contributions(pks)
    data = {"contributions": len(pks), **emptied, **recorded}
    log(instance=dialog, action=LOG_ACTION, user=user, data=data)
    logger.info("Anonymised %d contributions to dialog %s (%s) under decision %r",
                len(pks), dialog.pk, dialog.title, decision or "(none named)")
    return len(pks)


#: How many days ahead the daily job warns about dialogs to be anonymised whose
#: records are not marked registered or archived: time to take the archive export.
WARN_DAYS = 30


def _holding_personal_data(until):
    """(dialog, retention date) of every dialog whose retention date is on or
    before ``until`` and whose contributions still hold personal data."""
    DialogPage = get_dialog_model()

    result = []
    dated = Q(closes_on__isnull=False) | Q(feedback_published_on__isnull=False) | Q(feedback_due_on__isnull=False)
    for dialog in DialogPage.objects.filter(dated):
        day = retention_date(dialog)
        if day is None or day > until:
            continue
        if (with_personal_data(dialog).exists() or survey_texts(dialog).exists()
                or any(method.holding_personal_data(dialog) for method in methods())):
            result.append((dialog, day))
    return result


def due(today):
    """(dialog, retention date) of every dialog whose retention date has come
    and whose contributions still hold personal data."""
    return _holding_personal_data(today)


def _settings(dialog):
    from wagtail_dialog.dialogs.site_settings import settings_for_dialog

    return settings_for_dialog(dialog)


def held(today):
    """(dialog, retention date, reason) of the due dialogs that are not anonymised
    now: ``gallring.KEPT``, ``ON_HOLD`` or ``NO_DECISION`` (see ``gallring.blocked``)."""
    result = []
    for dialog, day in due(today):
        reason = gallring.blocked(dialog, _settings(dialog))
        if reason:
            result.append((dialog, day, reason))
    return result


def unarchived_soon(today, days=WARN_DAYS):
    """(dialog, retention date) of the dialogs to be anonymised within ``days``
    (or already due) whose records are not marked registered or archived."""
    return [
        (dialog, day)
        for dialog, day in _holding_personal_data(today + datetime.timedelta(days=days))
        if not gallring.is_archived(dialog) and gallring.blocked(dialog, _settings(dialog)) is None
    ]


def apply(today=None):
    """Anonymise every dialog that is due and may be (see ``held``); returns
    [(dialog, count)]. Each is recorded with the decision that allows it."""
    today = today or timezone.localdate()
    done = []
    for dialog, _day in due(today):
        count = anonymise_due(dialog)
        if count is not None:
            done.append((dialog, count))
    return done


def anonymise_due(dialog):
    """Anonymise ``dialog``, whose retention date has come, under its decision;
    None (and a warning in the log) where it may not be (``gallring.blocked``)."""
    site_settings = _settings(dialog)
    reason = gallring.blocked(dialog, site_settings)
    if reason:
        logger.warning("Not anonymising dialog %s (%s): %s", dialog.pk, dialog.title, reason)
        return None
    if not gallring.is_archived(dialog):
        logger.warning("Anonymising dialog %s (%s), whose records are not marked registered or archived",
                       dialog.pk, dialog.title)
    return anonymise(dialog, decision=gallring.gallring_decision(dialog, site_settings))


def summary(today):
    """One line for the daily job's log: what was anonymised, what was held
    back and why, and which dialogs to archive first."""
    anonymised = sum(count for _dialog, count in apply(today))
    parts = [f"anonymised {anonymised} contributions"]
    held_back = held(today)
    if held_back:
        parts.append("held back: " + ", ".join(f"{dialog.title} ({reason})" for dialog, _day, reason in held_back))
    soon = unarchived_soon(today)
    if soon:
        for dialog, day in soon:
            logger.warning("Dialog %s (%s) is to be anonymised on %s and its records are not marked registered or "
                           "archived: take the archive export first", dialog.pk, dialog.title, day)
        parts.append("not archived, anonymised by " + ", ".join(f"{dialog.title} ({day:%Y-%m-%d})" for dialog, day in soon))
    return "; ".join(parts)


@task()
def apply_retention():
    """The same as ``manage.py apply_dialog_retention``, for a site that schedules tasks."""
    return sum(count for _dialog, count in apply())
