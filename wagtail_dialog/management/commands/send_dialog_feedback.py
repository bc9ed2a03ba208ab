"""Email the feedback of every dialog whose feedback date has come to the
authors who asked for it and have not had it yet.

Publishing a dialog page with its feedback already dated today or earlier
queues these emails at once; feedback dated ahead is sent by this command on
its day, so run it daily, e.g. from cron:
``0 7 * * * cd /srv/site && python manage.py send_dialog_feedback``.
Each author is emailed once, however often it runs.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail_dialog.notifications import feedback_recipients, send_feedback
from wagtail_dialog.pages import DialogPage


class Command(BaseCommand):
    help = "Email dialogs' feedback to the authors who asked for it and have not had it yet."

    def handle(self, *args, **options):
        today = timezone.localdate()
        queued = 0
        for dialog in DialogPage.objects.live().filter(feedback_published_on__lte=today).order_by("pk"):
            if feedback_recipients(dialog).exists():
                send_feedback.enqueue(dialog.pk)
                queued += 1
        self.stdout.write(self.style.SUCCESS(f"Feedback emails queued for {queued} dialogs."))
