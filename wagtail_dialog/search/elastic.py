"""The Elasticsearch extra: contributions and dialogs searched in Elasticsearch.

Installed with ``pip install wagtail-dialog[elasticsearch]`` and switched on by
one setting, ``WAGTAIL_DIALOG_ELASTICSEARCH = {"URL": "http://localhost:9200"}``
(optional keys: ``INDEX_PREFIX``, default "wagtail-dialog", and ``OPTIONS``,
passed to the Elasticsearch client, e.g. ``{"api_key": ...}``). Without it the
database search in ``search`` is used.

Two indexes, defined with elasticsearch-dsl and reached through aliases named
``<prefix>-contributions`` (every contribution: its Swedish search terms, text,
reply, tags, reference, status, channel, area, dialog, date) and
``<prefix>-dialogs`` (live dialog pages). No name or email address is ever sent.
A rebuild fills new indexes and then moves the aliases in one step, so searches
never meet a missing or half-filled index.

Matching uses the very Swedish search terms the database backend stores
(``swedish``: Snowball plus definite forms, e-syncope and folding of å/ä/ö), as
keywords, and the same prefixes for compounds (a ``prefix`` query on the
keyword field, which needs the cluster's default
``search.allow_expensive_queries: true``): a search finds the same
contributions on every backend. The text
itself is analysed by Elasticsearch's built-in Swedish filters for the
highlighted excerpts and, without stemming, for the themes (significant_text).
Compound splitting is not used: the built-in decompounder splits on any listed
substring (vägg would yield väg, bild bil), which found more noise than help;
the prefixes find a compound by its first part only, as the database does.

The database stays the judge of what the public may see: a public search is
always limited to the published contributions of the dialogs the caller passes
(live, public, showing contributions), and the hits and their excerpts are read
back from the database through the same filter before they are shown.
"""

import datetime
import json

from django.utils.html import escape
from django.utils.safestring import mark_safe

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.search import swedish

#: Private-use characters that stand for <mark> and </mark> in highlights, so
#: that the text is escaped here and never trusted from the search server.
#: They are taken out of every text sent, so a contribution cannot fake them.
MARK_START, MARK_END = "\ue000", "\ue001"

HIGHLIGHT_LENGTH = 220

#: Elasticsearch's default result window: no search reads past it.
RESULT_WINDOW = 10_000

KINDS = ("contributions", "dialogs")


def configuration():
    """The WAGTAIL_DIALOG_ELASTICSEARCH setting, or None when the extra is off."""
    return dialog_setting("ELASTICSEARCH")


def enabled():
    return bool(configuration())


def index_name(kind):
    """The alias every read and write uses for the ``kind`` index."""
    prefix = (configuration() or {}).get("INDEX_PREFIX", "wagtail-dialog")
    return f"{prefix}-{kind}"


_clients = {}


def client():
    """The Elasticsearch client for the configured URL and options (one per process)."""
    from elasticsearch import Elasticsearch

    config = configuration()
    key = json.dumps([config["URL"], config.get("OPTIONS") or {}], sort_keys=True, default=str)
    if key not in _clients:
        _clients[key] = Elasticsearch(config["URL"], **(config.get("OPTIONS") or {}))
    return _clients[key]


def forget_clients():
    _clients.clear()


# --- Index definitions -------------------------------------------------------


def _analysis():
    from elasticsearch_dsl import analyzer, token_filter

    stop = token_filter("wd_swedish_stop", "stop", stopwords="_swedish_")
    text = analyzer(
        "wd_swedish",
        tokenizer="standard",
        # Folding after stemming: the Swedish stemmer needs å, ä and ö.
        filter=["lowercase", stop, token_filter("wd_swedish_stemmer", "stemmer", language="swedish"),
                "asciifolding"],
    )
    # For themes: whole words as residents wrote them, without stop words.
    words = analyzer("wd_words", tokenizer="standard", filter=["lowercase", stop])
    return text, words


def _index(name, fields):
    """An index called ``name`` with ``fields`` ({name: elasticsearch-dsl field})."""
    from elasticsearch_dsl import Index, Mapping

    index = Index(name)
    index.settings(number_of_shards=1)
    mapping = Mapping()
    for field_name, field in fields.items():
        mapping.field(field_name, field)
    index.mapping(mapping)
    return index


def contribution_index(name):
    from elasticsearch_dsl import Boolean, Date, Keyword, Long, Text

    text, words = _analysis()
    return _index(name, {
        "id": Long(),
        "dialog": Long(),
        "status": Keyword(),
        "published": Boolean(),
        "channel": Keyword(),
        "area": Keyword(),
        "tags": Keyword(),
        "reference": Keyword(),
        "submitted_at": Date(),
        "terms": Keyword(),
        "moderator_terms": Keyword(),
        "text": Text(analyzer=text, fields={"words": Text(analyzer=words)}),
        "reply": Text(analyzer=text),
    })


def dialog_index(name):
    from elasticsearch_dsl import Keyword, Long

    return _index(name, {"dialog": Long(), "level": Keyword(), "tags": Keyword(), "terms": Keyword()})


