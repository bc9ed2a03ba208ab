"""Only published contributions are in the search index, and they leave it
when they stop being published. Names, emails and notes are never indexed."""

import pytest
from django.db.models.signals import post_save
from wagtail.search.backends import get_search_backend

from tests.factories import make_contribution
from wagtail_dialog.contributions import Contribution, ContributionStatus, moderation
from wagtail_dialog.search import indexing

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The index updates queued, by contribution pk, instead of run."""
    calls = []
    monkeypatch.setattr(indexing, "schedule", lambda contribution: calls.append(contribution.pk))
    return calls


def found(query):
    return {contribution.reference for contribution in get_search_backend().search(query, Contribution)}


def test_a_pending_contribution_queues_nothing(queued, dialog):
    make_contribution(dialog, text="Cykelbana längs ån")
    assert queued == []


def test_a_contribution_published_at_once_is_queued(queued, dialog):
    contribution = make_contribution(dialog, status=ContributionStatus.PUBLISHED)
    assert queued == [contribution.pk]


def test_moderation_queues_only_what_changes_the_index(queued, dialog, admin_user):
    contribution = make_contribution(dialog)
    moderation.set_note(contribution, admin_user, "Ring upp")
    assert queued == []
    moderation.approve(contribution, admin_user)
    moderation.reply(contribution, admin_user, "Tack!")
    moderation.hide(contribution, admin_user)
    assert queued == [contribution.pk] * 3


def test_the_index_follows_publication(dialog, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = make_contribution(dialog, text="Fler cykelställ vid stationen", name="Hemliga Hanna",
                                         email="hanna@example.com")
    assert found("cykelställ") == set()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(contribution, admin_user)
    assert found("cykelställ") == {contribution.reference}
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reply(contribution, admin_user, "Vi sätter upp fler ställ vid busstorget.")
    assert found("busstorget") == {contribution.reference}
    # Names and emails are never searchable.
    assert found("Hanna") == set() and found("hanna@example.com") == set()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide(contribution, admin_user)
    assert found("cykelställ") == set()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(contribution, admin_user)
    assert found("cykelställ") == {contribution.reference}
    with django_capture_on_commit_callbacks(execute=True):
        contribution.delete()
    assert found("cykelställ") == set()


def test_only_published_contributions_are_indexed_on_a_rebuild(dialog):
    published = make_contribution(dialog, status=ContributionStatus.PUBLISHED)
    make_contribution(dialog)
    make_contribution(dialog, status=ContributionStatus.REJECTED)
    assert list(Contribution.get_indexed_objects()) == [published]


def test_wagtails_own_automatic_indexing_is_off_for_contributions():
    from modelsearch.signal_handlers import post_save_signal_handler

    sync_receivers, _ = post_save._live_receivers(Contribution)
    assert indexing.contribution_saved in sync_receivers
    assert post_save_signal_handler not in sync_receivers


def test_a_renamed_or_deleted_tag_changes_what_a_dialog_is_found_by(dialog_index, django_capture_on_commit_callbacks):
    from taggit.models import Tag

    from tests.factories import make_dialog
    from wagtail_dialog.dialogs.pages import DialogPage
    from wagtail_dialog.search.database import stored_terms

    dialog = make_dialog(dialog_index, title="Torget", tags=["lekplats"])
    other = make_dialog(dialog_index, title="Parken", slug="parken", tags=["grönska"])
    assert stored_terms("lekplats") in DialogPage.objects.get(pk=dialog.pk).search_terms
    before = DialogPage.objects.get(pk=other.pk).search_terms
    tag = Tag.objects.get(name="lekplats")
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "skateboard"
        tag.save()
    terms = DialogPage.objects.get(pk=dialog.pk).search_terms.split()
    assert stored_terms("skateboard").strip() in terms and stored_terms("lekplats").strip() not in terms
    assert DialogPage.objects.get(pk=other.pk).search_terms == before
    with django_capture_on_commit_callbacks(execute=True):
        tag.delete()
    assert stored_terms("skateboard").strip() not in DialogPage.objects.get(pk=dialog.pk).search_terms.split()
