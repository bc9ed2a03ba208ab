"""Anonymise the contributions of every dialog whose retention period has
ended (see wagtail_dialog/retention.py). Run it daily, e.g. from cron:
``30 2 * * * cd /srv/site && python manage.py apply_dialog_retention``.
``--dry-run`` lists what would be anonymised and changes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail_dialog.privacy import retention


class Command(BaseCommand):
    help = "Anonymise the contributions of dialogs whose retention period has ended."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be anonymised; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        total = 0
        for dialog, day in retention.due(today):
            count = retention.with_personal_data(dialog).count() if dry_run else retention.anonymise(dialog)
            total += count
            verb = "would anonymise" if dry_run else "anonymised"
            self.stdout.write(f"{dialog.title} (retention ended {day:%Y-%m-%d}): {verb} {count} contributions")
        self.stdout.write(self.style.SUCCESS(f"{'Would anonymise' if dry_run else 'Anonymised'} {total} contributions."))