# --- Documents -----------------------------------------------------------------


def _plain(text):
    return (text or "").replace(MARK_START, "").replace(MARK_END, "")


def contribution_document(contribution):
    """What the index holds about ``contribution``: never a name or an email.
    The internal note is only there as part of the moderators' terms."""
    return {
        "id": contribution.pk,
        "dialog": contribution.dialog_id,
        "status": contribution.status,
        "published": contribution.is_published,
        "channel": contribution.channel,
        "area": contribution.area,
        "tags": sorted(tag.name.casefold() for tag in contribution.tags.all()),
        "reference": contribution.reference,
        "submitted_at": contribution.submitted_at.isoformat() if contribution.submitted_at else None,
        "terms": contribution.search_terms.split(),
        "moderator_terms": contribution.moderator_search_terms.split(),
        "text": _plain(contribution.text),
        "reply": _plain(contribution.reply),
    }


def dialog_document(dialog):
    """What the index holds about a live dialog page: the terms of its public text."""
    return {
        "dialog": dialog.pk,
        "level": dialog.participation_level,
        "tags": sorted(tag.slug for tag in dialog.tags.all()),
        "terms": dialog.search_terms.split(),
    }


def index_contribution(contribution):
    # require_alias: before the first rebuild there is nothing to write to,
    # and an index Elasticsearch made up on the spot would have the wrong mapping.
    client().index(index=index_name("contributions"), id=str(contribution.pk),
                   document=contribution_document(contribution), require_alias=True)


def remove_contribution(pk):
    client().options(ignore_status=404).delete(index=index_name("contributions"), id=str(pk))


def index_dialog(dialog):
    client().index(index=index_name("dialogs"), id=str(dialog.pk), document=dialog_document(dialog),
                   require_alias=True)


def remove_dialog(pk):
    client().options(ignore_status=404).delete(index=index_name("dialogs"), id=str(pk))


# --- Queries -----------------------------------------------------------------


def terms_filters(query, field):
    """One filter per word of ``query``: a document matches when it has a term
    of every word (as ``search.matching`` asks the database). A word with
    prefixes (``swedish.query_words``: "cykel" also finds "cykelställ") asks
    for one of its exact terms or a ``prefix`` of the keyword field. None when
    the query has no searchable word."""
    words = swedish.query_words(query)
    if not words:
        return None
    return [_word_filter(word, field) for word in words]


def _word_filter(word, field):
    if not word.prefixes:
        return {"terms": {field: sorted(word.exact)}}
    should = [{"terms": {field: sorted(word.exact)}}] if word.exact else []
    should += [{"prefix": {field: prefix}} for prefix in sorted(word.prefixes)]
    # In filter context: nothing is scored, the results are sorted by date as on the database.
    return {"bool": {"should": should, "minimum_should_match": 1}}


def public_contribution_query(query, dialog_ids):
    """The published contributions of ``dialog_ids`` that match ``query``, or None."""
    words = terms_filters(query, "terms")
    if words is None:
        return None
    return {"bool": {"filter": [*words, {"term": {"published": True}}, {"terms": {"dialog": sorted(dialog_ids)}}]}}


def matching_dialogs(query, dialog_ids):
    """The pks among ``dialog_ids`` whose page matches ``query``."""
    words = terms_filters(query, "terms")
    if not dialog_ids or words is None:
        return set()
    body = {
        "query": {"bool": {"filter": [*words, {"terms": {"dialog": sorted(dialog_ids)}}]}},
        "size": len(dialog_ids),
        "_source": False,
    }
    response = client().search(index=index_name("dialogs"), body=body)
    return {int(hit["_id"]) for hit in response["hits"]["hits"]}


def contributions_per_dialog(query, dialog_ids):
    """{dialog pk: number of matching published contributions}, as an aggregation."""
    search = public_contribution_query(query, dialog_ids)
    if not dialog_ids or search is None:
        return {}
    body = {
        "query": search,
        "size": 0,
        "aggs": {"per_dialog": {"terms": {"field": "dialog", "size": len(dialog_ids)}}},
    }
    response = client().search(index=index_name("contributions"), body=body)
    return {int(bucket["key"]): bucket["doc_count"] for bucket in response["aggregations"]["per_dialog"]["buckets"]}


def contribution_page(query, dialog_ids, start, count):
    """[(pk, {field: highlighted fragment})] of matching published contributions,
    newest first. Pages past Elasticsearch's result window are empty."""
    search = public_contribution_query(query, dialog_ids)
    count = min(count, RESULT_WINDOW - start)
    if not dialog_ids or search is None or count <= 0:
        return []
    fragment = {"fragment_size": HIGHLIGHT_LENGTH, "number_of_fragments": 1}
    body = {
        "query": search,
        # A field of its own breaks ties: Elasticsearch 8 does not sort on _id.
        "sort": [{"submitted_at": {"order": "desc"}}, {"id": {"order": "desc"}}],
        "from": start,
        "size": count,
        "_source": False,
        "highlight": {
            "pre_tags": [MARK_START],
            "post_tags": [MARK_END],
            "fields": {
                "text": {**fragment, "highlight_query": {"match": {"text": query}}},
                "reply": {**fragment, "highlight_query": {"match": {"reply": query}}},
            },
        },
    }
    response = client().search(index=index_name("contributions"), body=body)
    return [(int(hit["_id"]), {field: found[0] for field, found in hit.get("highlight", {}).items()})
            for hit in response["hits"]["hits"]]


