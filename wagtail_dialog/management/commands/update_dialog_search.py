"""Recompute the search terms of every contribution and dialog page.

Needed after contributions were imported with bulk_create (which skips save()),
and after an upgrade that changes how Swedish words become search terms.
"""

from django.core.management.base import BaseCommand

from wagtail_dialog.search.indexing import refresh_terms


class Command(BaseCommand):
    help = "Recompute the search terms of every contribution and dialog page."

    def handle(self, *args, **options):
        count = refresh_terms()
        self.stdout.write(self.style.SUCCESS(f"Search terms updated for {count} rows."))
