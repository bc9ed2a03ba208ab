"""Purging the public pages a change shows on, through ``wagtail.contrib.frontend_cache``.

Wagtail purges a page when it is published or unpublished, at the paths its
``get_cached_paths`` names: a dialog page names its list pages and its privacy
page (:func:`dialog_paths`), a dialog index its filtered views and its open
data (:func:`index_paths`). What Wagtail does not know is where else a change
shows: a contribution published, hidden or replied to changes its dialog's
page and list pages, the count on the index's card and the open data; a
dialog published changes its index. The receivers here collect the dialogs
touched while a transaction runs and, once it has committed, purge every
address of theirs and of their indexes in one batch (Wagtail sends it from a
task). Nothing is collected unless the site configures a frontend cache.

A way of taking part (a survey's results, a meeting's seats) calls
:func:`purge_dialogs` with its dialog when what residents see of it changes.
"""

import threading
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from wagtail_dialog.contributions import get_contribution_model, get_dialog_model
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.status import DialogStatus
from wagtail_dialog.followup import open_data
from wagtail_dialog.methods.base import MethodPage

#: List pages purged by number. A new contribution moves every later page on by
#: one, but few read past the first pages: deeper ones refresh within
#: SHARED_CACHE_MAX_AGE (a Varnish set up as in docs/shared-cache.md purges
#: every query string of a path at once).
LIST_PAGES = 10
#: The dialog index's filters, in the order its form sends them.
FILTERS = ("q", "status", "level", "tag")
#: A contribution's fields that no public page shows: a save of these alone
#: (a moderator's note, an unsubscribe) purges nothing. Any other field might.
PRIVATE_FIELDS = frozenset({
    "email", "notify", "moderator_note", "message_to_author", "moderation_reason", "language",
    "consent_notice_version", "search_terms", "moderator_search_terms", "feedback_sent_at",
    "moderated_by", "moderated_at", "registered_by",
})

_pending = threading.local()


def enabled():
    configured = getattr(settings, "WAGTAILFRONTENDCACHE", None) or getattr(
        settings, "WAGTAILFRONTENDCACHE_LOCATION", None  # Wagtail still reads its older setting
    )
    return apps.is_installed("wagtail.contrib.frontend_cache") and bool(configured)


