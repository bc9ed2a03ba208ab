"""A contribution's history (Wagtail's log entries) is seen only by the
moderators of its dialog: in Reports → Site history, a moderator of dialog A
sees A's reference numbers, moderation steps and moderators, never B's;
superusers see both; the contribution's own history page still lists its steps."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import inbox_url
from wagtail_dialog.contributions import ModerationReason, moderation
from wagtail_dialog.contributions.history import ContributionLogEntry

SITE_HISTORY = "wagtailadmin_reports:site_history"


def test_each_moderator_sees_only_their_dialogs_entries_in_the_site_history(
    users, login, contribution_a, contribution_b
):
    moderation.approve(contribution_a, users["moderator_a"])
    moderation.reject(contribution_b, users["moderator_b"], ModerationReason.values[0])
    # Wagtail's own steps (an edit in the inbox's edit view) go the same way.
    log(contribution_b, "wagtail.edit", user=users["moderator_b"])
    assert ContributionLogEntry.objects.count() == 3
    assert not ModelLogEntry.objects.filter(object_id__in=[str(contribution_a.pk), str(contribution_b.pk)]).exists()

    as_a = login(users["moderator_a"]).get(reverse(SITE_HISTORY))
    assert as_a.status_code == 200
    page = as_a.content.decode()
    assert contribution_a.reference in page and contribution_b.reference not in page
    assert "moderator_b" not in page  # not even in the user filter
    as_b = login(users["moderator_b"]).get(reverse(SITE_HISTORY)).content.decode()
    assert contribution_b.reference in as_b and contribution_a.reference not in as_b
    everything = login(users["superuser"]).get(reverse(SITE_HISTORY)).content.decode()
    assert contribution_a.reference in everything and contribution_b.reference in everything


def test_the_contributions_own_history_still_lists_its_steps(users, login, contribution_a, contribution_b):
    moderation.approve(contribution_a, users["moderator_a"])
    moderation.set_note(contribution_a, users["moderator_a"], "Ring tillbaka")
    assert [entry.action for entry in log_registry.get_logs_for_instance(contribution_a)] == [
        "wagtail_dialog.note", "wagtail_dialog.publish",
    ]
    entry = ContributionLogEntry.objects.get(action="wagtail_dialog.publish")
    assert entry.dialog_id == contribution_a.dialog_id and entry.object_id == str(contribution_a.pk)
    moderator = login(users["moderator_a"])
    page = moderator.get(inbox_url("history", contribution_a.pk))
    assert page.status_code == 200 and "Published" in page.content.decode()
    assert moderator.get(inbox_url("history", contribution_b.pk)).status_code == 404


def test_an_entry_outlives_its_contribution_and_stays_with_its_dialog(users, login, contribution_a):
    moderation.approve(contribution_a, users["moderator_a"])
    reference = contribution_a.reference
    contribution_a.delete()
    assert reference in login(users["moderator_a"]).get(reverse(SITE_HISTORY)).content.decode()
    assert reference not in login(users["moderator_b"]).get(reverse(SITE_HISTORY)).content.decode()


def test_the_migration_moves_existing_entries_with_their_dialog(users, contribution_a, contribution_b):
    migration = __import__("wagtail_dialog.migrations.0012_contribution_log_entries", fromlist=["x"])
    content_type = ContentType.objects.get_for_model(contribution_a)
    for contribution, action in ((contribution_a, "wagtail_dialog.publish"), (contribution_b, "wagtail_dialog.hide")):
        ModelLogEntry.objects.create(content_type=content_type, object_id=str(contribution.pk), action=action,
                                     label=contribution.reference, timestamp=contribution.submitted_at,
                                     user=users["superuser"])
    ModelLogEntry.objects.create(content_type=ContentType.objects.get_for_model(users["editor"]), object_id="1",
                                 action="wagtail.edit", label="editor", timestamp=contribution_a.submitted_at)
    schema_editor = connection.schema_editor(atomic=False)
    migration.move_contribution_entries(apps, schema_editor)
    moved = {entry.object_id: entry for entry in ContributionLogEntry.objects.all()}
    assert moved[str(contribution_a.pk)].dialog_id == contribution_a.dialog_id
    assert moved[str(contribution_b.pk)].action == "wagtail_dialog.hide"
    assert moved[str(contribution_b.pk)].user_id == users["superuser"].pk
    assert list(ModelLogEntry.objects.values_list("action", flat=True)) == ["wagtail.edit"]  # others stay
    migration.move_back(apps, schema_editor)
    assert ContributionLogEntry.objects.count() == 0 and ModelLogEntry.objects.count() == 3
