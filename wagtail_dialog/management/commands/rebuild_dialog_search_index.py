"""Create the Elasticsearch indexes of the Elasticsearch extra anew and fill
them with every contribution and every live dialog page, showing progress.

Run it once after turning the extra on, and after an upgrade that changes the
index definitions. Afterwards the indexes are kept in step by tasks.
"""

from django.core.management.base import BaseCommand, CommandError

from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.search import elastic as search_elasticsearch

CHUNK = 500
BAR_WIDTH = 30


def progress_bar(done, total):
    """``[#####.....]  50%  500/1,000``: a text bar for a terminal."""
    share = done / total if total else 1
    filled = int(BAR_WIDTH * share)
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%}  {done:,}/{total:,}"


class Command(BaseCommand):
    help = "Create the Elasticsearch indexes anew and index every contribution and live dialog page."

    def handle(self, *args, **options):
        if not search_elasticsearch.enabled():
            raise CommandError("WAGTAIL_DIALOG_ELASTICSEARCH is not set: there is no Elasticsearch index to build.")
        from wagtail_dialog.dialogs.pages import DialogPage

        contributions = get_contribution_model()._default_manager.order_by("pk").prefetch_related("tags")
        dialogs = DialogPage.objects.live().specific().prefetch_related("tags")
        total = contributions.count() + dialogs.count()
        # On a terminal the bar redraws in place; in a log, one line per chunk.
        interactive = self.stdout.isatty()

        def progress(done):
            self.stdout.write(("\r" if interactive else "") + progress_bar(done, total),
                              ending="" if interactive else "\n")

        done, failed = search_elasticsearch.rebuild(contributions.iterator(chunk_size=CHUNK), dialogs, progress,
                                                    chunk_size=CHUNK)
        if interactive:
            self.stdout.write("")
        if failed:
            raise CommandError(f"{failed} of {done} documents could not be indexed; the old indexes stay in use.")
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {done:,} documents into {search_elasticsearch.index_name('contributions')} and "
            f"{search_elasticsearch.index_name('dialogs')}."
        ))