def _pages(count, per_page):
    return min(max(1, -(-count // per_page)), LIST_PAGES)


def dialog_paths(dialog, *, per_page, below=()):
    """The paths of a dialog page that a shared cache keeps: the page, its list
    pages and the pages ``below`` it (such as "privacy/")."""
    published = public_contributions(get_contribution_model().objects.filter(dialog=dialog)).count()
    lists = [f"/?contributions_page={number}" for number in range(1, _pages(published, per_page) + 1)]
    return ["/", *lists, *(f"/{path}" for path in below)]


def index_paths(*, dialog_count, per_page, tags, below=()):
    """The paths below a dialog index that a shared cache keeps: its pages, each
    filter's views (as a link and as the filter form sends them), its open data
    and the pages ``below`` it (such as its list of meetings)."""
    views = [{"page": number} for number in range(2, _pages(dialog_count, per_page) + 1)]
    for name, values in (("status", DialogStatus.values), ("level", ParticipationLevel.values), ("tag", tags)):
        for value in values:
            views.append({name: value})
            views.append({field: value if field == name else "" for field in FILTERS})
    return ["/", *(f"/?{urlencode(view)}" for view in views), *(f"/{path}" for path in open_data.index_paths()),
            *(f"/{path}" for path in below)]


def purge_dialogs(pks, indexes=(), urls=()):
    """Purge the dialogs ``pks`` and their indexes (and the index pages
    ``indexes``, and the full ``urls``) once the current transaction commits."""
    if not enabled() or not (pks or indexes or urls):
        return
    _pending.__dict__.setdefault("dialogs", set()).update(pks)
    _pending.__dict__.setdefault("indexes", set()).update(indexes)
    _pending.__dict__.setdefault("urls", set()).update(urls)
    # One callback per call, but the first to run takes everything collected.
    transaction.on_commit(_purge, robust=True)


def _purge():
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    pks, index_pks = _pending.__dict__.pop("dialogs", set()), _pending.__dict__.pop("indexes", set())
    urls = _pending.__dict__.pop("urls", set())
    if not (pks or index_pks or urls):
        return
    batch = PurgeBatch(urls)
    dialogs = list(get_dialog_model().objects.filter(pk__in=pks).specific())
    # Each dialog's index is its parent in the tree: one query for all of them.
    below = {}
    for dialog in dialogs:
        batch.add_page(dialog)
        below.setdefault(dialog.path[: -dialog.steplen], set()).add(dialog.pk)
    indexes = Page.objects.filter(Q(pk__in=index_pks) | Q(path__in=below)).specific()
    for index in indexes:
        batch.add_page(index)
        url = index.get_full_url(batch)
        if url and index.path in below:  # the open data of the dialogs changed (the index's own are among its paths)
            batch.add_urls(url + path for path in open_data.dialog_paths(below[index.path]))
    batch.purge()


# --- Receivers (wired in apps.py) ---------------------------------------------


def contribution_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    # A resident's new contribution waits for moderation: nothing public changed.
    if raw or (created and not instance.is_published):
        return
    if update_fields is not None and PRIVATE_FIELDS.issuperset(update_fields):
        return
    purge_dialogs([instance.dialog_id])


def contribution_deleted(sender, instance, **kwargs):
    purge_dialogs([instance.dialog_id])


def page_changed(sender, instance, **kwargs):
    """page_published / page_unpublished: a dialog also shows on its index; a
    way to take part shows on its dialog's page, card and open data (Wagtail
    purges the method's own page)."""
    if isinstance(instance, get_dialog_model()):
        purge_dialogs([instance.pk])
    elif isinstance(instance, MethodPage) and enabled():
        parent = get_dialog_model().objects.filter(path=instance.path[: -instance.steplen])
        purge_dialogs(list(parent.values_list("pk", flat=True)))


def _addresses(page, url):
    """``url`` (a full URL of ``page``) and its cached paths below it."""
    return [url, *(url + path.lstrip("/") for path in page.get_cached_paths() if path != "/")]


def _old_addresses(page, url_path_before):
    """The full URLs ``page`` had at ``url_path_before`` (before a move or a new slug)."""
    parts = page.get_url_parts()
    if parts is None:
        return []
    _site_id, root_url, page_path = parts
    site_root_path = page.url_path[: len(page.url_path) - len(page_path)]
    if not url_path_before.startswith(site_root_path):
        return []  # it was under another site: that site's address is not known here
    return _addresses(page, root_url + url_path_before[len(site_root_path):])


def dialog_moved(sender, instance, parent_page_before=None, parent_page_after=None, url_path_before="", **kwargs):
    """post_page_move: gone from one index and its old address, shown on another."""
    # Wagtail sends the moved page as a plain Page, with its own class as the sender.
    if not enabled() or not issubclass(sender, get_dialog_model()):
        return
    instance = instance.specific
    indexes = [page.pk for page in (parent_page_before, parent_page_after) if page is not None]
    purge_dialogs([instance.pk], indexes=indexes, urls=_old_addresses(instance, url_path_before))


def slug_changed(sender, instance, instance_before=None, **kwargs):
    """page_slug_changed: the old address is gone."""
    if not enabled() or not isinstance(instance, get_dialog_model()) or instance_before is None:
        return
    purge_dialogs([instance.pk], urls=_old_addresses(instance, instance_before.url_path))


def dialog_deleted(sender, instance, **kwargs):
    if not enabled():
        return
    parent = instance.get_parent()
    url, index_url = instance.get_full_url(), parent.get_full_url() if parent else None
    urls = _addresses(instance, url) if url else []
    if index_url:
        urls += [index_url + path for path in open_data.dialog_paths([instance.pk])]
    purge_dialogs([], indexes=[parent.pk] if parent else [], urls=urls)


def tag_saved(sender, instance, raw=False, **kwargs):
    """taggit's Tag renamed or deleted: the dialogs that carry it show its name."""
    if raw or not enabled():
        return
    through = get_dialog_model()._meta.get_field("tags").remote_field.through
    pks = list(through.objects.filter(tag=instance).values_list("content_object_id", flat=True).distinct())
    purge_dialogs(pks)


def site_settings_saved(sender, instance, created=False, raw=False, **kwargs):
    """The site's texts (the privacy notice, the contact) show on every dialog page.
    (Settings are created with their defaults the first time a page reads them.)"""
    from wagtail.models import Page

    if raw or created or not enabled():
        return
    root_path = Page.objects.filter(pk=instance.site.root_page_id).values_list("path", flat=True).first()
    dialogs = get_dialog_model().objects.live().filter(path__startswith=root_path or "-")
    purge_dialogs(list(dialogs.values_list("pk", flat=True)))


def connect(post_save, post_delete):
    from django.db.models.signals import pre_delete
    from taggit.models import Tag
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from wagtail_dialog.dialogs.site_settings import DialogSiteSettings

    model = get_contribution_model()
    post_save.connect(contribution_saved, sender=model, dispatch_uid="wagtail_dialog_purge_saved")
    post_delete.connect(contribution_deleted, sender=model, dispatch_uid="wagtail_dialog_purge_deleted")
    # Any sender: Wagtail sends these with the page's own class, which may subclass DialogPage.
    page_published.connect(page_changed, dispatch_uid="wagtail_dialog_purge_published")
    page_unpublished.connect(page_changed, dispatch_uid="wagtail_dialog_purge_unpublished")
    post_delete.connect(dialog_deleted, sender=get_dialog_model(), dispatch_uid="wagtail_dialog_purge_dialog_deleted")
    post_save.connect(site_settings_saved, sender=DialogSiteSettings, dispatch_uid="wagtail_dialog_purge_settings")
    post_page_move.connect(dialog_moved, dispatch_uid="wagtail_dialog_purge_moved")
    page_slug_changed.connect(slug_changed, dispatch_uid="wagtail_dialog_purge_slug")
    post_save.connect(tag_saved, sender=Tag, dispatch_uid="wagtail_dialog_purge_tag_saved")
    # Before: the tag's rows, which say which dialogs carry it, are gone after.
    pre_delete.connect(tag_saved, sender=Tag, dispatch_uid="wagtail_dialog_purge_tag_deleted")