def marked(fragment, current_text):
    """A highlighted ``fragment`` as safe HTML (escaped here, matches in <mark>),
    or None when it is not part of ``current_text``: the index may hold text a
    moderator has since edited out, which must not be shown."""
    if not fragment or MARK_START not in fragment or _plain(fragment) not in (current_text or ""):
        return None
    return mark_safe(escape(fragment).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def inbox_matches(query, dialog_ids=None):
    """Pks of contributions to ``dialog_ids`` (None: every dialog) whose text,
    reply, note or tags match ``query``, or whose reference it is; at most
    Elasticsearch's result window of them."""
    query = query.strip()
    should = [{"term": {"reference": query.upper()}}, {"term": {"tags": query.casefold()}}]
    words = terms_filters(query, "moderator_terms")
    if words is not None:
        should.insert(0, {"bool": {"filter": words}})
    search = {"bool": {"should": should, "minimum_should_match": 1}}
    if dialog_ids is not None:
        search["bool"]["filter"] = [{"terms": {"dialog": sorted(dialog_ids)}}]
    body = {"query": search, "size": RESULT_WINDOW, "_source": False}
    response = client().search(index=index_name("contributions"), body=body)
    return [int(hit["_id"]) for hit in response["hits"]["hits"]]


def significant_words(dialog_id, statuses, size=100):
    """[(word, number of contributions)] that set ``dialog_id``'s contributions
    apart from all others (``significant_text``), most significant first."""
    body = {
        "query": {"bool": {"filter": [{"term": {"dialog": dialog_id}}, {"terms": {"status": sorted(statuses)}}]}},
        "size": 0,
        "aggs": {
            "sample": {
                "sampler": {"shard_size": 5000},
                "aggs": {
                    "words": {
                        "significant_text": {
                            "field": "text.words",
                            "source_fields": ["text"],
                            "filter_duplicate_text": True,
                            "min_doc_count": 2,
                            "size": size,
                        }
                    }
                },
            }
        },
    }
    response = client().search(index=index_name("contributions"), body=body)
    buckets = response["aggregations"]["sample"]["words"]["buckets"]
    return [(bucket["key"], bucket["doc_count"]) for bucket in buckets]


# --- Building the indexes ------------------------------------------------------


def bulk_actions(contributions, dialogs, names):
    """Bulk-indexing actions for ``contributions`` and ``dialogs`` into the
    indexes ``names`` ({kind: index name})."""
    for contribution in contributions:
        yield {"_index": names["contributions"], "_id": str(contribution.pk),
               "_source": contribution_document(contribution)}
    for dialog in dialogs:
        yield {"_index": names["dialogs"], "_id": str(dialog.pk), "_source": dialog_document(dialog)}


def rebuild(contributions, dialogs, progress=None, chunk_size=500):
    """Fill new indexes with ``contributions`` and ``dialogs``, then point the
    aliases at them and drop the old ones. ``progress(done)`` is called after
    every chunk. Returns (indexed, failed); on any failure the aliases stay."""
    from elasticsearch.helpers import streaming_bulk

    es = client()
    suffix = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    names = {kind: f"{index_name(kind)}-{suffix}" for kind in KINDS}
    contribution_index(names["contributions"]).create(using=es)
    dialog_index(names["dialogs"]).create(using=es)
    done = failed = 0
    actions = bulk_actions(contributions, dialogs, names)
    for ok, _item in streaming_bulk(es, actions, chunk_size=chunk_size, raise_on_error=False):
        done += 1
        failed += not ok
        if progress and done % chunk_size == 0:
            progress(done)
    if progress and done % chunk_size:
        progress(done)
    if failed:
        es.indices.delete(index=list(names.values()))
        return done, failed
    es.indices.refresh(index=list(names.values()))
    _move_aliases(names)
    return done, failed


def _move_aliases(names):
    es = client()
    actions, old = [], []
    for kind, new in names.items():
        alias = index_name(kind)
        if es.indices.exists_alias(name=alias):
            current = list(es.indices.get_alias(name=alias).body)
            old += current
            actions += [{"remove": {"index": name, "alias": alias}} for name in current]
        elif es.indices.exists(index=alias):
            # An index in the alias's place (from an older version): replaced in the same step.
            actions.append({"remove_index": {"index": alias}})
        actions.append({"add": {"index": new, "alias": alias}})
    es.indices.update_aliases(actions=actions)
    if old:
        es.indices.delete(index=old, ignore_unavailable=True)


def refresh():
    """Make everything indexed so far searchable (for tests)."""
    client().indices.refresh(index=[index_name(kind) for kind in KINDS])
