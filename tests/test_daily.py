"""``manage.py dialog_daily`` runs every scheduled job once a day: twice the
same day, or twice at once, does each job once; a job that fails is retried."""

import datetime
import io
import os
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.factories import make_contribution
from tests.test_feedback_emails import with_feedback
from wagtail_dialog import daily
from wagtail_dialog.contributions import ContributionStatus
from wagtail_dialog.daily import DailyRun, run_daily
from wagtail_dialog.dialogs.site_settings import AlertMode, DialogSiteSettings

DAY = datetime.timedelta(days=1)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("dialog_daily", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_the_command_lists_every_registered_job():
    listed = run("--list")
    for name in ("digest", "feedback", "retention"):
        assert f"{name}: " in listed


@pytest.fixture
def due_feedback(dialog):
    """A dialog whose feedback date has come, with one author still to be told."""
    make_contribution(dialog, "Fler cykelställ", email="anna@example.com", notify=True, language="sv",
                      status=ContributionStatus.PUBLISHED)
    # Published before its day: the daily run sends it when the day comes.
    dialog = with_feedback(dialog, on=timezone.localdate() + DAY)
    type(dialog).objects.filter(pk=dialog.pk).update(feedback_published_on=timezone.localdate())
    mail.outbox.clear()
    return dialog


@pytest.mark.django_db
def test_one_run_does_every_job_and_a_second_run_the_same_day_does_none(due_feedback):
    first = run()
    assert "feedback: done: feedback emails queued for 1 dialogs" in first
    assert "retention: done" in first and "digest: done: no site has chosen the daily digest" in first
    # The ways to take part add their own (methods.registry): the surveys' unconfirmed answers.
    assert "surveys-unconfirmed: done: removed 0 unconfirmed survey answers" in first
    assert [m.to for m in mail.outbox] == [["anna@example.com"]]
    # Meetings add one daily job and two that run every time (hourly, claiming rows themselves).
    assert "meetings-reminders: done: 0 meeting reminders sent" in first
    assert DailyRun.objects.filter(day=timezone.localdate(), finished_at__isnull=False).count() == 5

    second = run()
    assert second.count("skipped: already run or running today") == 5
    assert "meetings-reminders: done" in second
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_digest_goes_out_once_a_day_however_often_it_runs(dialog):
    settings = DialogSiteSettings.for_site(dialog.get_site())
    settings.moderator_alerts = AlertMode.DAILY
    settings.save()
    from django.contrib.auth.models import Group, User

    from wagtail_dialog.contributions.permissions import MODERATORS_GROUP

    moderator = User.objects.create_user("mod", "mod@kommun.example", "x")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    make_contribution(dialog, "Väntar på granskning", status=ContributionStatus.PENDING)
    mail.outbox.clear()

    run("--only", "digest")
    run("--only", "digest")
    assert [m.to for m in mail.outbox] == [["mod@kommun.example"]]
    # An operator who means it runs it again.
    run("--only", "digest", "--force")
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_failing_job_is_reported_given_back_and_retried(monkeypatch):
    calls = []

    def flaky(today):
        calls.append(today)
        if len(calls) == 1:
            raise RuntimeError("mail server down")
        return "fine"

    monkeypatch.setitem(daily._JOBS, "flaky", daily.DailyJob("flaky", "Fails once.", flaky))
    with pytest.raises(CommandError, match="1 daily job"):
        run("--only", "flaky")
    assert not DailyRun.objects.filter(job="flaky").exists()
    assert "flaky: done: fine" in run("--only", "flaky")
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_claim_left_by_a_run_that_died_is_taken_over(monkeypatch):
    ran = []
    monkeypatch.setitem(daily._JOBS, "job", daily.DailyJob("job", "", lambda today: ran.append(today) or "ok"))
    today = timezone.localdate()
    DailyRun.objects.create(job="job", day=today, started_at=timezone.now() - daily.STALE_AFTER / 2)
    assert [r.state for r in run_daily(only=["job"])] == ["skipped"]  # still running elsewhere
    DailyRun.objects.filter(job="job").update(started_at=timezone.now() - daily.STALE_AFTER * 2)
    assert [r.state for r in run_daily(only=["job"])] == ["done"]
    assert ran == [today]


def test_an_unknown_job_is_a_clear_error():
    with pytest.raises(CommandError, match="Unknown job.*nosuch.*Known: digest"):
        run("--only", "nosuch")


# Two connections writing at once: the PostgreSQL run has them (SQLite's
# in-memory test database would serialise or lock instead), and a skip would
# fail CI, so the test exists only there.
POSTGRES = os.environ.get("WAGTAIL_DIALOG_TEST_DB") == "postgres"


@pytest.mark.django_db(transaction=True)
def _two_runs_at_once_run_each_job_once(monkeypatch):
    started, release = threading.Barrier(2), threading.Event()
    ran = []

    def slow(today):
        ran.append(today)
        release.wait(10)
        return "ok"

    monkeypatch.setitem(daily._JOBS, "slow", daily.DailyJob("slow", "", slow))
    results = []

    def one_run():
        try:
            started.wait(10)
            results.append(run_daily(only=["slow"])[0].state)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    # The one that got the claim is inside the job; the other finds it taken.
    for _ in range(100):
        if results:
            break
        threading.Event().wait(0.05)
    release.set()
    for thread in threads:
        thread.join(20)
    assert sorted(results) == ["done", "skipped"] and len(ran) == 1


if POSTGRES:
    test_two_runs_at_once_run_each_job_once = _two_runs_at_once_run_each_job_once
