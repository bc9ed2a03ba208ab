"""Keeping the search index in step with what the public may see.

Only published contributions are in the search index: their text and the
municipality's reply, never names, emails or internal notes. Wagtail's own
automatic indexing is switched off for contributions (``search_auto_update``)
because it only ever adds: a contribution that is hidden or rejected after
publication would stay searchable. Instead every save that changes what is
indexed, or whether it may be public, queues one task that adds the
contribution to the index or takes it out; a pending contribution sent by a
resident queues nothing.

With the Elasticsearch extra on (``search_elasticsearch``), every contribution
is in its index, pending ones too, for the moderators' search: then every
change to what that index holds (tags included) queues the task, and dialog
pages are added when published and taken out when unpublished or deleted.
"""

from django.apps import apps
from django.db import transaction
from wagtail.search import index

from wagtail_dialog.compat import task
from wagtail_dialog.contributions import get_contribution_model, get_dialog_model
from wagtail_dialog.search import elastic as search_elasticsearch

#: The fields the index reads, and the one that decides whether it may be public.
INDEXED_FIELDS = frozenset({"text", "reply", "status", "dialog", "dialog_id"})
#: What the Elasticsearch index reads besides.
ELASTICSEARCH_FIELDS = INDEXED_FIELDS | {"moderator_note", "channel", "area", "reference", "submitted_at"}


def schedule(contribution):
    """Queue the index update for ``contribution`` once the transaction commits."""
    meta = contribution._meta
    key = (meta.app_label, meta.model_name, str(contribution.pk))
    transaction.on_commit(lambda: update_index.enqueue(*key))


def tag_changed(sender, instance, raw=False, **kwargs):
    """post_save / pre_delete receiver for taggit's ``Tag``: a renamed or deleted
    tag changes what dialog pages are found by (their stored search terms hold
    their tags' names) and, with the Elasticsearch extra, every document that
    holds it. Collected now, while the tag's rows still exist; refreshed once
    the transaction commits, when the tag has its new name or is gone."""
    DialogPageTag = get_dialog_model()._meta.get_field("tags").remote_field.through

    if raw:
        return
    dialogs = list(DialogPageTag.objects.filter(tag=instance).values_list("content_object_id", flat=True).distinct())
    if dialogs:
        transaction.on_commit(lambda: refresh_dialog_tags.enqueue(dialogs))
    model = get_contribution_model()
    tags = getattr(model, "tags", None)
    if tags is not None and search_elasticsearch.enabled():
        for pk in tags.through.objects.filter(tag=instance).values_list("content_object_id", flat=True):
            schedule(model(pk=pk))


@task()
def refresh_dialog_tags(pks):
    """Store the dialog pages' search terms anew after one of their tags changed."""
    DialogPage = get_dialog_model()

    for dialog in DialogPage.objects.filter(pk__in=pks):
        dialog.update_search_terms()
        # The row is the live version: its own terms, without a new revision.
        DialogPage.objects.filter(pk=dialog.pk).update(search_terms=dialog.search_terms)
        if search_elasticsearch.enabled():
            update_dialog_index.enqueue(dialog.pk)


def contribution_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """post_save receiver (wired in apps.py)."""
    if raw:
        return
    everything = search_elasticsearch.enabled()
    if update_fields is not None and not (ELASTICSEARCH_FIELDS if everything else INDEXED_FIELDS).intersection(
        update_fields
    ):
        return
    if created and not instance.is_published and not everything:
        return  # nothing public yet, and nothing in the index to remove
    schedule(instance)


def tags_changed(sender, instance, action, reverse=False, **kwargs):
    """m2m_changed receiver for contribution tags: only the Elasticsearch index holds them."""
    if action.startswith("post_") and not reverse and search_elasticsearch.enabled():
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
    if search_elasticsearch.enabled():
        if contribution is None:
            search_elasticsearch.remove_contribution(pk)
        else:
            search_elasticsearch.index_contribution(contribution)


def dialog_changed(sender, instance, **kwargs):
    """page_published / page_unpublished / post_delete receiver for dialog pages
    (and pages of a site's own subclass of them)."""
    DialogPage = get_dialog_model()

    if search_elasticsearch.enabled() and isinstance(instance, DialogPage):
        pk = instance.pk
        transaction.on_commit(lambda: update_dialog_index.enqueue(pk))


@task()
def update_dialog_index(pk):
    """Add a live dialog page to the Elasticsearch index, or take it out."""
    DialogPage = get_dialog_model()

    dialog = DialogPage.objects.live().filter(pk=pk).first()
    if dialog is None:
        search_elasticsearch.remove_dialog(pk)
    else:
        search_elasticsearch.index_dialog(dialog)


def connect(post_save, post_delete, m2m_changed):
    from django.db.models.signals import pre_delete
    from taggit.models import Tag
    from wagtail.signals import page_published, page_unpublished

    DialogPage = get_dialog_model()

    model = get_contribution_model()
    post_save.connect(contribution_saved, sender=model, dispatch_uid="wagtail_dialog_index_saved")
    post_delete.connect(contribution_deleted, sender=model, dispatch_uid="wagtail_dialog_index_deleted")
    tags = getattr(model, "tags", None)  # a site's own contribution model may have none
    if tags is not None:
        m2m_changed.connect(tags_changed, sender=tags.through, dispatch_uid="wagtail_dialog_index_tags")
    post_save.connect(tag_changed, sender=Tag, dispatch_uid="wagtail_dialog_index_tag_saved")
    pre_delete.connect(tag_changed, sender=Tag, dispatch_uid="wagtail_dialog_index_tag_deleted")
    # Any sender: Wagtail sends these with the page's own class, which may subclass DialogPage.
    page_published.connect(dialog_changed, dispatch_uid="wagtail_dialog_index_dialog_published")
    page_unpublished.connect(dialog_changed, dispatch_uid="wagtail_dialog_index_dialog_unpublished")
    post_delete.connect(dialog_changed, sender=DialogPage, dispatch_uid="wagtail_dialog_index_dialog_deleted")


def refresh_terms(contributions=None, dialogs=None, chunk_size=500):
    """Recompute the stored terms of ``contributions`` and ``dialogs`` (querysets;
    None means all), e.g. after rows were written with ``bulk_create``, which
    skips save(). Returns the number of rows updated."""
    DialogPage = get_dialog_model()

    model = get_contribution_model()
    count = 0
    contributions = model._default_manager.all() if contributions is None else contributions
    batch = []
    for contribution in contributions.only("pk", "text", "reply", "moderator_note").iterator(chunk_size=chunk_size):
        contribution.update_search_terms()
        batch.append(contribution)
        if len(batch) == chunk_size:
            count += model._default_manager.bulk_update(batch, ["search_terms", "moderator_search_terms"])
            batch = []
    if batch:
        count += model._default_manager.bulk_update(batch, ["search_terms", "moderator_search_terms"])
    dialogs = DialogPage.objects.all() if dialogs is None else dialogs
    pages = list(dialogs.specific().prefetch_related("tags"))
    for dialog in pages:
        dialog.update_search_terms()
    # Only the terms column: a full save() would also touch the page's revision bookkeeping.
    count += DialogPage.objects.bulk_update(pages, ["search_terms"], batch_size=chunk_size) if pages else 0
    return count
