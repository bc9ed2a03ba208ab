"""Scheduled work in one place: every job the package (and, later, each way of
taking part) needs done once a day, run by ``manage.py dialog_daily``.

A job is registered once with ``register_daily_job``; the command loops over the
registry, so nothing scheduled is forgotten when a job is added. Each job runs
at most once per day: before it starts, the run claims the (job, day) row in
the database. A second run the same day, or one started at the same moment
from another server, finds the claim and skips the job, so a cron line on two
servers, or an operator running the command by hand, sends no email twice. A
job that fails gives its claim back so the next run tries again, and a claim
left by a run that died is taken over once it is ``STALE_AFTER`` old.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Callable

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.methods.registry import methods

logger = logging.getLogger(__name__)

#: A claim older than this whose run never finished belonged to a run that died.
STALE_AFTER = datetime.timedelta(hours=2)


@dataclass(frozen=True)
class DailyJob:
    """A job run once a day or, when ``hourly``, every time the command runs."""

    #: A short identifier, as given to ``dialog_daily --only``.
    name: str
    #: What it does, for ``dialog_daily --list`` and the log.
    description: str
    #: ``run(today)`` does the work and returns one line saying what it did.
    run: Callable[[datetime.date], str]
    hourly: bool = False


_JOBS = {}


def register_daily_job(name, description, run):
    """Add a job to what ``dialog_daily`` runs (in registration order)."""
    if name in _JOBS:
        raise ValueError(f"A daily job named {name!r} is already registered.")
    _JOBS[name] = DailyJob(name, description, run)


def daily_jobs():
    """The package's own jobs, then each way of taking part's (methods.registry)."""
    jobs = list(_JOBS.values())
    for method in methods():
        jobs += [DailyJob(name, description, run) for name, description, run in method.daily_jobs]
        jobs += [DailyJob(name, description, run, hourly=True) for name, description, run in method.hourly_jobs]
    return jobs


class DailyRun(models.Model):
    """One job's run on one day: the claim that keeps it from running twice."""

    job = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("daily job run")
        verbose_name_plural = _("daily job runs")
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="wagtail_dialog_daily_run_once")]

    def __str__(self):
        return f"{self.job} {self.day:%Y-%m-%d}"


def _claim(job, day, now, force):
    """The DailyRun this process may run ``job`` under today, or None if another run has it."""
    try:
        with transaction.atomic():
            return DailyRun.objects.create(job=job, day=day, started_at=now)
    except IntegrityError:
        pass
    existing = DailyRun.objects.filter(job=job, day=day).first()
    if existing is None:  # given back in the meantime: try once more next run
        return None
    if existing.finished_at is None and existing.started_at > now - STALE_AFTER:
        return None  # running right now, elsewhere
    if existing.finished_at is not None and not force:
        return None
    # Taken over (a dead run, or --force) by a conditional update: of two runs
    # doing this at once, only one changes the row.
    taken = DailyRun.objects.filter(pk=existing.pk, started_at=existing.started_at).update(
        started_at=now, finished_at=None, outcome=""
    )
    return DailyRun.objects.get(pk=existing.pk) if taken else None


@dataclass
class JobResult:
    job: DailyJob
    state: str  # "done", "skipped" or "failed"
    message: str


def run_daily(today=None, only=None, force=False):
    """Run every registered job (or those named in ``only``) that has not yet
    run ``today``, and every hourly job; returns a JobResult each. A job's
    failure is logged and does not stop the others."""
    today = today or timezone.localdate()
    results = []
    for job in daily_jobs():
        if only and job.name not in only:
            continue
        if job.hourly:
            results.append(_run_hourly(job, today))
            continue
        claim = _claim(job.name, today, timezone.now(), force)
        if claim is None:
            results.append(JobResult(job, "skipped", "already run or running today"))
            continue
        try:
            message = job.run(today)
        except Exception as error:
            logger.exception("Daily job %s failed", job.name)
            # Given back, so that the next run (the same day) tries again.
            DailyRun.objects.filter(pk=claim.pk, started_at=claim.started_at).delete()
            results.append(JobResult(job, "failed", f"{type(error).__name__}: {error}"))
            continue
        DailyRun.objects.filter(pk=claim.pk).update(finished_at=timezone.now(), outcome=str(message)[:1000])
        results.append(JobResult(job, "done", message))
    return results


def _run_hourly(job, today):
    # No claim: an hourly job claims its rows itself (methods.registry).
    try:
        return JobResult(job, "done", job.run(today))
    except Exception as error:
        logger.exception("Hourly job %s failed", job.name)
        return JobResult(job, "failed", f"{type(error).__name__}: {error}")


# --- The package's own jobs --------------------------------------------------------


def _digest(today):
    from wagtail_dialog.contributions import notifications
    from wagtail_dialog.dialogs.site_settings import AlertMode, DialogSiteSettings

    if not DialogSiteSettings.objects.filter(moderator_alerts=AlertMode.DAILY).exists():
        return "no site has chosen the daily digest"
    notifications.send_moderator_digest.enqueue()
    return "digest of contributions waiting for moderation queued"


def _feedback(today):
    from wagtail_dialog.contributions.notifications import queue_due_feedback

    return f"feedback emails queued for {queue_due_feedback(today)} dialogs"


def _retention(today):
    from wagtail_dialog.privacy import retention

    return retention.summary(today)


register_daily_job("digest", "The moderators' daily digest, where a site chose it.", _digest)
register_daily_job("feedback", "Feedback emails for dialogs whose feedback date has come.", _feedback)
register_daily_job("retention", "Anonymise contributions whose dialog's retention period has ended.", _retention)
