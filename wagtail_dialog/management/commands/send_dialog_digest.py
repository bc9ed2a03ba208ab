from django.core.management.base import BaseCommand

from wagtail_dialog.contributions import notifications
from wagtail_dialog.dialogs.site_settings import AlertMode, DialogSiteSettings


class Command(BaseCommand):
    help = (
        "Queue the daily digest of contributions waiting for moderation, for sites whose "
        "'Alert moderators' setting is 'A daily digest'. Run it once a day, e.g. from cron at 07:00: "
        "'0 7 * * * cd /srv/site && /srv/site/venv/bin/python manage.py send_dialog_digest'. "
        "With django-tasks' immediate backend (the default) the emails are sent at once; "
        "with another backend a worker sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Queue the digest even if no site has chosen the daily digest.",
        )

    def handle(self, *args, force=False, **options):
        wanted = DialogSiteSettings.objects.filter(moderator_alerts=AlertMode.DAILY).exists()
        if not (wanted or force):
            self.stdout.write("No site has chosen the daily digest; nothing queued.")
            return
        result = notifications.send_moderator_digest.enqueue()
        self.stdout.write(f"Daily digest queued ({result.id}).")
