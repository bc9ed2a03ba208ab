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

from django.utils.translation import get_language

from wagtail_dialog import __version__ as VERSION

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
    related = [
        tuple(_values(row) for row in getattr(page, name).all())
        for name in ("scope_limits", "target_groups", "methods", "tags")
    ]
    # The host too: a page shown under two sites links its tags site-relative on one, in full on the other.
    return _digest("page", request.get_host(), _values(page), decision_body, *related)


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
        "form", page.pk, form.max_length, tuple(area.choices) if area else (), tuple(privacy_notice_key),
    )
