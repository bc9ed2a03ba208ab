"""Anonymise the contributions of every dialog whose retention period has
ended (see wagtail_dialog/retention.py). Run it daily, e.g. from cron:
``30 2 * * * cd /srv/site && python manage.py apply_dialog_retention``.
``--dry-run`` lists what would be anonymised and changes nothing. Dialogs
whose data is kept, on hold or without the decision the site requires are
listed and left alone; dialogs to be anonymised within 30 days whose records
are not marked registered or archived are named as a warning.
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
        held = {dialog.pk: reason for dialog, _day, reason in retention.held(today)}
        for dialog, day in retention.unarchived_soon(today):
            self.stdout.write(self.style.WARNING(
                f"{dialog.title}: to be anonymised on {day:%Y-%m-%d}, and its records are not marked registered "
                "or archived. Take the archive export first."
            ))
        total = 0
        for dialog, day in retention.due(today):
            if dialog.pk in held:
                self.stdout.write(f"{dialog.title} (retention ended {day:%Y-%m-%d}): left alone ({held[dialog.pk]})")
                continue
            count = retention.with_personal_data(dialog).count() if dry_run else retention.anonymise_due(dialog)
            total += count
            verb = "would anonymise" if dry_run else "anonymised"
            self.stdout.write(f"{dialog.title} (retention ended {day:%Y-%m-%d}): {verb} {count} contributions")
        self.stdout.write(self.style.SUCCESS(f"{'Would anonymise' if dry_run else 'Anonymised'} {total} contributions."))
