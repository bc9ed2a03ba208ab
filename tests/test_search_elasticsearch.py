"""The Elasticsearch extra, by the exact requests it sends.

No Elasticsearch server runs here: the client's ``perform_request`` is replaced
by a recorder that keeps every request and answers from a script. The same
search behaviour against a live cluster is in test_public_search.py, which
runs every test against each backend (tests/search_backends.py), Elasticsearch
too when WAGTAIL_DIALOG_TEST_ELASTICSEARCH_URL is set.
"""

import json
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.test import override_settings
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import Elasticsearch

from tests.factories import make_contribution, make_dialog
from wagtail_dialog.contributions import ContributionStatus
from wagtail_dialog.search import elastic as search_elasticsearch
from wagtail_dialog.search import public as public_search
from wagtail_dialog.search.elastic import MARK_END, MARK_START

SETTING = {"URL": "http://elasticsearch.invalid:9200", "INDEX_PREFIX": "test"}
META = ApiResponseMeta(status=200, http_version="1.1", headers=HttpHeaders(), duration=0.0,
                       node=NodeConfig("http", "elasticsearch.invalid", 9200))


class Recorder:
    """Stands in for the server: records (method, path, body), answers in turn."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.existing = set()  # paths a HEAD request finds

    def __call__(self, method, path, *, params=None, headers=None, body=None, **kwargs):
        from elastic_transport import HeadApiResponse, ObjectApiResponse

        self.requests.append((method, path, body, params))
        if method == "HEAD":
            status = 200 if path in self.existing else 404
            return HeadApiResponse(meta=ApiResponseMeta(status=status, http_version="1.1", headers=HttpHeaders(),
                                                        duration=0.0, node=META.node))
        answer = self.answers.pop(0) if self.answers else {"acknowledged": True, "result": "created", "_id": "1"}
        return ObjectApiResponse(body=answer, meta=META)

    def bodies(self, path_part):
        return [body for method, path, body, params in self.requests if path_part in path]

    def calls(self):
        return [(method, path) for method, path, *_ in self.requests]


@pytest.fixture
def es(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(Elasticsearch, "perform_request", recorder)
    search_elasticsearch.forget_clients()
    with override_settings(WAGTAIL_DIALOG_ELASTICSEARCH=SETTING):
        yield recorder
    search_elasticsearch.forget_clients()


def search_answer(hits=(), buckets=None, aggregation=None):
    answer = {"hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": list(hits)}}
    if buckets is not None:
        answer["aggregations"] = {aggregation: {"buckets": buckets}}
    return answer


# --- Index definitions and the rebuild ------------------------------------------


def rebuild(es, dialog, *, existing=(), current=None):
    """Run the rebuild command against the recorder; return its output."""
    es.existing = set(existing)
    es.answers = [{"acknowledged": True}] * 2 + [
        {"errors": False, "items": [{"index": {"status": 201, "_id": str(n)}} for n in range(10)]}
    ]
    if current is not None:
        es.answers += [{"_shards": {}}, current]
    out = StringIO()
    call_command("rebuild_dialog_search_index", stdout=out)
    return out.getvalue()


def test_the_rebuild_fills_new_indexes_then_moves_the_aliases(es, dialog):
    for n in range(3):
        make_contribution(dialog, f"Synpunkt om cyklar {n}", name="Anna", email="x@example.com")
    # Before: an alias on an old contributions index, and a dialogs index in its alias's place.
    output = rebuild(es, dialog, existing={"/_alias/test-contributions", "/test-dialogs"},
                     current={"test-contributions-old": {"aliases": {"test-contributions": {}}}})
    calls = es.calls()
    contributions_index, dialogs_index = calls[0][1][1:], calls[1][1][1:]
    assert contributions_index.startswith("test-contributions-") and dialogs_index.startswith("test-dialogs-")
    assert calls[:3] == [("PUT", f"/{contributions_index}"), ("PUT", f"/{dialogs_index}"), ("PUT", "/_bulk")]
    assert calls[3] == ("POST", f"/{contributions_index},{dialogs_index}/_refresh")
    definition = es.requests[0][2]
    analysis = definition["settings"]["analysis"]
    assert analysis["analyzer"]["wd_swedish"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "wd_swedish_stop", "wd_swedish_stemmer", "asciifolding"],
    }
    assert analysis["filter"] == {
        "wd_swedish_stop": {"type": "stop", "stopwords": "_swedish_"},
        "wd_swedish_stemmer": {"type": "stemmer", "language": "swedish"},
    }
    assert definition["mappings"] == {
        "properties": {
            "id": {"type": "long"},
            "dialog": {"type": "long"},
            "status": {"type": "keyword"},
            "published": {"type": "boolean"},
            "channel": {"type": "keyword"},
            "area": {"type": "keyword"},
            "tags": {"type": "keyword"},
            "reference": {"type": "keyword"},
            "submitted_at": {"type": "date"},
            "terms": {"type": "keyword"},
            "moderator_terms": {"type": "keyword"},
            "text": {"type": "text", "analyzer": "wd_swedish",
                     "fields": {"words": {"type": "text", "analyzer": "wd_words"}}},
            "reply": {"type": "text", "analyzer": "wd_swedish"},
        }
    }
    assert es.requests[1][2]["mappings"]["properties"] == {
        "dialog": {"type": "long"}, "level": {"type": "keyword"}, "tags": {"type": "keyword"},
        "terms": {"type": "keyword"},
    }
    bulk = [json.loads(line) for line in es.bodies("_bulk")[0]]
    actions, documents = bulk[0::2], bulk[1::2]
    assert [action["index"]["_index"] for action in actions] == [contributions_index] * 3 + [dialogs_index]
    assert sorted(document["text"] for document in documents[:3]) == [f"Synpunkt om cyklar {n}" for n in range(3)]
    assert "cykl" in documents[0]["terms"]  # the database backend's Swedish terms (cyklar, cykel)
    assert "x@example.com" not in json.dumps(bulk) and "Anna" not in json.dumps(bulk)
    # The aliases move in one step, and the old index goes afterwards.
    aliases = es.bodies("/_aliases")[0]
    assert aliases == {"actions": [
        {"remove": {"index": "test-contributions-old", "alias": "test-contributions"}},
        {"add": {"index": contributions_index, "alias": "test-contributions"}},
        {"remove_index": {"index": "test-dialogs"}},
        {"add": {"index": dialogs_index, "alias": "test-dialogs"}},
    ]}
    assert calls[-1] == ("DELETE", "/test-contributions-old")
    assert "[" + "#" * 30 + "] 100%  4/4" in output and "Indexed 4 documents" in output


def test_a_first_rebuild_puts_the_aliases_in_place(es, dialog):
    rebuild(es, dialog)
    actions = es.bodies("/_aliases")[0]["actions"]
    assert [list(action) for action in actions] == [["add"], ["add"]]
    assert [action["add"]["alias"] for action in actions] == ["test-contributions", "test-dialogs"]


def test_a_failed_rebuild_keeps_the_old_indexes(es, dialog):
    make_contribution(dialog, "Hej")
    es.answers = [{"acknowledged": True}] * 2 + [
        {"errors": True, "items": [{"index": {"status": 400, "_id": "1", "error": {"type": "mapper_parsing"}}},
                                   {"index": {"status": 201, "_id": "2"}}]}
    ]
    with pytest.raises(CommandError, match="1 of 2 documents could not be indexed"):
        call_command("rebuild_dialog_search_index", stdout=StringIO())
    assert es.calls()[-1][0] == "DELETE" and not es.bodies("/_aliases")


def test_the_rebuild_command_refuses_without_the_setting():
    with pytest.raises(CommandError, match="WAGTAIL_DIALOG_ELASTICSEARCH"):
        call_command("rebuild_dialog_search_index", stdout=StringIO())


# --- Keeping the index in step -------------------------------------------------


def test_a_new_contribution_is_indexed_without_name_or_email(es, dialog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = make_contribution(dialog, f"Fler cykelvägar {MARK_START}tack.", name="Anna Andersson",
                                         email="anna@example.com", area="Norr", moderator_note="Ring tillbaka")
    method, path, body, params = es.requests[-1]
    assert (method, path) == ("PUT", f"/test-contributions/_doc/{contribution.pk}")
    assert params["require_alias"] in (True, "true")
    assert body == {
        "id": contribution.pk,
        "dialog": dialog.pk,
        "status": ContributionStatus.PENDING,
        "published": False,
        "channel": "web",
        "area": "Norr",
        "tags": [],
        "reference": contribution.reference,
        "submitted_at": contribution.submitted_at.isoformat(),
        "terms": contribution.search_terms.split(),
        "moderator_terms": contribution.moderator_search_terms.split(),
        "text": "Fler cykelvägar tack.",  # the highlight markers cannot be faked
        "reply": "",
    }
    assert "ring" in body["moderator_terms"] and "ring" not in body["terms"]  # the note: moderators only
    sent = json.dumps([request[2] for request in es.requests], ensure_ascii=False)
    assert "anna@example.com" not in sent and "Anna Andersson" not in sent


def test_tags_moderation_and_deletion_keep_the_index_in_step(es, dialog, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, "Mer skugga i parken.")
    with django_capture_on_commit_callbacks(execute=True):
        contribution.tags.add("Grönska")
    assert es.requests[-1][2]["tags"] == ["grönska"]
    with django_capture_on_commit_callbacks(execute=True):
        contribution.status = ContributionStatus.PUBLISHED
        contribution.save(update_fields=["status"])
    assert es.requests[-1][2]["published"] is True
    pk = contribution.pk
    with django_capture_on_commit_callbacks(execute=True):
        contribution.delete()
    assert es.requests[-1][:2] == ("DELETE", f"/test-contributions/_doc/{pk}")


def test_dialog_pages_are_indexed_when_published_and_removed_when_unpublished_or_deleted(
    es, dialog_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dialog = make_dialog(dialog_index, title="Cykelplan", tags=["trafik"])
        dialog.save_revision().publish()
    method, path, body, _ = es.requests[-1]
    assert (method, path) == ("PUT", f"/test-dialogs/_doc/{dialog.pk}")
    dialog.refresh_from_db()
    assert body == {"dialog": dialog.pk, "level": dialog.participation_level, "tags": ["trafik"],
                    "terms": dialog.search_terms.split()}
    assert "cykelplan" in body["terms"]
    with django_capture_on_commit_callbacks(execute=True):
        dialog.unpublish()
    assert es.requests[-1][:2] == ("DELETE", f"/test-dialogs/_doc/{dialog.pk}")
    pk = dialog.pk
    with django_capture_on_commit_callbacks(execute=True):
        dialog.delete()
    assert ("DELETE", f"/test-dialogs/_doc/{pk}") in es.calls()[-3:]


def test_without_the_setting_nothing_is_sent(monkeypatch, dialog, django_capture_on_commit_callbacks):
    recorder = Recorder()
    monkeypatch.setattr(Elasticsearch, "perform_request", recorder)
    with django_capture_on_commit_callbacks(execute=True):
        make_contribution(dialog, "Hej", status=ContributionStatus.PUBLISHED)
    assert recorder.requests == []


# --- Residents' search ---------------------------------------------------------


def test_the_public_search_asks_for_published_contributions_of_the_shown_dialogs_only(es, dialog_index):
    shown = make_dialog(dialog_index, title="Torget")
    hidden = make_dialog(dialog_index, title="Skolan", show_contributions=False)
    published = make_contribution(shown, "Fler <b>cyklar</b> på torget.", status=ContributionStatus.PUBLISHED)
    es.answers = [
        search_answer([{"_id": str(shown.pk)}]),  # dialogs
        search_answer(buckets=[{"key": shown.pk, "doc_count": 1}], aggregation="per_dialog"),
        search_answer([{"_id": str(published.pk),
                        "highlight": {"text": [f"Fler <b>{MARK_START}cyklar{MARK_END}</b> på torget."]}}]),
    ]
    findings = public_search.find(dialog_index.dialogs(), "cykeln", {"status": "", "level": "", "tag": ""})
    hits = findings.hits(0, 10)
    dialogs_body, counts_body, page_body = es.bodies("_search")
    # "cykeln": its stems "cykel" and "cykl" as prefixes, so compounds ("cykelställ") are found too.
    word = {"bool": {"should": [{"prefix": {"terms": "cykel"}}, {"prefix": {"terms": "cykl"}}],
                     "minimum_should_match": 1}}
    assert dialogs_body == {
        "query": {"bool": {"filter": [word, {"terms": {"dialog": sorted([shown.pk, hidden.pk])}}]}},
        "size": 2,
        "_source": False,
    }
    public_query = {"bool": {"filter": [word, {"term": {"published": True}}, {"terms": {"dialog": [shown.pk]}}]}}
    assert counts_body == {
        "query": public_query,
        "size": 0,
        "aggs": {"per_dialog": {"terms": {"field": "dialog", "size": 1}}},
    }
    assert page_body == {
        "query": public_query,
        "sort": [{"submitted_at": {"order": "desc"}}, {"id": {"order": "desc"}}],
        "from": 0,
        "size": 9,
        "_source": False,
        "highlight": {
            "pre_tags": [MARK_START],
            "post_tags": [MARK_END],
            "fields": {
                "text": {"fragment_size": 220, "number_of_fragments": 1,
                         "highlight_query": {"match": {"text": "cykeln"}}},
                "reply": {"fragment_size": 220, "number_of_fragments": 1,
                          "highlight_query": {"match": {"reply": "cykeln"}}},
            },
        },
    }
    assert findings.total == 2 and findings.facets["level"] == {shown.participation_level: 2}
    assert [hit.kind for hit in hits] == ["dialog", "contribution"]
    # The highlight is escaped here: the search server's text is never trusted as HTML.
    assert hits[1].excerpt == "Fler &lt;b&gt;<mark>cyklar</mark>&lt;/b&gt; på torget."


def test_an_excerpt_of_text_since_edited_out_is_never_shown(es, dialog):
    contribution = make_contribution(dialog, "Fler cyklar vid skolan.", status=ContributionStatus.PUBLISHED)
    es.answers = [
        search_answer([]),
        search_answer(buckets=[{"key": dialog.pk, "doc_count": 1}], aggregation="per_dialog"),
        search_answer([{"_id": str(contribution.pk),
                        "highlight": {"text": [f"Ring Anna på 070-123 om {MARK_START}cyklar{MARK_END}"]}}]),
    ]
    hits = public_search.find(dialog.get_parent().specific.dialogs(), "cyklar", {}).hits(0, 10)
    assert "Anna" not in hits[0].excerpt and "<mark>cyklar</mark>" in hits[0].excerpt


def test_a_hit_the_database_no_longer_shows_is_left_out(es, dialog):
    gone = make_contribution(dialog, "Dold nu", status=ContributionStatus.REJECTED)
    es.answers = [
        search_answer([]),
        search_answer(buckets=[{"key": dialog.pk, "doc_count": 1}], aggregation="per_dialog"),
        search_answer([{"_id": str(gone.pk), "highlight": {"text": ["Dold nu"]}}]),
    ]
    findings = public_search.find(dialog.get_parent().specific.dialogs(), "dold", {})
    assert findings.hits(0, 10) == []


def test_pages_past_the_result_window_ask_nothing(es, dialog):
    assert search_elasticsearch.contribution_page("cykel", [dialog.pk], 10_000, 20) == []
    assert es.requests == []
    es.answers = [search_answer([])]
    search_elasticsearch.contribution_page("cykel", [dialog.pk], 9_990, 20)
    assert es.bodies("_search")[0]["size"] == 10


def test_short_words_and_numbers_stay_exact_and_long_terms_are_prefixes(es, dialog):
    es.answers = [search_answer([])]
    search_elasticsearch.matching_dialogs("bo 12 bilen %_\\", [dialog.pk])
    assert es.bodies("_search")[0]["query"]["bool"]["filter"][:3] == [
        {"terms": {"terms": ["bo"]}},
        {"terms": {"terms": ["12"]}},
        # "bilen": the short stem "bil" exact (it would find "bild"), the longer term a prefix.
        {"bool": {"should": [{"terms": {"terms": ["bil"]}}, {"prefix": {"terms": "biln"}}],
                  "minimum_should_match": 1}},
    ]
    # LIKE's and Lucene's special characters are not words: nothing is asked for them.
    assert len(es.bodies("_search")[0]["query"]["bool"]["filter"]) == 4
    es.requests.clear()
    assert search_elasticsearch.matching_dialogs("% _ \\ *", [dialog.pk]) == set()
    assert es.requests == []


def test_a_query_of_only_stop_words_asks_nothing(es, dialog):
    assert search_elasticsearch.matching_dialogs("och att", [dialog.pk]) == set()
    assert search_elasticsearch.contributions_per_dialog("och att", [dialog.pk]) == {}
    assert es.requests == []


# --- Moderators ----------------------------------------------------------------


def test_the_inbox_search_asks_about_the_moderators_own_dialogs_only(es, client, dialog, dialog_index,
                                                                      django_user_model):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    other = make_dialog(dialog_index, title="Annan")
    found = make_contribution(dialog, "Belysning vid stationen")
    make_contribution(dialog, "Något annat")
    make_contribution(other, "Belysning där också")
    group = Group.objects.create(name="Torgets redaktörer")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=group, page=dialog, permission_type="publish")
    editor = django_user_model.objects.create_user("redaktor", "r@example.com", "x", is_staff=True)
    editor.groups.add(group)
    client.force_login(editor)
    es.answers = [search_answer([{"_id": str(found.pk)}])] * 2
    response = client.get("/admin/contributions/?q=Belysningen")
    assert response.status_code == 200
    body = es.bodies("_search")[0]
    assert body == {
        "query": {"bool": {
            "should": [
                {"bool": {"filter": [{"bool": {"should": [{"prefix": {"moderator_terms": "belysning"}}],
                                               "minimum_should_match": 1}}]}},
                {"term": {"reference": "BELYSNINGEN"}},
                {"term": {"tags": "belysningen"}},
            ],
            "minimum_should_match": 1,
            "filter": [{"terms": {"dialog": [dialog.pk]}}],
        }},
        "size": 10_000,
        "_source": False,
    }
    assert len(es.bodies("_search")) == 1  # asked once for the listing and every count
    content = response.content.decode()
    assert found.reference in content and "Något annat" not in content


def test_the_themes_view_shows_significant_text_grouped_and_filtered(es, admin_client, dialog):
    for text in ("Cykelbana längs ån", "Bättre cykelbana", "Cykelbana nu"):
        make_contribution(dialog, text)
    es.answers = [{"hits": {"hits": []}, "aggregations": {"sample": {"words": {"buckets": [
        {"key": "gångtunneln", "doc_count": 5, "score": 4.2, "bg_count": 5},
        {"key": "önskar", "doc_count": 4, "score": 3.0, "bg_count": 9},
        {"key": "gångtunnel", "doc_count": 3, "score": 2.0, "bg_count": 3},
    ]}}}}]
    response = admin_client.get(f"/admin/dialog-themes/{dialog.pk}/")
    assert response.status_code == 200
    body = es.bodies("_search")[0]
    assert body == {
        "query": {"bool": {"filter": [{"term": {"dialog": dialog.pk}},
                                      {"terms": {"status": ["pending", "published"]}}]}},
        "size": 0,
        "aggs": {"sample": {"sampler": {"shard_size": 5000}, "aggs": {"words": {"significant_text": {
            "field": "text.words", "source_fields": ["text"], "filter_duplicate_text": True,
            "min_doc_count": 2, "size": 100,
        }}}}},
    }
    page = BeautifulSoup(response.content, "html.parser")
    words = page.select_one('[aria-labelledby="wd-themes-words"]').get_text(" ")
    # Elasticsearch's words, forms joined (as the most used form), fillers out;
    # the database's own most frequent word is not among them.
    assert "gångtunneln" in words and "gångtunnel " not in words
    assert "önskar" not in words and "cykelbana" not in words.casefold()
    assert page.select_one("#wd-themes-words").find_next_sibling("p") is not None  # says what these words are


def test_a_renamed_tag_is_sent_again_with_every_document_that_holds_it(
    es, dialog_index, django_capture_on_commit_callbacks
):
    from taggit.models import Tag

    with django_capture_on_commit_callbacks(execute=True):
        dialog = make_dialog(dialog_index, title="Parken", slug="parken", tags=["grönska"])
        dialog.save_revision().publish()
        contribution = make_contribution(dialog, "Mer skugga i parken.")
        contribution.tags.add("Grönska")
    es.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tag = Tag.objects.get(name="Grönska")
        tag.name = "Träd"
        tag.save()
    sent = {path: body for method, path, body, _ in es.requests if method == "PUT"}
    assert sent[f"/test-contributions/_doc/{contribution.pk}"]["tags"] == ["träd"]
    assert f"/test-dialogs/_doc/{dialog.pk}" not in sent  # the dialog's tag is another one
    es.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.get(name="grönska").delete()
    sent = {path: body for method, path, body, _ in es.requests if method == "PUT"}
    assert sent[f"/test-dialogs/_doc/{dialog.pk}"]["tags"] == []
