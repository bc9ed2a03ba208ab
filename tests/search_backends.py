"""Run the same search behaviour tests against every search backend there is.

The database search always; the Elasticsearch extra as well when
WAGTAIL_DIALOG_TEST_ELASTICSEARCH_URL names a cluster, e.g.
``WAGTAIL_DIALOG_TEST_ELASTICSEARCH_URL=http://127.0.0.1:9200 make test``
(docs/search.md has a docker-compose snippet). Without it that variant is not
generated at all, so nothing is skipped.

Tests build their data inside the test's transaction, where the tasks that
keep the index in step never run (they wait for a commit): against
Elasticsearch every search is therefore preceded by a rebuild of the index,
through the same command a site runs.
"""

import io
import os

import pytest
from django.core.management import call_command
from django.test import override_settings

from wagtail_dialog.dialogs import pages
from wagtail_dialog.search import elastic as search_elasticsearch
from wagtail_dialog.search import public as public_search

LIVE_URL = os.environ.get("WAGTAIL_DIALOG_TEST_ELASTICSEARCH_URL", "")
BACKENDS = ["database"] + (["elasticsearch"] if LIVE_URL else [])


@pytest.fixture(params=BACKENDS)
def search_backend(request, monkeypatch):
    if request.param == "database":
        yield "database"
        return
    setting = {"URL": LIVE_URL, "INDEX_PREFIX": f"wagtail-dialog-test-{os.getpid()}"}
    with override_settings(WAGTAIL_DIALOG_ELASTICSEARCH=setting):
        search_elasticsearch.forget_clients()
        original = public_search.find

        def find(*args, **kwargs):
            call_command("rebuild_dialog_search_index", stdout=io.StringIO())
            return original(*args, **kwargs)

        monkeypatch.setattr(public_search, "find", find)
        monkeypatch.setattr(pages, "find", find)
        try:
            yield "elasticsearch"
        finally:
            # The aliases' indexes, by name: Elasticsearch 8 deletes no index through an alias.
            es = search_elasticsearch.client().options(ignore_status=404)
            aliases = ",".join(search_elasticsearch.index_name(kind) for kind in search_elasticsearch.KINDS)
            found = es.indices.get_alias(name=aliases).body
            names = [name for name, value in found.items() if isinstance(value, dict) and "aliases" in value]
            if names:
                es.indices.delete(index=names, ignore_unavailable=True)
            search_elasticsearch.forget_clients()
