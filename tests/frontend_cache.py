"""A frontend-cache backend for the tests: it records what it is asked to purge."""

from wagtail.contrib.frontend_cache.backends import BaseBackend

#: Every batch purged, in order: a list of URL lists.
PURGED = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        PURGED.append(sorted(urls))
