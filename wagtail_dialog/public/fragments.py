"""Parts of the dialog page kept rendered in the cache, keyed by everything
they show.

Rendering, not the database, is most of a dialog page's time (bench/page.py):
the influence box, the folded background and the list of contributions are the
same for every visitor until something in them changes. Each is cached under a
digest of the very rows and fields it is drawn from, in the active language, so
a change anywhere (a page saved, a limit edited, a decision body renamed, a
contribution published or replied to) makes a new key: nothing is ever stale
and nothing needs purging. A preview is never cached.
"""

import hashlib

from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.db import connections, router
from django.utils.translation import get_language

from wagtail_dialog import __version__ as VERSION
from wagtail_dialog.methods.base import MethodPage

#: The longest a fragment is kept. A change makes a new key at once, so this only
#: bounds how long an unused copy lingers in the cache: an erased name, say, is
#: never shown again, and is gone from the cache within the hour.
TIMEOUT = 60 * 60


#: A page's revision bookkeeping: saving a draft changes them, not what the public page shows.
BOOKKEEPING = {"latest_revision_id", "latest_revision_created_at", "draft_title", "has_unpublished_changes"}


def _values(instance):
    """The loaded field values of ``instance`` as the database holds them
    (a StreamField's JSON, not its objects, whose repr names memory
    addresses); deferred fields are left out (reading them would cost a query
    each)."""
    skipped = instance.get_deferred_fields() | BOOKKEEPING
    return tuple(
        field.get_prep_value(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in skipped
    )


def _digest(kind, *parts):
    # The package's version too: fragments rendered by another release's templates are never served.
    return hashlib.blake2b(repr((kind, VERSION, get_language(), parts)).encode(), digest_size=16).hexdigest()


def page_key(page, request):
    """The key of the parts drawn from the page and its own lists (header,
    influence box, timeline, background); None for a preview, whose page is
    not the saved one. The parts that depend on the day add it to the key."""
    if getattr(request, "is_preview", False) or page.pk is None:
        return None
    decision_body = _values(page.decision_body) if page.decision_body_id else ()
    # The host too: a page shown under two sites links its tags site-relative on one, in full on the other.
    return _digest("page", request.get_host(), _values(page), decision_body, list_rows(page))


#: The page's own lists the facts show, by their relation names on the page.
LISTS = ("scope_limits", "target_groups", "methods")


def _list_select(connection, model, where_column, columns, joins=""):
    """SELECT kind, id, every column as one text: a row of ``list_rows``'s union."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # Each column as text, NULL as "", one separator between: the same row gives the same text.
    text = " || '|' || ".join(f"COALESCE(CAST({column} AS TEXT), '')" for column in columns)
    return f"SELECT %s, {table}.{quote('id')}, {text} FROM {table}{joins} WHERE {table}.{quote(where_column)} = %s"


def list_rows(page):
    """Every row of the page's lists (limits, target groups, methods) and its tags as
    (kind, id, one text of all its columns), sorted: what the key must cover, read in one
    query instead of one per list. Raw SQL, as the ORM spends longer building such a
    union than the round trips cost (bench/page.py): the columns come from the models.
    The SQL is SQLite's and PostgreSQL's (``||`` joins text); elsewhere the ORM reads each list."""
    connection = connections[router.db_for_read(type(page))]
    if connection.vendor not in ("sqlite", "postgresql"):
        return tuple(sorted(
            [(name, row.pk, repr(_values(row))) for name in (*LISTS, "tags") for row in getattr(page, name).all()]
            + [("ways", way.pk, repr((way.title, way.slug, way.live, way.content_type_id, *_values(way))))
               for way in MethodPage.objects.child_of(page)]
        ))
    quote = connection.ops.quote_name
    selects, params = [], []
    for name in LISTS:
        model = getattr(page, name).model
        table = quote(model._meta.db_table)
        columns = [
            f"{table}.{quote(field.column)}" for field in model._meta.concrete_fields
            if not field.primary_key and field.attname != "page_id"
        ]
        selects.append(_list_select(connection, model, "page_id", columns))
        params += [name, page.pk]
    tagged = page.tagged_items.model
    tag = tagged._meta.get_field("tag").related_model
    tag_table = quote(tag._meta.db_table)
    join = f" JOIN {tag_table} ON {tag_table}.{quote('id')} = {quote(tagged._meta.db_table)}.{quote('tag_id')}"
    selects.append(_list_select(
        connection, tagged, tagged._meta.get_field("content_object").column,
        [f"{tag_table}.{quote('name')}", f"{tag_table}.{quote('slug')}"], join,
    ))
    params += ["tags", page.pk]
    # The live ways to take part below the page (methods.base): "Så kan du delta" shows them.
    way_table = quote(MethodPage._meta.db_table)
    page_table = quote(MethodPage._meta.get_field("page_ptr").related_model._meta.db_table)
    way_columns = [f"{page_table}.{quote(name)}" for name in ("title", "slug", "live", "content_type_id")] + [
        f"{way_table}.{quote(name)}" for name in ("summary", "opens_on", "closes_on")
    ]
    text = " || '|' || ".join(f"COALESCE(CAST({column} AS TEXT), '')" for column in way_columns)
    selects.append(
        f"SELECT %s, {page_table}.{quote('id')}, {text} FROM {way_table} JOIN {page_table} "
        f"ON {page_table}.{quote('id')} = {way_table}.{quote('page_ptr_id')} "
        f"WHERE {page_table}.{quote('path')} LIKE %s AND {page_table}.{quote('depth')} = %s"
    )
    params += ["ways", f"{page.path}%", page.depth + 1]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return tuple(sorted(tuple(row) for row in cursor.fetchall()))


#: The fragments of dialog_page.html drawn from the page's lists, cached under the page's key alone.
LIST_FRAGMENTS = ("wd_influence", "wd_background")


def missing(facts_key):
    """Whether a fragment drawn from the page's lists is not in the cache under ``facts_key``:
    the templates will render it, so the lists are worth reading in advance."""
    try:
        cache = caches["template_fragments"]  # where {% cache %} keeps fragments, if the site has it
    except InvalidCacheBackendError:
        cache = caches["default"]
    keys = [make_template_fragment_key(name, [facts_key]) for name in LIST_FRAGMENTS]
    return len(cache.get_many(keys)) < len(keys)


def contributions_key(page, contributions_page, page_range):
    """The key of the published list's section as shown on one of its pages:
    the rows, the total and the page links."""
    contributions = contributions_page.object_list
    if any(getattr(row, "found_text", "") for row in contributions):
        return None  # marked for one visitor's search
    return _digest(
        "contributions", page.pk, page.moderation, contributions_page.number, contributions_page.paginator.count,
        tuple(str(number) for number in page_range), tuple(_values(row) for row in contributions),
    )


def form_key(page, form, privacy_notice_key):
    """The key of an empty contribution form's fields; None once it holds a
    visitor's input or errors."""
    if form is None or form.is_bound or getattr(page, "pk", None) is None:
        return None
    area = form.fields.get("area")
    return _digest(
        "form", page.pk, form.max_length, tuple(area.choices) if area else (), form.asks_for_ideas,
        tuple(privacy_notice_key),
    )
