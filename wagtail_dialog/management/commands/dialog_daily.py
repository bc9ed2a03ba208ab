"""Every scheduled job of wagtail-dialog: the moderators' digest, feedback
emails that have come due, anonymising at the end of retention, and whatever
else is registered in ``wagtail_dialog.daily`` and by the ways to take part.

Run it every hour from cron or a systemd timer (docs/installation.md), e.g.
``15 * * * * cd /srv/site && venv/bin/python manage.py dialog_daily``. Each
daily job runs at most once a day however often, and on however many servers,
the command runs; the hourly jobs (a meeting's reminders, its lapsed seats)
run every time and claim their rows themselves. ``--force`` runs the chosen
daily jobs again. Exits non-zero when a job failed (it is retried on the next run).
"""

from django.core.management.base import BaseCommand, CommandError

from wagtail_dialog.daily import daily_jobs, run_daily


class Command(BaseCommand):
    help = "Run wagtail-dialog's daily jobs (digest, feedback emails, retention, ...), each at most once a day."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="+", metavar="JOB", help="Run only these jobs (see --list).")
        parser.add_argument("--force", action="store_true", help="Run the jobs even if they already ran today.")
        parser.add_argument("--list", action="store_true", dest="list_jobs", help="List the daily jobs and run nothing.")

    def handle(self, *args, only=None, force=False, list_jobs=False, **options):
        jobs = daily_jobs()
        if list_jobs:
            for job in jobs:
                self.stdout.write(f"{job.name}: {job.description}")
            return
        unknown = sorted(set(only or []) - {job.name for job in jobs})
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(unknown)}. Known: {', '.join(j.name for j in jobs)}.")
        failed = 0
        for result in run_daily(only=only, force=force):
            line = f"{result.job.name}: {result.state}: {result.message}"
            if result.state == "failed":
                failed += 1
                self.stderr.write(self.style.ERROR(line))
            else:
                self.stdout.write(self.style.SUCCESS(line) if result.state == "done" else line)
        if failed:
            raise CommandError(f"{failed} daily job(s) failed; they run again on the next run.")
