"""Keeping the search index in step with what the public may see.

Only published contributions are in the search index: their text and the
municipality's reply, never names, emails or internal notes. Wagtail's own
automatic indexing is switched off for contributions (``search_auto_update``)
because it only ever adds: a contribution that is hidden or rejected after
publication would stay searchable. Instead every save that changes what is
indexed, or whether it may be public, queues one task that adds the
contribution to the index or takes it out; a pending contribution sent by a
resident queues nothing.
"""

from django.apps import apps
from django.db import transaction
from django_tasks import task
from wagtail.search import index

from .contributions import get_contribution_model

#: The fields the index reads, and the one that decides whether it may be public.
INDEXED_FIELDS = frozenset({"text", "reply", "status", "dialog", "dialog_id"})


def schedule(contribution):
    """Queue the index update for ``contribution`` once the transaction commits."""
    meta = contribution._meta
    key = (meta.app_label, meta.model_name, str(contribution.pk))
    transaction.on_commit(lambda: update_index.enqueue(*key))


def contribution_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """post_save receiver (wired in apps.py)."""
    if raw:
        return
    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return
    if created and not instance.is_published:
        return  # nothing public yet, and nothing in the index to remove
    schedule(instance)


def contribution_deleted(sender, instance, **kwargs):
    """post_delete receiver (wired in apps.py)."""
    schedule(instance)


@task()
def update_index(app_label, model_name, pk):
    """Add the contribution to the index if it is published, else remove it."""
    model = apps.get_model(app_label, model_name)
    contribution = model._default_manager.filter(pk=pk).first()
    if contribution is not None and contribution.is_published:
        index.insert_or_update_object(contribution)
    else:
        index.remove_object(contribution or model(pk=pk))


def connect(post_save, post_delete):
    model = get_contribution_model()
    post_save.connect(contribution_saved, sender=model, dispatch_uid="wagtail_dialog_index_saved")
    post_delete.connect(contribution_deleted, sender=model, dispatch_uid="wagtail_dialog_index_deleted")
