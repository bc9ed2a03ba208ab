"""Email the feedback of every dialog whose feedback date has come to the
authors who asked for it and have not had it yet.

Publishing a dialog page with its feedback already dated today or earlier
queues these emails at once; feedback dated ahead is sent on its day by
``dialog_daily`` (which runs this among the other daily jobs) or by this
command on its own. Each author is emailed once, however often it runs.
"""

from django.core.management.base import BaseCommand

from wagtail_dialog.contributions.notifications import queue_due_feedback


class Command(BaseCommand):
    help = "Email dialogs' feedback to the authors who asked for it and have not had it yet."

    def handle(self, *args, **options):
        queued = queue_due_feedback()
        self.stdout.write(self.style.SUCCESS(f"Feedback emails queued for {queued} dialogs."))
